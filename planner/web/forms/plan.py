"""The form for a plan's own fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Regexp, ValidationError

from wtforms import SelectChoice

from planner.domain.checklists import DEFAULT_TEMPLATE, available_templates
from planner.enums import OrganisationKind
from planner.web.forms.fields import (
    EuroField, date_field, empty_choice, enum_field, optional_int, required, short_text_field, strip,
    text_field, title_field,
)


class PlanDetailsForm(FlaskForm):
    title = title_field(_l("Title"))
    theme = short_text_field(_l("Theme"))
    owner_name = StringField(_l("Owner organisation"), validators=[required()], filters=[strip])
    owner_kind = enum_field(_l("Kind of organisation (when new)"), OrganisationKind,
                            default=OrganisationKind.MUNICIPALITY)
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

    def __init__(self, parent_choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = empty_choice(parent_choices)
        self.checklist_template.choices = [SelectChoice(t.id, t.name) for t in available_templates().values()]
        if not self.is_submitted() and not self.checklist_template.data:
            self.checklist_template.data = DEFAULT_TEMPLATE

    def validate_owner_name(self, field):
        if len(field.data or "") > 200:
            raise ValidationError(_l("Use at most %(max)d characters.", max=200))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date lies before the start date."))
