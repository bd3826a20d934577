"""The journal opened only to read it: for reports (`inflow today`, `week`, `status`, …).

Unlike `Journal`, a `ReadOnlyJournal` never creates the file, runs a migration or writes: a
missing journal is a clear error instead of an empty journal made on the spot, and a report runs
beside a companion that is writing (SQLite's WAL lets readers in). It offers the `reader()` that
the journal's read functions (`today_summary`, `week_summary`, `queue_depth`, …) use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from companion.errors import NotFound, Unavailable
from companion.journal.core import connect_read_only
from companion.journal.migrations import MIGRATIONS, schema_version

__all__ = ["ReadOnlyJournal"]


class ReadOnlyJournal:
    """A read-only handle on an existing, up-to-date journal file; use it as a context manager."""

    def __init__(self, path: Path):
        """Open the journal at `path` to read it.

        Raises `NotFound` if there is no journal there, and `Unavailable` if it cannot be read
        or an older Inflow wrote it (the companion updates it when it starts).
        """
        self.path = Path(path)
        if not self.path.is_file():
            raise NotFound(
                f"no journal at {self.path}: start the companion (`inflow serve`) and browse a "
                "little first, or point --data-dir at the folder that holds journal.db",
                code="no_journal",
            )
        try:
            self._conn = connect_read_only(self.path)
            pending = MIGRATIONS.pending(Database(self._conn))
        except sqlite3.Error as exc:
            self.close()
            raise Unavailable(f"the journal at {self.path} cannot be read: {exc}") from exc
        if pending:
            self.close()
            raise Unavailable(
                f"the journal at {self.path} was written by an older Inflow: start the companion "
                "once (`inflow serve`) to update it"
            )

    @property
    def schema_version(self) -> int:
        """How many migrations the journal has applied."""
        with self.reader() as conn:
            return schema_version(Database(conn))

    @contextmanager
    def reader(self) -> Iterator[sqlite3.Connection]:
        """The read connection (SQLite errors become `Unavailable`)."""
        try:
            yield self._conn
        except sqlite3.OperationalError as exc:
            raise Unavailable(f"the journal cannot be read: {exc}") from exc
        finally:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")

    def bytes_on_disk(self) -> int:
        """The journal's size on disk: the file and its write-ahead log."""
        wal = self.path.with_name(self.path.name + "-wal")
        return self.path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)

    def close(self) -> None:
        """Close the connection (safe to call twice)."""
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()
            self._conn = None

    def __enter__(self) -> ReadOnlyJournal:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
