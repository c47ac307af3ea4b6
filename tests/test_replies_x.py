"""Answering a citizen on X: confirming their tweet drafts an acknowledgement; once approved, one reply goes out
through tweepy to the fake X (X API v2's wire format), exactly once even when the process dies mid-post, and
the ticket keeps the reply's id. A confidential ticket gets no public reply; a resolved one gets a second."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from publisher.thread import TWEET_LIMIT, tweet_length
from publisher.x_channel import XChannel
from satukanal.models import AuditEntry, Publication, utcnow
from satukanal.publishing.ledger import APPROVED, DRAFT, PUBLISHED, approve
from satukanal.publishing.service import publish_entry
from satukanal.replies.service import ACKNOWLEDGEMENT, RESOLUTION, draft_resolutions
from satukanal.review.service import confirm
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.service import TicketChoices, set_status
from satukanal.wiring import App
from tests.factories import add_posts, record
from tests.publishing_helpers import DiesAfterPublishing
from tests.x_fake import FakeX
from tests.x_wire import tweet, user_client

CITIZEN_TWEET = "1862000000000000001"
COMPLAINT = "@laportuban air PDAM mati 3 hari di Desa Latsari, hub 081234567890, NIK 3523011201850003. Tolong min"
PERSONAL = ("081234567890", "3523011201850003", "Latsari")
"""What the citizen wrote that a public reply must not repeat."""


@pytest.fixture
def x_app(settings):
    """The app publishing on X: replies to X posts go there, not to the outbox."""
    app = App(replace(settings, publish=settings.publish.model_copy(update={"channels": ["x"]})))
    yield app
    app.close()


def confirmed(app: App, confidential: bool = False) -> str:
    """The citizen's tweet stored and confirmed; the new ticket's number."""
    (post_id,) = add_posts(app, record(id=CITIZEN_TWEET, author="warga_latsari", text=COMPLAINT))
    with app.sessions.begin() as session:
        return confirm(
            session, app.settings, post_id, "moderator1", TicketChoices(confidential=confidential)
        ).ticket.number


def replies(app: App) -> list[Publication]:
    with app.sessions() as session:
        return list(session.scalars(select(Publication).where(Publication.kind.in_((ACKNOWLEDGEMENT, RESOLUTION)))))


def test_confirming_a_tweet_drafts_an_acknowledgement_that_names_the_ticket_and_nothing_personal(x_app):
    number = confirmed(x_app)
    (draft,) = replies(x_app)
    assert (draft.kind, draft.channel, draft.status) == (ACKNOWLEDGEMENT, "x", DRAFT)
    (text,) = json.loads(draft.content["files"]["x-thread.json"])
    assert text.startswith("@warga_latsari ") and number in text, "the citizen is notified; the text is unique"
    assert tweet_length(text) <= TWEET_LIMIT
    assert not any(detail in text for detail in PERSONAL), text
    assert draft.content["files"]["in-reply-to.txt"] == CITIZEN_TWEET
    with x_app.sessions() as session:
        assert "reply.draft" in session.scalars(select(AuditEntry.action)).all()


def test_an_approved_acknowledgement_is_posted_once_as_a_reply_even_when_the_process_dies(x_app, x: FakeX):
    x.add(tweet(int(CITIZEN_TWEET), COMPLAINT, author="7001"))
    confirmed(x_app)
    (draft,) = replies(x_app)
    approve(x_app.sessions, draft.id, "admin")
    with pytest.raises(KeyboardInterrupt):
        publish_entry(x_app.sessions, x_app.settings, DiesAfterPublishing(XChannel(user_client())), draft.id, "t")
    assert len(x.requests("tweets")) == 1
    (body,) = x.tweet_bodies()
    assert body["reply"] == {"in_reply_to_tweet_id": CITIZEN_TWEET}, "a reply to the citizen's own tweet"

    again = publish_entry(x_app.sessions, x_app.settings, XChannel(user_client()), draft.id, "t")
    assert again.status == "recovered" and len(x.requests("tweets")) == 1, "found on the account, not posted twice"
    (sent,) = replies(x_app)
    assert sent.status == PUBLISHED and sent.remote_ids == [x.tweets[-1]["id"]]


def test_a_confidential_ticket_gets_no_public_reply(x_app):
    confirmed(x_app, confidential=True)
    assert replies(x_app) == []


def test_acknowledgements_may_go_out_without_approval_by_setting(settings):
    publish = settings.publish.model_copy(update={"channels": ["x"], "acknowledge_automatically": True})
    app = App(replace(settings, publish=publish))
    try:
        confirmed(app)
        assert [reply.status for reply in replies(app)] == [APPROVED]
    finally:
        app.close()


def test_a_resolved_ticket_gets_one_resolution_draft_however_often_the_check_runs(x_app):
    number = confirmed(x_app)
    with x_app.sessions.begin() as session:
        for status in (Status.TERVERIFIKASI, Status.TERDISPOSISI, Status.DITINDAKLANJUTI, Status.SELESAI):
            set_status(session, number, status, "pdam")
    for _ in range(2):
        with x_app.sessions.begin() as session:
            draft_resolutions(session, x_app.settings, "scheduler", utcnow())
    kinds = sorted(reply.kind for reply in replies(x_app))
    assert kinds == [ACKNOWLEDGEMENT, RESOLUTION]
    resolution = next(reply for reply in replies(x_app) if reply.kind == RESOLUTION)
    assert resolution.status == DRAFT, "a resolution reply always waits for a moderator"
    assert number in json.loads(resolution.content["files"]["x-thread.json"])[0]
