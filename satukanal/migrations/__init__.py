"""Alembic migrations, applied by ``satukanal db upgrade``."""
