"""Forms for the rows of a plan: partners, audiences, messages, channels, calendar and more."""

from __future__ import annotations

import datetime as dt

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import object_session
from wtforms import (
    BooleanField, HiddenField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField, TimeField,
)
from wtforms.validators import NumberRange, Optional, Regexp, ValidationError

from planner import clock
from planner.domain import observances
from planner.domain.anchoring import anchor_date, apply_anchor, apply_due_anchor, move_moment
from planner.domain.dates import in_window
from planner.domain.observance_moments import dates_in_plan
from planner.domain.plans import find_or_create_organisation, revise_message
from planner.domain.localtime import ClockChange, clock_change
from planner.domain.recurrence import MAX_EXDATES, RecurrenceError, build_rule, occurrence_dates, parse_rule
from planner.domain.school_holidays import all_holidays
from planner.enums import (
    N_, ActivityStatus, AudienceCategory, ChannelKind, ChecklistStatus, DecisionKind, DecisionStatus, Intensity,
    Level, MomentEdge, MomentKind, ObservationKind, OffsetUnit, Reach,
)
from planner.web.dates import window_bounds
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
    in_education = BooleanField(_l("Reached through education (warn about school holidays)"))
    model_fields = ("name", "category", "description", "interest", "influence", "intensity", "languages",
                    "in_education")

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


FREQUENCIES = [("", N_("Does not repeat")), ("DAILY", N_("Daily")), ("WEEKLY", N_("Weekly")),
               ("MONTHLY", N_("Monthly")), ("YEARLY", N_("Yearly"))]
FREQUENCY_NAMES = {0: "YEARLY", 1: "MONTHLY", 2: "WEEKLY", 3: "DAILY"}


def _parse_dates(text: str) -> list[dt.date]:
    parts = [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]
    if len(parts) > MAX_EXDATES:
        raise ValidationError(_l("List at most %(n)d dates to skip.", n=MAX_EXDATES))
    dates = []
    for part in parts:
        try:
            day = dt.date.fromisoformat(part)
        except ValueError:
            try:
                day = dt.datetime.strptime(part, "%d-%m-%Y").date()
            except ValueError:
                raise ValidationError(_l("'%(value)s' is not a date such as 2027-01-18.", value=part)) from None
        if not in_window(day):
            raise ValidationError(_("'%(value)s' is not a date from %(first)s to %(last)s.", value=part,
                                    **window_bounds()))
        dates.append(day)
    return sorted(set(dates))


