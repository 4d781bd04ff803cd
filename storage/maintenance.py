"""Keeping the database quick and small: run while no crawl writes.

``maintain`` forgets site lines seen in one article only and not for a month
(content, not template: nearly every line of every article, which would otherwise
pile up in ``site_lines`` for as long as warta runs), merges the full-text index's
segments, refreshes the query planner's statistics, rebuilds the file to give freed
pages back (VACUUM) and truncates the write-ahead log. Each step is timed.
"""

from __future__ import annotations

import threading
import time

from sqlite_utils import Database

from storage.database import StorageError, database_path, open_database
from storage.locks import file_lock

__all__ = ["STEPS", "maintain", "maintain_file"]

STEPS = {
    "prune_site_lines": "DELETE FROM site_lines WHERE learned = 0 AND doc_count = 1 "
                        "AND last_seen < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-30 days')",
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
        finally:
            db.close()
