"""Reading feeds and sitemaps: RSS 2.0, Atom, XML sitemaps, sitemap indexes and
Google News sitemaps, into plain :class:`Entry` records. No Scrapy here."""

from __future__ import annotations

import gzip
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from html.entities import name2codepoint
from urllib.parse import urljoin

from lxml import etree

from pipelines.extraction.dates import parse_visible_date

__all__ = ["Entry", "FeedError", "Listing", "parse_feed", "parse_sitemap", "to_utc_iso"]

_STRICT = etree.XMLParser(resolve_entities=False, no_network=True)
_LENIENT = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
_WIB = timezone(timedelta(hours=7))
_TAG = re.compile(r"<[^>]*>")
# What _repaired mends: a character or entity reference, or a bare "&" (a CDATA section
# or a comment, group 1, is left as it is; group 2 is an entity's name)
_MENDABLE = re.compile(rb"(<!\[CDATA\[.*?\]\]>|<!--.*?-->)"
                       rb"|&(?:([A-Za-z][A-Za-z0-9]{0,31});|#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};)?",
                       re.DOTALL)


class FeedError(ValueError):
    """A feed or sitemap that cannot be read; the message says why."""


@dataclass(frozen=True)
class Entry:
    """One URL found in a feed or sitemap, with the hints it came with."""

    url: str
    published: str | None = None  # UTC ISO-8601, or a day alone (YYYY-MM-DD) given without a time
    title: str | None = None
    modified: str | None = None  # UTC ISO-8601: a sitemap's lastmod, an Atom entry's updated
    is_sitemap: bool = False  # an entry of a sitemap index


@dataclass(frozen=True)
class Listing:
    """What a feed or sitemap lists; ``problem`` says what was wrong with a
    malformed document whose readable part was still used."""

    entries: list[Entry]
    problem: str | None = None


def parse_feed(body: bytes) -> Listing:
    """The items of an RSS or Atom feed. Raises :class:`FeedError` when ``body``
    is not a feed (empty, unreadable XML, or XML of another kind)."""
    root, problem = _root(body)
    name = etree.QName(root).localname.lower()
    if name in ("rss", "rdf"):
        entries = [e for e in (_rss_item(item) for item in root.iter("{*}item")) if e.url]
    elif name == "feed":
        entries = [e for e in (_atom_entry(entry) for entry in root.iter("{*}entry")) if e.url]
    else:
        raise FeedError(f"not an RSS or Atom feed (root element <{name}>)")
    return _listing(entries, problem)


def parse_sitemap(body: bytes) -> Listing:
    """The URLs of a sitemap, or the child sitemaps of a sitemap index (``is_sitemap``).
    Google News sitemaps give ``news:publication_date`` and ``news:title``; a robots.txt
    gives the sitemaps of its ``Sitemap:`` lines, as an index would."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError) as exc:
            raise FeedError(f"broken gzip sitemap ({exc})") from exc
    if _ROBOTS_START.match(body):
        return _robots_sitemaps(body)
    root, problem = _root(body)
    name = etree.QName(root).localname
    if name not in ("urlset", "sitemapindex"):
        raise FeedError(f"not a sitemap (root element <{name}>)")
    entries = []
    for node in root.iterchildren("{*}url", "{*}sitemap"):
        loc = _text(node, "loc")
        if not loc:
            continue
        news = node.find("{*}news")
        published = _text(news, "publication_date") if news is not None else None
        entries.append(
            Entry(
                url=loc,
                published=_published(published or _text(node, "lastmod")),
                modified=to_utc_iso(_text(node, "lastmod")),
                title=_text(news, "title") if news is not None else None,
                is_sitemap=name == "sitemapindex",
            )
        )
    return _listing(entries, problem)


def to_utc_iso(value: str | None) -> str | None:
    """An RFC 822 or ISO-8601 date, or one written as outlets print it ("Rabu, 03 Des 2025
    09:15 WITA"), as UTC ``YYYY-MM-DDTHH:MM:SSZ``; None if unreadable. A date without a
    zone is taken as WIB (UTC+7), as Indonesian outlets print it."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        # RFC 822 knows no Indonesian zone ("WITA" read as WIB) or month ("Des", "Okt"):
        # those are read as a page shows its date
        parsed = None if _INDONESIAN_ZONE.search(value) else _rfc822(value)
        parsed = parsed or parse_visible_date(value)
        if parsed is None:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_WIB)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rfc822(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


_INDONESIAN_ZONE = re.compile(r"\bWI(?:B|TA|T)\b", re.IGNORECASE)


def _published(value: str | None) -> str | None:
    """A listed publication date as :func:`to_utc_iso` gives it; a day without a time
    stays a day, which extraction reads in the page's own zone and records as such."""
    value = (value or "").strip()
    return value if _DAY_ALONE.fullmatch(value) else to_utc_iso(value)


_DAY_ALONE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A web page where a feed was expected: a doctype or <html> first, after any BOM and blanks.
_HTML_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                         re.IGNORECASE | re.DOTALL)


