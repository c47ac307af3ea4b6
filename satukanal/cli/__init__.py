"""The ``satukanal`` command line: the root group in ``root``, one module per feature."""

from satukanal.cli import classifier, database, demo, posts, publish, review, run, tickets  # noqa: F401 (registers commands)
from satukanal.cli.root import cli, main

__all__ = ["cli", "main"]
