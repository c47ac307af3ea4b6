"""The shipped default model on Instagram comments nobody trained on (``bench/data``, see its README).

Floors, not the figures themselves (``python -m bench.classifier`` prints those): a change to the seed corpus,
the features or the threshold rule that loses short complaints, or that flags many more thanks, questions and
announcements, fails here before it ships.
"""

import pytest

from bench.classifier import BENCH_DATA, marked_comments

BY_KIND = sorted(BENCH_DATA.glob("instagram-by-kind-*.csv"))


def test_seven_files_of_comments_by_kind_are_there():
    assert len(BY_KIND) == 7, BY_KIND


@pytest.mark.parametrize("path", BY_KIND, ids=lambda path: path.stem)
def test_the_default_model_finds_nine_in_ten_short_complaints(seed_model, path):
    marks = [flagged for _, complaint, flagged in marked_comments(seed_model, path) if complaint]
    assert len(marks) == 60 and sum(marks) >= 0.9 * len(marks), f"{sum(marks)} of {len(marks)} found"


@pytest.mark.parametrize("path", BY_KIND, ids=lambda path: path.stem)
def test_the_default_model_flags_at_most_one_in_ten_comments_that_merely_name_a_service(seed_model, path):
    marks = [flagged for _, complaint, flagged in marked_comments(seed_model, path) if not complaint]
    assert len(marks) == 180 and sum(marks) <= len(marks) / 10, f"{sum(marks)} of {len(marks)} flagged"
