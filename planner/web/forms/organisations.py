"""The house style of an organisation: colour, font and logo for generated documents."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Regexp, ValidationError
from wtforms import SelectChoice

from planner.domain.logos import MAX_LOGO_BYTES, MAX_LOGO_PIXELS, LogoError, check_logo
from planner.web.forms.fields import required, strip
FONTS = ("Calibri", "Arial", "Verdana", "Georgia", "Liberation Sans", "Open Sans", "Rijksoverheid Sans")


class HouseStyleForm(FlaskForm):
    primary_colour = StringField(_l("Primary colour"), validators=[required(), Regexp(
        r"^#[0-9a-fA-F]{6}$", message=_l("Enter a colour as #RRGGBB, for example #154273."))], filters=[strip])
    font = SelectField(_l("Font"), choices=[SelectChoice(f) for f in FONTS])
    logo = FileField(_l("Logo (PNG or JPEG, at most 1 MB)"))
    remove_logo = BooleanField(_l("Remove the logo"))

    def validate_logo(self, field):
        self.logo_bytes = None
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            return
        data = upload.read(MAX_LOGO_BYTES + 1)
        try:
            check_logo(data)
        except LogoError as exc:
            raise ValidationError({
                "size": _l("The logo is larger than 1 MB."),
                "pixels": _l("The logo may be at most %(n)d pixels wide and high.", n=MAX_LOGO_PIXELS),
            }.get(exc.reason, _l("The logo must be a PNG or JPEG image (SVG is not accepted)."))) from None
        self.logo_bytes = data
