"""The default complaint model, built from the seed corpus by ``python -m classifier.default_model``."""
