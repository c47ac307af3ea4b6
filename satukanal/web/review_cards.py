"""What a queue card shows and sends: the post and its context, the confirm and reject forms, their selects.

The selects' choices come from the settings (categories, agencies) and the
Tuban kecamatan list; the forms accept exactly the values the page offers.
The confirm form's title comes filled with the title the ticket would get
(``tickets.titles.propose_title`` for the model's category), so confirming
with ``c`` sends it; the moderator may edit it first.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from publisher import redact
from satukanal.models import Post
from satukanal.review.context import Context
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


def select_choices() -> dict[str, list[tuple[str, str]]]:
    """What each card's selects offer; the forms accept exactly these values."""
    settings = core().settings
    return {
        "category": [("", "(saran model)"), *((name, category_label(name)) for name in settings.categories)],
        "agency": [("", "(sesuai kategori)"), *((key, agency.name) for key, agency in settings.agencies.items())],
        "kecamatan": [("", "(dari teks)"), *((name, name) for name in KECAMATAN)],
        "reason": list(REJECT_REASONS.items()),
    }


def with_choices(form: FlaskForm) -> FlaskForm:
    """``form`` with the choices of its selects filled in, so it validates the posted values against them."""
    for name, items in select_choices().items():
        if name in form:
            form[name].choices = [SelectChoice(value, label) for value, label in items]
    return form


def card_options() -> dict[str, dict[str, Markup]]:
    """Each select's options, rendered once per page.

    A card's category, agency and kecamatan selects carry only their first
    option (the model's suggestion); queue.js copies the full lists from one
    ``<template>`` into them. Fifty cards each repeating those lists were
    most of the page's weight and of its rendering time.
    """
    options = {}
    for field, items in select_choices().items():
        rendered = [_option(field, value, label) for value, label in items]
        options[field] = {"first": rendered[0], "all": Markup("").join(rendered)}
    return options


def _option(field: str, value: str, label: str) -> Markup:
    """An ``<option>``; a category's carries the subject titles start with, for queue.js to swap in."""
    if field == "category" and value:
        return Markup('<option value="{}" data-subject="{}">{}</option>').format(value, title_subject(value), label)
    return Markup('<option value="{}">{}</option>').format(value, label)


def card(post: Post, context: Context) -> dict:
    """What the queue shows of ``post``: its text and media, the model's verdict, and ``context``."""
    settings = core().settings
    verdict = post.classification
    category = verdict.category if verdict else None
    return {
        "id": post.id,
        "platform": post.platform,
        "author": post.author,
        "url": post.url if post.url and post.url.startswith("https://") else None,
        "created_at": post.created_at.astimezone(settings.timezone),
        "text": post.text,
        "title": propose_title(redact(post.text), category, None, TITLE_LIMIT),
        "title_subject": title_subject(category),
        "thumbnails": [item["thumbnail"] for item in post.media if "thumbnail" in item],
        "media_count": len(post.media),
        "score": verdict.score if verdict else None,
        "flagged": bool(verdict and verdict.flagged),
        "thread": [(parent.author, parent.text) for parent in context.thread],
        "duplicates": [(ticket.number, ticket.title) for ticket in context.duplicates],
        "suggestions": [
            (category_label(name), settings.agency_for_category(name), probability)
            for name, probability in (verdict.suggestions if verdict else [])
        ],
    }
