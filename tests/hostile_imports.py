"""Hostile import data for the intake tests: the direction controls no stored text may hold, what an import
reported and stored, and hypothesis strategies for arbitrary import lines, field values and CSV rows."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import strategies as st
from sqlalchemy import func, select

from monitor.records import KINDS, PLATFORMS
from satukanal.models import Classification, Post
from tests.factories import posts

# What no stored author or text may hold: the bidirectional embeddings, overrides and isolates
# (U+202A..U+202E, U+2066..U+2069), which can make a name or a sentence read as something else.
DIRECTION_CONTROLS = frozenset(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def reported(output: str, prefix: str) -> dict[int, str]:
    """The lines of ``output`` naming a line of a file (``PREFIX:LINE: reason``), by line number."""
    found: dict[int, str] = {}
    for match in re.finditer(rf"^{re.escape(prefix)}(\d+): (.*)$", output, re.MULTILINE):
        number = int(match[1])
        assert number not in found, f"line {number} reported twice"
        found[number] = match[2]
    return found


def counts(app) -> tuple[int, int, int]:
    """Stored posts, classifications, and posts that carry their classification."""
    with app.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Post)),
            session.scalar(select(func.count()).select_from(Classification)),
            session.scalar(select(func.count()).select_from(Post).where(Post.classification_id.is_not(None))),
        )


def stored_keys(app) -> set[tuple[str, str]]:
    with app.sessions() as session:
        return {(platform, ident) for platform, ident in session.execute(select(Post.platform, Post.platform_id))}


def no_crash(result) -> None:
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert all(len(line) < 400 for line in result.stderr.splitlines()), "a report line echoes the hostile input"


@dataclass(frozen=True)
class RawNumber:
    """An integer written digit by digit: longer than Python will turn into text (4,300 digits)."""

    digits: str


def encode(value, ascii_only: bool) -> bytes:
    """JSON text of ``value``; with ``ascii_only`` false, a lone surrogate is written as its raw (invalid) bytes."""
    if isinstance(value, RawNumber):
        return value.digits.encode()
    if isinstance(value, list):
        return b"[" + b", ".join(encode(item, ascii_only) for item in value) + b"]"
    if isinstance(value, dict):
        return (
            b"{"
            + b", ".join(encode(key, ascii_only) + b": " + encode(item, ascii_only) for key, item in value.items())
            + b"}"
        )
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


# Text of any code point: surrogates, NUL, controls, private use and the direction overrides included.
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)
huge_numbers = st.builds(
    lambda length, digit, sign: RawNumber(sign + digit * length),
    st.integers(4_290, 5_200),
    st.sampled_from("123456789"),
    st.sampled_from(["", "-"]),
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**400), max_value=2**400)
    | huge_numbers
    | st.floats(allow_nan=True, allow_infinity=True)
    | any_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4),
    max_leaves=12,
)
zones = st.sampled_from([UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-5)), timezone.max])
plausible = {
    "platform": st.sampled_from([*sorted(PLATFORMS), "X", " Instagram "]),
    "id": st.integers(0, 40) | st.text("abc123-_", min_size=1, max_size=3),
    "author": st.text(min_size=1, max_size=12) | st.just("@budi"),
    "text": st.text(min_size=1, max_size=40),
    "created_at": st.datetimes(datetime(2000, 1, 2), datetime(2026, 11, 30), timezones=zones).map(datetime.isoformat),
    "kind": st.sampled_from(sorted(KINDS)) | st.none(),
    "url": st.just("https://x.com/a/status/1") | st.none(),
    "in_reply_to": st.integers(0, 40) | st.none(),
    "account": st.sampled_from(["laportuban", "@PemkabTuban"]) | st.none(),
}
"""Values that make a line valid (most of the time), so that every example also stores posts."""
edge = {
    "platform": st.sampled_from(["myspace", "\u202ex", "x\u0000", ""]),
    "id": st.sampled_from(["\u202e", " \u2066 ", "\u200b", "\ufeff", "1\u202e", "a" * 65, 10**64, 10**65, True, 1.5]),
    "author": st.sampled_from(["@", "@@", " @ ", "\u202eadmin", "a" * 101, "bu\u0000tini", "bad\ud800"]),
    "text": st.sampled_from(["\u200b\u0007", "a" * 25_001, "\ud800\udfff", "\u202e\u202c", "ok\x00\x1b[31m"]),
    "created_at": st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=zones).map(datetime.isoformat)
    | st.sampled_from(
        [
            "9999-12-31T23:59:59-05:00",
            "0001-01-01T00:00:00+07:00",
            "2026-02-30T10:00:00+07:00",
            "2026-11-20",
            "2026-11-20T07:00:00",
            "1999-12-31T23:59:59Z",
            "2099-01-01T00:00:00+07:00",
        ]
    ),
    "kind": st.sampled_from(["story", "\u202emention", 5]),
    "url": st.sampled_from(["javascript:alert(1)", "http://", "https://x.com/" + "a" * 500, "https://a b"]),
    "in_reply_to": st.sampled_from(["\u202e", "a" * 65, "x\ny"]),
    "account": st.sampled_from(["@", "a" * 65, "\u202e"]),
}
"""Values at or beyond each field's bounds."""


