"""Dashboard: the figures of a period, shared with the recap. Page: ``web/dashboard.py`` (Dasbor)."""
