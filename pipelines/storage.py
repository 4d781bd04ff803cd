"""The last stage: write each article together with its story decision.

Articles are written in small batches, one transaction a batch and a savepoint an
article, so a crawl does not pay a commit per page; a batch is flushed when it
holds ``STORAGE_BATCH_SIZE`` articles, every ``STORAGE_BATCH_SECONDS`` and when the
spider closes. An article that fails rolls back alone and is recorded; its URL stays
unseen, so the next run fetches it again. A crawl killed outright loses at most the
unflushed batch, which the next run fetches again for the same reason. When the
database takes no writes at all (a full disk, an I/O error, a read-only or damaged
file) the crawl stops (reason ``storage_failed``, outcome ``failed``) with one line
saying why, instead of fetching pages it cannot keep.

Counters per source: ``new``, ``updated`` (fetched again with a changed text),
``unchanged``, ``irrelevant``, ``failed``, and ``written_again`` for an article already
written this run under another URL (it counts once in the run ledger). All but
``unchanged`` and ``written_again`` are also added to the run's row in
``crawl_run_sources`` with each batch, and every article of the batch to its
``fetched``, so a crawl killed outright leaves the counts of what it stored (its pages
fetched but not yet stored are not counted).
"""

from __future__ import annotations

import inspect
import logging
from collections import Counter
from dataclasses import fields

from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.defer import deferred_from_coro

from crawler.signals import url_failed
from storage.articles import find_article, save_article, text_hash
from storage.clusters import TermTally, apply_decision
from storage.database import StorageError, cannot_write, open_database, transaction
from storage.runs import COUNT_FIELDS, add_run_counts

__all__ = ["StoragePipeline"]

logger = logging.getLogger(__name__)


class StoragePipeline:
    """Stores articles, with their story decisions, in the database named by
    ``STORAGE_DB_PATH``."""

    def __init__(self, crawler, db_path: str, batch_size: int, batch_seconds: float):
        self.crawler = crawler
        self.db_path = db_path
        self.batch_size = batch_size
        self.batch_seconds = batch_seconds
        self.pending: list = []
        self.written: set[int] = set()  # articles written this run
        self.halted = False  # the database took no more writes: the crawl is stopping
        self.db = None
        self.flusher = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(
            crawler,
            settings["STORAGE_DB_PATH"],
            settings.getint("STORAGE_BATCH_SIZE"),
            settings.getfloat("STORAGE_BATCH_SECONDS"),
        )

    def open_spider(self):
        self.db = open_database(self.db_path)
        self.flusher = create_looping_call(self.flush)
        self.flusher.start(self.batch_seconds, now=False)

    def close_spider(self):
        if self.flusher is not None and self.flusher.running:
            self.flusher.stop()
        if self.db is not None:
            self.flush()
            self.db.close()

    def process_item(self, item):
        if self.halted:  # not stored, so not seen: the next run fetches it
            return item
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        """Write the pending articles: one transaction, a savepoint each."""
        batch, self.pending = self.pending, []
        if not batch:
            return
        outcomes = []
        try:
            with transaction(self.db):
                tally = TermTally()
                outcomes = [self._write(item, tally) for item in batch]
                tally.write(self.db)
                self._count_in_ledger(batch, outcomes)
        except StorageError as exc:  # the transaction itself failed (an I/O error, a full disk)
            if cannot_write(exc):
                self._halt(exc, len(batch))
                return
            logger.warning(
                "a batch of %d articles failed (%s); writing them one at a time", len(batch), exc
            )
            try:
                outcomes = [self._write(item) for item in batch]
            except StorageError as fatal:
                self._halt(fatal, len(batch))
                return
            try:
                with transaction(self.db):
                    self._count_in_ledger(batch, outcomes)
            except StorageError as again:
                logger.warning("the run ledger's counts of this batch are not written: %s", again)
        for item, (outcome, error) in zip(batch, outcomes):
            self.crawler.stats.inc_value(f"source/{item.source}/{outcome}")
            if error is not None:
                logger.warning("not stored: %s: %s", item.url, error)
                self.crawler.signals.send_catch_log(
                    signal=url_failed,
                    source=item.source,
                    url=item.url,
                    stage="store",
                    reason=error,
                    status=None,
                )

    def _halt(self, exc: StorageError, count: int) -> None:
        """The database takes no writes (a full disk, an I/O error): stop the crawl rather
        than fetch pages that cannot be kept."""
        self.halted = True
        logger.error("the crawl stops: %s (%d articles of this batch, and those fetched "
                     "until it stops, are not stored and are fetched next run)", exc, count)
        closing = self.crawler.engine.close_spider_async(reason="storage_failed")
        if inspect.isawaitable(closing):
            deferred_from_coro(closing)

    def _count_in_ledger(self, batch: list, outcomes: list[tuple[str, str | None]]) -> None:
        run_id = self.crawler.stats.get_value("warta/run_id")
        if run_id is None:
            return
        counts: dict[str, Counter] = {}
        for item, (outcome, _) in zip(batch, outcomes):
            counted = counts.setdefault(item.source, Counter())
            counted["fetched"] += 1  # what reached storage was fetched
            if outcome in COUNT_FIELDS:
                counted[outcome] += 1
        add_run_counts(self.db, run_id, counts)

    def _write(self, item, tally: TermTally | None = None) -> tuple[str, str | None]:
        """Write one article in its own savepoint (or transaction); return the counter it
        adds to and, if it failed, why. With a ``tally`` (the batch's), the article's
        document frequencies go to it once the article is written, for the batch to
        write; without one, they are written with the article."""
        # cluster columns are written by apply_decision, once the story row exists
        record = {f.name: getattr(item, f.name) for f in fields(item)}
        record.update(cluster_id=None, duplicate_of=None, similarity=None)
        counted = None
        try:
            with transaction(self.db):
                existing = find_article(self.db, [item.url, *item.requested_urls])
                stored_hash = existing and self.db.execute(
                    "SELECT text_hash FROM articles WHERE id = ?", (existing,)).fetchone()[0]
                article_id = save_article(
                    self.db, record, self.crawler.stats.get_value("warta/run_id")
                )
                if item.clustering is not None:
                    counted = apply_decision(self.db, article_id, item.clustering,
                                             count_terms=tally is None)
        except StorageError as exc:
            if cannot_write(exc):  # no other article would fare better: the batch stops
                raise
            return "failed", str(exc)
        if tally is not None and counted is not None:
            tally.update(counted)
        if existing in self.written:  # reached again this run under another URL
            return "written_again", None
        self.written.add(article_id)
        if not item.relevant:
            return "irrelevant", None
        if not existing:
            return "new", None
        # a fetch that found no text keeps the stored one (save_article): nothing changed
        changed = bool((item.text or "").strip()) and \
            stored_hash != (item.text_hash or text_hash(item.text))
        return ("updated" if changed else "unchanged"), None

