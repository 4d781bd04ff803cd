"""``warta crawl`` and ``warta demo``: one crawl, with progress and a summary."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.extensions import COUNTERS
from crawler.runner import CrawlResult, run_crawl
from storage.database import StorageError, check_writable, open_database
from storage.digests import busiest_day, latest_day
from storage.locks import LockHeld
from warta.commands.options import DEMO_DATABASE, LOG_LEVELS, config_options, open_config
from warta.config import ConfigError
from warta.digest.daily import build_and_deliver

__all__ = ["COMMANDS"]


@click.command()
@config_options
@click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="NAME",
    help="Crawl only this source (repeatable).",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    metavar="MINUTES",
    help="Stop cleanly after this many minutes (the pages in flight are finished, the "
         "rest is left for the next run); the run is recorded as 'timeout' and the "
         "command exits 0, unless nothing was fetched by then: 'failed', exit 1.",
)
@click.option(
    "--log-level",
    type=LOG_LEVELS,
    default="warning",
    show_default=True,
    help="Scrapy's log level on stderr.",
)
def crawl(config_path, db_path, sources, time_limit, log_level):
    """Crawl the configured sources once: discover new articles in feeds, sitemaps
    and index pages, fetch each one once, extract, score, cluster and store them.

    Prints progress while it works and a per-source summary at the end; exits 0
    when the run completed (some URLs may have failed) or stopped at --time-limit
    having fetched something, 1 when it failed or was interrupted, and 75 without
    crawling when another crawl of the same database is running."""
    config = open_config(config_path, db_path)
    if not config.sources:
        raise click.ClickException(f"{config_path}: no [[sources]] to crawl")
    try:
        for name in sources:
            config.source(name)
        open_database(config.database).close()  # a bad file stops here, before any request
        check_writable(config.database)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    except StorageError as exc:
        raise click.ClickException(f"cannot use the database: {exc}") from None
    try:
        result = run_crawl(
            config, tuple(sources), time_limit_minutes=time_limit, log_level=log_level.upper()
        )
    except LockHeld as exc:
        click.echo(f"Error: cannot crawl: {exc}", err=True)
        raise SystemExit(exc.exit_code) from None
    except StorageError as exc:  # the lock file beside the database cannot be made
        raise click.ClickException(f"cannot use the database: {exc}") from None
    print_summary(result, config.database)
    if result.outcome not in ("ok", "partial", "timeout"):
        raise SystemExit(1)


@click.command()
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=None,
    help=f"SQLite database file for the demo.  [default: {DEMO_DATABASE}]",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port for the newsroom's sites (0: any free port).",
)
@click.option(
    "--keep", is_flag=True, help="Keep the previous demo database instead of starting fresh."
)
def demo(db_path, port, keep):
    """Try warta offline: start the bundled newsroom on 127.0.0.x, crawl it into a
    fresh demo database, then show the day's stories. The demo writes its own config
    beside the database."""
    from newsroom.server import Newsroom

    database = Path(db_path) if db_path else DEMO_DATABASE
    if not keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    config_file = database.parent / "warta-demo.toml"
    with Newsroom(port=port) as newsroom:
        newsroom.write_config(config_file, database)
        click.echo(
            f"newsroom: {len(newsroom.outlets)} sites on 127.0.0.x:{newsroom.port}; config {config_file}"
        )
        config = open_config(str(config_file), None)
        result = run_crawl(config, progress_interval=2.0)
    print_summary(result, str(database))
    db = open_database(config.database)
    try:
        day = busiest_day(db) or latest_day(db)
    finally:
        db.close()
    click.echo(
        f"\nThe stories of {day}, the busiest recent day; "
        f"`warta digest --db {database} --date DAY` shows any day.\n"
    )
    build_and_deliver(config, day, "txt")


# Scrapy's close reasons, as the summary says them
_REASONS = {"finished": "finished", "closespider_timeout": "the time limit was reached",
            "shutdown": "stopped by Ctrl-C or SIGTERM"}


def print_summary(result: CrawlResult, database: str) -> None:
    """The per-source table printed at the end of a crawl."""
    header = ["source", *COUNTERS]
    rows = [[name, *(str(c[k]) for k in COUNTERS)] for name, c in sorted(result.counts.items())]
    rows.append(["total", *(str(v) for v in result.totals().values())])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    run = "run (not recorded)" if result.run_id is None else f"run {result.run_id}"
    reason = _REASONS.get(result.reason, result.reason)
    if result.outcome == "failed" and result.reason == "closespider_timeout":
        reason = "the time limit was reached before anything was fetched"
    click.echo(f"\n{run}: {result.outcome} ({reason}) in {result.elapsed:.1f}s -> {database}")
    for row in [header, *rows]:
        click.echo(
            "  ".join(
                cell.rjust(w) if i else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(row, widths))
            )
        )
    failed = result.totals()["failed"]
    if result.run_id is not None and (failed or result.outcome == "failed"):
        what = f"{failed} URL(s) failed" if failed else "The run failed"
        click.echo(
            f"{what}: the `errors` table says where and why "
            f"(sqlite3 {database} \"SELECT source, url, stage, reason FROM errors "
            f"WHERE run_id = {result.run_id}\")."
        )


COMMANDS = [crawl, demo]
