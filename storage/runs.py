"""The run ledger: one ``crawl_runs`` row per crawl, its per-source counts, its errors.

A run starts as ``running``; ``finish_run`` closes it with an outcome and the
counts. A run still ``running`` whose process is gone was interrupted; the
caller that knows the pid is alive or not closes it with ``interrupted``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlite_utils import Database

from storage.database import stored_time, transaction, utc_now

__all__ = [
    "COUNT_FIELDS",
    "RUN_OUTCOMES",
    "add_run_counts",
    "finish_run",
    "last_run_by_outcome",
    "last_runs",
    "recent_failures",
    "recent_source_runs",
    "record_error",
    "run_duplicates",
    "run_source_counts",
    "running_runs",
    "runs_since_new",
    "start_run",
]

RUN_OUTCOMES = ("running", "ok", "partial", "failed", "interrupted", "timeout")
COUNT_FIELDS = ("discovered", "fetched", "new", "updated", "skipped_seen", "irrelevant",
                "failed", "duplicates", "skipped_cap", "robots_denied", "given_up")


def start_run(db: Database, command: str, sources: Iterable[str], pid: int | None) -> int:
    """Open a ``running`` ledger entry for a crawl of ``sources``; return its id."""
    with transaction(db):
        return db.execute(
            "INSERT INTO crawl_runs(started_at, outcome, command, sources, pid) "
            "VALUES (?, 'running', ?, ?, ?)",
            (utc_now(), command, json.dumps(list(sources), ensure_ascii=False), pid),
        ).lastrowid


def finish_run(
    db: Database,
    run_id: int,
    outcome: str,
    per_source_counts: Mapping[str, Mapping[str, int]],
    rule_counts: Mapping[tuple[str, str], int],
    stats: Mapping[str, object],
) -> None:
    """Close run ``run_id`` with ``outcome`` and record its counts in one transaction.

    ``per_source_counts`` maps a source to counts named as in ``COUNT_FIELDS``
    (missing ones are 0); ``rule_counts`` maps ``(source, rule)`` to the number of
    boilerplate lines that rule removed; ``stats`` is a JSON-able summary.
    Calling it again replaces the counts, so a partial write can be redone.
    """
    if outcome not in RUN_OUTCOMES[1:]:
        raise ValueError(f"finish_run: outcome must be one of {', '.join(RUN_OUTCOMES[1:])}, "
                         f"got {outcome!r}")
    for source, counts in per_source_counts.items():
        unknown = set(counts) - set(COUNT_FIELDS)
        if unknown:
            raise ValueError(f"finish_run: unknown count {min(unknown)!r} for {source!r} "
                             f"(known: {', '.join(COUNT_FIELDS)})")
    with transaction(db):
        updated = db.execute(
            "UPDATE crawl_runs SET finished_at = ?, outcome = ?, stats = ? WHERE id = ?",
            (utc_now(), outcome, json.dumps(dict(stats), ensure_ascii=False, default=_json_value),
             run_id),
        ).rowcount
        if not updated:
            raise ValueError(f"finish_run: no run with id {run_id}")
        columns = ", ".join(COUNT_FIELDS)
        marks = ", ".join("?" * len(COUNT_FIELDS))
        for source, counts in per_source_counts.items():
            db.execute(
                f"INSERT OR REPLACE INTO crawl_run_sources(run_id, source, {columns}) "
                f"VALUES (?, ?, {marks})",
                (run_id, source, *(int(counts.get(name, 0)) for name in COUNT_FIELDS)),
            )
        for (source, rule), removed in rule_counts.items():
            db.execute(
                "INSERT OR REPLACE INTO crawl_run_rules(run_id, source, rule, removed) "
                "VALUES (?, ?, ?, ?)",
                (run_id, source, rule, int(removed)),
            )


def add_run_counts(db: Database, run_id: int,
                   per_source_counts: Mapping[str, Mapping[str, int]]) -> None:
    """Add to the counts of a run still going, inside the caller's transaction (rows are
    made as needed): the articles a crawl stores are counted as they are committed, so a
    crawl killed outright leaves the counts of what it stored. ``finish_run`` then
    replaces them with the crawl's own."""
    for source, counts in per_source_counts.items():
        names = [name for name, value in counts.items() if value]
        unknown = set(names) - set(COUNT_FIELDS)
        if unknown:
            raise ValueError(f"add_run_counts: unknown count {min(unknown)!r} for {source!r}")
        if not names:
            continue
        db.execute(
            f"INSERT INTO crawl_run_sources(run_id, source, {', '.join(names)}) "
            f"VALUES (?, ?, {', '.join('?' * len(names))}) ON CONFLICT(run_id, source) DO UPDATE "
            f"SET {', '.join(f'{n} = {n} + excluded.{n}' for n in names)}",
            (run_id, source, *(int(counts[name]) for name in names)),
        )


def record_error(
    db: Database,
    run_id: int | None,
    stage: str,
    reason: str,
    url: str | None = None,
    source: str | None = None,
    detail: str | None = None,
) -> int:
    """Add a row to ``errors``: what failed (``stage``), why, and where; return its id."""
    with transaction(db):
        return db.execute(
            "INSERT INTO errors(run_id, source, url, stage, reason, detail, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (run_id, source, url, stage, reason, detail, utc_now()),
        ).lastrowid


