"""A draft awaiting approval can be edited or rejected with a reason; a rejected one is never claimed or sent."""

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from publisher import TWEET_LIMIT
from satukanal.models import AuditEntry, Publication
from satukanal.publishing import drafts
from satukanal.publishing.ledger import PublishingError, approve, claim, stored_item, waiting_publications
from satukanal.publishing.service import publish_entry, publish_recap
from tests.draft_helpers import make_draft
from tests.publishing_helpers import AFTER, WEEK


@pytest.fixture
def draft(busy_week):
    return make_draft(busy_week)


def entry_of(app, publication_id: int) -> Publication:
    with app.sessions() as session:
        entry = session.get(Publication, publication_id)
        session.expunge(entry)
        return entry


def audit_entries(app, action: str) -> list[AuditEntry]:
    with app.sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def outbox_folder(app):
    return app.settings.publish.outbox_dir / f"weekly-{WEEK.label}"


def test_a_rejected_draft_is_never_sent_nor_drafted_again(busy_week, draft):
    app = busy_week
    with pytest.raises(PublishingError, match="alasan wajib"):
        drafts.reject(app.sessions, draft, "admin1", "   ")
    drafts.reject(app.sessions, draft, "admin1", "Angka pekan ini belum dicek ulang")

    assert entry_of(app, draft).status == "rejected"
    [entry] = audit_entries(app, "publication.reject")
    assert entry.actor == "admin1" and entry.after == {
        "status": "rejected",
        "reason": "Angka pekan ini belum dicek ulang",
    }
    with app.sessions() as session:
        assert drafts.rejection(session, draft).reason == "Angka pekan ini belum dicek ulang"

    for approval in (True, False):  # the next scheduler run, with or without approval required
        settings = replace(app.settings, publish=app.settings.publish.model_copy(update={"require_approval": approval}))
        again = publish_recap(app.sessions, settings, app.channel("outbox"), WEEK, "scheduler", now=AFTER)
        assert again.status == "rejected" and again.publication_id == draft
    with app.sessions() as session:
        assert session.scalars(select(Publication.id)).all() == [draft], "no new draft for the period"
    assert waiting_publications(app.sessions) == []
    with pytest.raises(PublishingError, match="berstatus Ditolak"):
        approve(app.sessions, draft, "admin1")
    with pytest.raises(PublishingError, match="ditolak"):
        publish_entry(app.sessions, app.settings, app.channel("outbox"), draft, "admin1")
    with app.sessions.begin() as session, pytest.raises(PublishingError, match="tidak diterbitkan"):
        claim(session, "weekly", WEEK.label, "outbox", stored_item(entry_of(app, draft)), timedelta(minutes=5))
    assert not outbox_folder(app).exists(), "nothing was posted"
    with pytest.raises(PublishingError, match="hanya draf"):
        drafts.reject(app.sessions, draft, "admin1", "sekali lagi")


def test_an_approved_draft_can_no_longer_be_rejected_or_edited(busy_week, draft):
    app = busy_week
    approve(app.sessions, draft, "admin1")
    with pytest.raises(PublishingError, match="Disetujui"):
        drafts.reject(app.sessions, draft, "admin2", "terlambat")
    with pytest.raises(PublishingError, match="hanya draf yang dapat diubah"):
        drafts.edit(app.sessions, draft, "admin2", caption="lain")
    assert entry_of(app, draft).status == "approved"


def test_an_edited_draft_is_checked_audited_and_sent_as_edited(busy_week, draft):
    app = busy_week
    original = stored_item(entry_of(app, draft)).files
    tweets = json.loads(original["x-thread.json"])

    too_long = "kata " * 80
    with pytest.raises(drafts.DraftError) as refused:
        drafts.edit(app.sessions, draft, "admin1", tweets=[tweets[0], too_long])
    assert list(refused.value.problems) == ["cuitan-2"] and f"batasnya {TWEET_LIMIT}" in str(refused.value)
    with pytest.raises(drafts.DraftError) as refused:
        drafts.edit(app.sessions, draft, "admin1", caption=" ".join(f"#tagar{n}" for n in range(31)))
    assert "31 tagar" in refused.value.problems["keterangan"]
    with pytest.raises(drafts.DraftError, match="sedikitnya satu cuitan"):
        drafts.edit(app.sessions, draft, "admin1", tweets=["  ", ""])
    assert stored_item(entry_of(app, draft)).files == original, "a refused edit stores nothing"

    assert not drafts.edit(app.sessions, draft, "admin1", tweets=tweets, caption=original["instagram-caption.txt"])
    assert audit_entries(app, "publication.edit") == [], "an edit that changes nothing is not recorded"

    new_tweets = ["Rekap pekan ini, disunting admin.", "", tweets[-1]]
    assert drafts.edit(app.sessions, draft, "admin1", tweets=new_tweets, caption="Keterangan baru #LaporTuban\r\n")
    files = stored_item(entry_of(app, draft)).files
    assert json.loads(files["x-thread.json"]) == ["Rekap pekan ini, disunting admin.", tweets[-1]]
    assert files["instagram-caption.txt"] == "Keterangan baru #LaporTuban\n"
    assert {name for name in files if name.endswith(".png")} == {n for n in original if n.endswith(".png")}
    [entry] = audit_entries(app, "publication.edit")
    assert entry.before == {"x_thread": tweets, "instagram_caption": original["instagram-caption.txt"].strip()}
    assert entry.after == {
        "x_thread": json.loads(files["x-thread.json"]),
        "instagram_caption": "Keterangan baru #LaporTuban",
    }

    approve(app.sessions, draft, "admin1")
    publish_entry(app.sessions, app.settings, app.channel("outbox"), draft, "scheduler")
    sent = outbox_folder(app)
    assert json.loads((sent / "x-thread.json").read_text()) == json.loads(files["x-thread.json"])
    assert (sent / "instagram-caption.txt").read_text() == "Keterangan baru #LaporTuban\n"
