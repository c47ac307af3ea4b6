"""The review queue in the web app: deciding on posts, CSRF, roles, undo, and hostile post text shown escaped."""

import re
import threading

from sqlalchemy import func, select

from satukanal.models import Post, ReviewDecision, Ticket
from satukanal.review.service import confirm
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.service import set_status
from satukanal.users.service import add_user
from tests.factories import COMPLAINT, TICKET_PREFIX, add_posts, record
from tests.queue_helpers import card_of
from tests.web_helpers import HOSTILE, PASSWORD, log_in, token


def test_hostile_post_text_is_shown_escaped_under_a_strict_policy(client, login, app):
    add_posts(app, record(id="1", text=HOSTILE))
    login()
    response = client.get("/antrean/?status=semua")
    page = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert '<script>alert("x")' not in page and "<img src=x" not in page
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/static/fold.js" defer>',
        '<script src="/static/queue.js">',
    ], "our own scripts, nothing else"


def test_confirm_creates_a_ticket_and_reject_records_the_reason(client, login, app):
    complaint, spam = add_posts(
        app, record(id="1", text=COMPLAINT), record(id="2", text="slot gacor maxwin deposit 10rb")
    )
    login()
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    assert f'id="post-{complaint}"' in page and "Air bersih PDAM" in page

    confirmed = client.post(
        f"/antrean/{complaint}/konfirmasi?status=semua",
        data={"csrf_token": token(page), "category": "", "agency": "", "kecamatan": "", "anonymous": "y"},
        follow_redirects=True,
    )
    assert f"Unggahan dikonfirmasi: tiket {TICKET_PREFIX}000001." in confirmed.get_data(as_text=True)
    rejected = client.post(
        f"/antrean/{spam}/tolak", data={"csrf_token": token(page), "reason": "spam"}, follow_redirects=True
    )
    assert "Unggahan ditolak." in rejected.get_data(as_text=True)
    with app.sessions() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert (ticket.category, ticket.agency, ticket.is_anonymous) == ("air_minum", "pdam", True)
        decision = session.scalars(select(ReviewDecision).where(ReviewDecision.post_id == spam)).one()
        assert decision.reason == "Spam atau promosi" and decision.actor == "moderator1"


