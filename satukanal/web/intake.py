"""The Sumber page: every collection source with its last success and, when broken, what to do.

A broken or stale source also puts a warning at the top of every page for
the team, so a stopped collector is seen the same day, not weeks later.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g, render_template
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from satukanal.intake.health import SourceState, source_states
from satukanal.models import utcnow
from satukanal.web.users import core, requires

blueprint = Blueprint("intake", __name__, url_prefix="/sumber")
TEAM = ("admin", "moderator", "viewer")


def _states() -> list[tuple[SourceState, str | None]]:
    """Each configured source with its problem (None when fine), read once per request."""
    if "source_states" not in g:
        settings = core().settings
        now = utcnow()
        with core().sessions() as session:
            states = source_states(session, settings.sources)
        g.source_states = [(state, state.problem(now, settings.collect.stale_after_intervals)) for state in states]
    return g.source_states


@blueprint.get("/")
@requires(*TEAM)
def index():
    return render_template("sources.html", states=_states(), zone=core().settings.timezone)


def troubled_sources() -> dict:
    """For every page: the names of the enabled sources that are broken or stale, for the team to see."""
    if not current_user.is_authenticated or current_user.role not in TEAM:
        return {}
    try:
        states = _states()
    except SQLAlchemyError:
        return {}  # an error page for a database that is down must still render
    return {"troubled_sources": [state.name for state, problem in states if problem]}


def init_app(web: Flask) -> None:
    web.context_processor(troubled_sources)
