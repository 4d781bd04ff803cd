"""Where the newsroom serves what: article URLs and their variants, entry points, fault URLs.

Every site lives on its own loopback address, ``127.0.0.<host>``, all on one port. Paths copy
the habits of the kind of outlet each site imitates. All of this is derived from the article
(id, outlet, section, title, date), so the same corpus always gives the same URLs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from newsroom.corpus import Article, Corpus, Outlet

__all__ = [
    "CLICK_PATH",
    "MALFORMED_LINK",
    "MOBILE_SITE",
    "SEARCH_OWN_PAGE_PATH",
    "SEARCH_PATH",
    "Links",
    "article_links",
    "article_path",
    "base_urls",
    "entry_points",
    "faults",
    "is_search_hit",
    "path_of",
    "print_path",
]

MOBILE_SITE = "m.kabar6"  # kabar6's mobile host, a site of its own
MOBILE_HOST = 24
SEARCH_PATH = (
    "/rss/search?q=%22Kementerian+HAM%22+OR+Kemenham+OR+%22Natalius+Pigai%22&hl=id&gl=ID&ceid=ID:id"
)

# Article paths, in the manner of the outlet each site imitates.
_PATHS = {
    "nusa": "/berita/{n7}/{slug}",
    "harianrakyat": "/read/{t:%Y/%m/%d}/{t:%H%M}{n4}/{slug}",
    "detakberita": "/berita/d-{n7}/{slug}",
    "kabar6": "/news/read/{n7}/{slug}",
    "tempora": "/{section}/{slug}-{n7}",
    "suaradaerah": "/berita/{n6}/{slug}",
    "kemenham": "/siaran-pers/{slug}",
}
# How the sites list their articles.
FEEDS = {
    "nusa": ["/rss/terkini.xml", "/rss/nasional.xml", "/rss/hukum.xml"],
    "detakberita": ["/berita/rss"],
    "tempora": ["/feed/atom"],
    "caritahu": [SEARCH_PATH],
}
SITEMAPS = {"harianrakyat": ["/sitemap-news.xml", "/sitemap.xml"], "kabar6": ["/sitemap_index.xml"]}
BROKEN_FEED = ("nusa", "/rss/hukum.xml")
TRACKED_FEEDS = {
    "nusa": "utm_source=rss&utm_medium=terkini&utm_campaign=nusa",
    "detakberita": "utm_source=rss&utm_medium=feed",
}
INDEX_PAGE_SIZE = 5
# Fault URLs: an article the feed still lists but the site removed, a page that always
# fails, an empty page, a document that is not a web page.
REMOVED_PATH = "/berita/4400123/kemenham-tinjau-layanan-pengaduan-di-kanwil-maluku"
SERVER_ERROR_PATH = "/berita/d-7699001/menham-bahas-hak-warga-binaan-bersama-kalapas"
EMPTY_PATH = "/nasional/pemadaman-listrik-bergilir-di-jakarta-selatan-1999001"
PDF_PATH = "/nasional/laporan-tahunan-kinerja-pemerintah-2025-1999002"
MALFORMED_LINK = "http://[::1/nasional/tautan-rusak"  # no closing bracket: no URL at all
# The news search's click-through links (?url=<the article>) and a result that leads to one
# of its own pages, which reaches the article only in a browser (as Google News's do).
CLICK_PATH = "/klik"
SEARCH_OWN_PAGE_PATH = "/baca/CBMiQ2FydGlrZWwtcGlsaWhhbi1rYW1pLXRhbnBhLWFsYW1hdC1hc2xp0gEA"


@dataclass(frozen=True)
class Links:
    """The URLs of one article."""

    url: str  # the canonical URL; serves the whole text
    listed: str  # what the outlet's own feed, sitemap or index page links to
    variants: tuple[str, ...]  # every other URL serving the article (rel=canonical -> url)
    pages: tuple[str, ...] = ()  # the pages of a multi-page article, each a part of the text
    search: str | None = None  # the link a news-search feed gives, if it finds the article


def base_urls(outlets: Mapping[str, Outlet], port: int) -> dict[str, str]:
    """Each site's base URL: the outlets and kabar6's mobile host."""
    urls = {o.name: f"http://127.0.0.{o.host}:{port}" for o in outlets.values()}
    urls[MOBILE_SITE] = f"http://127.0.0.{MOBILE_HOST}:{port}"
    return urls


def article_path(article: Article) -> str:
    copy = article.id.partition("~")[2]
    slug = _slug(article.title) + (f"-{copy}" if copy else "")
    pattern = _PATHS.get(article.outlet, "/artikel/{slug}")
    return pattern.format(
        slug=slug,
        t=article.published,
        section=article.section,
        n4=_number(article.id, 4),
        n6=_number(article.id, 6),
        n7=_number(article.id, 7),
    )


def print_path(article: Article) -> str:
    """suaradaerah's print version, which its robots.txt forbids."""
    return "/cetak" + article_path(article)


