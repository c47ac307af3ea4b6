"""Finding posts in the review queue: filters, search, pages that keep their filters, duplicates and bulk actions."""

import re

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from satukanal.models import Post, Ticket
from satukanal.review.service import confirm
from satukanal.web import review as review_page
from satukanal.web import tickets as tickets_page
from tests.factories import COMPLAINT, TICKET_PREFIX, add_posts, record
from tests.web_helpers import token


def _posts(app) -> list[Post]:
    with app.sessions() as session:
        return list(session.scalars(select(Post).options(joinedload(Post.classification))))


def test_the_queue_filters_by_platform_account_score_date_category_and_kecamatan(client, login, app):
    water, road, insta = add_posts(
        app,
        record(id="1", text=COMPLAINT, created_at="2026-11-16T08:00:00+07:00"),
        record(
            id="2", text="jalan di kerek rusak parah, banyak lubang, tolong", created_at="2026-11-18T08:00:00+07:00"
        ),
        record(
            id="3",
            text="sampah numpuk di pasar tambakboyo",
            platform="instagram",
            account="laportuban",
            created_at="2026-11-20T08:00:00+07:00",
        ),
    )
    login()

    def shown(query: str, status: str = "semua") -> set[int]:
        page = client.get(f"/antrean/?status={status}&{query}").get_data(as_text=True)
        return {int(found) for found in re.findall(r'data-post="(\d+)"', page)}

    assert shown("") == {water, road, insta}
    flagged = {post.id for post in _posts(app) if post.classification.flagged}
    assert shown("", "ditandai") == flagged and shown("", "tidak_ditandai") == {water, road, insta} - flagged
    assert shown("") == shown("", "ditandai") | shown("", "tidak_ditandai")
    assert shown("platform=instagram") == {insta}
    assert shown("akun=@LaporTuban") == {water, road, insta}
    assert shown("dari=2026-11-17&sampai=2026-11-18") == {road}
    assert shown("kecamatan=Jenu") == {water}
    assert shown("kategori=air_minum") == {water} and shown("opd=pdam") == {water}
    scores = {post.id: post.classification.score for post in _posts(app)}
    assert shown(f"skor_min={min(scores.values()) + 0.0001:.4f}") == set(scores) - {min(scores, key=scores.get)}
    for bad in (
        "skor_min=2",
        "dari=kemarin",
        "platform=tiktok",
        "kategori=jalan_tol",
        "kecamatan=Atlantis",
        "status=x",
    ):
        assert client.get(f"/antrean/?{bad}").status_code == 400
    page = client.get("/antrean/?status=semua&platform=x&kecamatan=Kerek").get_data(as_text=True)
    moved = client.post(
        f"/antrean/{road}/tolak?status=semua&platform=x&kecamatan=Kerek&evil=1",
        data={"csrf_token": token(page), "reason": "bukan_keluhan"},
    )
    assert moved.headers["Location"] == "/antrean/?status=semua&platform=x&kecamatan=Kerek"


def test_the_queue_and_the_ticket_list_page_through_long_lists_keeping_their_filters(client, login, app, monkeypatch):
    monkeypatch.setattr(review_page, "PAGE_SIZE", 5)
    monkeypatch.setattr(tickets_page, "PAGE_SIZE", 3)
    posts = add_posts(
        app,
        *(record(id=str(n), text=f"{COMPLAINT} #{n}", created_at=f"2026-11-0{n + 1}T08:00:00+07:00") for n in range(7)),
    )
    login()

    def cards(query: str) -> list[int]:
        page = client.get(f"/antrean/{query}").get_data(as_text=True)
        return [int(found) for found in re.findall(r'data-post="(\d+)"', page)]

    first, second = cards("?status=semua&platform=x"), cards("?status=semua&platform=x&halaman=2")
    assert first == posts[::-1][:5] and second == posts[::-1][5:], "newest first, every post on exactly one page"
    page = client.get("/antrean/?status=semua&platform=x&_external=1&_scheme=javascript").get_data(as_text=True)
    assert 'href="/antrean/?status=semua&amp;platform=x&amp;halaman=2" rel="next"' in page
    assert "javascript" not in page and 'rel="prev"' not in page
    previous = client.get("/antrean/?status=semua&platform=x&halaman=2").get_data(as_text=True)
    assert 'href="/antrean/?status=semua&amp;platform=x" rel="prev"' in previous and 'rel="next"' not in previous
    assert cards("?status=semua&halaman=3") == []
    for bad in ("0", "-1", "dua", "99999999"):
        assert client.get(f"/antrean/?halaman={bad}").status_code == 400
        assert client.get(f"/tiket/?halaman={bad}").status_code == 400

    with app.sessions.begin() as session:
        for post in posts:
            confirm(session, app.settings, post, "test")

    def numbers(query: str) -> list[str]:
        page = client.get(f"/tiket/{query}").get_data(as_text=True)
        return re.findall(r'<td class="number"><a href="/tiket/([^"]+)">', page)

    pages = [numbers(f"?opd=pdam&halaman={n}") for n in (1, 2, 3)]
    assert [len(listed) for listed in pages] == [3, 3, 1]
    assert len({number for listed in pages for number in listed}) == len(posts)
    assert 'href="/tiket/ekspor.csv?opd=pdam"' in client.get("/tiket/?opd=pdam&halaman=2").get_data(as_text=True)


