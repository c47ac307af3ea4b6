"""Replies to the citizen who complained: once the complaint is a ticket, and once it is resolved.

The text comes from the sandboxed templates in ``replies/`` (staff may edit
them); each template serves both platforms and must fit the platform's limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from jinja2.sandbox import SandboxedEnvironment

from publisher.channels import INSTAGRAM_COMMENT_LIMIT
from publisher.render import RenderError, render_template
from publisher.thread import TWEET_LIMIT, tweet_length

PLATFORMS = ("x", "instagram")


@dataclass(frozen=True)
class ReplyContext:
    """What a reply may mention: of the citizen, only their handle; the rest is about the ticket."""

    author: str
    platform: str
    ticket_number: str
    agency: str
    category: str
    lapor_id: str | None = None
    resolved_on: date | None = None
    days_to_resolve: float | None = None

    def __post_init__(self) -> None:
        if self.platform not in PLATFORMS:
            raise ValueError(f"platform {self.platform!r} tidak dikenal (pilihan: {', '.join(PLATFORMS)})")

    @property
    def handle(self) -> str:
        """``@author``, however the author was given."""
        return "@" + self.author.lstrip("@")


def render_acknowledgement(environment: SandboxedEnvironment, reply: ReplyContext) -> str:
    """Thanks, the agency the complaint went to, the ticket number and, once known, how to follow it on LAPOR!."""
    return render_reply(environment, "replies/acknowledgement.txt.j2", reply)


def render_resolution(environment: SandboxedEnvironment, reply: ReplyContext) -> str:
    """The agency resolved the complaint (on ``resolved_on``); reply if the problem remains."""
    return render_reply(environment, "replies/resolution.txt.j2", reply)


def render_reply(environment: SandboxedEnvironment, name: str, reply: ReplyContext) -> str:
    """Render a reply template (which sees ``reply``) and hold it to the platform's rules.

    On X the reply must start with the citizen's handle, so that they are
    notified, and fit one tweet as X counts it.
    """
    text = render_template(environment, name, {"reply": reply}).strip()
    if not text:
        raise RenderError(name, "balasan kosong")
    if reply.platform == "x":
        if not re.match(re.escape(reply.handle) + r"(?!\w)", text):
            raise RenderError(name, f"balasan di X harus diawali {reply.handle}")
        length = tweet_length(text)
        if length > TWEET_LIMIT:
            raise RenderError(name, f"balasan {length} karakter menurut hitungan X (batas {TWEET_LIMIT})")
    elif len(text) > INSTAGRAM_COMMENT_LIMIT:
        raise RenderError(name, f"balasan {len(text)} karakter (batas Instagram {INSTAGRAM_COMMENT_LIMIT})")
    return text
