"""The words staff screens show for the codes the database keeps: platforms, audit actions and fields, periods.

One home for these labels, registered as template filters, so a page never
shows a bare code such as ``x`` (which reads like the queue's ``x`` key),
``phone``, ``ticket.status`` or ``2026-W48``. An unknown code shows as itself
rather than failing the page.
"""

from __future__ import annotations

from flask import Flask

from publisher import Month, Week, format_month, format_period

CHANNEL_LABELS = {"outbox": "Outbox (folder)", "x": "X", "instagram": "Instagram"}
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

ACTION_LABELS = {
    "ticket.create": "Tiket dibuat",
    "ticket.status": "Status tiket diubah",
    "ticket.note": "Catatan tiket ditambahkan",
    "ticket.assign": "Tiket diserahkan",
    "ticket.route": "Tiket dialihkan ke instansi lain",
    "post.confirm": "Unggahan dikonfirmasi",
    "post.reject": "Unggahan ditolak",
    "post.duplicate": "Unggahan digabung ke tiket",
    "post.undo": "Keputusan unggahan dibatalkan",
    "post.assign": "Unggahan diambil",
    "publication.draft": "Draf publikasi dibuat",
    "publication.edit": "Draf publikasi diubah",
    "publication.approve": "Publikasi disetujui",
    "publication.reject": "Draf publikasi ditolak",
    "publication.retry": "Publikasi dicoba lagi",
    "publication.publish": "Publikasi terbit",
    "publication.fail": "Publikasi gagal",
    "user.create": "Pengguna ditambahkan",
    "user.role": "Peran pengguna diubah",
    "user.enable": "Pengguna diaktifkan",
    "user.disable": "Pengguna dinonaktifkan",
    "user.lock": "Akun terkunci (salah sandi berulang)",
    "user.unlock": "Kunci akun dibuka",
    "user.password_change": "Kata sandi diganti sendiri",
    "user.password_reset": "Kata sandi diatur ulang admin",
    "user.token": "Token API dibuat",
    "user.notify": "Pengaturan pemberitahuan diubah",
    "model.promote": "Model baru dipakai",
    "model.keep": "Model baru tidak dipakai",
    "sources.check": "Sumber diperiksa",
}
"""Every action ``audit.record``/``record_event`` is called with; ``test_labels`` checks none is missing."""

FIELD_LABELS = {
    "number": "Nomor",
    "status": "Status",
    "review_status": "Keputusan",
    "category": "Kategori",
    "agency": "Instansi",
    "kecamatan": "Kecamatan",
    "lapor_id": "ID LAPOR!",
    "title": "Judul",
    "note": "Catatan",
    "reason": "Alasan",
    "ticket": "Tiket",
    "owner": "Pemilik",
    "username": "Nama pengguna",
    "role": "Peran",
    "is_active": "Aktif",
    "locked_until": "Terkunci sampai",
    "has_api_token": "Punya token API",
    "email": "E-mail",
    "notify_mode": "Cara pemberitahuan",
    "remote_ids": "ID terbitan",
    "error": "Galat",
    "x_thread": "Utas X",
    "instagram_caption": "Keterangan Instagram",
    "version": "Versi",
    "held_out": "Hasil uji",
    "comparison": "Dibanding model lama",
    "refusal": "Alasan tidak dipakai",  # in entries recorded before "comparison" replaced it
    "sources": "Sumber",
    "checked": "Diperiksa",
    "requested": "Diminta ke penjadwal",
    "troubled": "Bermasalah",
}

METRIC_LABELS = {
    "n": "jumlah",
    "precision": "presisi",
    "recall": "recall",
    "f1": "F1",
    "roc_auc": "ROC AUC",
    "brier": "skor Brier",
    "precision_at_recall_90": "presisi pada recall 0,90",
}
"""The figures a model is measured by (``classifier.metrics.binary_metrics``), as the audit log names them."""

REVIEW_LABELS = {"pending": "Menunggu", "confirmed": "Dikonfirmasi", "rejected": "Ditolak"}


def platform_label(code: str | None) -> str:
    """``x`` → ``X (Twitter)``, ``phone`` → ``Telepon``."""
    return PLATFORM_LABELS.get(code or "", code or "")


def action_label(code: str | None) -> str:
    """``ticket.status`` → ``Status tiket diubah``."""
    return ACTION_LABELS.get(code or "", code or "")


def field_label(name: str) -> str:
    """``review_status`` → ``Keputusan``; an unknown field is made readable (``due_at`` → ``Due at``)."""
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def period_label(code: str | None) -> str:
    """``2026-W48`` → ``23–29 November 2026``, ``2026-11`` → ``November 2026``, a reply's
    ``TBN-2026-000100#360`` → ``TBN-2026-000100, unggahan 360``; anything else as it is."""
    text = code or ""
    for kind in (Week, Month):
        try:
            period = kind.parse(text)
        except ValueError:
            continue
        if isinstance(period, Week):
            return format_period(period.monday, period.sunday)
        return format_month(period.first)
    number, hash_sign, post = text.partition("#")
    return f"{number}, unggahan {post}" if hash_sign else text


def channel_label(code: str | None) -> str:
    """Where a publication goes: ``outbox`` → ``Outbox (folder)``, ``x`` → ``X``."""
    return CHANNEL_LABELS.get(code or "", code or "")


def init_app(web: Flask) -> None:
    for label in (platform_label, action_label, field_label, period_label, channel_label):
        web.add_template_filter(label)
