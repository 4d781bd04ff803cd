"""warta's scheduler: crawls, the daily digest and database maintenance, unattended.

Start it with ``warta schedule`` (or ``python scheduler.py``, which takes the same
options). It is an APScheduler 3.x ``BlockingScheduler`` whose jobs come from the
``[schedule]`` section of the config and persist in ``<database>.scheduler.db``:
a restarted scheduler keeps each job's next run time, runs what it missed within
``misfire_grace_seconds`` (once, however many runs were missed), records the
runs it missed beyond that, and re-runs at once a crawl it was stopped in the
middle of. One scheduler runs per job store (a lock file enforces it).

Each crawl is a separate ``warta crawl`` process with ``--time-limit`` set to the
job's budget; ``warta crawl`` itself takes the database's lock, so no two crawls
write one database at once, whoever started them. SIGINT or SIGTERM stops the
scheduler gracefully: running crawls get SIGINT, finish their in-flight
articles and record the run as ``interrupted``; the scheduler waits for them.

Job functions are module-level and take plain arguments, so the job store keeps
them by name; every run is recorded in the job store's ``job_runs`` table and its
log lines carry the run id (``<job id>#<run number>``).
"""

from __future__ import annotations

import functools
import logging
import signal
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from storage.database import open_database, utc_now
from storage.health import close_runs_of, run_of_process, run_summary
from storage.locks import LockHeld, file_lock
from storage.maintenance import maintain_file
from storage.scheduling import (
    SQLiteJobStore,
    finish_job_run,
    interrupt_open_job_runs,
    job_store_path,
    record_job_run,
    start_job_run,
)
from warta.child_process import Children, ChildResult, run_child
from warta.config import Config, ConfigError, CrawlJob, load_config
from warta.digest.daily import NOT_SENT, build_and_deliver, digest_day
from warta.logs import run_context

__all__ = [
    "RUNNING",
    "JobSpec",
    "build_scheduler",
    "crawl_job",
    "digest_due",
    "digest_job",
    "maintenance_job",
    "plan_jobs",
    "serve",
    "warta_command",
]

logger = logging.getLogger("warta.scheduler")

DIGEST_ID = "digest"
MAINTENANCE_ID = "maintenance"
CRAWLS = "crawls"  # the executor that runs crawl jobs one at a time
STOP_GRACE_SECONDS = 120.0  # a crawl past its budget gets this long to close, then as long again
MAINTENANCE_LOCK_WAIT = 3600.0  # maintenance waits this long for a running crawl to finish
SCHEDULER_LOCK_WAIT = 5.0  # rides over `warta status` looking at the lock at that moment

# The jobs in progress in this process: a stop request reaches their children through it.
RUNNING = Children()


@dataclass(frozen=True)
class JobSpec:
    """One job as the config defines it."""

    id: str
    kind: str  # "crawl", "digest" or "maintenance"
    func: str  # "module:function": kept by name in the job store
    trigger: BaseTrigger
    description: str
    kwargs: dict = field(default_factory=dict)


