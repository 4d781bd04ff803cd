"""The scheduler's own SQLite file: its persistent job store and the history of job runs.

It lives beside the database (``warta.db`` → ``warta.scheduler.db``) rather than
inside it, so the public schema carries nothing of APScheduler's. Every call
opens its own short connection, so the store is safe from the scheduler's
threads and readable by ``warta status`` while the scheduler runs.

``SQLiteJobStore`` implements APScheduler 3.x's job store interface on the
standard library's ``sqlite3``: a job is kept as its pickled state with its
next run time in a separate, indexed column, so a restarted scheduler finds
the jobs it missed while it was down.
"""

from __future__ import annotations

import contextlib
import pickle
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from apscheduler.job import Job
from apscheduler.jobstores.base import BaseJobStore, ConflictingIdError, JobLookupError
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.util import datetime_to_utc_timestamp, utc_timestamp_to_datetime

from storage.database import StorageError, describe_error, use_wal, utc_now

__all__ = [
    "JOB_OUTCOMES",
    "SQLiteJobStore",
    "finish_job_run",
    "interrupt_open_job_runs",
    "job_store_path",
    "last_job_runs",
    "next_run_times",
    "record_job_run",
    "start_job_run",
]

JOB_OUTCOMES = ("running", "ok", "partial", "failed", "timeout", "interrupted", "skipped", "missed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS apscheduler_jobs (
    id TEXT PRIMARY KEY,
    next_run_time REAL,
    job_state BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS apscheduler_jobs_next_run_time ON apscheduler_jobs(next_run_time);
CREATE TABLE IF NOT EXISTS job_runs (
    id INTEGER PRIMARY KEY,
    job_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL,
    crawl_run_id INTEGER,
    pid INTEGER,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS job_runs_job ON job_runs(job_id, id);
"""


def job_store_path(database: str | Path) -> Path:
    """Where the scheduler of ``database`` keeps its jobs: ``<name>.scheduler.db`` beside it."""
    database = Path(database)
    return database.with_name(f"{database.stem}.scheduler.db")


@contextlib.contextmanager
def _connect(path: str | Path) -> Iterator[sqlite3.Connection]:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30.0)
    try:
        conn.row_factory = sqlite3.Row
        try:
            use_wal(conn)
            conn.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StorageError(describe_error(path, exc, "cannot open the job store")) from exc
        with conn:
            yield conn
    finally:
        conn.close()


class SQLiteJobStore(BaseJobStore):
    """APScheduler job store in table ``apscheduler_jobs`` of the SQLite file ``path``."""

    def __init__(self, path: str | Path, pickle_protocol: int = pickle.HIGHEST_PROTOCOL):
        super().__init__()
        self.path = Path(path)
        self.pickle_protocol = pickle_protocol

    def lookup_job(self, job_id: str) -> Job | None:
        with _connect(self.path) as conn:
            row = conn.execute("SELECT job_state FROM apscheduler_jobs WHERE id = ?",
                               (job_id,)).fetchone()
        return self._restore(row["job_state"]) if row else None

    def get_due_jobs(self, now: datetime) -> list[Job]:
        if self._scheduler is not None and self._scheduler.state == STATE_STOPPED:
            # APScheduler looks for due jobs once more after shutdown; it could not run
            # them, but would move their next run time on and so forget they were due.
            return []
        return self._jobs("WHERE next_run_time <= ?", (datetime_to_utc_timestamp(now),))

    def get_next_run_time(self) -> datetime | None:
        with _connect(self.path) as conn:
            row = conn.execute("SELECT min(next_run_time) FROM apscheduler_jobs").fetchone()
        return utc_timestamp_to_datetime(row[0])

    def get_all_jobs(self) -> list[Job]:
        jobs = self._jobs()
        self._fix_paused_jobs_sorting(jobs)
        return jobs

    def add_job(self, job: Job) -> None:
        try:
            with _connect(self.path) as conn:
                conn.execute("INSERT INTO apscheduler_jobs(id, next_run_time, job_state) "
                             "VALUES (?, ?, ?)", (job.id, *self._row(job)))
        except sqlite3.IntegrityError:
            raise ConflictingIdError(job.id) from None

    def update_job(self, job: Job) -> None:
        with _connect(self.path) as conn:
            updated = conn.execute("UPDATE apscheduler_jobs SET next_run_time = ?, job_state = ? "
                                   "WHERE id = ?", (*self._row(job), job.id)).rowcount
        if not updated:
            raise JobLookupError(job.id)

    def remove_job(self, job_id: str) -> None:
        with _connect(self.path) as conn:
            removed = conn.execute("DELETE FROM apscheduler_jobs WHERE id = ?", (job_id,)).rowcount
        if not removed:
            raise JobLookupError(job_id)

    def remove_all_jobs(self) -> None:
        with _connect(self.path) as conn:
            conn.execute("DELETE FROM apscheduler_jobs")

    def _row(self, job: Job) -> tuple[float | None, bytes]:
        state = pickle.dumps(job.__getstate__(), self.pickle_protocol)
        return datetime_to_utc_timestamp(job.next_run_time), state

    def _restore(self, blob: bytes) -> Job:
        state = pickle.loads(blob)
        state["jobstore"] = self
        job = Job.__new__(Job)
        job.__setstate__(state)
        job._scheduler = self._scheduler
        job._jobstore_alias = self._alias
        return job

    def _jobs(self, where: str = "", params: tuple = ()) -> list[Job]:
        """Jobs in next-run order; one that cannot be restored (its code is gone) is dropped."""
        with _connect(self.path) as conn:
            rows = conn.execute(f"SELECT id, job_state FROM apscheduler_jobs {where} "
                                "ORDER BY next_run_time", params).fetchall()
        jobs, broken = [], []
        for row in rows:
            try:
                jobs.append(self._restore(row["job_state"]))
            except Exception:
                self._logger.exception("cannot restore job %r; removing it", row["id"])
                broken.append(row["id"])
        if broken:
            with _connect(self.path) as conn:
                conn.executemany("DELETE FROM apscheduler_jobs WHERE id = ?", [(i,) for i in broken])
        return jobs

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.path}>"


def next_run_times(path: str | Path) -> dict[str, datetime | None]:
    """Each stored job's next run time (None when paused), read without restoring the jobs."""
    if not Path(path).exists():
        return {}
    with _connect(path) as conn:
        rows = conn.execute("SELECT id, next_run_time FROM apscheduler_jobs").fetchall()
    return {row["id"]: utc_timestamp_to_datetime(row["next_run_time"]) for row in rows}


def start_job_run(path: str | Path, job_id: str) -> int:
    """Record that job ``job_id`` has started; return the run's id (the id log lines carry)."""
    with _connect(path) as conn:
        return conn.execute("INSERT INTO job_runs(job_id, started_at, outcome) "
                            "VALUES (?, ?, 'running')", (job_id, utc_now())).lastrowid


def finish_job_run(
    path: str | Path,
    run_id: int,
    outcome: str,
    detail: str | None = None,
    *,
    crawl_run_id: int | None = None,
    pid: int | None = None,
) -> None:
    """Close job run ``run_id`` with ``outcome`` (one of ``JOB_OUTCOMES``)."""
    if outcome not in JOB_OUTCOMES[1:]:
        raise ValueError(f"finish_job_run: outcome must be one of {', '.join(JOB_OUTCOMES[1:])}, "
                         f"got {outcome!r}")
    with _connect(path) as conn:
        conn.execute("UPDATE job_runs SET finished_at = ?, outcome = ?, detail = ?, "
                     "crawl_run_id = ?, pid = ? WHERE id = ?",
                     (utc_now(), outcome, detail, crawl_run_id, pid, run_id))


def record_job_run(path: str | Path, job_id: str, outcome: str, detail: str) -> int:
    """Record a run that did not happen (``missed``, ``skipped``) with the reason."""
    run_id = start_job_run(path, job_id)
    finish_job_run(path, run_id, outcome, detail)
    return run_id


def interrupt_open_job_runs(path: str | Path) -> list[str]:
    """Close the runs a scheduler that died left ``running``; return their job ids.

    Call it only while holding the scheduler lock, when no run can be live.
    """
    with _connect(path) as conn:
        rows = conn.execute("SELECT id, job_id FROM job_runs WHERE outcome = 'running'").fetchall()
        conn.executemany("UPDATE job_runs SET outcome = 'interrupted', finished_at = ?, "
                         "detail = 'the scheduler stopped during the run' WHERE id = ?",
                         [(utc_now(), row["id"]) for row in rows])
    return sorted({row["job_id"] for row in rows})


def last_job_runs(path: str | Path) -> dict[str, dict]:
    """For each job, its newest run."""
    if not Path(path).exists():
        return {}
    with _connect(path) as conn:
        rows = conn.execute(
            "SELECT r.* FROM job_runs r JOIN (SELECT job_id, max(id) AS id FROM job_runs "
            "GROUP BY job_id) m ON m.id = r.id").fetchall()
    return {row["job_id"]: dict(row) for row in rows}
