"""Click parameter types built from the domain's own parsers, so errors read the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from satukanal.models import MAX_ROW_ID


class Parsed(click.ParamType):
    """A parameter read by ``parse``, whose ``ValueError`` becomes a usage error."""

    def __init__(self, name: str, parse: Callable[[str], Any], kind: type) -> None:
        self.name = name
        self.parse = parse
        self.kind = kind

    def convert(self, value, param, ctx):
        if isinstance(value, self.kind):
            return value
        try:
            return self.parse(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


ROW_ID = click.IntRange(1, MAX_ROW_ID)
"""A row id given on the command line: a number no row can have is a usage error, not a driver overflow."""