class ActivityForm(PlanForm):
    title = title_field(_l("Title"))
    starts_on = date_field(_l("Date"), optional=True)
    ends_on = date_field(_l("Until (for a period)"), optional=True)
    start_time = TimeField(_l("Start time"), validators=[Optional()])
    end_time = TimeField(_l("End time"), validators=[Optional()])
    anchor_moment_id = optional_ref_field(_l("Anchor to moment"), description=_l(
        "The date then follows the moment: when the moment moves, this activity moves with it."))
    anchor_offset = IntegerField(_l("Offset"), default=0, validators=[
        Optional(), NumberRange(-365, 365, message=_l("Enter a number between -365 and 365."))],
        description=_l("Negative is before the moment, for example -5."))
    anchor_unit = enum_field(_l("Counted in"), OffsetUnit)
    anchor_edge = enum_field(_l("From the"), MomentEdge)
    frequency = SelectField(_l("Repeats"), choices=[SelectChoice(v, _l(label)) for v, label in FREQUENCIES],
                            default="")
    interval = IntegerField(_l("Every how many"), default=1, validators=[
        Optional(), NumberRange(1, 52, message=_l("Enter a number between 1 and 52."))])
    repeat_until = date_field(_l("Repeat until"), optional=True)
    repeat_count = IntegerField(_l("Or number of times"), description=_l(
        "The skipped dates count too: 10 times with 2 skipped dates gives 8 activities."), validators=[
        Optional(), NumberRange(1, 400, message=_l("Enter a number between 1 and 400."))])
    exdates = StringField(_l("Skip these dates"), filters=[strip], description=_l(
        "Dates separated by commas, for example 2027-02-15, 2027-02-22."))
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
                    "message_id", "reach", "level", "status", "owner_name", "description", "notes",
                    "anchor_moment_id", "anchor_unit", "anchor_edge")
    # The form shows the essentials first; the rest sits in sections that open when they hold a value or an error.
    sections = (
        (None, ("title", "starts_on", "ends_on", "channel_id", "audience_ids", "message_id", "sender_id",
                "owner_name", "status")),
        (_l("Time of day"), ("start_time", "end_time")),
        (_l("Anchor to a moment"), ("anchor_moment_id", "anchor_offset", "anchor_unit", "anchor_edge")),
        (_l("Repetition"), ("frequency", "interval", "repeat_until", "repeat_count", "exdates")),
        (_l("Reach, description and internal notes"), ("reach", "level", "description", "notes")),
    )
    # a section is open when one of its fields differs from these (the values of an untouched form)
    untouched = {"anchor_offset": (0, None), "interval": (1, None), "anchor_unit": (OffsetUnit.DAYS,),
                 "anchor_edge": (MomentEdge.START,), "reach": (Reach.EXTERNAL,), "level": (Level.LOCAL,)}

    def section_open(self, names) -> bool:
        return any(self[name].errors or self[name].data not in self.untouched.get(name, (None, "", [], False))
                   for name in names)

    def validate_message_id(self, field):
        """The core message must be meant for one of the chosen audiences (the page filters the list)."""
        message = next((m for m in self.plan.messages if m.id == field.data), None)
        chosen = set(self.audience_ids.data or ())
        if message is not None and chosen and message.audience_id not in chosen:
            raise ValidationError(_l("This core message is for %(audience)s: choose it as an audience as well, "
                                     "or another message.", audience=message.audience.name))

    def configure(self, plan):
        self.channel_id.choices = empty_choice(row_choices(plan.channels))
        self.audience_ids.choices = row_choices(plan.audiences)
        self.sender_id.choices = empty_choice(row_choices(plan.partners))
        self.message_id.choices = empty_choice(row_choices(plan.messages, "title"))
        self.anchor_moment_id.choices = empty_choice(row_choices(plan.moments))

    def load(self, obj):
        self.audience_ids.data = [a.id for a in obj.audiences]
        self.exdates.data = ", ".join(obj.exdates or [])
        if obj.recurrence:
            rule = parse_rule(obj.recurrence, obj.starts_on)
            self.frequency.data = FREQUENCY_NAMES.get(rule._freq, "")
            self.interval.data = rule._interval
            self.repeat_until.data = rule._until.date() if rule._until else None
            self.repeat_count.data = rule._count

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Optional() ends the chain of an empty field, so cross-field rules live here.
        if not self.starts_on.data and not self.anchor_moment_id.data and not self.starts_on.errors:
            self.starts_on.errors.append(_l("Enter a date, or anchor the activity to a moment."))
            valid = False
        valid = self._period_from_anchor() and valid
        return self._check_clock_changes() and valid

    def _period_from_anchor(self) -> bool:
        """An anchored period typed with only its last day runs from the date the moment gives to that day."""
        if (not self.anchor_moment_id.data or self.anchor_moment_id.errors or self.anchor_offset.errors
                or self.starts_on.data or not self.ends_on.data or self.ends_on.errors):
            return True
        moment = next(m for m in self.plan.moments if m.id == self.anchor_moment_id.data)
        start = anchor_date(moment, self.anchor_offset.data or 0, self.anchor_unit.data, self.anchor_edge.data)
        if self.ends_on.data < start:
            self.ends_on.errors.append(_l("This day lies before %(date)s, the date that follows from the moment.",
                                          date=format_date(start, "EEE d MMM y")))
            return False
        self.starts_on.data = start  # the period keeps its length when the moment moves
        return True

    def _check_clock_changes(self) -> bool:
        """Refuse a time that is skipped or lived twice in Dutch time on one of the activity's days."""
        start = self.starts_on.data
        if start is None or self.start_time.errors or self.end_time.errors:
            return True
        try:
            days = occurrence_dates(start, getattr(self, "rule", ""), getattr(self, "parsed_exdates", ()), dt.date.max)
        except RecurrenceError:
            days = [start]
        span = (self.ends_on.data - start) if self.ends_on.data and self.ends_on.data >= start else dt.timedelta()
        for field, offset in ((self.start_time, dt.timedelta()), (self.end_time, span)):
            if field.data is None:
                continue
            change = next((c for c in (clock_change(day + offset, field.data) for day in days) if c), None)
            if change is ClockChange.MISSING:
                field.errors.append(_l("This time does not exist on that day because of the change to summer time."))
                return False
            if change is ClockChange.REPEATED:
                field.errors.append(_l("This time happens twice on that day because of the change to winter time."))
                return False
        return True

    def validate_ends_on(self, field):
        _check_period(self.starts_on, field, _l("The end date lies before the start date."))

    def validate_end_time(self, field):
        if field.data and not self.start_time.data:
            raise ValidationError(_l("Enter a start time as well."))
        same_day = not self.ends_on.data or self.ends_on.data == self.starts_on.data
        if field.data and self.start_time.data and same_day and field.data <= self.start_time.data:
            raise ValidationError(_l("The end time lies before the start time."))

    def validate_exdates(self, field):
        self.parsed_exdates = _parse_dates(field.data)

    def validate_frequency(self, field):
        self.rule = ""
        if field.data:
            self.rule = build_rule(field.data, self.interval.data or 1, self.repeat_until.data, self.repeat_count.data)
            try:
                parse_rule(self.rule, self.starts_on.data or clock.today())
            except RecurrenceError:
                raise ValidationError(_l("This repetition is not possible.")) from None

    def save(self, session, obj):
        length = (self.ends_on.data - self.starts_on.data) if self.ends_on.data and self.starts_on.data else None
        super().save(session, obj)
        obj.anchor_offset = self.anchor_offset.data or 0
        obj.recurrence, obj.exdates = self.rule, [d.isoformat() for d in self.parsed_exdates]
        by_id = {a.id: a for a in self.plan.audiences}
        obj.audiences = [by_id[i] for i in self.audience_ids.data]
        if obj.anchor_moment_id is not None:
            obj.anchor_moment = next(m for m in self.plan.moments if m.id == obj.anchor_moment_id)
            obj.starts_on = obj.starts_on or obj.anchor_moment.starts_on
            obj.ends_on = obj.starts_on + length if length is not None else None
            apply_anchor(obj)


