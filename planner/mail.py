"""Send e-mail over SMTP with the PLANNER_SMTP_* settings (none, STARTTLS or TLS)."""

from __future__ import annotations

import email.policy
import smtplib
import ssl
from collections.abc import Callable
from email.headerregistry import HeaderRegistry, UniqueUnstructuredHeader
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from planner.config import Settings


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server.

    `permanent` is true when the server refused the recipient or the message itself with a 5xx
    reply: sending the same message again will not help. Everything else (no connection, a
    timeout, a 4xx reply, a refused login or sender) may pass on a later attempt.
    """

    def __init__(self, text: str, permanent: bool = False):
        super().__init__(text)
        self.permanent = permanent


class UrlListHeader(UniqueUnstructuredHeader):
    """List-Unsubscribe: angle-bracketed URLs that mail clients read as they are (RFC 2369).

    The standard folding turns a URL longer than a line into RFC 2047 encoded words, which no mail
    client recognises as an unsubscribe link; a header line may run to 998 characters, so an ASCII
    value is written out whole.
    """

    def fold(self, *, policy):
        value = str(self)
        if not value.isascii() or len(value) > 990:
            return super().fold(policy=policy)
        return f"{self.name}: {value}{policy.linesep}"


def _header_registry() -> HeaderRegistry:
    registry = HeaderRegistry()
    registry.map_to_type("list-unsubscribe", UrlListHeader)
    return registry


# Every message is built and read back with this policy, so that List-Unsubscribe keeps its plain form.
MAIL_POLICY = email.policy.default.clone(header_factory=_header_registry())


def _describe(exc: Exception) -> tuple[str, bool]:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return f"SMTP: recipient refused ({', '.join(map(str, codes))})", all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        permanent = isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500
        return f"SMTP: {exc.__class__.__name__} {exc.smtp_code}", permanent
    detail = str(exc).strip()
    return f"SMTP: {exc.__class__.__name__}" + (f" ({detail[:200]})" if detail else ""), False


def build_message(settings: Settings, to: str, subject: str, text: str, html: str | None = None,
                  sender_name: str = "Communicatieplanner") -> EmailMessage:
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = formataddr((sender_name, settings.mail_from))
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.mail_from.split("@")[-1] or "planner")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send(settings: Settings, message: EmailMessage, on_accepted: Callable[[], None] | None = None) -> None:
    """Hand `message` to the configured SMTP server.

    `on_accepted` runs as soon as the server has accepted the message, before the connection is
    closed, so that the caller can record the delivery with as little delay as possible.
    """
    if not settings.smtp_host:
        raise MailError("no SMTP server configured (PLANNER_SMTP_HOST)")
    try:
        if settings.smtp_security == "tls":
            client = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(*_describe(exc)) from None
    try:
        if settings.smtp_security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password)
        client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        client.close()
        raise MailError(*_describe(exc)) from None
    try:
        if on_accepted is not None:
            on_accepted()
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()  # the message was accepted; a failing goodbye changes nothing
