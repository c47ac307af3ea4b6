import io
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from publisher import Count, Highlight, Week, WeeklyFigures
from publisher.card import CARD_SIZE, _change_note, _days, _number, render_cards

PERIOD = "16–22 November 2026"
WHITE = (255, 255, 255)
EDGE = 48  # the card's margins are wider than this; nothing but the row's background may reach into it
# Emoji, joiners and bidi controls, right-to-left words, combining marks, a lone surrogate, line breaks.
ODD_CHARACTERS = [
    "📊",
    "🚧",
    "👍🏽",
    "\u200d",
    "\u200f",
    "\u202e",
    "שלום",
    "مرحبا",
    "e\u0301",
    "\u0336",
    "\ud83d",
    "\n",
]


def figures(**changes) -> WeeklyFigures:
    base = WeeklyFigures(
        week=Week(2026, 47),
        posts_received=0,
        flagged=0,
        confirmed=0,
        rejected=0,
        tickets_opened=0,
        tickets_resolved=0,
        in_progress=0,
        median_days_to_resolve=None,
    )
    return replace(base, **changes)


def highlight(summary: str = "Lampu jalan di Jl. Pramuka menyala", agency: str = "Dinas Perhubungan") -> Highlight:
    return Highlight(number="TBN-1", category="Penerangan jalan", agency=agency, summary=summary, days_to_resolve=2.5)


def decode(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size, image.mode) == ("PNG", CARD_SIZE, "RGB")
    return np.asarray(image)


def bars(pixels: np.ndarray, min_height: int = 16, min_length: int = 20) -> list[tuple[int, int]]:
    """(left, length) of each solid rectangle drawn on a row's background, top to bottom.

    A bar is a run of one colour, different from the row's background (the pixel at x=0),
    that starts and ends inside the card and repeats unchanged on ``min_height`` rows.
    """
    found, previous, height = [], None, 0
    for row in pixels:
        runs = set()
        starts = np.flatnonzero(np.any(row[1:] != row[:-1], axis=1)) + 1
        edges = [0, *starts.tolist(), len(row)]
        for start, end in zip(edges, edges[1:], strict=False):
            colour = tuple(row[start])
            if 0 < start and end < len(row) and end - start >= min_length and colour != tuple(row[0]):
                runs.add((start, end - start, colour))
        height = height + 1 if runs and runs == previous else 1
        if height == min_height:
            found.extend((start, length) for start, length, _ in sorted(runs))
        previous = runs
    return found


def assert_inside_margins(pixels: np.ndarray) -> None:
    background = pixels[:, :1]
    assert (pixels[:, :EDGE] == background).all(), "something was drawn in the left margin"
    assert (pixels[:, -EDGE:] == background).all(), "something was drawn in the right margin"


def assert_clear_of_footer(pixels: np.ndarray) -> None:
    footer_top = max(np.flatnonzero((pixels[:, 0] == WHITE).all(axis=1))) + 1
    assert footer_top > CARD_SIZE[1] * 0.8
    assert (pixels[footer_top - 12 : footer_top] == WHITE).all(), "the content runs into the footer"


def test_a_quiet_week_is_one_card_in_instagram_portrait():
    cards = render_cards(figures(posts_received=3), PERIOD)
    assert len(cards) == 1
    pixels = decode(cards[0])
    assert bars(pixels) == []
    assert_inside_margins(pixels)


def test_an_all_zero_week_still_renders_a_card():
    zero = figures(previous={"posts_received": 0}, by_category=[Count("Jalan rusak", 0)], by_agency=[Count("DLH", 0)])
    cards = render_cards(zero, PERIOD)
    assert len(cards) == 1
    assert bars(decode(cards[0])) == []


@pytest.mark.parametrize(
    "changes, expected_cards",
    [
        ({}, 1),
        ({"by_category": [Count("Jalan rusak", 4)]}, 1),
        ({"highlights": [highlight()]}, 2),
        ({"by_agency": [Count("Dinas Perhubungan", 4)]}, 2),
        ({"highlights": [highlight()], "by_agency": [Count("Dinas Perhubungan", 4)]}, 2),
    ],
)
def test_the_second_card_only_comes_with_highlights_or_agencies(changes, expected_cards):
    cards = render_cards(figures(tickets_opened=4, **changes), PERIOD)
    assert len(cards) == expected_cards
    for card in cards:
        decode(card)