class QuickAddForm(PlanForm):
    """An activity in one line: title, day, channel and audience; the rest keeps its defaults (planned, external,
    local) until the full form changes it."""
    title = title_field(_l("Title"))
    starts_on = date_field(_l("Date"))
    channel_id = optional_ref_field(_l("Channel"))
    audience_id = optional_ref_field(_l("Audience"))
    back = HiddenField()
    model_fields = ("title", "starts_on", "channel_id")

    def configure(self, plan):
        self.channel_id.choices = empty_choice(row_choices(plan.channels))
        self.audience_id.choices = empty_choice(row_choices(plan.audiences))

    def save(self, session, obj):
        super().save(session, obj)
        obj.audiences = [a for a in self.plan.audiences if a.id == self.audience_id.data]


class MomentForm(PlanForm):
    name = title_field(_l("Name"))
    kind = enum_field(_l("Kind"), MomentKind)
    observance_key = SelectField(_l("Follows observance"), choices=[], description=_l(
        "Leave the dates empty to take them from the observance; next year's plan follows it too."))
    starts_on = date_field(_l("Date"), optional=True)
    ends_on = date_field(_l("Until (for a period)"), optional=True)
    description = text_field(_l("Description"))
    model_fields = ("name", "kind", "description", "observance_key")

    def configure(self, plan):
        # The catalogue as the organisation has it: shipped entries, administrators' edits and its own additions.
        session = object_session(plan)
        self.definitions = {d.key: d for d in observances.catalogue(session, plan.owner)}
        self.holidays = all_holidays(session)
        self.observance_key.choices = empty_choice(SelectChoice(k, d.name) for k, d in self.definitions.items())

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and not self.starts_on.data:
            try:
                self._dates_from_observance(self.starts_on)
            except ValidationError as exc:
                self.starts_on.errors.append(exc.args[0])
                valid = False
        return valid

    def _dates_from_observance(self, field):
        definition = self.definitions.get(self.observance_key.data)
        if definition is None:
            raise ValidationError(_l("Enter a date, or choose an observance."))
        dates = dates_in_plan(self.plan, definition, self.holidays, within=False)  # the user chose it
        if dates is None:
            raise ValidationError(_l("The observance has no dates in this plan's period; enter a date."))
        field.data = dates[0]
        self.ends_on.data = self.ends_on.data or dates[1]

    def validate_ends_on(self, field):
        _check_period(self.starts_on, field, _l("The end date lies before the start date."))

    def save(self, session, obj):
        super().save(session, obj)
        move_moment(obj, self.starts_on.data, self.ends_on.data, [i for p in self.plan.phases for i in p.items])


