"""The collectors say what to do at the platform; the application adds the steps that name its own settings."""

import re
from pathlib import Path

import pytest

import monitor
from monitor import SourceBroken, SourceUnavailable
from satukanal.intake.advice import STEPS, with_our_steps

APPLICATION_NAMES = re.compile(r"SATUKANAL_|`satukanal |accounts\.(x|instagram)\.|sources\[\]|interval_minutes")


def test_the_collectors_name_none_of_the_applications_settings_or_commands():
    folder = Path(monitor.__file__).parent
    for path in sorted(folder.glob("*.py")):
        code = path.read_text(encoding="utf-8")
        strings = re.findall(r'"[^"\n]*"', code)  # docstrings may name the application; messages may not
        assert not [text for text in strings if APPLICATION_NAMES.search(text)], path.name


@pytest.mark.parametrize("code", sorted(STEPS))
def test_a_broken_source_gets_the_applications_steps_after_the_platforms(code):
    failure = with_our_steps(SourceBroken("X menolak", code, "Buat ulang kunci di X Developer Portal."))
    assert failure.code == code and failure.args[0] == "X menolak"
    assert failure.advice == f"Buat ulang kunci di X Developer Portal, {STEPS[code]}"


def test_other_failures_pass_unchanged():
    temporary = SourceUnavailable("server X sedang bermasalah")
    assert with_our_steps(temporary) is temporary
    unknown = SourceBroken("aneh", "no-such-code", "Tanyakan ke admin")
    assert with_our_steps(unknown) is unknown
