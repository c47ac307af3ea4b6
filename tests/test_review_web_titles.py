"""The queue card's title field: filled with the proposed title (so ``c`` confirms with it), editable, and what the
confirm form sends is the ticket's title."""

import html
import re

from markupsafe import escape
from sqlalchemy import select

from publisher import redact
from satukanal.models import Post, Ticket, TicketPost
from satukanal.tickets.service import TITLE_LIMIT
from satukanal.tickets.titles import propose_title
from tests.factories import add_posts, record
from tests.web_helpers import token

GREETING_POST = "Permisi min. Lampu jalan nang Ds. Panyuran mati kabeh sak dalan, wes sewulan 😔 @laportuban"


def card_of(page: str, post_id: int) -> str:
    return re.search(rf'<li class="card[^"]*" id="post-{post_id}".*?(?=<li class="card|</ol>)', page, re.DOTALL).group()


def title_field(card: str) -> str:
    return re.search(r'<input name="title"[^>]*>', card).group()


def proposed_for(app, post_id: int) -> str:
    with app.sessions() as session:
        post = session.get(Post, post_id)
        return propose_title(redact(post.text), post.classification.category, None, TITLE_LIMIT)


def confirm_as_the_card_would(client, page: str, post_id: int, **fields):
    """Post the card's confirm form as rendered (what ``c`` submits), with ``fields`` changed."""
    value = re.search(r'value="([^"]*)"', title_field(card_of(page, post_id))).group(1)
    data = {"csrf_token": token(page), "title": html.unescape(value), "category": "", "agency": "", "kecamatan": ""}
    return client.post(f"/antrean/{post_id}/konfirmasi", data={**data, "anonymous": "y", **fields})


def ticket_title(app, post_id: int) -> str:
    with app.sessions() as session:
        return session.scalars(select(Ticket.title).join(TicketPost).where(TicketPost.post_id == post_id)).one()


def test_the_card_shows_the_proposed_title_prefilled_not_the_greeting(client, login, app):
    (post_id,) = add_posts(app, record(id="1", text=GREETING_POST))
    proposed = proposed_for(app, post_id)
    assert "Kelurahan Panyuran, Kec. Palang: lampu jalan mati kabeh sak dalan" in proposed
    login()
    field = title_field(card_of(client.get("/antrean/?status=semua").get_data(as_text=True), post_id))
    assert f'value="{escape(proposed)}"' in field and f'data-proposed="{escape(proposed)}"' in field
    assert f'maxlength="{TITLE_LIMIT}"' in field and "Permisi" not in field


def test_confirming_the_card_as_it_is_gives_the_ticket_the_proposed_title(client, login, app):
    (post_id,) = add_posts(app, record(id="1", text=GREETING_POST))
    login()
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    assert confirm_as_the_card_would(client, page, post_id).status_code == 302
    assert ticket_title(app, post_id) == proposed_for(app, post_id)


def test_an_edited_title_is_kept_redacted_and_an_emptied_one_follows_the_chosen_category(client, login, app):
    edited, emptied = add_posts(app, record(id="1", text=GREETING_POST), record(id="2", text=GREETING_POST + " 2"))
    login()
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    confirm_as_the_card_would(client, page, edited, title="PJU Panyuran mati, hubungi 081234567890")
    assert ticket_title(app, edited) == "PJU Panyuran mati, hubungi [nomor telepon]"
    confirm_as_the_card_would(client, page, emptied, title="", category="jalan_jembatan")
    expected = "Jalan dan jembatan di Kelurahan Panyuran, Kec. Palang: lampu jalan mati kabeh sak dalan"
    assert ticket_title(app, emptied) == expected


def test_category_options_carry_the_subject_the_page_swaps_into_an_untouched_title(client, login, app):
    (post_id,) = add_posts(app, record(id="1", text='Jalan "rusak" parah <b>di</b> Ds. Maindu'))
    login()
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    choices = re.search(r'<template id="choices">.*?</template>', page, re.DOTALL).group()
    roads = app.settings.agency_for_category("jalan_jembatan")
    assert f'<option value="jalan_jembatan" data-subject="Jalan dan jembatan" data-agency="{roads}">' in choices
    assert '<option value="lainnya" data-subject="Aduan warga" ' in choices
    field = title_field(card_of(page, post_id))
    assert "&#34;rusak&#34;" in field and "<b>" not in field, "the text's quotes escaped, its markup gone"
    assert re.search(r'data-subject="[^"]+"', field)
