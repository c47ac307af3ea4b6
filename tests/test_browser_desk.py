"""The desk in Debian's Chromium: a liaison takes a ticket and adds a note; an admin unlocks an account and
gives it a new password, and its user logs in with it. Everything they do lands in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from satukanal.models import AuditEntry, Ticket
from satukanal.users.service import MAX_FAILED_LOGINS, add_user, authenticate
from tests.browser_helpers import CHROMIUM, serving
from tests.web_helpers import PASSWORD

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
TIMEOUT_MS = 20_000
"""Generous: the machine runs the suite on two cores beside the browser."""


def log_in(browser, address: str, username: str, password: str = PASSWORD):
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{address}/masuk", wait_until="load")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation(wait_until="load"):
        page.click("button[type=submit]")
    return page


def actions(app, action: str) -> list[AuditEntry]:
    with app.sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_liaison_takes_a_ticket_and_adds_a_note(app, two_tickets, browser):
    water, road = two_tickets
    with serving(app) as address:
        page = log_in(browser, address, "liaison-pdam")
        assert page.locator("a.bell .badge").inner_text() == "1", "the routed ticket waits under the bell"
        assert page.locator(f"text={road}").count() == 0, "another agency's ticket is not listed"
        with page.expect_navigation(wait_until="load"):
            page.click(f"a:text('{water}')")
        with page.expect_navigation(wait_until="load"):
            page.click("button:text('Ambil')")
        page.wait_for_selector(f"text=Tiket {water} sekarang dipegang Anda.")
        assert "Anda (liaison-pdam)" in page.locator("section.owner").inner_text()
        assert page.locator("a.bell .badge").count() == 0, "opening the ticket read its notification"

        page.fill("textarea[name=note]", "Sudah dicek petugas PDAM ke lokasi.")
        with page.expect_navigation(wait_until="load"):
            page.click("form.status-form button[type=submit]")
        page.wait_for_selector(f"text=Catatan ditambahkan ke {water}.")
        assert "Sudah dicek petugas PDAM ke lokasi." in page.content()
        with page.expect_navigation(wait_until="load"):
            page.click("a:text('Milik saya')")
        assert page.locator(f"a:text('{water}')").count() == 1

    with app.sessions() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.number == water))
        assert ticket.owner.username == "liaison-pdam" and ticket.status == "belum_terverifikasi"
        assert [note.note for note in ticket.notes] == ["Sudah dicek petugas PDAM ke lokasi."]
    assert [entry.actor for entry in actions(app, "ticket.assign")] == ["liaison-pdam"]
    assert [entry.actor for entry in actions(app, "ticket.note")] == ["liaison-pdam"]


def test_an_admin_unlocks_an_account_and_resets_its_password_and_the_user_logs_in(app, browser):
    with app.sessions.begin() as session:
        add_user(session, app.settings, "kepala", "admin", PASSWORD, "test")
        add_user(session, app.settings, "budi", "moderator", PASSWORD, "test")
    for _ in range(MAX_FAILED_LOGINS):
        with app.sessions.begin() as session:
            authenticate(session, "budi", "salah-sekali")
    with serving(app) as address:
        refused = log_in(browser, address, "budi")
        assert refused.locator(".flash.error").count() == 1, "the lock shows as an error"

        admin = log_in(browser, address, "kepala")
        admin.goto(f"{address}/pengguna", wait_until="load")
        row = admin.locator("tr", has_text="budi")
        assert "Terkunci sementara" in row.inner_text()
        with admin.expect_navigation(wait_until="load"):
            row.locator("button:text('Buka kunci')").click()
        admin.wait_for_selector("text=Kunci budi dibuka.")
        with admin.expect_navigation(wait_until="load"):
            admin.locator("tr", has_text="budi").locator("button:text('Buat kata sandi baru')").click()
        temporary = admin.locator("p.one-time-password code").inner_text()
        assert len(temporary) >= 10

        assert log_in(browser, address, "budi").locator(".flash.error").count() == 1, "the old password is gone"
        budi = log_in(browser, address, "budi", temporary)
        assert "/masuk" not in budi.url and budi.locator("a.account").inner_text().startswith("budi")

    assert [entry.after["username"] for entry in actions(app, "user.unlock")] == ["budi"]
    assert [(entry.actor, entry.after["username"]) for entry in actions(app, "user.password_reset")] == [
        ("kepala", "budi")
    ]
