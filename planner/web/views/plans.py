"""The dashboard, a plan's own fields and its tab pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from planner import clock
from planner.domain import access, observances, stakeholders, trash
from planner.domain.observance_moments import add_observance_moment, named_observances
from planner.domain.plans import (
    create_plan, get_plan, list_plans, plan_contents, unique_slug,
)
from planner.domain.school_holidays import all_holidays
from planner.enums import N_, ChecklistStatus, Role
from planner.models import Activity, ChecklistItem, Organisation, Plan
from planner.web.checks import cached, findings_for
from planner.web.conflicts import changed_meanwhile, differences, save_unless_stale, version_of
from planner.web.database import get_session
from planner.web.formatting import period
from planner.web.forms.fields import row_choices
from planner.web.forms.plan import NEW_OWNER, PlanDetailsForm

bp = Blueprint("plans", __name__)

TABS = [
    ("plans.overview", N_("Overview")),
    ("plans.start", N_("Step by step")),
    ("plans.partners", N_("Partners")),
    ("plans.audiences", N_("Audiences and stakeholders")),
    ("plans.messages", N_("Core messages")),
    ("plans.channels", N_("Channels")),
    ("calendar.show", N_("Calendar")),
    ("plans.decisions", N_("Decisions and monitoring")),
    ("plans.checklist", N_("Checklist")),
    ("feeds.manage", N_("Calendar feeds")),
    ("history.show", N_("History")),
]


# State-changing routes that a coordinator may use on plans of the region (signing off a phase).
SIGN_OFF_ENDPOINTS = {"coordination.gate"}
# A municipality's advisor makes a local plan from the region's plan, which they may only read.
LOCAL_PLAN_ENDPOINTS = {"coordination.local"}
# Form pages: showing them already needs the right to change the plan.
EDIT_PAGES = {"plans.edit", "plans.delete", "entities.create", "entities.edit", "entities.delete", "calendar.quick_add",
              "history.personal_data", "history.erase", "undo.plan_trash"}


def plan_refusal(user, plan: Plan | None, wants: str = "read") -> int | None:
    """The status that refuses `user` this use of `plan`, or None when it is allowed: 404 when they may not see
    it (as if it did not exist), 403 when they may see but not do this. `wants` is read, change, sign_off
    (a phase gate) or make_local (a local plan from the region's plan). The web pages and the API both ask
    this, with a person or an API key as `user`."""
    if plan is None or user is None or not access.can_read(user, plan):
        return 404
    if wants == "make_local":
        return None if user.role in (Role.ADMINISTRATOR, Role.ADVISOR) else 403
    if wants == "sign_off":
        return None if access.can_sign_off(user, plan) else 403
    if wants == "change":
        return None if access.can_edit(user, plan) else 403
    return None


def load_plan(slug: str) -> Plan:
    """The plan at `slug` for the current user: 404 when they may not see it, 403 when they may not change it."""
    plan = get_plan(get_session(), slug, plan_contents())
    if request.endpoint in LOCAL_PLAN_ENDPOINTS:
        wants = "make_local"
    elif request.method not in ("GET", "HEAD") or request.endpoint in EDIT_PAGES:
        wants = "sign_off" if request.endpoint in SIGN_OFF_ENDPOINTS else "change"
    else:
        wants = "read"
    refusal = plan_refusal(g.user, plan, wants)
    if refusal is not None:
        abort(refusal)
    return plan


def _parent_choices(exclude: Plan | None = None):
    session = get_session()
    plans = session.scalars(sa.select(Plan).where(access.visible_plans_filter(g.user)).order_by(Plan.title))
    return row_choices([p for p in plans if exclude is None or p.id != exclude.id], "title")


def _owner_choices() -> list[tuple[int, str]]:
    """The organisations an administrator may make a plan's owner; advisors choose none (their own)."""
    if g.user.role != Role.ADMINISTRATOR:
        return []
    return list(get_session().execute(sa.select(Organisation.id, Organisation.name).order_by(Organisation.name)))


def _chosen_owner(session, form: PlanDetailsForm, current: Organisation) -> Organisation:
    """The owner the administrator chose or created explicitly; `current` for everybody else."""
    if g.user.role != Role.ADMINISTRATOR:
        return current
    if form.owner_id.data == NEW_OWNER:
        owner = Organisation(name=" ".join(form.owner_name.data.split()), kind=form.owner_kind.data,
                             school_region=form.new_owner_region)
        session.add(owner)
        return owner
    return session.get(Organisation, int(form.owner_id.data))


@bp.get("/")
def dashboard():
    plans = [p for p in list_plans(get_session()) if access.can_read(g.user, p)]
    return render_template("plans/dashboard.html", plans=plans, my_week=_my_week(), action_form=FlaskForm())


def _my_week() -> list[tuple[str, object, object, bool]]:
    """What the user owns across plans, as the reminder e-mail selects it: (kind, line, row, may change) with
    what is late first, then today and the next seven days."""
    from planner.domain.reminders import compose_digest

    session = get_session()
    digest = compose_digest(session, g.user, clock.today())
    entries = [("publication", line, session.get(Activity, line.activity_id)) for line in digest.publications]
    entries += [("production", line, session.get(Activity, line.activity_id)) for line in digest.productions]
    entries += [("checklist", line, session.get(ChecklistItem, line.checklist_item_id)) for line in digest.checklist]
    entries.sort(key=lambda entry: (not entry[1].late, entry[1].day, entry[1].title.lower()))
    return [(kind, line, row, access.can_edit(g.user, line.plan)) for kind, line, row in entries]


@bp.route("/plans/new", methods=["GET", "POST"])
def new():
    if g.user.role not in (Role.ADMINISTRATOR, Role.ADVISOR):
        abort(403)
    form = PlanDetailsForm(_parent_choices(), _owner_choices())
    if form.validate_on_submit():
        session = get_session()
        owner = _chosen_owner(session, form, g.user.organisation)  # advisors plan for their own organisation
        fields = {name: form[name].data for name in form.plan_fields}
        plan = create_plan(session, owner=owner, checklist_template=form.checklist_template.data, **fields)
        session.commit()
        flash(_("Plan created. The checklist of the stappenplan has been added."), "success")
        return redirect(url_for("plans.start", slug=plan.slug))
    return render_template("plans/form.html", form=form, plan=None, owner=g.user.organisation)


@bp.route("/plans/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    plan = load_plan(slug)
    form = PlanDetailsForm(_parent_choices(exclude=plan), _owner_choices(), obj=plan)
    if not form.is_submitted():
        form.owner_id.data, form.owner_name.data = str(plan.owner_id), ""
    conflicted = False
    if form.validate_on_submit():
        session = get_session()

        def save():
            for name in form.plan_fields:
                setattr(plan, name, form[name].data)
            plan.owner = _chosen_owner(session, form, plan.owner)  # only an administrator moves a plan
            plan.slug = unique_slug(session, plan.title, exclude_plan_id=plan.id)

        if not changed_meanwhile(plan) and save_unless_stale(session, save):
            flash(_("Changes saved."), "success")
            return redirect(url_for("plans.overview", slug=plan.slug))
        conflicted = True
    return render_template("plans/form.html", form=form, plan=plan, owner=plan.owner,
                           version=version_of(plan), conflicted=conflicted,
                           conflict=differences(form, plan, form.plan_fields) if conflicted else [])


@bp.route("/plans/<slug>/delete", methods=["GET", "POST"])
def delete(slug: str):
    plan = load_plan(slug)
    form = FlaskForm()
    if form.validate_on_submit():
        from planner.web.views.undo import entry_url  # (undo's routes load plans through this module)

        session = get_session()
        entry = trash.discard(session, [plan], "plan", plan.title)
        session.commit()
        flash({"text": _("Plan “%(title)s” deleted.", title=entry.label), "undo": entry_url(entry)}, "success")
        return redirect(url_for("plans.dashboard"))
    return render_template("plans/delete.html", form=form, plan=plan, kept_days=trash.KEPT_DAYS)


@bp.get("/plans/<slug>")
def overview(slug: str):
    return overview_page(load_plan(slug))


def overview_page(plan: Plan, gate_form=None, unfinished=None):
    """The plan's overview; with the phase form as posted (its errors, or the open work to confirm)."""
    from planner.domain import gates, regional
    from planner.domain.documents import document_stamp
    from planner.domain.matrix import audience_matrix
    from planner.domain.region_charts import plan_series
    from planner.web.charts import plan_charts
    from planner.web.forms.coordination import CopyForm, GateForm, LocalPlanForm

    findings, counts = findings_for(plan)
    approved = gates.approved_snapshot(plan)
    # what changed since approval covers decisions, contacts and translations too: the documents' stamp
    changes = cached(plan, f"changes-since-{approved.id}", lambda: gates.changes_since(plan, approved),
                     stamp_of=document_stamp) if approved else []
    copy_form = CopyForm()
    copy_form.year.data = plan.starts_on.year + 1
    local_form = LocalPlanForm()
    return render_template(
        "plans/overview.html", plan=plan, findings=findings, counts=counts, approved=approved,
        changes=changes,
        regional_changes=regional.regional_changes(plan) if plan.parent else None,
        gate_form=gate_form or GateForm(plan, decided_by=g.user.name or g.user.email), unfinished=unfinished,
        copy_form=copy_form, local_form=local_form, action_form=FlaskForm(),
        activity_count=get_session().scalar(sa.select(sa.func.count()).where(Activity.plan_id == plan.id)),
        matrix=audience_matrix(plan),
        charts=plan_charts(plan, cached(plan, "series", lambda: plan_series(plan)), clock.today()), today=clock.today())


@bp.get("/plans/<slug>/start")
def start(slug: str):
    """The guided start: one step of the stappenplan at a time, its goal, checklist and what to do next."""
    from planner.domain.matrix import audience_matrix

    plan = load_plan(slug)
    keys = [phase.key.value for phase in plan.phases]
    step = request.args.get("step") if request.args.get("step") in keys else (
        plan.phase.value if plan.phase.value in keys else (keys[0] if keys else None))
    phase = next((p for p in plan.phases if p.key.value == step), None)
    index = keys.index(step) if step in keys else 0
    return render_template("plans/start.html", plan=plan, phase=phase, step_index=index,
                           previous=keys[index - 1] if index > 0 else None,
                           following=keys[index + 1] if index + 1 < len(keys) else None,
                           matrix=audience_matrix(plan), offers=_observance_offers(plan) if may_edit(plan) else [],
                           offer_form=FlaskForm())


def _observance_offers(plan: Plan) -> list:
    """Observances the plan names but has no moment for, offered to whoever may change the plan."""
    if not access.can_edit(g.user, plan):
        return []
    session = get_session()
    return named_observances(plan, observances.catalogue(session, plan.owner), all_holidays(session))


@bp.post("/plans/<slug>/moments/observance")
def add_observance(slug: str):
    """Add a catalogue observance as a moment in one click, with the usual embargo for the general public."""
    plan = load_plan(slug)
    back = url_for("plans.start", slug=plan.slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = get_session()
    definition = observances.find(session, request.form.get("key", ""), plan.owner)
    if definition is None:
        abort(404)
    if any(moment.observance_key == definition.key for moment in plan.moments):
        flash(_("The plan already has a moment for %(name)s.", name=definition.name), "success")
        return redirect(back)
    try:
        moment, embargoes = add_observance_moment(plan, definition, all_holidays(session))
    except ValueError:
        flash(_("%(name)s has no dates in this plan's period.", name=definition.name), "error")
        return redirect(back)
    session.commit()
    if embargoes:
        flash(_("Moment “%(name)s” added (%(dates)s), with an embargo: %(audiences)s not before it starts.",
                name=moment.name, dates=period(moment.starts_on, moment.ends_on),
                audiences=", ".join(e.audience.name for e in embargoes)), "success")
    else:
        flash(_("Moment “%(name)s” added (%(dates)s). Once the plan has an audience for the general public, "
                "give it an embargo not before this moment.", name=moment.name,
                dates=period(moment.starts_on, moment.ends_on)), "success")
    return redirect(back)


@bp.get("/plans/<slug>/audiences")
def audiences(slug: str):
    plan = load_plan(slug)
    return render_template("plans/audiences.html", plan=plan, stakeholder_map=stakeholders.layout(plan.audiences),
                           map_geometry=stakeholders)


def _tab_page(name: str):
    def view(slug: str):
        plan = load_plan(slug)
        return render_template(f"plans/{name}.html", plan=plan, action_form=FlaskForm(),
                               editable=access.can_edit(g.user, plan))

    view.__name__ = name
    return view


@bp.get("/plans/<slug>/checklist")
def checklist(slug: str):
    plan = load_plan(slug)
    from planner.web.forms.bulk import ChecklistBulkForm

    editable = access.can_edit(g.user, plan)
    today = clock.today()
    overdue = None  # the overdue items alone, when the region's dashboard links here
    if request.args.get("show") == "overdue":
        overdue = {item.id for phase in plan.phases for item in phase.items
                   if item.due_on and item.due_on < today and item.status in (ChecklistStatus.OPEN,
                                                                             ChecklistStatus.IN_PROGRESS)}
    return render_template("plans/checklist.html", plan=plan, action_form=FlaskForm(), editable=editable,
                           bulk_form=ChecklistBulkForm(plan, prefix="bulk") if editable else None, overdue=overdue)


for _name in ("partners", "messages", "channels", "decisions"):
    bp.add_url_rule(f"/plans/<slug>/{_name}", endpoint=_name, view_func=_tab_page(_name), methods=["GET"])


@bp.app_context_processor
def inject_tabs():
    return {"plan_tabs": TABS}


@bp.app_template_global()
def may(plan: Plan, wants: str) -> bool:
    """Whether a page may offer the current user this use of `plan` (see plan_refusal): actions that would end in
    403 are not shown."""
    return g.user is not None and plan_refusal(g.user, plan, wants) is None


@bp.app_template_global()
def may_edit(plan: Plan) -> bool:
    return may(plan, "change")


@bp.app_template_global()
def may_create_plans() -> bool:
    return g.user is not None and g.user.role in (Role.ADMINISTRATOR, Role.ADVISOR)
