"""Every ticket of the demo (``run_demo`` into the test's folder) has a title about its complaint: never a
greeting, salutation or fragment, at least three words, naming the category or the place."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from publisher import redact
from satukanal.demo.runner import demo_settings, run_demo
from satukanal.models import Ticket
from satukanal.tickets.titles import title_subject
from satukanal.tuban import category_label
from satukanal.wiring import App
from tests.title_checks import assert_sensible

PLACE = re.compile(r" di (?:Desa \w+|Kelurahan \w+|Kec\. \w+|Kabupaten Tuban)")
OLD_OPENERS = ("Assalamualaikum", "Permisi", "Selamat", "Mohon maaf", "Wong Tuban", "Kel.", "Min ", "Halo")


@pytest.mark.slow
def test_every_demo_ticket_has_a_title_about_its_complaint(settings, tmp_path):
    demo = demo_settings(settings, tmp_path / "demo")
    run_demo(demo)
    app = App(demo)
    try:
        with app.sessions() as session:
            tickets = [(ticket.title, ticket.category) for ticket in session.scalars(select(Ticket))]
    finally:
        app.close()
    assert len(tickets) >= 50
    for title, category in tickets:
        assert_sensible(title, category)
        assert not title.startswith(OLD_OPENERS), title
        assert category_label(category) in title or PLACE.search(title), f"neither category nor place: {title}"
        assert title.startswith(title_subject(category))
        assert redact(title) == title, "the queue sends the proposed title back; redaction must keep it"
    titles = [title for title, _ in tickets]
    assert len(set(titles)) >= 0.9 * len(titles), "titles tell tickets apart"
    placed = [title for title in titles if PLACE.search(title) and "Kabupaten Tuban" not in title]
    assert len(placed) >= len(titles) / 2, "most demo complaints name a desa or kecamatan"
