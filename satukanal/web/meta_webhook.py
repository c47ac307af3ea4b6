"""Meta's Instagram webhook at ``/webhook/meta``: comments on our posts and direct messages (story mentions
among them) reach the queue the moment Instagram has them, through the same store as polling.

The endpoint is off (404) until ``SATUKANAL_META_APP_SECRET`` and ``SATUKANAL_META_VERIFY_TOKEN`` are set.
Meta calls it without a login or a CSRF token; what vouches for a delivery instead is its
``X-Hub-Signature-256`` header, an HMAC-SHA256 of the raw body under the app secret, checked before the body
is parsed. ``GET`` answers the subscription handshake with ``hub.challenge`` when ``hub.verify_token`` is ours.

What a delivery becomes is ``satukanal.intake.meta_records``: ``comments`` and ``live_comments`` changes and
messages are stored (under the source name ``meta-webhook``); the scheduler scores them within a minute (web
workers do not load the model). A ``mentions`` change carries only
ids: with the official API set up (``meta.ig_user_id``, ``SATUKANAL_META_ACCESS_TOKEN``) the caption or comment
is read at once (``monitor.instagram_graph_mentions``, one short request each), else it is logged as skipped.
Every other field is acknowledged with 200 and logged. An item that cannot be read is refused alone; the rest
of its delivery is stored. Meta sends a delivery again until it gets a 200, and the store keeps each item
once: when the Graph API fails for a while (limits, server trouble), the rest is stored and the answer is 503,
so the mention comes again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from flask import Blueprint, Response, abort, jsonify, request

from monitor.records import PostRecord, RecordError
from satukanal.config.settings import MetaWebhook
from satukanal.intake.doubled_messages import WEBHOOK_SOURCE, note_webhook_messages
from satukanal.intake.health import record_success
from satukanal.intake.meta_records import Delivery, DeliveryError, read_delivery
from satukanal.intake.service import store_records
from satukanal.models import utcnow
from satukanal.web.users import core

blueprint = Blueprint("meta_webhook", __name__, url_prefix="/webhook")
log = logging.getLogger(__name__)

MAX_DELIVERY_BYTES = 1024 * 1024
"""Far above any real delivery (Meta batches a few items); a larger body is refused before it is read."""
MAX_CHALLENGE_CHARS = 200
SIGNATURE_HEADER = "X-Hub-Signature-256"
MENTION_TIMEOUT_SECONDS = 10
"""Meta wants a quick answer; a mention that cannot be read in this time is asked for again (503)."""


def _config() -> MetaWebhook:
    config = core().settings.meta_webhook
    if config is None:
        abort(404)
    return config


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison of two texts, whatever characters they hold."""
    return hmac.compare_digest(_bytes(given), _bytes(expected))


def _signature(secret: str, body: bytes) -> str:
    """What Meta sends in ``X-Hub-Signature-256`` for ``body``."""
    return "sha256=" + hmac.new(_bytes(secret), body, hashlib.sha256).hexdigest()


def _bytes(text: str) -> bytes:
    # surrogateescape: an environment value that is not UTF-8 reaches Python with escaped bytes
    return text.encode("utf-8", "surrogateescape")


@blueprint.get("/meta")
def handshake():
    """Meta's subscription check: echo ``hub.challenge`` when the mode is ``subscribe`` and the token is ours."""
    config = _config()
    challenge = request.args.get("hub.challenge", "")
    token = request.args.get("hub.verify_token", "")
    if request.args.get("hub.mode") != "subscribe" or not _same(token, config.verify_token):
        log.warning("Meta webhook handshake refused: wrong mode or verify token")
        abort(403)
    if not challenge or len(challenge) > MAX_CHALLENGE_CHARS:
        abort(400)
    return Response(challenge, mimetype="text/plain")


@blueprint.post("/meta")
def delivery():
    """Store a signed delivery's comments and messages, and say what became of its items."""
    config = _config()
    if (request.content_length or 0) > MAX_DELIVERY_BYTES:
        abort(413)
    body = request.get_data(cache=False)
    if len(body) > MAX_DELIVERY_BYTES:
        abort(413)
    if not _same(request.headers.get(SIGNATURE_HEADER, ""), _signature(config.app_secret, body)):
        log.warning("Meta webhook delivery refused: %s missing or wrong", SIGNATURE_HEADER)
        abort(403)
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested beyond reason
        abort(400)
    app = core()
    try:
        found = read_delivery(payload, _watched_account(), utcnow())
    except DeliveryError as exc:
        log.warning("Meta webhook delivery refused: %s", exc)
        abort(400)
    mentioned, unread, again = _read_mentions(found)
    with app.sessions.begin() as session:
        stored = store_records(session, found.records + mentioned, WEBHOOK_SOURCE, app.own_handles)
        record_success(session, WEBHOOK_SOURCE, stored.added)
        note_webhook_messages(session, found.records, utcnow())
    for line in found.skipped:
        log.info("Meta webhook skipped %s", line)
    refused = found.refused + unread + [f"record {index}: {reason}" for index, reason in stored.refused]
    for line in refused:
        log.warning("Meta webhook refused %s", line)
    log.info("Meta webhook: %d stored, %d already stored", stored.added, stored.duplicates)
    counts = {"stored": stored.added, "duplicates": stored.duplicates, "skipped": len(found.skipped)}
    return jsonify(counts | {"refused": len(refused)}), 503 if again else 200


def _read_mentions(found: Delivery) -> tuple[list[PostRecord], list[str], bool]:
    """The delivery's mentions read through the Graph API, a line for each that could not be, and whether to
    have Meta send the delivery again (a failure that may pass). Without the official API they are skipped."""
    if not found.mentions:
        return [], [], False
    # The Graph API client (requests, urllib3) is loaded only for a delivery that names mentions: every web
    # worker would otherwise carry it.
    from monitor.graph_api import GraphError
    from monitor.instagram_graph_mentions import read_mention
    from satukanal.platforms.meta import MetaSetupError, graph_client

    try:
        client, user_id = graph_client(core().settings, timeout=MENTION_TIMEOUT_SECONDS)
    except MetaSetupError as exc:
        found.skipped.append(f"{len(found.mentions)} mention(s) not read: {exc}")
        return [], [], False

    records, lines, again, account = [], [], False, _watched_account()
    for mention in found.mentions:
        try:
            records.append(read_mention(client, user_id, mention.media_id, mention.comment_id, account))
        except GraphError as exc:
            lines.append(f"mention {mention.comment_id or mention.media_id}: {exc}")
            again = again or exc.retryable
        except RecordError as exc:
            lines.append(f"mention {mention.comment_id or mention.media_id}: {exc}")
    return records, lines, again


def _watched_account() -> str | None:
    """The handle the items are aimed at: the one watched Instagram account, when there is exactly one
    (a delivery names the account by its Graph API id, which the configuration does not hold)."""
    watched = core().settings.accounts.instagram.watched
    return watched[0] if len(watched) == 1 else None
