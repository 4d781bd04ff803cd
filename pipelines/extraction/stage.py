"""The Scrapy stage: each fetched page through ``extract_page`` off the reactor.

Extraction is CPU-bound (~10-60 ms a page), so it runs off the event loop:
``EXTRACT_WORKERS`` processes (0 = one per core). With 1 it runs in a single
thread, not inline: inline, the loop (downloads, timeouts) stalls for a whole
page each time, some hundred milliseconds on a large one; the thread hands the
loop the interpreter every few milliseconds, at some cost in pages per second
while the loop is busy (bench/extraction.py measures the three ways).

A page that yields no text is stored with an ``extraction_note``, the stat
``extract/no_text`` and, the first time, a recorded error: its URL is seen, and asked
for again for ``crawl.retry_refused_days`` (a page needing JavaScript or a bot check may
have stood where the article was; ``storage.articles.skip_urls``). A page whose extraction
breaks (a worker that dies, a parser error) is not stored: it counts as failed
(``extract/failed``), the error is recorded and the item dropped, so the next run
fetches the page again instead of keeping an empty article.

Counters: ``extract/pages``, ``extract/removed/<source>/<rule>`` (read into the
run ledger's ``crawl_run_rules``), ``extract/date_source/<source of the date>``.

Template learning: the site's learned lines are read from the database the
first time the run meets the site; the template candidates of each new article
are written back when the spider closes, after the articles are stored.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from crawler.signals import url_failed
from pipelines.extraction.dispatch import BatchDispatcher
from pipelines.extraction.extract import Extraction, extract_page
from pipelines.extraction.workers import WORKER_BACKLOG, WorkerPool, run_batch
from storage.articles import find_article
from storage.boilerplate import learned_lines, record_lines
from storage.database import StorageError, open_database, transaction

__all__ = ["ExtractionPipeline"]

logger = logging.getLogger(__name__)


class ExtractionPipeline:
    """Fills title, text, author, publication time, language and site name."""

    def __init__(self, crawler, workers: int, db_path: str | None):
        self.crawler = crawler
        self.workers = workers or os.cpu_count() or 1
        self.db_path = db_path
        self.pool: WorkerPool | ThreadPoolExecutor | None = None
        self.dispatcher: BatchDispatcher | None = None
        self.db = None
        self.learned: dict[str, frozenset[str]] = {}
        self.pending: dict[str, tuple[str, tuple[str, ...], str | None]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        workers = crawler.settings.getint("EXTRACT_WORKERS", 0)
        if workers < 0:
            raise NotConfigured(f"EXTRACT_WORKERS must be 0 (one per core) or more, not {workers}")
        return cls(crawler, workers, crawler.settings.get("STORAGE_DB_PATH"))

    def open_spider(self):
        if self.workers == 1:
            self.pool = ThreadPoolExecutor(1, thread_name_prefix="extract")
            self.dispatcher = BatchDispatcher(self._in_thread, slots=1)
        else:
            self.pool = WorkerPool(self.workers)
            self.dispatcher = BatchDispatcher(self.pool.run, slots=self.workers * WORKER_BACKLOG)
        if self.db_path:
            try:
                self.db = open_database(self.db_path)
            except StorageError as exc:
                logger.warning("template learning off: %s", exc)

    def close_spider(self):
        if isinstance(self.pool, WorkerPool):
            self.pool.close()
        elif self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.db is None:
            return
        try:
            with transaction(self.db):
                for source, lines, fetched_at in self.pending.values():
                    record_lines(self.db, source, lines, fetched_at)
        except (StorageError, sqlite3.Error) as exc:
            logger.warning("template lines not recorded: %s", exc)
        self.db.close()

    async def process_item(self, item):
        adapter = ItemAdapter(item)
        source = adapter.get("source") or "unknown"
        job = partial(
            extract_page,
            adapter.get("html") or "",
            adapter.get("url"),
            hints={
                "published": adapter.get("hint_published"),
                "title": adapter.get("hint_title"),
                "fetched_at": adapter.get("fetched_at"),
            },
            learned_lines=self._learned(source),
            more_pages=tuple(adapter.get("more_pages") or ()),
        )
        try:
            result = await self.dispatcher.run(job)
        except Exception as exc:  # the worker died, or the page could not be handed over
            logger.exception("extraction of %s failed", adapter.get("url"))
            result = Extraction(note=f"extraction failed: {type(exc).__name__}: {exc}",
                                failed=True)
        self._count(source, adapter, result)
        if result.failed:
            raise DropItem(result.note)
        self._fill(adapter, result)
        self._remember(source, adapter, result)
        return item

    # -- helpers -----------------------------------------------------------

    def _in_thread(self, jobs):
        return asyncio.get_running_loop().run_in_executor(self.pool, run_batch, jobs)

    def _learned(self, source: str) -> frozenset[str]:
        if source not in self.learned:
            lines = frozenset()
            if self.db is not None:
                try:
                    lines = learned_lines(self.db, source)
                except (StorageError, sqlite3.Error) as exc:  # a locked database must not stop extraction
                    logger.warning("learned lines of %s not loaded: %s", source, exc)
            self.learned[source] = lines
        return self.learned[source]

    @staticmethod
    def _fill(adapter: ItemAdapter, result: Extraction) -> None:
        adapter["title"] = result.title or adapter.get("hint_title")
        adapter["text"] = result.text
        adapter["author"] = result.author
        adapter["published_at"] = result.published
        adapter["published_source"] = result.published_source
        adapter["published_precision"] = result.published_precision
        adapter["language"] = result.language
        adapter["site_name"] = result.site_name
        adapter["removed_lines"] = result.removed
        adapter["listing"] = result.listing
        notes = [n for n in (adapter.get("extraction_note"), result.note) if n]
        adapter["extraction_note"] = "; ".join(notes) or None

    def _count(self, source: str, adapter: ItemAdapter, result: Extraction) -> None:
        stats = self.crawler.stats
        stats.inc_value("extract/pages")
        for rule, count in Counter(r["rule"] for r in result.removed).items():
            stats.inc_value(f"extract/removed/{source}/{rule}", count)
        stats.inc_value(f"extract/date_source/{result.published_source or 'none'}")
        if result.text:
            return
        if result.failed:
            stats.inc_value("extract/failed")
            stats.inc_value(f"source/{source}/failed")
        else:
            stats.inc_value("extract/no_text")
            if self._stored(adapter):  # asked for again: its error was recorded the first time
                return
        self.crawler.signals.send_catch_log(
            signal=url_failed, source=source, url=adapter.get("url"), stage="extract",
            reason=result.note or "no article text found", status=None,
        )

    def _stored(self, adapter: ItemAdapter) -> bool | None:
        """Whether the page's article is stored already (under any of its addresses);
        None when the database cannot tell (none, or a locked one)."""
        if self.db is None:
            return None
        url = adapter.get("url")
        try:
            return find_article(self.db, [url, *(adapter.get("requested_urls") or [])]) is not None
        except (StorageError, sqlite3.Error) as exc:
            logger.warning("could not look %s up among the stored articles: %s", url, exc)
            return None

    def _remember(self, source: str, adapter: ItemAdapter, result: Extraction) -> None:
        """Keep a new article's template candidates for the site's statistics
        (an article fetched again was counted when it was first stored)."""
        url = adapter.get("url")
        if not result.template_lines or not url or url in self.pending:
            return
        if self._stored(adapter) is not False:  # counted when first stored, or cannot tell
            return
        self.pending[url] = (source, result.template_lines, adapter.get("fetched_at"))
