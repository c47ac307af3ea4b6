"""The Sumber page: every collection source, its state in words, and for admins the check as a button.

A broken or stale source also puts a warning at the top of every page for
the team, so a stopped collector is seen the same day, not weeks later.
The page speaks to staff, not operators: no command to run, but what the
state means and what to do, and a source is listed from the moment it is
configured ("Belum pernah dijalankan"), together with the sources whose posts
are in the database without a schedule (a one-off import, the demo).
Each X source shows what X cost this month against its budget, with the
month's forecast, and a total line sums every X source and what the office
posted on X (``satukanal.spend``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Blueprint, Flask, flash, g, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from publisher import format_month
from satukanal import audit
from satukanal.intake import doubled_messages
from satukanal.intake.advice import in_words
from satukanal.intake.health import SourceState, check_source, request_checks, source_states
from satukanal.models import Post, utcnow
from satukanal.spend.service import month_spend, paused_by_budget
from satukanal.web.users import core, requires

blueprint = Blueprint("intake", __name__, url_prefix="/sumber")
TEAM = ("admin", "moderator", "viewer")
KINDS = {
    "import_folder": ("Folder impor", None),
    "x_mentions": ("Sebutan akun", "x"),
    "x_search": ("Pencarian", "x"),
    "instagram": ("Akun dan tagar", "instagram"),
    "instagram_graph": ("API resmi Meta", "instagram"),
}
"""A source type as staff call it, and the platform it reads (shown with ``platform_label``)."""


@dataclass(frozen=True)
class Described:
    """A source's state for people: a short label (and its CSS class), a sentence, the cause and what to do."""

    state: str
    label: str
    sentence: str
    cause: str | None = None
    advice: str | None = None


def _states() -> list[tuple[SourceState, str | None]]:
    """Each configured source with its problem (None when fine), read once per request."""
    if "source_states" not in g:
        settings = core().settings
        now = utcnow()
        with core().sessions() as session:
            states = source_states(session, settings.sources)
        g.source_states = [(state, state.problem(now, settings.collect.stale_after_intervals)) for state in states]
    return g.source_states


@blueprint.get("/")
@requires(*TEAM)
def index():
    settings = core().settings
    now = utcnow()
    with core().sessions() as session:
        stored = {
            source: (count, latest)
            for source, count, latest in session.execute(
                select(Post.source, func.count(), func.max(Post.collected_at)).group_by(Post.source)
            )
        }
        spend = month_spend(session, settings, now)
        twice = doubled_messages.read_twice(session, settings.sources, now)
    configured = [
        {
            "name": state.name,
            "kind": KINDS.get(state.type, (state.type, None)),
            "interval": state.interval_minutes,
            "described": describe(state, problem, now),
            "posts": stored.get(state.name, (0, None))[0],
            "spend": spend.sources.get(state.name),
            "read_twice": state.name in twice,
        }
        for state, problem in _states()
    ]
    names = {state.name for state, _ in _states()}
    others = [
        {"name": name, "posts": count, "latest": latest}
        for name, (count, latest) in sorted(stored.items())
        if name not in names
    ]
    return render_template(
        "sources.html",
        sources=configured,
        others=others,
        zone=settings.timezone,
        spend_column=bool(spend.sources),
        spend_total=spend.total if spend.sources or spend.total.spent else None,
        month=format_month(spend.month.first),
        doubled=doubled_messages,
    )


