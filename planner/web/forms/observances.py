"""Forms for the observance catalogue and the school-holiday import."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Optional, Regexp, ValidationError

from planner.domain.dates import in_window
from planner.domain.observances import RULE_KINDS
from planner.enums import N_, SchoolRegion
from planner.web.dates import window_bounds
from planner.web.forms.fields import empty_choice, optional_int, required, strip, title_field
from wtforms import SelectChoice

MONTH_DAY = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
RULE_LABELS = {"date": N_("On a date (or a period)"), "week_containing": N_("The Monday-to-Sunday week containing a date"),
               "school_year_start": N_("Start of the school year in a region")}


class ObservanceForm(FlaskForm):
    key = StringField(_l("Key"), validators=[required(), Regexp(r"^[a-z0-9][a-z0-9-]{1,79}$", message=_l(
        "Use 2 to 80 lowercase letters, digits and hyphens."))], filters=[strip])
    name = title_field(_l("Name"))
    kind = SelectField(_l("Rule"), choices=[SelectChoice(k, _l(RULE_LABELS[k])) for k in RULE_KINDS])
    date = StringField(_l("Date (MM-DD)"), validators=[Optional(), Regexp(MONTH_DAY, message=_l(
        "Enter month and day as MM-DD, for example 11-20."))], filters=[strip])
    until = StringField(_l("Until (MM-DD)"), validators=[Optional(), Regexp(MONTH_DAY, message=_l(
        "Enter month and day as MM-DD, for example 11-20."))], filters=[strip])
    region = SelectField(_l("School region"), choices=empty_choice(
        [SelectChoice(r.value, _l(r.label)) for r in SchoolRegion]))
    source = StringField(_l("Source"), validators=[Optional()], filters=[strip])
    organisation_id = SelectField(_l("Only for organisation"), coerce=optional_int, choices=[])
    overrides = TextAreaField(_l("Other dates in particular years"), filters=[strip], description=_l(
        "One year per line: start and end date, for example 2023-11-20 2023-11-26."))

    def validate_date(self, field):
        if self.kind.data in ("date", "week_containing") and not field.data:
            raise ValidationError(_l("This rule needs a date."))

    def validate_region(self, field):
        if self.kind.data == "school_year_start" and not field.data:
            raise ValidationError(_l("Choose a school region."))

    def validate_source(self, field):
        if len(field.data or "") > 500:
            raise ValidationError(_l("Use at most %(max)d characters.", max=500))

    def validate_overrides(self, field):
        self.parsed_overrides = {}
        for number, line in enumerate((field.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = re.split(r"[\s,;]+|t/m", line.strip())
            try:
                dates = [dt.date.fromisoformat(p) for p in parts if p]
            except ValueError:
                dates = []
            if len(dates) not in (1, 2) or dates[-1] < dates[0]:
                raise ValidationError(_l("Line %(n)d: enter a start date and an end date as YYYY-MM-DD.", n=number))
            if not all(in_window(day) for day in dates):
                raise ValidationError(_("Line %(n)d: enter dates from %(first)s to %(last)s.", n=number,
                                        **window_bounds()))
            self.parsed_overrides[str(dates[0].year)] = {"start": dates[0].isoformat(), "end": dates[-1].isoformat()}

    def rule(self) -> dict:
        if self.kind.data == "school_year_start":
            return {"kind": "school_year_start", "region": self.region.data}
        rule = {"kind": self.kind.data, "date": self.date.data}
        if self.kind.data == "date" and self.until.data:
            rule["until"] = self.until.data
        return rule

    def load(self, definition) -> None:
        rule = definition.rule
        self.key.data, self.name.data, self.kind.data = definition.key, definition.name, rule["kind"]
        self.date.data, self.until.data = rule.get("date", ""), rule.get("until", "")
        self.region.data, self.source.data = rule.get("region", ""), definition.source
        self.organisation_id.data = definition.organisation_id
        self.overrides.data = "\n".join(f"{v['start']} {v.get('end', v['start'])}"
                                        for _, v in sorted(definition.overrides.items()))


class SchoolHolidayImportForm(FlaskForm):
    file = FileField(_l("Open-data file (JSON)"), validators=[FileRequired(_l("Choose a file."))])
