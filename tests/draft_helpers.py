"""A recap stored as a draft awaiting approval, for the tests of editing and rejecting drafts."""

from __future__ import annotations

from dataclasses import replace

from satukanal.publishing.service import publish_recap
from tests.publishing_helpers import AFTER, WEEK


def make_draft(app) -> int:
    """Require approval from now on and store the busy week's recap for the outbox as a draft; its id."""
    app.settings = replace(app.settings, publish=app.settings.publish.model_copy(update={"require_approval": True}))
    outcome = publish_recap(app.sessions, app.settings, app.channel("outbox"), WEEK, "scheduler", now=AFTER)
    assert outcome.status == "draft"
    return outcome.publication_id
