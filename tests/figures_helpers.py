"""Seven weeks of history for the tests of a period's figures, and those figures computed the plain way.

``fill_history`` stores posts every day of weeks 42–48 of 2026 (some ours, some unscored, some whose older
classification disagrees with the current one, and two on either side of each midnight in Tuban), decides many
of them and walks every ticket through the LAPOR! lifecycle with the services the app uses: tickets are
re-opened (Ditanggapi back to Ditindaklanjuti, Tertunda back to Terverifikasi), set aside, closed before, in and
after each week, and archived later. ``fill_edges`` adds tickets that change exactly on a week's edges.

``reference_figures`` computes a period's figures from every row in Python, by the definitions in
``satukanal.dashboard.figures``, for the tests to hold the app's figures against.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from publisher import Count, Highlight, Week
from satukanal.intake.service import store_records
from satukanal.models import Classification, Post, ReviewDecision, Ticket
from satukanal.review.service import confirm, reject, undo
from satukanal.tickets.clocks import ticket_clocks
from satukanal.tickets.lifecycle import CLOSED, INITIAL, REASON_REQUIRED, Status, next_steps
from satukanal.tickets.service import TicketChoices, set_status
from satukanal.tuban import category_label
from tests.factories import record

ZONE = ZoneInfo("Asia/Jakarta")
WEEKS = [Week(2026, number) for number in range(42, 49)]
"""Monday 12 October to Sunday 29 November 2026."""
FIRST_DAY, LAST_DAY = WEEKS[0].monday, WEEKS[-1].sunday
UNTIL = datetime(2026, 12, 4, tzinfo=ZONE)
"""No ticket moves after this."""
PLATFORMS = ("x", "instagram", "whatsapp")
CATEGORIES = ("air_minum", "jalan_jembatan", "sampah", "penerangan_jalan", "adminduk", None)
KECAMATAN = ("Jenu", "Rengel", "Tuban", None)
MAIN_PATH = {
    Status.BELUM_TERVERIFIKASI: Status.TERVERIFIKASI,
    Status.TERVERIFIKASI: Status.TERDISPOSISI,
    Status.TERDISPOSISI: Status.DITINDAKLANJUTI,
    Status.DITINDAKLANJUTI: Status.DITANGGAPI,
    Status.DITANGGAPI: Status.SELESAI,
    Status.SELESAI: Status.DIARSIPKAN,
}


def tuban(day: date, at: time = time()) -> datetime:
    return datetime.combine(day, at, ZONE)


def fill_history(app, seed: int = 47) -> None:
    rng = random.Random(seed)
    with app.sessions.begin() as session:
        posts = _store_posts(session, app, rng)
        _classify(session, posts, rng)
    with app.sessions.begin() as session:
        _decide(session, app.settings, posts, rng)


def _store_posts(session: Session, app, rng: random.Random) -> list[tuple[int, datetime]]:
    """Posts every day, and at 23:59:59 and 00:00:00 in Tuban; a few in September for older tickets."""
    moments = [tuban(date(2026, 9, 1) + timedelta(days=3 * n), time(9)) for n in range(8)]
    day = FIRST_DAY
    while day <= LAST_DAY:
        moments += [tuban(day), tuban(day, time(23, 59, 59))]
        moments += [tuban(day, time(rng.randrange(24), rng.randrange(60))) for _ in range(rng.randint(2, 7))]
        day += timedelta(days=1)
    records = [
        record(
            id=f"h{n}",
            platform=PLATFORMS[n % 3],
            author="laportuban" if n % 13 == 5 and n % 3 != 2 else f"warga{n}",
            text=f"Jalan rusak di Kec. {rng.choice(KECAMATAN[:3])}, tolong diperbaiki ({n})",
            created_at=moment.isoformat(),
        )
        for n, moment in enumerate(moments)
    ]
    ids = store_records(session, records, "test", app.own_handles).added_ids
    return list(zip(ids, moments, strict=True))


def _classify(session: Session, posts: list[tuple[int, datetime]], rng: random.Random) -> None:
    """Most posts scored (about a third flagged), every seventh unscored; every eleventh was scored before by an
    older model that said the opposite."""
    for post_id, _ in posts:
        if post_id % 7 == 0:
            continue
        flagged = rng.random() < 0.35
        if post_id % 11 == 0:
            session.add(_classification(post_id, "lama", not flagged, None))
        current = _classification(post_id, "baru", flagged, rng.choice(CATEGORIES))
        session.add(current)
        session.flush()
        session.execute(update(Post).where(Post.id == post_id).values(classification_id=current.id, flagged=flagged))


def _classification(post_id: int, version: str, flagged: bool, category: str | None) -> Classification:
    score = 0.9 if flagged else 0.1
    return Classification(
        post_id=post_id,
        model_version=version,
        score=score,
        threshold=0.5,
        flagged=flagged,
        category=category,
        agency=None,
        suggestions=[],
    )


def _decide(session: Session, settings, posts: list[tuple[int, datetime]], rng: random.Random) -> None:
    """About two in five posts confirmed and one in five rejected, from minutes to days later; a few of each
    undone (an undone confirmation sets its ticket aside as Dihapus); every other ticket walked through the
    lifecycle."""
    own = set(session.scalars(select(Post.id).where(Post.is_own)))
    for post_id, created in posts:
        if post_id in own:
            continue
        decided = created + timedelta(hours=rng.choice((0.2, 3, 20, 50, 120)) + rng.random())
        draw = rng.random()
        if draw < 0.4:
            choices = TicketChoices(category=rng.choice(CATEGORIES), kecamatan=rng.choice(KECAMATAN))
            ticket = confirm(session, settings, post_id, "m", choices, now=decided).ticket
            if draw < 0.02:
                undo(session, post_id, "m", now=decided + timedelta(minutes=5))
            else:
                _walk(session, ticket.number, decided, rng)
        elif draw < 0.6:
            reject(session, post_id, "m", "bukan aduan", now=decided)
            if draw > 0.58:
                undo(session, post_id, "m", now=decided + timedelta(hours=1))


def _walk(session: Session, number: str, opened: datetime, rng: random.Random) -> None:
    """Steps along the lifecycle, mostly the main path, until ``UNTIL`` or the ticket rests."""
    status, moment = INITIAL, opened
    while next_steps(status) and rng.random() > 0.2:
        moment += timedelta(hours=rng.choice((2, 20, 45, 80, 150, 260)) + rng.random())
        if moment >= UNTIL:
            return
        main = MAIN_PATH.get(status)
        status = main if main and rng.random() < 0.6 else rng.choice(next_steps(status))
        note = "di luar wewenang" if status in REASON_REQUIRED else None
        set_status(session, number, status, "liaison", note=note, now=moment)


def fill_edges(app) -> None:
    """Five rubbish tickets on the edges of week 45 (``WEEKS[3]``, 00:00 on Monday 2 November to 00:00 on Monday
    9 November in Tuban):

    - resolved two weeks before it, archived on its Wednesday;
    - Ditanggapi on its Friday, back to Ditindaklanjuti at 00:30 on the Monday after it;
    - opened on its Tuesday, verified at 00:00 on the Monday after it, the moment it ends;
    - opened at that same moment;
    - opened the week before, resolved at 00:00 on its Monday, the moment it begins.
    """
    with app.sessions.begin() as session:
        _edges(session, app, WEEKS[3])


def _edges(session: Session, app, week: Week) -> None:
    start, end = tuban(week.monday), tuban(week.sunday + timedelta(days=1))
    texts = [f"Sampah menumpuk di pasar Kec. Rengel ({n})" for n in range(5)]
    posted = (start - timedelta(days=20)).isoformat()
    records = [record(id=f"edge{n}", text=text, created_at=posted) for n, text in enumerate(texts)]
    post_ids = store_records(session, records, "test", app.own_handles).added_ids

    def opened(n: int, at: datetime) -> str:
        return confirm(session, app.settings, post_ids[n], "m", TicketChoices(category="sampah"), now=at).ticket.number

    def moves(number: str, first: datetime, *statuses: Status) -> None:
        for hour, status in enumerate(statuses):
            set_status(session, number, status, "liaison", now=first + timedelta(hours=hour))

    resolution = (Status.TERVERIFIKASI, Status.TERDISPOSISI, Status.DITINDAKLANJUTI)
    archived = opened(0, start - timedelta(days=18))
    moves(archived, start - timedelta(days=14), *resolution, Status.SELESAI)
    moves(archived, start + timedelta(days=2, hours=10), Status.DIARSIPKAN)
    reopened = opened(1, start - timedelta(days=3))
    moves(reopened, start + timedelta(days=4), *resolution, Status.DITANGGAPI)
    moves(reopened, end + timedelta(minutes=30), Status.DITINDAKLANJUTI)
    changed = opened(2, start + timedelta(days=1))
    moves(changed, end, Status.TERVERIFIKASI)
    opened(3, end)
    resolved = opened(4, start - timedelta(days=5))
    moves(resolved, start - timedelta(hours=3), *resolution, Status.SELESAI)


def reference_figures(
    session: Session, settings, first: date, last: date, calendar, now=None, agency: str | None = None
) -> dict:
    """The ``PeriodFigures`` of the days ``first`` to ``last``, from every row in Python."""
    zone = settings.timezone
    start, end = datetime.combine(first, time(), zone), datetime.combine(last + timedelta(days=1), time(), zone)
    as_of = min(end, now) if now is not None else end
    received = [post for post in session.scalars(select(Post)) if not post.is_own and start <= post.created_at < end]
    confirmed, rejected = _decisions(session, start, end)
    tickets = [ticket for ticket in session.scalars(select(Ticket)) if agency in (None, ticket.agency)]
    opened = [ticket for ticket in tickets if start <= ticket.created_at < end]
    resolved = [ticket for ticket in tickets if ticket.resolved_at and start <= ticket.resolved_at < end]
    states = [state_at(ticket, as_of) for ticket in tickets if ticket.created_at < as_of]
    statuses = Counter(Status(state.status) for state in states)
    per_day = Counter(post.created_at.astimezone(zone).date() for post in received)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return {
        "first": first,
        "last": last,
        "as_of": as_of,
        "posts_received": len(received),
        "flagged": sum(1 for post in received if post.classification and post.classification.flagged),
        "confirmed": len(confirmed),
        "rejected": len(rejected),
        "posts_per_day": [(day, per_day[day]) for day in days],
        "by_platform": _ranked(Counter(post.platform for post in received)),
        "median_hours_to_confirm": _median([hours for hours in confirmed]),
        "tickets_opened": len(opened),
        "by_category": _ranked(Counter(category_label(ticket.category) for ticket in opened)),
        "by_agency": _ranked(Counter(settings.agency_name(ticket.agency) for ticket in opened)),
        "tickets_resolved": len(resolved),
        "median_days_to_resolve": _median([_days(ticket) for ticket in resolved]),
        "by_status": [Count(status.label, statuses[status]) for status in Status if statuses[status]],
        "in_progress": sum(count for status, count in statuses.items() if status not in CLOSED),
        "overdue": sum(
            any(clock.overdue for clock in ticket_clocks(state, as_of, zone, settings.clocks, calendar))
            for state in states
        ),
    }


def reference_highlights(session: Session, settings, first: date, last: date) -> list[Highlight]:
    """The first resolved ticket of the period (in the order opened) for each different summary, as many as
    ``publish.highlights``."""
    start, end = tuban(first), tuban(last + timedelta(days=1))
    chosen: dict[str, Highlight] = {}
    for ticket in session.scalars(select(Ticket).order_by(Ticket.id)):
        if ticket.resolved_at and start <= ticket.resolved_at < end:
            label = category_label(ticket.category)
            summary = f"{label} di Kec. {ticket.kecamatan}" if ticket.kecamatan else label
            days = round(_days(ticket), 1)
            highlight = Highlight(ticket.number, label, settings.agency_name(ticket.agency), summary, days)
            chosen.setdefault(summary, highlight)
    return list(chosen.values())[: settings.publish.highlights]


@dataclass(frozen=True)
class State:
    status: str
    status_changed_at: datetime
    created_at: datetime


def state_at(ticket: Ticket, moment: datetime) -> State:
    """The ticket as it stood at ``moment``: its last status change before then (in the order recorded)."""
    before = [change for change in ticket.history if change.changed_at < moment]
    if not before:
        return State(INITIAL.value, ticket.created_at, ticket.created_at)
    latest = max(before, key=lambda change: change.id)
    return State(latest.to_status, latest.changed_at, ticket.created_at)


def _decisions(session: Session, start: datetime, end: datetime) -> tuple[list[float], list[float]]:
    """Hours from post to decision of each confirmation and each rejection made in the period."""
    created = dict(session.execute(select(Post.id, Post.created_at)).all())
    hours: dict[str, list[float]] = {"confirm": [], "reject": []}
    for decision in session.scalars(select(ReviewDecision)):
        if decision.decision in hours and start <= decision.decided_at < end:
            hours[decision.decision].append((decision.decided_at - created[decision.post_id]).total_seconds() / 3600)
    return hours["confirm"], hours["reject"]


def _ranked(counter: Counter) -> list[Count]:
    return [Count(label, count) for label, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))]


def _days(ticket: Ticket) -> float:
    return (ticket.resolved_at - ticket.created_at).total_seconds() / 86400


def _median(values: list[float]) -> float | None:
    return round(median(values), 1) if values else None
