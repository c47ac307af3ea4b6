"""Storing posts: once per (platform, id), ours kept but never queued, cursors saved with each page."""

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitor import ImportFolderSource, Page
from satukanal.intake.service import collect, store_records
from satukanal.models import Cursor, Post
from satukanal.review.service import queue
from tests.factories import record, row, write_jsonl


def post_count(app) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(Post))


def test_each_post_is_stored_once_per_platform_and_id(unscored_app):
    app = unscored_app
    first = [record(id="1"), record(id="2"), record(id="1", text="edited later")]
    with app.sessions.begin() as session:
        result = store_records(session, first, "test", app.own_handles)
    assert (result.added, result.duplicates) == (2, 1)
    with app.sessions.begin() as session:
        again = store_records(session, [record(id="2"), record(id="2", platform="instagram")], "test", app.own_handles)
    assert (again.added, again.duplicates) == (1, 1)
    with app.sessions() as session:
        stored = session.scalars(select(Post).order_by(Post.id)).all()
    assert [(p.platform, p.platform_id) for p in stored] == [("x", "1"), ("x", "2"), ("instagram", "2")]
    assert stored[0].text.startswith("Min, jalan di Desa Sugihwaras")


def test_posts_by_our_accounts_are_stored_as_ours_and_never_queued(app):
    records = [
        record(id="10", author="LaporTuban", text="Terima kasih, laporan sudah kami teruskan ke Dinas PUPR PRKP"),
        record(id="11", author="pemkabtuban", kind="reply", in_reply_to="12", text="Jalan rusak sudah ditambal"),
        record(id="12", author="warga_jenu", text="Jalan rusak parah di Jenu, tolong segera diperbaiki min"),
    ]
    with app.sessions.begin() as session:
        store_records(session, records, "test", app.own_handles)
    app.score_pending()
    with app.sessions() as session:
        own = {p.platform_id: p.is_own for p in session.scalars(select(Post))}
        waiting = {p.platform_id for p in queue(session, flagged=None)}
    assert own == {"10": True, "11": True, "12": False}
    assert waiting == {"12"}


def test_folder_source_reads_each_file_once_and_again_when_it_changes(unscored_app, tmp_path: Path):
    app = unscored_app
    folder = tmp_path / "inbox"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", [row(id="1"), row(id="2"), "{broken"])
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    source = ImportFolderSource("inbox", folder)

    first = collect(app.sessions, source, app.own_handles)
    assert (first.added, first.pages) == (2, 1)
    assert first.errors == ["a.jsonl:3: JSON tidak sah (Expecting property name enclosed in double quotes, kolom 2)"]

    second = collect(app.sessions, source, app.own_handles)
    assert (second.added, second.pages) == (0, 0)

    write_jsonl(folder / "a.jsonl", [row(id="1"), row(id="2"), row(id="3")])
    third = collect(app.sessions, source, app.own_handles)
    assert (third.added, third.duplicates, third.pages) == (1, 2, 1)
    assert post_count(app) == 3


class CrashingSource:
    """Yields the pages of another source, then dies after ``pages_before_crash``."""

    def __init__(self, source, pages_before_crash: int) -> None:
        self.name = source.name
        self.source = source
        self.left = pages_before_crash

    def pages(self, cursors):
        for page in self.source.pages(cursors):
            if self.left == 0:
                raise ConnectionError("collector died")
            self.left -= 1
            yield page


def test_a_crash_between_pages_loses_nothing_and_duplicates_nothing(unscored_app, tmp_path: Path):
    app = unscored_app
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, ids in (("1.jsonl", ["1", "2"]), ("2.jsonl", ["2", "3"]), ("3.jsonl", ["4"])):
        write_jsonl(folder / name, [row(id=i) for i in ids])
    source = ImportFolderSource("inbox", folder)

    with pytest.raises(ConnectionError):
        collect(app.sessions, CrashingSource(source, pages_before_crash=1), app.own_handles)
    assert post_count(app) == 2
    with app.sessions() as session:
        assert session.scalars(select(Cursor.key)).all() == ["1.jsonl"]

    resumed = collect(app.sessions, source, app.own_handles)
    assert resumed.pages == 2
    assert post_count(app) == 4


def test_a_page_and_its_cursor_commit_together(unscored_app, monkeypatch):
    app = unscored_app

    class OnePage:
        name = "one"

        def pages(self, cursors):
            yield Page(records=[record(id="1"), record(id="2")], cursor_key="k", cursor_value="v")

    def cursor_write_fails(session, source, key, value):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Cursor, "save", cursor_write_fails)
    with pytest.raises(RuntimeError, match="disk full"):
        collect(app.sessions, OnePage(), app.own_handles)
    assert post_count(app) == 0


def test_a_record_the_database_refuses_costs_no_other_record(unscored_app):
    """Defence in depth behind the record validation: the batch is tried again row by row."""
    app = unscored_app

    class PageWithABadRecord:
        name = "mixed"

        def pages(self, cursors):
            naive = replace(record(id="2"), created_at=datetime(2026, 11, 20, 7, 0))
            yield Page(records=[record(id="1"), naive, record(id="3")], cursor_key="k", cursor_value="v")

    result = collect(app.sessions, PageWithABadRecord(), app.own_handles)
    assert (result.added, result.duplicates) == (2, 0)
    assert result.errors == ["k: basis data menolak baris ini (ValueError)"]
    with app.sessions() as session:
        assert set(session.scalars(select(Post.platform_id))) == {"1", "3"}
        assert session.scalar(select(Cursor.value).where(Cursor.source == "mixed")) == "v"