def test_search_duplicates_and_bulk_actions(client, login, app):
    water, again, spam, chatter = add_posts(
        app,
        record(id="1", text=COMPLAINT),
        record(id="2", text="banyu PDAM nang Sugihwaras isih mati, podo karo wingi"),
        record(id="3", text="slot gacor 100% maxwin"),
        record(id="4", text="halo min selamat pagi", author="warga_senori"),
    )
    login()
    page = client.get("/antrean/?status=semua").get_data(as_text=True)
    csrf = {"csrf_token": token(page)}
    assert {
        int(i)
        for i in re.findall(r'data-post="(\d+)"', client.get("/antrean/?status=semua&q=100%25").get_data(as_text=True))
    } == {spam}
    assert f'data-post="{chatter}"' in client.get("/antrean/?status=semua&q=WARGA_SENORI").get_data(as_text=True)

    as_suggested = {**csrf, "category": "", "agency": "", "kecamatan": "", "anonymous": "y"}
    client.post(f"/antrean/{water}/konfirmasi", data=as_suggested)
    joined = client.post(
        f"/antrean/{again}/tolak", data={**csrf, "reason": "duplikat", "note": "tbn-2026-000001"}, follow_redirects=True
    )
    assert f"Unggahan digabung ke tiket {TICKET_PREFIX}000001 sebagai duplikat." in joined.get_data(as_text=True)
    unknown = client.post(
        f"/antrean/{spam}/tolak", data={**csrf, "reason": "duplikat", "note": "TBN-2026-999999"}, follow_redirects=True
    )
    assert "tiket &#39;TBN-2026-999999&#39; tidak ada" in unknown.get_data(as_text=True)

    bulk = client.post(
        "/antrean/massal",
        data={**csrf, "aksi": "tolak", "pilih": [str(spam), str(chatter), str(water)]},
        follow_redirects=True,
    )
    text = bulk.get_data(as_text=True)
    assert "2 unggahan ditolak." in text and f"sudah menjadi tiket {TICKET_PREFIX}000001" in text
    assert client.post("/antrean/massal", data={**csrf, "aksi": "hapus", "pilih": [str(spam)]}).status_code == 400
    assert client.post("/antrean/massal", data={"aksi": "tolak", "pilih": [str(spam)]}).status_code == 400
    with app.sessions() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert sorted(link.post_id for link in ticket.posts) == [water, again]
        statuses = {post.id: post.review_status for post in session.scalars(select(Post))}
    assert statuses == {water: "confirmed", again: "confirmed", spam: "rejected", chatter: "rejected"}
    client.post("/antrean/batal", data=csrf)
    client.post("/antrean/batal", data=csrf)
    left = client.post("/antrean/batal", data=csrf, follow_redirects=True).get_data(as_text=True)
    assert f"Dibatalkan: penggabungan ke tiket {TICKET_PREFIX}000001" in left
    with app.sessions() as session:
        assert [link.post_id for link in session.scalars(select(Ticket)).one().posts] == [water]
        assert session.get(Post, again).review_status == "pending"
