"""The words staff screens show for the codes the database keeps: platforms, and more as they are needed.

One home for these labels, registered as template filters, so a page never
shows a bare code such as ``x`` (which reads like the queue's ``x`` key) or
``phone``. An unknown code shows as itself rather than failing the page.
"""

from __future__ import annotations

from flask import Flask

PLATFORM_LABELS = {
    "x": "X (Twitter)",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "tiktok": "TikTok",
    "whatsapp": "WhatsApp",
    "sms": "SMS",
    "phone": "Telepon",
    "email": "E-mail",
    "web": "Situs web",
}


def platform_label(code: str | None) -> str:
    """``x`` → ``X (Twitter)``, ``phone`` → ``Telepon``."""
    return PLATFORM_LABELS.get(code or "", code or "")


def init_app(web: Flask) -> None:
    web.add_template_filter(platform_label)
