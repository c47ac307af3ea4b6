"""Hostile import lines: each is refused with its file, line number and reason, and never costs a valid line.

The lines here are built to break a naive reader: times whose UTC conversion overflows, JSON nested
50,000 deep, integers longer than Python will parse, lone surrogates and NUL characters, truncated
JSON, a line that is not an object, a date that does not exist. The same lines go through
``satukanal import`` and through the import folder of ``satukanal collect``; as arbitrary data they go
through the property tests of the reader and of ``import_file`` (``test_intake_hostile_properties.py``).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor import ImportFolderSource
from satukanal.intake.models import SourceHealth
from satukanal.intake.service import collect
from satukanal.models import Cursor
from tests.factories import BASE_TIME, posts, row, write_jsonl
from tests.hostile_imports import counts, no_crash, reported, stored_keys


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


def assert_named(found: dict[int, str], bad: list[tuple[int, str]]) -> None:
    assert sorted(found) == [number for number, _ in bad]
    for number, fragment in bad:
        assert fragment in found[number], (number, found[number])


def keys_of(rows: list[dict]) -> set[tuple[str, str]]:
    return {(item["platform"], item["id"]) for item in rows}


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


def test_a_poisoned_file_in_the_import_folder_is_set_aside_and_its_good_lines_kept(
    cli_run, app, client, login, tmp_path: Path
):
    login()
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
    assert "Berkas ditolak" in page and "a_poison.jsonl" in page

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
