"""Delays between requests to one site that nothing else may shorten.

A site's ``Crawl-delay`` in robots.txt and the ``delay`` configured for its source are
floors: AutoThrottle adapts the delay of each download slot to the site's latency,
starting from the global ``DOWNLOAD_DELAY``, so on its own it would go below both.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured

__all__ = ["DelayFloor"]

logger = logging.getLogger(__name__)


class DelayFloor:
    """Keeps each download slot's delay at or above its floor: the configured per-slot
    ``delay`` (``DOWNLOAD_SLOTS``) and, when ``ROBOTSTXT_OBEY`` is on, the site's
    robots.txt ``Crawl-delay`` for warta's user agent, up to ``CRAWL_DELAY_MAX`` seconds
    (a longer one is capped, with a warning, so that one site cannot hold a run for
    hours). No slot with a floor has jitter (Scrapy's ±50 % would halve the gap).

    Stats: ``robotstxt/crawl_delay/<host>``, the delay a site asked for."""

    def __init__(self, crawler, cap: float):
        self.crawler = crawler
        self.cap = cap
        self.floors: dict[str, float] = {
            key: float(slot["delay"])
            for key, slot in crawler.settings.getdict("DOWNLOAD_SLOTS").items()
            if slot.get("delay")
        }

    @classmethod
    def from_crawler(cls, crawler):
        cap = crawler.settings.getfloat("CRAWL_DELAY_MAX")
        if cap <= 0:
            raise NotConfigured(f"CRAWL_DELAY_MAX must be above 0, not {cap}")
        floor = cls(crawler, cap)
        crawler.signals.connect(floor.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(floor.response_downloaded, signal=signals.response_downloaded)
        return floor

    def robots_parsed(self, robotparser, request) -> None:
        settings = self.crawler.settings
        agent = (settings.get("ROBOTSTXT_USER_AGENT")
                 or request.headers.get(b"User-Agent") or settings.get("USER_AGENT"))
        asked = robotparser.crawl_delay(agent)
        if not asked or asked <= 0:
            return
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        self.crawler.stats.set_value(f"robotstxt/crawl_delay/{key}", asked)
        delay = min(float(asked), self.cap)
        if asked > self.cap:
            logger.warning("%s asks for %g s between requests (robots.txt Crawl-delay); "
                           "waiting %g s, the most CRAWL_DELAY_MAX allows", key, asked, delay)
        delay = max(delay, self.floors.get(key, 0.0))
        self.floors[key] = delay
        # a slot left idle is dropped and made again from these settings
        downloader.per_slot_settings.setdefault(key, {}).update(delay=delay, jitter=0.0)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay, slot.jitter = max(slot.delay, delay), 0.0

    def response_downloaded(self, response, request, spider) -> None:
        """Runs after AutoThrottle's adjustment of the slot (extensions connect in order)."""
        key = request.meta.get("download_slot")
        floor = self.floors.get(key)
        if floor is None:
            return
        slot = self.crawler.engine.downloader.slots.get(key)
        if slot is not None and slot.delay < floor:
            slot.delay = floor