def plan_jobs(config: Config, jobstore: str | Path, command: list[str] | None = None) -> list[JobSpec]:
    """The jobs of ``config``; raise :class:`ConfigError` for a schedule that cannot run.

    ``command`` is the program started for each crawl (default: this environment's
    ``warta``); it is given ``crawl --config ... --db ... --time-limit ...``.
    """
    tz = schedule_timezone(config)
    if config.schedule.crawls and not config.sources:
        raise ConfigError(config.path, "sources", "no [[sources]]: the scheduled crawls would fetch nothing")
    paths = {"config_path": str(Path(config.path).resolve()),
             "database": str(Path(config.database).resolve()), "jobstore": str(Path(jobstore).resolve())}
    specs = []
    for i, job in enumerate(config.schedule.crawls):
        where = f"schedule.crawls[{i}]"
        sources_of(config, job, where)
        if job.interval_minutes is not None:
            trigger, when = IntervalTrigger(minutes=job.interval_minutes, timezone=tz), \
                f"every {job.interval_minutes} min"
        else:
            trigger, when = _crontab(job.cron, tz, config, f"{where}.cron"), f"cron '{job.cron}'"
            period = _shortest_period(trigger)
            if job.budget_minutes * 60 >= period:
                raise ConfigError(
                    config.path, f"{where}.budget_minutes",
                    f"a budget of {job.budget_minutes} min fills the {period / 60:g} min between "
                    f"two runs of cron '{job.cron}', and a crawl takes a little longer than its "
                    f"budget to start and close: the next run would find this one running and be "
                    f"skipped; set budget_minutes to {period // 60 - 1:g} or less")
        groups = ", ".join(job.groups) or "all sources"
        specs.append(JobSpec(job.id, "crawl", "scheduler:crawl_job", trigger,
                             f"crawl {groups} {when}, budget {job.budget_minutes} min",
                             {**paths, "job_id": job.id, "command": command}))
    hour, minute = config.schedule.digest_time.split(":")
    specs.append(JobSpec(DIGEST_ID, "digest", "scheduler:digest_job",
                         CronTrigger(hour=int(hour), minute=int(minute), timezone=tz),
                         f"digest daily at {config.schedule.digest_time} {config.schedule.timezone}",
                         paths))
    specs.append(JobSpec(MAINTENANCE_ID, "maintenance", "scheduler:maintenance_job",
                         _crontab(config.schedule.maintenance_cron, tz, config, "schedule.maintenance_cron"),
                         f"maintenance cron '{config.schedule.maintenance_cron}'",
                         {"database": paths["database"], "jobstore": paths["jobstore"]}))
    ids = [spec.id for spec in specs]
    for spec_id in ids:
        if ids.count(spec_id) > 1:
            raise ConfigError(config.path, "schedule.crawls", f"job id {spec_id!r} is used twice "
                              f"({DIGEST_ID!r} and {MAINTENANCE_ID!r} are taken)")
    return specs


