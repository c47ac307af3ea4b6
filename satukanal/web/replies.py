"""The replies to a ticket's citizens as the ticket page shows them: what each says, where it stands, where it went.

Approving, editing and rejecting a reply happen on its publication page (``satukanal.web.publishing``), as for
a recap; sending is the publishing run's (``satukanal.replies.service``).
"""

from __future__ import annotations

import json
from datetime import tzinfo

from sqlalchemy.orm import Session

from publisher.channels import (
    COMMENT,
    MEDIA,
    MENTIONED_COMMENT,
    MESSAGE,
    REPLY_TEXT_FILE,
    THREAD_FILE,
    Item,
    ReplyTarget,
)
from satukanal.models import Post, Publication, Ticket
from satukanal.publishing.claims import is_stalled
from satukanal.publishing.ledger import PUBLISHED, STALLED_LABEL, STATUS_LABELS, stored_item
from satukanal.replies.service import ACKNOWLEDGEMENT, RESOLUTION, ticket_replies

REPLY_LABELS = {ACKNOWLEDGEMENT: "Ucapan terima kasih", RESOLUTION: "Kabar selesai"}
"""The replies' kinds as people call them; the publications list uses them too."""
TARGET_LABELS = {
    COMMENT: "balasan di utas komentar warga",
    MENTIONED_COMMENT: "balasan pada komentar yang menyebut akun kita",
    MEDIA: "komentar di unggahan warga yang menyebut atau menandai akun kita",
    MESSAGE: "pesan langsung ke warga (hanya dalam 24 jam setelah pesannya)",
}
"""What an Instagram reply answers, as its publication page says it."""
STATUS_OF_REPLY = {"draft": "Draf, menunggu persetujuan moderator", PUBLISHED: "Terkirim"}


def reply_rows(session: Session, ticket: Ticket, zone: tzinfo) -> list[dict]:
    """Each reply of ``ticket`` in the ledger, acknowledgements first; times in ``zone``."""
    posts = {link.post_id: link.post for link in ticket.posts}
    return [_row(entry, posts, zone) for entry in ticket_replies(session, ticket)]


def _row(entry: Publication, posts: dict[int, Post], zone: tzinfo) -> dict:
    files = stored_item(entry).files
    text = json.loads(files[THREAD_FILE])[0] if THREAD_FILE in files else str(files.get(REPLY_TEXT_FILE, "")).strip()
    status = STALLED_LABEL if is_stalled(entry) else STATUS_OF_REPLY.get(entry.status) or STATUS_LABELS[entry.status]
    post = posts.get(int(entry.period.rsplit("#", 1)[1]))
    target = ReplyTarget.of(Item(f"publikasi {entry.id}", files))
    return {
        "id": entry.id,
        "label": REPLY_LABELS[entry.kind],
        "author": post.author if post else "",
        "channel": entry.channel,
        "status": entry.status,
        "status_label": status,
        "text": text,
        "url": reply_url(entry, post),
        "answers": TARGET_LABELS[target.kind] if target else None,
        "window_ends": target.window_ends.astimezone(zone) if target and target.window_ends else None,
        "error": entry.error,
    }


def reply_url(entry: Publication, post: Post | None) -> str | None:
    """Where a posted reply can be seen: its tweet on X; on Instagram the citizen's post, under which the reply
    is (Instagram has no address for one comment, and none at all for a direct message); None in the outbox."""
    if entry.status != PUBLISHED or not entry.remote_ids:
        return None
    if entry.channel == "x":
        return f"https://x.com/i/web/status/{entry.remote_ids[0]}"
    if entry.channel == "instagram" and post is not None and post.kind != "dm":
        return post.url
    return None
