"""``satukanal import`` end to end: valid unique lines in, every bad line named, idempotent."""

import json
import random
from pathlib import Path

from sqlalchemy import func, select

from satukanal.intake.importing import SCORING, STORING, import_file
from satukanal.models import Classification, Post
from tests.factories import posts, row, write_jsonl


def build_messy_file(path: Path) -> tuple[int, list[int]]:
    """1,000 lines: unique valid posts, repeats of them, and each kind of malformed line."""
    rng = random.Random(7)
    valid = [row(id=f"m{i}", text=f"Jalan di desa nomor {i} rusak, mohon diperbaiki") for i in range(900)]
    malformed = [
        "{this is not json",
        json.dumps(row(text="")),
        json.dumps({k: v for k, v in row().items() if k != "text"}),
        json.dumps(row(created_at="32/13/2026")),
        json.dumps(row(platform="friendster")),
        json.dumps(row(text="a" * 1_000_000)),
    ] * 5
    duplicates = [dict(valid[rng.randrange(900)]) for _ in range(1000 - 900 - len(malformed))]
    lines: list = valid + duplicates + malformed
    rng.shuffle(lines)
    bad_lines = [number for number, line in enumerate(lines, start=1) if isinstance(line, str)]
    write_jsonl(path, lines)
    return 900, bad_lines


def test_messy_import_takes_exactly_the_valid_unique_lines(cli_run, app, tmp_path: Path):
    path = tmp_path / "messy.jsonl"
    unique, bad_lines = build_messy_file(path)
    assert len(path.read_text(encoding="utf-8").splitlines()) == 1000

    result = cli_run("import", str(path))
    assert result.exit_code == 0, result.output
    reported = [int(line.split(":")[1]) for line in result.stderr.splitlines() if line.startswith("messy.jsonl:")]
    assert reported == bad_lines
    assert f"diimpor {unique}, 70 sudah tersimpan, 30 rusak" in result.stdout
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == unique
        assert session.scalar(select(func.count()).select_from(Classification)) == unique

    again = cli_run("import", str(path))
    assert again.exit_code == 0
    assert "diimpor 0, 970 sudah tersimpan, 30 rusak" in again.stdout
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == unique


def test_dry_run_validates_and_counts_without_storing(cli_run, app, tmp_path: Path):
    path = write_jsonl(tmp_path / "a.jsonl", [row(id="1"), row(id="1"), row(id="2"), "oops"])
    result = cli_run("import", "--dry-run", str(path))
    assert result.exit_code == 0
    assert "3 baris sah, akan diimpor 2, 1 sudah tersimpan, 1 rusak" in result.stdout
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 0


def test_exit_code_is_nonzero_only_when_nothing_could_be_read(cli_run, app, tmp_path: Path):
    only_bad = write_jsonl(tmp_path / "bad.jsonl", ["nope", json.dumps(row(platform="myspace"))])
    result = cli_run("import", str(only_bad))
    assert result.exit_code == 1
    assert "bad.jsonl:1: JSON tidak sah" in result.stderr
    assert "tidak ada yang dapat dibaca dari" in result.stderr

    missing = cli_run("import", str(tmp_path / "absent.csv"))
    assert missing.exit_code == 1 and "tidak dapat dibuka (No such file" in missing.stderr

    headerless = tmp_path / "posts.csv"
    headerless.write_text("a,b\n1,2\n", encoding="utf-8")
    refused = cli_run("import", str(headerless))
    assert refused.exit_code == 1
    assert "header tidak memuat kolom platform, id, author, text, created_at" in refused.stderr


def test_csv_import_from_whatsapp_and_phone(cli_run, app, tmp_path: Path):
    path = tmp_path / "manual.csv"
    path.write_text(
        "platform,id,author,text,created_at,kind\n"
        'whatsapp,wa-2026-0001,warga Ds. Prunggahan,"Air PDAM mati 2 hari, tolong",2026-11-20T07:00:00+07:00,dm\n'
        "phone,tel-2026-0001,Bu Tini,Lampu jalan mati di Kec. Palang,2026-11-20T08:00:00+07:00,dm\n",
        encoding="utf-8",
    )
    result = cli_run("import", str(path))
    assert result.exit_code == 0 and "diimpor 2" in result.stdout
    listing = cli_run("review", "list", "--all")
    assert "whatsapp" in listing.stdout and "phone" in listing.stdout


def test_the_database_must_be_upgraded_first(tmp_path: Path, config_file: Path):
    from click.testing import CliRunner

    from satukanal.cli import cli

    env = {"SATUKANAL_CONFIG": str(config_file), "SATUKANAL_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    refused = CliRunner().invoke(cli, ["review", "list"], env=env)
    assert refused.exit_code == 1
    assert "no SatuKanal schema yet: run `satukanal db upgrade`" in refused.stderr
    upgraded = CliRunner().invoke(cli, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0 and "Upgraded the database from empty" in upgraded.stdout
    again = CliRunner().invoke(cli, ["db", "upgrade"], env=env)
    assert "up to date" in again.stdout
    assert CliRunner().invoke(cli, ["db", "current"], env=env).exit_code == 0
    assert CliRunner().invoke(cli, ["review", "list"], env=env).exit_code == 0


def test_an_import_tells_its_progress_storing_then_scoring(app, tmp_path: Path):
    path = write_jsonl(tmp_path / "many.jsonl", [*posts(1100, "progress"), "{not json"])
    told: list[tuple[str, int, int | None]] = []
    report = import_file(app, path, progress=lambda phase, done, total: told.append((phase, done, total)))
    assert [done for phase, done, _ in told if phase == STORING] == [500, 1000, 1101], "lines read, bad one too"
    scoring = [(done, total) for phase, done, total in told if phase == SCORING]
    assert scoring == [(500, 1100), (1000, 1100), (1100, 1100)]
    assert told.index((SCORING, 500, 1100)) > told.index((STORING, 1101, None)), "scored once all is stored"
    assert report.added == report.scored == 1100
