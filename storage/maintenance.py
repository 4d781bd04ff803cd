"""Keeping the database quick and small: run while no crawl writes.

``maintain`` forgets site lines seen in one article only and not for a month
(content, not template: nearly every line of every article, which would otherwise
pile up in ``site_lines`` for as long as warta runs) and errors older than
``ERRORS_KEPT_DAYS`` (a source failing on every run for months would otherwise fill
the file with the same reason; the run ledger keeps each run's counts), merges the
full-text index's segments, refreshes the query planner's statistics, rebuilds the
file to give freed pages back (VACUUM) and truncates the write-ahead log. Each step
is timed.
``backup`` copies the database while crawls go on.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

from sqlite_utils import Database

from storage.database import StorageError, database_path, describe_error, open_database
from storage.locks import file_lock

__all__ = ["ERRORS_KEPT_DAYS", "STEPS", "backup", "maintain", "maintain_file"]

ERRORS_KEPT_DAYS = 180
_DATABASE_FILES = ("", "-wal", "-shm", "-journal")  # the database and SQLite's files beside it

STEPS = {
    "prune_site_lines": "DELETE FROM site_lines WHERE learned = 0 AND doc_count = 1 "
                        "AND last_seen < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-30 days')",
    "prune_errors": "DELETE FROM errors WHERE created_at < "
                    f"strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{ERRORS_KEPT_DAYS} days')",
    "fts_optimize": "INSERT INTO articles_fts(articles_fts) VALUES ('optimize')",
    "analyze": "ANALYZE",
    "vacuum": "VACUUM",
    "wal_checkpoint": "PRAGMA wal_checkpoint(TRUNCATE)",
}


def maintain(db: Database) -> dict[str, float]:
    """Run the maintenance steps in order; return seconds taken per step.

    Each statement is its own transaction; VACUUM cannot run inside one. Raises
    :class:`StorageError` when the write-ahead log could not be emptied (another
    program's open read keeps it), after the other steps.
    """
    taken: dict[str, float] = {}
    for name, sql in STEPS.items():
        started = time.monotonic()
        rows = db.execute(sql).fetchall()
        if db.conn.in_transaction:
            db.conn.commit()
        taken[name] = round(time.monotonic() - started, 3)
        if name == "wal_checkpoint" and rows and rows[0][0]:
            raise StorageError(
                f"{database_path(db)}: the write-ahead log could not be emptied: another "
                "program holds a read open on the database (a long query, a notebook); "
                "run warta maintain again when it is done")
    return taken


def maintain_file(database: str, *, wait: float = 0.0,
                  stop: threading.Event | None = None) -> dict[str, float]:
    """:func:`maintain` the database file under the crawl lock (a crawl never writes
    meanwhile). Raises ``storage.locks.LockHeld`` if a crawl still holds the lock
    after ``wait`` seconds."""
    with file_lock(database, wait=wait, stop=stop):
        db = open_database(database)
        try:
            return maintain(db)
        except sqlite3.Error as exc:
            raise StorageError(describe_error(database, exc, "maintenance failed")) from exc
        finally:
            db.close()


def backup(database: str | Path, destination: str | Path) -> int:
    """Copy ``database`` to ``destination`` as it stands at one moment (SQLite's online
    backup in one read transaction: crawls go on writing meanwhile) and check the copy;
    return its size in bytes. The copy is written beside ``destination`` and renamed
    into place only once checked, so a failed backup never leaves a partial file under
    that name, and an earlier backup there stays until the new one is whole."""
    source, destination = Path(database), Path(destination)
    if not source.is_file():
        raise StorageError(f"no database at {source} (is the path right?)")
    live = source.resolve()
    if destination.resolve() in {live.with_name(live.name + end) for end in _DATABASE_FILES} or (
            destination.is_file() and os.path.samefile(destination, source)):
        raise StorageError(f"{destination} is the database {source} itself (or its journal): "
                           "a backup must go to another file")
    if destination.exists() and not destination.is_file():
        raise StorageError(f"{destination} is not a regular file (a device, a pipe): "
                           "name a file for the backup")
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as src, \
                closing(sqlite3.connect(partial)) as copy:
            src.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            problems = [row[0] for row in copy.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise StorageError(f"{source}: the copy fails its check ({'; '.join(problems[:3])}): "
                               "the database itself may be damaged; run PRAGMA integrity_check on it")
        os.replace(partial, destination)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot back up {source} to {destination}: {exc}") from exc
    except OSError as exc:
        raise StorageError(f"cannot write the backup {destination}: {exc.strerror}") from exc
    finally:
        if partial.is_file():
            partial.unlink()
    return destination.stat().st_size
