"""The next page of a paginated listing or article.

A page names its next one with ``rel="next"``; many pages do not, and show only a
pager: "Halaman selanjutnya", "Berikutnya", "Next", or the page numbers ("2",
"Halaman 2"). On an article page each is a link to the article's own address with
``?page=N``, or with the number as one more path segment (``/judul/2/``, how WordPress
splits a post). Parsing a page costs more than the rest of the spider's work on it, so
an article page is parsed only when a literal search finds ``rel="next"``, a link to
its own path (or a bare query) with ``page=`` and a number, or the article's path
followed by the next page's number.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urldefrag, urlsplit

from scrapy.http import TextResponse

from crawler.urls import HostMap, canonical_url

__all__ = ["MAX_ARTICLE_PAGES", "NEXT_LINK", "may_link_next", "next_article_page",
           "next_listing_page"]

MAX_ARTICLE_PAGES = 20  # pages of one multi-page article

NEXT_LINK = 'link[rel="next"]::attr(href), a[rel="next"]::attr(href)'
# rel="next" with the attribute named in lower case, as sites write it: a literal-led search,
# ten times faster over a whole page than a case-blind one (kept for "REL" and "Rel")
_REL_NEXT = re.compile(r"""rel\s*=\s*["']?next\b""")
_REL_NEXT_ANY_CASE = re.compile(r"""rel\s*=\s*["']?next\b""", re.IGNORECASE)
# A pager's label for the next page, in Indonesian or English, arrows allowed.
_NEXT_LABEL = re.compile(
    r"(?i)^(?:(?:halaman|hal\.?|page|artikel)\s+)?(?:selanjutnya|berikutnya|lanjut|next)"
    r"(?:\s+(?:page|halaman))?\W*$|^[»›→]+$")
# A pager's numbered link written out: "Halaman 2", "Hal. 2", "Page 2".
_NUMBERED_LABEL = re.compile(r"(?i)^(?:halaman|hal\.?|page)\s*(\d+)$")
# A listing's link to more of itself: "Muat lebih banyak", "Tampilkan lainnya", "Load more".
_MORE_LABEL = re.compile(
    r"(?i)^(?:muat|tampilkan|load|show)\s+(?:lebih\s+banyak|lainnya|more)(?:\s+berita)?\W*$")
# Query parameters that number a listing's pages, or say where its next part starts.
_PAGE_PARAM = re.compile(r"(?i)^(?:page|p|pg|pn|paged|pagenum|hal|halaman)$")
_MORE_PARAM = re.compile(r"(?i)^(?:page|p|pg|paged|offset|start|from|last_?id|before|after|cursor)$")


def may_link_next(text: str) -> bool:
    """Whether a page may name its next one with ``rel="next"``."""
    if _REL_NEXT.search(text):
        return True
    return ("REL" in text or "Rel" in text) and _REL_NEXT_ANY_CASE.search(text) is not None


def next_article_page(response: TextResponse, article_url: str, page: int,
                      hosts: HostMap | None = None, *, pager: bool = True) -> str | None:
    """The address of the page after ``response``, the ``page``-th page of the article
    stored as ``article_url`` (canonical): its ``rel="next"`` link, else (with ``pager``)
    a link to the same article labelled as the next page or numbered ``page + 1``.
    None when the article has no further page."""
    text = response.text
    candidates = []
    if may_link_next(text):
        candidates += response.css(NEXT_LINK).getall()
    numbered = f"{urlsplit(article_url).path.rstrip('/')}/{page + 1}"
    if pager and not candidates and _may_have_pager(text, urlsplit(response.url).path, numbered):
        following = str(page + 1)
        for link in response.css("a[href]"):
            label = _label(link)
            numbered_as = _NUMBERED_LABEL.match(label)
            if label == following or _NEXT_LABEL.match(label) or (
                    numbered_as and numbered_as.group(1) == following):
                candidates.append(link.attrib["href"])
    here = urldefrag(response.url).url
    for href in candidates:
        url = urldefrag(response.urljoin(href)).url
        if url != here and _same_article(canonical_url(url, hosts), article_url, numbered):
            return url
    return None


