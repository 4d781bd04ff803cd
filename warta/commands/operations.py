"""``warta schedule``, ``warta status``, ``warta maintain`` and ``warta backup``: running
unattended, checking on it, and keeping the database in shape and safe."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click

from storage.database import StorageError
from storage.locks import LockHeld
from storage.maintenance import backup as backup_file
from storage.maintenance import maintain_file
from storage.scheduling import job_store_path
from warta.commands.options import (
    COUNT,
    LOG_LEVELS,
    config_options,
    lock_hint,
    open_config,
    require_database,
)
from warta.commands.output import emit_json, emit_rows
from warta.config import ConfigError

__all__ = ["COMMANDS"]


def jobstore_option(command):
    return click.option(
        "--jobstore", type=click.Path(dir_okay=False), default=None, metavar="FILE",
        help="The scheduler's job store (default: <database name>.scheduler.db beside the database).",
    )(command)


@click.command()
@config_options
@jobstore_option
@click.option("--log-level", type=LOG_LEVELS, default="info", show_default=True,
              help="Level of the log on stderr and in schedule.log_file.")
def schedule(config_path, db_path, jobstore, log_level):
    """Run the configured jobs until stopped: crawls per source group, the daily
    digest and weekly database maintenance, from the config's [schedule] section.

    Each crawl runs as its own `warta crawl` process within its time budget. The
    schedule persists in the job store, so a restart runs what was missed.
    SIGINT or SIGTERM stops it gracefully: a running crawl finishes its in-flight
    articles first. Logs go to stderr and to schedule.log_file."""
    import scheduler
    from warta.logs import setup_logging

    config = open_config(config_path, db_path)
    try:
        setup_logging(config.schedule.log_file, json_lines=config.schedule.json_logs,
                      level=log_level.upper())
    except OSError as exc:
        raise click.ClickException(f"schedule.log_file {config.schedule.log_file}: cannot "
                                   f"write the log there ({exc.strerror})") from None
    try:
        scheduler.serve(config, jobstore)
    except LockHeld as exc:
        raise click.ClickException(f"another scheduler is running: {exc}") from None
    except StorageError as exc:
        raise click.ClickException(f"cannot use the job store: {exc}") from None
    except ConfigError as exc:
        raise click.ClickException(f"invalid configuration: {exc}") from None


@click.command()
@config_options
@jobstore_option
@click.option("--max-errors", type=click.IntRange(min=0), default=20, show_default=True,
              help="A source with errors on more addresses than this within --window needs "
                   "attention (an address failing on every run counts once).")
@click.option("--window", "window_hours", type=click.FloatRange(min=0.1), default=24.0,
              show_default=True, metavar="HOURS", help="How far back to count errors.")
@click.option("--stale-runs", type=click.IntRange(min=1), default=5, show_default=True,
              help="A source with no new article in this many runs, while others have "
                   "some, needs attention.")
@click.option("--capped-runs", type=COUNT, default=3, show_default=True,
              help="A source whose page cap left URLs for later in this many runs in a row "
                   "needs attention.")
@click.option("--max-age", "max_age_hours", type=click.FloatRange(min=0.1), default=6.0,
              show_default=True, metavar="HOURS",
              help="Attention when the newest successful crawl is older than this.")
@click.option("--max-failed-share", type=click.FloatRange(min=0, max=1), default=0.5,
              show_default=True, metavar="SHARE",
              help="Attention when more than this share of the pages a source's newest "
                   "crawl tried failed (5 failures or more).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def status(config_path, db_path, jobstore, max_errors, window_hours, stale_runs, capped_runs,
           max_age_hours, max_failed_share, as_json):
    """Show each job's last run, outcome, counts and next run; crawls in progress;
    sources that are failing, have gone quiet or keep hitting their page cap; the
    database's size.

    Exits 0 when all is well and 1 when something needs attention, so it can
    serve as a monitoring check."""
    from warta.status import Thresholds, check_status

    config = open_config(config_path, db_path)
    jobstore = jobstore or str(job_store_path(config.database))
    thresholds = Thresholds(max_errors, window_hours, stale_runs, capped_runs, max_age_hours,
                            max_failed_share)
    try:
        report = check_status(config, jobstore, thresholds)
    except (ConfigError, StorageError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        emit_json({"healthy": not report["problems"], **report})
    else:
        _print_report(report, ZoneInfo(config.schedule.timezone))
    if report["problems"]:
        raise SystemExit(1)


def _print_report(report: dict, tz: ZoneInfo) -> None:
    def local(value):
        if not value:
            return ""
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")

    holder = report["scheduler"]["running"]
    click.echo(f"scheduler: {'running, ' + holder if holder else 'not running'} "
               f"(job store {report['scheduler']['jobstore']})")
    size = report["database"]
    if size:
        click.echo(f"database: {size['path']}: {_mb(size['file_bytes'])} "
                   f"(+{_mb(size['wal_bytes'])} WAL, {_mb(size['free_bytes'])} free), "
                   f"{size['articles']} articles")
    rows = []
    for job in report["jobs"]:
        last, counts = job["last_run"] or {}, job.get("counts") or {}
        rows.append({"job": job["id"], "schedule": job["schedule"], "last_run": last.get("started_at"),
                     "outcome": last.get("outcome", ""), "new": counts.get("new", ""),
                     "fetched": counts.get("fetched", ""), "failed": counts.get("failed", ""),
                     "next_run": job["next_run"]})
    click.echo("")
    emit_rows(rows, ["job", "schedule", "last_run", "outcome", "new", "fetched", "failed", "next_run"],
              "table", show={"last_run": local, "next_run": local})
    newest = report["newest_crawl"]
    if newest:  # however it was started: the scheduler, cron or by hand
        click.echo(f"newest crawl: run {newest['id']} {newest['outcome']}, finished "
                   f"{local(newest['finished_at'])} (new {newest['new']}, fetched "
                   f"{newest['fetched']}, failed {newest['failed']})")
    for run in report["running"]:
        state = "running" if run["alive"] else "process gone"
        click.echo(f"crawl run {run['id']}: started {local(run['started_at'])}, pid {run['pid']} ({state})")
    if report["sources"]:
        click.echo("")
        emit_rows(report["sources"], ["source", "group", "errors", "runs_without_new", "last_new_at",
                                      "state"], "table", show={"last_new_at": local})
    click.echo("")
    if report["problems"]:
        click.echo(f"NEEDS ATTENTION ({len(report['problems'])}):")
        for problem in report["problems"]:
            click.echo(f"  - {problem}")
    else:
        click.echo("OK")


@click.command()
@config_options
@click.option("--wait", type=click.FloatRange(0), default=0.0, show_default=True, metavar="SECONDS",
              help="How long to wait for a running crawl to finish.")
def maintain(config_path, db_path, wait):
    """Keep the database quick and small: forget site lines seen once and not for a
    month and errors older than 180 days, optimize the full-text index, ANALYZE,
    VACUUM and truncate the WAL.

    Runs under the crawl lock, so no crawl writes meanwhile; exits 75 without
    touching the file while a crawl still holds it. `warta schedule` runs this
    weekly by itself; this command is for cron."""
    config = open_config(config_path, db_path)
    require_database(config)
    try:
        taken = maintain_file(config.database, wait=wait)
    except LockHeld as exc:
        click.echo(f"Error: cannot maintain: {exc} {lock_hint(wait)}", err=True)
        raise SystemExit(exc.exit_code) from None
    except StorageError as exc:
        raise click.ClickException(f"cannot maintain: {exc}") from None
    for step, seconds in taken.items():
        click.echo(f"{step:<18} {seconds:6.2f} s")


@click.command()
@config_options
@click.argument("destination", type=click.Path(dir_okay=False, writable=True))
def backup(config_path, db_path, destination):
    """Copy the database to DESTINATION as it stands at one moment, while crawls go
    on, and check the copy.

    The copy is one self-contained SQLite file, put in place only once whole and
    checked: an earlier backup under that name stays until then. Restore by
    stopping warta and copying the file back over the database."""
    config = open_config(config_path, db_path)
    started = time.monotonic()
    try:
        size = backup_file(config.database, destination)
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{config.database} backed up to {destination}: {_mb(size)} in "
               f"{time.monotonic() - started:.1f} s, checked")


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


COMMANDS = [schedule, status, maintain, backup]
