"""One scheduler at a time, however many ``satukanal run`` processes share one PostgreSQL database.

The leader holds a PostgreSQL session-level advisory lock on a connection of
its own; the others wait and try again every ``STANDBY_SECONDS``. PostgreSQL
releases the lock when the leader's connection ends: at once when the process
dies (the kernel closes its socket, ``kill -9`` included), and within about
a minute when its machine vanishes from the network, by the TCP keepalives
this connection asks the server for. The leader checks every
``HEARTBEAT_SECONDS`` that it still holds the lock and steps down if it does
not (its connection was cut), so two leaders never run jobs side by side for
longer than one heartbeat.

Advisory locks are per database: two offices with their own databases on one
server do not wait for each other. SQLite is one file on one machine, so there
the single ``satukanal run`` the README asks for is always the leader.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

LOCK_KEY = 0x5A7C_4A4E_0001
"""The advisory lock's key: a fixed 64-bit number ("SatuKanal", scheduler 1), the same in every process."""
STANDBY_SECONDS = 5
"""How often a waiting process tries to become the leader: a dead leader is replaced within this, plus the
time PostgreSQL takes to notice (none for a killed process)."""
HEARTBEAT_SECONDS = 10
KEEPALIVE = {"tcp_keepalives_idle": 20, "tcp_keepalives_interval": 10, "tcp_keepalives_count": 3}
"""The server probes a silent leader's connection after 20 s, then every 10 s, and drops it after 3 misses."""


class Leadership:
    """Whether this process may run the scheduler's jobs; ``acquire`` to try, ``held`` to check, ``release``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self.shared = engine.dialect.name == "postgresql"
        """Whether other processes compete for the lead (PostgreSQL); on SQLite this process always leads."""

    def acquire(self) -> bool:
        """Take the lead if no other process holds it; True if this process leads now."""
        if not self.shared:
            return True
        if self._connection is not None:
            return self.held()
        try:
            connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except DBAPIError as exc:  # the database is down: wait, and try again at the next turn
            log.warning("cannot reach the database to ask for the scheduler's lead: %s", exc.orig or exc)
            return False
        try:
            for name, value in KEEPALIVE.items():
                connection.execute(text(f"SET {name} = {int(value)}"))
            taken = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY})
        except DBAPIError as exc:
            log.warning("cannot ask the database for the scheduler's lead: %s", exc.orig or exc)
            taken = False
        if not taken:
            connection.close()
            return False
        self._connection = connection
        return True

    def held(self) -> bool:
        """Whether this process still holds the lead: its lock connection is alive and still has the lock."""
        if not self.shared:
            return True
        if self._connection is None:
            return False
        try:
            holding = self._connection.scalar(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND pid = pg_backend_pid() AND ((classid::bigint << 32) | objid::bigint) = :key"
                ),
                {"key": LOCK_KEY},
            )
        except DBAPIError as exc:
            log.error("lost the connection that holds the scheduler's lead: %s", exc.orig or exc)
            self._drop()
            return False
        if not holding:
            self._drop()
        return bool(holding)

    def release(self) -> None:
        """Give up the lead (closing the connection releases the lock even if the unlock fails)."""
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
        except DBAPIError:
            pass
        self._drop()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except DBAPIError:
                connection.invalidate()
