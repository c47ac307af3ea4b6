"""The dashboard page: the period's figures as tiles linked to the lists they count, and as charts, for every role."""

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from satukanal.dashboard.figures import period_figures
from satukanal.publishing.recap import CALENDAR
from satukanal.review.service import confirm, reject, undo
from satukanal.tickets.lifecycle import Status
from satukanal.tickets.service import set_status
from satukanal.users.service import add_user
from tests.factories import COMPLAINT, add_posts, record
from tests.web_helpers import PASSWORD, signed_in, total_line

PERIOD = "dari=2026-11-16&sampai=2026-11-22"
RESOLUTION = (Status.TERVERIFIKASI, Status.TERDISPOSISI, Status.DITINDAKLANJUTI, Status.SELESAI)
ROAD = "Jalan berlubang parah di Kec. Jenu, tolong diperbaiki"


def wib(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+07:00")


def resolve(session, number: str, first: datetime) -> None:
    for hour, status in enumerate(RESOLUTION):
        set_status(session, number, status, "liaison", now=first + timedelta(hours=hour))


def tiles(page: str) -> dict[str, tuple[str, str | None]]:
    """Each tile's label: the number it shows and the list it links to (None without a link)."""
    found = {}
    for tile in re.findall(r'<li class="tile[^"]*">(.*?)</li>', page, re.S):
        label, value = re.search(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", tile).groups()
        link = re.search(r'class="tile-link" href="([^"]+)"', tile)
        found[label] = (value, html.unescape(link.group(1)) if link else None)
    return found


def listed(client, url: str) -> int:
    """How many items the list at ``url`` says it holds: the first number of the line under its heading."""
    response = client.get(url)
    assert response.status_code == 200, url
    return int(re.match(r"[\d.]+", total_line(response.get_data(as_text=True))).group().replace(".", ""))


@pytest.fixture
def district(app, web):
    """Posts and tickets in, before and after the week of 16–22 November 2026, and a PDAM liaison.

    In the week: posts received (one at 23:30 on its last day), a confirmation of a post that came the week
    before, rejections (one undone, which still counts as a decision), a PDAM ticket opened and resolved, and a
    road ticket resolved that was opened the week before. After it: a post and its PDAM ticket."""
    water, spam, hello, old_road, late, resolved_road, greeting, undone, before = add_posts(
        app,
        record(id="1", text=COMPLAINT, created_at="2026-11-16T08:00:00+07:00"),
        record(id="2", text="slot gacor maxwin", created_at="2026-11-16T09:00:00+07:00"),
        record(id="3", text="halo min", platform="instagram", created_at="2026-11-18T09:00:00+07:00"),
        record(id="4", text=ROAD, created_at="2026-11-12T08:00:00+07:00"),
        record(id="5", text=COMPLAINT + " lagi", created_at="2026-11-23T00:30:00+07:00"),
        record(id="6", text=ROAD + " sekali", created_at="2026-11-10T08:00:00+07:00"),
        record(id="7", text="selamat pagi min", created_at="2026-11-22T23:30:00+07:00"),
        record(id="8", text="promo pulsa murah", created_at="2026-11-19T08:00:00+07:00"),
        record(id="9", text="info lowongan kerja", created_at="2026-11-14T08:00:00+07:00"),
    )
    with app.sessions.begin() as session:
        add_user(session, app.settings, "liaison-pdam", "agency", PASSWORD, "test", agency="pdam")
        pdam = confirm(session, app.settings, water, "m", now=wib("2026-11-16T10:30:00")).ticket.number
        resolve(session, pdam, wib("2026-11-20T09:00:00"))
        reject(session, spam, "m", "spam", now=wib("2026-11-16T11:00:00"))
        confirm(session, app.settings, old_road, "m", now=wib("2026-11-17T09:00:00"))
        road = confirm(session, app.settings, resolved_road, "m", now=wib("2026-11-10T10:00:00")).ticket.number
        resolve(session, road, wib("2026-11-21T09:00:00"))
        confirm(session, app.settings, late, "m", now=wib("2026-11-23T09:00:00"))
        reject(session, undone, "m", "spam", now=wib("2026-11-19T09:00:00"))
        undo(session, undone, "m", now=wib("2026-11-19T09:05:00"))
        reject(session, before, "m", "spam", now=wib("2026-11-15T09:00:00"))
    return app


def test_every_tile_links_to_the_list_that_holds_what_it_counts(client, login, district):
    with district.sessions() as session:
        week = period_figures(session, district.settings, date(2026, 11, 16), date(2026, 11, 22), CALENDAR)
    login()
    shown = tiles(client.get(f"/dasbor/?{PERIOD}").get_data(as_text=True))
    counts = {
        "Unggahan masuk": week.posts_received,
        "Ditandai model": week.flagged,
        "Dikonfirmasi": week.confirmed,
        "Ditolak": week.rejected,
        "Tiket baru": week.tickets_opened,
        "Tiket selesai": week.tickets_resolved,
    }
    assert {label: int(shown[label][0]) for label in counts} == counts, "the tiles show the week's figures"
    assert all(count > 0 for label, count in counts.items() if label != "Ditandai model"), "the model decides that one"
    for label, (value, link) in shown.items():
        if not label.startswith("Median"):
            assert listed(client, link) == int(value), label
    assert shown["Median jam sampai konfirmasi"][1] == shown["Dikonfirmasi"][1], "the confirmations it is made of"
    assert shown["Median hari sampai selesai"][1] == shown["Tiket selesai"][1]
    assert int(shown["Tiket lewat tenggat (saat ini)"][0]) > 0


def test_a_liaisons_tiles_link_to_their_agencys_tickets_only(web, district):
    liaison = signed_in(web, "liaison-pdam")
    shown = tiles(liaison.get(f"/dasbor/?{PERIOD}").get_data(as_text=True))
    assert set(shown) == {"Tiket baru", "Tiket selesai", "Median hari sampai selesai", "Tiket lewat tenggat (saat ini)"}
    for label, (value, link) in shown.items():
        if not label.startswith("Median"):
            assert listed(liaison, link) == int(value), label
    district_wide = tiles(signed_in(web, "moderator1").get(f"/dasbor/?{PERIOD}").get_data(as_text=True))
    assert int(shown["Tiket selesai"][0]) < int(district_wide["Tiket selesai"][0]), "the road ticket is not theirs"


def test_a_viewer_sees_the_tiles_without_links_to_lists_they_cannot_open(client, login, district):
    login("pengamat")
    shown = tiles(client.get(f"/dasbor/?{PERIOD}").get_data(as_text=True))
    assert len(shown) == 9 and all(link is None for _, link in shown.values())
    assert client.get("/tiket/").status_code == 403 and client.get("/antrean/").status_code == 403


def test_each_tile_says_how_it_moved_since_the_period_before(client, login, district):
    with district.sessions() as session:
        before = period_figures(session, district.settings, date(2026, 11, 9), date(2026, 11, 15), CALENDAR)
    login()
    page = client.get(f"/dasbor/?{PERIOD}").get_data(as_text=True)
    rejected = re.search(r"<dt>Ditolak</dt>.*?</li>", page, re.S).group(0)
    current = int(tiles(page)["Ditolak"][0])
    percent = round(abs(current - before.rejected) / before.rejected * 100)
    arrow, word = ("▲", "naik") if current > before.rejected else ("▼", "turun")
    assert f"{arrow} {percent}%" in rejected
    assert (
        f'<span class="visually-hidden">{word} {percent}% dari {before.rejected} pada periode sebelumnya</span>'
        in rejected
    )
    assert "9 Nov 2026 – 15 Nov 2026" in page, "the period compared with is named"
    opened = re.search(r"<dt>Tiket baru</dt>.*?</li>", page, re.S).group(0)
    assert before.tickets_opened == 1 and "sebelumnya 1" in opened


def test_the_charts_fit_the_page_and_say_what_they_show(client, login, district):
    login()
    page = client.get(f"/dasbor/?{PERIOD}").get_data(as_text=True)
    content = page.split('<div class="dashboard">')[1]
    assert not re.search(r'<svg[^>]*\swidth="\d+(px)?"', content), "no chart has a width in pixels"
    per_day = re.search(
        r'<svg class="plot" viewBox="0 0 (\d+) 100"[^>]*aria-label="Unggahan per hari[^"]*">(.*?)</svg>', page, re.S
    )
    assert per_day, "posts per day: a plot stretched to the width, described in words"
    assert per_day.group(2).count("<title>") == 7, "a tooltip for each day of the week"
    assert "<title>16 Nov 2026: 2 unggahan</title>" in per_day.group(2)
    axis = re.search(r'<svg class="axis-y".*?</svg>', page, re.S).group(0)
    assert 2 <= axis.count("<text") <= 4
    dates = re.search(r'<svg class="axis-x".*?</svg>', page, re.S).group(0)
    assert ">16 Nov</text>" in dates and ">22 Nov</text>" in dates
    table = page.split("<summary>Lihat angka per hari</summary>")[1].split("</details>")[0]
    assert "<td>16-11-2026</td><td>2</td>" in table and "<td>22-11-2026</td><td>1</td>" in table
    assert '<svg class="bar-list" role="img" aria-label="Unggahan per platform"' in page
    assert "X (Twitter)" in page, "platforms by their names"
    assert page.count('class="column-chart"') == 3, "posts per day, and the two medians per week"


def test_open_tickets_per_agency_link_to_their_lists(client, login, district):
    login()
    page = client.get(f"/dasbor/?{PERIOD}").get_data(as_text=True)
    section = page.split('id="agencies-title"')[1].split("</section>")[0]
    assert "Lewat tenggat" in section and "Terbuka, belum lewat tenggat" in section, "a legend in words"
    for name, agency in (("Perumda Air Minum Tirta Lestari", "pdam"), ("Dinas PUPR PRKP", "pupr")):
        row = re.search(
            rf'<li>\s*<p class="load-head">\s*<a class="name" href="/tiket/\?opd={agency}&amp;status=terbuka">'
            rf"{name}</a>(.*?)</li>",
            section,
            re.S,
        )
        assert row, name
        opened = int(re.search(r"([\d.]+) terbuka", row.group(1)).group(1))
        late = re.search(rf'href="/tiket/\?opd={agency}&amp;tenggat=lewat">([\d.]+) lewat tenggat', row.group(1))
        assert opened > 0 and late, "each agency here has a ticket past its verification deadline"
        assert listed(client, f"/tiket/?opd={agency}&tenggat=lewat") == int(late.group(1))
        assert listed(client, f"/tiket/?opd={agency}&status=terbuka") == opened, "closed tickets are not listed"


def test_the_dashboard_shows_the_periods_figures_as_svg_and_tables_to_every_role(client, login, app):
    complaint, spam, other = add_posts(
        app,
        record(id="1", text=COMPLAINT, created_at="2026-11-16T08:00:00+07:00"),
        record(id="2", text="slot gacor maxwin", created_at="2026-11-16T09:00:00+07:00"),
        record(id="3", text="halo min", platform="instagram", created_at="2026-11-18T09:00:00+07:00"),
    )
    with app.sessions.begin() as session:
        confirm(session, app.settings, complaint, "test", now=datetime(2026, 11, 16, 3, 30, tzinfo=UTC))
        reject(session, spam, "test", "spam", now=datetime(2026, 11, 16, 4, tzinfo=UTC))
    login("pengamat")
    assert client.get("/").headers["Location"] == "/dasbor/"
    page = client.get(f"/dasbor/?{PERIOD}").get_data(as_text=True)
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert figures["Unggahan masuk"] == "3" and figures["Dikonfirmasi"] == "1" and figures["Ditolak"] == "1"
    assert figures["Median jam sampai konfirmasi"] == "2,5", "posted 08:00 WIB, confirmed 10:30 WIB; a decimal comma"
    assert figures["Tiket lewat tenggat (saat ini)"] == "1", "verification was due on 19 November"
    assert "<td>16-11-2026</td><td>2</td>" in page and "<td>18-11-2026</td><td>1</td>" in page
    assert "Air bersih PDAM" in page and "Perumda Air Minum Tirta Lestari" in page
    for bad in ("dari=kemarin", "dari=2026-11-20&sampai=2026-11-01", "dari=2020-01-01&sampai=2026-11-01"):
        assert client.get(f"/dasbor/?{bad}").status_code == 400
