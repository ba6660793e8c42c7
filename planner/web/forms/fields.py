"""Field helpers shared by all forms."""

from __future__ import annotations

from decimal import Decimal

from babel.core import Locale, UnknownLocaleError

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, StopValidation, ValidationError

from planner.exporters.blocks import xml_safe
from planner.web.dates import date_in_window

TITLE_MAX = 200
TEXT_MAX = 20_000


def strip(value):
    """Trim text and drop control characters (PostgreSQL refuses NUL; documents refuse the rest)."""
    if not isinstance(value, str):
        return value
    return xml_safe(value).strip()


def optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class Required(InputRequired):
    """Input is required, and blanks or control characters alone are no input.

    InputRequired only looks at the raw input, which a title of spaces or NUL passes; this also
    looks at the data as the filters left it (and strips it itself, for fields without `strip`).
    """

    def __call__(self, form, field):
        super().__call__(form, field)
        if isinstance(field.data, str) and not strip(field.data):
            field.errors[:] = []
            raise StopValidation(self.message)


def required(message=None):
    return Required(message=message or _l("This field is required."))


def title_field(label, max_length: int = TITLE_MAX, **kwargs) -> StringField:
    return StringField(label, validators=[
        required(),
        Length(max=max_length, message=_l("Use at most %(max)d characters.", max=max_length)),
    ], filters=[strip], **kwargs)


def text_field(label, max_length: int = TEXT_MAX, validators=None, **kwargs) -> TextAreaField:
    """A long text; optional unless `validators` say otherwise (pass [required()])."""
    return TextAreaField(label, validators=[
        *(validators or [Optional()]),
        Length(max=max_length, message=_l("Use at most %(max)d characters.", max=max_length)),
    ], filters=[strip], default="", **kwargs)


def short_text_field(label, max_length: int = TITLE_MAX, validators=(), **kwargs) -> StringField:
    return StringField(label, validators=[
        Optional(), Length(max=max_length, message=_l("Use at most %(max)d characters.", max=max_length)),
        *validators,
    ], filters=[strip], default="", **kwargs)


def date_field(label, optional: bool = False, **kwargs) -> DateField:
    """A date inside the planner's window (planner.domain.dates); every date field of a form is one."""
    first = Optional() if optional else required(_l("Enter a date."))
    return DateField(label, validators=[first, date_in_window], **kwargs)


def enum_field(label, enum_cls, **kwargs) -> SelectField:
    choices = [SelectChoice(member.value, _l(member.label)) for member in enum_cls]
    kwargs.setdefault("default", next(iter(enum_cls)))
    return SelectField(label, choices=choices, coerce=enum_cls, **kwargs)


def optional_ref_field(label, **kwargs) -> SelectField:
    """A select of rows of the plan; the choices are filled in per request."""
    return SelectField(label, coerce=optional_int, choices=[], validate_choice=True, **kwargs)


def row_choices(rows, attribute: str = "name") -> list[SelectChoice]:
    """Offer rows of the plan by id, labelled by `attribute`."""
    return [SelectChoice(row.id, getattr(row, attribute)) for row in rows]


def empty_choice(choices) -> list[SelectChoice]:
    return [SelectChoice("", _l("(none)"))] + list(choices)


class EuroField(StringField):
    """An amount in euros, accepting Dutch notation ('1.250,50') and plain decimals."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip().replace("€", "").strip()
        if not raw:
            return
        try:
            amount = parse_decimal(raw, locale="nl", strict=True)
        except NumberFormatError:
            try:
                amount = Decimal(raw)
            except ArithmeticError:
                raise ValueError(_l("Enter an amount such as 1.250,00.")) from None
        if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
            raise ValueError(_l("Enter an amount between 0 and 9.999.999.999."))
        self.data = amount.quantize(Decimal("0.01"))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:.2f}".replace(".", ",")


class LanguageListField(StringField):
    """A comma-separated list of language codes such as 'nl, en, ar'."""

    def process_formdata(self, valuelist):
        raw = valuelist[0] if valuelist else ""
        codes = [part.strip().lower() for part in raw.replace(";", ",").split(",") if part.strip()]
        for code in codes:
            try:
                Locale.parse(code)
            except (UnknownLocaleError, ValueError):
                raise ValueError(_l("'%(code)s' is not a language code such as nl, en or ar.", code=code)) from None
        if len(codes) > 30:
            raise ValueError(_l("List at most 30 languages."))
        self.data = list(dict.fromkeys(codes))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return ", ".join(self.data or [])


def language_code_check(form, field):
    try:
        Locale.parse(field.data)
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValidationError(_l("'%(code)s' is not a language code such as nl, en or ar.", code=field.data))


def scale_field(label) -> SelectField:
    choices = [SelectChoice("", _l("(not set)"))] + [SelectChoice(str(i)) for i in range(1, 6)]
    return SelectField(label, choices=choices, coerce=optional_int, validators=[Optional(), NumberRange(1, 5)])


class PlanForm(FlaskForm):
    """A form about one plan: it fills its choices from the plan and saves into a model object."""

    model_fields: tuple[str, ...] = ()

    def __init__(self, plan, obj=None, **kwargs):
        self.plan, self.obj = plan, obj
        super().__init__(obj=obj, **kwargs)
        self.configure(plan)
        if obj is not None and not self.is_submitted():
            self.load(obj)

    def configure(self, plan) -> None:
        """Fill the choices that depend on the plan."""

    def load(self, obj) -> None:
        """Fill fields that WTForms cannot read from `obj` by name."""

    def save(self, session, obj) -> None:
        """Copy validated data into `obj`; subclasses add relations."""
        for name in self.model_fields:
            setattr(obj, name, self[name].data)
