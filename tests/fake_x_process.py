"""Run the ``satukanal`` CLI in a process of its own against a fake X account kept in a JSON file.

``python -m tests.fake_x_process STATE HANG_AFTER -- satukanal-arguments`` serves X's endpoints through
``tests.x_fake.FakeX`` on the real tweepy code path. X's state (tweets, uploads, last ids) is loaded from
STATE and written back after every change, so a second process sees what the first one posted. With
HANG_AFTER >= 0, the tweet after that many tweets is never answered: the process writes ``STATE.hung``
and waits there, to be killed mid-thread.
"""

from __future__ import annotations

import base64
import json
import sys
import time
from pathlib import Path

import responses

from satukanal.cli import main
from tests.x_fake import FakeX


class PersistentX(FakeX):
    def __init__(self, mock, state: Path, hang_after: int) -> None:
        super().__init__(mock)
        self.state, self.hang_after = state, hang_after
        if state.exists():
            saved = json.loads(state.read_text(encoding="utf-8"))
            self.tweets, self.media = saved["tweets"], saved["media"]
            self.uploads = {key: base64.b64decode(value) for key, value in saved["uploads"].items()}
            self._last_tweet_id, self._last_media_id = saved["last_tweet_id"], saved["last_media_id"]

    def _tweets(self, request, params):
        if 0 <= self.hang_after <= len(self.tweets):
            self.state.with_suffix(".hung").write_text(str(len(self.tweets)), encoding="utf-8")
            time.sleep(3600)
        return self._saved(super()._tweets(request, params))

    def _upload(self, request, params):
        return self._saved(super()._upload(request, params))

    def _saved(self, answer):
        saved = {
            "tweets": self.tweets,
            "media": self.media,
            "uploads": {key: base64.b64encode(value).decode("ascii") for key, value in self.uploads.items()},
            "last_tweet_id": self._last_tweet_id,
            "last_media_id": self._last_media_id,
        }
        temporary = self.state.with_suffix(".tmp")
        temporary.write_text(json.dumps(saved), encoding="utf-8")
        temporary.replace(self.state)
        return answer


def run(arguments: list[str]) -> None:
    state, hang_after, separator, *command = arguments
    assert separator == "--", "usage: STATE HANG_AFTER -- satukanal-arguments"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        PersistentX(mock, Path(state), int(hang_after))
        sys.argv = ["satukanal", *command]
        main()


if __name__ == "__main__":
    run(sys.argv[1:])
