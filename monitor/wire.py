"""Reading platform JSON defensively: what is not the expected shape counts as absent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def compact(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def dicts(value: object) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
