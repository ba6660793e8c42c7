"""User management by an administrator: invite, change role and organisation, disable, enable, send a reset link.

Every change is recorded in the security log. The guard rails keep the instance manageable: nobody disables or
demotes themselves, and the last active administrator stays an active administrator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from planner.domain import accounts
from planner.domain.security_log import record
from planner.enums import N_, Role, SecurityEventKind
from planner.models import Organisation, PasswordReset, User

INVITATION_VALID_FOR = dt.timedelta(days=7)
VIEWERS = {Role.ADMINISTRATOR, Role.ADVISOR, Role.COORDINATOR}  # readers see no user list


class Refused(accounts.AccountError):
    """A change that is not made; `reason`: own_account, last_administrator or too_many_links."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def may_view_users(user: User) -> bool:
    return user.role in VIEWERS


def may_manage_users(user: User) -> bool:
    return user.role == Role.ADMINISTRATOR


@dataclass(frozen=True)
class UserFilter:
    organisation_id: int | None = None
    role: Role | None = None
    active: bool | None = None


def find_users(session: Session, viewer: User, wanted: UserFilter) -> list[User]:
    """The users `viewer` may see that match `wanted`: an administrator sees all, others their own organisation."""
    query = sa.select(User).options(selectinload(User.organisation)).order_by(User.email)
    if not may_manage_users(viewer):
        query = query.where(User.organisation_id == viewer.organisation_id)
    elif wanted.organisation_id is not None:
        query = query.where(User.organisation_id == wanted.organisation_id)
    if wanted.role is not None:
        query = query.where(User.role == wanted.role)
    if wanted.active is not None:
        query = query.where(User.active.is_(wanted.active))
    return list(session.scalars(query))


def version_of(user: User) -> str:
    """What an edit form was based on (users carry no row version): role, organisation and whether active."""
    return f"{user.role.value}:{user.organisation_id}:{int(user.active)}"


def lock(session: Session, user: User) -> None:
    """Lock the user's row until the commit, so that two administrators' changes to it are made one after the other."""
    session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    session.refresh(user)


def invite(session: Session, email: str, organisation: Organisation, role: Role, name: str,
           with_link: bool) -> tuple[User, tuple[PasswordReset, str] | None]:
    """A new user without a password; `with_link`: with a set-password link (row and token) for the invitation."""
    user = accounts.create_user(session, email, organisation, role, None, name=name)
    if not with_link:
        return user, None
    link = accounts.issue_link(session, user, INVITATION_VALID_FOR)
    record(session, SecurityEventKind.PASSWORD_RESET_REQUESTED, user, N_("invitation with a link sent by e-mail"))
    return user, link


def _other_active_administrators(session: Session, user: User) -> int:
    """Counted under a lock: two administrators demoting each other at once cannot both succeed."""
    return len(session.scalars(sa.select(User.id).where(
        User.role == Role.ADMINISTRATOR, User.active.is_(True), User.id != user.id).with_for_update()).all())


def _guard(session: Session, actor: User, user: User) -> None:
    if user.role == Role.ADMINISTRATOR and user.active and not _other_active_administrators(session, user):
        raise Refused("last_administrator")
    if user.id == actor.id:
        raise Refused("own_account")


def change(session: Session, actor: User, user: User, role: Role, organisation: Organisation) -> None:
    """Give `user` another role and organisation; a demotion passes the guard rails first."""
    if role != user.role and user.role == Role.ADMINISTRATOR:
        _guard(session, actor, user)
    accounts.set_role(session, user, role)
    if organisation.id != user.organisation_id:
        record(session, SecurityEventKind.ORGANISATION_CHANGED, user, N_("%(old)s → %(new)s"),
               old=user.organisation.name, new=organisation.name)
        user.organisation = organisation


def disable(session: Session, actor: User, user: User) -> None:
    """Disable `user` (sessions end, feed links stop) unless it is the actor or the last active administrator."""
    if user.active:
        _guard(session, actor, user)
        accounts.disable(session, user)


def send_reset_link(session: Session, user: User) -> tuple[PasswordReset, str]:
    """A reset link an administrator sends; refused while the user has as many open links as one may ask for."""
    if accounts.open_links(session, user) >= accounts.RESETS_PER_HOUR:
        raise Refused("too_many_links")
    link = accounts.issue_link(session, user, accounts.RESET_VALID_FOR)
    record(session, SecurityEventKind.PASSWORD_RESET_REQUESTED, user, N_("link sent by an administrator"))
    return link


def may_get_reset_link(user: User, local_login: bool) -> bool:
    """A reset link only helps an active user who may log in with a password (break-glass when passwords are off)."""
    return user.active and (local_login or user.break_glass)
