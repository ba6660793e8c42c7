"""Settings from the environment and the instance folder, shared by web, CLI and scheduler."""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from planner.resources import SOURCE_ROOT, is_source_checkout

ENV_PREFIX = "PLANNER_"
SETTINGS_FILE = "planner.env"
SECRET_KEY_FILE = "secret_key"


def default_instance_path() -> Path:
    """Return <checkout>/instance in a source tree, else <prefix>/var/planner-instance."""
    if is_source_checkout():
        return SOURCE_ROOT / "instance"
    return Path(sys.prefix) / "var" / "planner-instance"


def read_env_file(path: Path) -> dict[str, str]:
    """Read KEY=VALUE lines; blank lines and lines starting with # are skipped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ValueError(f"{path}:{number}: expected KEY=VALUE")
        values[key.strip()] = value.strip().strip('"').strip("'")
    return values


@dataclass(frozen=True)
class Settings:
    instance_path: Path
    database_url: str
    secret_key: str
    base_url: str = "http://127.0.0.1:5000"
    export_dir: Path = field(default_factory=lambda: SOURCE_ROOT / "exports")
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_security: str = "none"  # none, starttls or tls
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_timeout: float = 20.0
    mail_from: str = "planner@localhost"
    pdf_conversions: int = 1  # LibreOffice conversions at the same time on this server
    pdf_wait_seconds: float = 5.0  # how long a PDF request waits for a free conversion (it holds a worker)
    # reverse proxies whose X-Forwarded-For is believed: addresses or networks (planner.web.proxies)
    trusted_proxies: tuple[str, ...] = ()
    session_idle_hours: float = 8.0    # a session ends after this long without a request
    session_max_hours: float = 12.0    # and this long after the login, however busy
    local_login: bool = True  # off: only break-glass administrators log in with a password
    oidc: OidcSettings | None = None  # single sign-on, when PLANNER_OIDC_ISSUER is set
    api_cors_origins: tuple[str, ...] = ()  # web origins whose browsers may call the API (CORS)
    api_rate_limit: int = 120  # API requests per key per minute

    @classmethod
    def load(cls, instance_path: Path | None = None, overrides: dict[str, str] | None = None) -> "Settings":
        """Read PLANNER_* from instance/planner.env, then the environment, then `overrides`."""
        overrides = overrides or {}
        env_instance = overrides.get(ENV_PREFIX + "INSTANCE_PATH") or os.environ.get(ENV_PREFIX + "INSTANCE_PATH")
        instance = Path(instance_path or env_instance or default_instance_path())
        values = read_env_file(instance / SETTINGS_FILE)
        values.update({k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIX)})
        values.update(overrides)

        def get(name: str) -> str | None:
            return values.get(ENV_PREFIX + name) or None

        database_url = get("DATABASE_URL") or f"sqlite:///{instance / 'planner.sqlite'}"
        return cls(
            instance_path=instance,
            database_url=database_url,
            secret_key=get("SECRET_KEY") or _instance_secret_key(instance),
            base_url=(get("BASE_URL") or cls.base_url).rstrip("/"),
            export_dir=Path(get("EXPORT_DIR") or (SOURCE_ROOT / "exports" if is_source_checkout() else instance / "exports")),
            smtp_host=get("SMTP_HOST") or "",
            smtp_port=int(get("SMTP_PORT") or 25),
            smtp_security=(get("SMTP_SECURITY") or "none").lower(),
            smtp_user=get("SMTP_USER") or "",
            smtp_password=get("SMTP_PASSWORD") or "",
            smtp_timeout=float(get("SMTP_TIMEOUT") or 20),
            mail_from=get("MAIL_FROM") or "planner@localhost",
            pdf_conversions=int(get("PDF_CONVERSIONS") or 1),
            pdf_wait_seconds=float(get("PDF_WAIT_SECONDS") or cls.pdf_wait_seconds),
            trusted_proxies=tuple(p.strip() for p in (get("TRUSTED_PROXIES") or "").split(",") if p.strip()),
            session_idle_hours=_positive(get("SESSION_IDLE_HOURS"), "SESSION_IDLE_HOURS", cls.session_idle_hours),
            session_max_hours=_positive(get("SESSION_MAX_HOURS"), "SESSION_MAX_HOURS", cls.session_max_hours),
            local_login=_switch(get("LOCAL_LOGIN"), "LOCAL_LOGIN", True),
            oidc=OidcSettings.load(get),
            api_cors_origins=tuple(o.strip().rstrip("/") for o in (get("API_CORS_ORIGINS") or "").split(",")
                                   if o.strip()),
            api_rate_limit=int(get("API_RATE_LIMIT") or cls.api_rate_limit),
        )


ROLE_NAMES = {"beheerder": "administrator", "adviseur": "advisor", "coordinator": "coordinator",
              "coördinator": "coordinator", "lezer": "reader", "administrator": "administrator",
              "advisor": "advisor", "reader": "reader"}


@dataclass(frozen=True)
class OidcSettings:
    """OpenID Connect single sign-on: the provider, this client, and how claims become a role and organisation."""

    issuer: str
    client_id: str
    client_secret: str
    scopes: str = "openid email profile"
    display_name: str = ""  # "Inloggen met <display_name>"
    roles_claim: str = "groups"
    # (claim value, role value) in order: the first value the user has decides the role
    role_map: tuple[tuple[str, str], ...] = ()
    organisation: str = ""  # a fixed organisation for every user ...
    organisation_claim: str = ""  # ... or the claim that names it
    organisation_map: tuple[tuple[str, str], ...] = ()  # (claim value, organisation name), e.g. group ids
    create_users: bool = False  # just-in-time accounts; otherwise only invited users (by e-mail) log in

    @classmethod
    def load(cls, get) -> "OidcSettings | None":
        issuer = (get("OIDC_ISSUER") or "").rstrip("/")
        if not issuer:
            return None
        client_id, secret = get("OIDC_CLIENT_ID"), get("OIDC_CLIENT_SECRET")
        if not client_id or not secret:
            raise ValueError(f"{ENV_PREFIX}OIDC_ISSUER needs {ENV_PREFIX}OIDC_CLIENT_ID and {ENV_PREFIX}OIDC_CLIENT_SECRET")
        role_map = tuple(_role_pair(pair) for pair in (get("OIDC_ROLE_MAP") or "").split(",") if pair.strip())
        if not role_map:
            raise ValueError(f"{ENV_PREFIX}OIDC_ROLE_MAP is needed: group=role pairs, such as "
                             "planner-adviseurs=adviseur,planner-beheer=beheerder")
        organisation, organisation_claim = get("OIDC_ORGANISATION") or "", get("OIDC_ORGANISATION_CLAIM") or ""
        if bool(organisation) == bool(organisation_claim):
            raise ValueError(f"set one of {ENV_PREFIX}OIDC_ORGANISATION (a fixed organisation) and "
                             f"{ENV_PREFIX}OIDC_ORGANISATION_CLAIM (the claim that names it)")
        return cls(issuer=issuer, client_id=client_id, client_secret=secret,
                   scopes=get("OIDC_SCOPES") or cls.scopes,
                   display_name=get("OIDC_NAME") or organisation or urlsplit(issuer).hostname or issuer,
                   roles_claim=get("OIDC_ROLES_CLAIM") or cls.roles_claim, role_map=role_map,
                   organisation=organisation, organisation_claim=organisation_claim,
                   organisation_map=tuple(_pair(pair, "OIDC_ORGANISATION_MAP") for pair in
                                          (get("OIDC_ORGANISATION_MAP") or "").split(",") if pair.strip()),
                   create_users=_switch(get("OIDC_CREATE_USERS"), "OIDC_CREATE_USERS", False))


def _pair(pair: str, name: str) -> tuple[str, str]:
    value, sep, target = pair.rpartition("=")
    if not sep or not value.strip() or not target.strip():
        raise ValueError(f"{ENV_PREFIX}{name}: {pair.strip()!r} is not VALUE=NAME")
    return value.strip(), target.strip()


def _role_pair(pair: str) -> tuple[str, str]:
    value, role = _pair(pair, "OIDC_ROLE_MAP")
    if role.lower() not in ROLE_NAMES:
        raise ValueError(f"{ENV_PREFIX}OIDC_ROLE_MAP: {role!r} is not one of beheerder, adviseur, coördinator, lezer")
    return value, ROLE_NAMES[role.lower()]


def _switch(value: str | None, name: str, default: bool) -> bool:
    if value is None:
        return default
    if value.strip().lower() in {"on", "true", "yes", "1"}:
        return True
    if value.strip().lower() in {"off", "false", "no", "0"}:
        return False
    raise ValueError(f"{ENV_PREFIX}{name} must be on or off, not {value!r}")


def _positive(value: str | None, name: str, default: float) -> float:
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not 0 < number < 24 * 365:
        raise ValueError(f"{ENV_PREFIX}{name} must be a number of hours above 0, not {value!r}")
    return number


def _instance_secret_key(instance: Path) -> str:
    """Return the instance's generated secret key, creating it (mode 0600) on first use."""
    path = instance / SECRET_KEY_FILE
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key
