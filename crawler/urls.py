"""Canonical article URLs: one article, one URL, before any request is made.

Tracking parameters, fragments, AMP markers, pagination and known mobile/AMP
hosts are removed so that every variant of an article URL maps to one string.
After fetching, the page's ``<link rel="canonical">`` may still correct it
(:func:`pick_canonical`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import tldextract

__all__ = [
    "HostMap",
    "canonical_url",
    "host_of",
    "pick_canonical",
    "print_rendering",
    "same_site",
    "slash_twin",
    "unwrap",
    "with_query",
]

# Parameters that identify a campaign or a click, never the page.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl"
    r"|ref|ref_src|cmpid|xtor|spm|amp|outputtype|tag_from|at_medium|at_campaign|mkt_tok|_hsenc"
    r"|_hsmi|vero_id)$",
    re.IGNORECASE,
)
# Parameters that select a part or a rendering of one article, with the values that do:
# a page number or a flag ("?page=2", "?page=all", "?single=1", "?amp"). Another value
# picks what the page is ("index.php?page=berita&id=7"): that parameter stays.
_ARTICLE_VARIANT = re.compile(r"^(page|single|showpage|show|view|mode|amp)$", re.IGNORECASE)
_VARIANT_VALUE = re.compile(r"^(\d*|all|full|single|true|yes|on|amp)$", re.IGNORECASE)
_AMP_SEGMENT = re.compile(r"(^|/)amp(/|$)", re.IGNORECASE)
# A path segment, query parameter or value that asks for an article's print rendering
# ("/print/512301", "/berita/judul/cetak", "?print=1", "?view=print").
_PRINT = re.compile(r"^(print|printer|printable|printpage|print-?friendly|cetak|versi-?cetak)$",
                    re.IGNORECASE)
# The file a web server answers for a directory: /berita/index.html is /berita/.
_DIRECTORY_INDEX = re.compile(r"^(index|default)\.\w+$", re.IGNORECASE)
# Parameters in which click-through links (news search, social sites) carry their target.
_TARGET = re.compile(r"^(url|u|q|target|dest|destination|to|link|redirect|redirect_url)$",
                     re.IGNORECASE)


# Public suffixes from the list bundled with tldextract: never fetched from the network.
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class HostMap:
    """Which hosts are variants of which canonical host (``m.site.id`` → ``www.site.id``)."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()):
        self._map = {alias.lower(): canonical.lower() for alias, canonical in pairs}

    def canonical(self, netloc: str) -> str:
        return self._map.get(netloc.lower(), netloc.lower())

    def same_site(self, a: str, b: str) -> bool:
        return self.canonical(a) == self.canonical(b)


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on one site: the same registered domain (``news.kompas.com``
    and ``www.kompas.com``), or the same host and port where there is none (an IP address)."""
    return _site(host_of(url)) == _site(host_of(other))


@functools.lru_cache(maxsize=4096)
def _site(netloc: str) -> str:
    host = netloc.rsplit(":", 1)[0] if not netloc.endswith("]") else netloc
    return _SUFFIXES(host).top_domain_under_public_suffix or netloc


def slash_twin(url: str) -> str:
    """``url`` with its path's trailing slash added or removed (``/a`` and ``/a/`` are one
    article on news sites); the front page and URLs with a query are their own twins."""
    parts = urlsplit(url)
    if parts.path in ("", "/") or parts.query:
        return url
    path = parts.path[:-1] if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit(parts._replace(path=path))


def host_of(url: str) -> str:
    """The host (with a non-default port) of ``url``, lower-cased."""
    return _netloc(urlsplit(url))


def canonical_url(url: str, hosts: HostMap | None = None, *, article: bool = True) -> str:
    """The one form of ``url`` that warta stores and fetches.

    ``article=True`` also drops what selects a page or rendering of an article
    (``?page=2``, ``?single=1``, an ``/amp/`` path segment); index and feed URLs
    keep their pagination.
    """
    parts = urlsplit(url.strip())
    netloc = _netloc(parts)
    if hosts is not None:
        netloc = hosts.canonical(netloc)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(k)
        and not (article and _ARTICLE_VARIANT.match(k) and _VARIANT_VALUE.match(v))
    ]
    path = parts.path or "/"
    if article:
        path = re.sub(r"(?<=.)/amp/?$", "", path, flags=re.IGNORECASE)
        path = _AMP_SEGMENT.sub(r"\1", path) or "/"
        path = re.sub(r"/{2,}", "/", path)
        path = path.removesuffix(".amp")
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(sorted(query)), ""))


def pick_canonical(requested: str, declared: str | None, hosts: HostMap | None = None) -> str:
    """The URL to store a fetched article under.

    A page's declared canonical link wins when it is an http(s) URL on the same
    site that can name an article: not the front page, and not a page above the
    requested one (its section, ``/berita/`` for ``/berita/2025/judul``, or the
    same path without the query that picks the article), which a site's template
    declares for every article alike. Otherwise the canonical form of the
    requested URL is kept.
    """
    fallback = canonical_url(requested, hosts)
    if not declared:
        return fallback
    absolute = urljoin(requested, declared.strip())
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.path in ("", "/"):
        return fallback
    hosts = hosts or HostMap()
    if not hosts.same_site(_netloc(parts), host_of(requested)):
        return fallback
    chosen = canonical_url(absolute, hosts)
    return fallback if _above(chosen, fallback) else chosen


def print_rendering(url: str) -> bool:
    """Whether ``url`` asks for an article's print rendering (a path segment, or a query
    parameter or value, such as ``print`` or ``cetak``): an address of the article, never
    the one to store it under when its own is known."""
    parts = urlsplit(url)
    segments = [s.partition(".")[0] for s in parts.path.split("/")]  # "cetak.html" too
    query = [word for pair in parse_qsl(parts.query, keep_blank_values=True) for word in pair]
    return any(_PRINT.match(word) for word in (*segments, *query))


def _above(url: str, other: str) -> bool:
    """Whether ``url`` is a page above ``other`` (on the same site): a proper prefix of
    its path by whole segments, or its path with only part of its query."""
    a, b = urlsplit(url), urlsplit(other)
    ours, theirs = _segments(a.path), _segments(b.path)
    query, their_query = set(parse_qsl(a.query)), set(parse_qsl(b.query))
    if ours == theirs:
        return query < their_query
    return len(ours) < len(theirs) and theirs[:len(ours)] == ours and query <= their_query


def _segments(path: str) -> list[str]:
    """The segments of a path, ``/berita/index.html`` read as ``/berita/``."""
    segments = path.rstrip("/").split("/")
    if _DIRECTORY_INDEX.match(segments[-1]):
        segments.pop()
    return segments


def unwrap(url: str) -> str:
    """The article a click-through link leads to (``…/click?url=https%3A%2F%2F…``, as news
    search and social sites give them), read from its query; ``url`` itself otherwise."""
    for _ in range(3):  # a wrapped link may be wrapped again
        parts = urlsplit(url)
        target = next((value for key, value in parse_qsl(parts.query)
                       if _TARGET.match(key) and _is_web_url(value)
                       and urlsplit(value).netloc.lower() != parts.netloc.lower()), None)
        if target is None:
            return url
        url = target
    return url


def _is_web_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:  # not a URL at all ("http://[broken")
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def with_query(url: str, extra: str) -> str:
    """``url`` with the query fragment ``extra`` (``"page=all"``) added."""
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, extra) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _netloc(parts) -> str:
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not (
        (parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)
    ):
        return f"{host}:{port}"
    return host
