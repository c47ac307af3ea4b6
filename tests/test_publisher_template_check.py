"""The template check: every problem a staff edit can cause, named by template and line, before publishing."""

from datetime import date
from pathlib import Path

import pytest

from publisher import (
    SAMPLE_HASHTAGS,
    SAMPLE_MONTH,
    SAMPLE_PUBLISHED_ON,
    TemplateProblem,
    check_templates,
    format_month,
    make_environment,
    render_monthly,
    sample_monthly_figures,
    tweet_length,
)


def check_with(folder: Path, templates: dict[str, str]) -> list[TemplateProblem]:
    """Check the bundled templates with ``templates`` (name: text) overriding them from ``folder``."""
    for name, text in templates.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return check_templates(make_environment(folder))


def test_the_bundled_templates_pass():
    environment = make_environment()
    names = environment.list_templates(extensions=["j2"])
    assert {"weekly/x-thread.txt.j2", "monthly/instagram-caption.txt.j2", "replies/resolution.txt.j2"} <= set(names)
    assert check_templates(environment) == []


def test_a_syntax_error_is_reported_with_its_line(tmp_path: Path):
    problems = check_with(tmp_path, {"weekly/x-thread.txt.j2": "Rekap {{ period }}\n\n{% if f.flagged %}\nada aduan\n"})
    assert len(problems) == 1
    assert (problems[0].template, problems[0].line) == ("weekly/x-thread.txt.j2", 4)
    assert "endif" in problems[0].problem


def test_an_undefined_name_is_reported_with_its_line(tmp_path: Path):
    problems = check_with(tmp_path, {"monthly/x-thread.txt.j2": "Rekap {{ period }}\n\n{{ f.no_such_figure }}\n"})
    assert [(p.template, p.line) for p in problems] == [("monthly/x-thread.txt.j2", 3)]
    assert "no_such_figure" in problems[0].problem
    assert str(problems[0]).startswith("monthly/x-thread.txt.j2, baris 3: ")


def test_a_filter_failing_on_a_quiet_week_is_reported(tmp_path: Path):
    """Sample data includes a week with nothing resolved, where the median is None."""
    problems = check_with(tmp_path, {"weekly/x-thread.txt.j2": "Rekap\n{{ f.median_days_to_resolve|durasi }}\n"})
    assert [(p.template, p.line) for p in problems] == [("weekly/x-thread.txt.j2", 2)]
    assert "TypeError" in problems[0].problem


def test_an_unknown_filter_is_reported(tmp_path: Path):
    problems = check_with(tmp_path, {"replies/acknowledgement.txt.j2": "{{ reply.handle }} {{ reply.agency|besar }}"})
    assert [(p.template, p.line) for p in problems] == [("replies/acknowledgement.txt.j2", 1)]
    assert "besar" in problems[0].problem


def test_a_sandbox_escape_is_reported_and_nothing_runs(tmp_path: Path):
    marker = tmp_path / "escaped"
    escape = f'{{{{ cycler.__init__.__globals__.os.system("touch {marker}") }}}}'
    problems = check_with(
        tmp_path / "templates",
        {"weekly/x-thread.txt.j2": "Rekap\n" + escape, "weekly/instagram-caption.txt.j2": "{{ ''.__class__ }}"},
    )
    assert [(p.template, p.line) for p in problems] == [
        ("weekly/instagram-caption.txt.j2", 1),
        ("weekly/x-thread.txt.j2", 2),
    ]
    assert all("unsafe" in p.problem for p in problems)
    assert not marker.exists()


def test_a_caption_made_too_long_is_reported(tmp_path: Path):
    problems = check_with(tmp_path, {"weekly/instagram-caption.txt.j2": "{{ period }} {{ 'x' * 2200 }}"})
    assert problems == [
        TemplateProblem("weekly/instagram-caption.txt.j2", None, "keterangan 2220 karakter (batas Instagram 2200)")
    ]


def test_too_many_hashtags_are_reported(tmp_path: Path):
    caption = "{{ period }}\n{% for n in range(28) %}#Tuban{{ n }} {% endfor %}{{ hashtags|map('tagar')|join(' ') }}"
    problems = check_with(tmp_path, {"monthly/instagram-caption.txt.j2": caption})
    assert problems == [TemplateProblem("monthly/instagram-caption.txt.j2", None, "31 tagar (batas Instagram 30)")]


def test_a_reply_over_a_tweet_is_reported(tmp_path: Path):
    problems = check_with(tmp_path, {"replies/resolution.txt.j2": "{{ reply.handle }} {{ reply.agency * 4 }}"})
    assert len(problems) == 1
    assert problems[0].template == "replies/resolution.txt.j2"
    assert "menurut hitungan X (batas 280)" in problems[0].problem


def test_templates_outside_the_known_folders_are_reported(tmp_path: Path):
    problems = check_with(tmp_path, {"daily/x-thread.txt.j2": "Rekap {{ period }}", "footer.txt.j2": "Salam"})
    assert [p.template for p in problems] == ["daily/x-thread.txt.j2", "footer.txt.j2"]
    assert all("tidak dikenal" in p.problem and p.line is None for p in problems)


def test_only_the_broken_template_is_reported_among_several_overrides(tmp_path: Path):
    bundled = Path(make_environment().get_template("weekly/x-thread.txt.j2").filename).read_text(encoding="utf-8")
    problems = check_with(
        tmp_path,
        {"weekly/x-thread.txt.j2": bundled, "replies/acknowledgement.txt.j2": "{{ reply.handle }} {{ reply.nik }}"},
    )
    assert [p.template for p in problems] == ["replies/acknowledgement.txt.j2"]


@pytest.mark.parametrize("day", ["2026-11-01", "2026-11-30"])
def test_months_are_named_in_indonesian(day):
    assert format_month(date.fromisoformat(day)) == "November 2026" == SAMPLE_MONTH


def test_the_monthly_sample_previews_within_platform_limits():
    recap = render_monthly(
        make_environment(), sample_monthly_figures(), SAMPLE_MONTH, SAMPLE_HASHTAGS, SAMPLE_PUBLISHED_ON
    )
    assert recap.x_thread[0].startswith("📊 Rekap aduan @laportuban bulan November 2026")
    assert "naik 58 dibanding bulan lalu" in recap.x_thread[0]
    assert all(tweet_length(tweet) <= 280 for tweet in recap.x_thread)
    assert "REKAP ADUAN BULANAN" in recap.instagram_caption and len(recap.instagram_caption) <= 2200
    assert "Dinas PUPR PRKP: 56" in recap.instagram_caption
