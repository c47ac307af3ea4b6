"""Meta's Instagram webhook: the handshake, signed deliveries only, each item stored once whichever path reads it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from monitor.instagram_items import comment_item
from monitor.records import PostRecord
from satukanal.config.settings import ConfigError, load_settings
from satukanal.intake.service import store_records
from satukanal.models import Post
from satukanal.scheduler import scoring_job
from satukanal.wiring import App
from tests.factories import COMPLAINT, stored_posts
from tests.instagram_items import comment as instagrapi_comment
from tests.meta_fakes import (
    APP_SECRET,
    CDN,
    CITIZEN_IGSID,
    MEDIA_ID,
    META_ENV,
    VERIFY_TOKEN,
    comment,
    delivery,
    message,
    post,
    signature,
    story_mention,
)
from tests.web_helpers import web_app

COMMENT_ID = "17865799348089039"


@pytest.fixture
def meta_app(env, tmp_path):
    application = App(load_settings(environ=env | META_ENV, cwd=tmp_path))
    yield application
    application.close()


@pytest.fixture
def meta(meta_app):
    """A client of the web app with the webhook configured; not logged in, as Meta is not."""
    return web_app(meta_app).test_client()


def post_count(app) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(Post))


def handshake(client, token: str = VERIFY_TOKEN, mode: str = "subscribe"):
    query = {"hub.mode": mode, "hub.verify_token": token, "hub.challenge": "1158201444"}
    return client.get("/webhook/meta", query_string=query)


def test_the_handshake_echoes_the_challenge_only_with_our_token(meta):
    answer = handshake(meta)
    assert answer.status_code == 200
    assert answer.get_data(as_text=True) == "1158201444"
    assert answer.mimetype == "text/plain"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in answer.headers["Content-Security-Policy"]
    assert handshake(meta, token="tebakan").status_code == 403
    assert handshake(meta, mode="unsubscribe").status_code == 403
    assert meta.get("/webhook/meta").status_code == 403


@pytest.mark.parametrize("signed_with", [None, "rahasia-lain"], ids=["missing", "wrong"])
def test_a_delivery_without_the_right_signature_is_refused_and_stores_nothing(meta, meta_app, signed_with):
    answer = post(meta, delivery(changes=[comment(COMMENT_ID, COMPLAINT)]), signed_with=signed_with)
    assert answer.status_code == 403
    assert post_count(meta_app) == 0


def test_a_body_changed_after_signing_is_refused(meta, meta_app):
    body = delivery(changes=[comment(COMMENT_ID, COMPLAINT)])
    headers = {"X-Hub-Signature-256": signature(b"{}")}
    answer = meta.post("/webhook/meta", data=body, headers=headers, content_type="application/json")
    assert answer.status_code == 403
    assert post_count(meta_app) == 0


def test_a_signed_comment_is_stored_once_and_left_for_the_scheduler_to_score(meta, meta_app):
    body = delivery(changes=[comment(COMMENT_ID, COMPLAINT)])
    first = post(meta, body)
    assert first.status_code == 200
    assert first.get_json() == {"stored": 1, "duplicates": 0, "skipped": 0, "refused": 0}
    again = post(meta, body)  # Meta sends a delivery again when it missed our answer
    assert again.get_json() == {"stored": 0, "duplicates": 1, "skipped": 0, "refused": 0}
    stored = stored_posts(meta_app)
    assert list(stored) == [COMMENT_ID]
    found = stored[COMMENT_ID]
    assert (found.platform, found.kind, found.source) == ("instagram", "comment", "meta-webhook")
    assert (found.author, found.author_id, found.account) == ("warga.jenu", CITIZEN_IGSID, "laportuban")
    assert found.text == COMPLAINT
    assert found.raw == {"graph_media_id": MEDIA_ID, "media_product_type": "FEED"}
    assert found.in_reply_to is None
    assert found.classification_id is None, "web workers do not load the model"
    scoring_job(meta_app)
    assert stored_posts(meta_app)[COMMENT_ID].classification_id is not None


def test_a_reply_names_the_comment_it_answers(meta, meta_app):
    post(meta, delivery(changes=[comment("17800000000000002", "sama, min", parent_id=COMMENT_ID)]))
    assert stored_posts(meta_app)["17800000000000002"].in_reply_to == COMMENT_ID


def test_the_same_comment_read_by_the_instagrapi_poller_is_a_duplicate(meta, meta_app):
    post(meta, delivery(changes=[comment(COMMENT_ID, COMPLAINT)]))
    our_post = PostRecord(
        platform="instagram",
        platform_id="3123456789012345678",
        author="laportuban",
        text="Info layanan",
        created_at=datetime.now(UTC),
        kind="post",
    )
    polled = comment_item(our_post, "laportuban", instagrapi_comment(COMMENT_ID, COMPLAINT)).record
    with meta_app.sessions.begin() as session:
        result = store_records(session, [polled], "instagram", meta_app.own_handles)
    assert (result.added, result.duplicates) == (0, 1)
    assert post_count(meta_app) == 1


def test_a_story_mention_is_stored_as_a_direct_message_and_our_own_echo_is_not(meta, meta_app):
    echo = message("aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx", text="Terima kasih", is_echo=True)
    answer = post(meta, delivery(messaging=[story_mention("aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQy"), echo]))
    assert answer.get_json() == {"stored": 1, "duplicates": 0, "skipped": 1, "refused": 0}
    [found] = stored_posts(meta_app).values()
    assert (found.kind, found.source, found.author, found.author_id) == (
        "dm",
        "meta-webhook",
        f"id:{CITIZEN_IGSID}",
        CITIZEN_IGSID,
    )
    assert found.text == "(menyebut @laportuban di story)"
    assert found.media == [{"type": "story", "url": CDN}]
    assert found.raw == {"mid": "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQy", "story_mention": True}
    assert found.platform_id.startswith("mid-") and len(found.platform_id) <= 64


def test_a_text_message_is_stored_once_however_often_it_is_delivered(meta, meta_app):
    body = delivery(messaging=[message("bWlkLXRla3M", text=COMPLAINT)])
    assert post(meta, body).get_json()["stored"] == 1
    assert post(meta, body).get_json()["duplicates"] == 1
    [found] = stored_posts(meta_app).values()
    assert (found.kind, found.text) == ("dm", COMPLAINT)


def test_a_message_sent_as_a_change_like_the_dashboards_test_is_stored_too(meta, meta_app):
    answer = post(meta, delivery(changes=[{"field": "messages", "value": message("bWlkLXVqaQ", text=COMPLAINT)}]))
    assert answer.get_json()["stored"] == 1
    assert [found.kind for found in stored_posts(meta_app).values()] == ["dm"]


def test_a_hostile_comment_costs_no_other_item_of_its_delivery(meta, meta_app):
    changes = [
        comment("17800000000000001", "\x00\ud800<script>alert(1)</script>" + "a" * 100_000),
        comment("17800000000000002", "Jalan\x00 rusak\ud800 <script>alert(1)</script>"),
        comment("17800000000000003", "nama palsu", username="warga\x00jahat"),
        comment("bukan-angka", "id palsu"),
        {"field": "comments", "value": "bukan objek"},
        comment(COMMENT_ID, COMPLAINT),
    ]
    answer = post(meta, delivery(changes=changes))
    assert answer.status_code == 200
    assert answer.get_json() == {"stored": 2, "duplicates": 0, "skipped": 0, "refused": 4}
    stored = stored_posts(meta_app)
    assert sorted(stored) == sorted(["17800000000000002", COMMENT_ID])
    assert stored["17800000000000002"].text == "Jalan rusak <script>alert(1)</script>"  # shown escaped, as text


def test_other_fields_are_acknowledged_and_skipped(meta, meta_app, caplog):
    caplog.set_level(logging.INFO, logger="satukanal.web.meta_webhook")
    insights = {"field": "story_insights", "value": {"media_id": MEDIA_ID, "impressions": 44}}
    answer = post(meta, delivery(changes=[insights]))
    assert answer.status_code == 200
    assert answer.get_json() == {"stored": 0, "duplicates": 0, "skipped": 1, "refused": 0}
    assert "'story_insights' is not stored" in caplog.text
    assert post_count(meta_app) == 0


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"object": "instagram\xff"}',
        b"[" * 100_000,
        b'{"object": "page", "entry": []}',
        b'{"object": "instagram", "entry": {"id": "1"}}',
        b'{"object": "instagram", "entry": [{"id": "1", "changes": "comments"}]}',
    ],
    ids=["not-json", "not-utf8", "nested", "not-instagram", "entry-not-list", "changes-not-list"],
)
def test_an_unreadable_delivery_is_refused_and_stores_nothing(meta, meta_app, body):
    assert post(meta, body).status_code == 400
    assert post_count(meta_app) == 0


def test_an_oversized_delivery_is_refused(meta, meta_app):
    body = delivery(changes=[comment(COMMENT_ID, "a" * (1024 * 1024))])
    assert post(meta, body).status_code == 413
    assert post_count(meta_app) == 0


def test_the_endpoint_is_off_until_configured(client, app):
    assert app.settings.meta_webhook is None
    assert handshake(client).status_code == 404
    assert post(client, delivery(changes=[comment(COMMENT_ID, COMPLAINT)])).status_code == 404


def test_half_a_configuration_is_an_error(env, tmp_path):
    with pytest.raises(ConfigError, match="SATUKANAL_META_VERIFY_TOKEN"):
        load_settings(environ=env | {"SATUKANAL_META_APP_SECRET": APP_SECRET}, cwd=tmp_path)


def test_the_secrets_appear_in_no_answer_and_no_log(meta, meta_app, caplog):
    caplog.set_level(logging.DEBUG)
    body = delivery(changes=[comment(COMMENT_ID, COMPLAINT)])
    answers = [
        handshake(meta),
        handshake(meta, token="tebakan"),
        post(meta, body, signed_with=None),
        post(meta, body, signed_with="rahasia-lain"),
        post(meta, body),
        post(meta, b"{not json"),
    ]
    assert [answer.status_code for answer in answers] == [200, 403, 403, 403, 200, 400]
    shown = caplog.text + "".join(answer.get_data(as_text=True) + str(answer.headers) for answer in answers)
    assert APP_SECRET not in shown and VERIFY_TOKEN not in shown
    assert APP_SECRET not in repr(meta_app.settings) and VERIFY_TOKEN not in repr(meta_app.settings)
