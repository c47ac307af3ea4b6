"""Collecting from Instagram through Meta's Graph API against a fake graph.facebook.com: every item once, news for
a request per feed, a crash resumed, a bad item alone refused, Meta's failures told apart, the token kept safe."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
import requests
import responses

from monitor import Retrier, SourceBroken, SourceUnavailable, TemporaryFailure
from monitor.graph_api import GraphClient
from monitor.instagram_graph import PERMISSIONS, InstagramGraphSource
from monitor.instagram_graph_items import NO_CAPTION
from monitor.records import Media
from satukanal.intake.meta_records import comment_record
from tests.graph_feed_fakes import (
    ASKED,
    CDN,
    CITIZEN,
    CITIZEN_ID,
    COMMENTS_A,
    COMMENTS_B,
    EXPIRED_TOKEN,
    MEDIA,
    POST_A,
    POST_B,
    TAGS,
    TOKEN,
    USER_ID,
    USERNAME,
    FakeGraph,
    comment,
    cursor,
    graph_error,
    our_posts,
    stamp,
    tag_list,
    tagged,
    watched_account,
)
from tests.graph_feed_fakes import drain as run

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
SERVER_ERROR = graph_error(2, "An unexpected error has occurred. Please retry your request later.")
TAG_FIELDS_ASKED = "id caption username timestamp permalink media_type media_url thumbnail_url"
NO_PERMISSION = graph_error(10, "Application does not have permission for this action")
TOO_MANY = graph_error(80002, "There have been too many calls to this Instagram account. Wait a bit and try again.")
EVERY_COMMENT = {"17900000000000001", ASKED, "17900000000000003", *(f"179000000000000{n}" for n in (11, 12, 13))}


@pytest.fixture
def graph():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield watched_account(FakeGraph(mock))


def source(**options) -> InstagramGraphSource:
    options.setdefault("retrier", Retrier(attempts=2, sleep=lambda seconds: None))
    client = GraphClient(requests.Session(), TOKEN)
    return InstagramGraphSource("ig-graph", client, USER_ID, "@Humas.Uji", clock=lambda: NOW, **options)


def paths(graph: FakeGraph) -> list[str]:
    return [seen.path for seen in graph.requests]


def test_a_first_run_reads_every_page_of_tags_and_comments_with_the_token_only_in_the_header(graph):
    cursors: dict[str, str] = {}
    first = run(source(), cursors)

    assert first.failure is None and first.errors == []
    assert first.ids("tag") == [tag["id"] for tag in tag_list()]
    assert first.ids("post") == [POST_A, POST_B]
    assert set(first.ids("comment")) == EVERY_COMMENT and len(first.ids("comment")) == 6
    assert paths(graph) == [TAGS] * 3 + [MEDIA, COMMENTS_A, f"{ASKED}/replies", COMMENTS_A]
    assert all(seen.authorization == f"Bearer {TOKEN}" for seen in graph.requests)
    assert not [seen.url for seen in graph.requests if TOKEN in seen.url or "access_token" in seen.url]
    assert set(graph.requests[0].query["fields"].split(",")) == set(TAG_FIELDS_ASKED.split())
    assert "replies{" in graph.calls(COMMENTS_A)[0].query["fields"]
    assert graph.calls(MEDIA)[0].query["limit"] == "12"

    tags = {record.platform_id: record for record in first.records if record.kind == "tag"}
    newest = tags["18000000000000005"]
    assert (newest.author, newest.account, newest.author_id) == (CITIZEN, USERNAME, None)
    assert newest.text == "@humas.uji jalan di Jl. Basuki Rahmat berlubang"
    assert newest.created_at == datetime(2026, 11, 20, 5, tzinfo=UTC)
    assert newest.url == tag_list()[0]["permalink"]
    assert newest.media == (Media(type="photo", url=f"{CDN}18000000000000005.jpg"),)
    video = Media(type="video", url=f"{CDN}18000000000000004.mp4", preview_url=f"{CDN}18000000000000004.jpg")
    assert tags["18000000000000004"].media == (video,)
    assert tags["18000000000000002"].text == NO_CAPTION
    ours = next(record for record in first.records if record.platform_id == POST_A)
    assert (ours.author, ours.text) == (USERNAME, "Info pemadaman air PDAM")

    comments = {record.platform_id: record for record in first.records if record.kind == "comment"}
    top, answer = comments[ASKED], comments["17900000000000013"]
    assert (top.in_reply_to, top.author, top.author_id, top.url) == (None, CITIZEN, CITIZEN_ID, ours.url)
    assert top.raw == {"graph_media_id": POST_A}
    assert answer.in_reply_to == ASKED, "a reply on the replies edge answers its comment"
    assert comments["17900000000000011"].in_reply_to == ASKED, "a reply without parent_id answers the one above it"
    assert json.loads(cursors["tags"]) == {"since": str(int(datetime(2026, 11, 20, 5, tzinfo=UTC).timestamp()))}
    assert cursors[f"comment_count:{POST_A}"] == "6"
    assert f"comment_count:{POST_B}" not in cursors and graph.calls(COMMENTS_B) == [], "no comments, nothing asked"


def test_a_rerun_with_no_news_asks_once_per_feed(graph):
    cursors: dict[str, str] = {}
    run(source(), cursors)
    graph.requests.clear()

    quiet = run(source(), cursors)

    assert (quiet.records, quiet.errors, quiet.failure) == ([], [], None)
    assert paths(graph) == [TAGS, MEDIA]


def test_news_is_read_alone_a_new_tag_on_top_and_the_comments_of_the_posts_whose_count_grew(graph):
    cursors: dict[str, str] = {}
    seen = {record.platform_id for record in run(source(), cursors).records}
    graph.requests.clear()
    graph.edge(TAGS, [tagged("18000000000000006", "Pohon tumbang di Jl. Sunan Kalijogo", stamp(22, 1)), *tag_list()])
    graph.edge(MEDIA, our_posts(comments_on_a=7, comments_on_b=1))
    graph.edge(COMMENTS_B, [comment("17900000000000021", "Rutenya lewat mana min?", stamp(22, 2))])
    thread = graph.edges[COMMENTS_A][0]  # a reply to the oldest comment, listed under it on the last page
    late = comment("17900000000000022", "Masih mati min", stamp(22, 3), parent_id="17900000000000001")
    graph.edge(COMMENTS_A, thread[:2] + [thread[2] | {"replies": {"data": [late]}}])

    news = run(source(), cursors)

    assert paths(graph) == [TAGS, MEDIA, COMMENTS_A, f"{ASKED}/replies", COMMENTS_A, COMMENTS_B]
    assert news.ids("tag") == ["18000000000000006"] and news.ids("post") == []
    fresh = [record.platform_id for record in news.records if record.platform_id not in seen]
    assert fresh == ["18000000000000006", "17900000000000022", "17900000000000021"]
    assert len(news.ids("comment")) == 8, "a grown post is read whole; the store skips the six it has"
    assert (cursors[f"comment_count:{POST_A}"], cursors[f"comment_count:{POST_B}"]) == ("7", "1")


def test_a_run_cut_off_by_server_errors_resumes_from_the_stored_page_cursor_losing_and_repeating_nothing(graph):
    graph.fail(TAGS, 500, SERVER_ERROR, times=2, after=cursor(1))  # both attempts at the second page
    graph.fail(COMMENTS_A, 503, SERVER_ERROR, times=2, after=cursor(1))
    cursors: dict[str, str] = {}

    cut = run(source(), cursors)

    assert isinstance(cut.failure, TemporaryFailure) and "server Meta sedang bermasalah" in str(cut.failure)
    assert cut.ids("tag") == ["18000000000000005", "18000000000000004"]
    assert json.loads(cursors["tags"])["resume"] == cursor(1)
    graph.requests.clear()

    rest = run(source(), cursors)

    assert isinstance(rest.failure, TemporaryFailure), "the comments' second page fails in this run"
    assert [seen.query.get("after") for seen in graph.calls(TAGS)] == [cursor(1), cursor(3)]
    assert sorted(cut.ids("tag") + rest.ids("tag")) == sorted(tag["id"] for tag in tag_list())
    assert f"comment_count:{POST_A}" not in cursors, "a post's count is stored once all its comments are"
    graph.requests.clear()

    last = run(source(), cursors)

    assert last.failure is None and last.ids("tag") == []
    assert [seen.query.get("after") for seen in graph.calls(COMMENTS_A)] == [cursor(1)]
    assert sorted(rest.ids("comment") + last.ids("comment")) == sorted(EVERY_COMMENT)
    assert cursors[f"comment_count:{POST_A}"] == "6"


def test_a_malformed_item_costs_only_itself(graph):
    odd = [
        tagged("18000000000000009", "Jalan rusak\x00 <b>parah</b> \ud800min", stamp(22, 3)),
        {"caption": "tanpa id", "timestamp": stamp(22, 2), "username": CITIZEN},
        tagged("18000000000000008", "jam aneh", "kemarin sore"),
        tagged("18000000000000007", "Got mampet", stamp(22, 1), username="nama\x00palsu"),
    ]
    graph.edge(TAGS, odd + tag_list())
    no_time = comment("17900000000000004", "tanpa waktu", "") | {
        "replies": {
            "data": [comment("17900000000000014", "Balasan tetap masuk", stamp(21, 9), parent_id="17900000000000004")]
        }
    }
    graph.edge(COMMENTS_A, [no_time, comment("17900000000000003", "Air mati lagi min", stamp(21, 4))])

    result = run(source(), {})

    assert result.failure is None
    assert result.ids("tag") == ["18000000000000009"] + [tag["id"] for tag in tag_list()]
    assert result.records[0].text == "Jalan rusak <b>parah</b> min", "NUL and a lone surrogate dropped, HTML kept"
    assert len(result.errors) == 4
    assert result.errors[0] == "postingan tanpa id tidak terbaca, dilewati: id tidak ada atau bukan angka"
    assert result.errors[1].startswith("postingan 18000000000000008 tidak terbaca") and "created_at" in result.errors[1]
    assert result.errors[2].startswith("postingan 18000000000000007") and "karakter kendali" in result.errors[2]
    assert result.errors[3].startswith("komentar 17900000000000004 tidak terbaca")
    assert result.ids("comment") == ["17900000000000014", "17900000000000003"]


DELETED = graph_error(100, "Unsupported get request. Object with ID '17990000000000002' does not exist", 33)


def test_a_post_deleted_after_it_was_listed_costs_only_its_comments(graph):
    graph.edge(MEDIA, our_posts(comments_on_a=6, comments_on_b=1))
    graph.edge(COMMENTS_B, [comment("17900000000000021", "Jalan Widang kapan diaspal min?", stamp(22, 2))])
    graph.fail(COMMENTS_A, 400, DELETED, times=5)
    cursors: dict[str, str] = {}

    result = run(source(), cursors)

    assert result.failure is None, "the run goes on to the next post"
    assert result.ids("comment") == ["17900000000000021"] and len(graph.calls(COMMENTS_A)) == 1, "not retried"
    [line] = result.errors
    assert line.startswith(f"komentar {our_posts()[0]['permalink']} dilewati: postingan sudah tidak ada")
    assert "kode 100/33" in line and TOKEN not in line
    assert cursors[f"comment_count:{POST_B}"] == "1"


def test_a_comment_deleted_while_its_replies_are_read_keeps_what_was_read(graph):
    graph.fail(f"{ASKED}/replies", 400, DELETED, times=5)

    result = run(source(), {})

    assert result.failure is None
    assert set(result.ids("comment")) == EVERY_COMMENT - {"17900000000000013"}, "only the unread reply is missing"
    [line] = result.errors
    assert line.startswith(f"balasan komentar {ASKED} dilewati: komentar sudah tidak ada") and "kode 100/33" in line


@pytest.mark.parametrize(
    ("status", "error", "expected", "code", "advice"),
    [
        (400, EXPIRED_TOKEN, SourceBroken, "instagram-graph-token", "token akses jangka panjang"),
        (403, NO_PERMISSION, SourceBroken, "instagram-graph-permission", ", ".join(PERMISSIONS)),
        (400, graph_error(100, "Unsupported get request.", 33), SourceUnavailable, None, None),
    ],
)
def test_what_meta_refuses_is_told_apart_and_not_retried(graph, status, error, expected, code, advice):
    graph.fail(TAGS, status, error, times=5)

    failure = run(source(), {}).failure

    assert type(failure) is expected and len(graph.requests) == 1
    assert error["error"]["message"] in str(failure) and TOKEN not in str(failure)
    assert getattr(failure, "code", None) == code and (advice is None or advice in failure.advice)


def test_a_rate_limit_waits_the_time_meta_suggests(graph):
    usage = {USER_ID: [{"type": "instagram", "call_count": 100, "estimated_time_to_regain_access": 3}]}
    graph.fail(TAGS, 400, TOO_MANY, X_Business_Use_Case_Usage=json.dumps(usage))
    slept: list[float] = []

    result = run(source(retrier=Retrier(attempts=3, sleep=slept.append)), {})

    assert result.failure is None and len(result.ids("tag")) == 5
    assert slept == [181.0], "three minutes, and the second they end in"


def test_check_names_the_account_and_the_feeds_and_warns_before_the_token_expires(graph):
    assert source(token_expires_at=NOW + timedelta(days=60)).check() == [
        f"akun @{USERNAME} (id {USER_ID}): 42 postingan",
        f"tag @{USERNAME} dapat dibaca",
        f"2 postingan terbaru @{USERNAME} dapat dibaca",
        "komentar dapat dibaca",
        "token berlaku sampai 2027-02-04 09:00 UTC",
    ]
    soon = source(token_expires_at=NOW + timedelta(days=4, hours=2)).check()
    assert soon[0] == "PERINGATAN: token akses Meta habis dalam 5 hari (2026-12-10 11:00 UTC); perpanjang sebelum itu"
    graph.requests.clear()

    with pytest.raises(SourceBroken) as expired:
        source(token_expires_at=NOW - timedelta(hours=1)).check()

    assert expired.value.code == "instagram-graph-token" and graph.requests == []
    graph.node(USER_ID, {"id": USER_ID, "username": "dinas.lain", "media_count": 3})
    assert source().check()[0] == f"PERINGATAN: id {USER_ID} milik @dinas.lain, bukan @{USERNAME} yang dipantau"


def test_check_asks_once_without_retrying(graph):
    graph.fail(TAGS, 500, SERVER_ERROR, times=5)

    with pytest.raises(TemporaryFailure):
        source().check()

    assert len(graph.calls(TAGS)) == 1


def test_a_run_logs_the_expiry_warning_once(graph, caplog):
    with caplog.at_level(logging.WARNING, logger="monitor.instagram_graph"):
        run(source(token_expires_at=NOW + timedelta(days=3)), {})

    warnings = [entry.getMessage() for entry in caplog.records if entry.name == "monitor.instagram_graph"]
    assert warnings == [
        "ig-graph: PERINGATAN: token akses Meta habis dalam 3 hari (2026-12-09 09:00 UTC); perpanjang sebelum itu"
    ]


def test_a_polled_comment_is_the_record_the_webhook_makes_so_it_is_stored_once(graph):
    polled = {record.platform_id: record for record in run(source(), {}).records if record.kind == "comment"}

    for comment_id, parent in [(ASKED, None), ("17900000000000012", ASKED)]:
        value = {"from": {"id": CITIZEN_ID, "username": CITIZEN}, "media": {"id": POST_A, "media_product_type": "FEED"}}
        value |= {"id": comment_id, "text": "sama saja"} | ({"parent_id": parent} if parent else {})
        pushed = comment_record(value, USERNAME, NOW.isoformat())
        mine = polled[comment_id]
        same = ("platform", "platform_id", "kind", "in_reply_to", "author", "author_id", "account")
        assert [getattr(mine, name) for name in same] == [getattr(pushed, name) for name in same]
        assert mine.raw["graph_media_id"] == pushed.raw["graph_media_id"] == POST_A


def test_a_backfill_reads_past_the_cursors_and_the_page_limit_back_to_its_start(graph):
    cursors: dict[str, str] = {}
    run(source(max_pages=1), cursors)
    assert json.loads(cursors["tags"])["resume"] == cursor(1), "the page limit left the feed half-read"
    run(source(), cursors)
    graph.requests.clear()

    backfill = run(source(since=datetime(2026, 11, 20, 2, 30, tzinfo=UTC), max_pages=1), cursors)

    assert backfill.ids("tag") == ["18000000000000005", "18000000000000004", "18000000000000003"]
    assert [seen.query.get("after") for seen in graph.calls(TAGS)] == [None, cursor(1)]
    assert set(backfill.ids("comment")) == EVERY_COMMENT, "every comment, though no count grew"
    assert graph.calls(COMMENTS_B), "post B's comments are asked for too"


def test_an_unknown_stream_or_a_user_id_that_is_no_number_is_refused():
    client = GraphClient(requests.Session(), TOKEN)
    with pytest.raises(ValueError, match="hashtags"):
        InstagramGraphSource("ig", client, USER_ID, USERNAME, streams=["hashtags"], retrier=Retrier())
    with pytest.raises(ValueError, match="not a number"):
        InstagramGraphSource("ig", client, "../me", USERNAME, retrier=Retrier())
