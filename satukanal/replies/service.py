"""Answers to the citizens who complained, posted where they wrote, exactly once, through the publication ledger.

When a post becomes a ticket, its author gets an acknowledgement (the ticket
number, the agency, where to follow it); when the ticket reaches Selesai, a
resolution reply. Each is rendered from the sandboxed templates in
``replies/`` and stored in the ledger (``satukanal.publishing.ledger``) as a
draft that a moderator approves, edits or rejects like a recap, or, with
``publish.acknowledge_automatically``, as an acknowledgement approved at once.
The next publishing run posts it (``publish_entry``) as a reply to the
citizen's own post, so the ledger's claim and the channel's look-up keep it to
one copy across crashes, and the platform's id is kept on the row.

A reply never repeats what the citizen wrote: it names only their handle and
the ticket. A confidential ticket is not answered in public at all. The ticket
number makes each text unique, which X requires (it refuses a text the
account has posted before).

The ledger's key: kind ``acknowledgement`` or ``resolution``; period
``<ticket number>#<post id>``; channel the post's platform when publishing
there is set up (``publish.channels``), else the outbox folder.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from publisher import REPLY_TO_FILE, THREAD_FILE, Item, RenderError, ReplyContext, thread_file
from publisher.channels import (
    COMMENT,
    MEDIA,
    MENTIONED_COMMENT,
    MESSAGE,
    MESSAGE_WINDOW,
    REPLY_TARGET_FILE,
    REPLY_TEXT_FILE,
    ReplyTarget,
)
from publisher.replies import PLATFORMS
from satukanal import audit
from satukanal.config.settings import Settings
from satukanal.models import Post, Publication, Ticket, TicketPost
from satukanal.publishing.ledger import APPROVED, DRAFT, find_entry, new_entry
from satukanal.tuban import category_label

log = logging.getLogger(__name__)

ACKNOWLEDGEMENT, RESOLUTION = "acknowledgement", "resolution"
REPLY_KINDS = (ACKNOWLEDGEMENT, RESOLUTION)
RESOLUTION_WINDOW = timedelta(days=7)
"""How long after reaching Selesai a ticket still gets its resolution reply: one resolved before replies were
switched on is not answered weeks late."""


def reply_period(ticket: Ticket, post_id: int) -> str:
    return f"{ticket.number}#{post_id}"


def reply_channel(settings: Settings, platform: str) -> str:
    """Where a reply to a post on ``platform`` goes: that platform if publishing there is set up, else the outbox."""
    return platform if platform in settings.publish.channels else "outbox"


def draft_reply(
    session: Session, settings: Settings, ticket: Ticket, post: Post, kind: str, actor: str, now: datetime
) -> Publication | None:
    """The ``kind`` reply to ``post``'s author in the ledger, once; None when there is none to send.

    None when the office does not answer citizens (``publish.answer_citizens``), for a confidential ticket, a
    post on a platform that takes no replies or our own post, a reply that exists already, and a template that
    fails (logged).
    """
    if not settings.publish.answer_citizens or ticket.is_confidential or post.is_own or post.platform not in PLATFORMS:
        return None
    period, channel = reply_period(ticket, post.id), reply_channel(settings, post.platform)
    if find_entry(session, kind, period, channel) is not None:
        return None
    try:
        text = render_reply(settings, ticket, post, kind)
    except RenderError as exc:
        log.warning("no %s for %s: %s", kind, period, exc)
        return None
    if post.platform == "x":
        body = {THREAD_FILE: thread_file([text])}
    else:
        body = {REPLY_TEXT_FILE: text + "\n", REPLY_TARGET_FILE: reply_target(post).to_json()}
    item = Item(f"{kind}-{ticket.number}-{post.id}", {**body, REPLY_TO_FILE: post.platform_id})
    status = APPROVED if kind == ACKNOWLEDGEMENT and settings.publish.acknowledge_automatically else DRAFT
    entry = new_entry(session, kind, period, channel, status, item)
    audit.record(session, actor, "reply.draft", entry, None, {"status": status, "ticket": ticket.number}, now)
    return entry


def reply_target(post: Post) -> ReplyTarget:
    """What an Instagram reply to ``post`` answers: a message is answered by message (within Meta's window), a
    comment in its thread, a post that mentions or tags us under that post."""
    raw = post.raw or {}
    if post.kind == "dm":
        created = post.created_at if post.created_at.tzinfo else post.created_at.replace(tzinfo=UTC)
        return ReplyTarget(
            MESSAGE,
            post.platform_id,
            recipient=post.author_id,
            thread_id=raw.get("thread_id"),
            window_ends=created + MESSAGE_WINDOW,
        )
    media = raw.get("graph_media_id") or raw.get("media_pk")
    if post.kind == "comment":
        return ReplyTarget(COMMENT, post.platform_id, media_id=media, recipient=post.author_id)
    if raw.get("mentioned_comment"):  # a comment elsewhere that names us (Meta's mentions webhook)
        return ReplyTarget(MENTIONED_COMMENT, post.platform_id, media_id=media, recipient=post.author_id)
    return ReplyTarget(MEDIA, post.platform_id, media_id=post.platform_id, recipient=post.author_id)


def render_reply(settings: Settings, ticket: Ticket, post: Post, kind: str) -> str:
    """The reply's text from the office's templates; raises ``RenderError``."""
    from publisher import render_acknowledgement, render_resolution

    resolved = ticket.resolved_at
    context = ReplyContext(
        author=post.author,
        platform=post.platform,
        ticket_number=ticket.number,
        agency=settings.agency_name(ticket.agency),
        category=category_label(ticket.category),
        lapor_id=ticket.lapor_id,
        resolved_on=resolved.astimezone(settings.timezone).date() if resolved else None,
        days_to_resolve=(resolved - ticket.created_at).total_seconds() / 86400 if resolved else None,
    )
    render = render_acknowledgement if kind == ACKNOWLEDGEMENT else render_resolution
    return render(_environment(settings.publish.templates_dir), context)


@lru_cache(maxsize=4)
def _environment(templates_dir: Path | None):
    """One template environment per templates folder, kept: a new one compiles the template again, 12 ms a reply
    (a bulk confirmation of 25 posts spent 0.3 s on it). Its loader still notices a template edited on disk."""
    from publisher import make_environment

    return make_environment(templates_dir)


def answer_resolution(session: Session, settings: Settings, ticket: Ticket, actor: str, now: datetime) -> int:
    """The resolution reply to each citizen of ``ticket`` if it has reached Selesai; how many were new.

    Called where a moderator or a liaison resolves a ticket (web, API, CLI); ``draft_resolutions`` catches
    the rest (the LAPOR! import) on the next publishing check.
    """
    if ticket.resolved_at is None:
        return 0
    posts = [link.post for link in ticket.posts]
    return sum(draft_reply(session, settings, ticket, post, RESOLUTION, actor, now) is not None for post in posts)


def draft_resolutions(session: Session, settings: Settings, actor: str, now: datetime) -> int:
    """Resolution replies for the tickets that reached Selesai within ``RESOLUTION_WINDOW``; how many were new.

    Run with each publishing check, so a ticket resolved from any door is answered; the ledger's key keeps it
    to one reply per post.
    """
    resolved = session.execute(
        select(Ticket, Post)
        .join(TicketPost, TicketPost.ticket_id == Ticket.id)
        .join(Post, Post.id == TicketPost.post_id)
        .where(Ticket.resolved_at >= now - RESOLUTION_WINDOW, Ticket.is_confidential.is_(False))
        .order_by(Ticket.id, Post.id)
    )
    return sum(
        draft_reply(session, settings, ticket, post, RESOLUTION, actor, now) is not None for ticket, post in resolved
    )


def ticket_replies(session: Session, ticket: Ticket) -> list[Publication]:
    """The replies to ``ticket``'s citizens in the ledger, acknowledgements first."""
    periods = [reply_period(ticket, link.post_id) for link in ticket.posts]
    return list(
        session.scalars(
            select(Publication)
            .where(Publication.kind.in_(REPLY_KINDS), Publication.period.in_(periods))
            .order_by(Publication.kind, Publication.id)
        )
    )
