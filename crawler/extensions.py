"""Extensions that hold the crawl lock, keep the run ledger and show progress."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler.signals import url_failed
from storage.articles import mark_seen, sync_sources
from storage.database import StorageError, open_database
from storage.health import close_orphaned_runs
from storage.locks import LockHeld, file_lock
from storage.runs import COUNT_FIELDS, finish_run, record_error, run_duplicates, start_run

__all__ = ["COUNTERS", "CrawlLock", "Progress", "RunLedger", "outcome_of", "source_counts"]

logger = logging.getLogger(__name__)

# How Scrapy's close reasons read in the ledger.
OUTCOMES = {
    "finished": "ok",
    "shutdown": "interrupted",
    "closespider_timeout": "timeout",
    "cancelled": "interrupted",
}
COUNTERS = COUNT_FIELDS


def outcome_of(reason: str, counts: dict[str, dict[str, int]]) -> str:
    """The ledger outcome of a crawl that closed for ``reason``: a finished crawl
    with failed URLs is ``partial``; a crawl that got nothing at all done (no page
    fetched, no URL recognised as seen: every site unreachable, say) is ``failed`` when
    it finished with failed URLs or stopped at its time limit."""
    outcome = OUTCOMES.get(reason, "failed")
    failures = any(c["failed"] for c in counts.values())
    stopped_or_failing = outcome == "timeout" or (outcome == "ok" and failures)
    if stopped_or_failing and not any(map(_done, counts.values())):
        return "failed"
    return "partial" if outcome == "ok" and failures else outcome


def _done(counts: dict[str, int]) -> int:
    """What a source's crawl got done: pages fetched and URLs recognised as seen."""
    return counts["fetched"] + counts["skipped_seen"]


def source_counts(stats: dict) -> dict[str, dict[str, int]]:
    """Per-source counters from Scrapy stats keys ``source/<name>/<counter>``."""
    counts: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        parts = key.split("/")
        if len(parts) == 3 and parts[0] == "source" and parts[2] in COUNTERS:
            counts.setdefault(parts[1], dict.fromkeys(COUNTERS, 0))[parts[2]] = value
    return counts


def rule_counts(stats: dict) -> dict[tuple[str, str], int]:
    """Boilerplate lines removed per (source, rule) from ``extract/removed/<source>/<rule>``."""
    prefix = "extract/removed/"
    return {
        tuple(key[len(prefix) :].split("/", 1)): value
        for key, value in stats.items()
        if key.startswith(prefix) and key.count("/") == 3
    }


