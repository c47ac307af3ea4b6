"""Collectors: bring in every post aimed at the watched accounts, once.

Sources yield ``Page`` objects of neutral ``PostRecord``s; storing them is
the application's job (``satukanal.intake.service``), so fetching can be tested on
recorded traffic and saving on records alone.
"""

from monitor.errors import RateLimited, SourceBroken, SourceError, SourceUnavailable, TemporaryFailure
from monitor.feeds import FeedCursor
from monitor.importfile import ImportFileError, ImportLine, partition, read_import_file
from monitor.records import KINDS, PLATFORMS, Media, PostRecord, RecordError, record_from_mapping
from monitor.retry import Retrier
from monitor.sources import ImportFolderSource, Page, PlatformSource, Source

__all__ = [
    "KINDS",
    "PLATFORMS",
    "FeedCursor",
    "ImportFileError",
    "ImportFolderSource",
    "ImportLine",
    "Media",
    "Page",
    "PlatformSource",
    "PostRecord",
    "RateLimited",
    "RecordError",
    "Retrier",
    "Source",
    "SourceBroken",
    "SourceError",
    "SourceUnavailable",
    "TemporaryFailure",
    "partition",
    "read_import_file",
    "record_from_mapping",
]
