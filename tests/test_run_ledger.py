"""The run ledger when the database takes no more writes as the crawl closes."""

from __future__ import annotations

import logging

from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler.extensions import RunLedger
from storage.database import open_database


def test_a_full_disk_at_the_close_is_one_logged_line_and_the_next_run_closes_the_run(
        tmp_path, caplog):
    path = tmp_path / "warta.db"
    crawler = get_crawler(Spider, settings_dict={"STORAGE_DB_PATH": str(path)})
    spider = Spider.from_crawler(crawler, "news")
    crawler.stats.open_spider()
    ledger = RunLedger.from_crawler(crawler)
    ledger.opened(spider)
    pages = ledger.db.execute("PRAGMA page_count").fetchone()[0]
    ledger.db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from here on
    crawler.stats.set_value("source/nusa/fetched", 3)
    crawler.stats.set_value("log_count/note", "x" * 200_000)  # more than the pages left
    with caplog.at_level(logging.ERROR, logger="crawler.extensions"):
        ledger.closed(spider, "finished")  # no traceback out of the signal handler
    assert [r.getMessage().split(":")[0] for r in caplog.records] == [
        f"the run ledger of run {ledger.run_id} is not written"]
    assert "full" in caplog.records[0].getMessage()
    db = open_database(path)
    assert db.execute("SELECT outcome FROM crawl_runs").fetchone()[0] == "running"
    db.close()
