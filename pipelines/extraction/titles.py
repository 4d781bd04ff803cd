"""The article's headline: the page's title metadata without the outlet's name, unless
that is the site's own title, the same on each of its pages.

A site's own title is the outlet's name (as ``og:site_name`` gives it, or the link to
the site's front page shows it: the logo), alone or before its tagline ("Warta Daerah
- Berita Terkini Hari Ini"), as templates that set one ``og:title`` for the whole site
give it, and old Blogger templates that head each post with the blog's name. The
headline is then the page's ``<title>`` without the outlet's name ("Warta Daerah:
Judul"), else its one headline-long ``<h1>``.
"""

from __future__ import annotations

import re

from lxml.etree import XPath
from lxml.html import HtmlElement

from pipelines.extraction.authors import DOMAIN
from pipelines.extraction.rules import fold, spaced

__all__ = ["clean_title", "headline_title", "lone_heading", "outlet_in_title", "title_key"]

HEADLINE_MIN_WORDS = 4  # an <h1> shorter than this is a logo or a section name, not a headline
SITE_NAME_MAX_WORDS = 6  # "Lembaga Kantor Berita Nasional Antara"
_TITLE_SEPARATOR = re.compile(r"\s+[-|–—:]\s+")
# Links to a site's front page: its logo, its "Beranda" ("/", "https://host/", "//host").
# XPath alone: a regular expression test calls back into Python once a link.
_FRONT_PAGE_LINKS = XPath(
    "//body//a[@href = '/' or ((starts-with(@href, 'https://') or starts-with(@href, 'http://')"
    " or starts-with(@href, '//'))"
    " and substring-after(@href, '//') != ''"
    " and substring-after(substring-after(@href, '//'), '/') = '')]")


def title_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", fold(text))


def outlet_in_title(tree: HtmlElement, headline: str) -> str | None:
    """The outlet's name beside the headline in the page's ``<title>``
    ("Judul - Detak Berita"): the one short part that is not the headline."""
    title = spaced(tree.findtext(".//title") or "")
    others = [part for part in _TITLE_SEPARATOR.split(title)
              if title_key(part) and title_key(part) != title_key(headline)]
    return others[0] if len(others) == 1 and len(others[0].split()) <= 5 else None


def lone_heading(tree: HtmlElement) -> HtmlElement | None:
    """The page's one headline-long ``<h1>``, if it has exactly one."""
    headings = [h1 for h1 in tree.iter("h1") if len(h1.text_content().split()) >= HEADLINE_MIN_WORDS]
    return headings[0] if len(headings) == 1 else None


def headline_title(tree: HtmlElement, title: str | None, site_name: str | None) -> str | None:
    """``title``, or the headline the page shows when ``title`` is the site's own (see
    the module's docstring); ``title`` when the page shows none."""
    if len(_TITLE_SEPARATOR.split(spaced(title or ""), maxsplit=1)[0].split()) > SITE_NAME_MAX_WORDS:
        return title  # a headline: no outlet is named at such length (and the links cost)
    sites = {title_key(site_name or "")} | {title_key(a.text_content()) for a in _FRONT_PAGE_LINKS(tree)}
    sites.discard("")
    if not _is_site_title(spaced(title or ""), sites):
        return title
    heading = lone_heading(tree)
    candidates = [spaced(tree.findtext(".//title") or "")]
    candidates += [spaced(heading.text_content())] if heading is not None else []
    for candidate in candidates:
        for site in sites:
            candidate = _without_site(candidate, site)
        if candidate and not _is_site_title(candidate, sites):
            return candidate
    return title


def _is_site_title(title: str, sites: set[str]) -> bool:
    """Whether ``title`` is one of ``sites`` (keys of the outlet's names), alone or
    before a tagline."""
    first = _TITLE_SEPARATOR.split(title, maxsplit=1)[0]
    return bool(title) and (title_key(title) in sites or title_key(first) in sites)


def _without_site(title: str, site_key: str) -> str:
    """``title`` without the outlet's name before or after it (see :func:`clean_title`)."""
    parts = _TITLE_SEPARATOR.split(title)
    while len(parts) > 1 and _names_site(parts[-1], site_key):
        parts.pop()
    head, _, rest = parts[0].partition(": ")
    if rest and _names_site(head, site_key):
        parts[0] = rest
    # rejoin with the separators as written
    cleaned = title[: title.find(parts[-1]) + len(parts[-1])]
    if parts[0] != title[: len(parts[0])]:
        cleaned = cleaned[cleaned.find(parts[0]):]
    return cleaned.strip() or title


def _names_site(part: str, site_key: str) -> bool:
    key = title_key(part)
    if not key:
        return False
    if DOMAIN.search(fold(part)) and len(part.split()) <= 4:
        return True
    # "Kompas" names "Kompas.com", but "Indonesia" does not name "CNN Indonesia"
    return bool(site_key) and len(part.split()) <= 4 and (site_key in key or site_key.startswith(key))


def clean_title(title: str | None, site_name: str | None) -> str | None:
    """``title`` without the outlet's name before or after it
    ("Judul - Kompas.com Regional", "KapanLagi.com: Judul", "Judul | Tempo Gaya")."""
    return _without_site(title, title_key(site_name or "")) if title else None