_ROBOTS_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:#[^\n]*\n\s*)*(?:user-agent|sitemap|disallow|allow|crawl-delay)\s*:",
                           re.IGNORECASE)
_SITEMAP_LINE = re.compile(r"^[ \t]*sitemap[ \t]*:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)


def _root(body: bytes):
    """The document's root element, and the syntax error if it had to be recovered (a
    flaw mended whole, such as an HTML entity feeds often carry, is none)."""
    if not body or not body.strip():
        raise FeedError("empty response")
    if _HTML_START.match(body):
        raise FeedError("an HTML page, not a feed or sitemap (has the feed moved?)")
    if _ROBOTS_START.match(body):
        raise FeedError("a robots.txt file, not a feed: list it under sitemaps to read the "
                        "sitemaps its Sitemap: lines give")
    try:
        return etree.fromstring(body, parser=_STRICT), None
    except etree.XMLSyntaxError as exc:
        problem = f"malformed XML ({' '.join(str(exc).split())})"  # one line
    repaired = _repaired(body)
    try:  # the usual flaws (a blank line first, an HTML entity, a bare "&") mended:
        return etree.fromstring(repaired, parser=_STRICT), None  # read whole, nothing to say
    except etree.XMLSyntaxError:
        pass
    root = etree.fromstring(repaired, parser=_LENIENT)
    if root is None:
        raise FeedError(problem)
    return root, problem


def _repaired(body: bytes) -> bytes:
    """``body`` with what commonly breaks a feed mended: leading blank space, HTML's
    named entities and bare "&" as character references. XML's own entities become
    character references too: libxml2's recovery drops every named entity after the
    first error ("?a=1&amp;b=2" read as "?a=1b=2"), but keeps character references."""
    return _MENDABLE.sub(_reference, body.lstrip())


def _reference(match: re.Match) -> bytes:
    if match.group() == b"&":
        return b"&#38;"
    if match.group(2) is None:
        return match.group()  # CDATA, a comment, a character reference
    name = match.group(2).decode("ascii")
    code = 39 if name == "apos" else name2codepoint.get(name)
    return match.group() if code is None else b"&#%d;" % code


def _robots_sitemaps(body: bytes) -> Listing:
    """The sitemaps a robots.txt names, one ``Sitemap:`` line each."""
    text = body.decode("utf-8", "replace")
    urls = [m.group(1) for m in _SITEMAP_LINE.finditer(text)]
    if not urls:
        raise FeedError("a robots.txt file without Sitemap: lines")
    return Listing([Entry(url=url, is_sitemap=True) for url in dict.fromkeys(urls)])


def _listing(entries: list[Entry], problem: str | None) -> Listing:
    if problem and not entries:
        raise FeedError(problem)
    if problem:
        read = f"{len(entries)} entries" if len(entries) != 1 else "1 entry"
        problem = f"{problem}; read {read} despite it"
    return Listing(entries, problem)


def _rss_item(item) -> Entry:
    """An RSS item's link: the first ``<link>`` with text (an ``atom:link`` beside it
    has none), else an Atom-style link, else a ``<guid>`` that is a permalink (the
    default) and a web address."""
    url = next(filter(None, map(_own_text, item.iterfind("{*}link"))), None) or _atom_link(item)
    guid = item.find("{*}guid")
    if not url and guid is not None and guid.get("isPermaLink", "true").lower() == "true":
        permalink = _own_text(guid)
        url = permalink if permalink.lower().startswith(("http://", "https://")) else ""
    published = _text(item, "pubDate") or _text(item, "date")
    return Entry(url=url or "", published=_published(published), title=_title(item))


def _atom_entry(entry) -> Entry:
    published = _text(entry, "published") or _text(entry, "updated")
    return Entry(url=_atom_link(entry), published=_published(published), title=_title(entry),
                 modified=to_utc_iso(_text(entry, "updated")))


def _atom_link(node) -> str:
    """The ``alternate`` link of an Atom entry, resolved against any ``xml:base``."""
    for link in node.iterfind("{*}link"):
        href = (link.get("href") or "").strip()
        if link.get("rel", "alternate") == "alternate" and href:
            return urljoin(link.base, href) if link.base else href
    return ""


def _own_text(node) -> str:
    return "".join(node.itertext()).strip()


def _title(node) -> str | None:
    """A feed title as plain text: titles often carry HTML (in CDATA or escaped)."""
    title = _text(node, "title")
    if title and ("<" in title or "&" in title):
        title = " ".join(html.unescape(_TAG.sub("", title)).split()) or None
    return title


def _text(node, name: str) -> str | None:
    child = node.find("{*}" + name)
    if child is None:
        return None
    text = "".join(child.itertext()).strip()
    return text or None
