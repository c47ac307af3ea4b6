"""Ownership: who is working on a post or a ticket ("ambil", "milik saya")."""
