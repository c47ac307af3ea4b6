"""Hostile import lines: each is refused with its file, line number and reason, and never costs a valid line.

The lines here are built to break a naive reader: times whose UTC conversion overflows, JSON nested
50,000 deep, integers longer than Python will parse, lone surrogates and NUL characters, truncated
JSON, a line that is not an object, a date that does not exist. The same lines go through
``satukanal import``, through the import folder of ``satukanal collect`` and, as arbitrary data, through
property tests of the reader and of ``import_file``.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update

from monitor import ImportFolderSource, read_import_file
from monitor.records import KINDS, PLATFORMS
from satukanal.intake.importing import import_file
from satukanal.intake.service import collect
from satukanal.models import Classification, Cursor, Post, SourceHealth
from satukanal.users.service import add_user
from tests.factories import BASE_TIME, posts, row, write_jsonl
from tests.web_helpers import PASSWORD, login, web_app

# What no stored author or text may hold: the bidirectional embeddings, overrides and isolates
# (U+202A..U+202E, U+2066..U+2069), which can make a name or a sentence read as something else.
DIRECTION_CONTROLS = frozenset(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def hostile_lines() -> list[tuple[str, str]]:
    """Ten lines that must each be refused, with the part of the reason a person needs to read."""
    at = BASE_TIME.isoformat()
    huge_id = json.dumps(row(id=0, created_at=at))
    assert '"id": 0,' in huge_id
    huge_id = huge_id.replace('"id": 0,', '"id": ' + "1" * 5000 + ",")
    lone_surrogate_author = json.dumps(row(author="bad\ud800", created_at=at))
    lone_surrogate_id = json.dumps(row(id="bad\ud800", created_at=at))
    nul_author = json.dumps(row(author="bu\u0000tini", created_at=at))
    assert "bad\\ud800" in lone_surrogate_author and "bad\\ud800" in lone_surrogate_id
    assert "bu\\u0000tini" in nul_author
    return [
        (json.dumps(row(created_at="9999-12-31T23:59:59-05:00")), "created_at '9999-12-31T23:59:59-05:00' di luar"),
        (json.dumps(row(created_at="0001-01-01T00:00:00+07:00")), "created_at '0001-01-01T00:00:00+07:00' di luar"),
        ('{"a":' * 50_000 + "1" + "}" * 50_000, "bersarang terlalu dalam"),
        (huge_id, "angka yang terlalu panjang"),
        (lone_surrogate_author, "author bukan teks Unicode yang sah"),
        (lone_surrogate_id, "id bukan teks Unicode yang sah"),
        (nul_author, "author memuat karakter kendali"),
        (json.dumps(row(created_at=at))[:70], "JSON tidak sah"),
        (json.dumps([row(created_at=at)]), "baris harus berupa objek"),
        (json.dumps(row(created_at="2026-02-30T09:00:00+07:00")), "created_at '2026-02-30T09:00:00+07:00' bukan"),
    ]


def write_poisoned(path: Path, valid: list[dict], seed: int) -> list[tuple[int, str]]:
    """``valid`` rows with the hostile lines spread through them (one first, one last).

    Returns each hostile line's number with the reason fragment expected for it.
    """
    hostile = hostile_lines()
    total = len(valid) + len(hostile)
    middle = random.Random(seed).sample(range(2, total), len(hostile) - 2)
    numbers = sorted({1, total, *middle})
    assert len(numbers) == len(hostile)
    bad_at = dict(zip(numbers, hostile, strict=True))
    good = iter(valid)
    write_jsonl(path, [bad_at[number][0] if number in bad_at else next(good) for number in range(1, total + 1)])
    assert len(path.read_bytes().split(b"\n")) == total + 1
    return [(number, bad_at[number][1]) for number in numbers]


def reported(output: str, prefix: str) -> dict[int, str]:
    """The lines of ``output`` naming a line of a file (``PREFIX:LINE: reason``), by line number."""
    found: dict[int, str] = {}
    for match in re.finditer(rf"^{re.escape(prefix)}(\d+): (.*)$", output, re.MULTILINE):
        number = int(match[1])
        assert number not in found, f"line {number} reported twice"
        found[number] = match[2]
    return found


def assert_named(found: dict[int, str], bad: list[tuple[int, str]]) -> None:
    assert sorted(found) == [number for number, _ in bad]
    for number, fragment in bad:
        assert fragment in found[number], (number, found[number])


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


def keys_of(rows: list[dict]) -> set[tuple[str, str]]:
    return {(item["platform"], item["id"]) for item in rows}


def no_crash(result) -> None:
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert all(len(line) < 400 for line in result.stderr.splitlines()), "a report line echoes the hostile input"


# --- 1. satukanal import --------------------------------------------------------------------------


def test_import_stores_and_scores_every_valid_line_around_ten_hostile_ones(cli_run, app, tmp_path: Path):
    valid = posts(1400, "imp")
    path = tmp_path / "hostile.jsonl"
    bad = write_poisoned(path, valid, seed=14)

    result = cli_run("import", str(path))
    assert result.exit_code == 0, result.output
    no_crash(result)
    assert_named(reported(result.stderr, "hostile.jsonl:"), bad)
    assert "hostile.jsonl: 1400 baris sah, diimpor 1400, 0 sudah tersimpan, 10 rusak" in result.stdout
    assert counts(app) == (1400, 1400, 1400)
    assert stored_keys(app) == keys_of(valid)

    again = cli_run("import", str(path))
    assert again.exit_code == 0, again.output
    no_crash(again)
    assert_named(reported(again.stderr, "hostile.jsonl:"), bad)
    assert "hostile.jsonl: 1400 baris sah, diimpor 0, 1400 sudah tersimpan, 10 rusak" in again.stdout
    assert counts(app) == (1400, 1400, 1400)


# --- 2. the import folder -------------------------------------------------------------------------


def inbox_of(app) -> Path:
    (folder,) = [source.path for source in app.settings.sources if source.name == "inbox"]
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def health_of(app, source: str) -> SourceHealth:
    with app.sessions() as session:
        return session.scalar(select(SourceHealth).where(SourceHealth.source == source))


def test_a_poisoned_file_in_the_import_folder_is_set_aside_and_its_good_lines_kept(cli_run, app, tmp_path: Path):
    with app.sessions.begin() as session:
        add_user(session, app.settings, "moderator1", "moderator", PASSWORD, "test")
    client = web_app(app).test_client()
    login(client)
    inbox = inbox_of(app)
    poison, good = posts(300, "poison"), posts(200, "good")
    bad = write_poisoned(inbox / "a_poison.jsonl", poison, seed=15)
    original = (inbox / "a_poison.jsonl").read_bytes()
    write_jsonl(inbox / "b_good.jsonl", good)

    result = cli_run("collect")
    assert result.exit_code == 0, result.output
    no_crash(result)
    assert_named(reported(result.stderr, "inbox: a_poison.jsonl:"), bad)
    assert "inbox: 500 baru, 0 sudah tersimpan, 10 rusak" in result.stdout
    assert counts(app) == (500, 500, 500)
    assert stored_keys(app) == keys_of(poison) | keys_of(good)

    rejected = inbox / "rejected"
    assert sorted(path.name for path in inbox.iterdir()) == ["b_good.jsonl", "rejected"]
    assert sorted(path.name for path in rejected.iterdir()) == ["a_poison.jsonl", "a_poison.jsonl.errors.txt"]
    assert (rejected / "a_poison.jsonl").read_bytes() == original
    report = (rejected / "a_poison.jsonl.errors.txt").read_text(encoding="utf-8")
    assert report.startswith("a_poison.jsonl: 10 baris ditolak; baris lain sudah tersimpan.")
    assert_named(reported(report, "a_poison.jsonl:"), bad)

    health = health_of(app, "inbox")
    assert health.state == "rejected" and "a_poison.jsonl" in health.error
    check = cli_run("sources", "check")
    assert check.exit_code == 1
    assert "inbox (import_folder, tiap 15 menit): BERMASALAH" in check.output
    assert "a_poison.jsonl" in check.output
    page = client.get("/sumber/").get_data(as_text=True)
    assert "berkas ditolak" in page and "a_poison.jsonl" in page

    # A person mends the file (drops its bad lines), puts it back and empties rejected/.
    numbers = {number for number, _ in bad}
    lines = original.split(b"\n")
    mended = b"\n".join(line for number, line in enumerate(lines, start=1) if number not in numbers)
    (inbox / "a_poison.jsonl").write_bytes(mended)
    for path in rejected.iterdir():
        path.unlink()

    again = cli_run("collect")
    assert again.exit_code == 0, again.output
    no_crash(again)
    assert "inbox: 0 baru, 300 sudah tersimpan, 0 rusak" in again.stdout
    assert counts(app) == (500, 500, 500)
    assert sorted(path.name for path in inbox.iterdir()) == ["a_poison.jsonl", "b_good.jsonl", "rejected"]
    assert list(rejected.iterdir()) == []
    health = health_of(app, "inbox")
    assert health.state == "ok" and health.error is None
    check = cli_run("sources", "check")
    assert check.exit_code == 0, check.output
    assert "inbox (import_folder, tiap 15 menit): baik" in check.output
    page = client.get("/sumber/").get_data(as_text=True)
    assert "berkas ditolak" not in page and "a_poison.jsonl" not in page


def test_a_rejected_file_put_back_unmended_is_set_aside_again(unscored_app, tmp_path: Path):
    """Its content was read before, but its bad lines were not: it must not sit in the folder as if read."""
    app = unscored_app
    folder = tmp_path / "inbox"
    folder.mkdir()
    path = write_jsonl(folder / "a.jsonl", [*posts(3, "back"), "{broken"])
    source = ImportFolderSource("inbox", folder)

    first = collect(app.sessions, source, app.own_handles)
    assert (first.added, len(first.errors)) == (3, 1) and first.errors[0].startswith("a.jsonl:4: JSON tidak sah")
    (folder / "rejected" / "a.jsonl").replace(path)
    (folder / "rejected" / "a.jsonl.errors.txt").unlink()

    second = collect(app.sessions, source, app.own_handles)
    assert (second.added, second.duplicates, second.errors) == (0, 3, first.errors)
    assert not path.exists()
    assert sorted(p.name for p in (folder / "rejected").iterdir()) == ["a.jsonl", "a.jsonl.errors.txt"]
    assert health_of(app, "inbox").state == "rejected"


class Stopped(Exception):
    """The process ends right after a page is stored."""


def test_a_run_stopped_between_storing_a_file_and_setting_it_aside_sets_it_aside_next_time(
    unscored_app, tmp_path: Path
):
    app = unscored_app
    folder = tmp_path / "inbox"
    folder.mkdir()
    path = write_jsonl(folder / "a.jsonl", [*posts(2, "stop"), '["not", "an", "object"]'])
    source = ImportFolderSource("inbox", folder)

    def stopped(page, stored):
        raise Stopped

    with pytest.raises(Stopped):
        collect(app.sessions, source, app.own_handles, on_page=stopped)
    assert path.exists(), "the page was stored, the file not yet moved"
    with app.sessions() as session:
        assert session.scalar(select(Cursor.key).where(Cursor.source == "inbox")) == "a.jsonl"

    resumed = collect(app.sessions, source, app.own_handles)
    assert (resumed.added, resumed.duplicates) == (0, 2)
    assert resumed.errors == ["a.jsonl:3: baris harus berupa objek dengan kolom impor"]
    assert not path.exists() and (folder / "rejected" / "a.jsonl").exists()
    assert health_of(app, "inbox").state == "rejected"


# --- 3. properties: arbitrary data never escapes the reader, and import stores what it judged valid -----


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


def assert_sound_record(record) -> None:
    """What every accepted record holds, whatever line it came from."""
    assert record.platform in PLATFORMS and record.kind in KINDS
    for value, limit in ((record.platform_id, 64), (record.author, 100)):
        assert 0 < len(value) <= limit and value == value.strip()
        assert any(not char.isspace() and unicodedata.category(char) != "Cf" for char in value)
        assert not any(unicodedata.category(char) in ("Cc", "Cs", "Co") for char in value)
    assert not record.author.startswith("@")
    assert not any(unicodedata.category(char) in ("Cs", "Co") for char in record.text)
    assert not any(unicodedata.category(char) == "Cc" for char in record.text.replace("\n", "").replace("\t", ""))
    assert not DIRECTION_CONTROLS & set(record.author + record.text + record.platform_id)
    assert record.in_reply_to is None or record.in_reply_to.strip()
    assert record.created_at.tzinfo is not None
    assert datetime(2000, 1, 1, tzinfo=UTC) <= record.created_at <= datetime.now(UTC) + timedelta(days=1, minutes=1)


def judged(path: Path) -> list:
    """Read ``path`` completely (nothing may escape), checking each line's verdict."""
    lines = list(read_import_file(path))
    numbers = [line.line for line in lines]
    assert numbers == sorted(set(numbers))
    for line in lines:
        assert (line.record is None) != (line.error is None)
        if line.record is None:
            assert line.error.strip() and len(line.error) < 400
        else:
            assert_sound_record(line.record)
    return lines