CSV_COLUMNS = ("platform", "id", "author", "text", "created_at", "kind")
HOSTILE_STRINGS = (
    "bad\ud800",
    "\udc80",
    "bu\u0000tini",
    "\u202e",
    " \u2066\u2069 ",
    "\u200b",
    "\ufeff",
    "@",
    "@@",
    "x\ny",
    "\x1b[31m",
    "\ue000",
    "\U0010ffff",
    "",
    "   ",
)
"""Strings any text field may be given: lone surrogates, NUL, controls, direction overrides, invisibles, private use."""


odd_text = st.text(st.characters(codec=None, categories=("Cc", "Cf", "Cs", "Co", "Zs", "Ll")), min_size=1, max_size=8)
"""Short text of controls, format characters, surrogates, private use and spaces, with a few letters."""


def as_text(value) -> str:
    return "" if value is None else str(value)


def spiked(name: str) -> st.SearchStrategy[str]:
    """A plausible value of ``name`` with a hostile string, or odd text, put before or after it."""
    return st.builds(
        lambda value, spike, before: spike + value if before else value + spike,
        plausible[name].map(as_text),
        st.sampled_from(HOSTILE_STRINGS) | odd_text,
        st.booleans(),
    )


def hostile(name: str) -> st.SearchStrategy[bytes]:
    """JSON text ``name`` must not take as it is: mostly a spiked value, else a value at its bounds, a hostile
    string, any JSON value (escaped, or with lone surrogates as raw, invalid bytes), or any bytes."""
    return st.integers(0, 9).flatmap(
        lambda roll: (
            spiked(name).map(lambda value: encode(value, True))
            if roll < 4
            else (edge[name] | st.sampled_from(HOSTILE_STRINGS)).map(lambda value: encode(value, True))
            if roll < 7
            else st.builds(encode, json_values, st.booleans())
            if roll < 9
            else st.binary(max_size=24)
        )
    )


@st.composite
def fuzzed_lines(draw) -> bytes:
    """A JSON object line: plausible fields, with no hostile field, one, or several.

    Each field may also be missing, and keys of any text may be added."""
    poisoned = draw(
        st.just(frozenset())
        | st.sampled_from(list(plausible)).map(lambda name: {name})
        | st.sets(st.sampled_from(list(plausible)))
    )
    parts = [
        encode(name, True)
        + b": "
        + draw(hostile(name) if name in poisoned else st.builds(encode, plausible[name], st.just(True)))
        for name in plausible
        if draw(st.integers(0, 19))
    ]
    extra = draw(st.dictionaries(any_text, json_values, max_size=2))
    parts += [encode(key, True) + b": " + encode(value, True) for key, value in extra.items()]
    return b"{" + b", ".join(draw(st.permutations(parts))) + b"}"


def valid_line(number: int) -> bytes:
    return json.dumps(posts(number + 1, "v")[number]).encode()


jsonl_files = st.lists(fuzzed_lines() | st.integers(0, 30).map(valid_line), min_size=1, max_size=8).map(b"\n".join)
byte_files = st.lists(
    st.binary(max_size=60) | st.integers(0, 30).map(valid_line) | st.sampled_from([b"", b"   ", b"\xef\xbb\xbf"]),
    min_size=1,
    max_size=10,
).map(b"\n".join)


def csv_quoted(value) -> bytes:
    """A field as CSV quotes it, written as UTF-8 with any lone surrogate as its raw (invalid) bytes."""
    text = as_text(value)
    return ('"' + text.replace('"', '""') + '"').encode("utf-8", "surrogatepass")


def csv_hostile(name: str) -> st.SearchStrategy[bytes]:
    """A field ``name`` must not take as it is, quoted, or arbitrary bytes that may break the row's quoting."""
    text = spiked(name) | spiked(name) | edge[name] | st.sampled_from(HOSTILE_STRINGS) | any_text
    return text.map(csv_quoted) | st.binary(max_size=16)


@st.composite
def csv_rows(draw) -> bytes:
    """A CSV row: plausible fields, with no hostile field, one, or several (quoted, or arbitrary bytes that may
    break the row's quoting)."""
    poisoned = draw(
        st.just(frozenset())
        | st.sampled_from(CSV_COLUMNS).map(lambda name: {name})
        | st.sets(st.sampled_from(CSV_COLUMNS))
    )
    return b",".join(
        draw(csv_hostile(name)) if name in poisoned else csv_quoted(draw(plausible[name])) for name in CSV_COLUMNS
    )


csv_files = st.tuples(
    st.lists(csv_rows(), min_size=1, max_size=8), st.sampled_from([b"\n", b"\r\n"]), st.booleans()
).map(lambda parts: (b"\xef\xbb\xbf" if parts[2] else b"") + parts[1].join([",".join(CSV_COLUMNS).encode(), *parts[0]]))
