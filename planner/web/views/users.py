"""Users in the browser: administrators list, invite and change them; advisors and coordinators see their colleagues."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from planner.domain import accounts, user_admin
from planner.domain.accounts import RESETS_PER_HOUR, AccountError, normalise_email
from planner.enums import Role
from planner.models import Organisation, User
from planner.web.auth import admin_required
from planner.web.database import get_session
from planner.web.forms.users import UserCreateForm, UserEditForm
from planner.web.link_mail import queue_link_mail

bp = Blueprint("users", __name__, url_prefix="/users")


def _refusal(reason: str) -> str:
    return {
        "own_account": _("You cannot disable your own account or take away your own administrator role."),
        "last_administrator": _("This is the last active administrator: the account cannot be disabled or given "
                                "another role. Make another user administrator first."),
        "too_many_links": _("This user already has %(num)d open links to choose a password; no new one was sent. "
                            "Try again in an hour.", num=RESETS_PER_HOUR),
    }[reason]


@bp.before_request
def viewers_only():
    if g.user is None or not user_admin.may_view_users(g.user):
        abort(403)


def _settings():
    return current_app.config["PLANNER_SETTINGS"]


def _organisations() -> list[Organisation]:
    return list(get_session().scalars(sa.select(Organisation).order_by(Organisation.name)))


def _choice(values: dict, name: str):
    return values.get(request.args.get(name, ""))


@bp.get("")
def index():
    organisations = _organisations() if user_admin.may_manage_users(g.user) else []
    organisation = _choice({str(o.uuid): o for o in organisations}, "organisation")
    role = _choice({r.value: r for r in Role}, "role")
    active = _choice({"active": True, "disabled": False}, "status")
    wanted = user_admin.UserFilter(organisation.id if organisation else None, role, active)
    return render_template("users/index.html", users=user_admin.find_users(get_session(), g.user, wanted),
                           organisations=organisations, organisation=organisation, roles=list(Role), role=role,
                           active=active, manage=user_admin.may_manage_users(g.user))


@bp.route("/new", methods=["GET", "POST"])
@admin_required
def create():
    organisations = _organisations()
    form = UserCreateForm(organisations)
    if form.validate_on_submit():
        session = get_session()
        if session.scalar(sa.select(User.id).where(User.email == normalise_email(form.email.data))):
            form.email.errors.append(_("A user with this e-mail address exists already."))
        else:
            settings = _settings()
            with_link = settings.local_login and bool(settings.smtp_host)
            organisation = next(o for o in organisations if o.id == form.organisation_id.data)
            try:
                user, link = user_admin.invite(session, form.email.data, organisation, form.role.data,
                                               form.name.data, with_link)
            except AccountError:  # the same address, created a moment ago by someone else
                session.rollback()
                form.email.errors.append(_("A user with this e-mail address exists already."))
            else:
                if settings.smtp_host:
                    queue_link_mail(session, user, "invitation" if with_link else "invitation_sso", link)
                session.commit()
                flash(_("%(email)s has been added; an invitation is on its way by e-mail.", email=user.email)
                      if settings.smtp_host else
                      _("%(email)s has been added, but no e-mail was sent: no mail server is configured "
                        "(PLANNER_SMTP_HOST).", email=user.email), "success" if settings.smtp_host else "warning")
                return redirect(url_for("users.edit", public_id=user.uuid))
    return render_template("users/new.html", form=form, local_login=_settings().local_login)


def _user(public_id) -> User:
    user = get_session().scalar(sa.select(User).where(User.uuid == public_id))
    if user is None:
        abort(404)
    return user


def _from_provider(user: User) -> bool:
    """Single sign-on sets role and organisation at every login: a change here would not last."""
    return user.oidc_subject is not None and _settings().oidc is not None


def _stale(user: User) -> bool:
    """True when the page was based on another state of the user (another administrator changed it since)."""
    submitted = request.form.get("version")
    if not submitted:
        abort(400)
    return submitted != user_admin.version_of(user)


def _page(user: User, form: UserEditForm, conflicted: bool = False):
    conflict = [(_("Role"), _(user.role.label)), (_("Organisation"), user.organisation.name)] if conflicted else []
    return render_template("users/edit.html", user=user, form=form, action_form=FlaskForm(), conflicted=conflicted,
                           conflict=conflict, version=user_admin.version_of(user), from_provider=_from_provider(user),
                           may_reset=user_admin.may_get_reset_link(user, _settings().local_login),
                           mail=bool(_settings().smtp_host))


@bp.route("/<uuid:public_id>", methods=["GET", "POST"])
@admin_required
def edit(public_id):
    user, session = _user(public_id), get_session()
    form = UserEditForm(_organisations(), obj=user)
    if not form.validate_on_submit():
        return _page(user, form)
    user_admin.lock(session, user)
    if _from_provider(user):
        abort(403)  # the page offers no form for these users
    if _stale(user):
        return _page(user, form, conflicted=True)
    organisation = session.get(Organisation, form.organisation_id.data)
    try:
        user_admin.change(session, g.user, user, form.role.data, organisation)
    except user_admin.Refused as refused:
        session.rollback()
        form.role.errors.append(_refusal(refused.reason))
        return _page(user, form)
    session.commit()
    flash(_("Changes saved."), "success")
    return redirect(url_for("users.edit", public_id=user.uuid))


def _action(public_id, act, done: str):
    """Run `act(session, user)` on an unchanged user and commit; a refusal or a stale page changes nothing."""
    user, session = _user(public_id), get_session()
    user_admin.lock(session, user)
    if _stale(user):
        flash(_("Someone else changed this user in the meantime; nothing was changed. Check and try again."), "error")
    else:
        try:
            act(session, user)
        except user_admin.Refused as refused:
            session.rollback()
            flash(_refusal(refused.reason), "error")
        else:
            session.commit()
            flash(done % {"email": user.email}, "success")
    return redirect(url_for("users.edit", public_id=public_id))


@bp.post("/<uuid:public_id>/disable")
@admin_required
def disable(public_id):
    return _action(public_id, lambda session, user: user_admin.disable(session, g.user, user),
                   _("%(email)s has been disabled: logged out everywhere, and their feed links stopped working."))


@bp.post("/<uuid:public_id>/enable")
@admin_required
def enable(public_id):
    return _action(public_id, accounts.enable, _("%(email)s can log in again."))


@bp.post("/<uuid:public_id>/reset-link")
@admin_required
def reset_link(public_id):
    def send(session, user):
        if not user_admin.may_get_reset_link(user, _settings().local_login) or not _settings().smtp_host:
            abort(403)  # the page offers no such button
        queue_link_mail(session, user, "admin_reset", user_admin.send_reset_link(session, user))

    return _action(public_id, send, _("A link to choose a new password is on its way to %(email)s."))
