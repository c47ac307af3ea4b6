"""Rejecting and editing a draft in the web app (admins only, errors beside their field) and on the command line."""

import json
import re

import pytest
from sqlalchemy import select

from satukanal.models import AuditEntry, Publication
from satukanal.publishing.ledger import stored_item
from satukanal.users.service import add_user
from tests.draft_helpers import make_draft
from tests.web_helpers import PASSWORD, signed_in, token, web_app


@pytest.fixture
def web(busy_week):
    """Stands in for conftest's ``web`` here: the busy week's app with an admin and a moderator."""
    with busy_week.sessions.begin() as session:
        add_user(session, busy_week.settings, "admin1", "admin", PASSWORD, "test")
        add_user(session, busy_week.settings, "moderator1", "moderator", PASSWORD, "test")
    return web_app(busy_week)


@pytest.fixture
def draft(busy_week):
    return make_draft(busy_week)


def stored(app, publication_id: int) -> tuple[str, dict]:
    with app.sessions() as session:
        entry = session.get(Publication, publication_id)
        return entry.status, stored_item(entry).files


def test_an_admin_rejects_a_draft_with_a_reason_and_a_moderator_cannot(web, busy_week, draft):
    moderator = signed_in(web, "moderator1")
    page = moderator.get(f"/publikasi/{draft}").get_data(as_text=True)
    assert "Tolak draf" not in page and "Ubah teks" not in page
    assert (
        moderator.post(f"/publikasi/{draft}/tolak", data={"csrf_token": token(page), "alasan": "x"}).status_code == 403
    )

    admin = signed_in(web, "admin1")
    page = admin.get(f"/publikasi/{draft}").get_data(as_text=True)
    assert "Setujui" in page and "Ubah teks" in page and "Tolak draf" in page
    assert "16–22 November 2026" in page and "2026-W47" not in page.split("<main>")[1], "the period as dates"
    assert admin.post(f"/publikasi/{draft}/tolak", data={"alasan": "tanpa token"}).status_code == 400

    empty = admin.post(f"/publikasi/{draft}/tolak", data={"csrf_token": token(page), "alasan": "  "})
    text = empty.get_data(as_text=True)
    assert empty.status_code == 400 and 'id="alasan-error">Tulis alasan penolakan' in text
    assert 'href="#alasan"' in text, "the error summary links to the field"
    assert stored(busy_week, draft)[0] == "draft"

    done = admin.post(
        f"/publikasi/{draft}/tolak",
        data={"csrf_token": token(page), "alasan": "Data belum lengkap"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Draf ditolak; publikasi ini tidak akan diterbitkan." in done
    assert "Ditolak oleh admin1" in done and "Alasan: Data belum lengkap" in done
    assert "Setujui" not in done and "Tolak draf" not in done
    assert stored(busy_week, draft)[0] == "rejected"
    listed = admin.get("/publikasi/?status=rejected").get_data(as_text=True)
    assert f'<a href="/publikasi/{draft}">' in listed and "16–22 November 2026" in listed

    log = admin.get("/audit/?aksi=publication.reject").get_data(as_text=True)
    assert f'<a href="/publikasi/{draft}">Publikasi #{draft} (16–22 November 2026)</a>' in log
    assert "Draf publikasi ditolak" in log and "Data belum lengkap" in log


def test_an_admin_edits_a_draft_with_each_error_beside_its_field(web, busy_week, draft):
    _, files = stored(busy_week, draft)
    tweets = json.loads(files["x-thread.json"])
    admin = signed_in(web, "admin1")
    form = admin.get(f"/publikasi/{draft}/ubah").get_data(as_text=True)
    assert len(re.findall(r'<textarea[^>]*name="cuitan"', form)) == len(tweets) + 1, "one more, empty, to add"
    assert 'name="keterangan"' in form

    too_long = "panjang " * 50
    refused = admin.post(
        f"/publikasi/{draft}/ubah",
        data={"csrf_token": token(form), "cuitan": [tweets[0], too_long, ""], "keterangan": "Keterangan baru"},
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="cuitan-2-error">Cuitan 2 terlalu panjang' in text
    assert too_long.strip() in text and "Keterangan baru" in text, "what was typed is kept"
    assert stored(busy_week, draft)[1] == files

    saved = admin.post(
        f"/publikasi/{draft}/ubah",
        data={"csrf_token": token(form), "cuitan": ["Cuitan pertama yang baru", ""], "keterangan": "Keterangan baru"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Draf diubah" in saved and "Cuitan pertama yang baru" in saved
    status, now_stored = stored(busy_week, draft)
    assert status == "draft" and json.loads(now_stored["x-thread.json"]) == ["Cuitan pertama yang baru"]
    log = admin.get("/audit/?aksi=publication.edit").get_data(as_text=True)
    assert "Draf publikasi diubah" in log and "<strong>Keterangan Instagram:</strong>" in log
    assert signed_in(web, "moderator1").get(f"/publikasi/{draft}/ubah").status_code == 403


def test_drafts_are_rejected_and_edited_on_the_command_line(cli_run, busy_week, tmp_path):
    first = make_draft(busy_week)
    exported = cli_run("publish", "edit", str(first), "--export", str(tmp_path / "draf"))
    assert exported.exit_code == 0
    thread = (tmp_path / "draf" / "thread.txt").read_text()
    assert thread.count("\n---\n") == len(json.loads(stored(busy_week, first)[1]["x-thread.json"])) - 1
    (tmp_path / "draf" / "thread.txt").write_text("Satu\n---\nDua\n")
    (tmp_path / "draf" / "caption.txt").write_text("Keterangan dari berkas\n")
    edited = cli_run(
        "publish", "edit", str(first),
        "--thread-file", str(tmp_path / "draf" / "thread.txt"),
        "--caption-file", str(tmp_path / "draf" / "caption.txt"),
    )  # fmt: skip
    assert edited.exit_code == 0 and "diubah" in edited.stdout
    files = stored(busy_week, first)[1]
    assert json.loads(files["x-thread.json"]) == ["Satu", "Dua"]
    assert files["instagram-caption.txt"] == "Keterangan dari berkas\n"
    assert cli_run("publish", "edit", str(first)).exit_code == 2, "nothing to do is a usage error"

    (tmp_path / "long.txt").write_text("x" * 300)
    too_long = cli_run("publish", "edit", str(first), "--thread-file", str(tmp_path / "long.txt"))
    assert too_long.exit_code == 1 and "Cuitan 1 terlalu panjang" in too_long.stderr

    rejected = cli_run("publish", "reject", str(first), "--reason", "Salah periode")
    assert rejected.exit_code == 0 and "ditolak" in rejected.stdout
    assert "Ditolak, tidak diterbitkan" in cli_run("publish", "list").stdout
    again = cli_run("publish", "weekly", "--week", "2026-W47", "--channel", "outbox")
    assert "sudah ditolak; tidak diterbitkan" in again.stdout
    with busy_week.sessions() as session:
        assert session.scalars(select(Publication.status)).all() == ["rejected"]
        reason = session.scalar(select(AuditEntry.after).where(AuditEntry.action == "publication.reject"))
    assert reason == {"status": "rejected", "reason": "Salah periode"}
    assert cli_run("publish", "reject", "99", "--reason", "x").stderr.strip() == "Error: publikasi 99 tidak ada"
