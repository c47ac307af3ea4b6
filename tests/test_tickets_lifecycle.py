import pytest

from satukanal.tickets.lifecycle import CLOSED, TRANSITIONS, Status, TransitionError, check_transition, parse_status


def test_the_main_path_to_selesai_is_allowed():
    path = [
        Status.BELUM_TERVERIFIKASI,
        Status.TERVERIFIKASI,
        Status.TERDISPOSISI,
        Status.DITINDAKLANJUTI,
        Status.DITANGGAPI,
        Status.SELESAI,
        Status.DIARSIPKAN,
    ]
    for current, target in zip(path, path[1:], strict=False):
        check_transition(current, target)


@pytest.mark.parametrize(
    "current, target",
    [
        (Status.BELUM_TERVERIFIKASI, Status.SELESAI),
        (Status.SELESAI, Status.TERVERIFIKASI),
        (Status.DIARSIPKAN, Status.SELESAI),
        (Status.TERDISPOSISI, Status.BELUM_TERVERIFIKASI),
    ],
)
def test_impossible_transitions_are_refused_with_the_allowed_ones(current, target):
    with pytest.raises(TransitionError) as error:
        check_transition(current, target)
    assert f"tidak bisa dari {current.label} ke {target.label}" in str(error.value)
    assert "langkah berikutnya yang boleh:" in str(error.value)


def test_staying_in_the_same_status_is_refused():
    with pytest.raises(TransitionError, match="sudah berstatus Terverifikasi"):
        check_transition(Status.TERVERIFIKASI, Status.TERVERIFIKASI)


def test_every_open_status_can_still_reach_a_closed_one():
    for status in Status:
        seen, frontier = {status}, [status]
        while frontier:
            for following in TRANSITIONS[frontier.pop()]:
                if following not in seen:
                    seen.add(following)
                    frontier.append(following)
        assert seen & CLOSED, status


@pytest.mark.parametrize("text", ["Bukan Wewenang", "bukan-wewenang", " BUKAN_WEWENANG "])
def test_status_names_are_read_as_people_write_them(text):
    assert parse_status(text) is Status.BUKAN_WEWENANG
    assert Status.BUKAN_WEWENANG.label == "Bukan Wewenang"


def test_unknown_status_lists_the_known_ones():
    with pytest.raises(ValueError, match="status 'beres' tidak dikenal.*terverifikasi"):
        parse_status("beres")