def jsonl_lines_to_judge(data: bytes) -> list[int]:
    """The numbers of the lines a person sees in a JSONL file, blank ones (and a first-line BOM) left out."""
    pieces = data.split(b"\n")
    if pieces[-1] == b"":
        pieces.pop()
    pieces[:1] = [piece.removeprefix(b"\xef\xbb\xbf") for piece in pieces[:1]]
    return [number for number, piece in enumerate(pieces, start=1) if piece.strip()]


def empty_posts(app) -> None:
    with app.sessions.begin() as session:
        session.execute(update(Post).values(classification_id=None))
        session.execute(delete(Classification))
        session.execute(delete(Post))


def assert_import_stores_what_was_judged_valid(app, path: Path, lines: list) -> None:
    """``import_file`` stores (and scores) one post per distinct (platform, id) the reader accepted, no more."""
    empty_posts(app)
    accepted = {(line.record.platform, line.record.platform_id) for line in lines if line.record is not None}
    report = import_file(app, path)
    assert report.added == len(accepted)
    assert report.read == sum(line.record is not None for line in lines)
    assert [number for number, _ in report.errors] == [line.line for line in lines if line.record is None]
    assert stored_keys(app) == accepted
    assert counts(app) == (len(accepted),) * 3


PROPERTY = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@hypothesis_settings(PROPERTY, max_examples=120)
@given(data=st.one_of(jsonl_files, byte_files))
def test_any_jsonl_line_or_bytes_are_judged_and_import_stores_exactly_the_valid_ones(app, tmp_path: Path, data):
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data)
    lines = judged(path)
    assert [line.line for line in lines] == jsonl_lines_to_judge(data)
    assert_import_stores_what_was_judged_valid(app, path, lines)


