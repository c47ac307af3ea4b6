"""Intake: posts brought in by collection (``satukanal collect``, the scheduler) and import files, stored once,
scored, and each source's health. Command: ``cli/intake.py``; page: ``web/intake.py`` (Sumber)."""
