"""The notifications table: one row per person per event, read in the app and delivered outside it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from satukanal.schema import Base, utcnow


class Notification(Base):
    """Something a user should know: a ticket routed to their agency or given to them, a deadline, a draft.

    ``key`` names the event (``overdue:98:2026-12-07``), unique per user, so
    the same event never notifies a person twice however often the checks run:
    deadline reminders carry the day in their key and come once per ticket per
    day. ``delivery`` is the state outside the app: ``pending``, ``sent``,
    ``failed`` (after ``attempts`` tries; ``error`` says why), or ``skipped`` (no address, or the user
    reads notifications in the app only).
    """

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(200))
    """The page the notification is about, as a path in the web app (``/tiket/98``)."""
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column()
    delivery: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    delivered_at: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
