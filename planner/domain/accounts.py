"""Users, passwords, sessions and login throttling (who may see or change what: `planner.domain.access`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from planner import clock
from planner.domain import login_throttle
from planner.domain.security_log import record
from planner.enums import N_, Role, SecurityEventKind
from planner.models import Organisation, PasswordReset, Subscription, User, UserSession

RESET_VALID_FOR = dt.timedelta(hours=1)
RESETS_PER_HOUR = 3  # open reset links per user; more requests get the same answer but no e-mail
SEEN_EVERY = dt.timedelta(minutes=1)  # how often a session's last_seen_at is written

MIN_PASSWORD = 12
MAX_PASSWORD = 200
# zxcvbn's score (0-4): 3 means "safely unguessable" (about 10^8 guesses or more). Its lists are
# English, so a few words that Dutch users of this planner would reach for are added.
MIN_SCORE = 3
LOCAL_WORDS = ("wachtwoord", "welkom", "geheim", "planner", "communicatie", "gemeente", "veilig", "thuis",
               "kindermishandeling", "zomer", "winter", "lente", "herfst", "maandag", "januari", "nederland")
# How passwords are stored: werkzeug's scrypt with its default work factor (N=2^15, r=8, p=1), about 0.1 s a
# hash; a stored hash carries its own parameters, so checking follows whatever it was made with.
PASSWORD_HASH_METHOD = "scrypt:32768:8:1"
# A hash to compare against when the e-mail is unknown, so that both paths take the same time.
_DUMMY_HASH = generate_password_hash("not a password of anyone", method=PASSWORD_HASH_METHOD)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_HASH_METHOD)


class AccountError(ValueError):
    """A user or password that cannot be accepted."""


class WeakPassword(AccountError):
    """A password that is refused; `reason` is short, long or guessable."""

    def __init__(self, text: str, reason: str):
        super().__init__(text)
        self.reason = reason


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _words(*texts: str) -> list[str]:
    """The texts whole and their words: an e-mail address, its name and domain, a name, an organisation."""
    texts = [(text or "").strip().lower() for text in texts]
    return [t for t in texts if t] + [w for text in texts for w in re.split(r"[\W_]+", text) if len(w) >= 3]


def check_password_strength(password: str, *personal: str) -> None:
    """Refuse short, overlong, common and easily guessed passwords (`personal`: the user's e-mail, name...)."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise WeakPassword(f"a password needs at least {MIN_PASSWORD} characters", "short")
    if len(password) > MAX_PASSWORD:
        raise WeakPassword(f"a password may have at most {MAX_PASSWORD} characters", "long")
    # zxcvbn takes at most 72 characters; a longer password that starts strongly is strong
    if zxcvbn(password[:72], user_inputs=[*LOCAL_WORDS, *_words(*personal)])["score"] < MIN_SCORE:
        raise WeakPassword("this password is too common or too easy to guess (a word, name, date or pattern "
                           "that is tried early); choose a longer one, for example a few unrelated words", "guessable")


def personal_words(user: User) -> tuple[str, ...]:
    return user.email, user.name, user.organisation.name if user.organisation is not None else ""


def create_user(session: Session, email: str, organisation: Organisation, role: Role, password: str | None,
                name: str = "", break_glass: bool = False) -> User:
    """A new user; without a password they log in through single sign-on (or choose one by a reset link)."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"{email!r} is not an e-mail address")
    if session.scalar(sa.select(User.id).where(User.email == email)):
        raise AccountError(f"a user {email} already exists")
    if break_glass and (role != Role.ADMINISTRATOR or not password):
        raise AccountError("a break-glass account is an administrator with a password")
    if password is not None:
        check_password_strength(password, email, name, organisation.name)
    user = User(email=email, name=name, organisation=organisation, role=role, break_glass=break_glass,
                password_hash=hash_password(password) if password is not None else "")
    session.add(user)
    session.flush()
    record(session, SecurityEventKind.USER_CREATED, user, N_("role: %(role_label)s"), role_label=role.label)
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Set a new password and end every session of the user (a new password means new logins)."""
    check_password_strength(password, *personal_words(user))
    user.password_hash = hash_password(password)
    end_sessions(session, user)


def set_role(session: Session, user: User, role: Role, detail: str = N_("%(old_label)s → %(new_label)s")) -> None:
    """Give `user` another role, recorded with `detail` (a text with the old and the new role)."""
    if role != user.role:
        record(session, SecurityEventKind.ROLE_CHANGED, user, detail, old_label=user.role.label, new_label=role.label)
        user.role = role


def end_sessions(session: Session, user: User) -> None:
    session.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))


def disable(session: Session, user: User) -> None:
    """Disable a user: their sessions end and the feed links they made stop working."""
    user.active = False
    end_sessions(session, user)
    for subscription in session.scalars(sa.select(Subscription).where(Subscription.created_by_id == user.id,
                                                                       Subscription.revoked_at.is_(None))):
        subscription.revoked_at = clock.now()
    record(session, SecurityEventKind.USER_DISABLED, user)


def enable(session: Session, user: User) -> None:
    """Let a disabled user log in again; the feed links revoked at the disable stay revoked."""
    if not user.active:
        user.active = True
        record(session, SecurityEventKind.USER_ENABLED, user)


@dataclass(frozen=True)
class LoginResult:
    """The user, or None; `wait`: seconds before the next attempt is looked at (0: try again at once)."""

    user: User | None
    wait: int = 0
    refused_early: bool = False  # too early: the password was not even checked


