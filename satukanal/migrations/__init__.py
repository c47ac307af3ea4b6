"""Alembic migrations, applied by ``satukanal db upgrade``."""

HEAD = "0011"
"""The newest revision in ``versions/``, which every command checks the database against (``satukanal.db``):
a new migration sets it to its own revision."""
