"""SQLAlchemy models: the schema of record. Migrations in ``satukanal/migrations`` follow it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from satukanal.schema import MAX_ROW_ID, Base, utcnow  # noqa: F401 (MAX_ROW_ID: imported from here by the web app)


class Post(Base):
    """One item aimed at a watched account, stored once per (platform, platform id)."""

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("platform", "platform_id"),
        Index("ix_posts_review_queue", "is_own", "review_status", "created_at"),
        Index("ix_posts_flagged_queue", "is_own", "review_status", "flagged", "created_at"),
        Index("ix_posts_source_collected", "source", "collected_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    platform_id: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    account: Mapped[str | None] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(100))
    author_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    in_reply_to: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(index=True)
    collected_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_own: Mapped[bool] = mapped_column(Boolean, default=False)
    review_status: Mapped[str] = mapped_column(String(20), default="pending")
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)
    media: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    """Attached photos and videos: type, url, preview_url, width, height (``monitor.Media``)."""
    classification_id: Mapped[int | None] = mapped_column(
        ForeignKey("classifications.id", use_alter=True, ondelete="SET NULL"), index=True
    )

    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    """The moderator who took the post ("ambil"), so two people do not decide it at once."""

    flagged: Mapped[bool | None] = mapped_column(Boolean)
    """The current classification's verdict (None: not scored yet), kept beside it by scoring so that the queue
    and the count of posts waiting need no join: with a million posts, most of them pending and not flagged,
    counting the flagged ones through their classifications read every pending post (0.4 s on each page)."""

    classification: Mapped[Classification | None] = relationship(foreign_keys=[classification_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    ticket_link: Mapped[TicketPost | None] = relationship(back_populates="post")


class Cursor(Base):
    """Where a source stopped, per (source, key): the newest id, a file fingerprint, ..."""

    __tablename__ = "cursors"
    __table_args__ = (UniqueConstraint("source", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    value: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @classmethod
    def read(cls, session: Session, source: str, key: str) -> str | None:
        """The value of the cursor (source, key), or None before it is first saved."""
        return session.scalar(select(cls.value).where(cls.source == source, cls.key == key))

    @classmethod
    def save(cls, session: Session, source: str, key: str, value: str) -> None:
        """Set the cursor (source, key) to ``value``, adding it the first time."""
        cursor = session.scalar(select(cls).where(cls.source == source, cls.key == key))
        if cursor is None:
            session.add(cls(source=source, key=key, value=value))
        else:
            cursor.value = value


class Classification(Base):
    """A model's verdict on a post; a post keeps one per model version."""

    __tablename__ = "classifications"
    __table_args__ = (UniqueConstraint("post_id", "model_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    model_version: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column(Boolean)
    category: Mapped[str | None] = mapped_column(String(64))
    agency: Mapped[str | None] = mapped_column(String(64))
    suggestions: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewDecision(Base):
    __tablename__ = "review_decisions"
    # One kind of decision in a period: the confirmations the medians read, without the many rejections.
    __table_args__ = (Index("ix_review_decisions_decision_decided_at", "decision", "decided_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(500))
    actor: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))


class Ticket(Base):
    """A confirmed complaint, prepared for SP4N-LAPOR! and tracked through its lifecycle."""

    __tablename__ = "tickets"
    # Recent tickets of one category, newest first: the queue's possible duplicates. The tickets by status
    # and by agency with the columns their clocks run on: counting every ticket (the dashboard, the recaps)
    # reads these narrow indexes instead of the tickets' long rows.
    __table_args__ = (
        Index("ix_tickets_category_created_at", "category", "created_at"),
        Index("ix_tickets_status_clock", "status", "status_changed_at", "created_at", "agency"),
        Index("ix_tickets_agency_clock", "agency", "status", "status_changed_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(64), index=True)
    agency: Mapped[str | None] = mapped_column(String(64))
    kecamatan: Mapped[str | None] = mapped_column(String(64))
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    is_confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    lapor_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    posts: Mapped[list[TicketPost]] = relationship(back_populates="ticket", order_by="TicketPost.id")
    history: Mapped[list[TicketStatusChange]] = relationship(back_populates="ticket", order_by="TicketStatusChange.id")
    notes: Mapped[list[TicketNote]] = relationship(back_populates="ticket", order_by="TicketNote.id")


class TicketPost(Base):
    """Links a post to its ticket; a post belongs to at most one ticket."""

    __tablename__ = "ticket_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)

    ticket: Mapped[Ticket] = relationship(back_populates="posts")
    post: Mapped[Post] = relationship(back_populates="ticket_link")


class TicketStatusChange(Base):
    __tablename__ = "ticket_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="history")


class TicketNote(Base):
    """A note on a ticket that changes nothing else, such as a call with the agency.

    Kept apart from ``TicketStatusChange``: the clocks, the dashboard and the
    recaps read a ticket's latest status change as the moment it entered its
    status, which a note must not move.
    """

    __tablename__ = "ticket_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    noted_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="notes")


class Publication(Base):
    """The publication ledger: one row per (kind, period, channel), never posted twice."""

    __tablename__ = "publications"
    __table_args__ = (UniqueConstraint("kind", "period", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    remote_ids: Mapped[list[Any]] = mapped_column(default=list)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column()
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    """The process sending it while in flight (``host:pid``)."""
    lease_until: Mapped[datetime | None] = mapped_column()
    """While in flight: until when the claim holds; past it, another run may finish the publication."""


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    agency: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(254))
    notify_mode: Mapped[str] = mapped_column(String(20), default="each", server_default="each")
    """Notifications outside the app: ``each`` event, a daily ``digest``, or ``off`` (in the app only)."""
    api_token_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Part of every web session's id; logging out advances it, so every earlier session cookie stops working."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Who did what, when, with the state before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


# The features' own tables, imported here so that ``Base.metadata`` is whole wherever the schema is read.
from satukanal.dashboard.models import DecisionHour, PostHour  # noqa: E402, F401
from satukanal.intake.models import SourceHealth  # noqa: E402, F401
from satukanal.notifications.models import Notification  # noqa: E402, F401
from satukanal.saved_filters.models import SavedFilter  # noqa: E402, F401
from satukanal.spend.models import Spend  # noqa: E402, F401
