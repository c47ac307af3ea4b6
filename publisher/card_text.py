"""Text on the recap cards: the bundled DejaVu fonts, and text fitted to a width.

Fonts come from matplotlib's data folder, so the cards never depend on the fonts of
the machine; ``drawable_text`` drops what those fonts cannot draw, and ``wrap``,
``ellipsize`` and ``fitting_font`` make text fit the space it is given.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib.ft2font import FT2Font
from PIL import ImageFont

_SMALLEST_SIZE = 12
_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_FONT_FILES = {False: _FONT_DIR / "DejaVuSans.ttf", True: _FONT_DIR / "DejaVuSans-Bold.ttf"}
# Control, format, surrogate, private-use and unassigned characters have nothing to draw.
_UNDRAWABLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def fitting_font(texts: list[str], size: int, width: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The largest font up to ``size`` in which every text fits ``width``, or the smallest size we draw."""
    for candidate in range(size, _SMALLEST_SIZE, -2):
        font = card_font(candidate, bold)
        if all(font.getlength(text) <= width for text in texts):
            return font
    return card_font(_SMALLEST_SIZE, bold)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float, max_lines: int) -> list[str]:
    """Greedy word wrap into at most ``max_lines``; words wider than a line are broken, overflow ends in an ellipsis."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for character in word:
            if current and font.getlength(current + character) > width:
                lines.append(current)
                current = ""
            current += character
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines
    return [*lines[: max_lines - 1], ellipsize(" ".join(lines[max_lines - 1 :]) + "…", font, width)]


def ellipsize(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    if font.getlength(text) <= width:
        return text
    kept = text
    while kept and font.getlength(kept.rstrip() + "…") > width:
        kept = kept[:-1]
    return kept.rstrip() + "…"


def drawable_text(text: str) -> str:
    """``text`` on one line with only characters both fonts can draw (emoji and controls dropped)."""
    drawable = _drawable_codepoints()
    kept = []
    for character in unicodedata.normalize("NFC", text):
        if character.isspace():
            kept.append(" ")
        elif ord(character) in drawable and unicodedata.category(character) not in _UNDRAWABLE_CATEGORIES:
            kept.append(character)
    return " ".join("".join(kept).split())


@cache
def _drawable_codepoints() -> frozenset[int]:
    regular, bold = (set(FT2Font(str(path)).get_charmap()) for path in _FONT_FILES.values())
    return frozenset(regular & bold)


@cache
def card_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_FONT_FILES[bold]), size)
