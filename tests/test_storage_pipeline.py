"""The storage stage when the database stops taking writes: the crawl stops at once."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from pipelines.storage import StoragePipeline
from storage.database import open_database


class _Engine:
    def __init__(self):
        self.reasons = []

    def close_spider_async(self, *, reason: str = "cancelled") -> None:  # nothing to wait for
        self.reasons.append(reason)


def _item(n: int) -> ArticleItem:
    return ArticleItem(url=f"https://harian.example/berita/{n}", source="harian",
                       html="<html></html>", fetched_at="2025-11-20T03:00:00Z",
                       title=f"Berita {n}", text=f"Kemenham membahas laporan nomor {n}. " * 40,
                       relevant=True)


def test_a_full_disk_stops_the_crawl_and_keeps_nothing_half_written(tmp_path):
    path = tmp_path / "warta.db"
    open_database(path).close()
    crawler = get_crawler(settings_dict={"STORAGE_DB_PATH": str(path), "STORAGE_BATCH_SIZE": 2,
                                         "STORAGE_BATCH_SECONDS": 60})
    crawler.engine = _Engine()
    stage = StoragePipeline.from_crawler(crawler)
    stage.db = open_database(path)  # what open_spider does, without its timer (no reactor here)
    pages = stage.db.execute("PRAGMA page_count").fetchone()[0]
    stage.db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from here on
    for n in range(6):
        stage.process_item(_item(n))
    assert stage.halted and crawler.engine.reasons == ["storage_failed"]
    assert stage.pending == []  # what came after is left for the next run
    stage.close_spider()
    db = open_database(path)
    stored = [u for (u,) in db.execute("SELECT url FROM articles ORDER BY url")]
    seen = [u for (u,) in db.execute("SELECT url FROM seen_urls WHERE status = 'stored' ORDER BY url")]
    db.close()
    # the batches before the disk filled are kept whole; nothing after is marked seen
    assert stored == seen == [_item(n).url for n in range(len(stored))] and len(stored) < 6
