"""Downloader middlewares."""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware

__all__ = ["BackoffRetryMiddleware"]


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, waiting before each retry: ``RETRY_BACKOFF_BASE`` seconds,
    doubling with every attempt up to ``RETRY_BACKOFF_MAX``, so a struggling site
    gets room to recover instead of an immediate second hit."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX")

    async def process_response(self, request, response):
        result = super().process_response(request, response)
        await self._backoff(result)
        return result

    async def process_exception(self, request, exception):
        result = super().process_exception(request, exception)
        await self._backoff(result)
        return result

    async def _backoff(self, result) -> None:
        if isinstance(result, Request):
            attempt = result.meta.get("retry_times", 1)
            delay = min(self.cap, self.base * 2 ** (attempt - 1))
            self.crawler.stats.inc_value("retry/backoff_seconds", delay)
            await asyncio.sleep(delay)
