"""The audit log in words: actions in Indonesian, objects by their number with a link, only what changed, paged."""

import re

from sqlalchemy import func, select

from satukanal import audit
from satukanal.models import AuditEntry
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.service import set_status
from satukanal.users.admin import set_role
from satukanal.users.service import add_user
from tests.web_helpers import PASSWORD, signed_in


def rows(page: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1], re.S) if "<tbody>" in page else []


def test_a_status_change_reads_as_words_with_a_link_to_the_ticket(web, app, two_tickets):
    water, _ = two_tickets
    with app.sessions.begin() as session:
        add_user(session, app.settings, "admin1", "admin", PASSWORD, "test")
        set_status(session, water, Status.TERVERIFIKASI, "liaison-pdam")
        set_role(session, app.settings, "liaison-pdam", "viewer", "admin1")
    admin = signed_in(web, "admin1")

    page = admin.get(f"/audit/?objek={water}").get_data(as_text=True)
    changed = [row for row in rows(page) if "Status tiket diubah" in row]
    assert len(changed) == 1, "the ticket number finds the ticket's entries"
    assert f'<a href="/tiket/{water}">{water}</a>' in changed[0]
    assert "<strong>Status:</strong>\n            Belum Terverifikasi → Terverifikasi" in changed[0]
    assert "Nomor" not in changed[0] and "Kategori" not in changed[0], "unchanged fields are left out"
    assert "{&#34;" not in page and '{"' not in page, "no raw JSON"

    created = [row for row in rows(page) if "Tiket dibuat" in row][0]
    assert "<strong>Instansi:</strong>" in created and app.settings.agency_name("pdam") in created
    assert "ID LAPOR!" not in created, "a field recorded empty on creation says nothing"

    role = admin.get("/audit/?objek=liaison-pdam&aksi=user.role").get_data(as_text=True)
    [entry] = rows(role)
    assert "Pengguna liaison-pdam" in entry and "Peran pengguna diubah" in entry
    assert "<strong>Peran:</strong>\n            Petugas OPD → Pemantau" in entry
    assert "Nama pengguna" not in entry, "the username is the same before and after"


def test_the_log_is_paged_keeping_its_filters(web, app):
    with app.sessions.begin() as session:
        add_user(session, app.settings, "admin1", "admin", PASSWORD, "test")
        for number in range(60):
            audit.record_event(session, "trainer", "model.keep", "model", f"v{number}", None, {"version": f"v{number}"})
    admin = signed_in(web, "admin1")

    first = admin.get("/audit/?aksi=model.").get_data(as_text=True)
    assert len(rows(first)) == 50 and "60 catatan" in first
    assert "Model v59" in first and "Model v0" not in first, "newest first"
    assert 'href="/audit/?aksi=model.&amp;halaman=2"' in first and "Sebelumnya" not in first
    second = admin.get("/audit/?aksi=model.&halaman=2").get_data(as_text=True)
    assert len(rows(second)) == 10 and "Model v0" in second and "Berikutnya" not in second
    assert 'href="/audit/?aksi=model."' in second
    everything = admin.get("/audit/").get_data(as_text=True)
    with app.sessions() as session:
        assert f"{session.scalar(select(func.count()).select_from(AuditEntry))} catatan" in everything
    assert admin.get("/audit/?halaman=0").status_code == 400


def test_a_model_comparison_reads_in_indonesian(web, app):
    measured = {"n": 20, "precision": 0.5, "recall": 0.9, "f1": 0.6429, "roc_auc": None}
    comparison = "dari 20 keputusan terbaru, model baru benar pada 0 yang salah menurut model lama"
    with app.sessions.begin() as session:
        add_user(session, app.settings, "admin1", "admin", PASSWORD, "test")
        audit.record_event(
            session,
            "trainer",
            "model.keep",
            "model",
            "v2",
            {"version": "v1", "held_out": measured},
            {"version": "v2", "held_out": {**measured, "f1": 0.5}, "comparison": comparison},
        )
    page = signed_in(web, "admin1").get("/audit/?aksi=model.").get_data(as_text=True)
    [entry] = rows(page)
    assert "Model baru tidak dipakai" in entry and "<strong>Dibanding model lama:</strong>" in entry
    assert comparison in entry
    assert "jumlah: 20; presisi: 0,500; recall: 0,900; F1: 0,643; ROC AUC: –" in entry, entry
    assert "precision" not in entry and "None" not in entry
