"""The weekly recap as Instagram cards: portrait PNGs drawn with Pillow from ``WeeklyFigures``.

Card 1 always carries the key figures and new tickets by category; card 2 follows only
when there are resolved tickets to highlight or new tickets by agency. Everything is
drawn with the DejaVu fonts bundled in matplotlib, so the output never depends on the
fonts of the machine, and the PNGs carry no metadata: the same figures give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from babel.numbers import format_decimal
from PIL import Image, ImageDraw, ImageFont

from publisher.card_text import card_font, drawable_text, ellipsize, fitting_font, wrap
from publisher.figures import Count, Highlight, WeeklyFigures
from publisher.periods import LOCALE

CARD_SIZE = (1080, 1350)

_WIDTH, _HEIGHT = CARD_SIZE
_MARGIN = 72
_RIGHT = _WIDTH - _MARGIN
_HEADER_BOTTOM = 216
_BODY_TOP = _HEADER_BOTTOM + 50
_FOOTER_TOP = 1270

_NAVY = (15, 45, 92)
_BAR = (47, 109, 181)
_GOLD = (242, 169, 0)
_WHITE = (255, 255, 255)
_INK = (31, 41, 55)
_MUTED = (100, 110, 125)
_HEADER_SOFT = (201, 214, 234)
_RULE = (222, 227, 235)
_FOOTER_FILL = (241, 244, 249)

_TITLE_SIZE = 52
_NUMBER_SIZE = 64
_HEADING_SIZE = 30
_BODY_SIZE = 24
_SMALL_SIZE = 20

_GRID_COLUMNS = 3
_GRID_ROW_HEIGHT = 206
_GUTTER = 24
_LABEL_WIDTH = 300
_LABEL_LINE_HEIGHT = 24
_BAR_HEIGHT = 30
_BAR_PITCH = 56
_VALUE_GAP = 12
_VALUE_MAX_WIDTH = 200
_TOP_ROWS = 6
_MAX_HIGHLIGHTS = 4

_OTHER = "Lainnya"


@dataclass(frozen=True)
class CardWording:
    """What differs between the weekly and the monthly cards."""

    title: str
    previous: str
    """How the period before is called: "pekan lalu"."""
    no_tickets: str


WEEKLY_WORDING = CardWording("REKAP ADUAN PEKANAN", "pekan lalu", "Belum ada tiket baru pekan ini.")
MONTHLY_WORDING = CardWording("REKAP ADUAN BULANAN", "bulan lalu", "Belum ada tiket baru bulan ini.")
_BLANK = "–"
_FOOTER = "Diskominfo Kabupaten Tuban · lapor.go.id · SMS 1708"


def render_cards(figures: WeeklyFigures, period: str, wording: CardWording = WEEKLY_WORDING) -> list[bytes]:
    """One or two 1080×1350 RGB PNGs for the recap's Instagram post; ``period`` as ``format_period`` writes it."""
    has_follow_up = bool(figures.highlights or _top_counts(figures.by_agency))
    pages = 2 if has_follow_up else 1
    cards = [_summary_card(figures, period, pages, wording)]
    if has_follow_up:
        cards.append(_follow_up_card(figures, period, pages, wording))
    return [_png(card) for card in cards]


