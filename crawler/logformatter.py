"""Log lines that name an item by its URL instead of dumping the whole page, and a
robots.txt that cannot be fetched told in one line instead of a traceback."""

import logging
from urllib.parse import urlsplit

from scrapy import logformatter

__all__ = ["ShortLogFormatter"]


def _by_url(entry: dict, item) -> dict:
    entry["args"] = {**entry["args"], "item": getattr(item, "url", type(item).__name__)}
    return entry


class _RobotsInOneLine(logging.Filter):
    """Scrapy logs an unreachable robots.txt as an error with a traceback, once per
    host; it then crawls the host as if robots.txt allowed everything."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            args = record.args if isinstance(record.args, dict) else {}
            request, error = args.get("request"), args.get("f_exception")
            if request is not None and error is not None:  # the message names the page
                # that needed robots.txt, not robots.txt itself
                parts = urlsplit(request.url)
                record.msg, record.args = "%s unreadable (%s)", (
                    f"{parts.scheme}://{parts.netloc}/robots.txt", error)
            else:
                record.msg = f"robots.txt unreadable ({record.msg})"
            record.msg += "; the site is crawled as if it allowed everything"
        return True


class ShortLogFormatter(logformatter.LogFormatter):
    @classmethod
    def from_crawler(cls, crawler):
        robots = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
        if not any(isinstance(f, _RobotsInOneLine) for f in robots.filters):
            robots.addFilter(_RobotsInOneLine())
        return super().from_crawler(crawler)

    def scraped(self, item, response, spider=None):
        return _by_url(super().scraped(item, response, spider), item)

    def dropped(self, item, exception, response, spider=None):
        return _by_url(super().dropped(item, exception, response, spider), item)

    def item_error(self, item, exception, response, spider=None):
        return _by_url(super().item_error(item, exception, response, spider), item)
