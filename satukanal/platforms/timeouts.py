"""A timeout on every request: tweepy and instagrapi pass none, and a stalled connection would hang a job for good."""

from __future__ import annotations

from requests.adapters import HTTPAdapter

REQUEST_TIMEOUT_SECONDS = 60


class TimeoutAdapter(HTTPAdapter):
    """Gives every request without a timeout of its own ``timeout`` seconds."""

    def __init__(self, timeout: float, max_retries: int = 0) -> None:
        super().__init__(max_retries=max_retries)
        self.timeout = timeout

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)
