"""Notifications outside the app: e-mail over SMTP and any other apprise channel, one message or a daily digest.

Each user chooses (``users.notify_mode``): ``each`` event as it comes,
a daily ``digest``, or ``off`` (the bell in the app only). Their addresses
are their e-mail (through the mail server of ``SATUKANAL_SMTP_URL``) and
the apprise URLs the notification file lists for them or their agency.

A notification is claimed (``sending``) in its own transaction before the
message goes out and settled after: two runs never send it twice, and a run
that dies mid-send leaves it ``sending`` rather than mailing it again (at
most once, as suits a reminder that the bell also shows). A failed send is
tried again by the next runs, up to ``ATTEMPTS``.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from satukanal.models import User, utcnow
from satukanal.notifications.models import Notification
from satukanal.notifications.service import KIND_LABELS

log = logging.getLogger(__name__)

ATTEMPTS = 3
PENDING, SENDING, SENT, FAILED, SKIPPED = "pending", "sending", "sent", "failed", "skipped"
_CREDENTIALS = re.compile(r"(://)[^/@\s]*@")


class NotifyConfigError(ValueError):
    """The notification file cannot be used; the message names the file and the problem."""


def read_urls_file(path: Path | None) -> dict[str, dict[str, list[str]]]:
    """The ``[users]`` and ``[agencies]`` tables of apprise URLs from ``path`` (nothing when None)."""
    if path is None:
        return {"users": {}, "agencies": {}}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise NotifyConfigError(f"{path}: berkas notifikasi tidak dapat dibaca ({type(exc).__name__})") from None
    tables = {}
    for table in ("users", "agencies"):
        entries = raw.get(table, {})
        if not isinstance(entries, dict) or not all(
            isinstance(urls, list) and all(isinstance(url, str) for url in urls) for urls in entries.values()
        ):
            raise NotifyConfigError(f"{path}: [{table}] harus berisi daftar URL per nama")
        tables[table] = entries
    return tables


def scrub(text: str) -> str:
    """``text`` with the credentials of any URL in it masked, for logs and the error column."""
    return _CREDENTIALS.sub(r"\1***@", text)


@dataclass(frozen=True)
class Message:
    title: str
    body: str


class AppriseSender:
    """Sends a message to a user's addresses with apprise; ``send`` says whether anything went out."""

    def __init__(self, smtp_url: str | None, urls: dict[str, dict[str, list[str]]]) -> None:
        self._smtp_url = smtp_url
        self._urls = urls

    def addresses(self, user: Recipient) -> list[str]:
        found = []
        if self._smtp_url and user.email:
            joiner = "&" if "?" in self._smtp_url else "?"
            plain = "" if "format=" in self._smtp_url else "&format=text"  # the digest's lines stay lines
            found.append(f"{self._smtp_url}{joiner}to={quote(user.email, safe='@')}{plain}")
        found += self._urls["users"].get(user.username, [])
        if user.role == "agency" and user.agency:
            found += self._urls["agencies"].get(user.agency, [])
        return found

    def send(self, user: Recipient, message: Message) -> str | None:
        """None when sent; otherwise why not, with no secret in it."""
        import apprise  # its plugins take a while to load; only the delivery run needs them

        notifier = apprise.Apprise()
        for url in self.addresses(user):
            if not notifier.add(url):
                return f"alamat notifikasi tidak valid: {scrub(url).split('?')[0]}"
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
            sent = notifier.notify(title=message.title, body=message.body, body_format=apprise.NotifyFormat.TEXT)
        if sent:
            return None
        lines = captured.getvalue().strip().splitlines()
        return scrub(lines[-1] if lines else "gagal dikirim")


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0


def _text(notification: Notification, base_url: str | None) -> str:
    link = f"\n{base_url.rstrip('/')}{notification.link}" if base_url and notification.link else ""
    return f"{notification.text}{link}"


