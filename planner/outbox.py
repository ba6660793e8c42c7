"""The reminder outbox: record each due reminder once, then deliver it over SMTP.

Exactly once rests on the database, not on the scheduler:

* A reminder is a row with the unique key (user, kind, item, date). Whoever inserts the row
  first (a scheduler, a second scheduler, `planner reminders send-now`) composes it; everyone
  else gets an integrity error and moves on. So a restart or a second process never creates a
  second message, and a run missed during downtime is created (once) on the next tick.
* Delivery claims a row with one conditional UPDATE (pending -> sending). Only the process whose
  UPDATE changed the row sends it; the claim is committed before the SMTP conversation starts.
* The row becomes `sent` in its own commit right after the server has accepted the message
  (before QUIT). If the process dies inside that window (milliseconds), the row stays `sending`;
  after `STALE_CLAIM` it is put back to pending and sent again with the same Message-ID, and
  the log says that it may arrive twice. That is the only way a message can be duplicated. No
  message is dropped, except one whose set-password link no longer works (expired or used): it
  is marked failed and its body wiped instead of being sent late.
* A temporary fault (server down, slow, 4xx) puts the row back to pending with exponential
  backoff; a permanent refusal of the recipient (5xx) marks it failed. One bad address never
  holds up the others, because each message has its own SMTP conversation.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging
from dataclasses import dataclass, field
from email.message import EmailMessage

import sqlalchemy as sa
from flask import Flask, render_template, url_for
from sqlalchemy.exc import IntegrityError

from planner import clock
from planner.clock import AMSTERDAM
from planner.config import Settings
from planner.domain import reminders
from planner.domain.localtime import end_of_day_utc
from planner.enums import DeliveryStatus, ReminderKind
from planner.mail import MAIL_POLICY, MailError, build_message, send
from planner.models import PasswordReset, Reminder, User

log = logging.getLogger("planner.reminders")

STALE_CLAIM = dt.timedelta(minutes=10)   # far longer than one SMTP conversation can take (timeouts of 20 s)
FIRST_RETRY = dt.timedelta(minutes=1)
MAX_RETRY = dt.timedelta(hours=1)
BATCH = 200
# The `item` of a set-password message (kind PASSWORD_RESET) is the id of its link's PasswordReset row; a welcome
# without a link (single sign-on) has this prefix and the user's id instead.
WELCOME_ITEM = "welcome-"


def queue_message(session, user: User, kind: ReminderKind, item: str, message: EmailMessage,
                  now: dt.datetime) -> Reminder:
    """Put a message composed elsewhere (a password-reset link) in the outbox; the scheduler sends it.

    The request that asks for it only writes a row, so it answers as fast whether or not an
    e-mail goes out, and a slow mail server never holds up a web worker.
    """
    row = Reminder(user_id=user.id, kind=kind, item=item, on_date=now.astimezone(AMSTERDAM).date(),
                   recipient=user.email, subject=str(message["Subject"])[:300],
                   message_id=str(message["Message-ID"]), body=message.as_bytes(policy=email.policy.SMTP),
                   items=[], created_at=now, next_attempt_at=now)
    session.add(row)
    return row


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, ... minutes after the n-th failed attempt, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY)


@dataclass
class Report:
    created: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class Outbox:
    """Plans and delivers reminders with the web app's settings, templates and translations."""

    def __init__(self, app: Flask):
        self.app = app
        self.settings: Settings = app.config["PLANNER_SETTINGS"]
        self.sessions = app.extensions["planner.sessionmaker"]

    # composing

    def render(self, content, kind: ReminderKind) -> EmailMessage:
        """The e-mail for a digest or summary: Dutch plain text and HTML, links back into the planner."""
        user = content.user
        template = "digest" if kind == ReminderKind.DIGEST else "summary"
        with self.app.test_request_context(base_url=self.settings.base_url):
            token = reminders.unsubscribe_token(self.app.config["SECRET_KEY"], user)
            context = {"content": content, "user": user,
                       "unsubscribe_url": url_for("account.unsubscribe", token=token, _external=True),
                       "preferences_url": url_for("account.preferences", _external=True)}
            subject = render_template(f"mail/{template}_subject.txt", **context).strip()
            text = render_template(f"mail/{template}.txt", **context)
            html = render_template(f"mail/{template}.html", **context)
        message = build_message(self.settings, user.email, subject, text, html, sender_name=user.organisation.name)
        message["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message["Auto-Submitted"] = "auto-generated"
        message["X-Auto-Response-Suppress"] = "All"
        return message

    def preview(self, user: User, on_date: dt.date) -> list[tuple[ReminderKind, EmailMessage | None]]:
        """What `user` would get for `on_date`, without recording anything (None: nothing to report)."""
        result = []
        with self.sessions() as session:
            user = session.get(User, user.id)
            for kind in ReminderKind:
                if reminders.latest_occurrence(user, kind, end_of_day_utc(on_date)) != on_date:
                    continue
                content = reminders.compose(session, user, kind, on_date)
                result.append((kind, None if content.empty else self.render(content, kind)))
        return result

    # planning: one row per due key

    def plan_due(self, now: dt.datetime) -> Report:
        """Create the rows of every reminder due at `now` that does not exist yet."""
        report = Report()
        with self.sessions() as session:
            users = session.scalars(sa.select(User).where(User.active.is_(True))).all()
            wanted = [(user, kind, day) for user in users for kind, day in reminders.due_keys(user, now)]
            if not wanted:
                return report
            existing = set(session.execute(
                sa.select(Reminder.user_id, Reminder.kind, Reminder.on_date)
                .where(Reminder.item == "", Reminder.on_date.in_({day for _, _, day in wanted}))).all())
            for user, kind, day in wanted:
                if (user.id, kind, day) in existing:
                    continue
                try:
                    if self.record(session, user, kind, day, now):
                        report.created += 1
                except Exception:  # one user's broken data must not stop everyone else's reminders
                    session.rollback()
                    log.exception("reminder %s for %s on %s could not be composed", kind.value, user.email, day)
        return report

    def record(self, session, user: User, kind: ReminderKind, day: dt.date, now: dt.datetime) -> bool:
        """Compose the reminder with key (user, kind, day) and store it; False when it exists already."""
        content = reminders.compose(session, user, kind, day)
        row = Reminder(user_id=user.id, kind=kind, item="", on_date=day, recipient=user.email,
                       items=content.refs, created_at=now, next_attempt_at=now)
        if content.empty:
            row.status = DeliveryStatus.EMPTY
        else:
            message = self.render(content, kind)
            row.subject, row.message_id = str(message["Subject"]), str(message["Message-ID"])
            row.body = message.as_bytes(policy=email.policy.SMTP)
        session.add(row)
        # an older reminder of the same kind still waiting is covered by this newer one
        session.execute(sa.update(Reminder).where(
            Reminder.user_id == user.id, Reminder.kind == kind, Reminder.on_date < day,
            Reminder.status == DeliveryStatus.PENDING).values(status=DeliveryStatus.SUPERSEDED))
        try:
            session.commit()
        except IntegrityError:  # another scheduler (or send-now) recorded this key first
            session.rollback()
            return False
        log.info("reminder %s for %s on %s: %s", kind.value, user.email, day,
                 "nothing to report" if content.empty else f"{len(content.refs)} item(s)")
        return True

    # delivering

    def deliver_due(self, now: dt.datetime) -> Report:
        """Send every pending reminder whose time has come; each in its own SMTP conversation."""
        report = Report()
        if not self.settings.smtp_host:
            return report
        with self.sessions() as session:
            stale = session.scalars(sa.select(Reminder).where(
                Reminder.status == DeliveryStatus.SENDING, Reminder.claimed_at < now - STALE_CLAIM)).all()
            for row in stale:
                log.warning("reminder %d to %s was being sent when a scheduler stopped; sending it again "
                            "(it may arrive twice, with the same Message-ID)", row.id, row.recipient)
                session.execute(sa.update(Reminder).where(
                    Reminder.id == row.id, Reminder.status == DeliveryStatus.SENDING,
                    Reminder.claimed_at == row.claimed_at).values(status=DeliveryStatus.PENDING))
            # A message with a set-password link (a reset, an invitation) is of no use once its link no longer
            # works (expired or used): it is not sent late, and its body, which holds the link, goes.
            link_works = sa.exists().where(
                sa.cast(PasswordReset.id, sa.String) == Reminder.item, PasswordReset.used_at.is_(None),
                PasswordReset.expires_at >= now)
            session.execute(sa.update(Reminder).where(
                Reminder.kind == ReminderKind.PASSWORD_RESET, Reminder.status == DeliveryStatus.PENDING,
                Reminder.item.not_like(f"{WELCOME_ITEM}%"), ~link_works).values(
                status=DeliveryStatus.FAILED, body=b"", last_error="not sent in time; the link no longer works"))
            session.commit()
            due = session.scalars(sa.select(Reminder.id).where(
                Reminder.status == DeliveryStatus.PENDING, Reminder.next_attempt_at <= now)
                .order_by(Reminder.next_attempt_at, Reminder.id).limit(BATCH)).all()
        for reminder_id in due:
            self._deliver(reminder_id, now, report)
        return report

    def _deliver(self, reminder_id: int, now: dt.datetime, report: Report) -> None:
        with self.sessions() as session:
            claimed = session.execute(sa.update(Reminder).where(
                Reminder.id == reminder_id, Reminder.status == DeliveryStatus.PENDING).values(
                status=DeliveryStatus.SENDING, claimed_at=now, attempts=Reminder.attempts + 1)).rowcount
            session.commit()
            if claimed != 1:
                return  # another process took it
            row = session.get(Reminder, reminder_id)
            message = email.message_from_bytes(row.body, policy=MAIL_POLICY)
            # Once the server has it (or refused it for good) the body is of no further use here: keep no copy
            # of what it said (a reset link, or names an AVG erasure would have to find in MIME-encoded bytes).
            wiped = {"body": b""}

            def accepted() -> None:
                session.execute(sa.update(Reminder).where(Reminder.id == reminder_id).values(
                    status=DeliveryStatus.SENT, sent_at=now, last_error="", **wiped))
                session.commit()

            try:
                send(self.settings, message, on_accepted=accepted)
            except MailError as exc:
                session.rollback()
                if exc.permanent:
                    values = {"status": DeliveryStatus.FAILED, **wiped}
                    report.failed += 1
                    log.error("reminder %d to %s refused for good: %s", reminder_id, row.recipient, exc)
                else:
                    wait = backoff(row.attempts)
                    values = {"status": DeliveryStatus.PENDING, "next_attempt_at": now + wait}
                    report.retried += 1
                    log.warning("reminder %d to %s not sent (%s), attempt %d; next try in %d min",
                                reminder_id, row.recipient, exc, row.attempts, wait.total_seconds() // 60)
                report.errors.append(f"{row.recipient}: {exc}")
                session.execute(sa.update(Reminder).where(Reminder.id == reminder_id).values(
                    last_error=str(exc)[:500], **values))
                session.commit()
                return
            report.sent += 1
            log.info("reminder %d sent to %s", reminder_id, row.recipient)

    def run(self, now: dt.datetime | None = None) -> Report:
        """One tick: plan what is due, then deliver what is pending."""
        now = now or clock.now()
        planned = self.plan_due(now) if self.settings.smtp_host else Report()
        delivered = self.deliver_due(now)
        delivered.created = planned.created
        return delivered
