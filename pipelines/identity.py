"""Which article a fetched page is: the address it is stored under, checked against
its text.

A page's declared canonical link names the article's address, but some templates
declare one address for many pages (the section page, the featured story). A page
whose declared address already holds a different text (few words in common), stored
or met earlier in this crawl, is kept under its own address, with a note. And a page
of an outlet whose text (of ``MIN_SAME_TEXT_WORDS`` or more) is that of one of the
outlet's stored articles, at an address of its own with no canonical link to tell, is
that article reached again: the address becomes one more of the article's, and nothing
is stored twice. So is a page whose address carries the article number of one of the
outlet's articles (``storage.permalinks``) and whose text is much that article's (an
update published under a rewritten headline, whose slug changed): the stored article
takes the new text. An address that carries no number has only its slug, so such an
update is known by what an update keeps: the outlet's article in the same folder of
its site, published at the same moment (to the time of day; a date alone is shared by
the day's articles), with much the same text. Such a page, or one fetched again at an
address of a stored article other than its own, is stored under the article's
address; but a print rendering's address (``crawler.urls.print_rendering``) gives way
to the article's own, whichever of the two was met first, and so does any address to
a page whose headline is one link to itself (the post's own page). A page whose
headline is one link to the article's address (a category archive showing the whole
post) takes that headline as its title, not its own page title.

A page fetched again at a stored article's address whose text keeps hardly any of the
stored text's words (less than ``MIN_KEPT_SHARE`` of them, function words aside) is
another page now answering there (a section page, a notice, another story), not an
update: it is dropped and recorded as a fetch error, and the stored article keeps its
text. An update keeps most of the words even under a rewritten headline, and a short
first version that grew keeps all of its own.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from itemadapter import ItemAdapter
from lxml.etree import ParserError, XPath
from scrapy.exceptions import DropItem

from crawler.signals import url_failed
from crawler.urls import canonical_url, print_rendering
from pipelines.language import FUNCTION_WORDS
from storage.articles import find_article, numbered_articles, published_together, text_hash
from storage.database import open_database
from storage.permalinks import article_number

__all__ = ["IdentityPipeline", "kept_share", "same_text"]

logger = logging.getLogger(__name__)

SAME_TEXT_SHARE = 0.5  # texts sharing less of their words than this are different articles
MIN_SAME_TEXT_WORDS = 30  # shorter texts (a video's caption) may repeat on different pages
MIN_KEPT_SHARE = 0.2  # a re-fetch keeping less of the stored text's words is another page
_WORD = re.compile(r"\w+")
_HEADLINE_LINKS = XPath("(//h1 | //h2 | //h3)/a[@href]")


def same_text(a: str, b: str) -> bool:
    """Whether two texts are one article's (an update, another rendering of the page):
    the Jaccard of their sets of words is at least ``SAME_TEXT_SHARE``."""
    words_a, words_b = set(a.casefold().split()), set(b.casefold().split())
    union = words_a | words_b
    return not union or len(words_a & words_b) / len(union) >= SAME_TEXT_SHARE


def kept_share(stored: str, text: str) -> float:
    """The share of the words of ``stored`` (function words aside) that ``text`` has
    too; 1.0 for a stored text with no such words."""
    words = set(_WORD.findall(stored.casefold())) - FUNCTION_WORDS
    if not words:
        return 1.0
    return len(words & set(_WORD.findall(text.casefold()))) / len(words)


class IdentityPipeline:
    """Settles each page's address before relevance, clustering and storage key on it."""

    def __init__(self, crawler, db_path: str | None):
        self.crawler = crawler
        self.db_path = db_path
        self.db = None
        self.claimed: dict[str, str] = {}  # declared address -> text of the first page this run
        self.texts: dict[tuple[str, str], str] = {}  # (source, text hash) -> address this run
        # (source, article number) -> address and text of the first page this run
        self.numbered: dict[tuple[str, str], tuple[str, str]] = {}
        # (source, publication time) -> address and text of each unnumbered page this run
        self.published: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.settled: dict[str, str] = {}  # address -> the article's address it gave way to

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.get("STORAGE_DB_PATH"))

    def open_spider(self):
        if self.db_path:
            self.db = open_database(self.db_path)

    def close_spider(self):
        if self.db is not None:
            self.db.close()

    def process_item(self, item):
        adapter = ItemAdapter(item)
        text = adapter.get("text") or ""
        if adapter.get("own_url") and not self._may_claim(adapter["url"], text):
            self._keep_own_address(adapter)
        if len(text.split()) >= MIN_SAME_TEXT_WORDS:
            self._join_same_text(adapter, text)
        if self.db is not None and text.strip():
            self._refuse_other_page(adapter, text)
        return item

    def _may_claim(self, url: str, text: str) -> bool:
        """Whether a page of ``text`` may be stored under the address it declares."""
        first = self.claimed.setdefault(url, text)
        if first is not text and not same_text(first, text):
            return False
        if self.db is None:
            return True
        row = self.db.execute("SELECT text FROM articles WHERE url = ?", (url,)).fetchone()
        return row is None or same_text(row[0] or "", text)

    def _keep_own_address(self, adapter: ItemAdapter) -> None:
        declared, own = adapter["url"], adapter["own_url"]
        adapter["url"] = own
        adapter["requested_urls"] = [u for u in adapter.get("requested_urls") or []
                                     if u not in (own, declared)]
        note = (f"the page declares {declared} as its address, which holds another "
                "article: stored under its own")
        adapter["extraction_note"] = "; ".join(n for n in (adapter.get("extraction_note"), note) if n)
        logger.info("%s: %s", own, note)
        self.crawler.stats.inc_value("identity/canonical_ignored")

    def _refuse_other_page(self, adapter: ItemAdapter, text: str) -> None:
        """Drop a page that answers at a stored article's address with another text."""
        article_id = find_article(self.db, [adapter["url"], *(adapter.get("requested_urls") or [])])
        if article_id is None:
            return
        (stored,) = self.db.execute("SELECT coalesce(text, '') FROM articles WHERE id = ?",
                                    (article_id,)).fetchone()
        kept = kept_share(stored, text)
        if kept >= MIN_KEPT_SHARE:
            return
        source = adapter.get("source") or "unknown"
        reason = (f"the page now holds another text (it keeps {kept:.0%} of the stored "
                  "article's words): not stored; the stored article is kept")
        self.crawler.stats.inc_value("identity/other_page")
        self.crawler.stats.inc_value(f"source/{source}/failed")
        self.crawler.signals.send_catch_log(signal=url_failed, source=source, url=adapter["url"],
                                            stage="fetch", reason=reason,
                                            status=adapter.get("status"))
        raise DropItem(reason)

    def _join_same_text(self, adapter: ItemAdapter, text: str) -> None:
        url, source = adapter["url"], adapter.get("source")
        key = (source, text_hash(text))
        known = self.texts.setdefault(key, url)
        if known == url and self.db is not None:
            article_id = find_article(self.db, [url, *(adapter.get("requested_urls") or [])])
            if article_id is not None:  # an article fetched again, at its address or another
                (known,) = self.db.execute("SELECT url FROM articles WHERE id = ?",
                                           (article_id,)).fetchone()
                self._settle(adapter, self._settled(known))
                return
            row = self.db.execute("SELECT url FROM articles WHERE text_hash = ? AND source = ? "
                                  "ORDER BY id LIMIT 1", (key[1], source)).fetchone()
            known = row[0] if row else url
        rule = "same_text"
        if known == url:
            known, rule = self._same_number(url, source, text), "same_number"
        if known == url and article_number(url) is None:
            known, rule = self._same_moment(adapter, source, text), "same_moment"
        known = self._settled(known)
        if known != url:
            self._settle(adapter, known)
            self.crawler.stats.inc_value(f"identity/{rule}")

    def _settled(self, url: str) -> str:
        """The address ``url`` gave way to in this crawl, through every later change (a
        print rendering that gave way to another which then gave way to the article's
        own address leads to the latter)."""
        seen = {url}
        while (url := self.settled.get(url, url)) not in seen:
            seen.add(url)
        return url

    def _settle(self, adapter: ItemAdapter, known: str) -> None:
        """Store the page under ``known``, the address of the article it is, its own
        address becoming one more of the article's. A page whose headline links to
        ``known`` (an archive showing the whole post) takes that headline as its title;
        but the page's own address wins, whichever was met first, when its headline
        links to itself or ``known`` is a print rendering and the page's is not."""
        url = adapter["url"]
        if known == url:
            return
        headlines = _linked_headlines(adapter.get("html") or "", url)
        if known in headlines:
            adapter["title"] = headlines[known]
        elif url in headlines or (print_rendering(known) and not print_rendering(url)):
            known, url = url, known
        self.settled[url] = known
        adapter["requested_urls"] = sorted({*(adapter.get("requested_urls") or []), url})
        adapter["url"] = known

    def _same_number(self, url: str, source: str, text: str) -> str:
        """The address of the article ``url`` is a new address of: met earlier in this
        crawl or stored, with the article number of ``url`` and much of ``text``
        (``url`` itself when there is none)."""
        number = article_number(url)
        if number is None:
            return url
        first_url, first_text = self.numbered.setdefault((source, number), (url, text))
        if first_url != url and same_text(first_text, text):
            return first_url
        if self.db is not None:
            for stored_url, stored_text in numbered_articles(self.db, source, number):
                if stored_url != url and same_text(stored_text, text):
                    return stored_url
        return url

    def _same_moment(self, adapter: ItemAdapter, source: str, text: str) -> str:
        """The address of the article the page's unnumbered address is a new address of:
        met earlier in this crawl or stored, in the same folder, published at the same
        time of day, with much of ``text`` (the page's own address when there is none)."""
        url, published = adapter["url"], adapter.get("published_at")
        if not published or adapter.get("published_precision") != "time":
            return url
        met = self.published.setdefault((source, published), [])
        stored = published_together(self.db, source, published) if self.db is not None else []
        known = [*met, *stored]
        folder = _folder(url)
        for other, other_text in known:
            if other != url and _folder(other) == folder and same_text(other_text, text):
                return other
        met.append((url, text))
        return url


def _linked_headlines(html: str, url: str) -> dict[str, str]:
    """The headlines of the page at ``url`` that are one link each (an entry title of
    WordPress and the like), by the canonical address they link to."""
    try:
        root = lxml.html.fromstring(html)
    except (ParserError, ValueError):  # an empty or unreadable page
        return {}
    headlines = {}
    for link in _HEADLINE_LINKS(root):
        text = " ".join(link.text_content().split())
        if text and text == " ".join(link.getparent().text_content().split()):
            headlines[canonical_url(urljoin(url, link.get("href").strip()))] = text
    return headlines


def _folder(url: str) -> str:
    """The site and folder of an address: ``host/nasional`` of ``https://host/nasional/slug``."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path.rstrip('/').rpartition('/')[0]}"
