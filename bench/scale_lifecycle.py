"""The ticket histories of the scale benchmark's database: how a ticket moves along the LAPOR! lifecycle
(``satukanal.tickets.lifecycle``) from its opening up to now. Used by ``bench.scale_data``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from random import Random

from satukanal.tickets.lifecycle import INITIAL, Status, check_transition

STEPS: dict[Status, tuple[tuple[float, Status | None, float, float], ...]] = {
    # (cumulative probability, next status or None to stay, fewest days, most days until it)
    Status.BELUM_TERVERIFIKASI: (
        (0.03, Status.BUKAN_WEWENANG, 0.5, 3),
        (0.05, Status.DIHAPUS, 0.2, 2),
        (0.08, None, 0, 0),
        (1.0, Status.TERVERIFIKASI, 0.1, 4),
    ),
    Status.TERVERIFIKASI: (
        (0.03, Status.BUKAN_WEWENANG, 0.5, 3),
        (0.06, Status.TERTUNDA, 1, 5),
        (0.09, None, 0, 0),
        (1.0, Status.TERDISPOSISI, 0.2, 5),
    ),
    Status.TERDISPOSISI: ((0.03, Status.TERTUNDA, 1, 5), (0.08, None, 0, 0), (1.0, Status.DITINDAKLANJUTI, 0.5, 8)),
    Status.DITINDAKLANJUTI: (
        (0.5, Status.DITANGGAPI, 1, 10),
        (0.93, Status.SELESAI, 1, 14),
        (0.96, Status.TERTUNDA, 2, 10),
        (1.0, None, 0, 0),
    ),
    Status.DITANGGAPI: ((0.9, Status.SELESAI, 0.5, 7), (1.0, Status.DITINDAKLANJUTI, 1, 5)),
    Status.TERTUNDA: ((0.5, None, 0, 0), (1.0, Status.DITINDAKLANJUTI, 3, 20)),
    Status.SELESAI: ((0.4, Status.DIARSIPKAN, 14, 60), (1.0, None, 0, 0)),
    Status.BUKAN_WEWENANG: ((0.4, Status.DIARSIPKAN, 14, 60), (1.0, None, 0, 0)),
    Status.DIHAPUS: ((0.4, Status.DIARSIPKAN, 14, 60), (1.0, None, 0, 0)),
    Status.DIARSIPKAN: ((1.0, None, 0, 0),),
}
"""How a ticket moves on from each status: most along the main path, some set aside, some stalled."""


def lifecycle(rng: Random, opened: datetime, now: datetime) -> list[tuple[Status | None, Status, datetime]]:
    """A ticket's status changes (from, to, when) from its opening up to ``now``, each one the lifecycle allows."""
    history: list[tuple[Status | None, Status, datetime]] = [(None, INITIAL, opened)]
    status, at = INITIAL, opened
    while True:
        draw = rng.random()
        _, target, fewest, most = next(step for step in STEPS[status] if draw < step[0])
        at += timedelta(days=rng.uniform(fewest, most))
        if target is None or at >= now:
            return history
        check_transition(status, target)
        history.append((status, target, at))
        status = target
