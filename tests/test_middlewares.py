"""Retries back off: each retry of a failing page waits twice as long as the one before."""

import asyncio
import time

import pytest
from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.middlewares import BackoffRetryMiddleware


def middleware(**settings):
    crawler = get_crawler(
        Spider,
        settings_dict={
            "RETRY_TIMES": 2,
            "RETRY_BACKOFF_BASE": 0.05,
            "RETRY_BACKOFF_MAX": 0.15,
            **settings,
        },
    )
    crawler.spider = Spider.from_crawler(crawler, "test")
    crawler.stats.open_spider()
    return BackoffRetryMiddleware.from_crawler(crawler), crawler


def timed(coroutine):
    start = time.perf_counter()
    result = asyncio.run(coroutine)
    return result, time.perf_counter() - start


def test_retries_wait_longer_each_time_then_give_up():
    mw, crawler = middleware()
    request = Request("http://127.0.0.1/berita/1")
    first, waited_first = timed(
        mw.process_response(request, Response(request.url, status=503, request=request))
    )
    assert isinstance(first, Request) and first.meta["retry_times"] == 1
    second, waited_second = timed(
        mw.process_response(first, Response(first.url, status=503, request=first))
    )
    assert isinstance(second, Request) and second.meta["retry_times"] == 2
    assert 0.05 <= waited_first < 0.1 and 0.1 <= waited_second < 0.2
    final = Response(second.url, status=503, request=second)
    given_up, waited = timed(mw.process_response(second, final))
    assert given_up is final and waited < 0.05  # no wait once retries are exhausted
    assert crawler.stats.get_value("retry/backoff_seconds") == pytest.approx(0.15)


def test_connection_errors_back_off_too_and_success_passes_through():
    mw, _ = middleware()
    request = Request("http://127.0.0.1/berita/2")
    retry, waited = timed(mw.process_exception(request, TimeoutError("took too long")))
    assert isinstance(retry, Request) and waited >= 0.05
    ok = Response(request.url, status=200, request=request)
    passed, waited = timed(mw.process_response(request, ok))
    assert passed is ok and waited < 0.05
