"""Downloader middlewares."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware

__all__ = ["BackoffRetryMiddleware", "retry_after"]


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, waiting before each retry: ``RETRY_BACKOFF_BASE`` seconds,
    doubling with every attempt up to ``RETRY_BACKOFF_MAX``, so a struggling site
    gets room to recover instead of an immediate second hit. A 429 or 503 answer's
    ``Retry-After`` (seconds or a date) is waited out when it is within
    ``RETRY_BACKOFF_MAX``; a longer one ends the tries for this run (the URL stays
    unseen, so the next run fetches it) and the wait asked for goes with the error."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX")

    async def process_response(self, request, response):
        asked = retry_after(response) if response.status in (429, 503) else None
        if asked is not None and asked > self.cap and not request.meta.get("dont_retry"):
            self.crawler.stats.inc_value("retry/retry_after_too_long")
            request.meta["retry_after"] = asked
            return response
        result = super().process_response(request, response)
        await self._backoff(result, asked or 0.0)
        return result

    async def process_exception(self, request, exception):
        result = super().process_exception(request, exception)
        await self._backoff(result)
        return result

    async def _backoff(self, result, at_least: float = 0.0) -> None:
        if isinstance(result, Request):
            attempt = result.meta.get("retry_times", 1)
            delay = max(at_least, min(self.cap, self.base * 2 ** (attempt - 1)))
            self.crawler.stats.inc_value("retry/backoff_seconds", delay)
            await asyncio.sleep(delay)


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
