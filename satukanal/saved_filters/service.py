"""Saving, listing and deleting a user's filters for a list page.

Only the list's own filter keys are kept (what the page says it reads), so
a saved view never carries a page number or anything else from the URL;
saving under an existing name replaces that view.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from satukanal.saved_filters.models import SavedFilter

PAGES = ("antrean", "tiket")
NAME_LIMIT = 60
PER_PAGE_LIMIT = 20


class SavedFilterError(ValueError):
    """A filter that cannot be saved; the message says why, in Indonesian."""


def kept_query(query: str, keys: Iterable[str]) -> str:
    """``query`` with only ``keys`` that have a value, in a stable order."""
    wanted = list(keys)
    pairs = [(key, value) for key, value in parse_qsl(query[:2000]) if key in wanted and value.strip()]
    return urlencode(sorted(pairs, key=lambda pair: wanted.index(pair[0])))


def save_filter(session: Session, user_id: int, page: str, name: str, query: str, keys: Iterable[str]) -> SavedFilter:
    if page not in PAGES:
        raise SavedFilterError(f"halaman {page!r} tidak dikenal")
    name = " ".join(name.split())
    if not name or len(name) > NAME_LIMIT:
        raise SavedFilterError(f"beri nama 1–{NAME_LIMIT} karakter")
    query = kept_query(query, keys)
    if not query:
        raise SavedFilterError("tidak ada filter yang dipilih untuk disimpan")
    existing = session.scalar(
        select(SavedFilter).where(SavedFilter.user_id == user_id, SavedFilter.page == page, SavedFilter.name == name)
    )
    if existing is not None:
        existing.query = query
        return existing
    if len(saved_filters(session, user_id, page)) >= PER_PAGE_LIMIT:
        raise SavedFilterError(f"paling banyak {PER_PAGE_LIMIT} filter per halaman; hapus yang lama dulu")
    saved = SavedFilter(user_id=user_id, page=page, name=name, query=query)
    session.add(saved)
    return saved


def saved_filters(session: Session, user_id: int, page: str) -> list[SavedFilter]:
    mine = select(SavedFilter).where(SavedFilter.user_id == user_id, SavedFilter.page == page)
    return list(session.scalars(mine.order_by(SavedFilter.name)))


def delete_filter(session: Session, user_id: int, filter_id: int) -> bool:
    """Delete the user's filter ``filter_id``; False when it is not theirs or gone."""
    removed = session.execute(delete(SavedFilter).where(SavedFilter.id == filter_id, SavedFilter.user_id == user_id))
    return removed.rowcount == 1
