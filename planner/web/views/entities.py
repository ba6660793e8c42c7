"""Create, edit and delete the rows of a plan, one registry entry per kind of row."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa
from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from planner.domain import access, trash
from planner.domain.copies import duplicate_activity, duplicate_channel
from planner.enums import N_
from planner.models import (
    Activity, Audience, Channel, ChecklistItem, ContactPerson, Decision, Embargo, KeyMessage,
    MessageTranslation, Moment, Observation, Partner,
)
from planner.web.checks import finding_keys, flash_saved
from planner.web.conflicts import changed_meanwhile, differences, save_unless_stale, version_of
from planner.web.database import get_session
from planner.web.views.undo import entry_url
from planner.web.forms import entities as forms
from planner.web.views.plans import load_plan

bp = Blueprint("entities", __name__, url_prefix="/plans/<slug>")


@dataclass(frozen=True)
class Entity:
    model: type
    form: type
    singular: str
    tab: str
    new_title: str = ""  # "Nieuwe activiteit", "Nieuw moment": Dutch adjectives follow the noun's gender
    plan_id: Callable = lambda obj: obj.plan_id
    attach: Callable = lambda plan, obj: None


def _attach_to(collection: str) -> Callable:
    return lambda plan, obj: getattr(plan, collection).append(obj)


ENTITIES: dict[str, Entity] = {
    "partners": Entity(Partner, forms.PartnerForm, N_("partner"), "plans.partners", N_("New partner"),
                       attach=_attach_to("partners")),
    "contacts": Entity(ContactPerson, forms.ContactForm, N_("contact person"), "plans.partners",
                       N_("New contact person"), plan_id=lambda obj: obj.partner.plan_id,
                       attach=lambda plan, obj: get_session().add(obj)),
    "audiences": Entity(Audience, forms.AudienceForm, N_("audience"), "plans.audiences", N_("New audience"),
                        attach=_attach_to("audiences")),
    "embargoes": Entity(Embargo, forms.EmbargoForm, N_("embargo"), "plans.audiences", N_("New embargo"),
                        attach=_attach_to("embargoes")),
    "messages": Entity(KeyMessage, forms.MessageForm, N_("core message"), "plans.messages", N_("New core message"),
                       attach=_attach_to("messages")),
    "translations": Entity(MessageTranslation, forms.TranslationForm, N_("translation"), "plans.messages",
                           N_("New translation"), plan_id=lambda obj: obj.message.plan_id,
                           attach=lambda plan, obj: get_session().add(obj)),
    "channels": Entity(Channel, forms.ChannelForm, N_("channel"), "plans.channels", N_("New channel"),
                       attach=_attach_to("channels")),
    "activities": Entity(Activity, forms.ActivityForm, N_("activity"), "calendar.show", N_("New activity"),
                         attach=_attach_to("activities")),
    "moments": Entity(Moment, forms.MomentForm, N_("moment"), "calendar.show", N_("New moment"),
                      attach=_attach_to("moments")),
    "decisions": Entity(Decision, forms.DecisionForm, N_("decision moment"), "plans.decisions",
                        N_("New decision moment"), attach=_attach_to("decisions")),
    "observations": Entity(Observation, forms.ObservationForm, N_("observation"), "plans.decisions",
                           N_("New observation"), attach=_attach_to("observations")),
    "checklist-items": Entity(ChecklistItem, forms.ChecklistItemForm, N_("checklist item"), "plans.checklist",
                              N_("New checklist item"), plan_id=lambda obj: obj.phase.plan_id,
                              attach=lambda plan, obj: get_session().add(obj)),
}


# New-row forms that offer "Save and add another": the rows a plan usually gets several of in a row.
ADD_ANOTHER = {"activities", "partners", "audiences", "messages", "channels"}


def _entity(kind: str) -> Entity:
    if kind not in ENTITIES:
        abort(404)
    return ENTITIES[kind]


def _row(entity: Entity, plan, row_id: int):
    obj = get_session().get(entity.model, row_id)
    if obj is None or entity.plan_id(obj) != plan.id:
        abort(404)
    return obj


def _message_audiences(plan) -> dict[int, int]:
    """Each core message's audience, for the script that offers only the chosen audiences' messages."""
    return {message.id: message.audience_id for message in plan.messages}


def _prefill(form) -> None:
    """Preselect a parent row (?partner_id=3) or a day (?starts_on=2027-01-11) named in the query string."""
    for name, field in form._fields.items():
        if name not in request.args or form.is_submitted():
            continue
        try:
            if name.endswith("_id"):
                field.data = int(request.args[name])
            elif name == "starts_on":
                field.data = dt.date.fromisoformat(request.args[name])
        except ValueError:
            pass


@bp.get("/activities/by-uuid/<activity_uuid>")
def activity_by_uuid(slug: str, activity_uuid: str):
    """An activity named by its UUID (as findings and feeds name it): its form, or the calendar for readers."""
    plan = load_plan(slug)
    activity = get_session().scalar(sa.select(Activity).where(Activity.plan_id == plan.id,
                                                               Activity.uuid == _uuid_or_404(activity_uuid)))
    if activity is None:
        abort(404)
    if access.can_edit(g.user, plan):
        return redirect(url_for("entities.edit", slug=slug, kind="activities", row_id=activity.id))
    return redirect(url_for("calendar.show", slug=slug, **{"from": activity.starts_on.isoformat()}))


def _uuid_or_404(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        abort(404)


@bp.route("/<kind>/new", methods=["GET", "POST"])
def create(slug: str, kind: str):
    entity, plan = _entity(kind), load_plan(slug)
    form = entity.form(plan)
    _prefill(form)
    if form.validate_on_submit():
        obj = entity.model()
        session = get_session()
        before = finding_keys(plan)
        with session.no_autoflush:  # the new row is complete only once it is attached to the plan
            form.save(session, obj)
            entity.attach(plan, obj)
        session.commit()
        flash_saved(slug, before, _("Saved."))
        if kind in ADD_ANOTHER and request.form.get("again"):  # "Save and add another" (an activity: same day)
            day = {"starts_on": obj.starts_on.isoformat()} if kind == "activities" else {}
            return redirect(url_for("entities.create", slug=slug, kind=kind, **day))
        return redirect(url_for(entity.tab, slug=plan.slug))
    return render_template("entities/form.html", form=form, plan=plan, entity=entity, kind=kind, obj=None,
                           message_audiences=_message_audiences(plan), add_another=kind in ADD_ANOTHER)


@bp.route("/<kind>/<int:row_id>/edit", methods=["GET", "POST"])
def edit(slug: str, kind: str, row_id: int):
    entity, plan = _entity(kind), load_plan(slug)
    obj = _row(entity, plan, row_id)
    form = entity.form(plan, obj=obj)
    conflict, conflicted = [], False
    if form.validate_on_submit():
        session = get_session()
        before = finding_keys(plan)
        if not changed_meanwhile(obj) and save_unless_stale(session, lambda: form.save(session, obj)):
            flash_saved(slug, before, _("Changes saved."))
            return redirect(url_for(entity.tab, slug=plan.slug))
        conflict, conflicted = differences(form, obj, form.model_fields or tuple(form._fields)), True
    return render_template("entities/form.html", form=form, plan=plan, entity=entity, kind=kind, obj=obj,
                           message_audiences=_message_audiences(plan),
                           version=version_of(obj), conflict=conflict, conflicted=conflicted)


DUPLICATES = {"activities": duplicate_activity, "channels": duplicate_channel}


@bp.post("/<kind>/<int:row_id>/duplicate")
def duplicate(slug: str, kind: str, row_id: int):
    """Copy an activity or a channel within its plan, and open the copy's form to change what differs."""
    if kind not in DUPLICATES:
        abort(404)
    entity, plan = _entity(kind), load_plan(slug)
    obj = _row(entity, plan, row_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = get_session()
    before = finding_keys(plan)
    copy = DUPLICATES[kind](obj)
    session.commit()
    flash_saved(slug, before, _("Copy made: “%(name)s”. Change what differs and save.",
                                name=getattr(copy, "title", None) or copy.name))
    return redirect(url_for("entities.edit", slug=slug, kind=kind, row_id=copy.id))


def _name(obj) -> str:
    for name in ("title", "name", "language"):
        if getattr(obj, name, None):
            return getattr(obj, name)
    if getattr(obj, "audience", None) is not None:
        return obj.audience.name
    return (getattr(obj, "text", "") or "")[:60]


@bp.route("/<kind>/<int:row_id>/delete", methods=["GET", "POST"])
def delete(slug: str, kind: str, row_id: int):
    """Delete a row into the plan's trash: the confirmation offers to undo it, the trash to restore it later."""
    entity, plan = _entity(kind), load_plan(slug)
    obj = _row(entity, plan, row_id)
    form = FlaskForm()
    if form.validate_on_submit():
        session = get_session()
        before = finding_keys(plan)
        label = _("%(what)s “%(name)s”", what=_(entity.singular), name=_name(obj))
        entry = trash.discard(session, [obj], kind, label, plan=plan)
        session.commit()
        flash_saved(slug, before, _("Deleted: %(what)s.", what=label), undo=entry_url(entry))
        return redirect(url_for(entity.tab, slug=plan.slug))
    return render_template("entities/delete.html", form=form, plan=plan, entity=entity, kind=kind, obj=obj,
                           name=_name(obj), kept_days=trash.KEPT_DAYS)