def authenticate(session: Session, email: str, password: str, address: str,
                 break_glass_only: bool = False) -> LoginResult:
    """Check the credentials unless this address must wait; count and record failures.

    `break_glass_only`: local passwords are switched off, and only break-glass administrators get in."""
    now = clock.now()
    wait = login_throttle.seconds_to_wait(session, address, email, now)
    if wait:
        return LoginResult(None, wait, refused_early=True)
    user = session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    if user is None or not user.active or not valid or (break_glass_only and not user.break_glass):
        reason = N_("unknown account") if user is None else N_("account disabled") if not user.active \
            else N_("wrong password") if not valid else N_("local passwords are switched off")
        return LoginResult(None, _failed(session, user, email, address, now, reason))
    login_throttle.clear_account(session, address, email)
    user.last_login_at = now
    record(session, SecurityEventKind.LOGIN, user, actor=user.email, address=address)
    return LoginResult(user)


def _failed(session: Session, user: User | None, email: str, address: str, now: dt.datetime, reason: str) -> int:
    """Count a failure, record it (and the delay it starts); return the seconds to wait now."""
    login_throttle.count_failure(session, address, email, now)
    record(session, SecurityEventKind.LOGIN_FAILED, user, detail=reason, address=address)
    wait = login_throttle.seconds_to_wait(session, address, email, now)
    if wait:
        record(session, SecurityEventKind.LOGIN_DELAYED, user, N_("next attempt from this address after %(seconds)d s"),
               address=address, seconds=wait)
    return wait


def verify_current_password(session: Session, user: User, password: str, address: str) -> LoginResult:
    """The change-password page's check: throttled and recorded like a login."""
    now = clock.now()
    wait = login_throttle.seconds_to_wait(session, address, user.email, now)
    if wait:
        return LoginResult(None, wait, refused_early=True)
    if not check_password_hash(user.password_hash, password or ""):
        return LoginResult(None, _failed(session, user, user.email, address, now, "wrong current password"))
    return LoginResult(user)


def change_password(session: Session, user: User, password: str) -> str:
    """A logged-in user's new password: every session ends; returns the key of a fresh one for this browser."""
    set_password(session, user, password)
    record(session, SecurityEventKind.PASSWORD_CHANGED, user)
    return start_session(session, user)


# Sessions

def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(session: Session, user: User, via_sso: bool = False, oidc_sid: str | None = None) -> str:
    """A new server-side session (never reuse one from before login); returns the key for the cookie.

    `oidc_sid`: the identity provider's session, whose back-channel logout ends this one."""
    key = secrets.token_urlsafe(32)
    now = clock.now()
    session.add(UserSession(key_hash=_key_hash(key), user=user, created_at=now, last_seen_at=now, via_sso=via_sso,
                            oidc_sid=oidc_sid))
    return key


def session_user(session: Session, key: str | None, idle: dt.timedelta, lifetime: dt.timedelta) -> User | None:
    """The user of a live session; a session idle longer than `idle` or older than `lifetime` is over.

    last_seen_at is written at most once per SEEN_EVERY; the caller commits when the session is dirty.
    """
    if not key:
        return None
    row = session.scalar(sa.select(UserSession).where(UserSession.key_hash == _key_hash(key)))
    if row is None or not row.user.active:
        return None
    now = clock.now()
    if now - row.last_seen_at > idle or now - row.created_at > lifetime:
        return None
    if now - row.last_seen_at >= SEEN_EVERY:
        row.last_seen_at = now
    return row.user


def end_session(session: Session, key: str | None) -> UserSession | None:
    """End the session with this key; returns it (None if there was none)."""
    if not key:
        return None
    row = session.scalar(sa.select(UserSession).where(UserSession.key_hash == _key_hash(key)))
    if row is not None:
        session.delete(row)
    return row


def purge_sessions(session: Session, now: dt.datetime, idle: dt.timedelta, lifetime: dt.timedelta) -> int:
    """Delete sessions that can no longer be used, and expired reset links and old login failures."""
    removed = session.execute(sa.delete(UserSession).where(sa.or_(
        UserSession.last_seen_at < now - idle, UserSession.created_at < now - lifetime))).rowcount
    session.execute(sa.delete(PasswordReset).where(PasswordReset.expires_at < now - dt.timedelta(days=1)))
    login_throttle.purge_failures(session, now)
    return removed


# Password reset by e-mail

def request_reset(session: Session, email: str) -> tuple[PasswordReset, str] | None:
    """A reset link (row and token) for an active user; None for unknown addresses, the caller answers the same way."""
    user = session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        record(session, SecurityEventKind.PASSWORD_RESET_REQUESTED, detail=N_("no active account with this address"))
        return None
    recent = open_links(session, user)
    if recent >= RESETS_PER_HOUR:
        record(session, SecurityEventKind.PASSWORD_RESET_REQUESTED, user,
               N_("no e-mail: already %(count)d links in the last hour"), count=recent)
        return None
    found = issue_link(session, user, RESET_VALID_FOR)
    record(session, SecurityEventKind.PASSWORD_RESET_REQUESTED, user, N_("link sent by e-mail"))
    return found


def open_links(session: Session, user: User) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(PasswordReset).where(
        PasswordReset.user_id == user.id, PasswordReset.expires_at > clock.now()))


def issue_link(session: Session, user: User, valid_for: dt.timedelta) -> tuple[PasswordReset, str]:
    """A single-use set-password link (row and token) for `user`, valid for `valid_for`; the caller records why."""
    token = secrets.token_urlsafe(32)
    reset = PasswordReset(token_hash=_key_hash(token), user=user, expires_at=clock.now() + valid_for)
    session.add(reset)
    session.flush()
    return reset, token


def valid_reset(session: Session, token: str) -> PasswordReset | None:
    reset = session.scalar(sa.select(PasswordReset).where(PasswordReset.token_hash == _key_hash(token or "")))
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
    record(session, SecurityEventKind.PASSWORD_RESET, reset.user)
    return reset.user

