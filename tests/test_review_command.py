"""``satukanal review`` from the command line, with hostile post text."""

import itertools

from sqlalchemy import func, select

from satukanal.models import Ticket
from tests.factories import COMPLAINT, TICKET_PREFIX, add_posts, record

HOSTILE = (
    "<script>alert(document.cookie)</script>\x1b[2J jalan rusak\nparah\u202e lur "
    + "👨\u200d👩\u200d👧" * 3
    + " tolong min"
)


def test_list_confirm_reject_from_the_command_line(cli_run, app):
    complaint, spam = add_posts(
        app, record(id="1", text=COMPLAINT), record(id="2", text="slot gacor maxwin deposit 10rb")
    )
    listing = cli_run("review", "list", "--all")
    assert listing.exit_code == 0
    assert f"{complaint:>6}" in listing.stdout and "air_minum" in listing.stdout
    lines = listing.stdout.splitlines()
    suggestions = lines[lines.index(next(line for line in lines if line.lstrip().startswith(str(complaint)))) + 1]
    assert suggestions.strip().startswith("saran: air_minum (pdam) 0.") and suggestions.count(" · ") == 2

    confirmed = cli_run("review", "confirm", str(complaint))
    assert confirmed.exit_code == 0
    assert f"dikonfirmasi: tiket {TICKET_PREFIX}000001 (air_minum → pdam)" in confirmed.stdout
    again = cli_run("review", "confirm", str(complaint))
    assert again.exit_code == 0 and f"sudah menjadi tiket {TICKET_PREFIX}000001; tidak ada yang berubah" in again.stdout

    assert cli_run("review", "reject", str(spam)).exit_code == 2  # --reason is required
    rejected = cli_run("review", "reject", str(spam), "--reason", "spam")
    assert rejected.exit_code == 0 and f"Unggahan {spam} ditolak." in rejected.stdout
    assert "Antrean kosong." in cli_run("review", "list", "--all").stdout
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1


def test_hostile_text_is_stored_as_is_and_shown_on_one_clean_line(cli_run, app):
    (post_id,) = add_posts(app, record(id="1", text=HOSTILE))
    listing = cli_run("review", "list", "--all")
    (line,) = [line for line in listing.stdout.splitlines() if line.strip().startswith(str(post_id))]
    assert "\x1b" not in listing.stdout and "\u202e" not in listing.stdout
    assert "<script>alert(document.cookie)" in line
    assert cli_run("review", "confirm", str(post_id), "--category", "jalan_jembatan").exit_code == 0
    shown = cli_run("tickets", "show", f"{TICKET_PREFIX}000001")
    assert "\x1b" not in shown.stdout and "jalan rusak parah" in shown.stdout


def test_the_uncertain_order_puts_scores_nearest_the_threshold_first(cli_run, app):
    add_posts(app, *(record(id=str(n), text=text) for n, text in enumerate([COMPLAINT, "selamat pagi min", "tolong"])))
    listing = cli_run("review", "list", "--all", "--order", "uncertain")
    scores = [float(line.split()[5]) for line in listing.stdout.splitlines() if not line.lstrip().startswith("saran")]
    threshold = app.model.metadata.threshold
    margins = [abs(score - threshold) for score in scores]
    assert len(scores) == 3
    assert all(earlier <= later + 0.01 for earlier, later in itertools.pairwise(margins)), "listed scores are rounded"


def test_unknown_post_is_a_one_line_error(cli_run, app):
    result = cli_run("review", "confirm", "424242")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: unggahan 424242 tidak ada"
