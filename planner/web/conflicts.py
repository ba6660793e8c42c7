"""Optimistic concurrency: a form carries the row version it was based on; an older version never overwrites.

Two layers: the form's version is compared with the stored one before saving (so the user sees what changed),
and the UPDATE itself checks the version (`planner.db.VersionMixin`), so two saves that race cannot both win.
"""

from __future__ import annotations

from typing import Callable

from flask import abort, request
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError


def version_of(obj) -> str:
    return str(obj.row_version) if obj is not None and obj.row_version is not None else ""


def changed_meanwhile(obj) -> bool:
    """True when the form was filled in on an older version of `obj`; a form without a version is refused."""
    submitted = request.form.get("version")
    if not submitted:
        abort(400)
    return submitted != version_of(obj)


def save_unless_stale(session: Session, save: Callable[[], None]) -> bool:
    """Run `save` and commit. False, with nothing saved, when another save of the same row came first."""
    try:
        save()
        session.commit()
    except StaleDataError:
        session.rollback()
        return False
    return True


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
