"""Publication channels built from the settings: the edge where credentials meet the client libraries.

tweepy and instagrapi are imported only when their channel is built: most
commands never post, and instagrapi alone takes a noticeable time to import.
"""

from __future__ import annotations

from publisher import Channel, OutboxChannel
from satukanal.config.settings import X_CREDENTIAL_ENVS, Settings


class ChannelSetupError(Exception):
    """A channel cannot be built: missing credentials or account; the message says what to set."""


def build_channel(settings: Settings, name: str) -> Channel:
    if name == "outbox":
        return OutboxChannel(settings.publish.outbox_dir)
    if name == "x":
        return _x_channel(settings)
    if name == "instagram":
        return _instagram_channel(settings)
    raise ChannelSetupError(f"kanal {name!r} tidak dikenal (pilihan: outbox, x, instagram)")


def _x_channel(settings: Settings) -> Channel:
    import tweepy

    from publisher.x_channel import XChannel
    from satukanal.platforms.timeouts import REQUEST_TIMEOUT_SECONDS, TimeoutAdapter

    keys = settings.x_credentials
    if keys is None:
        raise ChannelSetupError(f"kanal x: kunci X belum diatur; isi {', '.join(X_CREDENTIAL_ENVS.values())}")
    client = tweepy.Client(
        consumer_key=keys.consumer_key,
        consumer_secret=keys.consumer_secret,
        access_token=keys.access_token,
        access_token_secret=keys.access_token_secret,
    )
    client.session.mount("https://", TimeoutAdapter(REQUEST_TIMEOUT_SECONDS))
    return XChannel(client)


def _instagram_channel(settings: Settings) -> Channel:
    from publisher.instagram_channel import InstagramChannel
    from satukanal.platforms.instagram import InstagramLoginError, office_client

    if not settings.instagram.username:
        raise ChannelSetupError("kanal instagram: isi instagram.username di berkas konfigurasi")
    try:
        client = office_client(settings)
    except InstagramLoginError as exc:
        raise ChannelSetupError(f"kanal instagram: {exc}") from None
    return InstagramChannel(client)
