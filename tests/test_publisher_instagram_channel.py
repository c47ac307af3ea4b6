"""The Instagram channel against a fake i.instagram.com: posting, finding a post again, and failures."""

import pytest
import requests

from monitor.instagram_errors import PLEASE_WAIT_SECONDS
from publisher.channels import Item, PublishError
from publisher.instagram_channel import InstagramChannel
from satukanal.platforms.instagram import instagram_client
from tests import instagram_fakes as fake
from tests.instagram_fakes import USER_ID, USERNAME

CAPTION = (
    "Rekap aduan warganet Tuban, pekan 47 (16–22 November 2026)\n\n"
    "12 aduan diterima, 9 sudah diteruskan ke OPD.\n\n#Tuban #LaporTuban"
)
PK = "3700000000000000047"


@pytest.fixture
def session_file(tmp_path):
    return tmp_path / "instagram-session.json"


@pytest.fixture
def channel(instagram, session_file):
    return InstagramChannel(fake.logged_in_client(session_file, instagram))


def recap(cards: int = 1, caption: str = CAPTION) -> Item:
    """A weekly item as the renderer makes it: the caption file ends with a newline."""
    files: dict[str, str | bytes] = {"instagram-caption.txt": caption + "\n"}
    files.update({f"card-{number}.png": fake.card_png() for number in range(1, cards + 1)})
    return Item(key="weekly-2026-W47", files=files)


def test_one_card_is_posted_as_a_photo_with_the_caption(instagram, channel):
    instagram.recent_posts()
    instagram.post_accepted(fake.post(PK, CAPTION))

    assert channel.publish(recap(cards=1)) == [PK]

    (upload,) = instagram.uploads()
    (configured,) = instagram.forms("media/configure/")
    assert configured["caption"] == CAPTION
    assert configured["upload_id"] == upload["upload_id"]
    assert "is_sidecar" not in upload
    assert not instagram.calls("media/configure_sidecar/")


def test_two_cards_are_posted_as_one_album_with_the_caption(instagram, channel):
    instagram.post_accepted(fake.post(PK, CAPTION, album=True))

    assert channel.publish(recap(cards=2)) == [PK]

    uploads = instagram.uploads()
    (configured,) = instagram.forms("media/configure_sidecar/")
    assert configured["caption"] == CAPTION
    assert [child["upload_id"] for child in configured["children_metadata"]] == [u["upload_id"] for u in uploads]
    assert [upload["is_sidecar"] for upload in uploads] == ["1", "1"]
    assert not instagram.calls("media/configure/")


def test_find_published_finds_our_post_by_its_caption(instagram, channel):
    reflowed = CAPTION.replace("\n\n", " \r\n\r\n") + "  "
    instagram.recent_posts(fake.post("3700000000000000050", "Info vaksinasi"), fake.post(PK, reflowed))

    assert channel.find_published(recap()) == [PK]


def test_find_published_is_none_when_no_recent_post_has_the_caption(instagram, channel):
    instagram.recent_posts(fake.post("3700000000000000050", "Info vaksinasi"), fake.post("3700000000000000051", None))

    assert channel.find_published(recap()) is None


def test_find_published_raises_when_instagram_cannot_answer(instagram, channel):
    instagram.reply("GET", f"feed/user/{USER_ID}/", {"message": "", "status": "fail"}, status=500)

    with pytest.raises(PublishError) as failed:
        channel.find_published(recap())

    assert failed.value.retryable


class Crash(BaseException):
    """The process dies here: nothing in instagrapi or the channel gets to handle it."""


def crash(request):
    raise Crash()


