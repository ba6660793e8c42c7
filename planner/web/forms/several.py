"""Several new rows of one kind in one form: partners, audiences, core messages or channels."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField

from planner.enums import N_
from planner.web.forms.entities import AudienceForm, ChannelForm, MessageForm, PartnerForm

ROWS = 4  # a plan usually starts with three or four of each


@dataclass(frozen=True)
class RowKind:
    form: type
    fields: tuple[str, ...]  # the essentials in each row; the other fields keep their defaults
    unique: str | None  # the field whose value may occur only once in the plan
    title: str
    legend: str


KINDS = {
    "partners": RowKind(PartnerForm, ("organisation_name", "role"), "organisation_name",
                        N_("Add several partners at once"), N_("Partner %(n)d")),
    "audiences": RowKind(AudienceForm, ("name", "category"), "name",
                         N_("Add several audiences at once"), N_("Audience %(n)d")),
    "messages": RowKind(MessageForm, ("audience_id", "title", "body"), None,
                        N_("Add several core messages at once"), N_("Core message %(n)d")),
    "channels": RowKind(ChannelForm, ("name", "kind", "lead_time_days"), "name",
                        N_("Add several channels at once"), N_("Channel %(n)d")),
}


class SeveralRowsForm(FlaskForm):
    """Up to ROWS new rows of one kind, each the kind's own form: empty rows are skipped, and one wrong row
    saves none."""

    def __init__(self, plan, kind: str, **kwargs):
        super().__init__(**kwargs)
        self.plan, self.kind = plan, KINDS[kind]
        self.rows = [self.kind.form(plan, prefix=f"row{index}", meta={"csrf": False}, **kwargs)
                     for index in range(ROWS)]
        for row in self.rows:  # fields a row does not show keep their defaults, as on a new full form
            for name, field in row._fields.items():
                if name not in self.kind.fields:
                    field.process(None)
                    if isinstance(field, SelectMultipleField):
                        field.data = field.data or []
        self.filled_rows = []

    def _filled(self, row) -> bool:
        return any(field.data and field.data.strip() for name, field in row._fields.items()
                   if name in self.kind.fields and isinstance(field, StringField) and isinstance(field.data, str))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)  # the CSRF token
        self.filled_rows = [row for row in self.rows if self._filled(row)]
        if not self.filled_rows:
            self.form_errors.append(_l("Fill in at least one row."))
            return False
        seen = set()
        for row in self.filled_rows:
            valid = row.validate() and valid
            if self.kind.unique:
                field = row[self.kind.unique]
                value = (field.data or "").strip().lower()
                if value in seen:
                    field.errors = [*field.errors, _l("This name is in the list twice.")]
                    valid = False
                seen.add(value)
        return valid
