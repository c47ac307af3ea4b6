"""Replies to citizens: what they say, in Indonesian, within each platform's limit."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from publisher import (
    RenderError,
    ReplyContext,
    make_environment,
    render_acknowledgement,
    render_resolution,
    tweet_length,
)

LONG_AGENCY = "Dinas Perumahan Rakyat, Kawasan Permukiman dan Pertanahan Kabupaten Tuban"
REPLY = ReplyContext(
    author="@pemuda_jenu2026",  # 15 characters after the @
    platform="x",
    ticket_number="TBN-2026-000311",
    agency=LONG_AGENCY,
    category="Administrasi kependudukan",
    lapor_id="1234567890",
    resolved_on=date(2026, 11, 23),
    days_to_resolve=6.5,
)


@pytest.fixture
def environment():
    return make_environment()


def overriding(folder: Path, name: str, text: str):
    """An environment in which ``name`` is ``text``, shadowing the bundled template."""
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return make_environment(folder)


def test_acknowledgement_names_agency_ticket_and_lapor_within_one_tweet(environment):
    text = render_acknowledgement(environment, REPLY)
    assert text.startswith("@pemuda_jenu2026 Terima kasih")
    assert LONG_AGENCY in text and "TBN-2026-000311" in text
    assert "lapor.go.id" in text and "1234567890" in text
    assert tweet_length(text) <= 280


def test_acknowledgement_without_lapor_id_promises_news_instead(environment):
    text = render_acknowledgement(environment, replace(REPLY, lapor_id=None))
    assert "lapor.go.id" not in text
    assert "Kami kabari lagi" in text


def test_resolution_gives_the_date_in_indonesian_and_invites_a_reply(environment):
    text = render_resolution(environment, REPLY)
    assert text.startswith("@pemuda_jenu2026 ")
    assert f"sudah diselesaikan {LONG_AGENCY} pada Senin, 23 November 2026" in text
    assert "Balas saja pesan ini" in text
    assert tweet_length(text) <= 280


def test_instagram_replies_may_say_more(environment):
    reply = replace(REPLY, platform="instagram")
    acknowledgement = render_acknowledgement(environment, reply)
    resolution = render_resolution(environment, reply)
    assert "TBN-2026-000311" in acknowledgement and len(acknowledgement) <= 2200
    assert "6,5 hari sejak dilaporkan" in resolution and len(resolution) <= 2200


def test_replies_name_the_citizen_by_handle_only():
    reply = replace(REPLY, author="warga_tuban")
    assert reply.handle == "@warga_tuban" == replace(REPLY, author="@warga_tuban").handle
    with pytest.raises(ValueError, match="facebook"):
        replace(REPLY, platform="facebook")


def test_an_override_using_an_undefined_name_fails_with_template_and_line(tmp_path: Path):
    environment = overriding(
        tmp_path, "replies/acknowledgement.txt.j2", "{{ reply.handle }} Terima kasih.\n{{ reply.phone_number }}\n"
    )
    with pytest.raises(RenderError, match=r"replies/acknowledgement.txt.j2, baris 2: .*phone_number") as caught:
        render_acknowledgement(environment, REPLY)
    assert (caught.value.template, caught.value.line) == ("replies/acknowledgement.txt.j2", 2)


def test_a_reply_longer_than_a_tweet_is_refused_on_x_only(tmp_path: Path):
    environment = overriding(tmp_path, "replies/resolution.txt.j2", "{{ reply.handle }} " + "Sudah beres. " * 30)
    with pytest.raises(RenderError, match=r"replies/resolution.txt.j2: balasan \d+ karakter .*batas 280"):
        render_resolution(environment, REPLY)
    assert len(render_resolution(environment, replace(REPLY, platform="instagram"))) > 280


def test_a_reply_on_x_must_start_with_the_handle(tmp_path: Path):
    environment = overriding(tmp_path, "replies/acknowledgement.txt.j2", "Terima kasih {{ reply.handle }}")
    with pytest.raises(RenderError, match="harus diawali @pemuda_jenu2026"):
        render_acknowledgement(environment, REPLY)
