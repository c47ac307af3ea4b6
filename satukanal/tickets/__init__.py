"""Tickets: opened for confirmed posts and moved through the LAPOR! lifecycle against its clocks.
Command: ``cli/tickets.py``; page: ``web/tickets.py`` (Tiket)."""
