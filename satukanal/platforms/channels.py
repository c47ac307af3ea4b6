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
    if settings.instagram.api == "graph":
        return _instagram_graph_channel(settings)
    from publisher.instagram_channel import InstagramChannel
    from satukanal.platforms.instagram import InstagramLoginError, office_client

    if not settings.instagram.username:
        raise ChannelSetupError("kanal instagram: isi instagram.username di berkas konfigurasi")
    try:
        client = office_client(settings)
    except InstagramLoginError as exc:
        raise ChannelSetupError(f"kanal instagram: {exc}") from None
    return InstagramChannel(client)


def _instagram_graph_channel(settings: Settings) -> Channel:
    """Instagram through Meta's official API: the cards are offered to Meta at unguessable addresses of the web
    app (``meta.public_base_url``), signed with the web app's own key."""
    from publisher.instagram_graph import InstagramGraphChannel
    from satukanal.platforms.meta import MetaSetupError, graph_client
    from satukanal.publishing.public_cards import card_addresses
    from satukanal.web.security import session_secret

    try:
        client, user_id = graph_client(settings)
    except MetaSetupError as exc:
        raise ChannelSetupError(f"kanal instagram: {exc}") from None
    if not settings.meta.public_base_url:
        raise ChannelSetupError(
            "kanal instagram: isi meta.public_base_url, alamat web SatuKanal di internet tempat Meta mengambil kartu"
        )
    cards = card_addresses(settings.meta.public_base_url, session_secret(settings))
    # Under Facebook Login, Instagram messages go through the Page: "me" is the Page for its Page token.
    return InstagramGraphChannel(client, user_id, cards, messaging_id="me")
