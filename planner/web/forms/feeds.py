"""Forms for feed subscriptions and .ics imports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import Length, ValidationError

from planner.enums import ActivityStatus, FeedScope
from planner.web.forms.fields import (
    PlanForm, empty_choice, enum_field, optional_ref_field, required, row_choices, strip,
)
from wtforms import SelectChoice


def label_field() -> StringField:
    return StringField(_l("Label"), validators=[required(), Length(max=120, message=_l(
        "Use at most %(max)d characters.", max=120))], filters=[strip],
        description=_l("For whom and where, for example “Veilig Thuis – Outlook”."))


class SubscriptionForm(PlanForm):
    label = label_field()
    scope = enum_field(_l("Feed"), FeedScope)
    partner_id = optional_ref_field(_l("Partner"))
    audience_id = optional_ref_field(_l("Audience"))
    person = StringField(_l("Person (owner as written on activities and checklist items)"), filters=[strip],
                         validators=[Length(max=200)])
    only_audience_id = optional_ref_field(_l("Filter: audience"))
    only_partner_id = optional_ref_field(_l("Filter: sender"))
    only_channel_id = optional_ref_field(_l("Filter: channel"))
    only_status = SelectField(_l("Filter: status"), default="", choices=[])

    def configure(self, plan):
        self.partner_id.choices = empty_choice(row_choices(plan.partners))
        self.audience_id.choices = empty_choice(row_choices(plan.audiences))
        self.only_audience_id.choices = list(self.audience_id.choices)
        self.only_partner_id.choices = list(self.partner_id.choices)
        self.only_channel_id.choices = empty_choice(row_choices(plan.channels))
        self.only_status.choices = empty_choice(SelectChoice(s.value, _l(s.label)) for s in ActivityStatus)

    def validate_scope(self, field):
        needed = {FeedScope.PARTNER: (self.partner_id, _l("Choose the partner for this feed.")),
                  FeedScope.AUDIENCE: (self.audience_id, _l("Choose the audience for this feed.")),
                  FeedScope.PERSON: (self.person, _l("Enter the person for this feed."))}
        if field.data in needed and not needed[field.data][0].data:
            raise ValidationError(needed[field.data][1])


class IcsImportForm(FlaskForm):
    file = FileField(_l("Calendar file (.ics)"), validators=[FileRequired(_l("Choose a file."))])


class RegionFeedForm(FlaskForm):
    """A feed link of a region's calendar, with the filters the page shows (carried along as hidden fields)."""

    label = label_field()
    municipality = HiddenField(filters=[strip])
    audience = HiddenField(filters=[strip], validators=[Length(max=200)])
    channel = HiddenField(filters=[strip], validators=[Length(max=200)])
