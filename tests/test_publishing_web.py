"""The publication pages: the ledger, the preview as stored, approving drafts and retrying failures."""

import json
import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import select

from publisher import PublishError, Week
from satukanal.models import AuditEntry, Publication, utcnow
from satukanal.publishing.ledger import PublishingError, stored_item, waiting_publications
from satukanal.publishing.service import publish_recap
from satukanal.users.service import add_user
from tests.publishing_helpers import AFTER, WEEK
from tests.web_helpers import HOSTILE, PASSWORD, signed_in, token, total_line, web_app

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EARLIER_WEEK = Week(2026, 46)


class FullDisk:
    """A channel that refuses every item for good, as a full disk or a rejected post would."""

    name = "x"

    def find_published(self, item):
        return None

    def publish(self, item):
        raise PublishError("disk penuh", retryable=False)


def with_approval(settings, required: bool = True):
    return replace(settings, publish=settings.publish.model_copy(update={"require_approval": required}))


@pytest.fixture
def web(busy_week):
    """Stands in for conftest's ``web`` here: the busy week's app, with an admin and a PDAM liaison as well."""
    with busy_week.sessions.begin() as session:
        add_user(session, busy_week.settings, "admin1", "admin", PASSWORD, "test")
        add_user(session, busy_week.settings, "moderator1", "moderator", PASSWORD, "test")
        add_user(session, busy_week.settings, "pengamat", "viewer", PASSWORD, "test")
        add_user(session, busy_week.settings, "liaison-pdam", "agency", PASSWORD, "test", agency="pdam")
    return web_app(busy_week)


@pytest.fixture
def ledger(busy_week):
    """Ids of a published (outbox), a failed (X) and, with approval required from then on, a draft publication."""
    app = busy_week
    published = publish_recap(app.sessions, app.settings, app.channel("outbox"), WEEK, "scheduler", now=AFTER)
    with pytest.raises(PublishingError, match="disk penuh"):
        publish_recap(app.sessions, app.settings, FullDisk(), WEEK, "scheduler", now=AFTER)
    app.settings = with_approval(app.settings)
    draft = publish_recap(app.sessions, app.settings, app.channel("outbox"), EARLIER_WEEK, "scheduler", now=AFTER)
    with app.sessions() as session:
        failed = session.scalar(select(Publication.id).where(Publication.status == "failed"))
    return {"published": published.publication_id, "failed": failed, "draft": draft.publication_id}


def status_of(app, publication_id: int) -> str:
    with app.sessions() as session:
        return session.get(Publication, publication_id).status


def act(client, path: str, page: str):
    """Press the button posting to ``path`` on ``page`` (its CSRF token), following the redirect."""
    return client.post(path, data={"csrf_token": token(page)}, follow_redirects=True)


def listed_ids(page: str) -> list[int]:
    return [int(number) for number in re.findall(r'<a href="/publikasi/(\d+)">', page)]


def test_the_ledger_lists_newest_first_with_failures_standing_out(web, ledger):
    client = signed_in(web, "moderator1")
    page = client.get("/publikasi/").get_data(as_text=True)
    assert listed_ids(page) == [ledger["draft"], ledger["failed"], ledger["published"]]
    assert "1 publikasi gagal dan perlu ditangani." in page
    for label in ("Draf, menunggu persetujuan", "Gagal", "Terbit"):
        assert f'<span class="status">{label}</span>' in page
    assert '<tr class="failed">' in page and 'Galat: <span class="error-text">disk penuh</span>' in page
    assert "23-11-2026 09:00" in page, "published at 02:00 UTC, shown in Tuban's time"
    assert '<a href="/publikasi/" aria-current="page">Publikasi</a>' in page

    failed = client.get("/publikasi/?status=failed").get_data(as_text=True)
    assert listed_ids(failed) == [ledger["failed"]] and "disk penuh" in failed
    published = client.get("/publikasi/?status=published").get_data(as_text=True)
    assert listed_ids(published) == [ledger["published"]] and "disk penuh" not in published
    assert client.get("/publikasi/?status=hilang").status_code == 400


