"""Engine, sessions and schema migrations.

Every write goes through a ``Session`` from ``session_factory``; SQLite gets a
busy timeout and WAL so that the scheduler, collectors and a web server can
share one file.

Alembic is imported only to migrate: every command checks the schema at start,
and importing alembic would take longer than a short command's work, so the
check reads alembic's version table itself and compares it with
``satukanal.migrations.HEAD``.
"""

from __future__ import annotations

import os
import re
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from satukanal.free_text import clean_free_text
from satukanal.migrations import HEAD

if TYPE_CHECKING:
    from alembic.config import Config

VERSION_TABLE = "alembic_version"


class DatabaseError(Exception):
    """The database cannot be reached or its schema is not the one this code expects."""


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a new SQLite file is created first, readable by its owner only."""
    parsed = _parse(url)
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_path(parsed)
        if path is not None:
            _create_sqlite_file(path)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise DatabaseError(f"no driver for {parsed.drivername}: {exc.name} is not installed") from None


def check_sqlite_folder(url: str, data_dir: Path) -> None:
    """Refuse a SQLite database whose folder is missing, unless the folder lies in ``data_dir``.

    ``data_dir`` is the app's own folder, created on demand; a missing folder
    anywhere else is more likely a typo in the URL than a wish to create it.
    """
    path = _sqlite_path(_parse(url))
    if path is not None and not path.parent.is_dir() and not path.parent.is_relative_to(data_dir.resolve()):
        raise DatabaseError(
            f"the folder {path.parent} of the SQLite database does not exist: create it or correct the database URL"
        )


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError:
        raise DatabaseError("the database URL is not a valid SQLAlchemy URL") from None


def _sqlite_path(parsed: URL) -> Path | None:
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).resolve()


def _create_sqlite_file(path: Path) -> None:
    """Create ``path`` with mode 0600 (it holds citizens' posts) before SQLite would create it 0644.

    An existing file keeps its mode; SQLite gives its -wal and -shm files the database file's mode.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_RDONLY | os.O_CREAT, 0o600))
    except OSError as exc:
        raise DatabaseError(f"cannot create the SQLite database {path}: {exc.strerror}") from None


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Each insert into posts runs the hourly counts' trigger in a statement journal of its own: in a temporary
    # file by default, which halved the speed of inserting posts.
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


ANALYSIS_LIMIT = 1000
"""Rows SQLite's ANALYZE samples per index: the statistics stay good enough to choose indexes, and refreshing
them at a million posts takes a fraction of a second instead of a scan of every index."""


def refresh_statistics(engine: Engine) -> None:
    """Refresh the statistics the query planner chooses indexes by, after a large import and once a day.

    Without them SQLite chose the review-queue index for a week's count (107–148 ms at a million posts)
    where the creation-time index takes 4–7 ms. PostgreSQL's autovacuum keeps its own statistics, but not
    at once after a bulk import, so it is asked too.
    """
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        connection.exec_driver_sql("ANALYZE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on ``engine`` that clean what people typed before writing it (``free_text``)."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    event.listen(sessions, "before_flush", clean_free_text)
    return sessions


def _alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("satukanal") / "migrations"))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest revision among the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision alembic recorded in the database; None when it has no schema yet."""
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(VERSION_TABLE):
                return None
            return connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalar()
    except OperationalError as exc:
        raise DatabaseError(f"cannot connect to the database: {_first_line(exc)}") from None


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Apply every pending migration; returns (revision before, revision after)."""
    from alembic import command

    before = current_revision(engine)
    command.upgrade(_alembic_config(engine), "head")
    return before, head_revision()


def ensure_current(engine: Engine) -> None:
    """Refuse to run on a database whose schema is not at this code's head."""
    current = current_revision(engine)
    if current == HEAD:
        return
    if current is None:
        raise DatabaseError("the database has no SatuKanal schema yet: run `satukanal db upgrade`")
    raise DatabaseError(
        f"the database schema is at revision {current}, this version needs {HEAD}: run `satukanal db upgrade`"
    )


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def contains(column, text: str):
    """``column`` contains ``text`` literally, in any case: ``%`` and ``_`` typed by a user match themselves."""
    literal = re.sub(r"([\\%_])", r"\\\1", text.strip())
    return column.ilike(f"%{literal}%", escape="\\")


def begin_write(session: Session) -> None:
    """Start the session's write transaction now, so that a SAVEPOINT issued next is nested in it.

    On PostgreSQL the transaction is already open. Python's sqlite3 driver
    opens one only at the first INSERT/UPDATE/DELETE, so a SAVEPOINT issued
    first would be outermost in SQLite, and releasing it would commit; this
    starts it explicitly (taking the write lock, waiting up to the busy timeout).
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def upsert_insert(session: Session, table):
    """The dialect's own ``INSERT`` into ``table``, the one with ``on_conflict_do_nothing`` / ``_do_update``;
    PostgreSQL's is imported only on PostgreSQL, as importing it on SQLite would slow every command."""
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)
