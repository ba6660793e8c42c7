"""Dutch names for what the history and the change lists show: kinds of rows, their fields, and their values.

The labels of the fields come from the forms people fill in, so the history uses the words of the form; a few
names that no form shows (references in the JSON export, lists of related rows) are named here."""

from __future__ import annotations

import enum
from functools import lru_cache

from flask_babel import gettext
from wtforms.fields.core import UnboundField

from planner.db import Base
from planner.enums import N_

# Rows that no entity form covers, and the plan itself.
ENTITY_LABELS = {"Plan": N_("plan"), "Organisation": N_("organisation"), "User": N_("user"),
                 "Subscription": N_("calendar feed"), "MessageTranslation": N_("translation"),
                 "plan": N_("plan"), "partners": N_("partner"), "audiences": N_("audience"),
                 "messages": N_("core message"), "channels": N_("channel"), "moments": N_("moment"),
                 "embargoes": N_("embargo"), "activities": N_("activity"), "decisions": N_("decision moment"),
                 "observations": N_("observation"), "phases": N_("phase"), "checklist": N_("checklist item"),
                 "plans": N_("plan"), "organisations": N_("organisation"), "users": N_("user"),
                 "key_messages": N_("core message"), "checklist_items": N_("checklist item")}
# Names that no form field carries: references and lists of related rows.
EXTRA_FIELDS = {"owner_name": N_("Owner"), "channel": N_("Channel"), "sender": N_("Sender"), "message": N_("Core message"),
                "anchor_moment": N_("Moment"), "audiences": N_("Audiences"), "intermediaries": N_("Intermediaries"),
                "contacts": N_("Contact persons"), "translations": N_("Translations"), "history": N_("Earlier versions"),
                "organisation": N_("Organisation"), "owner": N_("Owner (organisation)"), "items": N_("Checklist"),
                "status": N_("Status"), "phase": N_("Phase"), "due_moment": N_("Moment"), "exdates": N_("Skipped dates"),
                "recurrence": N_("Repetition"), "anchor_offset": N_("Days from the moment"),
                "anchor_unit": N_("Unit"), "anchor_edge": N_("Start or end of the moment"),
                "due_offset": N_("Days from the moment"), "due_unit": N_("Unit"), "position": N_("Order"),
                "revoked_at": N_("Revoked"), "label": N_("Name"), "scope": N_("Feed for"), "version": N_("Version"),
                "source_accepted_at": N_("Regional change accepted"), "overridden": N_("Local version kept"),
                "body": N_("Text"), "language": N_("Language"), "slug": N_("Web address"),
                "parent": N_("Regional plan"), "predecessor": N_("Previous plan"), "result": N_("Result"),
                "person": N_("Person"), "filters": N_("Filters"), "completed_on": N_("Done on")}
HIDDEN = {"uuid", "source_uuid", "sequence", "row_version", "created_at", "updated_at", "token_hash"}
ACTORS = {"command line": N_("administrator on the command line"), "system": N_("the planner itself")}


@lru_cache(maxsize=1)
def _form_labels() -> dict[str, str]:
    """Field name -> the label a form gives it (without _id / _ids: 'channel_id' labels 'channel')."""
    from planner.web.forms import entities, plan

    labels = {}
    for module in (entities, plan):
        for form in vars(module).values():
            if not isinstance(form, type):
                continue
            for name in dir(form):
                field = getattr(form, name, None)
                if isinstance(field, UnboundField) and (field.args or "label" in field.kwargs):
                    label = field.args[0] if field.args else field.kwargs["label"]
                    if label:
                        for key in (name, name.removesuffix("_ids") + "s" if name.endswith("_ids") else
                                    name.removesuffix("_id")):
                            labels.setdefault(key, label)
    return labels


@lru_cache(maxsize=None)
def _model(name: str):
    return next((m.class_ for m in Base.registry.mappers if m.class_.__name__ == name), None)


def entity_label(name: str) -> str:
    """'ChecklistItem' -> 'checklist-item'; a collection of the JSON export ('activities') as well."""
    from planner.web.views.entities import ENTITIES

    for entity in ENTITIES.values():
        if entity.model.__name__ == name:
            return gettext(entity.singular)
    return gettext(ENTITY_LABELS[name]) if name in ENTITY_LABELS else name


def field_label(name: str) -> str:
    if name in EXTRA_FIELDS:
        return gettext(EXTRA_FIELDS[name])
    label = _form_labels().get(name)
    return str(label) if label is not None else name.replace("_", " ")


def shown_fields(changes: dict) -> list[tuple[str, object, object]]:
    """The (field, old, new) of an audit entry that people read, bookkeeping left out."""
    return [(field, old, new) for field, (old, new) in changes.items() if field not in HIDDEN]


def value_text(entity: str, field: str, value) -> str:
    """A logged value as the interface shows it: enum values by their Dutch label, yes/no, lists joined."""
    if value in (None, "", []):
        return "–"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(value_text(entity, field, v) for v in value)
    model = _model(entity)
    column = model.__table__.c.get(field) if model is not None else None
    enum_class = getattr(column.type, "enum_class", None) if column is not None else None
    if enum_class is not None and issubclass(enum_class, enum.Enum):
        try:
            return gettext(enum_class(value).label)
        except ValueError:
            pass
    return str(value)


def actor_text(actor: str) -> str:
    return gettext(ACTORS[actor]) if actor in ACTORS else actor
