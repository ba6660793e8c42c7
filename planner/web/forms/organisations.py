"""The house style of an organisation: colour, font and logo for generated documents."""

from __future__ import annotations

import io

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from PIL import Image, UnidentifiedImageError
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Regexp, ValidationError
from wtforms import SelectChoice

from planner.web.forms.fields import required, strip

MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_PIXELS = 4000
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
        if len(data) > MAX_LOGO_BYTES:
            raise ValidationError(_l("The logo is larger than 1 MB."))
        try:
            with Image.open(io.BytesIO(data)) as picture:
                picture.verify()
                kind, size = picture.format, picture.size
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            raise ValidationError(_l("The logo must be a PNG or JPEG image (SVG is not accepted).")) from None
        if kind not in ("PNG", "JPEG"):
            raise ValidationError(_l("The logo must be a PNG or JPEG image (SVG is not accepted)."))
        if max(size) > MAX_LOGO_PIXELS:
            raise ValidationError(_l("The logo may be at most %(n)d pixels wide and high.", n=MAX_LOGO_PIXELS))
        self.logo_bytes = data
