"""Optimistic concurrency: a form carries the version it was based on; an older version never overwrites silently."""

from __future__ import annotations

from flask import request


def version_of(obj) -> str:
    return obj.updated_at.isoformat() if obj is not None and obj.updated_at else ""


def changed_meanwhile(obj) -> bool:
    """True when the form was filled in on an older version of `obj` than the stored one."""
    submitted = request.form.get("version")
    return submitted is not None and submitted != version_of(obj)


def differences(form, obj, names) -> list[tuple[str, str]]:
    """(label, stored value) for the fields where the stored version differs from what the user sent."""
    result = []
    for name in names:
        if name not in form._fields:
            continue
        stored = getattr(obj, name, None)
        if getattr(stored, "value", stored) != getattr(form[name].data, "value", form[name].data):
            shown = getattr(stored, "label", None) or ("" if stored is None else str(stored))
            result.append((str(form[name].label.text), shown))
    return result
