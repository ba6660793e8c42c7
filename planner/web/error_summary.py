"""The errors of a form that failed to validate, for the summary at the top of the page it comes back on."""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import pass_context
from wtforms import Form
from wtforms.fields import FieldList, FormField

# fields the user cannot see: their errors (an expired CSRF token) are listed without a link
UNSEEN = {"CSRFTokenField", "HiddenField"}
# checkbox and radio groups: the field macro numbers the boxes, the link goes to the first one
GROUPS = {"SelectMultipleField", "RadioField"}


@dataclass(frozen=True)
class FormError:
    message: str
    target: str | None  # the id of the control the link focuses, None for errors of the whole form


def _field_errors(field) -> list[FormError]:
    if isinstance(field, FieldList):
        return [error for entry in field for error in _field_errors(entry)]
    if isinstance(field, FormField):
        return form_errors(field.form)
    if not field.errors:
        return []
    target = None if field.type in UNSEEN else f"{field.id}-0" if field.type in GROUPS else field.id
    message = " ".join(str(error) for error in field.errors)  # as the field macro shows them beside the field
    return [FormError(f"{field.label.text}: {message}" if target else message, target)]


def form_errors(form: Form) -> list[FormError]:
    """Every error of `form`: those of the whole form first, then each field's in page order."""
    # a form of several rows (planner/web/forms/several.py) keeps a form per row in `rows`
    rows = [row for row in getattr(form, "rows", ()) if isinstance(row, Form)]
    return [FormError(str(message), None) for message in form.form_errors] + [
        error for field in form for error in _field_errors(field)] + [
        error for row in rows for error in form_errors(row)]


@pass_context
def failed_form_errors(context) -> list[FormError]:
    """The errors of every form the page was given that failed to validate (usually one)."""
    forms = {id(value): value for value in context.get_all().values() if isinstance(value, Form)}
    return [error for form in forms.values() for error in form_errors(form)]
