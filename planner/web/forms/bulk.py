"""The bar above the agenda and the checklist that changes the chosen rows at once."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectMultipleField, StringField
from wtforms.validators import NumberRange, Optional, ValidationError

from planner.domain.bulk import BulkAction
from planner.enums import ActivityStatus, ChecklistStatus, OffsetUnit
from planner.web.forms.fields import PlanForm, date_field, enum_field, optional_ref_field, row_choices, strip

MAX_SHIFT = 365


class RowChoice(SelectMultipleField):
    """The chosen rows as "id:version" pairs: a row that changed since the page was shown is not changed blindly."""

    def pre_validate(self, form):
        pass

    def process_formdata(self, valuelist):
        pairs = {}
        for value in valuelist:
            row_id, _, version = value.partition(":")
            if not (row_id.isdigit() and version.isdigit()):
                raise ValueError(_l("The choice of rows is not valid; reload the page."))
            pairs[int(row_id)] = int(version)
        self.data = pairs


class BulkForm(PlanForm):
    copy_to = None  # copying to another day is offered for activities
    rows = RowChoice()
    owner_name = StringField(_l("Owner"), filters=[strip])
    shift_by = IntegerField(_l("Move by"), validators=[Optional(), NumberRange(-MAX_SHIFT, MAX_SHIFT, message=_l(
        "Move by at most 365 days, forwards or back (with a minus sign)."))])
    shift_unit = enum_field(_l("Unit"), OffsetUnit, default=OffsetUnit.WORKING_DAYS)
    back = HiddenField()
    actions: tuple[BulkAction, ...] = ()

    @property
    def action(self) -> BulkAction | None:
        """The pressed button's action (each button posts its own)."""
        from flask import request

        value = request.form.get("action", "")
        return BulkAction(value) if value in {a.value for a in self.actions} else None

    def validate_rows(self, field):
        if not field.data:
            raise ValidationError(_l("Choose one or more rows first."))

    def validate_owner_name(self, field):
        if self.action == BulkAction.OWNER and len(field.data or "") > 200:
            raise ValidationError(_l("Use at most 200 characters."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.action is None:
            self.form_errors.append(_l("Choose what to do with the chosen rows."))
            return False
        if self.action == BulkAction.SHIFT and not self.shift_by.errors and not self.shift_by.data:
            self.shift_by.errors = [_l("Enter by how many days to move the chosen rows, for example 2 or -3.")]
            return False
        if self.action == BulkAction.COPY and not self.copy_to.errors and not self.copy_to.data:
            self.copy_to.errors = [_l("Enter the day on which the first copy falls.")]
            return False
        return valid


class ActivityBulkForm(BulkForm):
    status = enum_field(_l("Status"), ActivityStatus)
    channel_id = optional_ref_field(_l("Channel"))
    sender_id = optional_ref_field(_l("Sender"))
    copy_to = date_field(_l("Copy to"), optional=True, description=_l(
        "The first chosen activity is copied to this day; the others keep their distance to it."))
    actions = (BulkAction.STATUS, BulkAction.OWNER, BulkAction.CHANNEL, BulkAction.SENDER, BulkAction.SHIFT,
               BulkAction.COPY, BulkAction.DELETE)

    def configure(self, plan):
        self.channel_id.choices = [("", _l("(no channel)"))] + row_choices(plan.channels)
        self.sender_id.choices = [("", plan.owner.name)] + row_choices(plan.partners)


class ChecklistBulkForm(BulkForm):
    status = enum_field(_l("Status"), ChecklistStatus)
    actions = (BulkAction.STATUS, BulkAction.OWNER, BulkAction.SHIFT, BulkAction.DELETE)
