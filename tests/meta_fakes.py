"""Meta's Instagram webhook as Meta calls it: deliveries shaped like the Graph API's examples, signed with a test
app secret the way ``X-Hub-Signature-256`` is. Every account value is an obvious dummy.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

APP_SECRET = "rahasia-aplikasi-meta-uji"
VERIFY_TOKEN = "token-verifikasi-uji"
META_ENV = {"SATUKANAL_META_APP_SECRET": APP_SECRET, "SATUKANAL_META_VERIFY_TOKEN": VERIFY_TOKEN}
OUR_ID = "17841400000000001"
"""The watched account's id in the Graph API (``entry.id``)."""
CITIZEN_IGSID = "6100000000000001"
MEDIA_ID = "17990000000000001"
CDN = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=abc"


def comment(comment_id: str, text: str, *, username: str = "warga.jenu", **fields) -> dict:
    """A ``comments`` change: someone commented on one of our posts (``parent_id=...`` for a reply)."""
    value = {
        "from": {"id": CITIZEN_IGSID, "username": username},
        "media": {"id": MEDIA_ID, "media_product_type": "FEED"},
        "id": comment_id,
        "text": text,
    }
    return {"field": "comments", "value": value | fields}


def message(mid: str, *, text: str | None = None, attachments: list | None = None, **fields) -> dict:
    """A ``messaging`` event: a direct message to us, in milliseconds as Meta stamps it."""
    body = {"mid": mid} | ({"text": text} if text is not None else {})
    body |= {"attachments": attachments} if attachments is not None else {}
    return {
        "sender": {"id": CITIZEN_IGSID},
        "recipient": {"id": OUR_ID},
        "timestamp": int(time.time() * 1000),
        "message": body | fields,
    }


def story_mention(mid: str, url: str = CDN) -> dict:
    return message(mid, attachments=[{"type": "story_mention", "payload": {"url": url}}])


def delivery(*, changes: list[dict] = (), messaging: list[dict] = ()) -> bytes:
    """One delivery's body: one entry for our account with the given changes and messaging events."""
    entry = {"id": OUR_ID, "time": int(time.time())}
    entry |= {"changes": list(changes)} if changes else {}
    entry |= {"messaging": list(messaging)} if messaging else {}
    return json.dumps({"object": "instagram", "entry": [entry]}).encode()


def signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client, body: bytes, signed_with: str | None = APP_SECRET):
    """Deliver ``body`` as Meta does, signed with ``signed_with`` (unsigned when None)."""
    headers = {"X-Hub-Signature-256": signature(body, signed_with)} if signed_with is not None else {}
    return client.post("/webhook/meta", data=body, headers=headers, content_type="application/json")
