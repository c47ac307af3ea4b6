"""Answering a citizen on Instagram through Meta's official API (the fake graph.facebook.com): confirming their
comment drafts an acknowledgement; once approved it is posted in the comment's thread exactly once, even when the
process dies after Meta accepted it; a story mention is answered by direct message inside the 24-hour window and
refused with the reason, without a request, outside it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import select

from monitor.graph_api import GraphClient
from publisher.channels import REPLY_TEXT_FILE
from publisher.instagram_graph import InstagramGraphChannel
from satukanal.models import Publication, Ticket
from satukanal.publishing.ledger import FAILED, PublishingError, approve
from satukanal.publishing.service import publish_entry
from satukanal.replies.service import ACKNOWLEDGEMENT
from satukanal.review.service import confirm
from satukanal.tickets.service import TicketChoices
from satukanal.web.replies import reply_rows
from satukanal.wiring import App
from tests import graph_fakes as fake
from tests.factories import add_posts, record
from tests.graph_fakes import CITIZEN, PAGE_ID, TOKEN, USER_ID
from tests.publishing_helpers import DiesAfterPublishing

COMMENT_ID, MEDIA_ID = "17900000000000011", "17990000000000001"
POST_URL = "https://www.instagram.com/p/DAbc123/"
COMPLAINT = "Lampu PJU depan SDN 2 Jenu mati min, rumah saya Jl. Pahlawan 12, wa 081234567890"


@pytest.fixture
def graph():
    with fake.fake_graph() as graph:
        yield graph


@pytest.fixture
def instagram_app(settings):
    app = App(replace(settings, publish=settings.publish.model_copy(update={"channels": ["instagram"]})))
    yield app
    app.close()


def channel() -> InstagramGraphChannel:
    client = GraphClient(requests.Session(), TOKEN)
    return InstagramGraphChannel(
        client,
        USER_ID,
        lambda item, name: "https://x.invalid/" + name,
        sleep=lambda seconds: None,
        messaging_id=PAGE_ID,
    )


def no_wait(seconds: float) -> None:
    """The ledger's retry waits, skipped."""


def approved_reply(app: App, post) -> Publication:
    (post_id,) = add_posts(app, post)
    with app.sessions.begin() as session:
        confirm(session, app.settings, post_id, "moderator1", TicketChoices())
    with app.sessions() as session:
        (draft,) = session.scalars(select(Publication).where(Publication.kind == ACKNOWLEDGEMENT))
    approve(app.sessions, draft.id, "admin")
    return draft


def stored(app: App, entry_id: int) -> Publication:
    with app.sessions() as session:
        return session.get(Publication, entry_id)


def test_a_comment_is_answered_in_its_thread_once_even_when_the_process_dies(instagram_app, graph):
    comment = record(
        platform="instagram", id=COMMENT_ID, author="warga.jenu", text=COMPLAINT, kind="comment", url=POST_URL
    )
    draft = approved_reply(instagram_app, replace(comment, author_id=CITIZEN, raw={"graph_media_id": MEDIA_ID}))
    graph.comment(COMMENT_ID)

    with pytest.raises(KeyboardInterrupt):
        publish_entry(
            instagram_app.sessions, instagram_app.settings, DiesAfterPublishing(channel()), draft.id, "t", sleep=no_wait
        )
    again = publish_entry(instagram_app.sessions, instagram_app.settings, channel(), draft.id, "t", sleep=no_wait)

    (sent,) = graph.replies[COMMENT_ID]
    assert again.status == "recovered" and len(graph.calls("POST", f"{COMMENT_ID}/replies")) == 1
    text = stored(instagram_app, draft.id).content["files"][REPLY_TEXT_FILE].strip()
    assert sent["text"] == text and "081234567890" not in text and "Pahlawan" not in text
    assert stored(instagram_app, draft.id).remote_ids == [sent["id"]]
    with instagram_app.sessions() as session:
        (row,) = reply_rows(session, session.scalars(select(Ticket)).one(), UTC)
    assert row["url"] == POST_URL, "the ticket links to the post under which the reply is"


def story_mention(hours_ago: float):
    at = datetime.now(UTC) - timedelta(hours=hours_ago)
    mention = record(
        platform="instagram",
        id="mid-" + "a" * 48,
        author=f"id:{CITIZEN}",
        text=COMPLAINT,
        kind="dm",
        created_at=at.isoformat(),
    )
    return replace(mention, author_id=CITIZEN, raw={"mid": "aWdfZAG1mid", "story_mention": True})


def test_a_story_mention_is_answered_by_direct_message_inside_the_window(instagram_app, graph):
    draft = approved_reply(instagram_app, story_mention(hours_ago=3))

    outcome = publish_entry(instagram_app.sessions, instagram_app.settings, channel(), draft.id, "t", sleep=no_wait)

    assert outcome.status == "published"
    (call,) = graph.calls("POST", f"{PAGE_ID}/messages")
    assert CITIZEN in call.form["recipient"] and "Pahlawan" not in call.form["message"]
    assert stored(instagram_app, draft.id).remote_ids == [graph.conversations[CITIZEN][0]["id"]]


def test_a_story_mention_past_the_window_is_refused_with_the_reason_and_nothing_sent(instagram_app, graph):
    draft = approved_reply(instagram_app, story_mention(hours_ago=26))

    with pytest.raises(PublishingError, match="24 jam"):
        publish_entry(instagram_app.sessions, instagram_app.settings, channel(), draft.id, "t", sleep=no_wait)

    assert not graph.calls("POST", f"{PAGE_ID}/messages")
    failed = stored(instagram_app, draft.id)
    assert failed.status == FAILED and "jendela 24 jam" in failed.error
