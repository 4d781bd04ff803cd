"""Stopping a crawl on time: at its time limit, Ctrl-C or SIGTERM, nothing more is sent
or retried, and the requests still waiting for their turn are left for the next run.

Scrapy closes a spider once every request handed to the downloader is done, and a
request handed over waits in its site's queue for the site's delay: with a long delay
and a full queue a stop took minutes (twenty requests six seconds apart), past a
scheduler's budget. Requests waiting for their site's robots.txt and retries waiting out
their backoff went on after a stop as well (a 6-second limit ran for 28 seconds against
sites that did not answer). Only the pages being transferred are finished now; a request
that fails meanwhile is recorded as failed, not retried, except a later page of an
article, whose article is left whole for the next run. What was left is not recorded as
failed, and nothing of it was stored: the next run discovers it again and fetches it.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from twisted.python.failure import Failure

from crawler.signals import crawl_stopping

__all__ = ["LeaveAfterStop", "LeftForNextRun", "PromptStop"]

logger = logging.getLogger(__name__)


class LeftForNextRun(IgnoreRequest):
    """A request not sent this run, for ``reason`` (the crawl is stopping, its site asked
    for quiet or is down): its URL stays unseen, and the next run fetches it."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"left for the next run: {reason}")


class PromptStop:
    """Sends :data:`crawl_stopping` and empties the downloader's queues when the engine
    starts closing the spider.

    Stats: ``stop/left_for_next_run``, the requests left."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stopping = False

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
            if not self.stopping:  # a second stop (Ctrl-C at the time limit) says nothing new
                self.stopping = True
                self.crawler.signals.send_catch_log(signal=crawl_stopping, reason=reason)
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
                waiting.errback(Failure(LeftForNextRun(f"the crawl stopped ({reason})")))
                left += 1
        if left:
            self.crawler.stats.inc_value("stop/left_for_next_run", left)
            logger.info("stopping (%s): %d requests waiting for their turn are left for the "
                        "next run", reason, left)
        return left


class LeaveAfterStop:
    """A downloader middleware that leaves for the next run every request reaching it
    once the crawl is stopping: those that waited for their site's robots.txt, and any
    other not yet handed to the downloader.

    Stats: ``stop/left_for_next_run``."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.reason: str | None = None

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.stopping, signal=crawl_stopping)
        return middleware

    def stopping(self, reason: str) -> None:
        self.reason = reason

    def process_request(self, request):
        if self.reason is not None:
            self.crawler.stats.inc_value("stop/left_for_next_run")
            raise LeftForNextRun(f"the crawl stopped ({self.reason})")
