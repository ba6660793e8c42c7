"""Forms for phase gates, next year's copy and local plans."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import NumberRange, ValidationError

from planner.enums import PhaseKey, PlanStatus
from planner.web.forms.fields import enum_field, required, strip, text_field, title_field


class GateForm(FlaskForm):
    status = enum_field(_l("New status"), PlanStatus)
    phase = enum_field(_l("New phase"), PhaseKey)
    by = title_field(_l("Decided by"), description=_l("For example: college van B en W, portefeuillehouder."))
    note = text_field(_l("Note"))
    confirm = BooleanField(_l("Record this step anyway"))

    def __init__(self, plan=None, decided_by: str = "", *args, **kwargs):
        """`decided_by`: who is filled in beforehand (the logged-in user, who records an alignment step)."""
        super().__init__(*args, **kwargs)
        self.plan = plan
        if plan is not None and not self.is_submitted():
            self.status.data, self.phase.data = plan.status, plan.phase
            self.by.data = decided_by

    def validate_phase(self, field):
        if self.plan is not None and field.data == self.plan.phase and self.status.data == self.plan.status:
            raise ValidationError(_l("Choose another status or phase than the current one."))


class CopyForm(FlaskForm):
    year = IntegerField(_l("Year of the new plan"), validators=[
        required(_l("Enter a year.")), NumberRange(2000, 2100, message=_l("Enter a year between 2000 and 2100."))])


class LocalPlanForm(FlaskForm):
    municipality = StringField(_l("Municipality"), validators=[required()], filters=[strip])
    title = title_field(_l("Title of the local plan"))

    def validate_municipality(self, field):
        if len(field.data or "") > 200:
            raise ValidationError(_l("Use at most %(max)d characters.", max=200))


__all__ = ["CopyForm", "GateForm", "LocalPlanForm"]
