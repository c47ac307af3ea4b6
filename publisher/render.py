"""Render publications from Jinja2 templates in a sandbox.

Staff may edit the templates, so they run in Jinja2's ``SandboxedEnvironment``
with ``StrictUndefined``: a typo is an error, not an empty string. A folder
given in configuration overrides the bundled templates file by file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from publisher.figures import WeeklyFigures
from publisher.instagram_recap import CAPTION_LIMIT as INSTAGRAM_CAPTION_LIMIT
from publisher.periods import LOCALE, format_day, format_period
from publisher.thread import split_thread

INSTAGRAM_HASHTAG_LIMIT = 30


class RenderError(Exception):
    """A template failed or its output breaks a platform rule; the message names the template.

    ``template``, ``line`` (when Jinja knows it) and ``problem`` are also kept
    apart, for the template check to list.
    """

    def __init__(self, template: str, problem: str, line: int | None = None) -> None:
        where = f"{template}, baris {line}" if line else template
        super().__init__(f"{where}: {problem}")
        self.template = template
        self.problem = problem
        self.line = line


@dataclass(frozen=True)
class RenderedRecap:
    x_thread: list[str]
    instagram_caption: str


def bundled_templates() -> Path:
    return Path(str(files("satukanal.templates")))


def make_environment(override_dir: Path | None = None) -> SandboxedEnvironment:
    folders = [str(override_dir)] if override_dir else []
    environment = SandboxedEnvironment(
        loader=FileSystemLoader([*folders, str(bundled_templates())]),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    environment.filters["angka"] = lambda value: format_decimal(value, locale=LOCALE)
    environment.filters["tanggal"] = format_day
    environment.filters["durasi"] = lambda days: f"{format_decimal(round(days, 1), locale=LOCALE)} hari"
    environment.filters["selisih"] = _signed
    environment.filters["tagar"] = lambda tag: "#" + str(tag).lstrip("#")
    return environment


def format_month(day: date) -> str:
    """``November 2026``: the month that contains ``day``."""
    return format_date(day, "MMMM y", locale=LOCALE)


def render_weekly(
    environment: SandboxedEnvironment,
    figures: WeeklyFigures,
    hashtags: tuple[str, ...],
    published_on: date,
) -> RenderedRecap:
    period = format_period(figures.week.monday, figures.week.sunday)
    return _render_recap(environment, "weekly", recap_context(figures, period, hashtags, published_on))


def render_monthly(
    environment: SandboxedEnvironment,
    figures: WeeklyFigures,
    month: str,
    hashtags: tuple[str, ...],
    published_on: date,
) -> RenderedRecap:
    """The monthly recap: ``figures`` count a whole month (``previous`` holds last month's), ``month`` is its label.

    The templates see the same names as the weekly ones, with ``period`` set to
    the month (``November 2026``, see ``format_month``); ``f.week`` holds the ``Month``.
    """
    return _render_recap(environment, "monthly", recap_context(figures, month, hashtags, published_on))


def recap_context(figures: WeeklyFigures, period: str, hashtags: tuple[str, ...], published_on: date) -> dict:
    """What a recap template sees: ``f``, ``period``, ``published_on`` and ``hashtags``."""
    return {"f": figures, "period": period, "published_on": published_on, "hashtags": list(hashtags)}


def render_thread(environment: SandboxedEnvironment, name: str, context: dict) -> list[str]:
    """An X thread: the template's paragraphs (separated by a blank line) packed into numbered tweets."""
    return split_thread(render_template(environment, name, context).split("\n\n"))


def render_caption(environment: SandboxedEnvironment, name: str, context: dict) -> str:
    """An Instagram caption, refused when it has more characters or hashtags than Instagram takes."""
    caption = render_template(environment, name, context).strip()
    if len(caption) > INSTAGRAM_CAPTION_LIMIT:
        raise RenderError(name, f"keterangan {len(caption)} karakter (batas Instagram {INSTAGRAM_CAPTION_LIMIT})")
    hashtag_count = sum(1 for word in caption.split() if word.startswith("#"))
    if hashtag_count > INSTAGRAM_HASHTAG_LIMIT:
        raise RenderError(name, f"{hashtag_count} tagar (batas Instagram {INSTAGRAM_HASHTAG_LIMIT})")
    return caption


def render_template(environment: SandboxedEnvironment, name: str, context: dict) -> str:
    """Render one template; any failure becomes a ``RenderError`` naming the template and, if known, the line.

    Failures other than Jinja's own (a filter given ``None``, say) are caught
    too: an edited template must not end in a traceback.
    """
    template = None
    try:
        template = environment.get_template(name)
        return template.render(context)
    except Exception as exc:
        filename = getattr(exc, "filename", None) or getattr(template, "filename", None)
        line = getattr(exc, "lineno", None) or _template_line(exc, filename)
        if isinstance(exc, TemplateNotFound):
            problem = f"templat {exc.name} tidak ditemukan"
        elif isinstance(exc, TemplateError):
            problem = exc.message or type(exc).__name__
        else:
            problem = f"{type(exc).__name__}: {exc}"
        raise RenderError(name, problem, line) from None


def _render_recap(environment: SandboxedEnvironment, folder: str, context: dict) -> RenderedRecap:
    return RenderedRecap(
        x_thread=render_thread(environment, f"{folder}/x-thread.txt.j2", context),
        instagram_caption=render_caption(environment, f"{folder}/instagram-caption.txt.j2", context),
    )


def _template_line(exc: BaseException, filename: str | None) -> int | None:
    """Jinja2 rewrites tracebacks so that template frames carry the template's own line numbers."""
    line = None
    traceback = exc.__traceback__
    while traceback is not None:
        if filename and traceback.tb_frame.f_code.co_filename == filename:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _signed(value: int | None) -> str:
    if value is None:
        return "–"
    if value > 0:
        return f"naik {value}"
    if value < 0:
        return f"turun {-value}"
    return "sama"
