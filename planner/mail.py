"""Send e-mail over SMTP with the PLANNER_SMTP_* settings (none, STARTTLS or TLS)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from planner.config import Settings

TIMEOUT_SECONDS = 20


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server."""


def build_message(settings: Settings, to: str, subject: str, text: str, html: str | None = None,
                  sender_name: str = "Communicatieplanner") -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((sender_name, settings.mail_from))
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.mail_from.split("@")[-1] or "planner")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send(settings: Settings, message: EmailMessage) -> None:
    """Hand `message` to the configured SMTP server."""
    if not settings.smtp_host:
        raise MailError("no SMTP server configured (PLANNER_SMTP_HOST)")
    try:
        if settings.smtp_security == "tls":
            client = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
        with client:
            if settings.smtp_security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                client.login(settings.smtp_user, settings.smtp_password)
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"SMTP: {exc.__class__.__name__}") from None
