"""Meta's ``mentions`` webhook field carries only ids: the caption or comment is read through the Graph API (the
fake graph.facebook.com), stored once even when the ``tags`` poll reads the same post, and asked for again (503)
when the Graph API fails for a while; without the official API set up, the mention is logged and nothing breaks."""

from __future__ import annotations

import json
import logging

import pytest
import requests
import responses
from sqlalchemy import select

from monitor.graph_api import GraphClient
from monitor.instagram_graph import InstagramGraphSource
from monitor.retry import Retrier
from publisher.channels import MENTIONED_COMMENT
from satukanal.config.settings import load_settings
from satukanal.intake.service import store_records
from satukanal.models import Post
from satukanal.replies.service import reply_target
from satukanal.wiring import App
from tests.graph_feed_fakes import (
    CITIZEN,
    TAGS,
    TOKEN,
    USER_ID,
    FakeGraph,
    drain,
    graph_error,
    stamp,
    tagged,
)
from tests.meta_fakes import META_ENV, comment, delivery, post
from tests.web_helpers import web_app

MENTIONED = "17990000000000077"
MENTIONING_COMMENT = "17900000000000099"
CAPTION = "@humas.uji lampu PJU di Jl. Basuki Rahmat mati sebulan, tolong dicek"


def mention(media_id: str, comment_id: str | None = None) -> dict:
    value = {"media_id": media_id} | ({"comment_id": comment_id} if comment_id else {})
    return {"field": "mentions", "value": value}


@pytest.fixture
def graph():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeGraph(mock)


def official_app(env, tmp_path, token: str | None = TOKEN) -> App:
    config = tmp_path / "satukanal.toml"
    config.write_text(config.read_text() + f'\n[meta]\nig_user_id = "{USER_ID}"\n', encoding="utf-8")
    return App(
        load_settings(environ=env | META_ENV | ({"SATUKANAL_META_ACCESS_TOKEN": token} if token else {}), cwd=tmp_path)
    )


@pytest.fixture
def meta_app(env, tmp_path):
    application = official_app(env, tmp_path)
    yield application
    application.close()


def posts(app: App) -> list[Post]:
    with app.sessions() as session:
        return list(session.scalars(select(Post).order_by(Post.id)))


def test_a_caption_mention_is_read_and_stored_once_though_the_tags_poll_reads_it_too(meta_app, graph):
    shown = tagged(MENTIONED, CAPTION, stamp(22, 9))
    graph.node(USER_ID, {"id": USER_ID, "mentioned_media": shown})

    answer = post(web_app(meta_app).test_client(), delivery(changes=[mention(MENTIONED)]))

    assert answer.status_code == 200 and answer.get_json()["stored"] == 1
    (stored,) = posts(meta_app)
    assert (stored.platform_id, stored.kind, stored.author, stored.text) == (MENTIONED, "mention", CITIZEN, CAPTION)
    (asked,) = graph.calls(USER_ID)
    assert f"mentioned_media.media_id({MENTIONED})" in asked.query["fields"]
    assert asked.authorization == f"Bearer {TOKEN}" and TOKEN not in asked.url

    graph.edge(TAGS, [shown])
    client = GraphClient(requests.Session(), TOKEN)
    retrier = Retrier(attempts=1, sleep=lambda seconds: None)
    run = drain(InstagramGraphSource("ig-graph", client, USER_ID, "humas.uji", streams=("tags",), retrier=retrier), {})
    with meta_app.sessions.begin() as session:
        result = store_records(session, run.records, "ig-graph", meta_app.own_handles)
    assert (result.added, result.duplicates) == (0, 1) and len(posts(meta_app)) == 1


def test_a_comment_mention_is_kept_with_its_post_so_the_reply_goes_to_that_thread(meta_app, graph):
    found = {
        "id": MENTIONING_COMMENT,
        "text": "@humas.uji ini juga min",
        "timestamp": stamp(22, 10),
        "username": CITIZEN,
        "media": {"id": MENTIONED, "permalink": "https://www.instagram.com/p/Tx/"},
    }
    graph.node(USER_ID, {"id": USER_ID, "mentioned_comment": found})

    answer = post(web_app(meta_app).test_client(), delivery(changes=[mention(MENTIONED, MENTIONING_COMMENT)]))

    assert answer.status_code == 200
    (stored,) = posts(meta_app)
    assert (stored.platform_id, stored.kind, stored.raw["graph_media_id"]) == (MENTIONING_COMMENT, "mention", MENTIONED)
    target = reply_target(stored)
    assert (target.kind, target.id, target.media_id) == (MENTIONED_COMMENT, MENTIONING_COMMENT, MENTIONED)


def test_a_graph_failure_stores_the_rest_and_asks_meta_to_send_the_delivery_again(meta_app, graph):
    graph.fail(USER_ID, 500, graph_error(2, "Service temporarily unavailable"))
    body = delivery(changes=[mention(MENTIONED), comment("17865799348089039", "Air mati")])

    answer = post(web_app(meta_app).test_client(), body)

    assert answer.status_code == 503, "Meta sends the delivery again later"
    assert [stored.kind for stored in posts(meta_app)] == ["comment"]
    graph.node(USER_ID, {"id": USER_ID, "mentioned_media": tagged(MENTIONED, CAPTION, stamp(22, 9))})
    again = post(web_app(meta_app).test_client(), body)
    assert again.status_code == 200 and json.loads(again.data)["duplicates"] == 1
    assert sorted(stored.kind for stored in posts(meta_app)) == ["comment", "mention"]


def test_without_the_official_api_a_mention_is_logged_and_the_delivery_still_accepted(env, tmp_path, graph, caplog):
    caplog.set_level(logging.INFO, logger="satukanal.web.meta_webhook")
    app = official_app(env, tmp_path, token=None)
    try:
        answer = post(web_app(app).test_client(), delivery(changes=[mention(MENTIONED)]))
        assert answer.status_code == 200 and answer.get_json()["skipped"] == 1
        assert posts(app) == [] and not graph.requests
        assert "SATUKANAL_META_ACCESS_TOKEN" in caplog.text
    finally:
        app.close()