def next_listing_page(response: TextResponse, page: int = 1) -> str | None:
    """The address of the page after an index page, its ``page``-th: its ``rel="next"``
    link, else a link on the same site labelled as the next page ("Berikutnya »", "Next",
    "›") or classed ``next`` (WordPress's ``<a class="next page-numbers">``), else a link
    to this listing numbered ``page + 1`` in a pager of numbers alone ("1 2 3", to
    "?page=2" or ".../2") or a "load more" link to it with another query ("Muat lebih
    banyak", "?offset=20"). None on the last page."""
    hrefs = response.css(NEXT_LINK).getall() or [
        link.attrib["href"] for link in response.css("a[href]")
        if _NEXT_LABEL.match(_label(link)) or "next" in (link.attrib.get("class") or "").split()]
    here, host = urldefrag(response.url).url, urlsplit(response.url).netloc
    for href in hrefs:
        url = urldefrag(response.urljoin(href)).url
        if url != here and urlsplit(url).netloc == host:
            return url
    following = str(page + 1)
    for link in response.css("a[href]"):
        label = _label(link)
        numbered_as = _NUMBERED_LABEL.match(label)
        if label == following or (numbered_as and numbered_as.group(1) == following):
            number = following
        elif _MORE_LABEL.match(label):
            number = None
        else:
            continue
        url = urldefrag(response.urljoin(link.attrib["href"])).url
        if url != here and _further_page(here, url, page, number):
            return url
    return None


def _further_page(here: str, url: str, page: int, number: str | None) -> bool:
    """Whether ``url`` is the listing at ``here`` (its ``page``-th page) further on: the
    same path with a page parameter of ``number`` ("?page=2", "?hal=2"), or the path with
    the number after it ("/indeks/2", "/indeks/page/2"); with no number (a "load more"
    link), the same path with another value of a page or offset parameter."""
    a, b = urlsplit(here), urlsplit(url)
    if a.netloc != b.netloc:
        return False
    query = parse_qs(b.query)
    if number is None:
        return a.path == b.path and a.query != b.query and any(map(_MORE_PARAM.match, query))
    if a.path == b.path:
        return any(number in values for key, values in query.items() if _PAGE_PARAM.match(key))
    base = a.path.rstrip("/")
    if page > 1:  # this page's own number ends its path
        base = re.sub(rf"(?:/page)?/{page}$", "", base)
    return b.path.rstrip("/") in (f"{base}/{number}", f"{base}/page/{number}")


def _label(link) -> str:
    return " ".join(" ".join(link.css("::text").getall()).split())


def _same_article(canonical: str, article_url: str, numbered: str) -> bool:
    """Whether ``canonical`` is the article's own address, or the ``numbered`` page's."""
    if canonical == article_url:
        return True
    page, article = urlsplit(canonical), urlsplit(article_url)
    return (page.netloc, page.query) == (article.netloc, article.query) \
        and page.path.rstrip("/") == numbered


def _may_have_pager(text: str, path: str, numbered: str) -> bool:
    """Whether the page links its own path, or a bare query, with a page number, or links
    the ``numbered`` path of the next page: a search for "page=" (one pass over the page),
    then a look back to the link's start; and one for the numbered path."""
    at = text.find(numbered)
    while at != -1:
        if text[at + len(numbered):at + len(numbered) + 1] in ('"', "'", "/", "?", "#"):
            return True
        at = text.find(numbered, at + 1)
    at = text.find("page=")
    while at != -1:
        key = at - 4 if text[at - 4:at] == "show" else at
        if text[key - 1:key] in ("?", "&", ";") and text[at + 5:at + 6].isdigit():
            start = max(text.rfind('"', 0, key), text.rfind("'", 0, key)) + 1
            link = text[start:key]
            if key - start < 2000 and (link.startswith("?") or (
                    path not in ("", "/") and path + "?" in link)):
                return True
        at = text.find("page=", at + 5)
    return False