def test_the_ledger_says_how_many_publications_it_holds_under_the_filter(web, app, ledger):
    client = signed_in(web, "moderator1")
    with app.sessions() as session:
        statuses = [entry.status for entry in session.scalars(select(Publication))]
    assert total_line(client.get("/publikasi/").get_data(as_text=True)) == f"{len(statuses)} publikasi"
    for status in ("failed", "published", "approved"):
        page = client.get(f"/publikasi/?status={status}").get_data(as_text=True)
        assert total_line(page) == f"{statuses.count(status)} dari {len(statuses)} publikasi"
        assert len(listed_ids(page)) == statuses.count(status)


def test_the_preview_shows_the_stored_thread_caption_and_cards(web, app, ledger):
    with app.sessions() as session:
        files = stored_item(session.get(Publication, ledger["published"])).files
    tweets = json.loads(files["x-thread.json"])
    client = signed_in(web, "moderator1")
    page = client.get(f"/publikasi/{ledger['published']}").get_data(as_text=True)

    listed = re.search(r'<ol class="tweets">(.*?)</ol>', page, re.S).group(1)
    assert re.findall(r'<li><p class="text">(.*?)</p></li>', listed, re.S) == [str(escape(t)) for t in tweets]
    assert f'<pre class="caption">{escape(files["instagram-caption.txt"])}</pre>' in page
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert sources == [f"/publikasi/{ledger['published']}/card-1.png", f"/publikasi/{ledger['published']}/card-2.png"]

    card = client.get(sources[0])
    assert card.status_code == 200 and card.mimetype == "image/png"
    assert card.data.startswith(PNG_SIGNATURE) and card.data == files["card-1.png"]
    assert card.headers["X-Content-Type-Options"] == "nosniff"
    for missing in ("card-9.png", "satukanal.toml", "..%2F..%2Fsatukanal.toml"):
        assert client.get(f"/publikasi/{ledger['published']}/{missing}").status_code == 404
    assert client.get("/publikasi/999").status_code == 404
    assert client.get("/publikasi/999/card-1.png").status_code == 404


def test_a_hostile_caption_from_an_edited_template_is_shown_escaped(web, app, tmp_path: Path):
    folder = tmp_path / "templates" / "weekly"
    folder.mkdir(parents=True)
    (folder / "x-thread.txt.j2").write_text(HOSTILE, encoding="utf-8")
    (folder / "instagram-caption.txt.j2").write_text(HOSTILE, encoding="utf-8")
    settings = replace(
        app.settings, publish=app.settings.publish.model_copy(update={"templates_dir": tmp_path / "templates"})
    )
    outcome = publish_recap(app.sessions, settings, app.channel("outbox"), WEEK, "t", now=AFTER)

    page = signed_in(web, "admin1").get(f"/publikasi/{outcome.publication_id}").get_data(as_text=True)
    assert '<pre class="caption">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x' in page
    assert '<p class="text">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;' in page
    assert '<script>alert("x")' not in page and "<img src=x" not in page
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/fold.js" defer>'], "our own script only"


def test_an_admin_approves_a_draft_once_and_the_scheduler_sends_it(web, app, ledger):
    client = signed_in(web, "admin1")
    page = client.get(f"/publikasi/{ledger['draft']}").get_data(as_text=True)
    assert "Setujui</button>" in page and "Coba lagi</button>" not in page

    approved = act(client, f"/publikasi/{ledger['draft']}/setujui", page)
    assert "Disetujui; akan diterbitkan oleh penjadwal dalam beberapa menit." in approved.get_data(as_text=True)
    with app.sessions() as session:
        entry = session.get(Publication, ledger["draft"])
        assert (entry.status, entry.approved_by) == ("approved", "admin1")
        audit = session.scalar(select(AuditEntry).where(AuditEntry.action == "publication.approve"))
        assert (audit.actor, audit.entity_id, audit.after) == ("admin1", str(ledger["draft"]), {"status": "approved"})
    assert waiting_publications(app.sessions) == [(ledger["draft"], "outbox")]
    assert not (app.settings.publish.outbox_dir / "weekly-2026-W46").exists(), "the request itself publishes nothing"

    again = act(client, f"/publikasi/{ledger['draft']}/setujui", page)
    assert "berstatus Disetujui, menunggu terbit, bukan draf" in again.get_data(as_text=True)
    assert client.post("/publikasi/999/setujui", data={"csrf_token": token(page)}).status_code == 404


