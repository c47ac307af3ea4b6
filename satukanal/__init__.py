"""SatuKanal: Tuban's social-media complaints, collected, classified, moderated and reported back.

This package holds the application wiring (configuration, database, services,
CLI, scheduler). The domain packages ``monitor``, ``classifier`` and
``publisher`` never read the environment; everything they need is built here
and passed in.
"""

__version__ = "0.1.0"
