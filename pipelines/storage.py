"""The last stage: write each article, and its cluster update, in one transaction."""

from __future__ import annotations

import logging
from dataclasses import asdict

from scrapy.exceptions import DropItem

from crawler.signals import url_failed
from storage.articles import find_article, save_article
from storage.clusters import apply_decision
from storage.database import StorageError, open_database, transaction

__all__ = ["StoragePipeline"]

logger = logging.getLogger(__name__)


class StoragePipeline:
    """Stores articles, with their story decisions, in the database named by
    ``STORAGE_DB_PATH``.

    A write that fails rolls back that article alone, is recorded in the run
    ledger, and leaves its URL unseen so the next run fetches it again."""

    def __init__(self, crawler, db_path: str):
        self.crawler = crawler
        self.db_path = db_path
        self.db = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings["STORAGE_DB_PATH"])

    def open_spider(self):
        self.db = open_database(self.db_path)

    def close_spider(self):
        if self.db is not None:
            self.db.close()

    def process_item(self, item):
        stats = self.crawler.stats
        # cluster columns are written by apply_decision, once the story row exists
        record = {**asdict(item), "cluster_id": None, "duplicate_of": None, "similarity": None}
        try:
            with transaction(self.db):
                existed = find_article(self.db, [item.url, *item.requested_urls]) is not None
                article_id = save_article(self.db, record, stats.get_value("warta/run_id"))
                if item.clustering is not None:
                    apply_decision(self.db, article_id, item.clustering)
        except StorageError as exc:
            stats.inc_value(f"source/{item.source}/failed")
            self.crawler.signals.send_catch_log(
                signal=url_failed, source=item.source, url=item.url, stage="store", reason=str(exc), status=None
            )
            raise DropItem(f"not stored: {exc}") from exc
        key = "irrelevant" if not item.relevant else ("updated" if existed else "new")
        stats.inc_value(f"source/{item.source}/{key}")
        return item
