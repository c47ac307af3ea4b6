"""Text people type is cleaned before it is stored, whichever way it came in (web form, API, command line).

Collected posts are cleaned by ``monitor.records.clean_text`` when they are
read. What staff type — a ticket title, a note, a reason, an e-mail — comes
through forms, JSON and command-line arguments instead, and may carry a NUL
(which PostgreSQL refuses in text), a lone surrogate (from a command-line
argument that is not UTF-8, which no database can encode) or a direction
override. Every string column of every row a session flushes is cleaned the
same way, so none of them can fail a write or mislead a reader.
"""

from __future__ import annotations

import re

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from monitor.records import clean_text

_SUSPECT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ue000-\uf8ff]")
"""A cheap first look: only a string with one of these goes through ``clean_text``."""


def clean_free_text(session: Session, flush_context, instances) -> None:
    """``before_flush``: clean the string attributes of the new and changed rows."""
    for instance in (*session.new, *session.dirty):
        state = inspect(instance)
        for attribute in state.mapper.column_attrs:
            value = state.dict.get(attribute.key)
            if isinstance(value, str) and _SUSPECT.search(value):
                setattr(instance, attribute.key, clean_text(value))
