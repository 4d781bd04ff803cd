"""What ``warta status`` reports, and what in it needs attention.

``check_status`` gathers each scheduled job's last and next run, the crawls in
progress, every source's recent errors, how long it has gone without a new article
and whether its page cap keeps leaving URLs for later, and the database's size; ``problems`` lists what needs a person. It
only reads: a run left ``running`` by a dead process is reported, and closed by
the next crawl.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scheduler import plan_jobs
from storage.database import open_database
from storage.digests import newest_deliveries
from storage.health import (
    crawl_alive,
    database_size,
    last_good_run,
    newest_finished_run,
    run_summary,
)
from storage.locks import holder_of
from storage.runs import (
    recent_failures,
    recent_source_runs,
    running_runs,
    runs_since_new,
    stopped_empty,
)
from storage.scheduling import last_job_runs, next_run_times
from warta.config import Config

__all__ = ["BAD_OUTCOMES", "Thresholds", "check_status"]

BAD_OUTCOMES = ("failed", "timeout", "interrupted", "missed")
MIN_PAGES_TO_JUDGE = 5  # failed pages a crawl needs before their share says anything


@dataclass(frozen=True)
class Thresholds:
    """When a source or the whole setup counts as needing attention."""

    max_errors: int = 20  # addresses with errors per source within the window
    window_hours: float = 24.0
    stale_runs: int = 5  # runs in a row without a new article, while others have some
    capped_runs: int = 3  # runs in a row whose page cap left URLs for later
    max_age_hours: float = 6.0  # the newest successful crawl may be this old
    max_failed_share: float = 0.5  # of the pages a source's newest crawl tried (of 5 or more)


def check_status(config: Config, jobstore: str | Path, thresholds: Thresholds,
                 now: datetime | None = None) -> dict:
    """The status report as a JSON-able dict; ``report["problems"]`` empty means healthy."""
    now = now or datetime.now(UTC)
    problems: list[str] = []
    report = {
        "checked_at": _iso(now),
        "thresholds": asdict(thresholds),
        "scheduler": {"jobstore": str(jobstore), "running": holder_of(jobstore)},
        "jobs": [],
        "running": [],
        "sources": [],
        "database": None,
        "newest_crawl": None,
        "problems": problems,
    }
    path = Path(config.database)
    db = open_database(path) if path.exists() else None
    try:
        report["jobs"] = _jobs(config, jobstore, db, now, problems)
        if db is None:
            problems.append(f"database {path} does not exist: no crawl has run yet")
            return report
        report["running"] = _running(db, path, problems)
        report["sources"] = _sources(config, db, thresholds, now, problems)
        _freshness(db, thresholds, now, problems,
                   {(j["last_run"] or {}).get("crawl_run_id") for j in report["jobs"]})
        _deliveries(db, problems)
        newest = newest_finished_run(db)
        report["newest_crawl"] = run_summary(db, newest["id"]) if newest else None
        report["database"] = database_size(db)
    finally:
        if db is not None:
            db.close()
    return report


def _jobs(config: Config, jobstore: str | Path, db, now: datetime, problems: list[str]) -> list[dict]:
    next_runs = next_run_times(jobstore)
    last_runs = last_job_runs(jobstore)
    scheduler_running = holder_of(jobstore) is not None
    grace = timedelta(seconds=config.schedule.misfire_grace_seconds)
    jobs = []
    for spec in plan_jobs(config, jobstore):
        next_run = next_runs.get(spec.id)
        last = last_runs.get(spec.id)
        job = {"id": spec.id, "kind": spec.kind, "schedule": spec.description,
               "next_run": _iso(next_run) if next_run else None, "last_run": last}
        if last and last.get("crawl_run_id") and db is not None:
            job["counts"] = run_summary(db, last["crawl_run_id"])
        jobs.append(job)
        if last and last["outcome"] in BAD_OUTCOMES:
            problems.append(f"job {spec.id}: last run {last['outcome']} "
                            f"(started {last['started_at']}): {last['detail']}")
        elif last and last["outcome"] == "running" and not scheduler_running:
            problems.append(f"job {spec.id}: its run started {last['started_at']} is marked "
                            "running, but the scheduler is not running (killed?); restart "
                            "`warta schedule`, which runs it again")
        if next_runs and spec.id not in next_runs:
            problems.append(f"job {spec.id}: not in the job store; restart `warta schedule`")
        elif next_run and next_run < now - grace:
            why = "" if scheduler_running else "; the scheduler is not running"
            problems.append(f"job {spec.id}: was due at {_iso(next_run)} and has not run{why}")
    return jobs


def _running(db, database: Path, problems: list[str]) -> list[dict]:
    rows = []
    for run in running_runs(db):
        alive = crawl_alive(database, run["pid"])
        rows.append({"id": run["id"], "started_at": run["started_at"], "pid": run["pid"],
                     "alive": alive})
        if not alive:
            problems.append(f"crawl run {run['id']} is marked running but its process "
                            f"{run['pid']} no longer holds the database (killed?); the next "
                            "crawl marks it interrupted")
    return rows


def _sources(config: Config, db, thresholds: Thresholds, now: datetime,
             problems: list[str]) -> list[dict]:
    since = _iso(now - timedelta(hours=thresholds.window_hours))
    errors: dict[str, dict] = {}
    for row in recent_failures(db, since):
        entry = errors.setdefault(row["source"], {"count": 0, "last_at": "", "last_reason": None})
        entry["count"] += row["count"]
        if row["last_at"] > entry["last_at"]:
            entry["last_at"], entry["last_reason"] = row["last_at"], row["last_reason"]
    quiet = {row["source"]: row for row in runs_since_new(db)}
    recent = recent_source_runs(db, thresholds.capped_runs)
    empty = stopped_empty(db, (runs[0]["run_id"] for runs in recent.values()))
    newest_new = max((row["last_new_run_id"] or 0 for row in quiet.values()), default=0)
    rows = []
    for source in config.sources:
        err = errors.get(source.name, {"count": 0, "last_reason": None})
        q = quiet.get(source.name, {})
        runs_without_new = q.get("runs_without_new") or 0
        state = []
        if quiet and not q:
            state.append("never crawled")
            problems.append(f"source {source.name}: in none of the recorded crawls (is its group "
                            "in a scheduled crawl? a source just added is crawled by the next run)")
        if err["count"] > thresholds.max_errors:
            state.append("failing")
            problems.append(f"source {source.name}: errors on {err['count']} addresses in the "
                            f"last {thresholds.window_hours:g} h (latest: {err['last_reason']})")
        # a search source's finds count under their outlets: it never has new articles itself
        if (runs_without_new >= thresholds.stale_runs and not source.search
                and newest_new > (q.get("last_new_run_id") or 0)):
            state.append("stale")
            problems.append(f"source {source.name}: no new article in {runs_without_new} runs "
                            "while other sources had some (feed or layout changed?)")
        last = recent.get(source.name, [])
        unread = last and not (last[0]["discovered"] or last[0]["fetched"] or last[0]["skipped_seen"])
        timed_out = unread and (source.name, last[0]["run_id"]) in empty
        if unread and (last[0]["failed"] or timed_out):
            state.append("unreachable")
            if last[0]["failed"]:
                why = "every feed, sitemap or page failed" + (
                    f" (latest: {err['last_reason']})" if err["last_reason"] else "")
            else:
                why = "none of its feeds, sitemaps or index pages answered before the time limit"
            problems.append(f"source {source.name}: nothing of it could be read in its newest "
                            f"crawl (run {last[0]['run_id']}): {why}")
        elif last and "failing" not in state and _mostly_failed(last[0], thresholds):
            state.append("failing")
            problems.append(f"source {source.name}: {last[0]['failed']} of the "
                            f"{last[0]['failed'] + last[0]['fetched']} pages its newest crawl "
                            f"(run {last[0]['run_id']}) tried failed"
                            + (f" (latest: {err['last_reason']})" if err["last_reason"] else ""))
        capped = [run["skipped_cap"] for run in last]
        if len(capped) == thresholds.capped_runs and all(capped):
            state.append("capped")
            problems.append(f"source {source.name}: its page cap left URLs for later in each of "
                            f"its last {len(capped)} runs ({capped[0]} in the last): raise "
                            "max_pages or crawl it more often, before articles leave its feeds")
        rows.append({"source": source.name, "group": source.group, "errors": err["count"],
                     "last_error": err["last_reason"], "runs_without_new": runs_without_new,
                     "last_new_at": q.get("last_new_at"), "state": ", ".join(state) or "ok"})
    return rows


def _freshness(db, thresholds: Thresholds, now: datetime, problems: list[str],
               reported: set[int]) -> None:
    """Problems with the newest crawls; runs in ``reported`` (a job's last run) are
    already named."""
    newest = newest_finished_run(db)
    if newest and newest["outcome"] == "failed" and newest["id"] not in reported:
        problems.append(f"the newest crawl (run {newest['id']}, finished {newest['finished_at']})"
                        " failed (its errors are in the errors table)")
    good = last_good_run(db)
    if good is None:
        problems.append("no crawl has finished ok yet")
        return
    finished = datetime.strptime(good["finished_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    if now - finished > timedelta(hours=thresholds.max_age_hours):
        problems.append(f"the newest successful crawl (run {good['id']}) finished at "
                        f"{good['finished_at']}, more than {thresholds.max_age_hours:g} h ago")


def _deliveries(db, problems: list[str]) -> None:
    """A problem for each channel whose newest digest delivery failed."""
    for channel, delivery in sorted(newest_deliveries(db).items()):
        if not delivery.get("ok"):
            problems.append(f"digest of {delivery['day']}: {channel} delivery to "
                            f"{delivery.get('target')} failed: {delivery.get('error')}")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _mostly_failed(run: dict, thresholds: Thresholds) -> bool:
    """Whether a source's run failed on more than ``max_failed_share`` of the pages it
    tried, with enough failures for the share to mean something."""
    tried = run["failed"] + run["fetched"]
    return run["failed"] >= MIN_PAGES_TO_JUDGE and run["failed"] > thresholds.max_failed_share * tried