@PROPERTY
@given(data=csv_files)
def test_any_csv_row_is_judged_and_import_stores_exactly_the_valid_ones(app, tmp_path: Path, data: bytes):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    lines = judged(path)
    physical = len(re.split(rb"\r\n|\r|\n", data))
    assert all(2 <= line.line <= physical for line in lines)
    assert_import_stores_what_was_judged_valid(app, path, lines)


@hypothesis_settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    spikes=st.lists(
        st.tuples(st.sampled_from(list(plausible)), st.sampled_from(HOSTILE_STRINGS) | odd_text | any_text),
        min_size=1,
        max_size=10,
    ),
    data=st.data(),
)
def test_any_text_in_one_field_of_a_valid_line_is_refused_or_made_safe(tmp_path: Path, spikes, data):
    """Each line is valid but for one field, which holds odd text (alone, or around a plausible value)."""
    rows = []
    for name, spike in spikes:
        line = {field: data.draw(strategy) for field, strategy in plausible.items()}
        line[name] = data.draw(st.sampled_from([spike, as_text(line[name]) + spike, spike + as_text(line[name])]))
        rows.append(encode(line, True))
    path = tmp_path / "spiked.jsonl"
    path.write_bytes(b"\n".join(rows))
    lines = judged(path)
    assert [line.line for line in lines] == list(range(1, len(rows) + 1))


