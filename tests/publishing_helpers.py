"""The week the ``busy_week`` fixture fills, the moment after it, a channel that dies after the platform, and the
week's item as the X channel tests post it."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from PIL import Image

from publisher import Item, OutboxChannel, Week, thread_file
from satukanal.review.service import confirm, reject
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.service import set_status
from tests.factories import COMPLAINT, add_posts, record

WEEK = Week(2026, 47)  # 16–22 November 2026
AFTER = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Tuban


def fill_busy_week(app) -> None:
    """Posts in weeks 46 and 47 for the ``busy_week`` fixture: one confirmed and resolved in 47, one rejected,
    one own reply. The citizens are not answered, so the ledger holds only what the test publishes
    (``tests/test_replies_x.py`` is about the replies)."""
    ids = add_posts(
        app,
        record(id="1", text=COMPLAINT, created_at="2026-11-17T08:00:00+07:00"),
        record(
            id="2",
            text="Lampu PJU di Jl. Sunan Kalijaga Kec. Tuban mati, gelap",
            created_at="2026-11-18T19:00:00+07:00",
        ),
        record(id="3", text="promo slot gacor", created_at="2026-11-19T10:00:00+07:00"),
        record(
            id="4",
            author="laportuban",
            text="Terima kasih, sudah kami teruskan",
            created_at="2026-11-19T11:00:00+07:00",
        ),
        record(
            id="5",
            platform="instagram",
            text="Sampah numpuk di pasar Kec. Rengel",
            created_at="2026-11-10T08:00:00+07:00",
        ),
    )
    moment = datetime(2026, 11, 17, 3, 0, tzinfo=UTC)
    unanswered = replace(app.settings, publish=app.settings.publish.model_copy(update={"answer_citizens": False}))
    with app.sessions.begin() as session:
        number = confirm(session, unanswered, ids[0], "m", now=moment).ticket.number
        confirm(session, unanswered, ids[1], "m", now=moment + timedelta(days=1))
        reject(session, ids[2], "m", "spam", now=moment + timedelta(days=2))
        for day, status in enumerate(
            [Status.TERVERIFIKASI, Status.TERDISPOSISI, Status.DITINDAKLANJUTI, Status.SELESAI], 1
        ):
            set_status(session, number, status, "liaison", now=moment + timedelta(days=day))


class CrashAfterPublish(OutboxChannel):
    """The platform accepts the post, then the process dies before the ledger write."""

    def publish(self, item):
        super().publish(item)
        raise KeyboardInterrupt("killed")


class DiesAfterPublishing:
    """Wraps a channel: the platform accepts the item, then the process is killed."""

    def __init__(self, channel) -> None:
        self.inner, self.name = channel, channel.name

    def find_published(self, item):
        return self.inner.find_published(item)

    def publish(self, item):
        self.inner.publish(item)
        raise KeyboardInterrupt("killed after the platform accepted the post")


CHANNEL_NOW = 1_763_950_000  # the X channel's clock in its tests, epoch seconds
THREAD = [
    "Rekap aduan warga Tuban pekan 47: 58 aduan masuk, 41 sudah ditindaklanjuti & 17 masih diproses. "
    "Lapor juga lewat lapor.go.id\n\n1/3",
    "Terbanyak: jalan rusak (21), lampu PJU mati (9), sampah (7). Rincian: https://tubankab.go.id/rekap/2026-W47\n\n2/3",
    "Terima kasih atas laporan Anda 🙏 #TubanBumiWali\n\n3/3",
]


def weekly_item(**images: bytes) -> Item:
    """The week's item as the recap renders it: the thread, the Instagram caption and ``card_1=`` ... images."""
    files: dict[str, str | bytes] = {"x-thread.json": thread_file(THREAD), "instagram-caption.txt": "Rekap pekan 47\n"}
    files.update({f"{name.replace('_', '-')}.png": png for name, png in images.items()})
    return Item(key="weekly-2026-W47", files=files)


def card(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), color).save(buffer, format="PNG")
    return buffer.getvalue()
