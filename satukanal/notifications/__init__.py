"""Notifications: in the app (the bell) and outside it (e-mail and other channels through apprise)."""
