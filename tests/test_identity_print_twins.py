"""A page's address settles through every change made earlier in the crawl: a print
rendering that gave way to another, which then gave way to the article's own address,
leads to the latter whatever order the pages come in."""

from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from pipelines.identity import IdentityPipeline
from storage.articles import save_article
from storage.database import open_database, transaction

BASE = "http://news.example"
OWN = f"{BASE}/nasional/read/2026/11/22/512301/menham-bertemu-menteri"
PRINTS = [f"{BASE}/cetak/512301.html", f"{BASE}/print/512301", f"{BASE}/berita/512301?print=1"]
TEXT = " ".join(f"Kalimat ke-{n} tentang pertemuan Menteri HAM di Jakarta." for n in range(12))


def _page(url: str) -> ArticleItem:
    return ArticleItem(url=url, source="news", html="<html><body></body></html>",
                       fetched_at="2026-11-22T10:00:00Z", title="Menham bertemu menteri",
                       text=TEXT)


def test_every_print_rendering_follows_the_article_to_its_own_address(tmp_path):
    db_path = tmp_path / "warta.db"
    db = open_database(db_path)
    with transaction(db):  # an earlier crawl met the print renderings only
        save_article(db, {"url": PRINTS[0], "source": "news", "fetched_at": "2026-11-22T09:00:00Z",
                          "title": "Menham bertemu menteri", "text": TEXT,
                          "requested_urls": PRINTS[1:]}, None)
    db.close()
    pipeline = IdentityPipeline(get_crawler(), str(db_path))
    pipeline.open_spider()
    try:
        # an alias first, then the article's own address, then another alias
        settled = [pipeline.process_item(_page(url)).url for url in (PRINTS[1], OWN, PRINTS[2])]
    finally:
        pipeline.close_spider()
    assert settled[1:] == [OWN, OWN]
