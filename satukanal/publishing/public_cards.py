"""The recap cards at a public address, for Meta's Graph API, which takes an image only by URL.

Meta downloads each card from ``<meta.public_base_url>/kartu/<kind>/<period>/<signature>/card-N.jpg`` while
the carousel is being made, as JPEG: the only image format Meta's content publishing takes, so the ledger's
PNG card is converted as it is served. The signature, an HMAC of the card's place under the web app's secret key, makes
the address unguessable: nobody can list or predict the office's cards before they are posted, and the key
never leaves the server. The card itself is read from the publication ledger, the same bytes the channel
posts; there is no copy on disk to clean up.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
from collections.abc import Callable

from sqlalchemy.orm import Session

from publisher import Item
from satukanal.publishing.ledger import REJECTED, find_entry, stored_item

CARD_NAME = re.compile(r"(card-\d{1,2})\.jpg")
JPEG_QUALITY = 92
SIGNATURE_CHARS = 40
CHANNEL = "instagram"


def card_signature(secret: str, kind: str, period: str, name: str) -> str:
    message = f"{kind}/{period}/{name}".encode()
    return hmac.new(secret.encode("utf-8", "surrogateescape"), message, hashlib.sha256).hexdigest()[:SIGNATURE_CHARS]


def card_addresses(base_url: str, secret: str) -> Callable[[Item, str], str]:
    """``card_url(item, name)`` for the Graph API channel: where Meta downloads card ``name`` of a recap."""

    def card_url(item: Item, name: str) -> str:
        kind, period = item.key.split("-", 1)
        served = name.removesuffix(".png") + ".jpg"
        signature = card_signature(secret, kind, period, served)
        return f"{base_url.rstrip('/')}/kartu/{kind}/{period}/{signature}/{served}"

    return card_url


def public_card(session: Session, secret: str, kind: str, period: str, signature: str, name: str) -> bytes | None:
    """The card as JPEG when the signature is ours and the recap is in the ledger for Instagram, else None."""
    card_name = CARD_NAME.fullmatch(name)
    if card_name is None or len(signature) != SIGNATURE_CHARS:
        return None
    if not hmac.compare_digest(signature.encode(), card_signature(secret, kind, period, name).encode()):
        return None
    entry = find_entry(session, kind, period, CHANNEL)
    if entry is None or entry.status == REJECTED:
        return None
    card = stored_item(entry).files.get(card_name.group(1) + ".png")
    return _jpeg(card) if isinstance(card, bytes) else None


def _jpeg(png: bytes) -> bytes:
    from PIL import Image  # only Meta's downloads need it: web workers do not carry Pillow for every page

    output = io.BytesIO()
    with Image.open(io.BytesIO(png)) as image:
        image.convert("RGB").save(output, "JPEG", quality=JPEG_QUALITY)
    return output.getvalue()
