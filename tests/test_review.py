"""Moderation: confirming makes exactly one ticket, rejecting needs a reason, everything is audited."""

import threading

import pytest
from sqlalchemy import func, select

from satukanal.intake.service import store_records
from satukanal.models import AuditEntry, Post, ReviewDecision, Ticket
from satukanal.review.service import ReviewError, confirm, queue, reject
from satukanal.tickets.service import TicketChoices
from tests.factories import COMPLAINT, TICKET_PREFIX, add_posts, record


def count(app, model) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_queue_holds_flagged_posts_newest_first(app):
    add_posts(
        app,
        record(id="1", text=COMPLAINT, created_at="2026-11-20T07:00:00+07:00"),
        record(
            id="2",
            text="Lampu PJU di Jl. Basuki Rahmat mati semua, gelap banget min",
            created_at="2026-11-21T07:00:00+07:00",
        ),
        record(id="3", text="Selamat pagi Tuban, semangat beraktivitas 😊", created_at="2026-11-22T07:00:00+07:00"),
    )
    with app.sessions.begin() as session:
        store_records(
            session, [record(id="4", text=COMPLAINT, created_at="2026-11-19T07:00:00+07:00")], "test", app.own_handles
        )
    with app.sessions() as session:
        flagged = [post.platform_id for post in queue(session)]
        others = [post.platform_id for post in queue(session, flagged=False)]
        everything = [post.platform_id for post in queue(session, flagged=None)]
    assert flagged == ["2", "1"]
    assert others == ["3", "4"], "posts the model did not flag, and those not scored yet"
    assert everything == ["3", "2", "1", "4"]


def test_confirm_creates_one_redacted_routed_ticket_and_a_second_confirm_does_not(app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    with app.sessions.begin() as session:
        result = confirm(session, app.settings, post_id, "moderator-a")
        number = result.ticket.number
    assert result.created
    assert number.startswith(f"{TICKET_PREFIX}") and number.endswith("000001")
    with app.sessions.begin() as session:
        again = confirm(session, app.settings, post_id, "moderator-b")
    assert (again.created, again.ticket.number) == (False, number)
    with app.sessions() as session:
        ticket = session.scalar(select(Ticket))
        assert ticket.category == "air_minum" and ticket.agency == "pdam"
        assert ticket.kecamatan == "Jenu"
        assert ticket.status == "belum_terverifikasi"
        assert "0812-3456-7890" not in ticket.body and "3523012345678901" not in ticket.body
        assert "[nomor telepon]" in ticket.body and "[NIK]" in ticket.body
        assert session.get(Post, post_id).review_status == "confirmed"
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert count(app, Ticket) == 1
    assert actions == ["ticket.create", "reply.draft", "post.confirm"], (
        "the ticket is opened and its citizen's acknowledgement drafted, then the decision naming it recorded"
    )


def test_moderator_choices_override_the_suggestions(app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    with app.sessions.begin() as session:
        ticket = confirm(
            session,
            app.settings,
            post_id,
            "m",
            TicketChoices(
                category="lainnya",
                agency="diskominfo",
                kecamatan="Soko",
                title="Air mati, hubungi 0812-3456-7890",
                confidential=True,
            ),
        ).ticket
        assert (ticket.category, ticket.agency, ticket.kecamatan) == ("lainnya", "diskominfo", "Soko")
        assert ticket.title == "Air mati, hubungi [nomor telepon]"
        assert ticket.is_confidential and ticket.is_anonymous


@pytest.mark.parametrize(
    "fields, message",
    [({"category": "ufo"}, "kategori 'ufo' tidak dikenal"), ({"agency": "nasa"}, "OPD 'nasa' tidak dikenal")],
)
def test_unknown_category_or_agency_is_refused(app, fields, message):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    with pytest.raises(ReviewError, match=message):
        with app.sessions.begin() as session:
            confirm(session, app.settings, post_id, "m", TicketChoices(**fields))
    assert count(app, Ticket) == 0


def test_reject_needs_a_reason_and_is_recorded_once(app):
    (post_id,) = add_posts(app, record(id="1", text="promo slot gacor maxwin"))
    with pytest.raises(ReviewError, match="alasan wajib diisi"):
        with app.sessions.begin() as session:
            reject(session, post_id, "m", "  ")
    with app.sessions.begin() as session:
        assert reject(session, post_id, "m", "spam") is True
    with app.sessions.begin() as session:
        assert reject(session, post_id, "m", "spam") is False
    with app.sessions() as session:
        decision = session.scalar(select(ReviewDecision))
        assert (decision.decision, decision.reason, decision.actor) == ("reject", "spam", "m")
        assert session.get(Post, post_id).review_status == "rejected"
        assert queue(session, flagged=None) == []


def test_a_ticketed_post_cannot_be_rejected_and_own_or_missing_posts_cannot_be_reviewed(app):
    ticketed, ours = add_posts(
        app, record(id="1", text=COMPLAINT), record(id="2", author="laportuban", text="Sudah kami teruskan")
    )
    with app.sessions.begin() as session:
        number = confirm(session, app.settings, ticketed, "m").ticket.number
    with pytest.raises(ReviewError, match=f"sudah menjadi tiket {number}"):
        with app.sessions.begin() as session:
            reject(session, ticketed, "m", "spam")
    with pytest.raises(ReviewError, match="dari akun kita sendiri"):
        with app.sessions.begin() as session:
            confirm(session, app.settings, ours, "m")
    with pytest.raises(ReviewError, match="unggahan 999 tidak ada"):
        with app.sessions.begin() as session:
            confirm(session, app.settings, 999, "m")


def test_ticket_numbers_count_up_per_year(app):
    ids = add_posts(app, *[record(id=str(i), text=COMPLAINT) for i in range(3)])
    with app.sessions.begin() as session:
        numbers = [confirm(session, app.settings, i, "m").ticket.number for i in ids]
    assert numbers == [f"{TICKET_PREFIX}000001", f"{TICKET_PREFIX}000002", f"{TICKET_PREFIX}000003"]


def test_two_moderators_confirming_the_same_post_at_once_make_one_ticket(app):
    (post_id,) = add_posts(app, record(id="1", text=COMPLAINT))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def moderate(name):
        try:
            with app.sessions.begin() as session:
                barrier.wait(timeout=10)
                results.append(confirm(session, app.settings, post_id, name).ticket.number)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=moderate, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert count(app, Ticket) == 1
    assert len(results) + len(errors) == 2
    assert len(results) >= 1 and len(set(results)) == 1
