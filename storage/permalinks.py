"""The article number a news address carries, which outlives a change of its headline.

Most news systems give each article a number and put it in every address of the
article beside a slug of the headline: ``/berita/d-7712345/menteri-...``,
``/read/2025/11/20/12345671/...``, ``/news/read/6123456/...``, ``/nasional/...-1234567``.
When an editor rewrites the headline the slug changes and the number stays, so one
article is reached at a second address. The number is the longest run of five or more
digits in the address's path and query that is not a calendar date (``20251120``);
among runs of one length, the first. Shorter runs are years, months and days. The
number alone proves nothing (a slug may hold a figure): a page is taken for a stored
article only when their texts agree too (``pipelines.identity``).
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

__all__ = ["article_number"]

_RUN = re.compile(r"(?<!\d)\d{5,}(?!\d)")


def article_number(url: str) -> str | None:
    """The article number of ``url``, or None when its address carries none."""
    parts = urlsplit(url)
    runs = [run for run in _RUN.findall(f"{parts.path}?{parts.query}") if not _is_date(run)]
    return max(runs, key=len) if runs else None


def _is_date(run: str) -> bool:
    if len(run) != 8 or run[:2] not in ("19", "20"):
        return False
    try:
        datetime.strptime(run, "%Y%m%d")
    except ValueError:
        return False
    return True
