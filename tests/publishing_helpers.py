"""The week the ``busy_week`` fixture fills, the moment after it, and a channel that dies after the platform."""

from __future__ import annotations

from datetime import UTC, datetime

from publisher import OutboxChannel, Week

WEEK = Week(2026, 47)  # 16–22 November 2026
AFTER = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Tuban


class CrashAfterPublish(OutboxChannel):
    """The platform accepts the post, then the process dies before the ledger write."""

    def publish(self, item):
        super().publish(item)
        raise KeyboardInterrupt("killed")