# --- 4. CSV: line numbers, authors, dates, direction overrides ----------------------------------


MANUAL_CSV = (
    "platform,id,author,text,created_at\n"  # 1
    'whatsapp,wa-1,Bu Tini,"air PDAM mati\nsudah\n3 hari",2026-11-20T07:00:00+07:00\n'  # 2-4
    'phone,tel-1,Pak Darto,"lampu "mati" total",2026-11-20T08:00:00+07:00\n'  # 5: a quote inside a quoted field
    "sms,sms-1,@,jalan berlubang,2026-11-20T09:00:00+07:00\n"  # 6
    'x,9,warga,"catatan\npanjang",2026-02-30T10:00:00+07:00\n'  # 7-8
    "x,10,@@,banjir di Kec. Plumpang,2026-11-20T10:00:00+07:00\n"  # 9
    "x,11,warga,pohon tumbang,2099-01-01T00:00:00+07:00\n"  # 10
    'x,12,warga,"baris satu\nbaris "dua" rusak",2026-11-20T11:00:00+07:00\n'  # 11-12: error on the second line
    "x,13,@budi,jembatan retak,2026-11-20T12:00:00+07:00\n"  # 13
)


def test_csv_lines_are_numbered_right_after_syntax_errors_and_multi_line_fields(tmp_path: Path):
    path = tmp_path / "manual.csv"
    path.write_text(MANUAL_CSV, encoding="utf-8")
    lines = list(read_import_file(path))
    verdicts = [(line.line, line.record.platform_id if line.record else line.error) for line in lines]
    assert [number for number, _ in verdicts] == [2, 5, 6, 7, 9, 10, 11, 13]
    by_line = dict(verdicts)
    assert by_line[2] == "wa-1" and lines[0].record.text == "air PDAM mati\nsudah\n3 hari"
    assert by_line[5].startswith("CSV tidak sah")
    assert by_line[7] == "created_at '2026-02-30T10:00:00+07:00' bukan tanggal dan jam ISO 8601 yang ada"
    assert by_line[11].startswith("CSV tidak sah")
    assert by_line[13] == "13" and lines[-1].record.author == "budi"


