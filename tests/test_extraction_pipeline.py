"""The Scrapy extraction stage: items built from HtmlResponse go through it in a
thread or in worker processes, with counts per rule, explained failures and
template learning across runs."""

from __future__ import annotations

import asyncio
from dataclasses import asdict

import pytest
from extraction_pages import PARAGRAPHS, TITLE, article_page
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from crawler.signals import url_failed
from pipelines.extraction import ExtractionPipeline, stage
from pipelines.extraction.templates import MIN_ARTICLES
from storage.articles import save_article
from storage.database import open_database

PROMO = "Tonton siaran langsung Harian Contoh setiap pagi di kanal kami."


def make_item(number: int, *inserts: str, source: str = "harian", encoding: str = "utf-8") -> ArticleItem:
    code = "".join(chr(ord("a") + int(d)) for d in f"{number:03d}")
    paragraphs = tuple(f"Pada kunjungan {code}, {p[0].lower()}{p[1:]}" for p in PARAGRAPHS)
    html = article_page(*inserts, paragraphs=paragraphs)
    if encoding != "utf-8":
        html = html.replace('charset="utf-8"', f'charset="{encoding}"')
    response = HtmlResponse(url=f"https://harian.example/berita/{number}", body=html.encode(encoding))
    return ArticleItem(url=response.url, source=source, html=response.text,
                       fetched_at=f"2025-12-{1 + number % 28:02d}T03:00:00Z", requested_urls=[response.url])


def open_pipeline(**settings) -> ExtractionPipeline:
    crawler = get_crawler(settings_dict={"EXTRACT_WORKERS": 1, **settings})
    pipeline = ExtractionPipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def run(pipeline: ExtractionPipeline, *items: ArticleItem) -> list[ArticleItem]:
    async def all_items():
        return await asyncio.gather(*(pipeline.process_item(item) for item in items))

    return asyncio.run(all_items())


def test_items_are_filled_and_removals_counted_per_site_and_rule():
    pipeline = open_pipeline()
    first, second = run(pipeline, make_item(1, "<p>Baca juga: Lapas penuh</p>", "<p>Editor: Budi</p>"),
                        make_item(2, "<p>BACA JUGA: Kunjungan ke Papua</p>"))
    pipeline.close_spider()
    assert first.title == TITLE and first.language == "id" and first.extraction_note is None
    assert first.published_at == "2025-11-24T09:40:00Z" and first.published_source == "text"
    assert "Lapas penuh" not in first.text
    assert first.text.startswith("JAKARTA - Pada kunjungan aab, menteri")
    assert {"line": "Baca juga: Lapas penuh", "rule": "read-also"} in first.removed_lines
    stats = pipeline.crawler.stats
    assert stats.get_value("extract/pages") == 2
    assert stats.get_value("extract/removed/harian/read-also") == 2
    assert stats.get_value("extract/removed/harian/byline") == 1
    assert stats.get_value("extract/date_source/text") == 2
    assert "Kunjungan ke Papua" not in second.text


def test_worker_processes_extract_items_concurrently():
    pipeline = open_pipeline(EXTRACT_WORKERS=2)
    try:
        items = run(pipeline, *(make_item(n, "<p>Simak juga: Video</p>") for n in range(4)))
    finally:
        pipeline.close_spider()
    assert all(item.text.count("\n") == len(PARAGRAPHS) - 1 for item in items)
    assert pipeline.crawler.stats.get_value("extract/removed/harian/read-also") == 4


@pytest.mark.parametrize(("html", "note"), [
    ("", "empty page"),
    ("<html><body><nav><a href='/'>Beranda</a></nav></body></html>", "no article text found"),
])
def test_a_page_without_an_article_is_explained_and_recorded(html, note):
    pipeline = open_pipeline()
    failures = []
    pipeline.crawler.signals.connect(lambda **kw: failures.append(kw), signal=url_failed, weak=False)
    item = ArticleItem(url="https://harian.example/kosong", source="harian", html=html,
                       fetched_at="2025-11-20T03:00:00Z", extraction_note="page 2 missing: timeout")
    (result,) = run(pipeline, item)
    pipeline.close_spider()
    assert result.text == "" and note in result.extraction_note
    assert result.extraction_note.startswith("page 2 missing: timeout; ")
    assert pipeline.crawler.stats.get_value("extract/no_text") == 1
    assert failures[0]["stage"] == "extract" and failures[0]["url"] == item.url


