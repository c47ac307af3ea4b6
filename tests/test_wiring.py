"""The App builds each dependency once per process: one channel per platform, whichever job asks for it."""

import threading
from dataclasses import replace

import pytest

from satukanal import wiring
from satukanal.config.settings import XCredentials
from satukanal.platforms.channels import ChannelSetupError
from satukanal.wiring import App

KEYS = XCredentials("consumer-key", "consumer-secret", "access-token", "access-secret")


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """The channel names the App asked ``build_channel`` for, in order."""
    asked: list[str] = []
    real = wiring.build_channel

    def counting(settings, name):
        asked.append(name)
        return real(settings, name)

    monkeypatch.setattr(wiring, "build_channel", counting)
    return asked


def test_each_channel_is_built_once_and_then_shared(settings, builds):
    app = App(replace(settings, x_credentials=KEYS))
    try:
        x, outbox = app.channel("x"), app.channel("outbox")
        assert app.channel("x") is x and app.channel("outbox") is outbox
        assert builds == ["x", "outbox"]
    finally:
        app.close()


def test_threads_asking_at_once_still_get_one_channel(settings, builds):
    app = App(replace(settings, x_credentials=KEYS))
    start = threading.Barrier(8)
    got = []

    def ask():
        start.wait()
        got.append(app.channel("x"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert builds == ["x"] and all(channel is got[0] for channel in got)
    finally:
        app.close()


def test_a_channel_that_cannot_be_built_is_tried_again_next_time(app, builds):
    for _ in range(2):
        with pytest.raises(ChannelSetupError, match="SATUKANAL_X_CONSUMER_KEY"):
            app.channel("x")
    assert builds == ["x", "x"], (
        "a failure is not kept: the next job tries again (an Instagram login may work once approved)"
    )
