"""Calling a platform with patience: rate limits waited out (capped), server errors backed off.

Collectors translate what their client library raises into ``monitor.errors``
and call through ``Retrier.call``. A ``RateLimited`` answer waits until the
platform's reset time, never longer than ``max_wait``; other
``TemporaryFailure``\\ s wait ``base_wait``, doubling each time. After
``attempts`` tries the last failure is raised for the source to report.
``SourceBroken`` is never retried. The clock and ``sleep`` are passed in, so
tests wait without waiting.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from monitor.errors import RateLimited, TemporaryFailure

log = logging.getLogger(__name__)
T = TypeVar("T")

RATE_LIMIT_DEFAULT_WAIT = 60.0  # seconds, when a 429 carries no reset time


@dataclass
class Retrier:
    attempts: int = 4
    base_wait: float = 5.0
    max_wait: float = 900.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    waited: float = 0.0
    """Seconds slept so far, for reports and tests."""

    def call(self, action: Callable[[], T], what: str) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return action()
            except TemporaryFailure as exc:
                if attempt == self.attempts:
                    raise
                wait = self._wait(exc, attempt)
                log.warning(
                    "%s: %s; trying again in %.0f s (attempt %d of %d)", what, exc, wait, attempt + 1, self.attempts
                )
                self.sleep(wait)
                self.waited += wait
        raise AssertionError("unreachable")

    def _wait(self, exc: TemporaryFailure, attempt: int) -> float:
        if exc.retry_after is not None:
            wanted = exc.retry_after + 1  # the reset second itself may still be limited
        elif isinstance(exc, RateLimited):
            wanted = RATE_LIMIT_DEFAULT_WAIT
        else:
            wanted = self.base_wait * 2 ** (attempt - 1)
        return max(0.0, min(wanted, self.max_wait))