def test_same_figures_give_identical_bytes_without_metadata():
    week = figures(
        posts_received=1284,
        tickets_resolved=64,
        median_days_to_resolve=3.5,
        by_category=[Count("Jalan rusak", 31), Count("Sampah", 14)],
        by_agency=[Count("Dinas Perhubungan", 17)],
        highlights=[highlight()],
    )
    first, second = render_cards(week, PERIOD), render_cards(week, PERIOD)
    assert first == second
    assert all(Image.open(io.BytesIO(card)).info == {} for card in first)


def test_bars_are_proportional_to_their_counts():
    week = figures(tickets_opened=15, by_category=[Count("Lampu jalan", 5), Count("Jalan rusak", 10)])
    cards = render_cards(week, PERIOD)
    (left_long, long), (left_short, short) = bars(decode(cards[0]))
    assert left_long == left_short, "bars start on one axis"
    assert long > 300
    assert abs(long - 2 * short) <= 2


def test_categories_beyond_the_top_six_are_summed_as_lainnya():
    categories = [Count(f"Kategori {index}", 100 - index) for index in range(10)]
    cards = render_cards(figures(tickets_opened=955, by_category=categories), PERIOD)
    lengths = [length for _, length in bars(decode(cards[0]))]
    assert len(lengths) == 7
    assert lengths[:6] == sorted(lengths[:6], reverse=True)
    # Lainnya is 93 + 92 + 91 + 90 = 366, almost four times the largest single category (100).
    assert lengths[6] > 3 * lengths[0]


def test_huge_numbers_long_labels_and_odd_text_stay_inside_the_card():
    odd = "".join(ODD_CHARACTERS)
    long_label = ("Infrastruktur jalan, jembatan dan drainase lingkungan permukiman " * 2)[:120]
    week = figures(
        posts_received=123_456_789_012,
        flagged=98_765_432_109,
        confirmed=12_345_678_901,
        tickets_opened=10**15,
        tickets_resolved=987_654_321,
        in_progress=55_555_555_555,
        overdue=7_777_777_777,
        median_days_to_resolve=1234.56,
        previous={"posts_received": 1},
        by_category=[Count(f"{index} {odd} {long_label}", 10**12 - index) for index in range(30)],
        by_agency=[Count(f"{odd} Dinas {long_label} {index}", 10**9 + index) for index in range(12)],
        highlights=[highlight(summary=f"{odd} {long_label * 3}", agency=f"{long_label} {odd}") for _ in range(6)],
    )
    cards = render_cards(week, f"{PERIOD} {odd}")
    assert len(cards) == 2
    for card in cards:
        pixels = decode(card)
        assert_inside_margins(pixels)
        assert_clear_of_footer(pixels)


def test_characters_the_fonts_cannot_draw_are_left_out():
    plain = figures(by_category=[Count("Jalan rusak", 3)], highlights=[highlight("Jalan sudah diperbaiki")])
    decorated = figures(by_category=[Count("Jalan 🚧 rusak", 3)], highlights=[highlight("Jalan sudah diperbaiki 👍🏽")])
    assert render_cards(decorated, PERIOD) == render_cards(plain, PERIOD)


@pytest.mark.parametrize(
    "text, expected",
    [
        (_number(12345), "12.345"),
        (_number(1_234_567), "1.234.567"),
        (_days(3.46), "3,5 hari"),
        (_change_note(12, "pekan lalu"), "naik 12 dari pekan lalu"),
        (_change_note(-1500, "bulan lalu"), "turun 1.500 dari bulan lalu"),
        (_change_note(0, "pekan lalu"), "sama dengan pekan lalu"),
        (_change_note(None, "pekan lalu"), ""),
    ],
)
def test_numbers_on_the_card_are_written_the_indonesian_way(text, expected):
    assert text == expected


arbitrary_text = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(ODD_CHARACTERS)), max_size=8).map("".join)


@settings(max_examples=25, deadline=None)
@given(label=arbitrary_text, agency=arbitrary_text, summary=arbitrary_text, period=arbitrary_text)
def test_any_label_text_renders_inside_the_card(label, agency, summary, period):
    week = figures(
        tickets_opened=3,
        by_category=[Count(label, 2), Count(label + label, 1)],
        by_agency=[Count(agency, 3)],
        highlights=[highlight(summary=summary, agency=agency)],
    )
    cards = render_cards(week, period)
    assert len(cards) == 2
    for card in cards:
        assert_inside_margins(decode(card))
