"""Jinja2 templates for published texts, shipped as ``satukanal.templates``."""
