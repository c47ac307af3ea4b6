"""The queue's duplicate hints: same category and same place, recent, open tickets first; never the category alone."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from satukanal.models import Post
from satukanal.review import context
from satukanal.review.context import DUPLICATE_WINDOW, Place, queue_context
from satukanal.review.service import confirm, undo
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.service import TicketChoices, set_status
from satukanal.tuban import villages
from tests.factories import add_posts, record

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
ROAD = "jalan_jembatan"
OTHER_JENU_DESA = next(
    village.name
    for items in villages().values()
    for village in items
    if village.kecamatan == "Jenu" and village.name != "Sugihwaras"
)


def ticket_for(app, text: str, age: timedelta, category: str = ROAD) -> str:
    """A ticket of ``category`` opened ``age`` before ``NOW`` from a post saying ``text``; its number."""
    (post_id,) = add_posts(app, record(text=text))
    with app.sessions.begin() as session:
        return confirm(
            session, app.settings, post_id, "test", TicketChoices(category=category), NOW - age
        ).ticket.number


def hints_for(app, text: str, category: str = ROAD, **fields) -> list[str]:
    """The ticket numbers the queue suggests, in order, for a new post saying ``text``, put in ``category``."""
    (post_id,) = add_posts(app, record(text=text, **fields))
    with app.sessions.begin() as session:
        post = session.scalars(select(Post).options(joinedload(Post.classification)).where(Post.id == post_id)).one()
        post.classification.category = category
        session.flush()
        return [ticket.number for ticket in queue_context(session, [post], NOW)[post_id].duplicates]


@pytest.fixture
def roads(app, monkeypatch):
    """Road tickets about Sugihwaras (Jenu), elsewhere in Jenu, other places and none, and ones too old or deleted."""
    monkeypatch.setattr(context, "DUPLICATES_SHOWN", 10)
    day = timedelta(days=1)
    numbers = {
        "desa": ticket_for(app, "Jalan di Ds. Sugihwaras Kec. Jenu rusak parah", 2 * day),
        "desa_closed": ticket_for(app, "Jalan Ds. Sugihwaras Kec. Jenu berlubang besar", day),
        "kecamatan": ticket_for(app, "Jalan poros Kec. Jenu rusak parah, banyak lubang", 3 * day),
        "other_desa": ticket_for(app, f"Jalan di Desa {OTHER_JENU_DESA} Kec. Jenu rusak parah", day),
        "other_kecamatan": ticket_for(app, "Jalan di Kec. Senori ambles, bahaya", day),
        "nowhere": ticket_for(app, "Wong Tuban ki sabar tenan, dalane rusak kabeh", day),
        "old": ticket_for(app, "Jalan di Ds. Sugihwaras Kec. Jenu rusak", DUPLICATE_WINDOW + day),
        "rubbish": ticket_for(app, "Sampah di Ds. Sugihwaras Kec. Jenu numpuk", day, category="sampah"),
    }
    with app.sessions.begin() as session:
        set_status(session, numbers["desa_closed"], Status.BUKAN_WEWENANG, "test", note="jalan provinsi")
    (deleted,) = add_posts(app, record(text="Jalan Ds. Sugihwaras Kec. Jenu rusak, dihapus"))
    with app.sessions.begin() as session:
        numbers["deleted"] = confirm(session, app.settings, deleted, "test", TicketChoices(category=ROAD)).ticket.number
        undo(session, deleted, "test")
    return numbers


def test_a_post_naming_a_desa_gets_that_desa_first_then_its_kecamatan_open_before_closed(app, roads):
    hints = hints_for(app, "Jalan Ds. Sugihwaras Jenu ambles lagi, tolong")
    assert hints == [roads["desa"], roads["desa_closed"], roads["kecamatan"]]


def test_a_post_naming_a_kecamatan_gets_the_tickets_of_that_kecamatan_and_no_other_place(app, roads):
    hints = hints_for(app, "Jalan ning Kec. Jenu rusak parah")
    assert set(hints) == {roads["desa"], roads["desa_closed"], roads["kecamatan"], roads["other_desa"]}
    assert hints[-1] == roads["desa_closed"], "closed tickets after the open ones"


def test_a_post_naming_no_place_gets_only_tickets_naming_none(app, roads):
    assert hints_for(app, "dalan rusak parah min, tolong") == [roads["nowhere"]]


def test_a_place_the_post_names_that_no_ticket_shares_gets_no_hint(app, roads):
    assert hints_for(app, "Jalan di Kec. Bancar ambles") == []


def test_a_reply_naming_no_place_is_about_the_place_of_the_post_it_answers(app, roads):
    add_posts(app, record(id="asal", text="Dalan nang Ds. Sugihwaras Kec. Jenu ambles, bahaya"))
    assert hints_for(app, "wes 3 dino durung didandani", in_reply_to="asal")[0] == roads["desa"]


@pytest.mark.parametrize(
    ("post", "ticket", "closeness"),
    [
        (Place("Jenu", "Sugihwaras"), Place("Jenu", "Sugihwaras"), 2),
        (Place("Jenu", "Sugihwaras"), Place("Jenu", None), 1),
        (Place("Jenu", None), Place("Jenu", "Sugihwaras"), 1),
        (Place("Jenu", "Sugihwaras"), Place("Jenu", "Mentoso"), None),
        (Place("Jenu", None), Place("Senori", None), None),
        (Place("Jenu", None), Place(None, None), None),
        (Place(None, None), Place("Jenu", None), None),
        (Place(None, None), Place(None, None), 0),
    ],
)
def test_closeness_of_two_places(post, ticket, closeness):
    assert post.closeness(ticket) == closeness


def test_a_place_is_read_from_a_desa_alone_too():
    assert Place.of("Jalan di Ds. Sugihwaras Kec. Jenu rusak") == Place("Jenu", "Sugihwaras")
    assert Place.of("Lampu jalan nang Ds. Panyuran mati") == Place("Palang", "Panyuran")
    assert Place.of("Wong Tuban ki sabar tenan") == Place(None, None)
