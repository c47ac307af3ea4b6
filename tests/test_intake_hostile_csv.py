"""Hostile CSV imports: line numbers a person sees, authors of only @, dates out of range, direction overrides."""

from __future__ import annotations

from pathlib import Path

from monitor import read_import_file
from tests.factories import BASE_TIME, row, write_jsonl
from tests.hostile_imports import DIRECTION_CONTROLS, no_crash, reported, stored_keys

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
