"""The publisher: renders recaps and replies from templates and posts them, exactly once.

Figures come in as ``WeeklyFigures`` (computed by the application); text
comes out of sandboxed Jinja2 templates; ``Channel`` objects post it. The
ledger that makes posting exactly-once lives with the database, in
``satukanal.publishing.service``.

The names below are imported on first use (PEP 562), so that ``from publisher import Week`` does not load
Jinja2, the renderer and the checks: the command line starts faster.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "Channel": "publisher.channels",
    "Item": "publisher.channels",
    "OutboxChannel": "publisher.channels",
    "PublishError": "publisher.channels",
    "REPLY_TARGET_FILE": "publisher.channels",
    "REPLY_TO_FILE": "publisher.channels",
    "ReplyTarget": "publisher.channels",
    "THREAD_FILE": "publisher.channels",
    "CAPTION_FILE": "publisher.channels",
    "thread_file": "publisher.channels",
    "SAMPLE_HASHTAGS": "publisher.checking",
    "SAMPLE_MONTH": "publisher.checking",
    "SAMPLE_PUBLISHED_ON": "publisher.checking",
    "TemplateProblem": "publisher.checking",
    "check_templates": "publisher.checking",
    "sample_monthly_figures": "publisher.checking",
    "sample_quiet_figures": "publisher.checking",
    "sample_replies": "publisher.checking",
    "sample_weekly_figures": "publisher.checking",
    "Count": "publisher.figures",
    "Highlight": "publisher.figures",
    "WeeklyFigures": "publisher.figures",
    "Month": "publisher.periods",
    "Week": "publisher.periods",
    "format_day": "publisher.periods",
    "format_period": "publisher.periods",
    "last_complete_month": "publisher.periods",
    "last_complete_week": "publisher.periods",
    "redact": "publisher.redact",
    "RenderError": "publisher.render",
    "RenderedRecap": "publisher.render",
    "format_month": "publisher.render",
    "make_environment": "publisher.render",
    "render_monthly": "publisher.render",
    "render_weekly": "publisher.render",
    "ReplyContext": "publisher.replies",
    "render_acknowledgement": "publisher.replies",
    "render_resolution": "publisher.replies",
    "TWEET_LIMIT": "publisher.thread",
    "split_thread": "publisher.thread",
    "tweet_length": "publisher.thread",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
