"""Reading import files: each line is a record or a reason, and good lines survive bad ones."""

import json
from pathlib import Path

import pytest

from monitor import ImportFileError, read_import_file
from monitor.records import MAX_TEXT_CHARS
from tests.factories import row, write_jsonl


def lines_of(path: Path, file_format: str | None = None):
    return list(read_import_file(path, file_format))


def test_valid_jsonl_lines_become_records(tmp_path: Path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            row(id="1", author="@Sri_W", text="banyu gak mili", created_at="2026-11-20T07:00:00+07:00"),
            row(platform="Instagram", id="2", kind="comment", url="https://www.instagram.com/p/abc/", in_reply_to="1"),
        ],
    )
    first, second = lines_of(path)
    assert first.record.platform == "x" and first.record.platform_id == "1"
    assert first.record.author == "Sri_W"
    assert first.record.created_at.isoformat() == "2026-11-20T07:00:00+07:00"
    assert second.record.platform == "instagram"
    assert second.record.kind == "comment" and second.record.in_reply_to == "1"
    assert second.line == 2


@pytest.mark.parametrize(
    "bad, reason",
    [
        ("{not json", "JSON tidak sah"),
        (json.dumps(["a", "list"]), "baris harus berupa objek"),
        (json.dumps(row(text="")), "kolom wajib kosong: text"),
        (json.dumps({k: v for k, v in row().items() if k != "text"}), "kolom wajib kosong: text"),
        (json.dumps(row(created_at="kemarin sore")), "bukan tanggal dan jam ISO 8601"),
        (json.dumps(row(created_at="2026-11-20T07:00:00")), "tanpa zona waktu"),
        (json.dumps(row(platform="myspace")), "platform 'myspace' tidak dikenal"),
        (json.dumps(row(kind="story")), "jenis 'story' tidak dikenal"),
        (json.dumps(row(text="x" * 1_048_576)), "karakter (maksimal"),
        (json.dumps(row(url="javascript:alert(1)")), "url harus diawali http"),
        (json.dumps(row(id={"nested": 1})), "id harus berupa teks"),
        (json.dumps(row(text="\u200b\u0007  ")), "text kosong"),
    ],
)
def test_each_bad_line_is_named_with_its_reason_and_the_rest_is_kept(tmp_path: Path, bad: str, reason: str):
    path = write_jsonl(tmp_path / "a.jsonl", [row(), bad, row()])
    result = lines_of(path)
    assert [line.line for line in result] == [1, 2, 3]
    assert result[0].record is not None and result[2].record is not None
    assert result[1].record is None
    assert reason in result[1].error


def test_invalid_utf8_and_blank_lines(tmp_path: Path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(row()).encode() + b"\n\n" + b'{"text": "\xff\xfe"}\n')
    result = lines_of(path)
    assert result[0].record is not None
    assert (result[1].line, result[1].error) == (3, "bukan teks UTF-8 yang sah")


def test_text_keeps_emoji_sequences_and_drops_control_characters(tmp_path: Path):
    text = "Lampu PJU mati 👨\u200d👩\u200d👧 \u202e\x1b[31mmerah\x00 <script>alert(1)</script>"
    (line,) = lines_of(write_jsonl(tmp_path / "a.jsonl", [row(text=text)]))
    assert line.record.text == "Lampu PJU mati 👨\u200d👩\u200d👧 [31mmerah <script>alert(1)</script>"


def test_text_at_the_limit_is_accepted(tmp_path: Path):
    (line,) = lines_of(write_jsonl(tmp_path / "a.jsonl", [row(text="a" * MAX_TEXT_CHARS)]))
    assert line.record is not None


def test_csv_with_bom_quoted_newlines_and_bad_rows(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text(
        "\ufeffplatform,id,author,text,created_at,kind\n"
        'whatsapp,wa-1,Bu Tini,"air PDAM mati\nsudah 3 hari",2026-11-20T07:00:00+07:00,dm\n'
        "phone,tel-1,warga,lampu mati,2026-11-20,dm\n"
        "x,9,a,b,2026-11-20T07:00:00Z,mention,extra\n"
        "x,10,a,jalan rusak,2026-11-20T07:00:00Z,\n",
        encoding="utf-8",
    )
    result = lines_of(path)
    assert result[0].record.text == "air PDAM mati\nsudah 3 hari" and result[0].line == 2
    assert result[1].line == 4 and "tanpa zona waktu" in result[1].error
    assert result[2].line == 5 and result[2].error == "jumlah kolom melebihi header"
    assert result[3].record.kind == "mention"


def test_csv_without_required_columns_is_refused_as_a_whole(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text("platform,id,message\nx,1,hello\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="header tidak memuat kolom author, text, created_at"):
        lines_of(path)


def test_unknown_extension_and_missing_file(tmp_path: Path):
    odd = tmp_path / "posts.txt"
    odd.write_text("", encoding="utf-8")
    with pytest.raises(ImportFileError, match="format tidak dikenali"):
        lines_of(odd)
    assert lines_of(odd, "jsonl") == []
    with pytest.raises(ImportFileError, match=r"tidak dapat dibuka \(No such file"):
        lines_of(tmp_path / "absent.jsonl")
