"""The recap cards at an unguessable public address, for Meta to download while it makes the carousel: the
exact bytes in the ledger for a signed address, the same plain 404 for everything else, no login needed."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image

from publisher import Item
from satukanal.publishing.ledger import APPROVED, REJECTED, new_entry
from satukanal.publishing.public_cards import card_addresses
from tests.instagram_fakes import card_png
from tests.web_helpers import SECRET_KEY, web_app

BASE = "https://satukanal.tubankab.go.id"
RECAP = Item(
    "weekly-2026-W47", {"instagram-caption.txt": "Rekap\n", "card-1.png": card_png(), "card-2.png": card_png("gold")}
)


@pytest.fixture
def ledger_recap(app):
    with app.sessions.begin() as session:
        new_entry(session, "weekly", "2026-W47", "instagram", APPROVED, RECAP)
    return app


def path(url: str) -> str:
    return urlsplit(url).path


def test_a_signed_address_serves_the_card_from_the_ledger_without_a_login(ledger_recap):
    url = card_addresses(BASE, SECRET_KEY)(RECAP, "card-1.png")
    assert url.startswith(f"{BASE}/kartu/weekly/2026-W47/") and url.endswith("/card-1.jpg")

    answer = web_app(ledger_recap).test_client().get(path(url))

    assert answer.status_code == 200 and answer.mimetype == "image/jpeg", "Meta publishes JPEG only"
    with Image.open(io.BytesIO(answer.data)) as served, Image.open(io.BytesIO(RECAP.files["card-1.png"])) as card:
        assert served.format == "JPEG" and served.size == card.size
        assert served.getpixel((540, 675)) == pytest.approx(card.convert("RGB").getpixel((540, 675)), abs=3)


def test_every_other_address_is_the_same_plain_404(ledger_recap, app):
    card = path(card_addresses(BASE, SECRET_KEY)(RECAP, "card-1.png"))
    signature = card.split("/")[-2]
    other_key = path(card_addresses(BASE, "kunci-lain")(RECAP, "card-1.png"))
    client = web_app(ledger_recap).test_client()
    for address in (
        other_key,  # signed with another key
        card.replace("card-1.jpg", "card-2.jpg"),  # a signature is for one card only
        card.replace("2026-W47", "2026-W48"),
        f"/kartu/weekly/2026-W47/{signature}/instagram-caption.txt",
        f"/kartu/weekly/2026-W47/{'0' * 40}/card-1.jpg",
        card.replace(".jpg", ".png"),
    ):
        assert client.get(address).status_code == 404, address

    with app.sessions.begin() as session:
        new_entry(session, "monthly", "2026-11", "instagram", REJECTED, Item("monthly-2026-11", RECAP.files))
    rejected = path(card_addresses(BASE, SECRET_KEY)(Item("monthly-2026-11", {}), "card-1.png"))
    assert client.get(rejected).status_code == 404, "a rejected recap is never offered"
