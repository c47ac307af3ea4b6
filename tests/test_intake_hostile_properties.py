"""Properties of the import: arbitrary data never escapes the reader, and ``import_file`` stores exactly the lines
the reader judged valid, whatever bytes, JSON values or text they hold."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import delete, update

from monitor import read_import_file
from monitor.records import KINDS, PLATFORMS, clean_text, has_control
from satukanal.intake.importing import import_file
from satukanal.models import Classification, Post
from tests.hostile_imports import (
    DIRECTION_CONTROLS,
    HOSTILE_STRINGS,
    any_text,
    as_text,
    byte_files,
    counts,
    csv_files,
    encode,
    jsonl_files,
    odd_text,
    plausible,
    stored_keys,
)


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
        session.execute(update(Post).values(classification_id=None, flagged=None))
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


def test_what_clean_text_drops_is_exactly_the_unicode_categories_it_names():
    """The character classes scan in C; every code point is checked against Unicode's own categories."""
    kept_controls = "\n\t"
    for code in range(0x110000):
        char = chr(code)
        category = unicodedata.category(char)
        dropped = char not in kept_controls and (category in ("Cc", "Cs", "Co") or char in DIRECTION_CONTROLS)
        assert (clean_text(f"a{char}b") == "ab") == dropped, hex(code)
        assert has_control(char) == (category in ("Cc", "Co")), hex(code)
