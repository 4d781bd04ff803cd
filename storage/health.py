"""Ledger upkeep and the figures ``warta status`` judges health by.

A crawl killed outright (SIGKILL, power loss) cannot close its ``crawl_runs``
row; it stays ``running``. The next crawl, holding the crawl lock, marks such
rows ``interrupted`` (``close_orphaned_runs``), and ``close_runs_of`` lets the
process that stopped a crawl record how it ended.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

from storage.database import database_path, transaction, utc_now
from storage.locks import holder_of
from storage.runs import COUNT_FIELDS

__all__ = [
        "close_orphaned_runs",
    "close_runs_of",
    "crawl_alive",
    "database_size",
    "last_good_run",
    "newest_finished_run",
    "pid_alive",
    "run_of_process",
    "run_summary",
]


def crawl_alive(database: str | Path, pid: int | None) -> bool:
    """Whether the crawl that started a run in process ``pid`` still runs: that process
    holds the database's crawl lock (a pid alone may since name another process)."""
    holder = holder_of(database)
    return holder is not None and holder.startswith(f"pid {pid}:") and pid_alive(pid)


def pid_alive(pid: int | None) -> bool:
    """Whether a process with this id runs on this machine (a zombie, dead but not
    yet reaped by its parent, does not count)."""
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc here, or it exited just now
        return True
    return stat.rpartition(")")[2].split()[:1] not in (["Z"], ["X"])


def close_orphaned_runs(db: Database) -> list[int]:
    """Mark every ``running`` run ``interrupted``; return their ids. Only a crawl that
    holds the database's crawl lock may call this: no other crawl of the database runs
    then, so a run still marked running was killed, whatever process its pid names now
    (a restarted container hands out the same pids again)."""
    orphans = [row["id"] for row in db.query("SELECT id FROM crawl_runs WHERE outcome = 'running'")]
    if orphans:
        with transaction(db):
            for run_id in orphans:
                db.execute(
                    "UPDATE crawl_runs SET outcome = 'interrupted', finished_at = ? "
                    "WHERE id = ? AND outcome = 'running'",
                    (utc_now(), run_id),
                )
    return orphans


def close_runs_of(
    db: Database,
    pid: int,
    outcome: str,
    since_iso: str,
    replace: tuple[str, ...] = ("running",),
) -> list[int]:
    """Record ``outcome`` for the runs that process ``pid`` (now stopped) started
    since ``since_iso`` and left with an outcome in ``replace``; return their ids."""
    marks = ", ".join("?" * len(replace))
    ids = [row["id"] for row in db.query(
        f"SELECT id FROM crawl_runs WHERE pid = ? AND started_at >= ? AND outcome IN ({marks})",
        [pid, since_iso, *replace])]
    with transaction(db):
        for run_id in ids:
            db.execute("UPDATE crawl_runs SET outcome = ?, finished_at = coalesce(finished_at, ?) "
                       "WHERE id = ?", (outcome, utc_now(), run_id))
    return ids


def run_of_process(db: Database, pid: int, since_iso: str) -> dict | None:
    """The newest run that process ``pid`` started since ``since_iso``, if any."""
    rows = list(db.query(
        "SELECT id, outcome, started_at, finished_at FROM crawl_runs "
        "WHERE pid = ? AND started_at >= ? ORDER BY id DESC LIMIT 1",
        [pid, since_iso]))
    return rows[0] if rows else None


def run_summary(db: Database, run_id: int) -> dict | None:
    """One run with its counts summed over sources and its number of errors."""
    sums = ", ".join(f"coalesce(sum(s.{name}), 0) AS {name}" for name in COUNT_FIELDS)
    rows = list(db.query(
        f"""SELECT r.id, r.started_at, r.finished_at, r.outcome, r.pid, {sums},
                   (SELECT count(*) FROM errors e WHERE e.run_id = r.id) AS errors
            FROM crawl_runs r LEFT JOIN crawl_run_sources s ON s.run_id = r.id
            WHERE r.id = ? GROUP BY r.id""",
        [run_id]))
    return rows[0] if rows else None


def newest_finished_run(db: Database) -> dict | None:
    """The newest run that has ended, whatever its outcome."""
    rows = list(db.query(
        "SELECT id, started_at, finished_at, outcome FROM crawl_runs "
        "WHERE outcome != 'running' ORDER BY id DESC LIMIT 1"))
    return rows[0] if rows else None


def last_good_run(db: Database) -> dict | None:
    """The newest run that ended ``ok``, ``partial`` or ``timeout`` (stopped at its time
    limit, as a scheduled crawl with more to fetch than its budget does)."""
    rows = list(db.query(
        "SELECT id, started_at, finished_at, outcome FROM crawl_runs "
        "WHERE outcome IN ('ok', 'partial', 'timeout') ORDER BY id DESC LIMIT 1"))
    return rows[0] if rows else None


def database_size(db: Database) -> dict:
    """Bytes on disk (the file and its WAL), pages in use and pages free for VACUUM."""
    path = Path(database_path(db))
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    free = db.execute("PRAGMA freelist_count").fetchone()[0]
    wal = Path(f"{path}-wal")
    return {
        "path": str(path),
        "file_bytes": path.stat().st_size if path.exists() else 0,
        "wal_bytes": wal.stat().st_size if wal.exists() else 0,
        "page_size": page_size,
        "pages": pages,
        "free_bytes": free * page_size,
        "articles": db.execute("SELECT count(*) FROM articles").fetchone()[0],
    }