def last_runs(db: Database, limit: int = 10) -> list[dict]:
    """The latest runs, newest first, with their counts summed over sources."""
    sums = ", ".join(f"coalesce(sum(s.{name}), 0) AS {name}" for name in COUNT_FIELDS)
    return list(db.query(
        f"""SELECT r.id, r.started_at, r.finished_at, r.outcome, r.command, r.sources, r.pid,
                   {sums},
                   (SELECT count(*) FROM errors e WHERE e.run_id = r.id) AS errors
            FROM crawl_runs r LEFT JOIN crawl_run_sources s ON s.run_id = r.id
            GROUP BY r.id ORDER BY r.id DESC LIMIT ?""",
        [limit],
    ))


def last_run_by_outcome(db: Database) -> dict[str, dict]:
    """For each outcome that occurred, the most recent run that ended with it."""
    rows = db.query(
        """SELECT r.* FROM crawl_runs r
           JOIN (SELECT outcome, max(id) AS id FROM crawl_runs GROUP BY outcome) m
             ON m.id = r.id
           ORDER BY r.id DESC"""
    )
    return {row["outcome"]: row for row in rows}


def running_runs(db: Database) -> list[dict]:
    """Runs still marked ``running`` (live, or interrupted without a record)."""
    return list(db.query("SELECT * FROM crawl_runs WHERE outcome = 'running' ORDER BY id"))


def recent_failures(db: Database, since_iso: str) -> list[dict]:
    """Errors since ``since_iso`` per source and stage: on how many addresses (one that
    fails on every run counts once; an error naming none counts alone), and the latest
    reason."""
    return list(db.query(
        """SELECT e.source, e.stage, count(DISTINCT coalesce(e.url, 'error ' || e.id)) AS count,
                  max(e.created_at) AS last_at,
                  (SELECT l.reason FROM errors l
                   WHERE l.source IS e.source AND l.stage = e.stage AND l.created_at >= ?
                   ORDER BY l.id DESC LIMIT 1) AS last_reason
           FROM errors e WHERE e.created_at >= ?
           GROUP BY e.source, e.stage ORDER BY count DESC, e.source""",
        [since_iso, since_iso],
    ))


def runs_since_new(db: Database) -> list[dict]:
    """Per source, how many recorded runs have crawled it since it last gave a new article.

    A source that has never given one counts every run that crawled it
    (``last_new_run_id`` is then NULL). A steadily growing number is the sign of
    a source whose feed or layout has changed.
    """
    return list(db.query(
        """WITH last_new AS (
               SELECT source, max(run_id) AS run_id FROM crawl_run_sources
               WHERE new > 0 GROUP BY source)
           SELECT s.source,
                  sum(s.run_id > coalesce(l.run_id, 0)) AS runs_without_new,
                  l.run_id AS last_new_run_id,
                  (SELECT started_at FROM crawl_runs WHERE id = l.run_id) AS last_new_at
           FROM crawl_run_sources s LEFT JOIN last_new l ON l.source = s.source
           GROUP BY s.source ORDER BY runs_without_new DESC, s.source"""
    ))


def recent_source_runs(db: Database, runs: int) -> dict[str, list[dict]]:
    """Per source, its counts (``run_id`` and ``COUNT_FIELDS``) in the last ``runs``
    finished runs that crawled it, newest first."""
    columns = ", ".join(COUNT_FIELDS)
    recent: dict[str, list[dict]] = {}
    for row in db.query(
        f"""SELECT source, run_id, {columns} FROM (
               SELECT s.*, row_number() OVER (PARTITION BY s.source ORDER BY s.run_id DESC) AS n
               FROM crawl_run_sources s JOIN crawl_runs r ON r.id = s.run_id
               WHERE r.outcome != 'running')
           WHERE n <= ? ORDER BY source, run_id DESC""", [runs],
    ):
        recent.setdefault(row.pop("source"), []).append(row)
    return recent


def stopped_empty(db: Database, run_ids: Iterable[int]) -> set[tuple[str, int]]:
    """The (source, run) pairs of ``run_ids`` where the crawl stopped at its time limit
    with nothing of the source fetched (an ``errors`` row of stage ``run``)."""
    ids = sorted(set(run_ids))
    if not ids:
        return set()
    marks = ", ".join("?" * len(ids))
    return {(row["source"], row["run_id"]) for row in db.query(
        f"SELECT DISTINCT source, run_id FROM errors WHERE stage = 'run' AND run_id IN ({marks})",
        ids)}


def run_duplicates(db: Database, run_id: int) -> dict[str, int]:
    """Per source, the articles run ``run_id`` stored for the first time that are copies
    of another (counted when the run ends: a copy may arrive before its original). A copy
    fetched again by a later run is not counted again."""
    return {
        row["source"]: row["copies"]
        for row in db.query(
            "SELECT a.source, count(*) AS copies FROM articles a "
            "JOIN seen_urls s ON s.url = a.url JOIN crawl_runs r ON r.id = :run "
            "WHERE a.run_id = :run AND a.duplicate_of IS NOT NULL AND s.first_seen >= r.started_at "
            "GROUP BY a.source",
            {"run": run_id},
        )
    }


def run_source_counts(db: Database, run_id: int) -> dict[str, dict[str, int]]:
    """The ledger's per-source counts of run ``run_id`` (``COUNT_FIELDS`` by source)."""
    columns = ", ".join(COUNT_FIELDS)
    return {
        row.pop("source"): row
        for row in db.query(
            f"SELECT source, {columns} FROM crawl_run_sources WHERE run_id = ?", [run_id]
        )
    }


def _json_value(value: object) -> str:
    """A stats value JSON has no form for: a time as warta stores times, else its text."""
    return stored_time(value) if isinstance(value, datetime) else str(value)
