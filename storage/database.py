"""Opening warta's SQLite database, and the one way to write to it atomically.

``open_database`` refuses files it must not touch (not SQLite, another program's
database, a newer schema, a lock it cannot get) with a :class:`StorageError`
naming the file, switches the file to WAL so analysts can read while a crawl
writes, and applies pending migrations. ``transaction`` groups writes: the
outermost one is a ``BEGIN IMMEDIATE`` transaction, nested ones are savepoints,
so one failed article rolls back alone inside a larger batch.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from storage.schema import MIGRATIONS, applied_migrations, migrate

__all__ = [
    "StorageError", "check_writable", "damage", "database_path", "describe_error", "open_database",
    "stored_time", "transaction", "use_wal", "utc_now",
]

_savepoints = itertools.count(1)
_NO_PERMISSION = re.compile("SQLITE_(READONLY|CANTOPEN|PERM)")


class StorageError(Exception):
    """The database cannot be used or a write failed; the message names the file."""


def open_database(path: str | Path, *, timeout: float = 30.0) -> Database:
    """Open (creating if needed) the warta database at ``path`` and bring it up to date.

    ``timeout`` is how many seconds to wait for another process's lock before
    giving up with a :class:`StorageError`.
    """
    path = Path(path)
    _check_file(path)
    try:
        conn = sqlite3.connect(str(path), timeout=timeout)
    except sqlite3.Error as exc:
        raise StorageError(f"{path}: cannot open the database ({exc})") from exc
    try:
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        db.execute("PRAGMA foreign_keys = ON")
        _check_version(db, path)
        use_wal(conn)
        db.execute("PRAGMA synchronous = NORMAL")
        migrate(db)
    except StorageError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        message = describe_error(path, exc, "cannot open the database")
        if _NO_PERMISSION.match(getattr(exc, "sqlite_errorname", "")):
            message += ("; warta needs write access to the file and its folder even to read "
                        "it (its write-ahead log and shared-memory files live beside it): ask "
                        "its owner for group write access, or read a copy")
        raise StorageError(message) from exc
    return db


def check_writable(path: str | Path) -> None:
    """Raise :class:`StorageError` unless this process may write the database file at
    ``path`` and create its journal files beside it (opening it for reading needs less)."""
    path = Path(path)
    for target, what in ((path, "the database file"), (path.parent, "its folder")):
        if target.exists() and not os.access(target, os.W_OK):
            raise StorageError(f"{path}: no permission to write {what}")


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """Commit everything written inside the block together, or nothing of it.

    Nested blocks are savepoints: a failure inside one undoes that block only and
    the enclosing transaction goes on. A ``sqlite3.Error`` leaves the block as a
    :class:`StorageError`; other exceptions pass through unchanged.

    Some failures (an I/O error, a full disk) make SQLite abandon the whole
    transaction, enclosing blocks included; so the crawl commits each article
    (with its cluster update) in an outermost block of its own.
    """
    conn = db.conn
    nested = conn.in_transaction
    savepoint = f"warta_{next(_savepoints)}"
    try:
        conn.execute(f"SAVEPOINT {savepoint}" if nested else "BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                if nested:
                    conn.execute(f"ROLLBACK TO {savepoint}")
                    conn.execute(f"RELEASE {savepoint}")
                else:
                    conn.execute("ROLLBACK")
            raise
        if nested:
            conn.execute(f"RELEASE {savepoint}")
        else:
            try:
                conn.execute("COMMIT")
            except sqlite3.Error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
    except sqlite3.Error as exc:
        raise StorageError(describe_error(database_path(db), exc, "write failed",
                                          diagnose=False)) from exc


def use_wal(conn: sqlite3.Connection, tries: int = 200) -> None:
    """Switch ``conn``'s database to write-ahead logging. Connections doing so at once on
    a new file can deadlock, and SQLite then answers "database is locked" at once instead
    of waiting out its busy timeout; so the switch is tried again a little later."""
    for attempt in range(tries):
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == tries - 1:
                raise
            time.sleep(0.01 * (1 + attempt % 5))


def utc_now() -> str:
    """The current time as warta stores times: ``YYYY-MM-DDTHH:MM:SSZ`` (UTC)."""
    return stored_time(datetime.now(UTC))


def stored_time(moment: datetime) -> str:
    """``moment`` as warta stores times (a time without a zone is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def database_path(db: Database) -> str:
    """The file behind ``db`` (empty for an in-memory database)."""
    for row in db.conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return row[2]
    return ""


def cannot_write(exc: StorageError) -> bool:
    """Whether ``exc`` means no write will succeed until someone acts: a full disk, an
    I/O error, a read-only or damaged file (not a lock another process will release)."""
    code = getattr(exc.__cause__, "sqlite_errorname", "")
    return code.startswith(("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CORRUPT"))


def describe_error(path: str | Path | None, exc: sqlite3.Error, action: str,
                   *, diagnose: bool = True) -> str:
    """A message for ``exc`` that says what happened (to which file, when ``path`` is
    known) and what to do. A damaged file can fail in ways that name something else (a
    full disk, malformed JSON): for those, when ``path`` is known and ``diagnose`` is
    true, SQLite's quick check of the file tells damage apart (it reads the whole file:
    not for a write failing article after article)."""
    code = getattr(exc, "sqlite_errorname", "")
    found = (damage(path) if diagnose and path and code in ("SQLITE_FULL", "SQLITE_ERROR")
             else None)
    path = f"{path}: " if path else ""
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return (f"{path}the database is locked by another process ({exc}): another program "
                "held a write open for longer than warta waits; run again once it is done")
    if code.startswith("SQLITE_NOTADB"):
        return f"{path}not a SQLite database (is the path right?)"
    if code.startswith("SQLITE_CORRUPT") or found:
        finding = f"; the quick check found: {found}" if found else ""
        return f"{path}the database file is damaged ({exc}{finding}); restore it from a backup"
    if code.startswith("SQLITE_FULL"):
        return f"{path}{action}: the disk is full ({exc}); free some space and run again"
    if _NO_PERMISSION.match(code):
        return f"{path}{action}: no permission to write here ({exc})"
    return f"{path}{action}: {exc}"


def damage(path: str | Path) -> str | None:
    """The first problem SQLite's quick check finds in the database file at ``path``
    (read only), or None when it finds none or cannot look (a lock, a missing file)."""
    try:
        conn = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            (first,) = conn.execute("PRAGMA quick_check(1)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        damaged = getattr(exc, "sqlite_errorname", "").startswith("SQLITE_CORRUPT")
        return str(exc) if damaged else None
    if first == "ok":
        return None
    return " ".join(line for line in first.splitlines() if not line.startswith("***"))


def _check_file(path: Path) -> None:
    """Refuse a directory; make the folder of a new file. The file itself is read only
    through SQLite: closing any other handle on it would drop the locks this process's
    connections hold on it, and another process could then write over their writes."""
    if path.is_dir():
        raise StorageError(f"{path}: is a directory, expected a SQLite database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"{path}: cannot create its folder ({exc})") from exc


def _check_version(db: Database, path: Path) -> None:
    """Refuse another program's database and one written by a newer warta.

    Both questions are asked in one read transaction: another connection may be
    migrating the file meanwhile, and between two separate reads it could seem to
    have tables but no migrations."""
    db.conn.execute("BEGIN")
    try:
        applied = applied_migrations(db)
        tables = db.table_names()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise StorageError(f"{path}: not a SQLite database (is the path right?)") from exc
        raise
    finally:
        db.conn.execute("ROLLBACK")
    known = [m.name for m in MIGRATIONS]
    if not applied and tables:
        raise StorageError(
            f"{path}: a SQLite database, but not warta's (no migrations table); "
            "point --db at a warta database or a new file"
        )
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise StorageError(
            f"{path}: written by a newer warta (schema version {len(applied)}, migration "
            f"{unknown[0]!r} unknown here; this version knows {len(known)}); "
            "upgrade warta to use this database"
        )
