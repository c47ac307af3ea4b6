"""Platforms: the authenticated X and Instagram clients built from the settings, for collection
(``collectors``), publication (``channels``) and the Instagram login kept between runs."""
