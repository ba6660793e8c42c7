"""The forms of user management: a new user (invited by e-mail), and another role or organisation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Regexp

from planner.enums import Role
from planner.web.forms.fields import enum_field, required, short_text_field, strip


class UserEditForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int, choices=[],
                                  validators=[required(_l("Choose an organisation."))])
    role = enum_field(_l("Role"), Role, default=Role.ADVISOR, description=_l(
        "Administrators manage users and the instance; advisors make and change their organisation's plans; "
        "coordinators follow the plans of their region and sign off phases; readers only read."))

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [(o.id, o.name) for o in organisations]


class UserCreateForm(UserEditForm):
    email = StringField(_l("E-mail address"), filters=[strip], validators=[
        required(_l("Enter an e-mail address.")), Length(max=254, message=_l("Use at most 254 characters.")),
        # the mail server decides whether the address exists; this only catches what cannot be an address
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an e-mail address such as naam@gemeente.nl."))])
    name = short_text_field(_l("Name"))
