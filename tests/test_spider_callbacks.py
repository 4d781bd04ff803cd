"""Scrapy's per-response check of the spider's callbacks runs once per callback, not once
per page (it reads and parses the method's source each time it runs)."""

from __future__ import annotations

import inspect

from scrapy.utils import misc

from crawler.spiders.news import NewsSpider

CALLBACKS = ("parse_feed", "parse_sitemap", "parse_index", "parse_article", "parse_more",
             "failed")


def test_each_callback_source_is_read_once_however_many_responses(monkeypatch):
    reads = []
    read = inspect.getsource
    monkeypatch.setattr(misc.inspect, "getsource", lambda f: reads.append(f.__name__) or read(f))
    spider = NewsSpider()
    for _ in range(5):  # five responses to each callback
        for name in CALLBACKS:
            misc.is_generator_with_return_value(getattr(spider, name))
    assert reads, "Scrapy no longer reads callbacks' source: this test checks nothing"
    assert len(reads) <= len(CALLBACKS)