class CrawlLock:
    """Holds the database's crawl lock from start to end of a crawl started by
    ``scrapy crawl`` (``warta crawl`` takes it before Scrapy starts and says so with
    ``WARTA_LOCK_HELD``): two crawls, or a crawl and a story correction, never write
    at once. Another holder stops the crawl before any request (``LockHeld``)."""

    def __init__(self, crawler, database: str):
        self._lock = file_lock(database)
        try:
            self._lock.__enter__()
        except LockHeld as exc:  # said in one line, as `warta crawl` says it
            logger.error("%s", exc)
            raise SystemExit(LockHeld.exit_code) from None
        crawler.signals.connect(self.release, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.getbool("WARTA_LOCK_HELD") or not crawler.settings.get(
                "STORAGE_DB_PATH"):
            raise NotConfigured  # without a message: Scrapy then does not log it as a warning
        return cls(crawler, crawler.settings["STORAGE_DB_PATH"])

    def release(self):
        self._lock.__exit__(None, None, None)


class RunLedger:
    """Records each crawl in ``crawl_runs``: start, end, outcome, per-source counts,
    boilerplate removed per rule, and every failed URL with its reason in ``errors``.

    The run id is published as the stat ``warta/run_id`` for the pipelines."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.db = None
        self.run_id = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("STORAGE_DB_PATH"):
            raise NotConfigured("no STORAGE_DB_PATH")
        ledger = cls(crawler)
        crawler.signals.connect(ledger.opened, signal=signals.spider_opened)
        crawler.signals.connect(ledger.closed, signal=signals.spider_closed)
        crawler.signals.connect(ledger.failed, signal=url_failed)
        return ledger

    def opened(self, spider):
        try:
            self._start(spider)
        except StorageError as exc:  # a run that cannot be recorded stores nothing either
            logger.error("cannot record this crawl: %s", exc)
            if self.db is not None:
                self.db.close()
                self.db = None
            raise CloseSpider(str(exc)) from None

    def _start(self, spider):
        self.db = open_database(self.crawler.settings["STORAGE_DB_PATH"])
        for run_id in close_orphaned_runs(self.db):  # this crawl holds the crawl lock
            logger.warning(
                "run %d was left running by a process that is gone: marked interrupted", run_id
            )
        sources = getattr(spider, "run_sources", [])
        sync_sources(self.db, [(s.name, s.official) for s in sources])
        names = [s.name for s in sources]
        program = Path(sys.argv[0])  # "python -m warta" runs warta/__main__.py
        program = program.parent.name if program.name == "__main__.py" else program.name
        command = " ".join([program, *sys.argv[1:]])
        self.run_id = start_run(self.db, command=command, sources=names, pid=os.getpid())
        self.crawler.stats.set_value("warta/run_id", self.run_id)

    def failed(self, source, url, stage, reason, status=None, refused=False, gone=False):
        if self.db is None:
            return
        detail = f"HTTP {status}" if status and str(status) not in reason else None
        record_error(self.db, self.run_id, stage, reason, url=url, source=source, detail=detail)
        if stage == "fetch":
            status_seen = "gone" if gone or status in (404, 410) else "refused" if refused else "failed"
            mark_seen(self.db, url, source, status_seen, self.run_id)

    def closed(self, spider, reason):
        if self.db is None:
            return
        try:
            self._finish(spider, reason)
        except StorageError as exc:  # a full disk: the next run closes this one as interrupted
            logger.error("the run ledger of run %s is not written: %s", self.run_id, exc)
        finally:
            self.db.close()

    def _finish(self, spider, reason) -> None:
        stats = self.crawler.stats.get_stats()
        counts = source_counts(stats)
        for source in getattr(spider, "run_sources", []):  # crawled, even with nothing to count
            counts.setdefault(source.name, dict.fromkeys(COUNTERS, 0))
        for source, copies in run_duplicates(self.db, self.run_id).items():
            counts.setdefault(source, dict.fromkeys(COUNTERS, 0))["duplicates"] = copies
        outcome = outcome_of(reason, counts)
        if reason == "closespider_timeout":
            self._record_silent(counts, stats)
        summary = {k: v for k, v in stats.items() if k.split("/")[-1] not in COUNTERS}
        finish_run(self.db, self.run_id, outcome, counts, rule_counts(stats), _jsonable(summary))

    def _record_silent(self, counts: dict[str, dict[str, int]], stats: dict) -> None:
        """An error for each source a crawl stopped at its time limit got nothing of:
        none of its feeds, sitemaps or index pages had answered (or its turn had not
        come) when the time was up, and no failure was recorded, which would otherwise
        leave no trace."""
        limit = self.crawler.settings.getfloat("CLOSESPIDER_TIMEOUT")
        limit_text = f"{limit / 60:g} min" if limit >= 60 else f"{limit:g} s"
        for source, counted in sorted(counts.items()):
            if (not _done(counted) and not counted["failed"]
                    and not stats.get(f"listings_read/{source}")):
                record_error(self.db, self.run_id, "run",
                             f"nothing fetched before the time limit ({limit_text})",
                             source=source,
                             detail="none of its feeds, sitemaps or index pages had answered "
                                    "when the crawl stopped; the next run asks again")


class Progress:
    """A line on stderr every ``PROGRESS_INTERVAL`` seconds: pages, articles, errors."""

    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.task = None
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured("PROGRESS_INTERVAL is 0")
        progress = cls(crawler, interval)
        crawler.signals.connect(progress.opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.closed, signal=signals.spider_closed)
        return progress

    def opened(self, spider):
        self.task = create_looping_call(self.report)
        self.task.start(self.interval, now=False)

    def report(self):
        stats = self.crawler.stats.get_stats()
        totals = dict.fromkeys(COUNTERS, 0)
        for counts in source_counts(stats).values():
            for key in COUNTERS:
                totals[key] += counts[key]
        elapsed = time.monotonic() - self.started
        print(
            f"[{elapsed:6.0f}s] discovered {totals['discovered']}, fetched {totals['fetched']}, "
            f"new {totals['new']}, updated {totals['updated']}, seen {totals['skipped_seen']}, "
            f"irrelevant {totals['irrelevant']}, errors {totals['failed']}",
            file=sys.stderr,
            flush=True,
        )

    def closed(self, spider, reason):
        if self.task is not None and self.task.running:
            self.task.stop()


def _jsonable(stats: dict) -> dict:
    return {
        k: v if isinstance(v, (int, float, str, bool)) or v is None else str(v)
        for k, v in stats.items()
    }
