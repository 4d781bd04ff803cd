"""Redirects of an article request that lead away from the article.

A site moves an article to a new address (``http`` to ``https``, a mobile host to the
desktop one, an AMP page to its canonical, ``/read/123`` to ``/read/123/slug``, a
rewritten slug that keeps the article's number); the new address keeps something of
the old one: its path, a number of it, a word of its slug. A login, subscription or
consent page, or a removed article's front page, keeps nothing of it, and names no
article of its own either: it has no number and no slug of ``MIN_SLUG_WORDS`` words.
The redirect to another site is told apart before (by the site, not the address).

A short page that sends the browser on with a script (``location.replace("...")``,
``window.location.href = "..."``), where the article should be, is a redirect too
(``script_redirect``): followed like one, at most ``MAX_SCRIPT_REDIRECTS`` times.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import lxml.html
from lxml.etree import ParserError

__all__ = ["MAX_SCRIPT_REDIRECTS", "redirect_wall", "script_redirect"]

MAX_SCRIPT_REDIRECTS = 3
MAX_SCRIPT_PAGE_BYTES = 20_000  # an article page is longer: a script there may go anywhere
MAX_SCRIPT_PAGE_WORDS = 40  # words a page sending the browser on shows ("Anda akan dialihkan")
_SCRIPT_REDIRECT = re.compile(
    r"""(?:\b(?:window|document|top|self)\.location(?:\.href)?\s*=|\blocation\.href\s*="""
    r"""|\blocation\.(?:replace|assign)\s*\()\s*["']([^"'\s<>]+)["']""")
MIN_SLUG_WORDS = 3  # a last segment of this many words names an article ("/menteri-ham-tinjau")
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]{3,}")  # a word of three letters or more (not "d" of "d-7712345")
_EXTENSION = re.compile(r"\.\w{1,5}$")  # "judul.html", "index.php"


def redirect_wall(redirected_from: list[str], url: str) -> str | None:
    """Why the page an article request was redirected to (``url``, on the article's site)
    is not the article, or None: the front page (a removed article), a page whose query
    leads back to the article (a login, subscription or consent page's return address),
    or an address that keeps nothing of the article's and names no article itself."""
    if not redirected_from:
        return None
    parts = urlsplit(url)
    if parts.path in ("", "/"):
        return f"redirected to the front page ({url}): removed or moved?"
    paths = {urlsplit(u).path for u in redirected_from} - {"", "/"}
    for _, value in parse_qsl(parts.query):
        if value in redirected_from or urlsplit(value).path in paths:
            return (f"redirected to {parts.path}, which leads back to the article "
                    "(a login or subscription page?)")
    if not _names_article(url) and not any(_keeps(old, url) for old in redirected_from):
        return (f"redirected to {parts.path}, which keeps nothing of the article's address "
                "and names no article (a login or subscription page?)")
    return None


def script_redirect(body: bytes) -> str | None:
    """Where a page of a few words sends the browser with a script of its own (not a
    button's handler), as written (relative or absolute), or None."""
    if len(body) > MAX_SCRIPT_PAGE_BYTES:
        return None
    text = body.decode("utf-8", "replace")
    if not _SCRIPT_REDIRECT.search(text):  # most pages: no parse
        return None
    try:
        page = lxml.html.fromstring(text)
    except (ParserError, ValueError):
        return None
    scripts = list(page.iter("script"))
    target = next((found.group(1) for script in scripts
                   if (found := _SCRIPT_REDIRECT.search(script.text or ""))), None)
    for hidden in [*scripts, *page.iter("style", "noscript")]:
        hidden.drop_tree()
    return target if len(page.text_content().split()) <= MAX_SCRIPT_PAGE_WORDS else None


def _keeps(old: str, new: str) -> bool:
    """Whether the address ``new`` keeps something of ``old``: its path (another scheme,
    host or final slash; with a value of its query too when the query names the
    article), a number in it, or a word of its last segment (the slug)."""
    a, b = urlsplit(old), urlsplit(new)
    if a.path.rstrip("/").casefold() == b.path.rstrip("/").casefold():
        if not a.query or _names_article(a.path):
            return True
        # one script names every article by its query ("index.php?id=123"): the new
        # query must keep a number or a value of the old ("index.php?page=login" does not)
        values = {value for _, value in parse_qsl(a.query)} | set(_NUMBER.findall(a.query))
        return bool(values & ({value for _, value in parse_qsl(b.query)}
                              | set(_NUMBER.findall(b.query))))
    numbers = set(_NUMBER.findall(f"{a.path}?{a.query}"))
    words = set(_WORD.findall(_last_segment(a.path).casefold()))
    return bool(numbers & set(_NUMBER.findall(f"{b.path}?{b.query}"))
                or words & set(_WORD.findall(b.path.casefold())))


def _names_article(url: str) -> bool:
    """Whether an address can name an article of its own: it carries a number, or its
    last segment is a slug of ``MIN_SLUG_WORDS`` words or more."""
    parts = urlsplit(url)
    slug = re.split(r"[-_+]", _last_segment(parts.path))
    return bool(_NUMBER.search(f"{parts.path}?{parts.query}")) or \
        len([w for w in slug if w]) >= MIN_SLUG_WORDS


def _last_segment(path: str) -> str:
    """The last segment of a path, without a file extension."""
    return _EXTENSION.sub("", path.rstrip("/").rpartition("/")[2])