class EmbargoForm(PlanForm):
    audience_id = optional_ref_field(_l("Audience"), validators=[required(_l("Choose an audience."))])
    not_before = date_field(_l("Not before"), optional=True)
    not_before_moment_id = optional_ref_field(_l("Or not before the start of moment"))
    not_after = date_field(_l("Not after"), optional=True)
    not_after_moment_id = optional_ref_field(_l("Or not after the end of moment"))
    reason = text_field(_l("Reason"))
    model_fields = ("audience_id", "not_before", "not_after", "not_before_moment_id", "not_after_moment_id", "reason")

    def configure(self, plan):
        self.audience_id.choices = row_choices(plan.audiences)
        moments = empty_choice(row_choices(plan.moments))
        self.not_before_moment_id.choices = moments
        self.not_after_moment_id.choices = list(moments)

    def validate_audience_id(self, field):
        bounds = (self.not_before.data, self.not_after.data, self.not_before_moment_id.data,
                  self.not_after_moment_id.data)
        if not any(bound is not None for bound in bounds):
            raise ValidationError(_l("Enter a 'not before' date, a 'not after' date, or both."))

    def validate_not_after(self, field):
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
    due_moment_id = optional_ref_field(_l("Or due relative to moment"))
    due_offset = IntegerField(_l("Days from the start of that moment"), default=0, validators=[
        Optional(), NumberRange(-365, 365, message=_l("Enter a number between -365 and 365."))])
    due_unit = enum_field(_l("Counted in"), OffsetUnit)
    note = text_field(_l("Note"))
    model_fields = ("phase_id", "title", "status", "owner_name", "due_on", "note", "due_moment_id", "due_unit")

    def configure(self, plan):
        self.phase_id.choices = row_choices(plan.phases)
        self.due_moment_id.choices = empty_choice(row_choices(plan.moments))

    def validate_status(self, field):
        # On the status field: the optional note stops its own validation chain when empty.
        if field.data == ChecklistStatus.NOT_APPLICABLE and not self.note.data:
            raise ValidationError(_l("Explain why this activity does not apply."))

    def save(self, session, obj):
        if obj.id is None or obj.phase_id != self.phase_id.data:
            phase = next(p for p in self.plan.phases if p.id == self.phase_id.data)
            obj.position = max((i.position for i in phase.items), default=-1) + 1
        super().save(session, obj)
        obj.due_offset = self.due_offset.data or 0
        obj.due_moment = next((m for m in self.plan.moments if m.id == obj.due_moment_id), None)
        apply_due_anchor(obj)


__all__ = [
    "ActivityForm", "AudienceForm", "ChannelForm", "ChecklistItemForm", "ContactForm", "DecisionForm",
    "EmbargoForm", "MessageForm", "MomentForm", "ObservationForm", "PartnerForm", "TranslationForm",
]
