"""What both Instagram channels (instagrapi and the Graph API) read from a recap item: its caption and its cards
in order, and text compared as Instagram gives it back (whitespace reflowed)."""

from __future__ import annotations

import re

from publisher.channels import CAPTION_FILE, Item, PublishError

CAPTION_LIMIT = 2200
"""The most characters Instagram takes in a caption (the renderer and both channels hold recaps to it)."""
CARD_NAME = re.compile(r"card-(\d+)\.png")


def caption(item: Item) -> str:
    text = item.files.get(CAPTION_FILE)
    if text is None:
        raise PublishError(f"{item.key} tidak memuat {CAPTION_FILE}")
    return (text.decode("utf-8") if isinstance(text, bytes) else text).strip()


def cards(item: Item) -> list[str]:
    """The item's card files by number: ``card-2.png`` before ``card-10.png``."""
    return sorted((name for name in item.files if CARD_NAME.fullmatch(name)), key=_card_number)


def normalised(text: str) -> str:
    return " ".join(text.split())


def _card_number(name: str) -> int:
    return int(CARD_NAME.fullmatch(name).group(1))
