"""The ``news`` spider: discovers articles from each configured source's feeds,
sitemaps and index pages and fetches each article once.

Run it with ``warta crawl`` or ``scrapy crawl news [-a source=NAME]`` from the
project root; both read the configuration named by the ``WARTA_CONFIG`` setting.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

import scrapy
from lxml import etree
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from trafilatura.utils import decode_file

from crawler.configured import SourceMap, apply_config
from crawler.discovery import Entry, FeedError, parse_feed, parse_sitemap
from crawler.items import ArticleItem
from crawler.paging import MAX_ARTICLE_PAGES, next_article_page, next_listing_page
from crawler.redirects import MAX_SCRIPT_REDIRECTS, redirect_wall, script_redirect
from crawler.signals import crawl_stopping, url_failed
from crawler.stopping import LeftForNextRun
from crawler.urls import (
    canonical_url,
    host_of,
    pick_canonical,
    same_site,
    slash_twin,
    unwrap,
    with_query,
)
from storage.articles import add_aliases, find_article, given_up_urls, skip_urls
from storage.database import open_database, transaction
from warta.config import Config, ConfigError

if TYPE_CHECKING:
    from twisted.python.failure import Failure

INDEX_MAX_PAGES = 5  # pages of one section index followed per run
# A listing whose modification times mostly fall within one hour is stamped with the
# time it was made: they say nothing about which pages changed (judged on 5 or more).
MIN_STAMPS_TO_JUDGE = 5
SAME_STAMP_SHARE = 0.8
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_HEAD_PARSER = etree.HTMLParser(encoding="utf-8")
_TOO_LARGE = "max size"  # in Scrapy's message for a response over DOWNLOAD_MAXSIZE
_CALLBACKS = ("parse_feed", "parse_sitemap", "parse_index", "parse_article", "parse_more", "failed")


class NewsSpider(scrapy.Spider):
    name = "news"

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        try:
            apply_config(settings)
        except ConfigError as exc:  # `scrapy crawl news` says it in one line, as warta does
            raise SystemExit(f"invalid configuration: {exc}") from None

    def __init__(self, source: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.only = [s for s in (source or "").split(",") if s]
        # Scrapy checks every response's callback and errback for a generator returning
        # a value, by reading and parsing the method's source, and caches the answer
        # weakly by callable; a bound method made afresh for each request is a new key
        # that dies at once, so the check ran for every page (1.8 ms each). Each is bound
        # once here and lives as long as the spider.
        for name in _CALLBACKS:
            setattr(self, name, getattr(self, name))

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.config: Config = crawler.settings.get("WARTA_CONFIG_OBJECT")
        spider.sourcemap = SourceMap(spider.config.sources)
        spider.run_sources = [
            spider.config.source(name) for name in spider.only
        ] or spider.config.sources
        spider.scheduled: dict[str, int] = {}  # article requests per source this run
        spider.queued: set[str] = set()  # canonical URLs already taken up this run
        spider.sitemaps: set[str] = set()  # sitemaps requested this run
        spider.listings: set[str] = {  # feeds, sitemaps and index pages, configured or read
            # this run, in canonical form: never an article's URL
            canonical_url(url, spider.sourcemap.hosts) for source in spider.config.sources
            for url in (*source.feeds, *source.sitemaps, *source.start_urls)}
        spider.redirected: dict[tuple[str, str], set[str]] = {}  # (fetched URL, source) ->
        # the URLs redirected to it once it had been fetched
        spider.db = None
        spider.stopping = False  # the crawl started to stop (crawl_stopping)
        crawler.signals.connect(spider._dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider._stop, signal=crawl_stopping)
        return spider

    def _stop(self) -> None:
        self.stopping = True

    # -- discovery ---------------------------------------------------------

    async def start(self):
        self.db = open_database(self.config.database)
        for source in self.run_sources:
            for url in source.feeds:
                yield self._listing(url, source.name, self.parse_feed, configured=True)
            for url in source.sitemaps:
                self.sitemaps.add(url)
                yield self._listing(url, source.name, self.parse_sitemap, configured=True)
            for url in source.start_urls:
                yield self._listing(url, source.name, self.parse_index, index_page=1,
                                    configured=True)

    def closed(self, reason):
        if self.db is not None:
            self._record_redirects()
            self.db.close()

    def _dropped(self, request, spider):
        """An article URL that redirects to a page fetched already this run is dropped by
        the duplicate filter; it is remembered, to become an alias of that page's article.
        One that redirects back to itself, or to a page that is not the article (a login
        page another article was sent to first), is a failure."""
        requested = request.meta.get("requested")  # an article's first page, not a next one
        chain = request.meta.get("redirect_urls")
        if requested and request.meta.get("stage") == "fetch" and chain:
            if request.url in chain:
                self._fail(request.meta["source"], request.meta["canonical"], "fetch",
                           "redirect loop: " + " → ".join([*chain, request.url]))
                return
            wall = redirect_wall(chain, request.url)
            if wall:
                self._fail_wall(request.meta["source"], request.meta["canonical"], wall)
                return
            key = (request.url, request.meta["source"])
            self.redirected.setdefault(key, set()).update(requested)

    def _record_redirects(self) -> None:
        """Aliases for the URLs that redirected to an article stored this run, so the
        next run does not request them again."""
        run_id = self.crawler.stats.get_value("warta/run_id")
        for (target, source), urls in self.redirected.items():
            article_id = find_article(self.db, [target, canonical_url(target, self.sourcemap.hosts)])
            if article_id is not None:
                with transaction(self.db):
                    add_aliases(self.db, article_id, sorted(urls), source, run_id)

    def _listing(self, url, source, callback, **meta):
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.failed,
            dont_filter=True,
            priority=10,
            meta={"source": source, "stage": "feed", **meta},
        )

    def parse_feed(self, response):
        yield from self._entries(response, parse_feed)

    def parse_sitemap(self, response):
        yield from self._entries(response, parse_sitemap)

    def _entries(self, response: Response, parse):
        source = response.meta["source"]
        self._listing_read(source, response)
        try:
            listing = parse(response.body)
        except FeedError as exc:
            self._fail(source, response.url, "feed", str(exc))
            return
        if listing.problem:
            self._fail(source, response.url, "feed", listing.problem)
        chain = (*response.meta.get("sitemap_chain", ()), response.url)  # the indexes above
        children = [e for e in listing.entries if e.is_sitemap]
        recent = self._recent_sitemaps(children)
        if len(recent) < len(children):
            self.logger.info("%s: %d of %d sitemaps last modified more than %g days before its "
                             "newest: not read", response.url, len(children) - len(recent),
                             len(children), self.config.crawl.sitemap_window_days)
        for entry in recent:
            child = response.urljoin(entry.url)
            if child in chain:
                self._fail(source, response.url, "feed",
                           f"lists sitemap {child}, which leads back here (a loop): skipped")
            elif child not in self.sitemaps:  # else another index listed it this run
                self.sitemaps.add(child)
                yield self._listing(child, source, self.parse_sitemap, sitemap_chain=chain)
        articles = [e for e in listing.entries if not e.is_sitemap]
        yield from self._articles(source, articles, response)

    def _listing_read(self, source: str, response: Response) -> None:
        """Note a feed, sitemap or index page that answered (stat ``listings_read/<source>``)."""
        self.listings.add(canonical_url(response.url, self.sourcemap.hosts))
        self.crawler.stats.inc_value(f"listings_read/{source}")

    def _recent_sitemaps(self, children: list[Entry]) -> list[Entry]:
        """The child sitemaps of an index worth reading: those last modified at most
        ``sitemap_window_days`` before its newest (an index lists years of archives),
        and those without a date."""
        days = self.config.crawl.sitemap_window_days
        dated = [e.modified for e in children if e.modified]
        if not days or not dated:
            return children
        newest = datetime.strptime(max(dated), "%Y-%m-%dT%H:%M:%SZ")
        oldest = (newest - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return [e for e in children if not e.modified or e.modified >= oldest]

    def parse_index(self, response: Response):
        source = self.config.source(response.meta["source"])
        self._listing_read(source.name, response)
        if not isinstance(response, TextResponse):
            self._fail(source.name, response.url, "feed", "index page is not HTML")
            return
        links = LinkExtractor(allow=source.article_pattern).extract_links(response)
        yield from self._articles(source.name, [Entry(url=link.url) for link in links], response)
        page = response.meta["index_page"]
        next_page = next_listing_page(response, page)
        if next_page and page < INDEX_MAX_PAGES:
            yield self._listing(next_page, source.name, self.parse_index, index_page=page + 1)

    def _articles(self, listing_source: str, entries: list[Entry], response: Response):
        via = response.url
        search = self.config.source(listing_source).search
        candidates, own_pages = {}, 0
        for entry in entries:
            try:
                link = response.urljoin(entry.url)
                raw = unwrap(link) if search else link  # a search result's click-through link
                url = canonical_url(raw, self.sourcemap.hosts)
                if _front_page(url):
                    continue
                if search and host_of(raw) == host_of(via):  # a page of the search engine itself
                    own_pages += 1
                    continue
                source = self.sourcemap.source_for(
                    raw, default=_host_name(raw) if search else listing_source,
                    found_by=listing_source,
                )
                if url in self.listings or slash_twin(url) in self.listings:
                    continue  # a feed, sitemap or index page: read as one, if at all
            except ValueError as exc:  # e.g. "http://[broken" (Invalid IPv6 URL)
                self._fail(listing_source, via, "discover", f"malformed link {entry.url!r}: {exc}")
                continue
            candidates.setdefault(url, (source, entry, sorted({link, raw, url})))
        if own_pages:  # a failure when that is all the search gave: it finds nothing then
            note = (f"{own_pages} of {len(entries)} links lead to pages of {host_of(via)}, "
                    "not to the articles (such pages reach them only in a browser): skipped")
            if candidates:
                self.logger.info("%s: %s", via, note)
            else:
                self._fail(listing_source, via, "discover", note)
        for url in list(candidates):  # listed by another feed, or with(out) a final slash
            if url in self.queued or slash_twin(url) in self.queued:
                del candidates[url]
            else:
                self.queued.add(url)
        twins = {url: slash_twin(url) for url in candidates}
        known = [*twins, *twins.values()]
        modified = {}
        if _dates_vary([entry.modified for _, entry, _ in candidates.values()]):
            for url, (_, entry, _) in candidates.items():
                if entry.modified:
                    modified[url] = modified[twins[url]] = entry.modified
        refused_cutoff = self._refused_cutoff()
        skip = skip_urls(self.db, known, self._recheck_cutoff(), modified, refused_cutoff,
                         empty_since_iso=refused_cutoff)
        given_up = given_up_urls(self.db, known, refused_cutoff) if refused_cutoff else set()
        for url, (source, entry, requested) in candidates.items():
            self._count(source, "discovered")
            if url in skip or twins[url] in skip:
                self._count(source, "skipped_seen")
                continue
            if url in given_up or twins[url] in given_up:
                self._count(source, "given_up")
                continue
            limit = self._max_pages(source)
            if self.scheduled.get(source, 0) >= limit:
                self._count(source, "skipped_cap")
                continue
            self.scheduled[source] = self.scheduled.get(source, 0) + 1
            yield scrapy.Request(
                self._fetch_url(source, url),
                callback=self.parse_article,
                errback=self.failed,
                meta={
                    "source": source,
                    "stage": "fetch",
                    "canonical": url,
                    "requested": requested,
                    "hint_published": entry.published,
                    "hint_title": entry.title,
                    "via": via,
                },
            )

    # -- articles ----------------------------------------------------------

    def parse_article(self, response: Response):
        meta = response.meta
        source = meta["source"]
        problem = _unusable(response)
        if problem:
            self._fail(source, meta["canonical"], "fetch", problem, status=response.status,
                       refused=bool(response.body.strip()))  # an empty answer may be a glitch
            return
        if not same_site(response.url, meta["canonical"]) and \
                self.sourcemap.source_for(response.url, default="", found_by=source) != source:
            self._fail(source, meta["canonical"], "fetch",
                       f"redirected to another site ({host_of(response.url)}): a consent or "
                       "login page? not stored; tried again next run", status=response.status,
                       refused=True)
            return
        wall = redirect_wall(meta.get("redirect_urls", ()), response.url)
        if wall:
            self._fail_wall(source, meta["canonical"], wall, response.status)
            return
        scripted = script_redirect(response.body)
        if scripted and meta.get("script_redirects", 0) < MAX_SCRIPT_REDIRECTS:
            target = urldefrag(response.urljoin(scripted)).url
            if target != response.url and target.startswith(("http://", "https://")):
                own = {k: v for k, v in meta.items()  # not the downloader's, nor the retries'
                       if not k.startswith(("download_", "retry_", "redirect_", "_"))}
                yield response.request.replace(url=target, meta={
                    **own, "redirect_urls": [*meta.get("redirect_urls", ()), response.url],
                    "script_redirects": meta.get("script_redirects", 0) + 1})
                return
        requested = meta["canonical"]
        if meta.get("redirect_urls"):  # the address the site sent us to (its site checked above)
            requested = canonical_url(response.url, self.sourcemap.hosts)
        declared = _declared_canonical(response.text)
        url = pick_canonical(requested, declared, self.sourcemap.hosts)
        if url in self.listings:  # a template naming its index page as every article's URL
            url = requested
        self._count(source, "fetched")
        html, charset_note = _decode(response)
        if charset_note:
            self.crawler.signals.send_catch_log(
                signal=url_failed,
                source=source,
                url=url,
                stage="fetch",
                reason=charset_note,
                status=None,
            )
        item = ArticleItem(
            url=url,
            source=source,
            html=html,
            fetched_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            requested_urls=sorted({*meta["requested"], response.url} - {url}),
            status=response.status,
            hint_published=meta["hint_published"],
            hint_title=meta["hint_title"],
            discovered_via=meta["via"],
            own_url=requested if url != requested else None,
        )
        yield from self._next_page(response, item, seen={response.url})

    def parse_more(self, response: Response, item: ArticleItem, seen: set[str]):
        if _unusable(response) is None:
            item.more_pages.append(response.text)
        yield from self._next_page(response, item, seen | {response.url})

    def _next_page(self, response: Response, item: ArticleItem, seen: set[str]):
        """Follow a multi-page article's next page (unless the source's full-text address
        was fetched); yield the item after its last page."""
        following = None
        if isinstance(response, TextResponse):
            configured = self.sourcemap.sources.get(item.source)
            following = next_article_page(
                response, item.url, len(seen), self.sourcemap.hosts,
                pager=configured is None or not configured.full_text_param)
        if following and following not in seen and len(seen) < MAX_ARTICLE_PAGES:
            yield scrapy.Request(
                following,
                callback=self.parse_more,
                errback=self.failed,
                cb_kwargs={"item": item, "seen": seen},
                meta={"source": item.source, "stage": "fetch", "partial": item},
                dont_filter=True,  # a page dropped as seen would take the article with it
            )
        else:
            yield item

    def failed(self, failure: Failure):
        if failure.check(LeftForNextRun):  # the crawl is stopping; the next run fetches it
            return None
        request = failure.request
        meta = request.meta
        reason = _failure_reason(failure)
        if meta.get("retry_times"):
            reason += f" (tried {meta['retry_times'] + 1} times)"
        if meta.get("not_retried"):
            reason += f" (not retried: {meta['not_retried']})"
        partial = meta.get("partial")
        if partial is not None and self.stopping:  # whole next run rather than cut short now
            self.crawler.stats.inc_value("stop/left_for_next_run")
            return None
        if partial is not None:  # a later page failed: keep what we have, say so
            partial.extraction_note = f"page {request.url} missing: {reason}"
            self._fail(partial.source, request.url, "fetch", f"article page missing: {reason}")
            return partial
        if failure.check(IgnoreRequest) and "robots" in str(failure.value).lower():
            self._count(meta.get("source", "?"), "robots_denied")  # obeyed, not a failure
            if meta.get("configured"):  # but a listing of the config's: the source goes unread
                self._fail(meta["source"], request.url, "feed", "disallowed by the site's "
                           "robots.txt: nothing listed there can be read; configure another "
                           "feed, sitemap or index page for this source")
            return None
        status = getattr(getattr(failure.value, "response", None), "status", None)
        self._fail(
            meta.get("source", "?"),
            meta.get("canonical", request.url),
            meta["stage"],
            reason,
            status,
            refused=_refusal(failure, status),
        )
        return None

    # -- helpers -----------------------------------------------------------

    def _fail(self, source: str, url: str, stage: str, reason: str, status: int | None = None,
              refused: bool = False):
        self._count(source, "failed")
        self.crawler.signals.send_catch_log(signal=url_failed, source=source, url=url, stage=stage,
                                            reason=reason, status=status, refused=refused)

    def _fail_wall(self, source: str, url: str, wall: str, status: int | None = None):
        """Record an article request redirected to a page that is not the article."""
        self._fail(source, url, "fetch", wall + ": not stored; tried again next run", status,
                   refused=True)

    def _count(self, source: str, key: str) -> None:
        self.crawler.stats.inc_value(f"source/{source}/{key}")

    def _recheck_cutoff(self) -> str | None:
        return _ago(timedelta(hours=self.config.crawl.recheck_hours))

    def _refused_cutoff(self) -> str | None:
        return _ago(timedelta(days=self.config.crawl.retry_refused_days))

    def _max_pages(self, source: str) -> int:
        configured = self.sourcemap.sources.get(source)
        if configured is not None and configured.max_pages is not None:
            return configured.max_pages
        return self.config.crawl.max_pages

    def _fetch_url(self, source: str, url: str) -> str:
        configured = self.sourcemap.sources.get(source)
        if configured is not None and configured.full_text_param:
            return with_query(url, configured.full_text_param)
        return url


def _ago(span: timedelta) -> str | None:
    """The UTC time ``span`` before now (ISO-8601, as stored), or None for no span."""
    return (datetime.now(UTC) - span).strftime("%Y-%m-%dT%H:%M:%SZ") if span else None


def _dates_vary(stamps: list[str | None]) -> bool:
    """Whether a listing's modification times tell its pages apart: not when most of them
    fall within one hour of the newest (a sitemap stamped with the time it was made,
    which would have every page fetched again), nor when they lie ahead of the clock."""
    dated = sorted(s for s in stamps if s)
    if not dated or dated[-1] > _ago(timedelta(hours=-1)):
        return False
    newest = datetime.strptime(dated[-1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    hour_before = (newest - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = sum(s >= hour_before for s in dated)
    return len(dated) < MIN_STAMPS_TO_JUDGE or recent < SAME_STAMP_SHARE * len(dated)


def _unusable(response: Response) -> str | None:
    """Why a fetched article response cannot be used, or None."""
    if not response.body.strip():
        return "empty body"
    if not isinstance(response, HtmlResponse):
        kind = response.headers.get("Content-Type", b"unknown").decode("latin-1")
        return f"not an HTML page (Content-Type: {kind})"
    start = response.body[:1024].lstrip()
    for magic, kind in _BINARY:
        if start.startswith(magic):
            return f"not an HTML page: a {kind} file served as HTML"
    return None


# What a file starts with, for files that a site serves as HTML by mistake.
_BINARY = ((b"%PDF-", "PDF"), (b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"),
           (b"PK\x03\x04", "ZIP"), (b"RIFF", "RIFF media"), (b"\x1f\x8b", "gzip"))


def _declared_canonical(html: str) -> str | None:
    """The page's ``<link rel="canonical">``, parsing only its ``<head>`` when it has one
    (building the whole tree of a large page costs more than the rest of the spider), with
    lxml itself (half the time of a Selector)."""
    end = _HEAD_END.search(html)
    head = (html[: end.end()] if end else html).encode("utf-8", "replace")
    root = etree.fromstring(head, _HEAD_PARSER)
    links = root.xpath('//link[@rel="canonical"]/@href') if root is not None else []
    return links[0] if links else None


def _decode(response: HtmlResponse) -> tuple[str, str | None]:
    """The page's text, and a note when its declared charset was wrong.

    Bytes that are valid UTF-8 with non-ASCII characters are almost never meant as
    a single-byte charset, so a page declared otherwise is read as UTF-8; a page
    declared UTF-8 that is not has its charset guessed. A page
    declared UTF-16 or UTF-32 without a single NUL byte at its start is 8-bit text
    (browsers read it so too); its charset is guessed."""
    declared = response.encoding.lower().replace("_", "-")
    body = response.body
    if declared.startswith(("utf-16", "utf-32")) and b"\x00" not in body[:1024]:
        text = body.decode("utf-8") if _is_utf8(body) else decode_file(body)
        return text, (f"charset declared as {response.encoding} but the page is 8-bit text; "
                      "decoded as such")
    if body.isascii():
        return response.text, None
    if declared in ("utf-8", "utf8"):
        if _is_utf8(body):
            return response.text, None
        return decode_file(body), (f"charset declared as {response.encoding} but the page is "
                                   "not UTF-8; its charset was guessed")
    if declared in ("ascii", "us-ascii") or not _is_utf8(body):
        return response.text, None
    return body.decode("utf-8"), (f"charset declared as {response.encoding} but the page is "
                                  "UTF-8; read as UTF-8")


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _refusal(failure: Failure, status: int | None) -> bool:
    """Whether a failed request was refused for good: an HTTP client error other than
    a timeout or "too many requests" (404 and 410 are gone), or a page over the size
    limit. Server errors and network failures pass."""
    if status is not None:
        return 400 <= status < 500 and status not in (408, 429)
    return _TOO_LARGE in str(failure.value).lower()


def _failure_reason(failure: Failure) -> str:
    response = getattr(failure.value, "response", None)
    if response is not None:
        asked = response.meta.get("retry_after")
        if asked is not None:
            return f"HTTP {response.status}: the site asked for {asked:.0f} s before another try"
        return f"HTTP {response.status}"
    name = type(failure.value).__name__
    message = str(failure.value).strip()
    if _TOO_LARGE in message.lower():
        return f"page too large ({message})"
    wrapped = _TWISTED_FAILURE.findall(message)  # "[<twisted.python.failure.Failure ...>]"
    if wrapped:
        message = "; ".join(f"{inner}: {text.strip()}" if text.strip() else inner
                            for inner, text in wrapped)
    return f"{name}: {message}" if message else name


# A failure Twisted wraps in another's message: its exception's name and text.
_TWISTED_FAILURE = re.compile(r"<twisted\.python\.failure\.Failure (?:[\w]+\.)*(\w+):?([^>]*)>")


def _front_page(url: str) -> bool:
    """Whether the canonical ``url`` is a site's front page, never an article: its root
    with no query left ("/?utm_source=rss"). With one, it may name an article ("/?p=11")."""
    parts = urlsplit(url)
    return parts.path == "/" and not parts.query


def _host_name(url: str) -> str:
    host = host_of(url)
    return host.removeprefix("www.")
