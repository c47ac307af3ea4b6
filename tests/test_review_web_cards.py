"""What a queue card shows and offers: the platform's name, the suggested category by name, how long the post has
waited, distinct confirm and reject buttons, one-click joining of a suggested ticket, a warning when category and
agency disagree, and the card that comes next after a decision."""

import html
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from satukanal.models import Post, Ticket, TicketPost
from satukanal.review.service import confirm
from satukanal.tuban import category_label
from satukanal.web.labels import platform_label
from satukanal.web.review_cards import mismatch, waited
from tests.factories import COMPLAINT, add_posts, record
from tests.queue_helpers import as_suggested, card_of, shown_posts
from tests.web_helpers import token


def queue_page(client) -> str:
    return client.get("/antrean/?status=semua").get_data(as_text=True)


def test_the_card_names_the_platform_and_the_suggested_category(client, login, app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT, platform="x"))
    login()
    card = card_of(queue_page(client), post_id)
    assert f'<span class="platform">{platform_label("x")}</span>' in card and ">x<" not in card
    with app.sessions() as session:
        suggested = session.get(Post, post_id).classification.category
    first = re.search(r'<select name="category"[^>]*>(<option[^>]*>[^<]*</option>)', card).group(1)
    assert first.endswith(f">{category_label(suggested)} (saran model)</option>") and 'value=""' in first


def test_every_card_says_how_long_the_post_has_waited(client, login, app):
    now = datetime.now(UTC)
    hours, days = add_posts(
        app,
        record(id="1", text=COMPLAINT, created_at=(now - timedelta(hours=3, minutes=10)).isoformat()),
        record(id="2", text=COMPLAINT + " lagi", created_at=(now - timedelta(days=2, hours=1)).isoformat()),
    )
    login()
    page = queue_page(client)
    assert '<span class="waited">menunggu 3 jam</span>' in card_of(page, hours)
    assert '<span class="waited">menunggu 2 hari</span>' in card_of(page, days)


def test_waiting_time_in_words():
    start = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert waited(start, start + timedelta(seconds=20)) == "baru masuk"
    assert waited(start, start + timedelta(minutes=59)) == "menunggu 59 menit"
    assert waited(start, start + timedelta(hours=23, minutes=59)) == "menunggu 23 jam"
    assert waited(start, start + timedelta(days=9, hours=5)) == "menunggu 9 hari"
    assert waited(start, start - timedelta(minutes=5)) == "baru masuk", "a clock running ahead waits nothing"


def test_confirm_is_the_primary_action_and_reject_the_danger_one(client, login, app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    login()
    card = card_of(queue_page(client), post_id)
    assert re.search(r'<button type="submit" class="primary" data-action="confirm">Konfirmasi</button>', card)
    assert re.search(r'<button type="submit" class="danger" data-action="reject">Tolak</button>', card)


def test_after_a_decision_the_queue_opens_at_the_card_that_followed(client, login, app):
    add_posts(app, *(record(id=str(n), text=f"{COMPLAINT} #{n}") for n in range(3)))
    login()
    page = queue_page(client)
    first, second, third = shown_posts(page)
    following = {
        post_id: re.findall(r'name="berikut" value="(\d+)"', card_of(page, post_id)) for post_id in (first, third)
    }
    assert set(following[first]) == {str(second)} and set(following[third]) == {str(second)}, "the last: previous"
    sent = {**as_suggested(token(page)), "berikut": str(second)}
    answer = client.post(f"/antrean/{first}/konfirmasi?status=semua", data=sent)
    assert answer.headers["Location"] == f"/antrean/?status=semua#post-{second}"
    rejected = client.post(
        f"/antrean/{third}/tolak", data={"csrf_token": token(page), "reason": "spam", "berikut": "2<script>"}
    )
    assert rejected.headers["Location"] == "/antrean/", "anything but a post id is no anchor"


def test_a_duplicate_hint_joins_its_ticket_in_one_click(client, login, app):
    first, again = add_posts(app, record(id="1", text=COMPLAINT), record(id="2", text=COMPLAINT + " Podo."))
    with app.sessions.begin() as session:
        number = confirm(session, app.settings, first, "test").ticket.number
    login()
    card = card_of(queue_page(client), again)
    join = re.search(r'<form class="join" method="post" action="([^"]+)">(.*?)</form>', card, re.DOTALL)
    assert f"Gabung ke tiket {number}</button>" in join.group(2)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', join.group(2)))
    answer = client.post(html.unescape(join.group(1)), data=fields, follow_redirects=True)
    assert f"Unggahan digabung ke tiket {number} sebagai duplikat." in answer.get_data(as_text=True)
    with app.sessions() as session:
        joined = session.scalars(select(TicketPost.post_id).join(Ticket).where(Ticket.number == number)).all()
    assert sorted(joined) == [first, again]


def test_a_category_routed_elsewhere_than_the_chosen_agency_is_warned_of(app):
    settings = app.settings
    water = settings.agency_for_category("air_minum")
    other = next(key for key in settings.agencies if key != water)
    warning = mismatch(settings, "air_minum", other)
    assert warning.startswith(f"{category_label('air_minum')} biasanya ditangani {settings.agency_name(water)}")
    assert f"bukan {settings.agency_name(other)}" in warning
    assert mismatch(settings, "air_minum", water) is None and mismatch(settings, "air_minum", None) is None
    assert mismatch(settings, None, other) is None, "no category, no routing to disagree with"


def test_the_card_warns_before_confirming_and_confirming_anyway_works(client, login, app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    settings = app.settings
    other = next(key for key in settings.agencies if key != settings.agency_for_category("air_minum"))
    login()
    page = queue_page(client)
    assert re.search(r'<p class="warning" data-mismatch role="status" hidden></p>', card_of(page, post_id))
    choices = re.search(r'<template id="choices">.*?</template>', page, re.DOTALL).group()
    assert (
        f'value="air_minum" data-subject="Air bersih PDAM" data-agency="{settings.agency_for_category("air_minum")}"'
        in choices
    )
    too_long = {**as_suggested(token(page)), "category": "air_minum", "agency": other, "title": "x" * 201}
    client.post(f"/antrean/{post_id}/konfirmasi", data=too_long)
    card = card_of(queue_page(client), post_id)
    shown = re.search(r'<p class="warning" data-mismatch role="status">([^<]+)</p>', card).group(1)
    assert html.unescape(shown) == mismatch(settings, "air_minum", other)
    anyway = {**as_suggested(token(page)), "category": "air_minum", "agency": other}
    assert client.post(f"/antrean/{post_id}/konfirmasi", data=anyway).status_code == 302
    with app.sessions() as session:
        assert session.scalar(select(Ticket.agency)) == other
