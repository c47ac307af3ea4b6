"""The publisher: renders recaps and replies from templates and posts them, exactly once.

Figures come in as ``WeeklyFigures`` (computed by the application); text
comes out of sandboxed Jinja2 templates; ``Channel`` objects post it. The
ledger that makes posting exactly-once lives with the database, in
``satukanal.publishing.service``.
"""

from publisher.channels import Channel, Item, OutboxChannel, PublishError, thread_file
from publisher.checking import (
    SAMPLE_HASHTAGS,
    SAMPLE_MONTH,
    SAMPLE_PUBLISHED_ON,
    TemplateProblem,
    check_templates,
    sample_monthly_figures,
    sample_quiet_figures,
    sample_replies,
    sample_weekly_figures,
)
from publisher.figures import Count, Highlight, WeeklyFigures
from publisher.periods import Month, Week, format_day, format_period, last_complete_month, last_complete_week
from publisher.redact import redact
from publisher.render import RenderedRecap, RenderError, format_month, make_environment, render_monthly, render_weekly
from publisher.replies import ReplyContext, render_acknowledgement, render_resolution
from publisher.thread import TWEET_LIMIT, split_thread, tweet_length

__all__ = [
    "TWEET_LIMIT",
    "Channel",
    "Count",
    "Highlight",
    "Item",
    "OutboxChannel",
    "PublishError",
    "RenderError",
    "RenderedRecap",
    "Month",
    "Week",
    "WeeklyFigures",
    "format_day",
    "format_period",
    "last_complete_month",
    "last_complete_week",
    "make_environment",
    "redact",
    "render_weekly",
    "split_thread",
    "thread_file",
    "tweet_length",
    "SAMPLE_HASHTAGS",
    "SAMPLE_MONTH",
    "SAMPLE_PUBLISHED_ON",
    "ReplyContext",
    "TemplateProblem",
    "check_templates",
    "format_month",
    "render_acknowledgement",
    "render_monthly",
    "render_resolution",
    "sample_monthly_figures",
    "sample_quiet_figures",
    "sample_replies",
    "sample_weekly_figures",
]
