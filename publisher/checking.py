"""Check every template before it is used: syntax, sandbox, undefined names, filters and platform rules.

Each template the environment can load (bundled or overridden) is rendered
against built-in sample data for its folder, the way publishing would render
it, so that an edit that breaks a template shows up here and not on Monday
morning. The sample data also serves previews.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from jinja2.sandbox import SandboxedEnvironment

from publisher.figures import Count, Highlight, WeeklyFigures
from publisher.periods import Month, Week, format_period
from publisher.render import RenderError, recap_context, render_caption, render_template, render_thread
from publisher.replies import ReplyContext, render_reply

SAMPLE_HASHTAGS = ("LaporTuban", "TubanBumiWali", "LaporanMingguan")
SAMPLE_WEEK = Week(2026, 47)
SAMPLE_PUBLISHED_ON = date(2026, 11, 23)
SAMPLE_MONTH = "November 2026"
"""``format_month`` of a day in November 2026, written out: formatting it on import would load the locale data."""


@dataclass(frozen=True)
class TemplateProblem:
    """What is wrong with one template; ``line`` is None when the problem is the whole output (too long, say)."""

    template: str
    line: int | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.template}, baris {self.line}" if self.line else self.template
        return f"{where}: {self.problem}"


def check_templates(
    environment: SandboxedEnvironment, hashtags: tuple[str, ...] = SAMPLE_HASHTAGS
) -> list[TemplateProblem]:
    """Every ``*.j2`` template's first problem, by template name; an empty list means all is well.

    ``hashtags`` are those the recaps will carry (they count towards Instagram's limit).
    """
    problems = []
    for name in sorted(environment.list_templates(extensions=["j2"])):
        folder = name.rpartition("/")[0]
        check = _CHECKS.get(folder)
        if check is None:
            known = ", ".join(f"{known}/" for known in _CHECKS)
            problems.append(
                TemplateProblem(name, None, f"folder {folder or '(akar)'} tidak dikenal; yang dipakai: {known}")
            )
            continue
        try:
            check(environment, name, hashtags)
        except RenderError as exc:
            problems.append(TemplateProblem(exc.template, exc.line, exc.problem))
    return problems


def sample_weekly_figures() -> WeeklyFigures:
    """A busy week, with every list filled: what a long caption looks like."""
    return WeeklyFigures(
        week=SAMPLE_WEEK,
        posts_received=214,
        flagged=63,
        confirmed=41,
        rejected=19,
        tickets_opened=41,
        tickets_resolved=27,
        in_progress=65,
        median_days_to_resolve=4.5,
        overdue=7,
        by_platform=[Count("instagram", 131), Count("x", 83)],
        by_status=[
            Count("Belum Terverifikasi", 9),
            Count("Terverifikasi", 12),
            Count("Terdisposisi", 17),
            Count("Ditindaklanjuti", 20),
            Count("Ditanggapi", 4),
            Count("Selesai", 412),
            Count("Tertunda", 3),
            Count("Bukan Wewenang", 15),
        ],
        by_agency=[
            Count("Dinas PUPR PRKP", 14),
            Count("DLHP", 7),
            Count("Perumda Air Minum Tirta Lestari", 5),
            Count("Disdukcapil", 4),
            Count("Dinas Kesehatan", 3),
            Count("Dinsos P3A PMD", 3),
            Count("Dinas Pendidikan", 2),
            Count("BPBD", 1),
            Count("Diskominfo-SP", 1),
            Count("Satpol PP", 1),
        ],
        by_category=[
            Count("Jalan dan jembatan", 9),
            Count("Sampah dan lingkungan", 6),
            Count("Air bersih PDAM", 5),
            Count("Saluran air dan genangan", 5),
            Count("Administrasi kependudukan", 4),
            Count("Lampu penerangan jalan", 4),
            Count("Bantuan sosial", 3),
            Count("Layanan kesehatan", 3),
            Count("Pendidikan", 2),
        ],
        highlights=[
            Highlight(
                "TBN-2026-000311", "Jalan dan jembatan", "Dinas PUPR PRKP", "Jalan dan jembatan di Kec. Rengel", 6.5
            ),
            Highlight(
                "TBN-2026-000318",
                "Air bersih PDAM",
                "Perumda Air Minum Tirta Lestari",
                "Air bersih PDAM di Kec. Jenu",
                2.0,
            ),
            Highlight("TBN-2026-000322", "Sampah dan lingkungan", "DLHP", "Sampah dan lingkungan", None),
        ],
        previous={"posts_received": 187, "flagged": 58, "confirmed": 36, "rejected": 22},
    )


def sample_quiet_figures() -> WeeklyFigures:
    """A quiet period: nothing resolved, no lists, no figures from before. Templates must cope with it too."""
    return WeeklyFigures(
        week=SAMPLE_WEEK,
        posts_received=3,
        flagged=1,
        confirmed=0,
        rejected=1,
        tickets_opened=0,
        tickets_resolved=0,
        in_progress=0,
        median_days_to_resolve=None,
    )


def sample_monthly_figures() -> WeeklyFigures:
    """A busy month (November 2026), compared with October; ``week`` holds the month, as in real monthly figures."""
    week = sample_weekly_figures()
    return WeeklyFigures(
        week=Month(2026, 11),
        posts_received=903,
        flagged=271,
        confirmed=164,
        rejected=80,
        tickets_opened=164,
        tickets_resolved=131,
        in_progress=65,
        median_days_to_resolve=5.0,
        by_platform=[Count("instagram", 552), Count("x", 351)],
        by_status=week.by_status,
        by_agency=[Count(item.label, item.count * 4) for item in week.by_agency],
        by_category=[Count(item.label, item.count * 4) for item in week.by_category],
        highlights=week.highlights,
        previous={"posts_received": 845, "flagged": 240, "confirmed": 161, "rejected": 77},
    )


def sample_replies() -> list[ReplyContext]:
    """Replies on both platforms, long (a 15-character handle, a long agency name) and with nothing optional."""
    agency = "Dinas Perumahan Rakyat, Kawasan Permukiman dan Pertanahan Kabupaten Tuban"
    return [
        ReplyContext(
            author="sedulur_tuban15",
            platform=platform,
            ticket_number="TBN-2026-000311",
            agency=agency,
            category="Administrasi kependudukan",
            lapor_id="1234567890",
            resolved_on=date(2026, 11, 23),
            days_to_resolve=6.5,
        )
        for platform in ("x", "instagram")
    ] + [
        ReplyContext(
            author="warga",
            platform=platform,
            ticket_number="TBN-2026-000007",
            agency="BPBD",
            category="Bencana",
        )
        for platform in ("x", "instagram")
    ]


def _check_recap(
    environment: SandboxedEnvironment, name: str, samples: list[tuple[WeeklyFigures, str]], hashtags: tuple[str, ...]
) -> None:
    render = _RECAP_RENDERERS.get(name.rpartition("/")[2], render_template)
    for figures, period in samples:
        render(environment, name, recap_context(figures, period, hashtags, SAMPLE_PUBLISHED_ON))


def _check_weekly(environment: SandboxedEnvironment, name: str, hashtags: tuple[str, ...]) -> None:
    period = format_period(SAMPLE_WEEK.monday, SAMPLE_WEEK.sunday)
    _check_recap(environment, name, [(sample_weekly_figures(), period), (sample_quiet_figures(), period)], hashtags)


def _check_monthly(environment: SandboxedEnvironment, name: str, hashtags: tuple[str, ...]) -> None:
    samples = [(sample_monthly_figures(), SAMPLE_MONTH), (sample_quiet_figures(), SAMPLE_MONTH)]
    _check_recap(environment, name, samples, hashtags)


def _check_replies(environment: SandboxedEnvironment, name: str, hashtags: tuple[str, ...]) -> None:
    for reply in sample_replies():
        render_reply(environment, name, reply)


_RECAP_RENDERERS: dict[str, Callable[[SandboxedEnvironment, str, dict], object]] = {
    "x-thread.txt.j2": render_thread,
    "instagram-caption.txt.j2": render_caption,
}
_CHECKS: dict[str, Callable[[SandboxedEnvironment, str, tuple[str, ...]], None]] = {
    "weekly": _check_weekly,
    "monthly": _check_monthly,
    "replies": _check_replies,
}
