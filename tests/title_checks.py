"""What every default ticket title must be, checked alike over hand-written examples and the whole demo."""

from __future__ import annotations

import re
import unicodedata

from satukanal.tickets.service import TITLE_LIMIT
from satukanal.tickets.titles import title_subject

GREETING = re.compile(
    r"^(?:ass?alamu|w[a']*alaikum|permisi|punten|n[yu]+wun sewu|sugeng|selamat|met (?:pagi|siang|sore|mal)|"
    r"(?:mohon )?maaf|hal+o|hai|hi\b|hey|salam|terima kasih|makasih|matur nuwun|suwun|min\b|mimin|admin\b|kak\b|"
    r"pak\b|bu\b|lur|dulur|tolong|mohon\b)(?!\w)",
    re.IGNORECASE,
)
"""How a greeting, salutation, thanks or bare request starts."""


def assert_sensible(result: str, category: str | None = None) -> None:
    """What every title is: short enough, three words or more, opened by its subject, no greeting, no junk."""
    assert 0 < len(result) <= TITLE_LIMIT
    assert len(result.split()) >= 3, result
    assert result.startswith(title_subject(category)), result
    phrase = result.partition(": ")[2]
    assert not GREETING.match(result) and not GREETING.match(phrase), result
    assert not any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "So", "Sk") for char in result), result
    assert not re.search(r"<[^<>]*>", result) and result == " ".join(result.split()), "no markup, one line"
    assert not re.search(r"(?:^|\s)(?:Ds|Kel|Kec|Jl|Gg|No)\.?$", result), f"cut at an abbreviation: {result}"
