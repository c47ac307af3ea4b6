"""A publication left in flight by a dead process is finished once; a live claim is never taken over."""

import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select

from satukanal.models import AuditEntry, Publication, utcnow
from satukanal.publishing.ledger import PublishingError, requeue, waiting_publications
from satukanal.publishing.service import publish_entry, publish_recap
from satukanal.scheduler import approved_publications_job
from tests.publishing_helpers import AFTER, WEEK, CrashAfterPublish


def dead_pid() -> int:
    """The id of a process that has ended (and was reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def left_in_flight(app, claimed_by: str, lease: timedelta = timedelta(hours=1)) -> int:
    """A recap whose process died after the platform accepted it, before the ledger knew: in flight, claimed."""
    with pytest.raises(KeyboardInterrupt):
        publish_recap(
            app.sessions, app.settings, CrashAfterPublish(app.settings.publish.outbox_dir), WEEK, "t", now=AFTER
        )
    with app.sessions.begin() as session:
        entry = session.scalar(select(Publication))
        entry.claimed_by, entry.lease_until = claimed_by, utcnow() + lease
        return entry.id


def ledger(app) -> Publication:
    with app.sessions() as session:
        return session.scalar(select(Publication))


def test_the_scheduler_finishes_a_publication_whose_process_died(busy_week):
    app = busy_week
    entry_id = left_in_flight(app, f"{socket.gethostname()}:{dead_pid()}:1")
    assert waiting_publications(app.sessions) == [(entry_id, "outbox")]

    approved_publications_job(app)
    entry = ledger(app)
    assert entry.status == "published" and len(entry.remote_ids) == 4
    assert (entry.claimed_by, entry.lease_until) == (None, None)
    assert len(list(app.settings.publish.outbox_dir.iterdir())) == 1, "found on the channel, not posted again"
    approved_publications_job(app)
    assert waiting_publications(app.sessions) == []
    assert len(list(app.settings.publish.outbox_dir.iterdir())) == 1


def test_a_claim_whose_lease_ran_out_is_taken_over(busy_week):
    app = busy_week
    entry_id = left_in_flight(app, "another-host:123:1", lease=timedelta(seconds=-1))
    assert waiting_publications(app.sessions) == [(entry_id, "outbox")]
    outcome = publish_entry(app.sessions, app.settings, app.channel("outbox"), entry_id, "t", now=AFTER)
    assert outcome.status == "recovered"


def test_a_live_claim_of_another_process_is_refused(busy_week):
    app = busy_week
    entry_id = left_in_flight(app, f"{socket.gethostname()}:{os.getppid()}:1")
    other_host = "another-host:123:1"
    assert waiting_publications(app.sessions) == []
    with pytest.raises(PublishingError, match="sedang diterbitkan oleh proses lain"):
        publish_entry(app.sessions, app.settings, app.channel("outbox"), entry_id, "t", now=AFTER)
    with pytest.raises(PublishingError, match="berstatus Sedang diterbitkan, bukan gagal"):
        requeue(app.sessions, entry_id, "admin")
    with app.sessions.begin() as session:
        session.get(Publication, entry_id).claimed_by = other_host
    assert waiting_publications(app.sessions) == [], "a process on another host is trusted until its lease ends"
    assert ledger(app).status == "in_flight"


def test_an_admin_may_send_a_stalled_publication_again(busy_week):
    app = busy_week
    entry_id = left_in_flight(app, f"{socket.gethostname()}:{dead_pid()}:1")
    requeue(app.sessions, entry_id, "admin")
    assert ledger(app).status == "approved"
    with app.sessions() as session:
        audit = session.scalar(select(AuditEntry).where(AuditEntry.action == "publication.retry"))
        assert (audit.before, audit.after) == ({"status": "in_flight"}, {"status": "approved"})
    approved_publications_job(app)
    assert ledger(app).status == "published"
    assert len(list(app.settings.publish.outbox_dir.iterdir())) == 1
