"""Downloader middlewares."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic

from scrapy import Request, signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.asyncio import call_later
from twisted.python.failure import Failure

from crawler.signals import crawl_stopping
from crawler.stopping import LeftForNextRun

__all__ = ["SITE_FAILURES_IN_A_ROW", "BackoffRetryMiddleware", "retry_after"]

logger = logging.getLogger(__name__)

SITE_FAILURES_IN_A_ROW = 10  # server errors or unanswered requests that leave a site for the run


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, waiting before each retry: ``RETRY_BACKOFF_BASE`` seconds,
    doubling with every attempt up to ``RETRY_BACKOFF_MAX``, so a struggling site
    gets room to recover instead of an immediate second hit. A 429 or 503 answer's
    ``Retry-After`` (seconds or a date) is waited out when it is within
    ``RETRY_BACKOFF_MAX``; a longer one ends the tries for this run (the URL stays
    unseen, so the next run fetches it) and the wait asked for goes with the error,
    and the site is asked nothing more this run: the rest of its queue is left for the
    next run (:class:`crawler.stopping.LeftForNextRun`; stats
    ``retry/left_for_next_run``), instead of one request a ``RETRY_BACKOFF_MAX``. So is
    the rest of the queue of a site whose last ``SITE_FAILURES_IN_A_ROW`` answers were
    all server errors or no answer at all: a site that is down gets no retries of every
    page it listed.

    A site that answers 429 (too many requests), or 503 with a ``Retry-After``, speaks
    of itself, not of one page: every request to its download slot waits as long as
    the retry does (at most ``RETRY_BACKOFF_MAX``), so the rest of the queue does not
    keep knocking. Stats: ``retry/site_paused_seconds``.

    Once the crawl is stopping (:data:`crawler.signals.crawl_stopping`) nothing is
    retried, and a retry waiting out its backoff ends at once: the failure it had goes
    on to be recorded, its request's ``not_retried`` meta saying why it was not tried
    again. Stats: ``retry/not_retried_stopping``."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX")
        self._paused: dict[str, float] = {}  # download slot -> monotonic time it may resume
        self._quiet: dict[str, str] = {}  # download slot -> why nothing more is asked of it
        self._failing: dict[str, int] = {}  # download slot -> failures in a row
        self._stopped = False
        self._waiting: dict[asyncio.Future, str | None] = {}  # backoffs under way -> slot

    def process_request(self, request):
        quiet = self._quiet.get(self._slot_key(request))
        if quiet is not None and not request.meta.get("dont_retry"):
            self.crawler.stats.inc_value("retry/left_for_next_run")
            raise LeftForNextRun(quiet)

    async def process_response(self, request, response):
        asked = retry_after(response) if response.status in (429, 503) else None
        # a 503 with Retry-After is the site asking for room, as a 429 is, not a failure
        self._count_failure(request, response.status >= 500 and asked is None)
        if asked is not None and asked > self.cap and not request.meta.get("dont_retry"):
            self.crawler.stats.inc_value("retry/retry_after_too_long")
            request.meta["retry_after"] = asked
            self._leave(request, f"the site asked for {asked:.0f} s without requests")
            return response
        why = self._why_not(request)
        if why is not None:
            if response.status in self.retry_http_codes:
                self._not_retried(request, why)
            return response
        result = super().process_response(request, response)
        if await self._backoff(result, request, asked or 0.0):
            return result
        self._not_retried(request, self._why_not(request))
        return response

    async def process_exception(self, request, exception):
        self._count_failure(request, isinstance(exception, self.exceptions_to_retry))
        why = self._why_not(request)
        if why is not None:
            if isinstance(exception, self.exceptions_to_retry):
                self._not_retried(request, why)
            return None
        result = super().process_exception(request, exception)
        if await self._backoff(result, request):
            return result
        self._not_retried(request, self._why_not(request))
        return None

    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(middleware.stopping, signal=crawl_stopping)
        return middleware

    def _why_not(self, request) -> str | None:
        """Why ``request`` gets no further try: the crawl is stopping, or its site was
        left for this run; None when it may have one."""
        if self._stopped:
            return "the crawl was stopping"
        return self._quiet.get(request.meta.get("download_slot"))

    def _not_retried(self, request, why: str | None) -> None:
        """Mark ``request``'s failure as one kept from another try, and why."""
        if why is not None and not request.meta.get("dont_retry"):
            request.meta["not_retried"] = why

    def stopping(self) -> None:
        self._stopped = True
        self._wake(None)

    def _wake(self, slot: str | None) -> None:
        """End the backoffs under way (of ``slot``'s requests, or all): no retry follows."""
        for waiting, of in self._waiting.items():
            if (slot is None or of == slot) and not waiting.done():
                waiting.set_result(False)

    def response_downloaded(self, response, request, spider) -> None:
        """Hold the site's slot on a 429, or a 503 with ``Retry-After``: as long as the
        site asked, else the backoff before the next try, up to the cap. The downloader
        sends this signal before it takes the slot's next request."""
        asked = retry_after(response) if response.status in (429, 503) else None
        if response.status == 429 or asked is not None:
            backoff = self.base * 2 ** request.meta.get("retry_times", 0)
            self._pause(request, response.status, min(self.cap, max(asked or 0.0, backoff)))

    async def _backoff(self, result, request, at_least: float = 0.0) -> bool:
        """Wait before the retry ``result`` (a Request) of ``request``; whether it goes
        ahead, which it does not when the crawl starts to stop or its site is left
        meanwhile."""
        if not isinstance(result, Request):
            return True
        attempt = result.meta.get("retry_times", 1)
        delay = max(at_least, min(self.cap, self.base * 2 ** (attempt - 1)))
        self.crawler.stats.inc_value("retry/backoff_seconds", delay)
        loop = asyncio.get_running_loop()
        waiting = loop.create_future()
        timer = loop.call_later(delay, lambda: waiting.done() or waiting.set_result(True))
        self._waiting[waiting] = request.meta.get("download_slot")
        try:
            go_ahead = await waiting
        finally:
            self._waiting.pop(waiting, None)
            timer.cancel()
        if not go_ahead:
            self.crawler.stats.inc_value("retry/not_retried_stopping")
        return go_ahead

    def _pause(self, request, status: int, seconds: float) -> None:
        """Hold ``request``'s download slot for ``seconds`` from now: the requests already
        queued in it and those that join. A slot is held by its pending ``latercall``
        (the timer Scrapy's downloader sets to space requests by the slot's delay); when
        ours fires, the downloader spaces the next request by that delay again."""
        downloader = self.crawler.engine.downloader
        key = self._slot_key(request)
        until = monotonic() + seconds
        if until <= self._paused.get(key, 0.0):
            return
        self._paused[key] = until
        self.crawler.stats.inc_value("retry/site_paused_seconds", seconds)
        logger.info("%s answered HTTP %d: no requests to it for %g s", key, status, seconds)
        slot = downloader.slots.get(key)
        if slot is not None:
            if slot.latercall:
                slot.latercall.cancel()
            slot.latercall = call_later(seconds, downloader._latercall, slot)

    def _slot_key(self, request) -> str:
        """The download slot of ``request``: named in its meta once the downloader took
        it, else the one the downloader will give it."""
        return request.meta.get("download_slot") or \
            self.crawler.engine.downloader.get_slot_key(request)

    def _count_failure(self, request, failed: bool) -> None:
        """Count a server error or a request without an answer in a row for its site; any
        other answer ends the row. A row of ``SITE_FAILURES_IN_A_ROW`` leaves the site."""
        key = request.meta.get("download_slot")  # the downloader's, for what it downloaded
        if key is None:
            return
        self._failing[key] = self._failing.get(key, 0) + 1 if failed else 0
        if self._failing[key] >= SITE_FAILURES_IN_A_ROW:
            self._leave(request, f"its last {self._failing[key]} requests failed: the site "
                                 "seems down")

    def _leave(self, request, reason: str) -> None:
        """Ask nothing more of ``request``'s site this run: its retries under way end (their
        failures are recorded, not retried), and the requests waiting in its download
        slot, or coming to it, are left for the next run."""
        key = request.meta.get("download_slot")
        if key is None or key in self._quiet or request.meta.get("dont_retry"):
            return
        logger.warning("%s: %s; the rest of its pages are left for the next run", key, reason)
        self._quiet[key] = reason
        self._wake(key)
        slot = self.crawler.engine.downloader.slots.get(key)
        while slot is not None and slot.queue:
            _request, waiting = slot.queue.popleft()
            self.crawler.stats.inc_value("retry/left_for_next_run")
            waiting.errback(Failure(LeftForNextRun(reason)))


def retry_after(response) -> float | None:
    """The seconds a response's ``Retry-After`` header asks for; None without a readable one."""
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
