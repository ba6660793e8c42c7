"""Single sign-on: who a provider's user is here, with which role and organisation; logouts the provider sends.

A person is found by the provider's stable subject (`iss` with `sub`), never only by e-mail address: an
address can be handed to someone else. The e-mail address serves once, to link the first login to a user an
administrator invited. Role and organisation come from the claims at every login, by the mapping in
`OidcSettings`, so a changed group changes the role. No token reaches this module: only validated claims.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from planner import clock
from planner.config import OidcSettings
from planner.domain import accounts
from planner.domain.security_log import record
from planner.enums import N_, Role, SecurityEventKind
from planner.models import Organisation, User, UserSession

NO_ROLE = N_("none of your groups gives access to the planner")
NO_ORGANISATION = N_("your organisation is not known in the planner")
NOT_INVITED = N_("there is no account for you in the planner yet")
NO_EMAIL = N_("the identity provider did not send an e-mail address")
TAKEN = N_("your e-mail address belongs to another account")
DISABLED = N_("your account in the planner is disabled")


@dataclass(frozen=True)
class SignIn:
    """The user who logs in, or None with the reason (a text to translate) why not."""

    user: User | None
    refusal: str = ""


def _values(claim) -> list[str]:
    """A claim as a list of strings (a groups claim is a list, an organisation claim often one string)."""
    if isinstance(claim, str):
        return [claim]
    if isinstance(claim, list):
        return [value for value in claim if isinstance(value, str)]
    return []


def role_from_claims(oidc: OidcSettings, claims: dict) -> Role | None:
    """The role of the first mapped value the user has, in the mapping's order; None when none maps."""
    values = set(_values(claims.get(oidc.roles_claim)))
    return next((Role(role) for value, role in oidc.role_map if value in values), None)


def organisation_from_claims(session: Session, oidc: OidcSettings, claims: dict) -> Organisation | None:
    """The fixed organisation, or the first claim value that (mapped or as it is) names a known organisation."""
    names = [oidc.organisation] if oidc.organisation else [
        dict(oidc.organisation_map).get(value, value) for value in _values(claims.get(oidc.organisation_claim))]
    wanted = [name.strip().lower() for name in names]
    found = {organisation.name.lower(): organisation for organisation in session.scalars(
        sa.select(Organisation).where(sa.func.lower(Organisation.name).in_(wanted)))} if wanted else {}
    return next((found[name] for name in wanted if name in found), None)


def email_from_claims(claims: dict) -> str:
    """The e-mail address, or Entra ID's `preferred_username` when it is one; never an unverified address."""
    if claims.get("email_verified") is False:
        return ""
    email = claims.get("email") or claims.get("preferred_username") or ""
    return accounts.normalise_email(email) if isinstance(email, str) and "@" in email else ""


def sign_in(session: Session, oidc: OidcSettings, claims: dict, address: str) -> SignIn:
    """Find, link or create the user of these validated claims, apply role and organisation, record it all."""
    issuer, subject = claims["iss"], claims["sub"]
    email = email_from_claims(claims)
    user = session.scalar(sa.select(User).where(User.oidc_issuer == issuer, User.oidc_subject == subject))
    invited = None
    if user is None and email:
        invited = session.scalar(sa.select(User).where(User.email == email))
        if invited is not None and invited.oidc_subject is not None:
            return _refuse(session, invited, email or subject, address, TAKEN)
    known = user or invited
    if known is not None and not known.active:
        return _refuse(session, known, email or subject, address, DISABLED)
    role = role_from_claims(oidc, claims)
    if role is None:
        if user is not None:  # a leaver, or someone moved out of the groups: as a local disable
            accounts.disable(session, user)
        return _refuse(session, known, email or subject, address, NO_ROLE)
    organisation = organisation_from_claims(session, oidc, claims)
    if organisation is None:
        return _refuse(session, known, email or subject, address, NO_ORGANISATION)
    if user is None:
        if invited is not None:
            user = invited
        elif not email:
            return _refuse(session, None, subject, address, NO_EMAIL)
        elif oidc.create_users:
            user = accounts.create_user(session, email, organisation, role, None, name=_name(claims))
        else:
            return _refuse(session, None, email, address, NOT_INVITED)
        user.oidc_issuer, user.oidc_subject = issuer, subject
        session.flush()
    accounts.set_role(session, user, role, N_("%(old_label)s → %(new_label)s (from the identity provider)"))
    if user.organisation_id != organisation.id:
        record(session, SecurityEventKind.ORGANISATION_CHANGED, user,
               N_("%(old)s → %(new)s (from the identity provider)"), old=user.organisation.name, new=organisation.name)
        user.organisation = organisation
    if not user.name and _name(claims):
        user.name = _name(claims)
    user.last_login_at = clock.now()
    record(session, SecurityEventKind.LOGIN, user, N_("single sign-on"), actor=user.email, address=address)
    return SignIn(user)


def _name(claims: dict) -> str:
    name = claims.get("name")
    return name.strip()[:200] if isinstance(name, str) else ""


def _refuse(session: Session, user: User | None, account: str, address: str, reason: str) -> SignIn:
    record(session, SecurityEventKind.LOGIN_FAILED, user, N_("single sign-on of %(account)s: %(reason_label)s"),
           address=address, account=account[:254], reason_label=reason)
    return SignIn(None, reason)


def provider_logout(session: Session, issuer: str, subject: str | None, sid: str | None) -> int:
    """End the sessions a back-channel logout names: the provider session `sid`, else all of the subject's."""
    query = sa.select(UserSession).join(User)
    if sid:
        query = query.where(UserSession.oidc_sid == sid)
    if subject:
        query = query.where(User.oidc_issuer == issuer, User.oidc_subject == subject)
    rows = list(session.scalars(query))
    for user in {row.user for row in rows}:
        record(session, SecurityEventKind.LOGOUT, user, N_("by the identity provider (back-channel logout)"),
               actor="identity provider")
    for row in rows:
        session.delete(row)
    return len(rows)
