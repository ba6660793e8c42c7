"""Add several partners, audiences, core messages or channels in one form, from their list page."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, url_for
from flask_babel import gettext as _

from planner.domain import access
from planner.web.checks import finding_keys, flash_saved
from planner.web.database import get_session
from planner.web.forms.several import KINDS, SeveralRowsForm
from planner.web.views.entities import ENTITIES
from planner.web.views.plans import load_plan

bp = Blueprint("several", __name__, url_prefix="/plans/<slug>")


@bp.post("/<kind>/several")
def create(slug: str, kind: str):
    """Save every filled row in one transaction and go back to the list; on an error, save none."""
    if kind not in KINDS:
        abort(404)
    entity, plan = ENTITIES[kind], load_plan(slug)
    form = SeveralRowsForm(plan, kind)
    if form.validate_on_submit():
        session = get_session()
        before = finding_keys(plan)
        added = []
        with session.no_autoflush:  # each new row is complete only once it is attached to the plan
            for row in form.filled_rows:
                obj = entity.model()
                row.save(session, obj)
                entity.attach(plan, obj)
                added.append(getattr(obj, "title", None) or obj.name)
        session.commit()
        flash_saved(slug, before, _("Added: %(names)s.", names=", ".join(added)))
        return redirect(url_for(entity.tab, slug=plan.slug))
    return render_template("entities/several.html", plan=plan, entity=entity, kind=kind, rows_form=form)


@bp.app_context_processor
def inject_several_rows():
    def several_rows_form(plan, kind: str):
        """An empty form for several new rows of `kind`, or None when the user may not change the plan."""
        return SeveralRowsForm(plan, kind, formdata=None) if access.can_edit(g.user, plan) else None

    return {"several_rows_form": several_rows_form}
