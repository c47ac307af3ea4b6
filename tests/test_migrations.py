"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from satukanal.db import DatabaseError, current_revision, ensure_current, head_revision, make_engine
from satukanal.models import Base


def test_migrated_database_matches_the_models(database_url):
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) == head_revision()
        ensure_current(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_unreachable_or_malformed_database_urls_are_clear_errors(tmp_path):
    with pytest.raises(DatabaseError, match="not a valid SQLAlchemy URL"):
        make_engine("not a url")
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(DatabaseError, match="cannot connect to the database"):
        current_revision(engine)
