"""The audit log in the web app: admins read it, filtered; nobody else does, and it holds no password."""

from satukanal.users.service import add_user
from tests.web_helpers import PASSWORD, log_in

CREATED_TICKET = '<td title="ticket.create">Tiket dibuat</td>'
CREATED_USER = '<td title="user.create">Pengguna ditambahkan</td>'


def test_admins_read_the_audit_log_filtered_and_nobody_else_does(web, client, login, app, two_tickets):
    with app.sessions.begin() as session:
        add_user(session, app.settings, "admin1", "admin", PASSWORD, "test")
    login()
    assert client.get("/audit/").status_code == 403
    admin = web.test_client()
    log_in(admin, "admin1")
    page = admin.get("/audit/").get_data(as_text=True)
    assert CREATED_TICKET in page and CREATED_USER in page and PASSWORD not in page
    assert "pbkdf2" not in page and "scrypt" not in page, "no password hash in the log"
    tickets_only = admin.get("/audit/?aksi=ticket.").get_data(as_text=True)
    assert CREATED_TICKET in tickets_only and CREATED_USER not in tickets_only
    first_ticket = admin.get("/audit/?aksi=ticket.&objek=1").get_data(as_text=True)
    link = f'<a href="/tiket/{two_tickets[0]}">{two_tickets[0]}</a>'
    assert first_ticket.count("<tr>") == 2 and link in first_ticket, "header and the first ticket's entry"
    assert "Tidak ada catatan." in admin.get("/audit/?aktor=tidak-ada").get_data(as_text=True)
    assert "Tidak ada catatan." in admin.get("/audit/?dari=2030-01-01").get_data(as_text=True)
    assert admin.get("/audit/?dari=kemarin").status_code == 400
