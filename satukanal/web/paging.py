"""Paged lists (``?halaman=N``) whose links keep the list's own filters and nothing else."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from flask import abort, request, url_for

PAGE_PARAMETER = "halaman"
LAST_PAGE = 10_000

Item = TypeVar("Item")


def kept_arguments(keys: Iterable[str]) -> dict[str, str]:
    """The request's values for ``keys`` (the list's filters), skipping empty ones.

    Links are built from these rather than from all of ``request.args``:
    ``url_for`` reads keys such as ``_external`` and ``_scheme`` itself.
    """
    return {key: request.args[key] for key in keys if request.args.get(key)}


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def fetch(self) -> int:
        """How many rows to ask for: one more than shown, to know whether a next page exists."""
        return self.size + 1


def requested_page(size: int) -> Page:
    """The page the query string asks for (the first by default); anything malformed is a 400."""
    text = request.args.get(PAGE_PARAMETER, "1")
    if not text.isdecimal() or not 1 <= int(text) <= LAST_PAGE:
        abort(400)
    return Page(int(text), size)


@dataclass(frozen=True)
class Pager:
    items: list
    number: int
    previous_url: str | None
    next_url: str | None
    filters: dict[str, str]
    """The list's own filters from the query string, without the page: what a filter form or a link keeps."""


def paged(page: Page, rows: Sequence[Item], keys: Iterable[str]) -> Pager:
    """``rows`` (fetched with ``page.fetch``) cut to the page, with links to its neighbours."""
    arguments = kept_arguments(key for key in keys if key != PAGE_PARAMETER)

    def link(number: int) -> str:
        return url_for(request.endpoint, **arguments, **({PAGE_PARAMETER: number} if number > 1 else {}))

    return Pager(
        items=list(rows[: page.size]),
        number=page.number,
        previous_url=link(page.number - 1) if page.number > 1 else None,
        next_url=link(page.number + 1) if len(rows) > page.size else None,
        filters=arguments,
    )
