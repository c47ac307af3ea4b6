"""Channels built from the settings: credentials from the environment, clear errors when they are missing."""

from dataclasses import replace

import pytest
import responses

from publisher import OutboxChannel
from satukanal.config.settings import XCredentials, load_settings
from satukanal.platforms.channels import ChannelSetupError, build_channel
from satukanal.platforms.timeouts import REQUEST_TIMEOUT_SECONDS


def test_the_outbox_needs_nothing_and_unknown_channels_are_refused(settings):
    assert isinstance(build_channel(settings, "outbox"), OutboxChannel)
    with pytest.raises(ChannelSetupError, match="kanal 'telegram' tidak dikenal"):
        build_channel(settings, "telegram")


def test_x_without_keys_names_the_variables_to_set(settings):
    with pytest.raises(ChannelSetupError, match="SATUKANAL_X_CONSUMER_KEY, SATUKANAL_X_CONSUMER_SECRET"):
        build_channel(settings, "x")


def test_incomplete_x_keys_are_a_configuration_error(tmp_path):
    from satukanal.config.settings import ConfigError

    with pytest.raises(ConfigError, match="set SATUKANAL_X_ACCESS_TOKEN_SECRET as well"):
        load_settings(
            environ={
                "SATUKANAL_X_CONSUMER_KEY": "k",
                "SATUKANAL_X_CONSUMER_SECRET": "s",
                "SATUKANAL_X_ACCESS_TOKEN": "t",
            },
            cwd=tmp_path,
        )


def test_x_requests_never_wait_forever_and_keys_stay_out_of_reprs(settings):
    keys = XCredentials("consumer-key-1234", "consumer-secret-5678", "access-token-9012", "access-secret-3456")
    channel = build_channel(replace(settings, x_credentials=keys), "x")
    assert "consumer-secret-5678" not in repr(keys) and "access-secret-3456" not in repr(
        replace(settings, x_credentials=keys)
    )
    with responses.RequestsMock() as mock:
        mock.get("https://api.twitter.com/2/users/me", json={"data": {"id": "1", "name": "a", "username": "a"}})
        channel.client.get_me(user_auth=True)
        assert mock.calls[0].request.req_kwargs["timeout"] == REQUEST_TIMEOUT_SECONDS


def test_instagram_needs_an_account_and_a_first_login(settings):
    with pytest.raises(ChannelSetupError, match="isi instagram.username"):
        build_channel(settings, "instagram")
    account = settings.instagram.model_copy(update={"username": "laportuban"})
    missing = settings.data_dir / "no-session.json"
    with pytest.raises(
        ChannelSetupError,
        match="kanal instagram: belum ada sesi.*SATUKANAL_INSTAGRAM_PASSWORD.*SATUKANAL_INSTAGRAM_SESSIONID",
    ):
        build_channel(replace(settings, instagram=account.model_copy(update={"session_file": missing})), "instagram")


def test_instagram_through_the_official_api_says_what_is_missing_then_offers_signed_card_addresses(settings):
    from publisher import Item
    from publisher.instagram_graph import InstagramGraphChannel

    graph = replace(settings, instagram=settings.instagram.model_copy(update={"api": "graph"}))
    with pytest.raises(ChannelSetupError, match="meta.ig_user_id dan SATUKANAL_META_ACCESS_TOKEN"):
        build_channel(graph, "instagram")
    account = graph.meta.model_copy(update={"ig_user_id": "17841400000000001"})
    graph = replace(graph, meta=account, meta_access_token="EAAuji0dummy", secret_key="kunci-uji")
    with pytest.raises(ChannelSetupError, match="meta.public_base_url"):
        build_channel(graph, "instagram")

    published = account.model_copy(update={"public_base_url": "https://satukanal.tubankab.go.id"})
    channel = build_channel(replace(graph, meta=published), "instagram")

    assert isinstance(channel, InstagramGraphChannel)
    url = channel.card_url(Item("weekly-2026-W47", {}), "card-1.png")
    assert url.startswith("https://satukanal.tubankab.go.id/kartu/weekly/2026-W47/") and url.endswith("/card-1.jpg")
    assert "kunci-uji" not in url and "EAAuji0dummy" not in repr(channel.__dict__)
