"""What a collector raises when a platform does not give it what it asked for.

::

    SourceError                  a source could not finish this run
    ├── SourceBroken             needs a person: expired or refused credentials, an
    │                            X access tier that may not read the endpoint, an
    │                            Instagram challenge; retrying will not help
    └── SourceUnavailable        gave up for this run: server errors, network
        │                        trouble, unreadable answers; the next run tries again
        └── TemporaryFailure     one attempt failed in a way a wait may cure; the
            │                    retry loop (``monitor.retry``) waits and tries again
            └── RateLimited      the platform asked us to slow down, until ``retry_after``

Messages are for the social-media team (Bahasa Indonesia) and never carry a
secret; ``advice`` says what to do about a broken source.
"""

from __future__ import annotations


class SourceError(Exception):
    """A source could not finish this run."""


class SourceBroken(SourceError):
    """A source that only a person can mend; ``code`` names the cause for alarms and dashboards."""

    def __init__(self, message: str, code: str, advice: str) -> None:
        super().__init__(message)
        self.code = code
        self.advice = advice

    def __str__(self) -> str:
        return f"{self.args[0]}. {self.advice}"


class SourceUnavailable(SourceError):
    """A source that failed for now; the next run tries again."""


class TemporaryFailure(SourceUnavailable):
    """One attempt failed; ``retry_after`` is the wait the platform asked for, when it said."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimited(TemporaryFailure):
    """The platform's rate limit is used up until ``retry_after`` seconds from now (None: it did not say)."""
