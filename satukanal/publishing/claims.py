"""Who holds a publication in flight, and whether that claim is over.

A claim names the process that sends (``host:pid:thread``) and holds until
its lease runs out. It is over (*stalled*) once the lease has run out, or at
once when the claiming process on this host is gone: a ``satukanal run``
restarted after ``kill -9`` finishes the publication without waiting out the
lease. A process on another host is trusted until its lease ends.
"""

from __future__ import annotations

import os
import socket
import threading
from datetime import datetime

from satukanal.models import Publication, utcnow

IN_FLIGHT = "in_flight"


def this_process() -> str:
    """Who claims a publication: host, process and thread, so a dead process can be told from a live one."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def is_stalled(entry: Publication, now: datetime | None = None) -> bool:
    """An in-flight publication whose claim is over: its lease ran out, or its process on this host is gone."""
    if entry.status != IN_FLIGHT:
        return False
    if entry.lease_until is None or entry.lease_until < (now or utcnow()):
        return True
    host, _, rest = (entry.claimed_by or "").partition(":")
    pid = rest.partition(":")[0]
    return host == socket.gethostname() and pid.isdigit() and not _process_alive(int(pid))


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
