"""The crawl process keeps the cyclic garbage collector out of its way once the spider opens."""

from __future__ import annotations

import gc

import pytest
from scrapy import Spider, signals
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.collector import YOUNG_THRESHOLD, QuietCollector


@pytest.fixture
def restored_collector():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_the_crawl_enables_the_extension():
    assert "crawler.collector.QuietCollector" in project_settings.EXTENSIONS


def test_opening_the_spider_freezes_what_exists_and_raises_the_young_threshold(restored_collector):
    crawler = get_crawler(Spider, {"EXTENSIONS": {"scrapy.extensions.logstats.LogStats": None}})
    _kept = QuietCollector.from_crawler(crawler)  # signals hold their receivers weakly
    loaded = [[n] for n in range(1000)]  # state a pipeline loaded before the spider opened
    frozen_before = gc.get_freeze_count()
    _, middle, oldest = gc.get_threshold()

    crawler.signals.send_catch_log(signals.spider_opened, spider=Spider("news"))

    assert gc.get_freeze_count() >= frozen_before + len(loaded)
    assert gc.get_threshold() == (YOUNG_THRESHOLD, middle, oldest)
    assert gc.isenabled()
