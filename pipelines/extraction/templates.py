"""Site-template learning: a line that recurs across many articles of one site is
that site's boilerplate, caught in later articles without a code change.

Pure logic; the counts live in the ``site_lines`` table (storage/boilerplate.py).
A line is learned when it was seen in at least ``MIN_ARTICLES`` distinct articles
of the site *and* in at least ``MIN_SHARE`` of the site's articles stored since
it first appeared. Template lines (a promo, a sign-off) stand in nearly every
article of a template, so a new promo is learned after a handful of articles,
while a sentence that several reports of one story share falls below the share
as soon as the site publishes on other subjects. The count floor keeps one
morning's burst of a story from deciding alone.

Some content legitimately repeats and is never learned: a dateline ("Jakarta
(ANTARA) -") and a line that is mostly quotation (a minister's standard closing
words are news each time they are reported). Long lines are paragraphs; they are
not recorded at all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from pipelines.extraction.rules import Rules, fold

__all__ = [
    "MAX_LINE_CHARS",
    "MIN_ARTICLES",
    "MIN_SHARE",
    "is_learned",
    "line_key",
    "template_candidates",
]

MIN_ARTICLES = 5
MIN_SHARE = 0.5
MAX_LINE_CHARS = 300  # kompas's WhatsApp promo, one of the longest, is ~230
MIN_LINE_CHARS = 4
QUOTE_SHARE = 0.5
_DIGITS = re.compile(r"\d+")
_QUOTED = re.compile(r"[“\"«„](.+?)[”\"»]")


def line_key(line: str) -> str:
    """A stable key for ``line``: case, spacing and numbers (years, counts) ignored,
    so "Copyright © 2025" and "COPYRIGHT ©  2026" are one line."""
    return hashlib.sha1(_DIGITS.sub("0", fold(line)).encode("utf-8")).hexdigest()[:16]


def _mostly_quote(line: str) -> bool:
    quoted = sum(len(m.group(1)) for m in _QUOTED.finditer(line))
    return quoted >= QUOTE_SHARE * len(line)


def template_candidates(lines: Iterable[str], rules: Rules) -> tuple[str, ...]:
    """The lines of one article worth counting for its site, one per key."""
    seen: dict[str, str] = {}
    for line in lines:
        if not MIN_LINE_CHARS <= len(line) <= MAX_LINE_CHARS or not re.search(r"[^\W\d_]", line):
            continue
        if rules.dateline.match(line) or _mostly_quote(line):
            continue
        seen.setdefault(line_key(line), line)
    return tuple(seen.values())


def is_learned(doc_count: int, site_articles: int) -> bool:
    """Is a line seen in ``doc_count`` articles, of the ``site_articles`` the site
    has had since the line first appeared, part of the site's template?"""
    return doc_count >= MIN_ARTICLES and doc_count >= MIN_SHARE * max(site_articles, doc_count)
