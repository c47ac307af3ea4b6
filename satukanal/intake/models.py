"""The intake feature's table: how each collection source fared."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from satukanal.schema import Base


class SourceHealth(Base):
    """How a collection source fared: its last run, last success, and the incident it is in, if any.

    ``state`` is ``ok``, ``failing`` (the last run gave up on a temporary
    failure; the next one tries again) or ``broken`` (a person must act:
    ``error_code`` and ``advice`` say what). ``alarm_logged`` keeps the
    scheduler to one alarm per incident.
    """

    __tablename__ = "source_health"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(20), default="ok")
    last_run_at: Mapped[datetime | None] = mapped_column()
    last_success_at: Mapped[datetime | None] = mapped_column()
    last_added: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    advice: Mapped[str | None] = mapped_column(Text)
    incident_since: Mapped[datetime | None] = mapped_column()
    alarm_logged: Mapped[bool] = mapped_column(Boolean, default=False)
    check_requested_at: Mapped[datetime | None] = mapped_column()
    """An admin asked in the web app for a check of this X or Instagram source; the scheduler runs it."""
