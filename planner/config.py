"""Settings from the environment and the instance folder, shared by web, CLI and scheduler."""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path

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
            api_cors_origins=tuple(o.strip().rstrip("/") for o in (get("API_CORS_ORIGINS") or "").split(",")
                                   if o.strip()),
            api_rate_limit=int(get("API_RATE_LIMIT") or cls.api_rate_limit),
        )


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