def describe(state: SourceState, problem: str | None, now: datetime) -> Described:
    """``state`` in words: what it means for the team and, when a person must act, what to do."""
    health = state.health
    every = f"tiap {state.interval_minutes} menit"
    if not state.enabled:
        return Described("off", "Nonaktif", "Dimatikan pada konfigurasi; tidak dijalankan penjadwal.")
    asked = (
        f" Pemeriksaan diminta {ago(health.check_requested_at, now)}; penjadwal menjalankannya dalam satu menit."
        if health is not None and health.check_requested_at
        else ""
    )
    if health is None or health.last_run_at is None and health.state == "ok":
        return Described(
            "new", "Belum pernah dijalankan", f"Penjadwal menjalankannya {every} setelah aplikasi jalan.{asked}"
        )
    success = (
        f"terakhir berhasil {ago(health.last_success_at, now)}" if health.last_success_at else "belum pernah berhasil"
    )
    if paused_by_budget(health):
        return Described(
            "failed",
            "Anggaran X habis",
            f"Dijeda: tidak dikumpulkan sampai anggaran X dinaikkan atau bulan berganti; {success}.",
            health.error,
            health.advice,
        )
    if health.state == "broken":
        return Described(
            "failed",
            "Kredit habis" if health.error_code == "x-credits" else "Rusak",
            f"Rusak: perlu tindakan. Berhenti sampai dibereskan; {success}.",
            health.error,
            in_words(health.advice) if health.advice else None,
        )
    if health.state == "rejected":
        return Described(
            "failed",
            "Berkas ditolak",
            f"Berkas impor ditolak: perlu tindakan; {success}.",
            health.error,
            in_words(health.advice) if health.advice else None,
        )
    if problem:
        return Described(
            "failed",
            "Tertinggal",
            f"Tertinggal: {success}, padahal dijadwalkan {every}.",
            health.error,
            "Pastikan penjadwal SatuKanal berjalan di server (hubungi admin server); "
            "bila sumbernya sendiri bermasalah, sebabnya tertulis di sini setelah percobaan berikutnya.",
        )
    if health.state == "failing":
        retry = health.last_run_at + timedelta(minutes=state.interval_minutes) if health.last_run_at else now
        when = "sebentar lagi" if retry <= now else f"sekitar {ago(now, retry, future=True)}"
        return Described(
            "failing",
            "Gagal sementara",
            f"Gagal sementara, dicoba lagi {when}; {success}. Tidak perlu tindakan.",
            health.error,
        )
    added = f" ({health.last_added} unggahan baru)"
    return Described("ok", "Berjalan normal", f"Berjalan normal, {success}{added}; dijalankan {every}.{asked}")


def ago(moment: datetime, now: datetime, future: bool = False) -> str:
    """``5 menit lalu``, ``3 jam lalu``, ``2 hari lalu`` (``future``: ``5 menit lagi`` from ``moment`` to ``now``)."""
    minutes = max(0, int((now - moment).total_seconds()) // 60)
    suffix = "lagi" if future else "lalu"
    if minutes < 1:
        return "baru saja"
    if minutes < 60:
        return f"{minutes} menit {suffix}"
    hours = minutes // 60
    return f"{hours} jam {suffix}" if hours < 48 else f"{hours // 24} hari {suffix}"


@blueprint.post("/periksa")
@requires("admin")
def check():
    """Check every enabled source: import folders at once, X and Instagram by the scheduler within a minute
    (``request_checks``), as ``satukanal sources check`` would, and say what was found or asked."""
    app = core()
    now = utcnow()
    enabled = [config for config in app.settings.sources if config.enabled]
    if not enabled:
        flash("Tidak ada sumber aktif untuk diperiksa.", "info")
        return redirect(url_for("intake.index"))
    folders = [config for config in enabled if config.type == "import_folder"]
    platforms = [config.name for config in enabled if config.type != "import_folder"]
    troubled = {}
    for config in folders:
        _, failure = check_source(app, config, now)
        if failure is not None:
            troubled[config.name] = failure.args[0]
    with app.sessions.begin() as session:
        request_checks(session, platforms, now)
        after = {"checked": [config.name for config in folders], "requested": platforms, "troubled": sorted(troubled)}
        audit.record_event(session, current_user.username, "sources.check", "sources", "semua", None, after, now)
    said = []
    if folders:
        said.append(
            f"Diperiksa {len(folders)} folder impor; "
            + (f"{len(troubled)} bermasalah." if troubled else "semuanya baik.")
        )
    if platforms:
        said.append(f"{', '.join(platforms)} diperiksa penjadwal dalam satu menit; hasilnya tampil di halaman ini.")
    causes = " ".join(f"{name}: {cause}" for name, cause in troubled.items())
    flash(" ".join([*said, causes]).strip(), "error" if troubled else "message")
    return redirect(url_for("intake.index"))


def troubled_sources() -> dict:
    """For every page: the names of the enabled sources that are broken or stale, for the team to see."""
    if not current_user.is_authenticated or current_user.role not in TEAM:
        return {}
    try:
        states = _states()
    except SQLAlchemyError:
        return {}  # an error page for a database that is down must still render
    return {"troubled_sources": [state.name for state, problem in states if problem]}


def init_app(web: Flask) -> None:
    web.context_processor(troubled_sources)
