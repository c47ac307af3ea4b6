"""Collecting from X when X says no: back off and resume, wait out rate limits, stop at refused credentials."""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import select

from monitor import Retrier, SourceBroken, SourceUnavailable
from monitor.retry import RATE_LIMIT_DEFAULT_WAIT
from monitor.x import XSource
from satukanal.intake.models import SourceHealth
from satukanal.intake.service import collect
from tests.x_wire import (
    NOW,
    bearer_client,
    client_not_enrolled,
    credits_depleted,
    mentions_source,
    not_enrolled_453,
    not_json,
    rate_limited,
    server_error,
    unauthorized,
)

pytestmark = pytest.mark.usefixtures("recorded_mentions")


def test_network_errors_back_off_and_then_give_up_keeping_the_pages_stored(unscored_app, sleeps, x):
    app = unscored_app
    for after in (2, 0, 0, 0):  # the account lookup and page 1 go well
        x.fail_next(requests.ConnectionError("network gone"), after=after)
    failed = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    assert isinstance(failed.failure, SourceUnavailable) and "tidak dapat menghubungi X" in str(failed.failure)
    assert failed.added == 4 and sleeps == [5, 10, 20], "network errors back off, doubling"

    resumed = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    assert resumed.failure is None and resumed.added == 6 and resumed.duplicates == 0
    assert x.params("mentions")[-2].get("pagination_token") == "tok4"


def test_a_rate_limit_waits_until_the_reset_then_resumes(unscored_app, sleeps, x):
    app = unscored_app
    x.fail_next(rate_limited(reset=NOW.timestamp() + 120), after=2)
    result = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    assert result.failure is None and result.added == 10
    assert sleeps == [121], "until the reset second has passed"


def test_a_rate_limit_without_reset_header_waits_the_default_and_a_far_reset_is_capped(unscored_app, sleeps, x):
    app = unscored_app
    x.fail_next(rate_limited(reset=None), after=1)
    x.fail_next(rate_limited(reset=NOW.timestamp() + 4 * 3600))
    result = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    assert result.failure is None and result.added == 10
    assert sleeps == [RATE_LIMIT_DEFAULT_WAIT, 900]


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (unauthorized(), "x-unauthorized"),
        (not_enrolled_453(), "x-access-tier"),
        (client_not_enrolled(), "x-access-tier"),
        (credits_depleted(), "x-credits"),
    ],
)
def test_refused_credentials_or_access_tier_break_the_source_at_once(unscored_app, sleeps, x, answer, code):
    app = unscored_app
    x.fail_next(answer, after=1)
    result = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    assert isinstance(result.failure, SourceBroken) and result.failure.code == code
    assert sleeps == [], "never retried"
    assert len(x.params("mentions")) == 1
    with app.sessions() as session:
        health = session.scalar(select(SourceHealth))
    assert (health.state, health.error_code) == ("broken", code)
    assert "X Developer" in health.advice


def test_server_errors_and_unreadable_answers_back_off_then_resume(unscored_app, sleeps, x):
    app = unscored_app
    x.fail_next(server_error(), after=2)
    x.fail_next(not_json())
    result = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    assert result.failure is None and result.added == 10
    assert sleeps == [5, 10]


def test_a_server_that_keeps_failing_gives_up_for_this_run_and_keeps_what_it_stored(unscored_app, sleeps, x):
    app = unscored_app
    for after in (2, 0, 0, 0):
        x.fail_next(server_error(), after=after)
    result = collect(app.sessions, mentions_source(sleeps), app.own_handles)
    assert isinstance(result.failure, SourceUnavailable) and "HTTP 503" in str(result.failure)
    assert result.added == 4
    with app.sessions() as session:
        health = session.scalar(select(SourceHealth))
    assert health.state == "failing" and health.last_success_at is None


def test_an_unknown_watched_account_breaks_the_source_with_advice(unscored_app, sleeps, x):
    app = unscored_app
    source = XSource("x-mentions", bearer_client(), mentions=["bukanakunkami"], retrier=Retrier(sleep=sleeps))
    result = collect(app.sessions, source, app.own_handles)
    assert isinstance(result.failure, SourceBroken) and result.failure.code == "x-account-unknown"
    assert "@bukanakunkami" in str(result.failure)
