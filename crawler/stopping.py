"""Stopping a crawl on time: at its time limit, Ctrl-C or SIGTERM, the requests still
waiting in the downloader for their turn are left for the next run.

Scrapy closes a spider once every request handed to the downloader is done, and a
request handed over waits in its site's queue for the site's delay: with a long delay
and a full queue a stop took minutes (twenty requests six seconds apart), past a
scheduler's budget. Only the pages being transferred are finished now. What was left
is not recorded as failed, and nothing of it was stored: the next run discovers it
again and fetches it.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from twisted.python.failure import Failure

__all__ = ["LeftForNextRun", "PromptStop"]

logger = logging.getLogger(__name__)


class LeftForNextRun(IgnoreRequest):
    """A request not yet sent when the crawl was asked to stop."""


class PromptStop:
    """Empties the downloader's queues when the engine starts closing the spider.

    Stats: ``stop/left_for_next_run``, the requests left."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        return extension

    def engine_started(self) -> None:
        # every way a crawl ends (finished, time limit, signal, CloseSpider) goes through
        # the engine's close_spider_async, before which no request leaves a queue
        engine = self.crawler.engine
        close = engine.close_spider_async

        async def close_on_time(*, reason: str = "cancelled") -> None:
            self.leave_waiting(reason)
            await close(reason=reason)

        engine.close_spider_async = close_on_time

    def leave_waiting(self, reason: str) -> int:
        """Fail every request waiting in a download slot with :class:`LeftForNextRun`;
        return how many."""
        left = 0
        for slot in list(self.crawler.engine.downloader.slots.values()):
            while slot.queue:
                _request, waiting = slot.queue.popleft()
                waiting.errback(Failure(LeftForNextRun(f"not sent before the crawl stopped ({reason})")))
                left += 1
        if left:
            self.crawler.stats.inc_value("stop/left_for_next_run", left)
            logger.info("stopping (%s): %d requests waiting for their turn are left for the "
                        "next run", reason, left)
        return left