def _summary_card(figures: WeeklyFigures, period: str, pages: int, wording: CardWording) -> Image.Image:
    image, draw = _blank_card(period, wording.title, page=1, pages=pages)
    top = _BODY_TOP
    median = figures.median_days_to_resolve
    cells = [
        (figures.posts_received, "Unggahan masuk", _change_note(figures.change("posts_received"), wording.previous)),
        (figures.flagged, "Terdeteksi aduan", ""),
        (figures.confirmed, "Dikonfirmasi", "diteruskan ke SP4N-LAPOR!"),
        (figures.tickets_resolved, "Tiket selesai", f"median {_days(median)}" if median is not None else ""),
        (figures.in_progress, "Masih diproses", ""),
        (figures.overdue, "Lewat tenggat", "tiket belum selesai"),
    ]
    cell_width = (_RIGHT - _MARGIN + _GUTTER) // _GRID_COLUMNS
    numbers = [_number(value) for value, _, _ in cells]
    # One size for all the big numbers, so that they read as a set even when one of them is long.
    number_font = fitting_font(numbers, _NUMBER_SIZE, cell_width - _GUTTER, bold=True)
    for index, (number, (_, label, note)) in enumerate(zip(numbers, cells, strict=True)):
        row, column = divmod(index, _GRID_COLUMNS)
        x = _MARGIN + column * cell_width
        _figure_cell(draw, (x, top + row * _GRID_ROW_HEIGHT), cell_width - _GUTTER, number_font, number, label, note)
    rows = -(-len(cells) // _GRID_COLUMNS)
    chart_top = _section_title(draw, "Tiket baru menurut kategori", top + rows * _GRID_ROW_HEIGHT + 16)
    _bar_chart(draw, figures.by_category, chart_top, wording.no_tickets)
    return image


def _follow_up_card(figures: WeeklyFigures, period: str, pages: int, wording: CardWording) -> Image.Image:
    image, draw = _blank_card(period, wording.title, page=2, pages=pages)
    top = _BODY_TOP
    if figures.highlights:
        content_top = _section_title(draw, "Sudah ditindaklanjuti", top)
        top = _highlights(draw, figures.highlights[:_MAX_HIGHLIGHTS], content_top) + 36
    if _top_counts(figures.by_agency):
        title_bottom = _section_title(draw, "Tiket baru per perangkat daerah", top)
        _bar_chart(draw, figures.by_agency, title_bottom, wording.no_tickets)
    return image


def _blank_card(period: str, title: str, page: int, pages: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A white card with the navy header (handle, title, period) and the footer already drawn."""
    image = Image.new("RGB", CARD_SIZE, _WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, _WIDTH - 1, _HEADER_BOTTOM - 1], fill=_NAVY)
    draw.rectangle([0, _HEADER_BOTTOM, _WIDTH - 1, _HEADER_BOTTOM + 5], fill=_GOLD)
    width = _RIGHT - _MARGIN
    if pages > 1:
        draw.text((_RIGHT, 52), f"{page}/{pages}", font=card_font(_BODY_SIZE), fill=_HEADER_SOFT, anchor="ra")
    draw.text((_MARGIN, 52), "@laportuban", font=card_font(_BODY_SIZE, bold=True), fill=_GOLD)
    draw.text((_MARGIN, 86), title, font=card_font(_TITLE_SIZE, bold=True), fill=_WHITE)
    period_font = card_font(_HEADING_SIZE)
    draw.text((_MARGIN, 156), ellipsize(drawable_text(period), period_font, width), font=period_font, fill=_HEADER_SOFT)
    draw.rectangle([0, _FOOTER_TOP, _WIDTH - 1, _HEIGHT - 1], fill=_FOOTER_FILL)
    draw.text(
        (_WIDTH // 2, (_FOOTER_TOP + _HEIGHT) // 2), _FOOTER, font=card_font(_SMALL_SIZE), fill=_MUTED, anchor="mm"
    )
    return image, draw


def _figure_cell(
    draw: ImageDraw.ImageDraw,
    corner: tuple[int, int],
    width: int,
    number_font: ImageFont.FreeTypeFont,
    number: str,
    label: str,
    note: str,
) -> None:
    """A big number on a shared baseline, its label, and an optional muted note of up to two lines."""
    x, top = corner
    draw.line([(x, top), (x + width, top)], fill=_RULE, width=2)
    draw.text((x, top + 84), ellipsize(number, number_font, width), font=number_font, fill=_NAVY, anchor="ls")
    label_font = card_font(_BODY_SIZE, bold=True)
    draw.text((x, top + 102), ellipsize(label, label_font, width), font=label_font, fill=_INK)
    note_font = card_font(_SMALL_SIZE)
    for line_number, line in enumerate(wrap(note, note_font, width, max_lines=2)):
        draw.text((x, top + 136 + line_number * 25), line, font=note_font, fill=_MUTED)


def _section_title(draw: ImageDraw.ImageDraw, title: str, top: int) -> int:
    """Draws a section heading with a rule beneath; returns where the section's content starts."""
    draw.text((_MARGIN, top), title, font=card_font(_HEADING_SIZE, bold=True), fill=_NAVY)
    draw.line([(_MARGIN, top + 46), (_RIGHT, top + 46)], fill=_RULE, width=2)
    return top + 62


def _bar_chart(draw: ImageDraw.ImageDraw, counts: list[Count], top: int, empty: str) -> None:
    """Horizontal bars scaled to the largest count, labels on the left and values at the bar ends."""
    rows = _top_counts(counts)
    if not rows:
        draw.text((_MARGIN, top + 8), empty, font=card_font(_BODY_SIZE), fill=_MUTED)
        return
    largest = max(row.count for row in rows)
    label_font = card_font(_SMALL_SIZE)
    values = [_number(row.count) for row in rows]
    value_font = fitting_font(values, _BODY_SIZE, _VALUE_MAX_WIDTH, bold=True)
    value_width = min(max(value_font.getlength(value) for value in values), _VALUE_MAX_WIDTH)
    bar_left = _MARGIN + _LABEL_WIDTH + _GUTTER
    bar_span = _RIGHT - _VALUE_GAP - value_width - bar_left
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        middle = top + index * _BAR_PITCH + _BAR_PITCH // 2
        lines = wrap(drawable_text(row.label) or _BLANK, label_font, _LABEL_WIDTH, max_lines=2)
        first_middle = middle - (len(lines) - 1) * _LABEL_LINE_HEIGHT / 2
        for line_number, line in enumerate(lines):
            line_middle = first_middle + line_number * _LABEL_LINE_HEIGHT
            draw.text((_MARGIN, line_middle), line, font=label_font, fill=_INK, anchor="lm")
        length = round(bar_span * row.count / largest)
        if length > 0:
            draw.rectangle(
                [bar_left, middle - _BAR_HEIGHT // 2, bar_left + length - 1, middle + _BAR_HEIGHT // 2 - 1], fill=_BAR
            )
        shown_value = ellipsize(value, value_font, value_width)
        draw.text((bar_left + length + _VALUE_GAP, middle), shown_value, font=value_font, fill=_INK, anchor="lm")


def _highlights(draw: ImageDraw.ImageDraw, highlights: list[Highlight], top: int) -> int:
    """Each resolved ticket as its summary with a gold marker, then who handled it and how fast; returns the end."""
    summary_font = card_font(_BODY_SIZE)
    meta_font = card_font(_SMALL_SIZE)
    text_left = _MARGIN + 28
    width = _RIGHT - text_left
    bottom = top
    for highlight in highlights:
        lines = wrap(drawable_text(highlight.summary) or _BLANK, summary_font, width, max_lines=2)
        for line_number, line in enumerate(lines):
            draw.text((text_left, top + line_number * 31), line, font=summary_font, fill=_INK)
        meta_top = top + len(lines) * 31 + 4
        meta = _handled_by(drawable_text(highlight.agency) or _BLANK, highlight.days_to_resolve, meta_font, width)
        draw.text((text_left, meta_top), meta, font=meta_font, fill=_MUTED)
        bottom = meta_top + 26
        draw.rectangle([_MARGIN, top + 2, _MARGIN + 5, bottom], fill=_GOLD)
        top = bottom + 18
    return bottom


def _handled_by(agency: str, days: float | None, font: ImageFont.FreeTypeFont, width: int) -> str:
    """``Ditangani <agency> dalam 2 hari``, shortening the agency so that the duration always shows."""
    duration = f" dalam {_days(days)}" if days is not None else ""
    return ellipsize(f"Ditangani {agency}", font, width - font.getlength(duration)) + duration


def _top_counts(counts: list[Count]) -> list[Count]:
    """The largest positive counts first; the rest, and any input "Lainnya", summed as a last "Lainnya"."""
    positive = [count for count in counts if count.count > 0]
    named = [count for count in positive if count.label != _OTHER]
    ranked = sorted(named, key=lambda count: (-count.count, count.label))
    rest = ranked[_TOP_ROWS:] + [count for count in positive if count.label == _OTHER]
    if not rest:
        return ranked
    return [*ranked[:_TOP_ROWS], Count(_OTHER, sum(count.count for count in rest))]


def _change_note(change: int | None, previous: str) -> str:
    if change is None:
        return ""
    if change > 0:
        return f"naik {_number(change)} dari {previous}"
    if change < 0:
        return f"turun {_number(-change)} dari {previous}"
    return f"sama dengan {previous}"


def _number(value: int) -> str:
    return format_decimal(value, locale=LOCALE)


def _days(value: float) -> str:
    return f"{format_decimal(round(value, 1), locale=LOCALE)} hari"


def _png(image: Image.Image) -> bytes:
    """PNG bytes without metadata chunks, so that equal images give equal bytes."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
