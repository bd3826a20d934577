"""The journal's connections: one serialised writer per process, a reader per thread.

SQLite in WAL mode lets readers run beside the writer. Inside a process every write goes through
`Journal.transaction()`, which holds one lock and one connection (`BEGIN IMMEDIATE`), so writes
never interleave; the API process and the worker process are serialised by SQLite's own lock
(with a generous busy timeout). Errors that mean "the journal cannot be written right now" (disk
full, read-only file, locked for too long) surface as `Unavailable` (503), never as a crash.

Writes that arrive together can be committed together (`Journal.write_together`): one writer
thread takes every write waiting for it and runs them in one transaction, each in a savepoint of
its own, so eight clients sending at once cost one commit, not eight, and no thread waits on the
write lock for another's commit. Each caller still gets its answer only after that commit.

Checkpoints (copying the WAL back into the journal file, with an fsync) run on a thread of their
own, at most once a second after writes, instead of inside the commit that crosses SQLite's
1,000-page threshold: that commit, and the request waiting on it, stalled for milliseconds.

The journal is private: its folder is 0700 and its file 0600 (SQLite gives the WAL and shared
memory files the journal's mode), and every connection runs with `secure_delete`, so deleted
rows are overwritten, not left in free pages (see `forget`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from companion.errors import Unavailable
from companion.journal.migrations import MIGRATIONS, schema_version

__all__ = ["Journal", "connect_read_only", "utc_now"]

log = logging.getLogger("inflow.journal")

_BUSY_TIMEOUT_MS = 15_000
_CHECKPOINT_INTERVAL_S = 1.0
# A checkpoint beside steady writes never catches up with the WAL's end (it copies what was there
# when it began), so SQLite never rewinds the WAL: past this many pages (~40 MB) the writer itself,
# right after its next commit and still holding the write lock, copies the rest, and the write
# after that starts the WAL afresh. (The checkpointer taking the lock instead lost the race for it
# to a busy writer: the WAL grew to 80 MB in 3 s on a loaded machine.)
_WAL_REWIND_PAGES = 10_000
_GROUP_MAX = 256  # writes per shared transaction: bounds how long one commit holds the lock
_PRIVATE_FOLDER, _PRIVATE_FILE = 0o700, 0o600
_GROUP_AND_OTHERS = 0o077
# Emptying the WAL after a deletion waits this long at most for a checkpoint running beside it.
_TRUNCATE_PATIENCE_S, _TRUNCATE_RETRY_S = 2.0, 0.02


def _answer(settled: list[tuple[asyncio.Future, tuple[object, BaseException | None]]]) -> None:
    """Give each waiting caller its result or its error (on the callers' event loop)."""
    for done, (result, error) in settled:
        if done.cancelled():
            continue
        if error is None:
            done.set_result(result)
        else:
            done.set_exception(error)


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string (what the journal stores)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path, isolation_level=None, check_same_thread=False, timeout=_BUSY_TIMEOUT_MS / 1000
    )
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that can only read the existing journal at `path` (SQLite's `mode=ro`).

    Nothing is created, migrated or written, not even a missing file (that raises
    `sqlite3.OperationalError`); a journal in WAL mode opens beside a companion writing to it.
    """
    uri = f"{Path(path).absolute().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=_BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA query_only = ON")
    return conn


def _make_private(path: Path) -> None:
    """Create the journal's folder and file for their owner only, or take group's and others'
    access away from them (the owner's own stays: a read-only journal stays read-only).

    SQLite creates a new file 0644 (less the umask), and its WAL and shared memory files take
    the journal file's mode: so the file is made (0600) before SQLite opens it. Failing to
    change a mode (a folder of someone else's) is logged, not fatal.
    """
    path.parent.mkdir(mode=_PRIVATE_FOLDER, parents=True, exist_ok=True)
    try:
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _PRIVATE_FILE))
        for item in (path.parent, path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if item.exists() and item.stat().st_mode & _GROUP_AND_OTHERS:
                item.chmod(stat.S_IMODE(item.stat().st_mode) & ~_GROUP_AND_OTHERS)
    except OSError as exc:
        log.warning("cannot make the journal private to its owner: %s", exc.strerror)


def _unwritable(exc: BaseException) -> bool:
    """An SQLite error about the file (full, read-only, busy), not about one statement's data."""
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.IntegrityError)


def _unavailable(exc: sqlite3.Error) -> Unavailable:
    text = str(exc).lower()
    if "full" in text:
        reason = "the disk holding the journal is full; free some space and retry"
    elif "readonly" in text or "read-only" in text:
        reason = "the journal file is read-only; check its permissions"
    elif "locked" in text or "busy" in text:
        reason = "the journal is busy; retry in a moment"
    else:
        reason = f"the journal cannot be written ({exc.__class__.__name__})"
    return Unavailable(reason, headers={"Retry-After": "5"})


class Journal:
    """One process's handle on the journal file: open it, migrate it, read and write it."""

    def __init__(self, path: Path):
        """Open (creating if needed) the journal at `path`, in WAL mode, fully migrated.

        Raises `Unavailable` if the file cannot be opened or migrated.
        """
        self.path = Path(path)
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        try:
            _make_private(self.path)
            self._writer = _connect(self.path)
            self._writer.execute("PRAGMA journal_mode = WAL")
            with self._write_lock:
                MIGRATIONS.apply(Database(self._writer))
            self._writer.execute("PRAGMA wal_autocheckpoint = 0")  # the checkpointer's job
        except sqlite3.Error as exc:
            if not os.access(self.path.parent, os.W_OK):
                raise Unavailable(
                    "the journal's folder is read-only; check its permissions or mount",
                    headers={"Retry-After": "5"},
                ) from exc
            raise _unavailable(exc) from exc
        except OSError as exc:
            raise Unavailable(f"the journal's folder cannot be used: {exc.strerror}") from exc
        self._written, self._closed = threading.Event(), threading.Event()
        self._soon: dict[Callable, None] = {}  # `write_soon`'s work, each once, in order
        self._soon_lock = threading.Lock()
        self._rewind_due = False  # set by the checkpointer, done by the writer after a commit
        self._checkpointer = threading.Thread(
            target=self._checkpoint_after_writes, name="inflow-checkpoint", daemon=True
        )
        self._checkpointer.start()
        self._group: queue.SimpleQueue[tuple | None] = queue.SimpleQueue()
        self._group_writer = threading.Thread(
            target=self._write_groups, name="inflow-group-writer", daemon=True
        )
        self._group_writer.start()

    @property
    def schema_version(self) -> int:
        """How many migrations the journal has applied."""
        with self.reader() as conn:
            return schema_version(Database(conn))

    @contextmanager
    def transaction(self, *, truncate_wal: bool = False) -> Iterator[sqlite3.Connection]:
        """Run a write transaction (`BEGIN IMMEDIATE` … `COMMIT`) under the process's write lock.

        With `truncate_wal`, the commit is followed by a checkpoint that copies the whole WAL
        into the journal and empties it, so no older version of a page stays in the WAL (after
        a deletion). Raises `Unavailable` when SQLite cannot write (disk full, read-only, busy).
        """
        with self._write_lock:
            conn = self._writer
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise _unavailable(exc) from exc
            try:
                yield conn
                conn.execute("COMMIT")
                if not truncate_wal:  # no background checkpoint racing the one after it
                    self._written.set()
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if _unwritable(exc):
                    raise _unavailable(exc) from exc
                raise
            if truncate_wal:
                self._truncate_wal(conn)
            elif self._rewind_due and self._rewind(conn):
                self._rewind_due = False

    def write_soon(self, work: Callable[[sqlite3.Connection], object]) -> None:
        """Run `work(conn)` in a write transaction, then empty the WAL, on the checkpointer's
        thread within about a second; the same `work` asked for again meanwhile runs once.

        For slow upkeep after a deletion (the caller does not wait, and a burst of deletions
        pays once). Work still due at `close` runs then; failures are logged.
        """
        with self._soon_lock:
            self._soon[work] = None
        self._written.set()

    def _run_soon(self) -> None:
        with self._soon_lock:
            due, self._soon = list(self._soon), {}
        for work in due:
            try:
                with self.transaction(truncate_wal=True) as conn:
                    work(conn)
            except Exception as exc:  # noqa: BLE001 - the checkpointer must outlive it
                log.warning("upkeep after a deletion failed: %s", exc.__class__.__name__)

    @staticmethod
    def _truncate_wal(conn: sqlite3.Connection) -> None:
        """Checkpoint everything and empty the WAL (the write lock is held).

        A checkpoint running beside it (the checkpointer's, another process's) makes SQLite
        refuse at once: it is tried again for up to `_TRUNCATE_PATIENCE_S`. The commit before
        it stands whatever happens: a failure is logged.
        """
        deadline = time.monotonic() + _TRUNCATE_PATIENCE_S
        while True:
            try:
                busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.Error as exc:
                log.warning("emptying the WAL failed: %s", exc.__class__.__name__)
                return
            if not busy:
                return
            if time.monotonic() > deadline:
                log.warning("emptying the WAL: a checkpoint or reader stayed busy; it waits")
                return
            time.sleep(_TRUNCATE_RETRY_S)

    @staticmethod
    def _rewind(conn: sqlite3.Connection) -> bool:
        """Copy the whole WAL back (the write lock is held), so the next write starts it afresh.

        Returns whether it copied everything (not if another checkpoint was running: the next
        commit tries again). The commit before it stands whatever happens: a failure is logged.
        """
        try:
            busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error as exc:
            log.warning("WAL catch-up failed: %s", exc.__class__.__name__)
            return False
        return not busy and copied >= frames

    async def write_together(self, work: Callable[[sqlite3.Connection], object]) -> object:
        """Run `work(conn)` in a transaction shared with the writes waiting beside it.

        `work` runs in a savepoint of its own: if it raises, only its changes are undone and
        the exception reaches this caller alone. Returns `work`'s result once the shared
        transaction has committed. Raises `Unavailable` when SQLite cannot write.
        """
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        self._group.put((work, loop, done))
        return await done

    def _write_groups(self) -> None:
        while True:
            first = self._group.get()
            if first is None:
                return
            group = [first]
            while len(group) < _GROUP_MAX:
                try:
                    item = self._group.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._group.put(None)  # stop after this group
                    break
                group.append(item)
            self._commit_group(group)

    def _commit_group(self, group: list[tuple]) -> None:
        # A caller gone meanwhile (cancelled) still has its write done: it was asked for.
        outcomes: list[tuple[object, BaseException | None]] = []
        try:
            with self.transaction() as conn:
                for work, _, _ in group:
                    conn.execute("SAVEPOINT one_write")
                    try:
                        outcomes.append((work(conn), None))
                    except Exception as exc:  # noqa: BLE001 - it belongs to that caller
                        if _unwritable(exc):
                            raise  # the file cannot be written: the whole group fails alike
                        conn.execute("ROLLBACK TO one_write")
                        outcomes.append((None, exc))
                    conn.execute("RELEASE one_write")
        except BaseException as exc:  # noqa: BLE001 - every waiting caller must hear of it
            outcomes = [(None, exc)] * len(group)
        # One wake-up per event loop for the whole group, not one per caller.
        answers: dict[asyncio.AbstractEventLoop, list] = {}
        for (_, loop, done), outcome in zip(group, outcomes, strict=True):
            answers.setdefault(loop, []).append((done, outcome))
        for loop, settled in answers.items():
            with suppress(RuntimeError):  # a loop that has closed: nobody waits for these
                loop.call_soon_threadsafe(_answer, settled)

    @contextmanager
    def reader(self) -> Iterator[sqlite3.Connection]:
        """A read connection of this thread's own (readers never wait for the writer in WAL)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = _connect(self.path)
            except sqlite3.Error as exc:
                raise _unavailable(exc) from exc
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        try:
            yield conn
        except sqlite3.OperationalError as exc:
            raise _unavailable(exc) from exc
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    def _checkpoint_after_writes(self) -> None:
        conn = None
        while True:
            self._written.wait()
            self._written.clear()
            if self._closed.is_set():
                break
            self._run_soon()
            if self._rewind_due:  # the writer's catch-up is pending: do not compete with it
                self._closed.wait(_CHECKPOINT_INTERVAL_S)
                continue
            try:
                conn = conn or _connect(self.path)
                _, pages, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                if pages > _WAL_REWIND_PAGES:
                    self._rewind_due = True
            except Exception as exc:  # noqa: BLE001 - the thread must outlive any failure
                # A full disk, say: the next write brings another try. Were this thread to die,
                # nothing would checkpoint (the writer's autocheckpoint is off).
                log.warning("checkpoint failed: %s", exc.__class__.__name__)
            self._closed.wait(_CHECKPOINT_INTERVAL_S)
        if conn is not None:
            conn.close()

    def close(self) -> None:
        """Close every connection this handle opened (after the writes already waiting)."""
        self._group.put(None)
        self._group_writer.join()
        self._closed.set()
        self._written.set()
        self._checkpointer.join()
        self._run_soon()
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        with self._write_lock:
            self._writer.close()
