"""What every site's pages share: the page context, escaping, Indonesian dates, paragraphs."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from newsroom.corpus import Article, Outlet

__all__ = [
    "WIB",
    "Listing",
    "Page",
    "attr",
    "esc",
    "interleave",
    "link_list",
    "long_date",
    "paragraph_blocks",
    "short_date",
]

WIB = timezone(timedelta(hours=7), "WIB")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
# fmt: off
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
# fmt: on
_DATELINE = re.compile(r"^(.{3,45}?\s[-\u2013\u2014])\s")


@dataclass(frozen=True)
class Page:
    """One article page as a site renders it."""

    article: Article
    outlet: Outlet
    base: str  # the site's base URL
    canonical: str  # what <link rel="canonical"> names
    paragraphs: tuple[str, ...]  # the part of the text this page shows
    related: tuple[tuple[str, str], ...]  # (title, url) of other articles of the site
    pager: tuple[tuple[str, str], ...] = ()  # (label, url) links of a multi-page article
    charset: str = "utf-8"


@dataclass(frozen=True)
class Listing:
    """An index page: a list of articles, with a link to the next page if there is one."""

    outlet: Outlet
    base: str
    title: str
    url: str
    items: tuple[tuple[str, str, datetime], ...]  # (title, url, published)
    next_url: str | None = None
    extra_links: tuple[tuple[str, str], ...] = ()  # more (label, url) links in the list


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def long_date(moment: datetime) -> str:
    """'Senin, 17 November 2025 16:40 WIB'"""
    t = moment.astimezone(WIB)
    return f"{DAYS[t.weekday()]}, {t.day} {MONTHS[t.month - 1]} {t.year} {t:%H:%M} WIB"


def short_date(moment: datetime) -> str:
    """'17/11/2025, 16:40 WIB'"""
    return f"{moment.astimezone(WIB):%d/%m/%Y, %H:%M} WIB"


def paragraph_blocks(
    paragraphs, *, open_tag: str = "<p>", close_tag: str = "</p>", bold_dateline: bool = False
) -> list[str]:
    """Each paragraph in its markup; the dateline of the first may be set in bold."""
    blocks = []
    for i, text in enumerate(paragraphs):
        match = _DATELINE.match(text) if i == 0 and bold_dateline else None
        if match:
            body = f"<strong>{esc(match.group(1))}</strong> {esc(text[match.end() :])}"
        else:
            body = esc(text)
        blocks.append(f"{open_tag}{body}{close_tag}")
    return blocks


def interleave(blocks: list[str], inserts: dict[int, list[str]]) -> str:
    """The blocks with ``inserts[i]`` placed after block ``i`` (``-1``: before the first)."""
    out = list(inserts.get(-1, []))
    for i, block in enumerate(blocks):
        out.append(block)
        out.extend(inserts.get(i, []))
    return "\n".join(out)


def link_list(links, *, item: str = "li", cls: str = "") -> str:
    cls_attr = f' class="{cls}"' if cls else ""
    rows = "".join(
        f'<{item}><a href="{attr(url)}">{esc(title)}</a></{item}>' for title, url in links
    )
    return f"<ul{cls_attr}>{rows}</ul>"
