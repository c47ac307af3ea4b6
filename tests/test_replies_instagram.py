"""Answering a citizen on Instagram through instagrapi (the fake i.instagram.com): a comment in its thread,
exactly once even when the process dies mid-post; a story mention by direct message while Meta's 24-hour window
is open, and refused with the reason (and no request) once it has closed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from publisher.channels import REPLY_TARGET_FILE, REPLY_TEXT_FILE, ReplyTarget
from publisher.instagram_channel import InstagramChannel
from satukanal.models import Publication
from satukanal.publishing.ledger import FAILED, PUBLISHED, PublishingError, approve, stored_item
from satukanal.publishing.service import publish_entry
from satukanal.replies.service import ACKNOWLEDGEMENT
from satukanal.review.service import confirm
from satukanal.tickets.service import TicketChoices
from satukanal.users.service import add_user
from satukanal.wiring import App
from tests import instagram_fakes as fake
from tests.factories import add_posts, record
from tests.instagram_fakes import USER_ID
from tests.instagram_items import CITIZEN, CITIZEN_ID
from tests.publishing_helpers import DiesAfterPublishing
from tests.web_helpers import PASSWORD, signed_in, web_app

MEDIA_PK = "3700000000000000011"
COMMENT_PK = "18000000000000777"
THREAD_ID = "340282366841710300949128100000000001"
COMPLAINT = "jalan Jenu rusak parah min, anak saya jatuh. rumah saya Jl. Pahlawan 12, wa 081234567890"
PERSONAL = ("081234567890", "Pahlawan")


@pytest.fixture
def instagram_app(settings):
    app = App(replace(settings, publish=settings.publish.model_copy(update={"channels": ["instagram"]})))
    yield app
    app.close()


def confirmed(app: App, post) -> str:
    (post_id,) = add_posts(app, post)
    with app.sessions.begin() as session:
        return confirm(session, app.settings, post_id, "moderator1", TicketChoices()).ticket.number


def citizen_comment():
    post = record(
        platform="instagram", id=COMMENT_PK, author=CITIZEN, text=COMPLAINT, kind="comment", in_reply_to=MEDIA_PK
    )
    return replace(post, author_id=CITIZEN_ID, raw={"media_pk": MEDIA_PK})


def story_mention(at: datetime):
    post = record(
        platform="instagram",
        id="31000000000000000000000000000001",
        author=CITIZEN,
        text=COMPLAINT,
        kind="dm",
        created_at=at.isoformat(),
    )
    return replace(post, author_id=CITIZEN_ID, raw={"thread_id": THREAD_ID, "story_mention": True})


def no_wait(seconds: float) -> None:
    """The ledger's retry waits, skipped."""


def the_reply(app: App) -> Publication:
    with app.sessions() as session:
        (reply,) = session.scalars(select(Publication).where(Publication.kind == ACKNOWLEDGEMENT))
        return reply


def our_comment(pk: str, text: str) -> dict:
    return {
        "pk": pk,
        "text": text,
        "user_id": int(USER_ID),
        "user": {"pk": USER_ID, "username": fake.USERNAME},
        "created_at": fake.TAKEN_AT,
        "created_at_utc": fake.TAKEN_AT,
        "type": 2,
        "status": "Active",
        "content_type": "comment",
    }


def test_a_comment_is_answered_once_in_its_thread_even_when_the_process_dies(instagram_app, instagram, tmp_path):
    number = confirmed(instagram_app, citizen_comment())
    draft = the_reply(instagram_app)
    text = draft.content["files"][REPLY_TEXT_FILE].strip()
    assert number in text and "@" + CITIZEN in text and not any(detail in text for detail in PERSONAL)
    target = json.loads(draft.content["files"][REPLY_TARGET_FILE])
    assert target == {"kind": "comment", "id": COMMENT_PK, "media_id": MEDIA_PK, "recipient": CITIZEN_ID}
    approve(instagram_app.sessions, draft.id, "admin")

    thread = f"media/{MEDIA_PK}_{USER_ID}/comments/{COMMENT_PK}/inline_child_comments/"
    instagram.reply("GET", thread, {"child_comments": [], "status": "ok"})
    instagram.reply("POST", f"media/{MEDIA_PK}_{USER_ID}/comment/", {"comment": our_comment("18000000000000901", text)})
    channel = InstagramChannel(fake.logged_in_client(tmp_path / "session.json", instagram))
    with pytest.raises(KeyboardInterrupt):
        publish_entry(
            instagram_app.sessions, instagram_app.settings, DiesAfterPublishing(channel), draft.id, "t", sleep=no_wait
        )
    (sent,) = instagram.forms(f"media/{MEDIA_PK}_{USER_ID}/comment/")
    assert sent["comment_text"] == text and sent["replied_to_comment_id"] == int(COMMENT_PK)

    instagram.reply("GET", thread, {"child_comments": [our_comment("18000000000000901", text + " ")], "status": "ok"})
    again = publish_entry(instagram_app.sessions, instagram_app.settings, channel, draft.id, "t", sleep=no_wait)
    assert again.status == "recovered" and len(instagram.calls(f"media/{MEDIA_PK}_{USER_ID}/comment/")) == 1
    assert the_reply(instagram_app).remote_ids == ["18000000000000901"]