def test_retry_puts_a_failed_publication_back_for_the_scheduler(web, app, ledger):
    client = signed_in(web, "admin1")
    page = client.get(f"/publikasi/{ledger['failed']}").get_data(as_text=True)
    assert "Galat: disk penuh" in page and "Coba lagi</button>" in page and "Setujui</button>" not in page

    retried = act(client, f"/publikasi/{ledger['failed']}/coba-lagi", page)
    assert "Akan dicoba lagi; akan diterbitkan oleh penjadwal dalam beberapa menit." in retried.get_data(as_text=True)
    assert status_of(app, ledger["failed"]) == "approved"
    assert waiting_publications(app.sessions) == [(ledger["failed"], "x")]
    with app.sessions() as session:
        audit = session.scalar(select(AuditEntry).where(AuditEntry.action == "publication.retry"))
        assert (audit.actor, audit.before, audit.after) == ("admin1", {"status": "failed"}, {"status": "approved"})

    for target in (ledger["failed"], ledger["published"]):
        refused = act(client, f"/publikasi/{target}/coba-lagi", page)
        assert "bukan gagal" in refused.get_data(as_text=True)
    assert status_of(app, ledger["published"]) == "published"


def test_a_stalled_publication_says_so_and_an_admin_may_send_it_again(web, app, ledger):
    with app.sessions.begin() as session:
        entry = session.get(Publication, ledger["failed"])
        entry.status, entry.claimed_by, entry.lease_until = "in_flight", "another-host:1:1", utcnow() - timedelta(1)
    client = signed_in(web, "admin1")
    listing = client.get("/publikasi/").get_data(as_text=True)
    assert "Terhenti di tengah jalan, dilanjutkan otomatis" in listing
    page = client.get(f"/publikasi/{ledger['failed']}").get_data(as_text=True)
    assert "berhenti di tengah jalan" in page and "Coba lagi</button>" in page

    act(client, f"/publikasi/{ledger['failed']}/coba-lagi", page)
    assert status_of(app, ledger["failed"]) == "approved"
    assert waiting_publications(app.sessions) == [(ledger["failed"], "x")]


def test_moderators_see_but_cannot_act_and_other_roles_see_nothing(web, app, ledger):
    moderator = signed_in(web, "moderator1")
    for target in (ledger["draft"], ledger["failed"]):
        page = moderator.get(f"/publikasi/{target}").get_data(as_text=True)
        assert "<button" in page, "the logout button"
        assert "Setujui</button>" not in page and "Coba lagi</button>" not in page
    for action in (f"{ledger['draft']}/setujui", f"{ledger['failed']}/coba-lagi"):
        assert moderator.post(f"/publikasi/{action}", data={"csrf_token": token(page)}).status_code == 403
    assert (status_of(app, ledger["draft"]), status_of(app, ledger["failed"])) == ("draft", "failed")

    pages = ("/publikasi/", f"/publikasi/{ledger['published']}", f"/publikasi/{ledger['published']}/card-1.png")
    for username in ("pengamat", "liaison-pdam"):
        client = signed_in(web, username)
        assert [client.get(path).status_code for path in pages] == [403, 403, 403]
        assert "/publikasi/" not in client.get("/dasbor/").get_data(as_text=True), "no menu link either"
    assert web.test_client().get("/publikasi/").headers["Location"].startswith("/masuk")


def test_every_action_needs_a_csrf_token(web, app, ledger):
    client = signed_in(web, "admin1")
    assert client.post(f"/publikasi/{ledger['draft']}/setujui").status_code == 400
    assert client.post(f"/publikasi/{ledger['failed']}/coba-lagi", data={"csrf_token": "palsu"}).status_code == 400
    assert (status_of(app, ledger["draft"]), status_of(app, ledger["failed"])) == ("draft", "failed")
