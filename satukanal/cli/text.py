"""Showing stranger-written text safely on a terminal."""

from __future__ import annotations

import unicodedata


def one_line(text: str, width: int) -> str:
    """Text on one line, without control or format characters, cut to ``width``."""
    cleaned = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in text
        if unicodedata.category(char) != "Cf"
    )
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= width else cleaned[: width - 1] + "…"
