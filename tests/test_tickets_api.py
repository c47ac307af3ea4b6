"""The JSON API for tickets: a token instead of a session, agency scope, and moves only along the lifecycle."""

from tests.factories import add_posts, record
from tests.web_helpers import api_token


def test_the_json_api_needs_a_token_and_respects_agency_scope(client, app, two_tickets):
    water, road = two_tickets
    assert client.get("/api/tickets").status_code == 401
    assert client.get("/api/tickets", headers={"Authorization": "Bearer palsu"}).get_json() == {
        "error": "token tidak ada atau tidak berlaku"
    }
    moderator, liaison, viewer = (api_token(app, name) for name in ("moderator1", "liaison-pdam", "pengamat"))
    assert {ticket["number"] for ticket in client.get("/api/tickets", headers=moderator).get_json()["tickets"]} == {
        water,
        road,
    }
    assert [ticket["number"] for ticket in client.get("/api/tickets", headers=liaison).get_json()["tickets"]] == [water]
    assert client.get(f"/api/tickets/{road}", headers=liaison).status_code == 404
    assert client.get("/api/tickets", headers=viewer).status_code == 403
    detail = client.get(f"/api/tickets/{water}", headers=liaison).get_json()
    assert detail["agency"] == "pdam" and detail["history"][0]["status"] == "belum_terverifikasi"
    assert "3523012345678901" not in detail["body"]


def test_the_api_moves_a_ticket_without_a_csrf_token_but_only_along_the_lifecycle(client, app, two_tickets):
    water, road = two_tickets
    liaison = api_token(app, "liaison-pdam")
    moved = client.post(
        f"/api/tickets/{water}/status", json={"status": "Terverifikasi", "lapor_id": "#5550001"}, headers=liaison
    )
    assert moved.status_code == 200 and moved.get_json()["lapor_id"] == "5550001"
    refused = client.post(f"/api/tickets/{water}/status", json={"status": "selesai"}, headers=liaison)
    assert refused.status_code == 409 and "tidak bisa dari Terverifikasi ke Selesai" in refused.get_json()["error"]
    assert client.post(f"/api/tickets/{water}/status", data="x", headers=liaison).status_code == 400
    assert client.post(f"/api/tickets/{road}/status", json={"status": "dihapus"}, headers=liaison).status_code == 404
    (waiting,) = add_posts(app, record(id="7", text="halo min, selamat pagi"))
    posts = client.get("/api/posts?all=1", headers=api_token(app, "moderator1")).get_json()["posts"]
    assert [post["id"] for post in posts] == [waiting], "decided posts have left the queue"
    assert posts[0]["text"] == "halo min, selamat pagi" and 0 <= posts[0]["score"] <= 1
    assert client.get("/api/posts", headers=liaison).status_code == 403
