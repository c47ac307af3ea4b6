"""Previews of a post's media: only platform image hosts, only real images, bounded in size and count."""

import io
from dataclasses import replace

import pytest
import requests
import responses
from PIL import Image
from sqlalchemy import select

from monitor import Media, Page
from monitor.thumbnails import SIZE, ThumbnailFetcher
from satukanal.intake.service import run_source
from satukanal.models import Post
from satukanal.users.service import add_user
from satukanal.wiring import App
from tests.factories import record
from tests.web_helpers import PASSWORD, log_in, web_app

PHOTO = "https://pbs.twimg.com/media/Fjalan.jpg"


def jpeg(width: int = 1600, height: int = 1200) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "olive").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def fetcher(tmp_path):
    with requests.Session() as session:
        yield ThumbnailFetcher(session, tmp_path / "pratinjau", max_bytes=200_000, per_post=2)


@responses.activate
def test_a_photo_is_kept_as_our_own_small_jpeg(fetcher):
    responses.get(PHOTO, body=jpeg(), content_type="image/jpeg")
    (item,) = fetcher.fetch([{"type": "photo", "url": PHOTO}])
    with Image.open(fetcher.folder / item["thumbnail"]) as image:
        assert image.format == "JPEG" and max(image.size) == SIZE


@responses.activate
def test_what_is_not_a_bounded_image_from_a_platform_host_is_skipped(fetcher):
    responses.get("https://pbs.twimg.com/media/page.jpg", body="<html>login</html>", content_type="text/html")
    responses.get("https://pbs.twimg.com/media/fake.png", body=b"\x89PNG not really", content_type="image/png")
    responses.get("https://pbs.twimg.com/media/huge.jpg", body=b"\xff" * 300_000, content_type="image/jpeg")
    media = [
        {"type": "photo", "url": "https://pbs.twimg.com/media/page.jpg"},
        {"type": "photo", "url": "https://pbs.twimg.com/media/fake.png"},
        {"type": "photo", "url": "https://pbs.twimg.com/media/huge.jpg"},
        {"type": "photo", "url": "http://pbs.twimg.com/media/plain-http.jpg"},
        {"type": "photo", "url": "https://127.0.0.1/internal.jpg"},
        {"type": "video"},
    ]
    assert fetcher.fetch(media) == media
    assert len(responses.calls) == 3, "addresses off the platforms' hosts are never asked"
    assert not fetcher.folder.exists()


@responses.activate
def test_a_small_file_claiming_a_huge_image_is_refused_before_it_is_decoded(fetcher):
    buffer = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < fetcher.max_bytes
    responses.get("https://pbs.twimg.com/media/bomb.png", body=buffer.getvalue(), content_type="image/png")
    media = [{"type": "photo", "url": "https://pbs.twimg.com/media/bomb.png"}]
    assert fetcher.fetch(media) == media
    assert not fetcher.folder.exists()


@responses.activate
def test_at_most_per_post_previews_are_fetched(fetcher):
    for n in range(4):
        responses.get(f"https://scontent.cdninstagram.com/v/{n}.jpg", body=jpeg(200, 200), content_type="image/jpeg")
    media = [{"type": "photo", "url": f"https://scontent.cdninstagram.com/v/{n}.jpg"} for n in range(4)]
    fetched = fetcher.fetch(media)
    assert [("thumbnail" in item) for item in fetched] == [True, True, False, False]


@pytest.fixture
def thumbnail_app(settings):
    application = App(replace(settings, collect=settings.collect.model_copy(update={"thumbnails": True})))
    yield application
    application.close()


@responses.activate
def test_collected_media_get_previews_that_moderators_see_on_the_card(thumbnail_app):
    app = thumbnail_app
    responses.get(PHOTO, body=jpeg(), content_type="image/jpeg")

    class OnePost:
        name = "test"

        def pages(self, cursors):
            post = replace(record(id="m1"), media=(Media(type="photo", url=PHOTO, preview_url=PHOTO),))
            yield Page(records=[post], cursor_key="k", cursor_value="v")

    result = run_source(app, OnePost())
    assert result.added == 1
    with app.sessions() as session:
        (media,) = session.scalar(select(Post.media))
    assert media["url"] == PHOTO and media["thumbnail"].endswith(".jpg")

    with app.sessions.begin() as session:
        add_user(session, app.settings, "moderator1", "moderator", PASSWORD, "test")
    client = web_app(app).test_client()
    log_in(client)
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    assert f'src="/antrean/pratinjau/{media["thumbnail"]}"' in page
    with client.get(f"/antrean/pratinjau/{media['thumbnail']}") as image:
        assert image.status_code == 200 and image.mimetype == "image/jpeg"
        assert image.cache_control.private and not image.cache_control.public, "behind a login: never shared"
    assert client.get("/antrean/pratinjau/..%2Fsatukanal.db").status_code == 404
