"""Saved filters: a user's named views of the queue and the ticket list."""
