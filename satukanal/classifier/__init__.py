"""The complaint model in the application: scoring stored posts, and retraining on moderators' decisions.
Command: ``cli/classifier.py``. The model itself is the ``classifier`` package at the root."""
