"""The ``satukanal`` command line: the root group in ``root``, one module per feature."""

from satukanal.cli import (  # noqa: F401 (registers commands)
    classifier,
    database,
    demo,
    intake,
    notifications,
    publishing,
    review,
    run,
    schedule,
    serve,
    tickets,
    users,
)
from satukanal.cli.root import cli, main

__all__ = ["cli", "main"]