def schedule_timezone(config: Config) -> ZoneInfo:
    try:
        return ZoneInfo(config.schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(config.path, "schedule.timezone",
                          f"unknown time zone {config.schedule.timezone!r} (e.g. Asia/Jakarta)") from None


def sources_of(config: Config, job: CrawlJob, where: str = "schedule.crawls") -> list[str]:
    """The sources crawl job ``job`` covers; empty means every source (no ``--source``)."""
    if not job.groups:
        return []
    names = [s.name for s in config.sources if s.group in job.groups]
    if not names:
        known = ", ".join(sorted({s.group for s in config.sources})) or "none"
        raise ConfigError(config.path, f"{where}.groups",
                          f"no source is in group {' or '.join(job.groups)} (groups: {known})")
    return names


def _crontab(expression: str, tz: ZoneInfo, config: Config, key: str) -> CronTrigger:
    try:
        trigger = CronTrigger.from_crontab(expression, timezone=tz)
    except ValueError as exc:
        raise ConfigError(config.path, key, f"expected a crontab expression ({exc})") from None
    if trigger.get_next_fire_time(None, datetime.now(tz)) is None:
        raise ConfigError(config.path, key, f"{expression!r} never fires (no such date)")
    return trigger


def _shortest_period(trigger: CronTrigger) -> float:
    """The shortest time in seconds between two fire times of ``trigger`` over the next
    eight days (a weekly schedule's every gap; at most a thousand fires looked at)."""
    start = previous = trigger.get_next_fire_time(None, datetime.now(trigger.timezone))
    shortest = float("inf")
    for _ in range(1000):
        fire = trigger.get_next_fire_time(previous, previous + timedelta(seconds=1))
        if fire is None or fire - start > timedelta(days=8):
            break
        shortest = min(shortest, (fire - previous).total_seconds())
        previous = fire
    return shortest


def warta_command() -> list[str]:
    """How to start ``warta`` from this interpreter's environment."""
    script = Path(sys.executable).with_name("warta")
    return [str(script)] if script.exists() else [sys.executable, "-m", "warta"]


# --- the jobs ---------------------------------------------------------------------------


def crawl_job(config_path: str, database: str, jobstore: str, job_id: str,
              command: list[str] | None = None) -> str:
    """Run crawl job ``job_id`` as a ``warta crawl`` process; return the run's outcome."""
    return _run(jobstore, job_id, _crawl, config_path, database, job_id, command)


def digest_job(config_path: str, database: str, jobstore: str) -> str:
    """Build the digest of the day its last due time reports (``digest_due``) and deliver
    it as configured (as ``warta digest --send`` does); with no e-mail or webhook
    configured it is written to ``digest.out_dir`` alone, and the job is done."""
    return _run(jobstore, DIGEST_ID, _digest, config_path, database)


def maintenance_job(database: str, jobstore: str) -> str:
    """Database maintenance (``storage.maintenance``) between crawls."""
    return _run(jobstore, MAINTENANCE_ID, _maintain, database)


def _run(jobstore: str, job_id: str, body: Callable[..., tuple[str, str, dict]], *args) -> str:
    """Record one run of ``job_id`` around ``body`` and log under its run id."""
    RUNNING.job_started()
    try:
        run_id = start_job_run(jobstore, job_id)
        with run_context(f"{job_id}#{run_id}"):
            if RUNNING.stopping.is_set():
                outcome, detail, extra = "skipped", "the scheduler is stopping", {}
            else:
                logger.info("%s started", job_id)
                try:
                    outcome, detail, extra = body(*args)
                except Exception as exc:  # recorded and logged; the scheduler goes on
                    logger.exception("%s failed", job_id)
                    outcome, detail, extra = "failed", f"{type(exc).__name__}: {exc}", {}
            finish_job_run(jobstore, run_id, outcome, detail, **extra)
            good = outcome in ("ok", "partial", "skipped")
            logger.log(logging.INFO if good else logging.WARNING, "%s %s: %s", job_id, outcome, detail)
        return outcome
    finally:
        RUNNING.job_finished()


def _crawl(config_path: str, database: str, job_id: str, command: list[str] | None):
    config = load_config(config_path).with_database(database)
    job = next((j for j in config.schedule.crawls if j.id == job_id), None)
    if job is None:
        raise ConfigError(config_path, "schedule.crawls",
                          f"no crawl job {job_id!r} any more; restart the scheduler after editing it")
    argv = [*(command or warta_command()), "crawl", "--config", config_path, "--db", database,
            "--time-limit", str(job.budget_minutes)]
    for name in sources_of(config, job):
        argv += ["--source", name]
    since = utc_now()
    result = run_child(argv, RUNNING, budget=job.budget_minutes * 60, grace=STOP_GRACE_SECONDS,
                       logger=logging.getLogger("warta.crawl"))
    return crawl_outcome(database, result, since, job.budget_minutes)


def crawl_outcome(database: str, result: ChildResult, since: str, budget_minutes: float):
    """The job outcome of a finished crawl process, from its ledger row when it made one.

    A row the process left ``running`` (it was killed) is closed here: ``timeout``
    when it overran its budget, ``interrupted`` otherwise.
    """
    db = open_database(database)
    try:
        run = run_of_process(db, result.pid, since)
        extra = {"pid": result.pid, "crawl_run_id": run["id"] if run else None}
        if result.overran:
            close_runs_of(db, result.pid, "timeout", since, replace=("running", "interrupted"))
            return "timeout", f"ran past its budget of {budget_minutes} min ({result.describe()})", extra
        if run is None:
            if result.returncode == LockHeld.exit_code:
                return "skipped", result.last_line or "another process holds the database lock", extra
            outcome = "ok" if result.returncode == 0 else "failed"
            return outcome, f"{result.describe()}; {result.last_line}".rstrip("; "), extra
        outcome = run["outcome"]
        if outcome == "running":
            close_runs_of(db, result.pid, "interrupted", since)
            outcome = "interrupted"
        counts = run_summary(db, run["id"])
        detail = (f"crawl run {run['id']}: new {counts['new']}, updated {counts['updated']}, "
                  f"fetched {counts['fetched']}, failed {counts['failed']}, "
                  f"errors {counts['errors']} ({result.describe()})")
        if outcome == "timeout":  # stopped cleanly at its budget: the rest waits for the next run
            return "ok", detail + "; stopped at its budget, the rest is left for the next run", extra
        return outcome, detail, extra
    finally:
        db.close()


def _digest(config_path: str, database: str):
    config = load_config(config_path).with_database(database)
    day = digest_day(digest_due(config, datetime.now(schedule_timezone(config))))
    result = build_and_deliver(config, day, send=True)
    sent = "; ".join(f"{d.channel} {'done' if d.ok else 'FAILED: ' + str(d.error)} ({d.target})"
                     for d in result.deliveries)
    detail = f"{len(result.digest.entries)} stories of {result.digest.day}: {sent}"
    if not config.digest.sends:  # with nowhere to send it to, the file is the digest
        detail += f"; {NOT_SENT}"
    return ("ok" if result.ok else "failed"), detail, {}


def digest_due(config: Config, now: datetime) -> datetime:
    """The last time at or before ``now`` the digest was due: a digest run late (the
    scheduler was down, or restarted after dying in it) reports the day it was due
    for, not the day it runs in."""
    hour, minute = map(int, config.schedule.digest_time.split(":"))
    due = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return due if due <= now else due - timedelta(days=1)


def _maintain(database: str):
    try:
        taken = maintain_file(database, wait=MAINTENANCE_LOCK_WAIT, stop=RUNNING.stopping)
    except LockHeld as exc:
        return "skipped", str(exc), {}
    return "ok", ", ".join(f"{step} {seconds:.1f}s" for step, seconds in taken.items()), {}


# --- the scheduler ----------------------------------------------------------------------


def build_scheduler(
    config: Config,
    jobstore: str | Path,
    *,
    scheduler_class: type[BaseScheduler] = BlockingScheduler,
    command: list[str] | None = None,
    rerun: Iterable[str] = (),
) -> BaseScheduler:
    """A scheduler (not started) with the config's jobs in the job store ``jobstore``.

    A stored job whose trigger is unchanged keeps its next run time, so runs due
    while the scheduler was down are run (or recorded as missed) at start; a
    new interval crawl runs at once; crawl jobs named in ``rerun`` run at once.
    Stored jobs the config no longer has are removed.
    """
    specs = plan_jobs(config, jobstore, command)
    grace = config.schedule.misfire_grace_seconds
    store = SQLiteJobStore(jobstore)
    scheduler = scheduler_class(
        timezone=schedule_timezone(config),
        jobstores={"default": store},
        # crawls share the database and its lock: one at a time, a crawl that comes due
        # while another runs waits for it (as two jobs on one interval do every time)
        # instead of being skipped
        executors={"default": ThreadPoolExecutor(max_workers=len(specs)),
                   CRAWLS: ThreadPoolExecutor(max_workers=1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": grace},
    )
    now = datetime.now(schedule_timezone(config))
    rerun = set(rerun)
    # the longest a crawl can wait for the others to run before it: a late start from
    # that queue is no misfire
    queue = sum(job.budget_minutes * 60 + 2 * STOP_GRACE_SECONDS for job in config.schedule.crawls)
    stored = {job.id: job for job in store.get_all_jobs()}
    for spec in specs:
        old = stored.pop(spec.id, None)
        if spec.kind in ("crawl", "digest") and spec.id in rerun:  # a digest sends nothing twice
            logger.info("%s: the scheduler stopped during its last run; running it again now", spec.id)
            next_run = now
        elif old is not None and old.next_run_time and _same_trigger(old.trigger, spec.trigger):
            next_run = old.next_run_time
        elif old is None and spec.kind == "crawl" and isinstance(spec.trigger, IntervalTrigger):
            next_run = now
        else:
            next_run = None  # the trigger's next fire time
        logger.info("job %s: %s", spec.id, spec.description)
        timing = {"next_run_time": next_run} if next_run else {}
        scheduler.add_job(spec.func, spec.trigger, id=spec.id, name=spec.id, kwargs=spec.kwargs,
                          replace_existing=True, coalesce=True, max_instances=1,
                          misfire_grace_time=_grace(spec, grace, queue),
                          executor=CRAWLS if spec.kind == "crawl" else "default", **timing)
    for job_id in stored:
        logger.info("%s: no longer in the config; removed from the schedule", job_id)
        store.remove_job(job_id)
    scheduler.add_listener(functools.partial(record_not_run, str(jobstore), grace),
                           EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
    return scheduler


def _grace(spec: JobSpec, grace: int, queue: float) -> int | None:
    """How late a job may still start: a crawl, the grace plus the time it may wait for
    the other crawls; the digest, however late (a day's digest not sent when the
    scheduler was down goes out when it starts); maintenance, the grace."""
    if spec.kind == "crawl":
        return int(grace + queue)
    return None if spec.kind == "digest" else grace


def _same_trigger(a: BaseTrigger, b: BaseTrigger) -> bool:
    return (type(a), str(a), str(getattr(a, "timezone", ""))) == \
        (type(b), str(b), str(getattr(b, "timezone", "")))


def record_not_run(jobstore: str, grace: int, event: JobEvent) -> None:
    """Record a run APScheduler did not start: missed beyond the grace time, or still busy."""
    if event.code == EVENT_JOB_MISSED:
        due = event.scheduled_run_time.strftime("%Y-%m-%d %H:%M %Z")
        detail = f"due at {due}, more than {grace}s ago (was the scheduler down?)"
        record_job_run(jobstore, event.job_id, "missed", detail)
    else:
        record_job_run(jobstore, event.job_id, "skipped", "the previous run was still in progress")
    logger.warning("%s not run: %s", event.job_id, "missed" if event.code == EVENT_JOB_MISSED else "busy")


def serve(config: Config, jobstore: str | Path | None = None, *,
          command: list[str] | None = None) -> None:
    """Run the scheduler until SIGINT or SIGTERM, then wait for the running jobs.

    Raises :class:`LockHeld` when another scheduler uses the same job store.
    """
    jobstore = Path(jobstore) if jobstore else job_store_path(config.database)
    with file_lock(jobstore, wait=SCHEDULER_LOCK_WAIT):
        RUNNING.stopping.clear()
        rerun = interrupt_open_job_runs(jobstore)
        scheduler = build_scheduler(config, jobstore, command=command, rerun=rerun)
        handler = functools.partial(_on_signal, scheduler)
        previous = {signum: signal.signal(signum, handler) for signum in (signal.SIGINT, signal.SIGTERM)}
        try:
            if not RUNNING.stopping.is_set():
                scheduler.start()
            RUNNING.wait_idle()
        finally:
            for signum, old in previous.items():
                signal.signal(signum, old)
        logger.info("scheduler stopped (job store %s)", jobstore)


def _on_signal(scheduler: BaseScheduler, signum: int, frame) -> None:
    name = signal.Signals(signum).name
    if RUNNING.stopping.is_set():
        count = RUNNING.stop(signal.SIGINT)
        logger.warning("%s again: asking %d running process(es) to stop at once", name, count)
        return
    count = RUNNING.stop(signal.SIGINT)
    logger.info("%s: stopping; waiting for %d running process(es) to finish", name, count)
    if scheduler.running:
        scheduler.shutdown(wait=False)


def main() -> None:
    """``python scheduler.py [OPTIONS]``: the same as ``warta schedule [OPTIONS]``."""
    from warta.cli import main as cli

    cli.main(args=["schedule", *sys.argv[1:]], prog_name="python scheduler.py")


if __name__ == "__main__":
    import scheduler as _scheduler  # run as `scheduler`, the module the stored jobs name

    _scheduler.main()
