"""Feedback in the queue (and at the login): errors look like errors, sit in the card they are about with what was
typed kept, bulk actions say what they did or why they did nothing, and a wrong filter names itself."""

import html
import re

import pytest
from markupsafe import escape

from satukanal.tickets.service import TITLE_LIMIT
from satukanal.users.service import MAX_FAILED_LOGINS
from satukanal.web.review import BULK_LIMIT, NOTHING_CHOSEN
from satukanal.web.users import LOGIN_REFUSED
from tests.factories import COMPLAINT, TICKET_PREFIX, add_posts, record
from tests.queue_helpers import as_suggested, card_of, shown_posts
from tests.web_helpers import token


def flashes(page: str) -> list[tuple[str, str]]:
    """The flash messages on ``page``: (class, text)."""
    return [
        (kind, html.unescape(text)) for kind, text in re.findall(r'<p class="flash ([^"]*)"[^>]*>([^<]*)</p>', page)
    ]


def test_a_refused_login_and_a_lockout_are_shown_as_errors(login):
    refused = login(password="salah").get_data(as_text=True)
    assert flashes(refused) == [("error", LOGIN_REFUSED)]
    for _ in range(MAX_FAILED_LOGINS - 1):
        login(password="salah")
    locked = login().get_data(as_text=True)  # the right password, on a locked account
    assert flashes(locked) == [("error", LOGIN_REFUSED)]


