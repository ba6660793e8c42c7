"""The form for a new API key."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from planner.domain.api_keys import GRANTABLE, MAX_VALID_DAYS
from planner.enums import ApiScope, Role
from planner.web.forms.fields import enum_field, title_field


class ApiKeyForm(FlaskForm):
    name = title_field(_l("Name"), max_length=120,
                       description=_l("Which program uses it, for example “Website – agenda” or “Power BI regio”."))
    role = SelectField(_l("Acts as"), coerce=Role, choices=[], description=_l(
        "The key sees and may change exactly what a person of your organisation in this role may."))
    scope = enum_field(_l("Scope"), ApiScope)
    valid_days = IntegerField(_l("Valid for (days)"), default=365, validators=[
        InputRequired(_l("Enter a number of days.")),
        NumberRange(1, MAX_VALID_DAYS, message=_l("Enter a number between 1 and %(max)d.", max=MAX_VALID_DAYS))])

    def __init__(self, creator_role: Role, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(role, _l(role.label)) for role in GRANTABLE.get(creator_role, ())]

    def validate_scope(self, field):
        if field.data == ApiScope.READ_WRITE and self.role.data != Role.ADVISOR:
            raise ValidationError(_l("Only a key that acts as advisor can write."))
