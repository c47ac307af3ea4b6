"""Reference files from ``../shared``, beside the repository: read there, never copied; a test skips without them."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


def shared_file(relative: str) -> Path:
    """A file from ../shared, or a skip naming what is missing."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"reference file {path} is absent (the shared folder lives beside the repository)")
    return path