def test_an_author_of_only_at_signs_is_refused_with_its_reason(tmp_path: Path):
    path = tmp_path / "manual.csv"
    path.write_text(MANUAL_CSV, encoding="utf-8")
    by_line = {line.line: line.error for line in read_import_file(path)}
    for number in (6, 9):
        assert by_line[number].startswith("author kosong") and "@" in by_line[number]


def test_a_post_from_2099_is_refused(tmp_path: Path):
    path = tmp_path / "manual.csv"
    path.write_text(MANUAL_CSV, encoding="utf-8")
    by_line = {line.line: line.error for line in read_import_file(path)}
    assert by_line[10].startswith("created_at '2099-01-01T00:00:00+07:00' di luar rentang 2000-01-01 sampai")
    assert "jam perangkat salah?" in by_line[10]


def test_the_cli_names_the_csv_lines_by_the_numbers_a_person_sees(cli_run, app, tmp_path: Path):
    path = tmp_path / "manual.csv"
    path.write_text(MANUAL_CSV, encoding="utf-8")
    result = cli_run("import", str(path))
    assert result.exit_code == 0, result.output
    no_crash(result)
    assert sorted(reported(result.stderr, "manual.csv:")) == [5, 6, 7, 9, 10, 11]
    assert stored_keys(app) == {("whatsapp", "wa-1"), ("x", "13")}


def test_direction_overrides_are_removed_from_author_and_text(tmp_path: Path):
    path = tmp_path / "manual.csv"
    overrides = "".join(sorted(DIRECTION_CONTROLS))
    path.write_text(
        "platform,id,author,text,created_at\n"
        f"x,1,\u202eadmin\u202c_tuban,Transfer ke rekening \u202e0987\u202c sekarang{overrides},2026-11-20T07:00:00Z\n"
        f"x,2,@{overrides}warga,\u2067\u0627\u0644\u0637\u0631\u064a\u0642\u2069 rusak \u200f!,2026-11-20T07:00:00Z\n"
        f"x,3,{overrides},jalan rusak,2026-11-20T07:00:00Z\n",
        encoding="utf-8",
    )
    first, second, third = read_import_file(path)
    assert first.record.author == "admin_tuban"
    assert first.record.text == "Transfer ke rekening 0987 sekarang"
    assert second.record.author == "warga"
    assert second.record.text == "\u0627\u0644\u0637\u0631\u064a\u0642 rusak \u200f!"  # plain RLM stays
    assert third.record is None and third.error.startswith("author kosong")


def test_an_id_of_only_invisible_characters_is_refused(tmp_path: Path):
    ids = ["\u202e", " \u2066\u2069 ", "\u200b", "\ufeff"]
    path = write_jsonl(tmp_path / "a.jsonl", [row(id=ident, created_at=BASE_TIME.isoformat()) for ident in ids])
    for line in read_import_file(path):
        assert line.record is None and line.error.startswith("id kosong"), line
    (kept,) = read_import_file(
        write_jsonl(tmp_path / "b.jsonl", [row(in_reply_to="\u202e\u2069", created_at=BASE_TIME.isoformat())])
    )
    assert kept.record is not None and kept.record.in_reply_to is None
