"""The form for a plan's own fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Regexp, ValidationError

from wtforms import SelectChoice

from planner.domain.checklists import DEFAULT_TEMPLATE, available_templates
from planner.enums import OrganisationKind, SchoolRegion
from planner.web.forms.fields import (
    EuroField, date_field, empty_choice, enum_field, optional_int, required, short_text_field, strip,
    text_field, title_field,
)


NEW_OWNER = "new"


class PlanDetailsForm(FlaskForm):
    title = title_field(_l("Title"))
    theme = short_text_field(_l("Theme"))
    # An administrator chooses the owner from the organisations, or creates one explicitly ("new" and its
    # name, kind and school holiday region); advisors always plan for their own organisation.
    owner_id = SelectField(_l("Owner organisation"), choices=[], validate_choice=False)
    owner_name = StringField(_l("Name of the new organisation"), filters=[strip])
    owner_kind = enum_field(_l("Kind of organisation"), OrganisationKind, default=OrganisationKind.MUNICIPALITY)
    owner_region = SelectField(_l("School holiday region"), choices=[], default="", description=_l(
        "The holiday checks use the school holidays of this region."))
    starts_on = date_field(_l("Start date"))
    ends_on = date_field(_l("End date"))
    parent_id = SelectField(_l("Regional plan this plan belongs to"), coerce=optional_int, choices=[])
    budget = EuroField(_l("Budget (euro)"))
    introduction = text_field(_l("Introduction (aanleiding)"))
    goal = text_field(_l("Goal"))
    strategy = text_field(_l("Strategy"))
    evaluation = text_field(_l("Evaluation"))
    summary = text_field(_l("Management summary (leave empty to have the document write one)"))
    contact_name = short_text_field(_l("Contact person for partners"))
    contact_phone = short_text_field(_l("Contact's phone"), max_length=40, validators=[
        Regexp(r"^[0-9+()\- ]{6,40}$", message=_l("Enter a phone number with digits, spaces, + or -."))])
    contact_email = short_text_field(_l("Contact's e-mail address"), max_length=254, validators=[
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an e-mail address such as naam@gemeente.nl."))])
    checklist_template = SelectField(_l("Checklist"), choices=[], default=DEFAULT_TEMPLATE)

    # Status and phase are not here: they change only through the gate ("Fase en vaststelling" on the
    # overview), which records the decision and the snapshot that every step needs.
    plan_fields = ("title", "theme", "starts_on", "ends_on", "parent_id", "budget", "introduction", "goal",
                   "strategy", "evaluation", "summary", "contact_name", "contact_phone", "contact_email")

    def __init__(self, parent_choices, owner_choices=(), *args, **kwargs):
        """`owner_choices`: (id, name) of the organisations an administrator may choose; none for advisors."""
        super().__init__(*args, **kwargs)
        self.owner_choices = list(owner_choices)
        self.owner_id.choices = ([SelectChoice("", _l("Choose an organisation"))] +
                                 [SelectChoice(str(id_), name) for id_, name in self.owner_choices] +
                                 [SelectChoice(NEW_OWNER, _l("New organisation…"))])
        self.owner_region.choices = [SelectChoice("", _l("(unknown)"))] + [
            SelectChoice(region.value, _l(region.label)) for region in SchoolRegion]
        self.parent_id.choices = empty_choice(parent_choices)
        self.checklist_template.choices = [SelectChoice(t.id, t.name) for t in available_templates().values()]
        if not self.is_submitted() and not self.checklist_template.data:
            self.checklist_template.data = DEFAULT_TEMPLATE

    def validate_owner_id(self, field):
        if not self.owner_choices:  # an advisor's form: the owner is their organisation, nothing to choose
            return
        if field.data == NEW_OWNER:
            return
        if field.data not in {str(id_) for id_, _name in self.owner_choices}:
            raise ValidationError(_l("Choose the organisation that owns the plan, or “New organisation…”."))
        if self.owner_name.data:  # never drop what was typed without saying so
            raise ValidationError(_l("You typed the name of a new organisation: choose “New organisation…”, "
                                     "or empty the name."))

    def validate_owner_name(self, field):
        if not self.owner_choices or self.owner_id.data != NEW_OWNER:
            return
        if not field.data:
            raise ValidationError(_l("Enter the name of the new organisation."))
        if len(field.data) > 200:
            raise ValidationError(_l("Use at most %(max)d characters.", max=200))
        wanted = " ".join(field.data.split()).casefold()
        if any(name.casefold() == wanted for _id, name in self.owner_choices):
            raise ValidationError(_l("This organisation exists already: choose it in the list above."))

    @property
    def new_owner_region(self) -> SchoolRegion | None:
        return SchoolRegion(self.owner_region.data) if self.owner_region.data else None

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date lies before the start date."))
