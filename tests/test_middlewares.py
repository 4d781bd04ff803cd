"""Retries back off: each retry of a failing page waits twice as long as the one before,
or as long as the site asks with Retry-After."""

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionDone
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler.middlewares import SITE_FAILURES_IN_A_ROW, BackoffRetryMiddleware, retry_after
from crawler.spiders.news import _failure_reason
from crawler.stopping import LeftForNextRun


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
    # the downloader's part the middleware reads: its slots (none queued) and their keys
    crawler.engine = SimpleNamespace(downloader=SimpleNamespace(
        slots={}, get_slot_key=lambda request: urlsplit(request.url).hostname))
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


def test_retry_after_is_waited_out_when_within_the_cap():
    mw, _ = middleware(RETRY_BACKOFF_MAX=2.0)
    request = Request("http://127.0.0.1/berita/3")
    busy = Response(request.url, status=429, headers={"Retry-After": "1"}, request=request)
    retry, waited = timed(mw.process_response(request, busy))
    assert isinstance(retry, Request) and 1.0 <= waited < 1.5


def test_a_retry_after_beyond_the_cap_leaves_the_site_for_the_next_run():
    mw, crawler = middleware()
    # the downloader names the slot in the meta of what it downloaded
    request = Request("http://127.0.0.1/berita/4", meta={"download_slot": "127.0.0.1"})
    busy = Response(request.url, status=503, headers={"Retry-After": "600"}, request=request)
    given_up, waited = timed(mw.process_response(request, busy))
    assert given_up is busy and waited < 0.05
    assert busy.meta["retry_after"] == 600
    failure = Failure(HttpError(busy))
    assert _failure_reason(failure) == "HTTP 503: the site asked for 600 s before another try"
    assert crawler.stats.get_value("retry/retry_after_too_long") == 1
    # the rest of the site's queue is not sent this run (one request a cap's length would
    # hold the crawl for minutes); other sites go on
    with pytest.raises(LeftForNextRun, match="the site asked for 600 s without requests"):
        mw.process_request(Request("http://127.0.0.1/berita/5", meta={"download_slot": "127.0.0.1"}))
    assert mw.process_request(Request("http://127.0.0.2/berita/5",
                                      meta={"download_slot": "127.0.0.2"})) is None
    assert crawler.stats.get_value("retry/left_for_next_run") == 1


@pytest.mark.parametrize(("header", "expected"), [
    ("120", 120.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("soon", None), ("", None),
    ("\u00b2", None),  # a digit to str.isdigit, not to float()
])
def test_retry_after_values(header, expected):
    response = Response("http://127.0.0.1/", status=429, headers={"Retry-After": header})
    assert retry_after(response) == expected


def test_a_retry_after_date_counts_from_now():
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    response = Response("http://127.0.0.1/", status=429, headers={"Retry-After": later})
    assert 85 <= retry_after(response) <= 90


def test_a_stopping_crawl_ends_the_backoffs_under_way_and_retries_nothing():
    from crawler.signals import crawl_stopping

    mw, crawler = middleware(RETRY_BACKOFF_BASE=30.0, RETRY_BACKOFF_MAX=60.0)
    request = Request("http://127.0.0.1/berita/5")
    failing = Response(request.url, status=503, request=request)

    async def stop_during_the_backoff():
        waiting = asyncio.ensure_future(mw.process_response(request, failing))
        await asyncio.sleep(0.05)
        crawler.signals.send_catch_log(signal=crawl_stopping, reason="closespider_timeout")
        return await waiting

    passed, waited = timed(stop_during_the_backoff())
    assert passed is failing and waited < 1  # the 503 goes on to be recorded, saying why
    assert request.meta["not_retried"] == "the crawl was stopping"
    assert crawler.stats.get_value("retry/not_retried_stopping") == 1
    error = TimeoutError("took too long")
    after, waited = timed(mw.process_exception(request, error))
    assert after is None and waited < 0.05  # the error goes on, not a retry
    again, _ = timed(mw.process_response(request, failing))
    assert again is failing


def test_a_site_failing_request_after_request_is_left_for_the_next_run():
    """A site that is down gets no retries of every page it listed; one good answer
    in between starts the count again, and other sites go on."""
    mw, _ = middleware(RETRY_TIMES=0)

    def on(host, n):
        return Request(f"http://{host}/berita/{n}", meta={"download_slot": host})

    for n in range(SITE_FAILURES_IN_A_ROW - 1):
        request = on("127.0.0.1", n)
        asyncio.run(mw.process_response(request, Response(request.url, status=500, request=request)))
    ok = on("127.0.0.1", 99)
    asyncio.run(mw.process_response(ok, Response(ok.url, status=200, request=ok)))
    for n in range(SITE_FAILURES_IN_A_ROW - 1):
        asyncio.run(mw.process_exception(on("127.0.0.1", 100 + n), TimeoutError("no answer")))
    assert mw.process_request(on("127.0.0.1", 200)) is None  # not yet: the row was broken
    asyncio.run(mw.process_exception(on("127.0.0.1", 201), TimeoutError("no answer")))
    with pytest.raises(LeftForNextRun, match=f"its last {SITE_FAILURES_IN_A_ROW} requests failed"):
        mw.process_request(on("127.0.0.1", 202))
    assert mw.process_request(on("127.0.0.2", 1)) is None


def test_a_connection_lost_is_named_without_twisteds_wrapping():
    failure = Failure(ResponseNeverReceived([Failure(ConnectionDone())]))
    assert _failure_reason(failure) == \
        "ResponseNeverReceived: ConnectionDone: Connection was closed cleanly."