def test_a_crash_after_instagram_accepted_the_post_is_found_on_restart(instagram, session_file):
    channel = InstagramChannel(fake.logged_in_client(session_file, instagram))
    instagram.recent_posts()
    instagram.post_accepted(fake.post(PK, CAPTION))
    instagram.mock.remove("POST", fake.API + "qe/expose/")
    instagram.mock.add_callback("POST", fake.API + "qe/expose/", callback=crash)  # the call after configure

    with pytest.raises(Crash):
        channel.publish(recap())
    instagram.recent_posts(fake.post(PK, CAPTION))
    restarted = InstagramChannel(instagram_client(session_file, USERNAME, delay_seconds=(0, 0)))

    assert restarted.find_published(recap()) == [PK]
    assert len(instagram.forms("media/configure/")) == 1


FEEDBACK_REQUIRED = {
    "message": "feedback_required",
    "spam": True,
    "feedback_title": "Try Again Later",
    "feedback_message": "We restrict certain activity to protect our community.",
    "feedback_url": "repute/report_problem/scraping/",
    "feedback_action": "report_problem",
    "status": "fail",
}
PLEASE_WAIT = {"message": "Please wait a few minutes before you try again.", "status": "fail"}


@pytest.mark.parametrize(
    ("status", "reply", "retryable", "retry_after", "advice"),
    [
        pytest.param(403, {"json": fake.LOGIN_REQUIRED}, False, None, "sessionid baru", id="login-required"),
        pytest.param(400, {"json": fake.challenge()}, False, None, "buka aplikasi Instagram", id="challenge"),
        pytest.param(400, {"json": FEEDBACK_REQUIRED}, False, None, "buka aplikasi Instagram", id="feedback"),
        pytest.param(400, {"json": PLEASE_WAIT}, True, PLEASE_WAIT_SECONDS, "jeda", id="please-wait"),
        pytest.param(
            429, {"json": {"status": "fail"}, "headers": {"Retry-After": "120"}}, True, 120, "jeda", id="throttled"
        ),
        pytest.param(500, {"body": "<html>Oops</html>"}, True, None, "HTTP 500", id="server-error"),
        pytest.param(503, {"json": {"message": "", "status": "fail"}}, True, None, "HTTP 503", id="unavailable"),
        pytest.param(200, {"body": '{"media": {"pk": '}, True, None, "tidak dapat dibaca", id="malformed-json"),
        pytest.param(
            400,
            {"json": {"message": "Uploaded image isn't in an allowed aspect ratio", "status": "fail"}},
            False,
            None,
            "Instagram menolak unggahan (UnknownError): Uploaded image isn't in an allowed aspect ratio",
            id="content-refused",
        ),
    ],
)
def test_what_instagram_answers_decides_whether_to_retry(
    instagram, channel, status, reply, retryable, retry_after, advice
):
    instagram.recent_posts()
    instagram.post_accepted(fake.post(PK, CAPTION))
    instagram.mock.upsert("POST", fake.API + "media/configure/", status=status, **reply)

    with pytest.raises(PublishError) as failed:
        channel.publish(recap())

    assert failed.value.retryable is retryable
    assert failed.value.retry_after == retry_after
    assert advice in str(failed.value)
    assert not instagram.challenge_calls()


def test_losing_the_network_during_the_upload_can_be_retried(instagram, channel):
    instagram.recent_posts()
    instagram.post_accepted(fake.post(PK, CAPTION))
    instagram.mock.upsert("POST", fake.UPLOAD, body=requests.ConnectionError("connection reset"))

    with pytest.raises(PublishError) as failed:
        channel.publish(recap())

    assert failed.value.retryable
    assert not instagram.calls("media/configure/")


def test_a_caption_over_instagrams_limit_is_refused_before_uploading(instagram, channel):
    with pytest.raises(PublishError) as refused:
        channel.publish(recap(caption="a" * 2201))

    assert not refused.value.retryable
    assert "2201" in str(refused.value)
    assert not instagram.uploads()


def test_an_item_without_a_card_is_refused(instagram, channel):
    with pytest.raises(PublishError) as refused:
        channel.publish(recap(cards=0))

    assert "card-1.png" in str(refused.value)
    assert not instagram.uploads()
