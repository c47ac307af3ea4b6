"""The dashboard page: the period's figures as SVG charts and tables, for every role."""

import re
from datetime import UTC, datetime

from satukanal.review.service import confirm, reject
from tests.factories import COMPLAINT, add_posts, record


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
    page = client.get("/dasbor/?dari=2026-11-16&sampai=2026-11-22").get_data(as_text=True)
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert figures["Unggahan masuk"] == "3" and figures["Dikonfirmasi"] == "1" and figures["Ditolak"] == "1"
    assert figures["Median jam sampai konfirmasi"] == "2.5", "posted 08:00 WIB, confirmed 10:30 WIB"
    assert figures["Tiket lewat tenggat (saat ini)"] == "1", "verification was due on 19 November"
    assert '<svg class="bars" role="img" aria-label="Unggahan per platform"' in page
    assert "<td>16-11-2026</td><td>2</td>" in page and "<td>18-11-2026</td><td>1</td>" in page
    assert "Air bersih PDAM" in page and "Perumda Air Minum Tirta Lestari" in page
    for bad in ("dari=kemarin", "dari=2026-11-20&sampai=2026-11-01", "dari=2020-01-01&sampai=2026-11-01"):
        assert client.get(f"/dasbor/?{bad}").status_code == 400
