"""The words staff screens show for codes: every audited action has a label, periods read as dates."""

import re
from pathlib import Path

import pytest

from satukanal.web.labels import ACTION_LABELS, action_label, field_label, period_label, platform_label

PACKAGE = Path(__file__).parent.parent / "satukanal"
ACTION = re.compile(r'"((?:ticket|post|publication|user|model|sources|notifications?)\.[a-z_]+)"')


def recorded_actions() -> set[str]:
    """Every action name written in a module that records audit entries."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "audit.record" in text or "record_event(" in text:
            found.update(name for name in ACTION.findall(text) if not name.endswith("html"))
    return found


def test_every_action_the_code_records_has_an_indonesian_label():
    actions = recorded_actions()
    assert {"ticket.status", "post.confirm", "publication.reject", "publication.edit", "sources.check"} <= actions
    assert sorted(actions - ACTION_LABELS.keys()) == []
    assert action_label("ticket.status") == "Status tiket diubah"
    assert action_label("ticket.assign") == "Tiket diserahkan" and action_label("post.assign") == "Unggahan diambil"
    assert action_label("something.new") == "something.new", "an unknown code shows as itself"


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("2026-W48", "23–29 November 2026"),
        ("2026-W49", "30 November – 6 Desember 2026"),
        ("2026-W53", "28 Desember 2026 – 3 Januari 2027"),
        ("2026-11", "November 2026"),
        ("2027-03", "Maret 2027"),
        ("kemarin", "kemarin"),
        ("2026-W60", "2026-W60"),
        ("", ""),
    ],
)
def test_periods_read_as_indonesian_dates(code, words):
    assert period_label(code) == words


def test_fields_and_platforms_have_words():
    assert field_label("review_status") == "Keputusan"
    assert field_label("due_at") == "Due at", "an unknown field is at least readable"
    assert platform_label("x") == "X (Twitter)" and platform_label(None) == ""
