"""Replies to citizens where they wrote: drafted, approved and posted through the publication ledger."""
