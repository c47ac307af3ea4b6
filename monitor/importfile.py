"""Read an import file (JSONL or CSV in the neutral schema of ``monitor.records``).

Reading never stops at a bad line: each line yields either a record or the
reason it was refused, with its line number, so the good lines still import.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from monitor.records import REQUIRED_FIELDS, PostRecord, RecordError, record_from_mapping

MAX_LINE_BYTES = 4 * 1024 * 1024
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}


class ImportFileError(Exception):
    """The file as a whole cannot be read (missing, unknown format, no header)."""


@dataclass(frozen=True)
class ImportLine:
    """One line of an import file: a record, or the reason it was refused."""

    line: int
    record: PostRecord | None = None
    error: str | None = None


def partition(lines: Iterable[ImportLine]) -> tuple[list[PostRecord], list[ImportLine]]:
    """Split read lines into the records and the refused lines (each still carrying its number and reason)."""
    records: list[PostRecord] = []
    refused: list[ImportLine] = []
    for line in lines:
        if line.record is None:
            refused.append(line)
        else:
            records.append(line.record)
    return records, refused


def detect_format(path: Path, declared: str | None = None) -> str:
    if declared:
        return declared
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ImportFileError(
            f"{path.name}: format tidak dikenali dari ekstensinya (gunakan .jsonl atau .csv, atau --format)"
        ) from None


def read_import_file(path: Path, file_format: str | None = None) -> Iterator[ImportLine]:
    file_format = detect_format(path, file_format)
    try:
        if file_format == "jsonl":
            handle = path.open("rb")
        else:
            handle = path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
    except OSError as exc:
        raise ImportFileError(f"{path}: tidak dapat dibuka ({exc.strerror or exc})") from None
    with handle:
        if file_format == "jsonl":
            yield from _read_jsonl(handle)
        else:
            yield from _read_csv(handle, path)


def _bounded_lines(handle: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """Physical lines, each at most MAX_LINE_BYTES; a longer one yields None and is skipped."""
    number = 0
    while True:
        line = handle.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = handle.readline(MAX_LINE_BYTES)
            yield number, None
            continue
        yield number, line


def _read_jsonl(handle: BinaryIO) -> Iterator[ImportLine]:
    for number, raw in _bounded_lines(handle):
        if raw is None:
            yield ImportLine(number, error=f"baris lebih dari {MAX_LINE_BYTES:,} byte")
            continue
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield ImportLine(number, error="bukan teks UTF-8 yang sah")
            continue
        except json.JSONDecodeError as exc:
            yield ImportLine(number, error=f"JSON tidak sah ({exc.msg}, kolom {exc.colno})")
            continue
        except RecursionError:
            yield ImportLine(number, error="JSON bersarang terlalu dalam")
            continue
        except ValueError:
            yield ImportLine(number, error="JSON memuat angka yang terlalu panjang")
            continue
        yield _to_line(number, data)


def _read_csv(handle: TextIO, path: Path) -> Iterator[ImportLine]:
    """Rows as mappings of the header's names; a row spanning lines is numbered by its first line."""
    csv.field_size_limit(MAX_LINE_BYTES)
    reader = csv.reader(handle, strict=True)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise ImportFileError(f"{path.name}: baris header bukan CSV yang sah ({exc})") from None
    missing = [name for name in REQUIRED_FIELDS if name not in header]
    if missing:
        raise ImportFileError(f"{path.name}: header tidak memuat kolom {', '.join(missing)}")
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield ImportLine(start, error=f"CSV tidak sah ({exc})")
            continue
        if not any(row):
            continue
        if len(row) > len(header):
            yield ImportLine(start, error="jumlah kolom melebihi header")
            continue
        if any(_has_surrogates(value) for value in row):
            yield ImportLine(start, error="bukan teks UTF-8 yang sah")
            continue
        yield _to_line(start, dict(zip(header, row, strict=False)))


def _to_line(number: int, data: object) -> ImportLine:
    try:
        return ImportLine(number, record=record_from_mapping(data))
    except RecordError as exc:
        return ImportLine(number, error=str(exc))


def _has_surrogates(value: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in value)