@dataclass(frozen=True)
class Recipient:
    """What sending needs of a user, read before the send so no session stays open across it."""

    username: str
    email: str | None
    role: str
    agency: str | None
    notify_mode: str

    @classmethod
    def of(cls, user: User) -> Recipient:
        return cls(user.username, user.email, user.role, user.agency, user.notify_mode)


def deliver(
    sessions: sessionmaker[Session], sender: AppriseSender, base_url: str | None, *, digest: bool = False
) -> DeliveryReport:
    """Send what waits: one message per notification for ``each`` users, or (``digest``) one per digest user."""
    mode = "digest" if digest else "each"
    with sessions.begin() as session:
        skipped = _skip_unreachable(session, sender)
        rows = session.execute(
            select(Notification.id, Notification.user_id)
            .join(User, User.id == Notification.user_id)
            .where(Notification.delivery == PENDING, User.notify_mode == mode)
            .order_by(Notification.id)
        ).all()
    by_user: dict[int, list[int]] = defaultdict(list)
    for notification_id, user_id in rows:
        by_user[user_id].append(notification_id)
    sent = failed = 0
    for user_id, ids in by_user.items():
        for batch in [ids] if digest else [[notification_id] for notification_id in ids]:
            done, count = _send_batch(sessions, user_id, batch, base_url, digest, sender)
            sent, failed = (sent + count, failed) if done else (sent, failed + count)
    return DeliveryReport(sent=sent, failed=failed, skipped=skipped)


def _message(items: Sequence[Notification], base_url: str | None, digest: bool) -> Message:
    if not digest:
        return Message(f"SatuKanal: {KIND_LABELS.get(items[0].kind, items[0].kind)}", _text(items[0], base_url))
    lines = [f"- {_text(item, base_url)}" for item in items]
    return Message(f"SatuKanal: ringkasan harian ({len(items)} pemberitahuan)", "\n".join(lines))


def _send_batch(
    sessions: sessionmaker[Session],
    user_id: int,
    ids: list[int],
    base_url: str | None,
    digest: bool,
    sender: AppriseSender,
) -> tuple[bool, int]:
    """Claim what of ``ids`` is still pending, send it as one message, settle it; (sent?, how many)."""
    with sessions.begin() as session:
        claimed = [
            notification_id
            for notification_id in ids
            if session.execute(
                update(Notification)
                .where(Notification.id == notification_id, Notification.delivery == PENDING)
                .values(delivery=SENDING, attempts=Notification.attempts + 1)
            ).rowcount
        ]
        if not claimed:  # another run took them
            return True, 0
        recipient = Recipient.of(session.get(User, user_id))
        items = session.scalars(select(Notification).where(Notification.id.in_(claimed)).order_by(Notification.id))
        message = _message(list(items), base_url, digest)
    error = sender.send(recipient, message)
    with sessions.begin() as session:
        for item in session.scalars(select(Notification).where(Notification.id.in_(claimed))):
            if error is None:
                item.delivery, item.delivered_at, item.error = SENT, utcnow(), None
            else:
                item.delivery, item.error = (FAILED if item.attempts >= ATTEMPTS else PENDING), error
    if error is not None:
        log.warning("notification to %s not delivered: %s", recipient.username, error)
    return error is None, len(claimed)


def _skip_unreachable(session: Session, sender: AppriseSender) -> int:
    """Pending notifications of users who read them in the app only, or have no address, are done; how many."""
    waiting = select(Notification.user_id).where(Notification.delivery == PENDING).distinct()
    users = session.scalars(select(User).where(User.id.in_(waiting)))
    unreachable = [user.id for user in users if user.notify_mode == "off" or not sender.addresses(Recipient.of(user))]
    if not unreachable:
        return 0
    return session.execute(
        update(Notification)
        .where(Notification.user_id.in_(unreachable), Notification.delivery == PENDING)
        .values(delivery=SKIPPED)
    ).rowcount
