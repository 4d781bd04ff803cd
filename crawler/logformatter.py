"""Log lines that name an item by its URL instead of dumping the whole page."""

from scrapy import logformatter

__all__ = ["ShortLogFormatter"]


def _by_url(entry: dict, item) -> dict:
    entry["args"] = {**entry["args"], "item": getattr(item, "url", type(item).__name__)}
    return entry


class ShortLogFormatter(logformatter.LogFormatter):
    def scraped(self, item, response, spider=None):
        return _by_url(super().scraped(item, response, spider), item)

    def dropped(self, item, exception, response, spider=None):
        return _by_url(super().dropped(item, exception, response, spider), item)

    def item_error(self, item, exception, response, spider=None):
        return _by_url(super().item_error(item, exception, response, spider), item)
