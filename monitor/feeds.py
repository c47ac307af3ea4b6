"""The cursor of a newest-first feed, written after every page so an interrupted run resumes.

X and Instagram list the newest items first and page towards older ones. A
cursor that jumped to the newest id after the first page would lose every
older page if the run died half-way; one written only at the end would make a
crashed run start from the top. So while a run pages through, the cursor keeps
three things: ``since`` (everything up to this id is stored), ``resume``
(the token of the next page) and ``newest`` (the newest id this run has
stored). The run that reaches the last page moves ``since`` to ``newest``.
A restarted run continues from ``resume`` with the same ``since``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace

MAX_CURSOR_CHARS = 255  # the length of cursors.value


@dataclass(frozen=True)
class FeedCursor:
    since: str | None = None
    resume: str | None = None
    newest: str | None = None

    @classmethod
    def loads(cls, value: str | None) -> FeedCursor:
        """A stored cursor; a bare id (or an unreadable value) counts as ``since`` alone."""
        if not value:
            return cls()
        try:
            data = json.loads(value)
        except ValueError:
            data = value
        if isinstance(data, dict):
            resume = data.get("resume")
            return cls(
                since=_id(data.get("since")),
                resume=resume if isinstance(resume, str) and resume else None,
                newest=_id(data.get("newest")),
            )
        return cls(since=_id(data))

    def dumps(self) -> str:
        return json.dumps({key: value for key, value in asdict(self).items() if value is not None}, sort_keys=True)

    def after_page(self, ids: list[str], next_token: str | None) -> FeedCursor:
        """The cursor once a page with item ``ids`` is stored; ``next_token`` None means it was the last page."""
        newest = newest_id([self.newest, *ids])
        if next_token:
            return replace(self, resume=next_token, newest=newest)
        return FeedCursor(since=newest_id([self.since, newest]))

    def storable(self) -> str:
        """The cursor as stored. A page token too long for the column is kept for this run only: should the run
        die, the next one reads the feed again from the top, which loses nothing."""
        value = self.dumps()
        return value if len(value) <= MAX_CURSOR_CHARS else self.restarted().dumps()

    def restarted(self) -> FeedCursor:
        """The cursor without its resume point, when the platform no longer accepts the token."""
        return replace(self, resume=None)


def newest_id(ids: list[str | None]) -> str | None:
    """The largest numeric id (X and Instagram ids grow with time), or None."""
    numeric = [int(value) for value in ids if value and str(value).isdigit()]
    return str(max(numeric)) if numeric else None


def _id(value: object) -> str | None:
    return str(value) if isinstance(value, (str, int)) and str(value).isdigit() else None
