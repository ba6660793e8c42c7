"""Users, passwords, login throttling and who may see or change what."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from planner import clock
from planner.enums import OrganisationKind, Role
from planner.models import LoginAttempt, Organisation, PasswordReset, Plan, Subscription, User, UserSession

RESET_VALID_FOR = dt.timedelta(hours=1)

MIN_PASSWORD = 12
ACCOUNT_LOCK_AFTER = 5
ACCOUNT_LOCK_FOR = dt.timedelta(minutes=15)
ADDRESS_LIMIT = 20
ADDRESS_WINDOW = dt.timedelta(minutes=15)
# A hash to compare against when the e-mail is unknown, so that both paths take the same time.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


class AccountError(ValueError):
    """A user or password that cannot be accepted."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > 200:
        raise AccountError("a password may have at most 200 characters")


def create_user(session: Session, email: str, organisation: Organisation, role: Role, password: str,
                name: str = "") -> User:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"{email!r} is not an e-mail address")
    if session.scalar(sa.select(User.id).where(User.email == email)):
        raise AccountError(f"a user {email} already exists")
    check_password_strength(password)
    user = User(email=email, name=name, organisation=organisation, role=role,
                password_hash=generate_password_hash(password))
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Set a new password and end every session of the user (a new password means new logins)."""
    check_password_strength(password)
    user.password_hash = generate_password_hash(password)
    user.failed_logins, user.locked_until = 0, None
    end_sessions(session, user)


def end_sessions(session: Session, user: User) -> None:
    session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))


def disable(session: Session, user: User) -> None:
    """Disable a user: their sessions end and the feed links they made stop working."""
    user.active = False
    end_sessions(session, user)
    for subscription in session.scalars(sa.select(Subscription).where(Subscription.created_by_id == user.id,
                                                                       Subscription.revoked_at.is_(None))):
        subscription.revoked_at = clock.now()


def too_many_attempts(session: Session, address: str) -> bool:
    since = clock.now() - ADDRESS_WINDOW
    count = session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)
                           .where(LoginAttempt.address == address, LoginAttempt.at >= since))
    return count >= ADDRESS_LIMIT


def authenticate(session: Session, email: str, password: str, address: str) -> User | None:
    """The user for these credentials, or None; counts failures per account and per address."""
    if too_many_attempts(session, address):
        return None
    user = session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    now = clock.now()
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    locked = user is not None and user.locked_until is not None and user.locked_until > now
    if user is None or not user.active or locked or not valid:
        session.add(LoginAttempt(address=address[:64]))
        if user is not None and not locked:
            user.failed_logins += 1
            if user.failed_logins >= ACCOUNT_LOCK_AFTER:
                user.locked_until, user.failed_logins = now + ACCOUNT_LOCK_FOR, 0
        return None
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    return user


def start_session(session: Session, user: User) -> str:
    """A new server-side session (never reuse one from before login); returns the key for the cookie."""
    key = secrets.token_urlsafe(32)
    session.add(UserSession(key_hash=hashlib.sha256(key.encode()).hexdigest(), user=user))
    return key


def session_user(session: Session, key: str | None) -> User | None:
    if not key:
        return None
    row = session.scalar(sa.select(UserSession).where(
        UserSession.key_hash == hashlib.sha256(key.encode()).hexdigest()))
    if row is None or not row.user.active:
        return None
    return row.user


def end_session(session: Session, key: str | None) -> None:
    if key:
        session.execute(sa.delete(UserSession).where(
            UserSession.key_hash == hashlib.sha256(key.encode()).hexdigest()))


def request_reset(session: Session, email: str, address: str) -> tuple[User, str] | None:
    """A reset link for an active user (None for unknown addresses; the caller answers the same way)."""
    session.add(LoginAttempt(address=address[:64]))  # requests count towards the per-address limit
    if too_many_attempts(session, address):
        return None
    user = session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        return None
    token = secrets.token_urlsafe(32)
    session.add(PasswordReset(token_hash=hashlib.sha256(token.encode()).hexdigest(), user=user,
                              expires_at=clock.now() + RESET_VALID_FOR))
    return user, token


def valid_reset(session: Session, token: str) -> PasswordReset | None:
    reset = session.scalar(sa.select(PasswordReset).where(
        PasswordReset.token_hash == hashlib.sha256((token or "").encode()).hexdigest()))
    if reset is None or reset.used_at is not None or reset.expires_at < clock.now() or not reset.user.active:
        return None
    return reset


def complete_reset(session: Session, reset: PasswordReset, password: str) -> User:
    """Set the new password; this link and every other open link of the user stop working."""
    set_password(session, reset.user, password)
    now = clock.now()
    for other in session.scalars(sa.select(PasswordReset).where(PasswordReset.user_id == reset.user_id,
                                                                 PasswordReset.used_at.is_(None))):
        other.used_at = now
    return reset.user


# Who may see and change what

def _region_of(organisation: Organisation) -> Organisation | None:
    return organisation if organisation.kind == OrganisationKind.REGION else organisation.region


def can_read(user: User, plan: Plan) -> bool:
    if user.role == Role.ADMINISTRATOR or plan.owner_id == user.organisation_id:
        return True
    own_region = _region_of(user.organisation)
    plan_region = _region_of(plan.owner)
    if user.role == Role.COORDINATOR:
        return own_region is not None and plan_region is not None and own_region.id == plan_region.id
    # advisors and readers also see their region's own plans (to make a local plan from them)
    return own_region is not None and plan.owner_id == own_region.id


def can_edit(user: User, plan: Plan) -> bool:
    return user.role == Role.ADMINISTRATOR or (user.role == Role.ADVISOR and plan.owner_id == user.organisation_id)


def can_sign_off(user: User, plan: Plan) -> bool:
    """Phase gates: the plan's editors, and the coordinators of its region."""
    return can_edit(user, plan) or (user.role == Role.COORDINATOR and can_read(user, plan))


def visible_plans_filter(user: User):
    """A SQL condition for the plans `user` may read (mirrors can_read)."""
    if user.role == Role.ADMINISTRATOR:
        return sa.true()
    own_region = _region_of(user.organisation)
    conditions = [Plan.owner_id == user.organisation_id]
    if own_region is not None:
        if user.role == Role.COORDINATOR:
            members = sa.select(Organisation.id).where(Organisation.region_id == own_region.id)
            conditions += [Plan.owner_id == own_region.id, Plan.owner_id.in_(members)]
        else:
            conditions.append(Plan.owner_id == own_region.id)
    return sa.or_(*conditions)
