"""Exactly once on the real platform clients: a crash after X or Instagram accepted the recap, then a restart.

The process "dies" (KeyboardInterrupt) right after the channel returned, before
the ledger could record the remote ids; the restarted run must find the post
on the account and record it, so the account ends up with exactly one copy.
"""

import json

import pytest
from sqlalchemy import select

from publisher.instagram_channel import InstagramChannel
from publisher.x_channel import XChannel
from satukanal.models import Publication
from satukanal.publishing.service import publish_recap
from tests.instagram_fakes import logged_in_client, post
from tests.publishing_helpers import AFTER, WEEK, DiesAfterPublishing
from tests.x_fake import FakeX
from tests.x_wire import user_client


def ledger(app) -> Publication:
    with app.sessions() as session:
        return session.scalar(select(Publication))


def test_x_thread_interrupted_before_the_ledger_write_is_posted_once(busy_week, x: FakeX):
    app = busy_week
    with pytest.raises(KeyboardInterrupt):
        publish_recap(app.sessions, app.settings, DiesAfterPublishing(XChannel(user_client())), WEEK, "t", now=AFTER)
    assert ledger(app).status == "in_flight"
    thread = json.loads(ledger(app).content["files"]["x-thread.json"])
    posted = len(x.requests("tweets"))
    assert posted == len(thread) >= 2

    restarted = publish_recap(app.sessions, app.settings, XChannel(user_client()), WEEK, "t", now=AFTER)
    assert restarted.status == "recovered"
    assert len(x.requests("tweets")) == posted, "nothing posted twice"
    assert ledger(app).remote_ids == [tweet["id"] for tweet in x.tweets]
    again = publish_recap(app.sessions, app.settings, XChannel(user_client()), WEEK, "t", now=AFTER)
    assert again.status == "already_published" and len(x.tweets) == posted


def test_instagram_post_interrupted_before_the_ledger_write_is_posted_once(busy_week, instagram, tmp_path):
    app = busy_week
    client = logged_in_client(tmp_path / "session.json", instagram)
    instagram.recent_posts()
    instagram.post_accepted(post("3100000000000000001", "dummy", album=True))
    with pytest.raises(KeyboardInterrupt):
        publish_recap(app.sessions, app.settings, DiesAfterPublishing(InstagramChannel(client)), WEEK, "t", now=AFTER)
    stored = ledger(app).content["files"]
    assert ledger(app).status == "in_flight" and len(instagram.calls("media/configure_sidecar/")) == 1
    assert len(instagram.uploads()) == 2, "both cards of the recap"

    instagram.recent_posts(post("3100000000000000001", stored["instagram-caption.txt"], album=True))
    restarted = publish_recap(app.sessions, app.settings, InstagramChannel(client), WEEK, "t", now=AFTER)
    assert (restarted.status, restarted.remote_ids) == ("recovered", ["3100000000000000001"])
    assert len(instagram.calls("media/configure_sidecar/")) == 1, "nothing posted twice"
    assert ledger(app).status == "published"
