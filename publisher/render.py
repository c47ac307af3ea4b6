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

from babel.numbers import format_decimal
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from publisher.figures import WeeklyFigures
from publisher.periods import LOCALE, format_day, format_period
from publisher.thread import split_thread

INSTAGRAM_CAPTION_LIMIT = 2200
INSTAGRAM_HASHTAG_LIMIT = 30


class RenderError(Exception):
    """A template failed or its output breaks a platform rule; the message names the template."""


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


def render_weekly(
    environment: SandboxedEnvironment,
    figures: WeeklyFigures,
    hashtags: tuple[str, ...],
    published_on: date,
) -> RenderedRecap:
    context = {
        "f": figures,
        "period": format_period(figures.week.monday, figures.week.sunday),
        "published_on": published_on,
        "hashtags": list(hashtags),
    }
    thread_text = _render(environment, "weekly/x-thread.txt.j2", context)
    caption = _render(environment, "weekly/instagram-caption.txt.j2", context).strip()
    if len(caption) > INSTAGRAM_CAPTION_LIMIT:
        raise RenderError(
            f"weekly/instagram-caption.txt.j2: keterangan {len(caption)} karakter "
            f"(batas Instagram {INSTAGRAM_CAPTION_LIMIT})"
        )
    hashtag_count = sum(1 for word in caption.split() if word.startswith("#"))
    if hashtag_count > INSTAGRAM_HASHTAG_LIMIT:
        raise RenderError(
            f"weekly/instagram-caption.txt.j2: {hashtag_count} tagar (batas Instagram {INSTAGRAM_HASHTAG_LIMIT})"
        )
    return RenderedRecap(x_thread=split_thread(thread_text.split("\n\n")), instagram_caption=caption)


def _render(environment: SandboxedEnvironment, name: str, context: dict) -> str:
    template = None
    try:
        template = environment.get_template(name)
        return template.render(context)
    except TemplateError as exc:
        filename = getattr(exc, "filename", None) or getattr(template, "filename", None)
        line = getattr(exc, "lineno", None) or _template_line(exc, filename)
        where = f"{name}, baris {line}" if line else name
        raise RenderError(f"{where}: {exc.message or type(exc).__name__}") from None


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
