"""The publishing commands: drafts and approval, the ledger list, retries, template checks and the schedule."""

from pathlib import Path

from sqlalchemy import select

from satukanal.models import Publication
from satukanal.scheduler import approved_publications_job, planned_jobs
from tests.publishing_helpers import AFTER, WEEK


def require_approval(config_file: Path) -> None:
    config_file.write_text(config_file.read_text() + "\n[publish]\nrequire_approval = true\n", encoding="utf-8")


def test_a_draft_is_listed_then_approved_and_published_by_an_admin(cli_run, config_file, busy_week):
    require_approval(config_file)
    drafted = cli_run("publish", "weekly", "--week", "2026-W47")
    assert drafted.exit_code == 0, drafted.output
    assert "disimpan sebagai draf; setujui dengan `satukanal publish approve 1`" in drafted.stdout
    outbox = busy_week.settings.publish.outbox_dir / "weekly-2026-W47"
    assert not outbox.exists()
    listed = cli_run("publish", "list")
    assert "2026-W47" in listed.stdout and "Draf, menunggu persetujuan" in listed.stdout

    approved = cli_run("publish", "approve", "1")
    assert approved.exit_code == 0, approved.output
    assert "2026-W47 di outbox: diterbitkan" in approved.stdout
    assert (outbox / "card-1.png").exists()
    again = cli_run("publish", "approve", "1")
    assert again.exit_code == 1 and "bukan draf" in again.stderr
    assert cli_run("publish", "retry", "7").stderr.strip() == "Error: publikasi 7 tidak ada"


def test_the_scheduler_sends_what_an_admin_approved_in_the_web_app(app, busy_week, config_file):
    from dataclasses import replace

    from satukanal.publishing.ledger import approve
    from satukanal.publishing.service import publish_recap

    settings = replace(app.settings, publish=app.settings.publish.model_copy(update={"require_approval": True}))
    draft = publish_recap(app.sessions, settings, app.channel("outbox"), WEEK, "scheduler", now=AFTER)
    approve(app.sessions, draft.publication_id, "admin1")
    approved_publications_job(app)
    with app.sessions() as session:
        assert session.scalar(select(Publication.status)) == "published"
    assert (settings.publish.outbox_dir / "weekly-2026-W47" / "x-thread.json").exists()


def test_schedule_show_lists_the_weekly_job_with_its_next_run_in_jakarta_time(cli_run, app):
    shown = cli_run("schedule", "show")
    assert shown.exit_code == 0, shown.output
    (weekly,) = [line for line in shown.stdout.splitlines() if line.startswith("weekly-recap")]
    assert "berikutnya: Senin, " in weekly and "08.00 WIB (Asia/Jakarta)" in weekly
    assert {job.id for job in planned_jobs(app)} == {
        "collect:inbox",
        "weekly-recap",
        "approved-publications",
        "notifications",
        "notifications-digest",
        "source-checks",
        "scoring",
        "statistics",
    }


def test_publish_check_reports_template_line_and_problem(cli_run, config_file, tmp_path):
    good = cli_run("publish", "check")
    assert good.exit_code == 0 and "Semua templat baik." in good.stdout
    custom = tmp_path / "templat" / "weekly"
    custom.mkdir(parents=True)
    (custom / "x-thread.txt.j2").write_text("Rekap {{ period }}\n{{ f.jumlah_salah }}\n", encoding="utf-8")
    config_file.write_text(
        config_file.read_text() + f'\n[publish]\ntemplates_dir = "{tmp_path / "templat"}"\n', encoding="utf-8"
    )
    bad = cli_run("publish", "check")
    assert bad.exit_code == 1
    assert "weekly/x-thread.txt.j2, baris 2:" in bad.stderr and "jumlah_salah" in bad.stderr