def article_links(
    article: Article, base_urls: Mapping[str, str], layout: Mapping[str, str]
) -> Links:
    base = base_urls[article.outlet]
    path = article_path(article)
    url = base + path
    listed = url
    variants: list[str] = []
    pages: tuple[str, ...] = ()
    if article.id == layout["multipage"]:
        url, pages = f"{base}{path}?page=all", (base + path, f"{base}{path}?page=2")
        listed = pages[0]
        variants.extend(pages)
    if article.outlet in TRACKED_FEEDS and _number(article.id, 3) % 3 == 0:
        listed = _with_query(url, TRACKED_FEEDS[article.outlet])
        variants.append(listed)
    alternate = {
        "harianrakyat": f"{base}/amp{path}",
        "detakberita": f"{url}?single=1",
        "kabar6": base_urls[MOBILE_SITE] + path,
        "suaradaerah": base + print_path(article),
    }.get(article.outlet)
    if alternate:
        variants.append(alternate)
    search = None
    if is_search_hit(article) and article.id != layout["slow"]:
        pick = _number(article.id, 6)
        tracking = ("utm_source=caritahu&utm_medium=search", f"fbclid=IwAR{pick}x", f"gclid=Cj0K{pick}")
        if alternate and pick % 3 == 0:
            search = alternate
        elif pick % 4 == 3:
            search = f"{base_urls['caritahu']}{CLICK_PATH}?url={quote(url, safe='')}&pos={pick}"
        else:
            search = _with_query(url, tracking[pick % 4])
        if search not in variants and search != url:
            variants.append(search)
    return Links(url=url, listed=listed, variants=tuple(variants), pages=pages, search=search)


def is_search_hit(article: Article) -> bool:
    """Whether the news search finds the article: ministry coverage, and noise that says 'HAM'."""
    return article.relevant or "HAM" in article.text


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def entry_points(corpus: Corpus, base_urls: Mapping[str, str]) -> dict[str, dict]:
    """Per source, what a crawler is given: feeds, sitemaps, or index pages and a URL pattern."""
    sections = sorted({a.section for a in corpus.of_outlet("suaradaerah")})
    points: dict[str, dict] = {}
    for name, base in base_urls.items():
        if name == MOBILE_SITE:
            continue
        point = {
            "feeds": [base + p for p in FEEDS.get(name, [])],
            "sitemaps": [base + p for p in SITEMAPS.get(name, [])],
        }
        if name == "suaradaerah":
            point["start_urls"] = [f"{base}/kanal/{s}" for s in sections]
            point["article_pattern"] = rf"^{re.escape(base)}/berita/\d+/[a-z0-9-]+$"
        if name == "kemenham":
            point["start_urls"] = [f"{base}/siaran-pers"]
            point["article_pattern"] = rf"^{re.escape(base)}/siaran-pers/[a-z0-9-]+$"
            point["official"] = True
        if name == "harianrakyat":
            point["full_text_param"] = "page=all"
        if name == "kabar6":
            point["aliases"] = [urlsplit(base_urls[MOBILE_SITE]).netloc]
        if name == "caritahu":
            point["search"] = True
        points[name] = point
    return points


def faults(corpus: Corpus, base_urls: Mapping[str, str]) -> list[dict]:
    """The faults the newsroom serves, each at its own URL, and what a crawler should record."""
    slow = article_links(corpus.article(corpus.layout["slow"]), base_urls, corpus.layout)
    cp1252 = article_links(corpus.article(corpus.layout["windows_1252"]), base_urls, corpus.layout)
    nusa, detak, tempora, suara = (
        base_urls[n] for n in ("nusa", "detakberita", "tempora", "suaradaerah")
    )
    return [
        {
            "kind": "not_found",
            "url": nusa + REMOVED_PATH,
            "listed_in": nusa + "/rss/terkini.xml",
            "expect": "HTTP 404 for an article the feed still lists: a fetch error, no article",
        },
        {
            "kind": "server_error",
            "url": detak + SERVER_ERROR_PATH,
            "listed_in": detak + "/berita/rss",
            "expect": "HTTP 500 on every request: a fetch error after the retries, no article",
        },
        {
            "kind": "slow",
            "url": slow.url,
            "listed_in": base_urls["kabar6"] + "/sitemap_index.xml",
            "expect": "answers after slow_seconds: a timeout error when the client timeout is shorter, "
            f"otherwise the article {corpus.layout['slow']}",
        },
        {
            "kind": "windows_1252",
            "url": cp1252.url,
            "listed_in": "",
            "expect": f"declared windows-1252 in the header and a meta tag: the article "
            f"{corpus.layout['windows_1252']} with its text decoded right",
        },
        {
            "kind": "empty",
            "url": tempora + EMPTY_PATH,
            "listed_in": tempora + "/feed/atom",
            "expect": "HTTP 200 with an empty body: an error (empty page), no article",
        },
        {
            "kind": "not_html",
            "url": tempora + PDF_PATH,
            "listed_in": tempora + "/feed/atom",
            "expect": "HTTP 200 with a PDF: an error (not an HTML page), no article",
        },
        {
            "kind": "malformed_link",
            "url": MALFORMED_LINK,
            "listed_in": tempora + "/feed/atom",
            "expect": "a feed item whose link is no URL: an error for the feed naming the link; "
            "the feed's other items still crawled",
        },
        {
            "kind": "broken_feed",
            "url": base_urls[BROKEN_FEED[0]] + BROKEN_FEED[1],
            "listed_in": "config",
            "expect": "malformed XML: an error for the feed; the source's other feeds still crawled",
        },
        {
            "kind": "search_own_page",
            "url": base_urls["caritahu"] + SEARCH_OWN_PAGE_PATH,
            "listed_in": base_urls["caritahu"] + SEARCH_PATH,
            "expect": "a search result leading to the search engine's own page (the article only "
            "through JavaScript): never fetched; the log says how many, and an error for the "
            "feed does when the search gives nothing else",
        },
        {
            "kind": "robots",
            "url": suara + "/cetak/",
            "listed_in": base_urls["caritahu"] + SEARCH_PATH,
            "expect": "disallowed by robots.txt (print pages, and /cari/ on every site): never fetched",
        },
    ]


def _with_query(url: str, query: str) -> str:
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_title.lower())[:12]) or "artikel"


def _number(text: str, digits: int) -> int:
    """A stable number of ``digits`` digits for ``text``."""
    value = int(hashlib.sha1(text.encode()).hexdigest(), 16)
    return 10 ** (digits - 1) + value % (9 * 10 ** (digits - 1))