def test_a_story_mention_is_answered_by_direct_message_while_the_window_is_open(instagram_app, instagram, tmp_path):
    written = datetime.now(UTC) - timedelta(hours=2)
    confirmed(instagram_app, story_mention(written))
    draft = the_reply(instagram_app)
    target = ReplyTarget.of(stored_item(draft))
    assert (target.kind, target.thread_id, target.window_ends) == ("message", THREAD_ID, written + timedelta(hours=24))
    approve(instagram_app.sessions, draft.id, "admin")
    instagram.reply("GET", f"direct_v2/threads/{THREAD_ID}/", {"thread": {"items": []}, "status": "ok"})
    payload = {
        "item_id": "31000000000000000000000000000900",
        "thread_id": THREAD_ID,
        "timestamp": "1763950000000000",
        "client_context": "x",
        "user_id": int(USER_ID),
    }
    instagram.reply("POST", "direct_v2/threads/broadcast/text/", {"payload": payload, "status": "ok"})
    channel = InstagramChannel(fake.logged_in_client(tmp_path / "session.json", instagram))

    outcome = publish_entry(instagram_app.sessions, instagram_app.settings, channel, draft.id, "t", sleep=no_wait)

    assert outcome.status == "published" and the_reply(instagram_app).remote_ids == [payload["item_id"]]
    (call,) = instagram.calls("direct_v2/threads/broadcast/text/")
    assert THREAD_ID in call.request.body and "Pahlawan" not in call.request.body


def test_a_story_mention_past_its_window_is_refused_with_the_reason_and_nothing_is_sent(
    instagram_app, instagram, tmp_path
):
    confirmed(instagram_app, story_mention(datetime.now(UTC) - timedelta(hours=30)))
    draft = the_reply(instagram_app)
    approve(instagram_app.sessions, draft.id, "admin")
    channel = InstagramChannel(fake.logged_in_client(tmp_path / "session.json", instagram))
    instagram.reply("GET", f"direct_v2/threads/{THREAD_ID}/", {"thread": {"items": []}, "status": "ok"})

    with pytest.raises(PublishingError, match="24 jam"):
        publish_entry(instagram_app.sessions, instagram_app.settings, channel, draft.id, "t", sleep=no_wait)

    assert not instagram.calls("direct_v2/threads/broadcast/text/")
    failed = the_reply(instagram_app)
    assert failed.status == FAILED and "jendela 24 jam" in failed.error and failed.status != PUBLISHED


@pytest.mark.parametrize(("hours_ago", "closed"), [(2, False), (30, True)])
def test_the_publication_page_says_a_message_reply_is_due_within_the_window(instagram_app, hours_ago, closed):
    written = datetime.now(UTC) - timedelta(hours=hours_ago)
    confirmed(instagram_app, story_mention(written))
    with instagram_app.sessions.begin() as session:
        add_user(session, instagram_app.settings, "moderator1", "moderator", PASSWORD, "test")
    client = signed_in(web_app(instagram_app), "moderator1")

    page = client.get(f"/publikasi/{the_reply(instagram_app).id}").get_data(as_text=True)

    assert "pesan langsung ke warga" in page
    ends = (written + timedelta(hours=24)).astimezone(instagram_app.settings.timezone)
    assert ends.strftime("%d-%m-%Y %H:%M") in page
    assert ("Jendela 24 jam untuk membalas pesan ini sudah lewat" in page) is closed