def test_state_changing_requests_without_a_valid_csrf_token_are_refused(client, login, app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    login()
    for data in ({}, {"csrf_token": "palsu"}):
        response = client.post(f"/antrean/{post_id}/konfirmasi", data=data)
        assert response.status_code == 400 and "Formulir kedaluwarsa" in response.get_data(as_text=True)
        assert client.post(f"/antrean/{post_id}/tolak", data={**data, "reason": "spam"}).status_code == 400
        assert client.post("/keluar", data=data).status_code == 400
    with app.sessions() as session:
        assert session.get(Post, post_id).review_status == "pending"


def test_a_viewer_cannot_open_or_act_on_the_queue(client, login, app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    login("pengamat")
    assert client.get("/antrean/").status_code == 403
    page = client.get("/masuk").get_data(as_text=True)
    response = client.post(f"/antrean/{post_id}/konfirmasi", data={"csrf_token": token(page)})
    assert response.status_code == 403 and "Anda tidak berhak" in response.get_data(as_text=True)


def test_undo_takes_back_this_sessions_decisions_latest_first(client, login, app):
    water, spam, third = add_posts(
        app, record(id="1", text=COMPLAINT), record(id="2", text="slot gacor"), record(id="3", text=COMPLAINT + " 2")
    )
    login()
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    csrf = {"csrf_token": token(page)}
    as_suggested = {**csrf, "category": "", "agency": "", "kecamatan": "", "anonymous": "y"}
    assert client.post(f"/antrean/{water}/konfirmasi", data=as_suggested).status_code == 302
    assert client.post(f"/antrean/{spam}/tolak", data={**csrf, "reason": "spam"}).status_code == 302
    assert client.post(f"/antrean/{third}/konfirmasi", data=as_suggested).status_code == 302
    with app.sessions.begin() as session:
        set_status(session, f"{TICKET_PREFIX}000002", Status.TERVERIFIKASI, "test")

    refused = client.post("/antrean/batal", data=csrf, follow_redirects=True).get_data(as_text=True)
    assert f"tiket {TICKET_PREFIX}000002 sudah diproses" in refused
    lifted = client.post("/antrean/batal", data=csrf, follow_redirects=True).get_data(as_text=True)
    assert "Dibatalkan: penolakan; unggahan kembali ke antrean." in lifted
    released = client.post("/antrean/batal", data=csrf, follow_redirects=True).get_data(as_text=True)
    assert f"Dibatalkan: konfirmasi (tiket {TICKET_PREFIX}000001 dihapus)" in released
    empty = client.post("/antrean/batal", data=csrf, follow_redirects=True).get_data(as_text=True)
    assert "Tidak ada keputusan yang bisa dibatalkan di sesi ini." in empty
    with app.sessions() as session:
        statuses = {post.id: post.review_status for post in session.scalars(select(Post))}
        first = session.scalars(select(Ticket).where(Ticket.number == f"{TICKET_PREFIX}000001")).one()
        assert first.status == "dihapus" and first.posts == []
    assert statuses == {water: "pending", spam: "pending", third: "confirmed"}
    assert client.post("/antrean/batal").status_code == 400, "undo needs the CSRF token too"


def test_cards_show_the_thread_and_open_tickets_the_post_may_duplicate(client, login, app):
    (first,) = add_posts(app, record(id="100", text=COMPLAINT))
    with app.sessions.begin() as session:
        number = confirm(session, app.settings, first, "test").ticket.number
    (_, _, reply, rubbish) = add_posts(
        app,
        record(id="200", text="<b>sopo</b> sing ngurus PDAM iki?", author="tetangga"),
        record(id="201", text="wes 3 dino lur", author="warga_a", in_reply_to="200"),
        record(id="202", text="banyu PDAM nang Jenu ora mili, podo", author="warga_b", in_reply_to="201"),
        record(id="203", text="sampah numpuk di pasar tambakboyo, bau sekali"),
    )
    login()
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    card = card_of(page, reply)
    assert card.index("membalas @tetangga: &lt;b&gt;sopo&lt;/b&gt;") < card.index("membalas @warga_a: wes 3 dino lur")
    assert f'<a href="/tiket/{number}">{number}</a>' in card and f"Gabung ke tiket {number}</button>" in card
    other = card_of(page, rubbish)
    assert "Mungkin duplikat" not in other and "membalas" not in other


def test_two_moderators_confirming_the_same_post_at_once_make_one_ticket(web, app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    with app.sessions.begin() as session:
        add_user(session, app.settings, "moderator2", "moderator", PASSWORD, "test")
    clients = [web.test_client(), web.test_client()]
    forms = []
    for client, name in zip(clients, ("moderator1", "moderator2"), strict=True):
        log_in(client, name)
        page = client.get("/antrean/?status=semua").get_data(as_text=True)
        forms.append({"csrf_token": token(page), "category": "", "agency": "", "kecamatan": "", "anonymous": "y"})
    start = threading.Barrier(2)
    answers = []

    def confirm_as(client, form):
        start.wait()
        answers.append(client.post(f"/antrean/{post_id}/konfirmasi", data=form, follow_redirects=True))

    workers = [threading.Thread(target=confirm_as, args=pair) for pair in zip(clients, forms, strict=True)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    texts = sorted(answer.get_data(as_text=True) for answer in answers)
    assert all(answer.status_code == 200 for answer in answers)
    assert sum(f"Unggahan dikonfirmasi: tiket {TICKET_PREFIX}000001." in text for text in texts) == 1
    assert sum(f"Sudah menjadi tiket {TICKET_PREFIX}000001." in text for text in texts) == 1
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1
