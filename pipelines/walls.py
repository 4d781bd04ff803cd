"""Pages that stand where an article should be: a site's error page served as a
success (a "soft 404": "Halaman Tidak Ditemukan" with HTTP 200) and a cookie-consent,
login or subscription interstitial served at the article's own address.

A short text that holds a login or subscription prompt beside its headline's words is
an article's free part: it is stored, its ``extraction_note`` saying it may be a
teaser (``walls/teaser``).

Both come back with HTTP 200 and are extracted like an article; this stage knows
them by what extraction made of them, among short texts only (the ``walls`` table of
``pipelines/extraction/rules.toml``). An error page's title or headline is an error
phrase; an interstitial's text holds a consent or login phrase and none of the words
of the headline the page itself, or its listing, gives the article. Neither is
stored, so an article stored at that address keeps its text. An error page is
recorded as a fetch error and its address as gone, as an HTTP 404 would be; an
interstitial as a fetch error, asked for again next run.

Counters: ``walls/error_page``, ``walls/interstitial``, and ``source/<source>/failed``.
"""

from __future__ import annotations

import re

import lxml.html
from itemadapter import ItemAdapter
from lxml.etree import ParserError
from scrapy.exceptions import DropItem

from crawler.signals import url_failed
from pipelines.extraction.rules import WallRules, fold, load_rules
from pipelines.language import FUNCTION_WORDS

__all__ = ["WallPipeline", "error_title", "interstitial", "teaser"]

MIN_MARK_CHARS = 4  # shorter words of a headline ("di", "RUU") mark no article
_WORD = re.compile(r"\w+")


def error_title(title: str, site_name: str | None, rules: WallRules) -> bool:
    """Whether ``title`` names an error page: an error phrase with at most
    ``rules.error_title_other_words`` other words beside the site's name."""
    folded = fold(title)
    if rules.error_title.search(folded) is None:
        return False
    site = set(_WORD.findall(fold(site_name or "")))
    others = [w for w in _WORD.findall(rules.error_title.sub(" ", folded)) if w not in site]
    return len(others) <= rules.error_title_other_words


def interstitial(text: str, headlines: list[str], rules: WallRules) -> bool:
    """Whether ``text`` is a consent or login page's: it holds one of the interstitial
    phrases and none of the words that mark the article's ``headlines``."""
    folded = fold(text)
    if not any(phrase in folded for phrase in rules.interstitial):
        return False
    marks = {w for headline in headlines for w in _WORD.findall(fold(headline))
             if len(w) >= MIN_MARK_CHARS and w not in FUNCTION_WORDS}
    return not marks & set(_WORD.findall(folded))


def teaser(text: str, rules: WallRules) -> bool:
    """Whether ``text`` holds a login or subscription prompt: what it shows of an
    article may be its free part (an interstitial's text is told apart before)."""
    folded = fold(text)
    return any(phrase in folded for phrase in rules.teaser)


class WallPipeline:
    """Drops error pages and interstitials fetched in place of an article."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        text = adapter.get("text") or ""
        rules = load_rules().walls
        if len(text.split()) > rules.max_words:
            return item
        titles = [t for t in (adapter.get("title"), *_headings(adapter.get("html") or "")) if t]
        if any(error_title(t, adapter.get("site_name"), rules) for t in titles):
            self._refuse(adapter, "error_page", "an error page served as HTTP "
                         f"{adapter.get('status')} ({titles[0]!r}): the article is gone",
                         gone=True)
        headlines = [t for t in (adapter.get("title"), adapter.get("hint_title")) if t]
        if interstitial(text, headlines, rules):
            self._refuse(adapter, "interstitial", "a consent or login page in place of the "
                         "article: not stored; tried again next run")
        if teaser(text, rules):
            self.crawler.stats.inc_value("walls/teaser")
            note = "the page asks readers to log in or subscribe for the rest: the text " \
                "may be a teaser"
            adapter["extraction_note"] = "; ".join(
                n for n in (adapter.get("extraction_note"), note) if n)
        return item

    def _refuse(self, adapter: ItemAdapter, kind: str, reason: str, gone: bool = False):
        source = adapter.get("source") or "unknown"
        self.crawler.stats.inc_value(f"walls/{kind}")
        self.crawler.stats.inc_value(f"source/{source}/failed")
        self.crawler.signals.send_catch_log(
            signal=url_failed, source=source, url=adapter.get("url"), stage="fetch",
            reason=reason, status=adapter.get("status"), gone=gone,
        )
        raise DropItem(reason)


def _headings(html: str) -> list[str]:
    """The text of the page's ``<h1>`` elements."""
    try:
        root = lxml.html.fromstring(html)
    except (ParserError, ValueError):  # an empty or unreadable page
        return []
    return [" ".join(h.text_content().split()) for h in root.iter("h1")]