def test_a_page_without_text_asked_for_again_records_its_error_once(tmp_path):
    """It is fetched again for some days in case an article stood behind it; its error
    was recorded the first time, and is not again on every run."""
    path = tmp_path / "warta.db"
    db = open_database(path)
    save_article(db, {"url": "https://harian.example/video/9", "source": "harian",
                      "fetched_at": "2025-11-20T03:00:00Z", "text": ""}, None)
    db.close()
    failures = []
    for url in ("https://harian.example/video/9", "https://harian.example/video/10"):
        pipeline = open_pipeline(STORAGE_DB_PATH=str(path))
        pipeline.crawler.signals.connect(lambda **kw: failures.append(kw["url"]),
                                         signal=url_failed, weak=False)
        item = ArticleItem(url=url, source="harian", html="<html><body><p>Tonton.</p></body></html>",
                           fetched_at="2025-11-21T03:00:00Z")
        (result,) = run(pipeline, item)
        pipeline.close_spider()
        assert result.text == "" and pipeline.crawler.stats.get_value("extract/no_text") == 1
    assert failures == ["https://harian.example/video/10"]  # the stored one: no new error


def test_a_page_whose_extraction_breaks_is_dropped_to_be_fetched_again(monkeypatch):
    def broken(html, url, **options):
        raise RuntimeError("parser gave up")

    monkeypatch.setattr(stage, "extract_page", broken)
    pipeline = open_pipeline()
    failures = []
    pipeline.crawler.signals.connect(lambda **kw: failures.append(kw), signal=url_failed, weak=False)
    with pytest.raises(DropItem, match="extraction failed: RuntimeError: parser gave up"):
        run(pipeline, make_item(5))
    pipeline.close_spider()
    stats = pipeline.crawler.stats
    assert stats.get_value("extract/failed") == stats.get_value("source/harian/failed") == 1
    assert stats.get_value("extract/no_text") is None
    assert [(f["stage"], f["url"]) for f in failures] == [("extract", "https://harian.example/berita/5")]


def test_a_declared_single_byte_encoding_is_read():
    (item,) = run(open_pipeline(), make_item(3, "<p>Kabar dari café “Jenewa”</p>", encoding="cp1252"))
    assert "café “Jenewa”" in item.text


def test_template_lines_are_learned_across_runs(tmp_path):
    db_path = str(tmp_path / "warta.db")
    db = open_database(db_path)
    save_article(db, asdict(make_item(99)), None)  # stored before: a re-fetch is not counted again

    pipeline = open_pipeline(STORAGE_DB_PATH=db_path)
    items = run(pipeline, *(make_item(n, f"<p>{PROMO}</p>") for n in range(MIN_ARTICLES + 1)),
                make_item(99, f"<p>{PROMO}</p>"))
    for item in items:  # what the storage stage does
        save_article(db, asdict(item), None)
    pipeline.close_spider()
    assert all(PROMO in item.text for item in items)
    (count,) = db.execute("SELECT doc_count FROM site_lines WHERE line = ?", (PROMO,)).fetchone()
    assert count == MIN_ARTICLES + 1

    later = open_pipeline(STORAGE_DB_PATH=db_path)
    (item,) = run(later, make_item(50, f"<p>{PROMO}</p>"))
    later.close_spider()
    db.close()
    assert PROMO not in item.text
    assert {"line": PROMO, "rule": "learned"} in item.removed_lines
    assert later.crawler.stats.get_value("extract/removed/harian/learned") == 1


def test_a_negative_worker_count_is_refused():
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured, match="EXTRACT_WORKERS"):
        ExtractionPipeline.from_crawler(get_crawler(settings_dict={"EXTRACT_WORKERS": -1}))