def test_an_unknown_ticket_is_told_inside_its_card_with_the_input_kept(client, login, app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    login()
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    sent = {"csrf_token": token(page), "reason": "duplikat", "note": f"{TICKET_PREFIX}999999"}
    answer = client.post(f"/antrean/{post_id}/tolak?status=semua", data=sent)
    assert answer.headers["Location"] == f"/antrean/?status=semua#post-{post_id}"
    after = client.get(answer.headers["Location"]).get_data(as_text=True)
    card = card_of(after, post_id)
    message = f"tiket '{TICKET_PREFIX}999999' tidak ada"
    assert f'<p class="card-error" role="alert" id="post-{post_id}-error">{escape(message)}</p>' in card
    assert '<option value="duplikat" selected>' in card and f'value="{TICKET_PREFIX}999999"' in card
    assert flashes(after) == [], "not at the top of the page"
    again = client.get("/antrean/?status=semua").get_data(as_text=True)
    assert "card-error" not in again and f'value="{TICKET_PREFIX}999999"' not in again, "shown once"


def test_a_duplicate_without_a_ticket_number_asks_for_it(client, login, app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    login()
    page = client.get("/antrean/").get_data(as_text=True)
    answer = client.post(
        f"/antrean/{post_id}/tolak", data={"csrf_token": token(page), "reason": "duplikat"}, follow_redirects=True
    )
    card = card_of(answer.get_data(as_text=True), post_id)
    assert "Tulis nomor tiket" in card and "tiket &#39;&#39; tidak ada" not in card


def test_a_confirm_that_fails_keeps_title_category_agency_and_kecamatan(client, login, app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    login()
    page = client.get("/antrean/").get_data(as_text=True)
    title = ("Air PDAM mati di Sugihwaras lagi, " * 20)[: TITLE_LIMIT + 20]
    sent = {
        **as_suggested(token(page)),
        "title": title,
        "category": "jalan_jembatan",
        "agency": "pdam",
        "kecamatan": "Jenu",
        "confidential": "y",
    }
    del sent["anonymous"]
    card = card_of(
        client.post(f"/antrean/{post_id}/konfirmasi", data=sent, follow_redirects=True).get_data(as_text=True), post_id
    )
    assert "Judul paling panjang" in card
    assert f'value="{title}"' in card
    for name, value in (("category", "jalan_jembatan"), ("agency", "pdam"), ("kecamatan", "Jenu")):
        assert re.search(rf'<select name="{name}"[^>]*>.*?<option value="{value}"[^>]* selected>', card), name
    assert 'name="anonymous" value="y">' in card and 'name="confidential" value="y" checked>' in card


def test_a_bulk_action_with_nothing_selected_says_so(client, login, app):
    add_posts(app, record(id="1", text=COMPLAINT))
    login()
    page = client.get("/antrean/").get_data(as_text=True)
    for action in ("tolak", "konfirmasi"):
        answer = client.post("/antrean/massal", data={"csrf_token": token(page), "aksi": action}, follow_redirects=True)
        assert flashes(answer.get_data(as_text=True)) == [("error", NOTHING_CHOSEN)]
    too_many = [str(n) for n in range(1, BULK_LIMIT + 2)]
    answer = client.post("/antrean/massal", data={"csrf_token": token(page), "aksi": "tolak", "pilih": too_many})
    text = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"paling banyak {BULK_LIMIT} sekaligus. Tidak ada yang diubah." in text


def test_a_bulk_confirm_names_the_tickets_and_each_post_it_could_not_decide(client, login, app):
    posts = add_posts(app, *(record(id=str(n), text=f"{COMPLAINT} #{n}") for n in range(2)))
    login()
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    chosen = [str(post_id) for post_id in posts] + ["999999"]
    answer = client.post(
        "/antrean/massal",
        data={"csrf_token": token(page), "aksi": "konfirmasi", "pilih": chosen},
        follow_redirects=True,
    )
    shown = flashes(answer.get_data(as_text=True))
    assert ("message", f"2 unggahan dikonfirmasi: tiket {TICKET_PREFIX}000001, {TICKET_PREFIX}000002.") in shown
    assert ("error", "Tidak dikonfirmasi: unggahan 999999 tidak ada") in shown


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("platform=tiktok", "platform", "Platform “tiktok” tidak dikenal"),
        ("kategori=jalan_tol", "kategori", "Kategori “jalan_tol” tidak dikenal"),
        ("kecamatan=Atlantis", "kecamatan", "Kecamatan “Atlantis” tidak dikenal"),
        ("status=x", "status", "Status “x” tidak dikenal"),
        ("urutan=acak", "urutan", "Urutan “acak” tidak dikenal"),
        ("opd=dinas_rahasia", "opd", "OPD “dinas_rahasia” tidak dikenal"),
        ("skor_min=2", "skor_min", "Skor terendah “2” tidak sah"),
        ("skor_max=banyak", "skor_max", "Skor tertinggi “banyak” tidak sah"),
        ("skor_min=0.8&skor_max=0.2", "skor_max", "Skor tertinggi lebih kecil dari skor terendah"),
        ("dari=kemarin", "dari", "Tanggal dari tidak sah"),
    ],
)
def test_a_wrong_filter_answers_400_naming_it_with_the_queue_still_shown(client, login, app, query, field, words):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    login()
    answer = client.get(f"/antrean/?status=semua&{query}" if field != "status" else f"/antrean/?{query}")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "Galat 400" not in page
    summary = re.search(r'<div class="flash error" role="alert">.*?</div>', page, re.DOTALL).group()
    assert f'href="#{field}"' in summary and words in html.unescape(summary)
    assert f'<span class="field-error" id="{field}-error">' in page and f'aria-describedby="{field}-error"' in page
    assert '<form class="filters"' in page
    assert shown_posts(page) == (
        [post_id] if field != "status" else shown_posts(client.get("/antrean/").get_data(as_text=True))
    )


def test_filter_lain_opens_when_one_of_its_filters_is_set(client, login, app):
    login()

    def more_open(query: str) -> bool:
        page = client.get(f"/antrean/{query}").get_data(as_text=True)
        return bool(re.search(r'<details class="more-filters" open>', page))

    assert not more_open("") and not more_open("?kategori=air_minum&kecamatan=Jenu&q=banyu&status=semua")
    assert more_open("?platform=instagram") and more_open("?urutan=uncertain") and more_open("?dari=kemarin")
