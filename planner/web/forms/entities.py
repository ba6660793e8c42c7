"""Forms for the rows of a plan: partners, audiences, messages, channels, calendar and more."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectMultipleField, StringField, TimeField
from wtforms.validators import NumberRange, Optional, Regexp, ValidationError

from planner.domain.plans import find_or_create_organisation, revise_message
from planner.enums import (
    ActivityStatus, AudienceCategory, ChannelKind, ChecklistStatus, DecisionKind, DecisionStatus, Intensity,
    Level, MomentKind, ObservationKind, Reach,
)
from planner.web.forms.fields import (
    EuroField, LanguageListField, PlanForm, date_field, empty_choice, enum_field, language_code_check,
    optional_ref_field, required, row_choices, scale_field, short_text_field, strip, text_field, title_field,
)


def _taken(rows, attr: str, value: str | None, current) -> bool:
    """Tell whether another row than `current` already uses `value` (case-insensitive)."""
    wanted = (value or "").lower()
    return any(row is not current and getattr(row, attr).lower() == wanted for row in rows)


def _check_period(start_field, end_field, message):
    if end_field.data and start_field.data and end_field.data < start_field.data:
        raise ValidationError(message)


class PartnerForm(PlanForm):
    organisation_name = title_field(_l("Organisation"))
    role = text_field(_l("Role in this plan"))
    model_fields = ("role",)

    def load(self, obj):
        self.organisation_name.data = obj.organisation.name

    def validate_organisation_name(self, field):
        if _taken(self.plan.partners, "name", field.data, self.obj):
            raise ValidationError(_l("This organisation is already a partner in this plan."))

    def save(self, session, obj):
        super().save(session, obj)
        obj.organisation = find_or_create_organisation(session, self.organisation_name.data)


class ContactForm(PlanForm):
    partner_id = optional_ref_field(_l("Partner"), validators=[required(_l("Choose a partner."))])
    name = title_field(_l("Name"))
    function = short_text_field(_l("Function"))
    email = short_text_field(_l("E-mail address"), max_length=254, validators=[
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an e-mail address such as naam@gemeente.nl."))])
    phone = short_text_field(_l("Phone"), max_length=40, validators=[
        Regexp(r"^[0-9+()\- ]{6,40}$", message=_l("Enter a phone number with digits, spaces, + or -."))])
    model_fields = ("partner_id", "name", "function", "email", "phone")

    def configure(self, plan):
        self.partner_id.choices = row_choices(plan.partners)


class AudienceForm(PlanForm):
    name = title_field(_l("Name"))
    category = enum_field(_l("Category"), AudienceCategory)
    description = text_field(_l("Description"))
    interest = scale_field(_l("Interest (1-5)"))
    influence = scale_field(_l("Influence (1-5)"))
    intensity = enum_field(_l("Intensity of approach"), Intensity)
    languages = LanguageListField(_l("Languages"), default=["nl"],
                                  description=_l("Language codes separated by commas, for example nl, en, ar, tr."))
    intermediary_ids = SelectMultipleField(_l("Partners that pass the message on"), coerce=int, choices=[])
    model_fields = ("name", "category", "description", "interest", "influence", "intensity", "languages")

    def configure(self, plan):
        self.intermediary_ids.choices = row_choices(plan.partners)

    def load(self, obj):
        self.intermediary_ids.data = [p.id for p in obj.intermediaries]

    def validate_name(self, field):
        if _taken(self.plan.audiences, "name", field.data, self.obj):
            raise ValidationError(_l("This plan already has an audience with this name."))

    def save(self, session, obj):
        super().save(session, obj)
        by_id = {p.id: p for p in self.plan.partners}
        obj.intermediaries = [by_id[i] for i in self.intermediary_ids.data]


class MessageForm(PlanForm):
    audience_id = optional_ref_field(_l("Audience"), validators=[required(_l("Choose an audience."))])
    title = title_field(_l("Title"))
    body = text_field(_l("Core message"), validators=[required()])

    def configure(self, plan):
        self.audience_id.choices = row_choices(plan.audiences)

    def save(self, session, obj):
        obj.audience_id = self.audience_id.data
        if obj.id is None:
            obj.title, obj.body = self.title.data, self.body.data
        else:
            revise_message(obj, self.title.data, self.body.data)


class TranslationForm(PlanForm):
    message_id = optional_ref_field(_l("Core message"), validators=[required(_l("Choose a core message."))])
    language = StringField(_l("Language code"), validators=[required(), language_code_check], filters=[strip],
                           description=_l("For example en, ar, tr or pl."))
    body = text_field(_l("Translation"), validators=[required()])
    model_fields = ("message_id", "language", "body")

    def configure(self, plan):
        self.message_id.choices = row_choices(plan.messages, "title")

    def validate_language(self, field):
        message = next((m for m in self.plan.messages if m.id == self.message_id.data), None)
        if message and _taken(message.translations, "language", field.data, self.obj):
            raise ValidationError(_l("This message already has a translation in this language."))

    def save(self, session, obj):
        super().save(session, obj)
        obj.language = obj.language.lower()


class ChannelForm(PlanForm):
    name = title_field(_l("Name"))
    kind = enum_field(_l("Kind"), ChannelKind)
    lead_time_days = IntegerField(_l("Production lead time (working days)"), default=0, validators=[
        required(_l("Enter a number of working days.")),
        NumberRange(0, 365, message=_l("Enter a number between 0 and 365."))])
    cost = EuroField(_l("Cost (euro)"))
    notes = text_field(_l("Notes"))
    model_fields = ("name", "kind", "lead_time_days", "cost", "notes")

    def validate_name(self, field):
        if _taken(self.plan.channels, "name", field.data, self.obj):
            raise ValidationError(_l("This plan already has a channel with this name."))


class ActivityForm(PlanForm):
    title = title_field(_l("Title"))
    starts_on = date_field(_l("Date"))
    ends_on = date_field(_l("Until (for a period)"), optional=True)
    start_time = TimeField(_l("Start time"), validators=[Optional()])
    end_time = TimeField(_l("End time"), validators=[Optional()])
    channel_id = optional_ref_field(_l("Channel"))
    audience_ids = SelectMultipleField(_l("Audiences"), coerce=int, choices=[])
    sender_id = optional_ref_field(_l("Sender (partner)"))
    message_id = optional_ref_field(_l("Core message"))
    reach = enum_field(_l("Internal or external"), Reach)
    level = enum_field(_l("Regional or local"), Level, default=Level.LOCAL)
    status = enum_field(_l("Status"), ActivityStatus)
    owner_name = short_text_field(_l("Owner"))
    description = text_field(_l("Description"))
    notes = text_field(_l("Internal notes"))
    model_fields = ("title", "starts_on", "ends_on", "start_time", "end_time", "channel_id", "sender_id",
                    "message_id", "reach", "level", "status", "owner_name", "description", "notes")

    def configure(self, plan):
        self.channel_id.choices = empty_choice(row_choices(plan.channels))
        self.audience_ids.choices = row_choices(plan.audiences)
        self.sender_id.choices = empty_choice(row_choices(plan.partners))
        self.message_id.choices = empty_choice(row_choices(plan.messages, "title"))

    def load(self, obj):
        self.audience_ids.data = [a.id for a in obj.audiences]

    def validate_ends_on(self, field):
        _check_period(self.starts_on, field, _l("The end date lies before the start date."))

    def validate_end_time(self, field):
        if field.data and not self.start_time.data:
            raise ValidationError(_l("Enter a start time as well."))
        same_day = not self.ends_on.data or self.ends_on.data == self.starts_on.data
        if field.data and self.start_time.data and same_day and field.data <= self.start_time.data:
            raise ValidationError(_l("The end time lies before the start time."))

    def save(self, session, obj):
        super().save(session, obj)
        by_id = {a.id: a for a in self.plan.audiences}
        obj.audiences = [by_id[i] for i in self.audience_ids.data]


class MomentForm(PlanForm):
    name = title_field(_l("Name"))
    kind = enum_field(_l("Kind"), MomentKind)
    starts_on = date_field(_l("Date"))
    ends_on = date_field(_l("Until (for a period)"), optional=True)
    description = text_field(_l("Description"))
    model_fields = ("name", "kind", "starts_on", "ends_on", "description")

    def validate_ends_on(self, field):
        _check_period(self.starts_on, field, _l("The end date lies before the start date."))


class EmbargoForm(PlanForm):
    audience_id = optional_ref_field(_l("Audience"), validators=[required(_l("Choose an audience."))])
    not_before = date_field(_l("Not before"), optional=True)
    not_after = date_field(_l("Not after"), optional=True)
    reason = text_field(_l("Reason"))
    model_fields = ("audience_id", "not_before", "not_after", "reason")

    def configure(self, plan):
        self.audience_id.choices = row_choices(plan.audiences)

    def validate_not_after(self, field):
        if not field.data and not self.not_before.data:
            raise ValidationError(_l("Enter a 'not before' date, a 'not after' date, or both."))
        _check_period(self.not_before, field, _l("This date lies before the 'not before' date."))


class DecisionForm(PlanForm):
    title = title_field(_l("Title"))
    kind = enum_field(_l("Kind"), DecisionKind)
    decided_on = date_field(_l("Date"))
    participants = short_text_field(_l("With whom"), max_length=500)
    status = enum_field(_l("Status"), DecisionStatus)
    outcome = text_field(_l("Outcome"))
    model_fields = ("title", "kind", "decided_on", "participants", "status", "outcome")


class ObservationForm(PlanForm):
    observed_on = date_field(_l("Date"))
    kind = enum_field(_l("Kind"), ObservationKind)
    activity_id = optional_ref_field(_l("Activity"))
    text = text_field(_l("What came back"), validators=[required()])
    count = IntegerField(_l("Number (reach, reactions)"), validators=[
        Optional(), NumberRange(0, 10_000_000, message=_l("Enter a number of at least 0."))])
    model_fields = ("observed_on", "kind", "activity_id", "text", "count")

    def configure(self, plan):
        self.activity_id.choices = empty_choice(row_choices(plan.activities, "title"))


class ChecklistItemForm(PlanForm):
    phase_id = optional_ref_field(_l("Phase"), validators=[required(_l("Choose a phase."))])
    title = title_field(_l("Activity"), max_length=500)
    status = enum_field(_l("Status"), ChecklistStatus)
    owner_name = short_text_field(_l("Owner"))
    due_on = date_field(_l("Due date"), optional=True)
    note = text_field(_l("Note"))
    model_fields = ("phase_id", "title", "status", "owner_name", "due_on", "note")

    def configure(self, plan):
        self.phase_id.choices = row_choices(plan.phases)

    def validate_status(self, field):
        # On the status field: the optional note stops its own validation chain when empty.
        if field.data == ChecklistStatus.NOT_APPLICABLE and not self.note.data:
            raise ValidationError(_l("Explain why this activity does not apply."))

    def save(self, session, obj):
        if obj.id is None or obj.phase_id != self.phase_id.data:
            phase = next(p for p in self.plan.phases if p.id == self.phase_id.data)
            obj.position = len(phase.items)
        super().save(session, obj)


__all__ = [
    "ActivityForm", "AudienceForm", "ChannelForm", "ChecklistItemForm", "ContactForm", "DecisionForm",
    "EmbargoForm", "MessageForm", "MomentForm", "ObservationForm", "PartnerForm", "TranslationForm",
]
