"""Review: the moderation queue, and confirming or rejecting flagged posts. Command: ``cli/review.py``;
page: ``web/review.py`` (Antrean)."""
