"""What a queue card shows and sends: the post and its context, the confirm and reject forms, their selects.

The selects' choices come from the settings (categories, agencies) and the
Tuban kecamatan list; the forms accept exactly the values the page offers.
The confirm form's title comes filled with the title the ticket would get
(``tickets.titles.propose_title`` for the model's category), so confirming
with ``c`` sends it; the moderator may edit it first. A decision that fails
comes back to its card (``CardError``) with the message and what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from flask import g
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from publisher import redact
from satukanal.config.settings import Settings
from satukanal.models import Post
from satukanal.review.context import Context, SimilarTicket
from satukanal.tickets.service import TITLE_LIMIT
from satukanal.tickets.titles import propose_title, title_subject
from satukanal.tuban import KECAMATAN, category_label
from satukanal.web.users import core

REJECT_REASONS = {
    "bukan_keluhan": "Bukan keluhan",
    "spam": "Spam atau promosi",
    "bukan_wewenang": "Di luar kewenangan Pemkab Tuban",
    "duplikat": "Duplikat tiket (isi nomornya)",
}
KEPT = {"title": TITLE_LIMIT * 2, "category": 64, "agency": 64, "kecamatan": 64, "reason": 32, "note": 600}
"""The fields a card keeps after a failed decision, each cut to this length (they travel in the session cookie)."""


class ConfirmForm(FlaskForm):
    title = StringField("Judul", validators=[Optional(), Length(max=TITLE_LIMIT)])
    category = SelectField("Kategori")
    agency = SelectField("OPD")
    kecamatan = SelectField("Kecamatan")
    anonymous = BooleanField("Anonim", default=True)
    confidential = BooleanField("Rahasia")


class RejectForm(FlaskForm):
    reason = SelectField("Alasan")
    note = StringField("Catatan atau nomor tiket", validators=[Optional(), Length(max=300)])


@dataclass(frozen=True)
class CardError:
    """A decision on a card that failed: why, and the form as the moderator sent it, to show again on the card."""

    post_id: int
    message: str
    values: dict[str, str] = field(default_factory=dict)
    checked: tuple[str, ...] = ()
    """The checkboxes that were ticked (``anonymous``, ``confidential``); None of them for a reject form."""
    form: str = "confirm"

    @classmethod
    def of(cls, post_id: int, message: str, sent, form: str) -> CardError:
        """The error for ``post_id`` with what ``sent`` (the request's form) held."""
        values = {name: sent.get(name, "")[:limit] for name, limit in KEPT.items() if name in sent}
        checked = tuple(name for name in ("anonymous", "confidential") if sent.get(name))
        return cls(post_id, message, values, checked, form)

    def stored(self) -> dict:
        return {
            "post": self.post_id,
            "message": self.message,
            "values": self.values,
            "checked": list(self.checked),
            "form": self.form,
        }

    @classmethod
    def restored(cls, data: dict) -> CardError:
        return cls(int(data["post"]), str(data["message"]), dict(data["values"]), tuple(data["checked"]), data["form"])


def select_choices() -> dict[str, list[tuple[str, str]]]:
    """What each card's selects offer; the forms accept exactly these values. Built once per request: every
    card of a page reads them."""
    if "select_choices" not in g:
        settings = core().settings
        g.select_choices = {
            "category": [("", "(saran model)"), *((name, category_label(name)) for name in settings.categories)],
            "agency": [("", "(sesuai kategori)"), *((key, agency.name) for key, agency in settings.agencies.items())],
            "kecamatan": [("", "(dari teks)"), *((name, name) for name in KECAMATAN)],
            "reason": list(REJECT_REASONS.items()),
        }
    return g.select_choices


def with_choices(form: FlaskForm) -> FlaskForm:
    """``form`` with the choices of its selects filled in, so it validates the posted values against them."""
    for name, items in select_choices().items():
        if name in form:
            form[name].choices = [SelectChoice(value, label) for value, label in items]
    return form


def card_options() -> dict[str, Markup]:
    """The category, agency and kecamatan selects' options after the first, rendered once per page.

    A card's selects carry only their first option (the model's suggestion,
    named on the card) and any value kept after an error; queue.js copies the
    other options from one ``<template>`` into them. Fifty cards each
    repeating those lists were most of the page's weight and rendering time.
    """
    settings = core().settings
    return {
        field: Markup("").join(_option(field, value, label, settings) for value, label in items[1:])
        for field, items in select_choices().items()
        if field != "reason"
    }


OPTIONS_REMEMBERED = 1024
"""``<option>`` elements ``_plain_option`` keeps: every choice of every select, selected and not, and room to spare."""


def _option(field: str, value: str, label: str, settings: Settings, selected: bool = False) -> Markup:
    """An ``<option>``; a category's carries the subject titles start with and the agency it is routed to,
    for queue.js to swap the subject into the title and to warn when the chosen agency is another."""
    if field == "category" and value:
        chosen = Markup(" selected") if selected else Markup("")
        return Markup('<option value="{}" data-subject="{}" data-agency="{}"{}>{}</option>').format(
            value, title_subject(value), settings.agency_for_category(value) or "", chosen, label
        )
    return _plain_option(value, label, selected)


@lru_cache(maxsize=OPTIONS_REMEMBERED)
def _plain_option(value: str, label: str, selected: bool) -> Markup:
    """An ``<option>`` of the choices (``select_choices``), rendered once per process: every card repeats the
    reject reasons."""
    return Markup('<option value="{}"{}>{}</option>').format(value, Markup(" selected") if selected else "", label)


def _selects(category: str | None, kept: dict[str, str], settings: Settings) -> dict[str, Markup]:
    """The selects of one card: the first option (the category's names the model's suggestion) and the value
    kept after an error, selected; the reject reasons in full."""
    choices = select_choices()
    if category:
        suggested = Markup(
            '<option value="" data-subject="{}" data-agency="{}" data-label="{}">{} (saran model)</option>'
        )
        first = suggested.format(
            title_subject(category), settings.agency_for_category(category) or "", *[category_label(category)] * 2
        )
    else:
        first = _option("category", "", "(belum ada saran model)", settings)
    selects = {
        "reason": Markup("").join(
            _option("reason", key, label, settings, key == kept.get("reason")) for key, label in choices["reason"]
        )
    }
    for name in ("category", "agency", "kecamatan"):
        labels, value = dict(choices[name]), kept.get(name, "")
        options = [first if name == "category" else _option(name, "", labels[""], settings)]
        if value and value in labels:
            options.append(_option(name, value, labels[value], settings, selected=True))
        selects[name] = Markup("").join(options)
    return selects


def mismatch(settings: Settings, category: str | None, agency: str | None) -> str | None:
    """A warning when ``agency`` is not the one ``category`` is routed to; queue.js writes the same words."""
    expected = settings.agency_for_category(category)
    if not agency or expected is None or agency == expected:
        return None
    return (
        f"{category_label(category)} biasanya ditangani {settings.agency_name(expected)}, "
        f"bukan {settings.agency_name(agency)}. Periksa lagi; konfirmasi tetap bisa."
    )


def waited(since: datetime, now: datetime) -> str:
    """How long a post has waited, in words: ``menunggu 3 jam``, ``menunggu 2 hari``."""
    minutes = max(0, int((now - since).total_seconds()) // 60)
    if minutes < 60:
        return f"menunggu {minutes} menit" if minutes else "baru masuk"
    hours = minutes // 60
    return f"menunggu {hours} jam" if hours < 24 else f"menunggu {hours // 24} hari"


TITLES_REMEMBERED = 4096
"""Waiting posts whose proposed title ``_proposed_title`` keeps: the first pages of the queue many times over."""


@lru_cache(maxsize=TITLES_REMEMBERED)
def _proposed_title(text: str, category: str | None) -> str:
    """The title a card proposes for a post, remembered per text and category: every view of the queue shows
    the same waiting posts again, and redacting and titling 25 of them was a third of a page's time."""
    return propose_title(redact(text), category, None, TITLE_LIMIT)


@dataclass(frozen=True)
class QueueCard:
    """What the queue shows of a post (``card``); attributes, not a dict, because Jinja reads an attribute
    first and only then an item, and 25 cards read over a thousand."""

    id: int
    platform: str
    author: str
    url: str | None
    created_at: datetime
    waited: str
    text: str
    title: str
    proposed_title: str
    title_subject: str
    selects: dict[str, Markup]
    checked: set[str]
    note: str
    error: CardError | None
    warning: str | None
    thumbnails: list[str]
    media_count: int
    score: float | None
    flagged: bool
    thread: list[tuple[str, str]]
    duplicates: list[SimilarTicket]
    suggestions: list[tuple[str, str, float]]
    owner: str | None
    """The username of the moderator holding the post, if any."""


def card(
    post: Post, context: Context, now: datetime, error: CardError | None = None, owner: str | None = None
) -> QueueCard:
    """What the queue shows of ``post``: its text and media, the model's verdict, ``context``, ``error``
    with the input it kept, and who holds it (``owner``)."""
    settings = core().settings
    verdict = post.classification
    category = verdict.category if verdict else None
    kept = error.values if error else {}
    chosen = kept.get("category") or category
    title = _proposed_title(post.text, category)
    return QueueCard(
        id=post.id,
        platform=post.platform,
        author=post.author,
        url=post.url if post.url and post.url.startswith("https://") else None,
        created_at=post.created_at.astimezone(settings.timezone),
        waited=waited(post.created_at, now),
        text=post.text,
        title=kept.get("title", title) if error and error.form == "confirm" else title,
        proposed_title=title,
        title_subject=title_subject(category),
        selects=_selects(category, kept, settings),
        checked=set(error.checked) if error and error.form == "confirm" else {"anonymous"},
        note=kept.get("note", ""),
        error=error,
        warning=mismatch(settings, chosen, kept.get("agency")),
        thumbnails=[item["thumbnail"] for item in post.media if "thumbnail" in item],
        media_count=len(post.media),
        score=verdict.score if verdict else None,
        flagged=bool(verdict and verdict.flagged),
        thread=[(parent.author, parent.text) for parent in context.thread],
        duplicates=context.duplicates,
        suggestions=[
            (category_label(name), settings.agency_name(settings.agency_for_category(name)), probability)
            for name, probability in (verdict.suggestions if verdict else [])
        ],
        owner=owner,
    )
