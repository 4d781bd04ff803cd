"""Running one crawl in this process (``warta crawl``, ``warta demo``).

Twisted's reactor cannot be restarted, so a process runs at most one crawl;
the scheduler starts each crawl as a fresh ``warta crawl`` process.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.python.failure import Failure

from crawler.extensions import COUNTERS, outcome_of, source_counts
from crawler.spiders.news import NewsSpider
from storage.database import StorageError, describe_error, open_database
from storage.locks import file_lock
from storage.runs import finish_run, record_error, run_source_counts, running_runs, start_run
from warta.config import Config

__all__ = ["CrawlResult", "run_crawl"]

_FORCED = "stopped before it could close its run; what was not written is fetched next run"


@dataclass(frozen=True)
class CrawlResult:
    run_id: int | None
    outcome: str
    reason: str
    counts: dict[str, dict[str, int]]
    elapsed: float

    def totals(self) -> dict[str, int]:
        return {key: sum(c[key] for c in self.counts.values()) for key in COUNTERS}


def run_crawl(
    config: Config,
    sources: tuple[str, ...] = (),
    *,
    time_limit_minutes: float | None = None,
    log_level: str = "WARNING",
    progress_interval: float = 5.0,
) -> CrawlResult:
    """Crawl ``sources`` (all when empty) once, blocking until the crawl ends.

    Raises :class:`storage.locks.LockHeld` when another crawl holds the database.
    """
    for name in sources:
        config.source(name)  # an unknown name stops here with a clear message
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("WARTA_CONFIG_OBJECT", config, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.set("PROGRESS_INTERVAL", progress_interval, priority="cmdline")
    settings.set("WARTA_LOCK_HELD", True, priority="cmdline")  # taken below, before Scrapy
    if time_limit_minutes:
        settings.set("CLOSESPIDER_TIMEOUT", time_limit_minutes * 60, priority="cmdline")
    logging.getLogger("scrapy").setLevel(log_level)
    with file_lock(config.database):  # one crawl per database; LockHeld if another runs
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(NewsSpider)
        failures = []
        process.crawl(crawler, source=",".join(sources)).addErrback(failures.append)
        started = time.monotonic()
        process.start()
        ran = time.monotonic() - started
    stats = crawler.stats.get_stats()
    reason = stats.get("finish_reason", "unknown")
    run_id = stats.get("warta/run_id")
    if run_id is None and failures:
        return _failed_start(config, sources, failures[0])
    counts = source_counts(stats)
    if run_id is None:  # the run ledger could not write its row, and stopped the crawl
        return CrawlResult(None, "failed", f"the run could not be recorded: {reason}", counts,
                           stats.get("elapsed_time_seconds", 0.0))
    db = open_database(config.database)  # the ledger's counts also know the copies found
    try:
        if any(run["id"] == run_id for run in running_runs(db)):
            # forced down (a second Ctrl-C): Scrapy stopped without closing the spider,
            # so the ledger never closed the run; what was stored is kept and counted
            reason = _FORCED
            finish_run(db, run_id, "interrupted", counts, {}, {"finish_reason": reason})
        counts = run_source_counts(db, run_id) or counts
    finally:
        db.close()
    elapsed = stats.get("elapsed_time_seconds", ran)
    outcome = "interrupted" if reason == _FORCED else outcome_of(reason, counts)
    return CrawlResult(run_id, outcome, reason, counts, elapsed)


def _failed_start(config: Config, sources: tuple[str, ...], failure: Failure) -> CrawlResult:
    """Record a crawl that broke before it began (a stage that could not open; or Ctrl-C,
    an interrupted run), so that the run ledger and ``warta status`` show it with its
    reason."""
    error = failure.value
    stopped = isinstance(error, KeyboardInterrupt)  # Ctrl-C while it was starting
    if stopped:
        reason = "stopped while starting"
    elif isinstance(error, sqlite3.Error):  # stored state a stage could not read
        reason = f"could not start: {describe_error(config.database, error, 'cannot read the database')}"
    else:
        reason = f"could not start: {type(error).__name__}: {error}"
    outcome = "interrupted" if stopped else "failed"
    names = list(sources) or [source.name for source in config.sources]
    run_id = None
    try:
        db = open_database(config.database)
        try:
            run_id = start_run(db, command="warta crawl", sources=names, pid=os.getpid())
            if not stopped:
                record_error(db, run_id, "start", reason, detail=failure.getTraceback())
            finish_run(db, run_id, outcome, {name: {} for name in names}, {},
                       {"finish_reason": reason})
        finally:
            db.close()
    except StorageError as exc:  # the database itself is the trouble: say so, record nothing
        reason = f"{reason}; not recorded: {exc}"
    return CrawlResult(run_id, outcome, reason, {name: dict.fromkeys(COUNTERS, 0)
                                                 for name in names}, 0.0)
