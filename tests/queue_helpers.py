"""Reading the moderation queue's page in tests: one card's markup, the ids of the cards shown, a card's form."""

from __future__ import annotations

import re


def card_of(page: str, post_id: int) -> str:
    """The markup of the card of ``post_id`` on the queue ``page``."""
    found = re.search(rf'<li class="card[^"]*" id="post-{post_id}".*?(?=<li class="card|</ol>)', page, re.DOTALL)
    assert found, f"no card of post {post_id} on the page"
    return found.group()


def shown_posts(page: str) -> list[int]:
    """The posts the queue ``page`` shows, in order."""
    return [int(found) for found in re.findall(r'data-post="(\d+)"', page)]


def as_suggested(csrf: str) -> dict[str, str]:
    """A card's confirm form sent as the model suggests."""
    return {"csrf_token": csrf, "category": "", "agency": "", "kecamatan": "", "anonymous": "y"}
