"""The one item that flows through warta's pipelines: a fetched article page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ArticleItem:
    """A fetched article page and what the pipelines learn about it.

    The spider fills the fetch fields; extraction, relevance and clustering fill
    theirs in turn; the storage pipeline writes the result. Read it through
    ``ItemAdapter`` outside the pipelines that own a field.
    """

    # set by the spider
    url: str  # canonical URL (rel=canonical wins over the requested URL)
    source: str
    html: str
    fetched_at: str  # UTC ISO-8601
    more_pages: list[str] = field(
        default_factory=list
    )  # html of pages 2..n of a multi-page article
    requested_urls: list[str] = field(default_factory=list)
    status: int = 200
    hint_published: str | None = None  # from a feed or sitemap, UTC ISO-8601 or a day alone
    hint_title: str | None = None
    discovered_via: str | None = None
    own_url: str | None = None  # the fetched URL's canonical form, when the page declared another
    # set by extraction
    title: str | None = None
    text: str = ""
    author: str | None = None
    published_at: str | None = None
    published_source: str | None = None
    published_precision: str | None = None  # day (a date without a time) | time
    language: str | None = None
    site_name: str | None = None
    removed_lines: list[dict] = field(default_factory=list)  # {"line": ..., "rule": ...}
    extraction_note: str | None = None
    listing: bool = False  # a page listing other pages, kept with no text: never coverage
    # set by relevance
    relevant: bool = False
    relevance_score: float = 0.0
    matched_terms: list[str] = field(default_factory=list)
    # set by clustering
    text_hash: str | None = None
    duplicate_of: int | None = None
    similarity: float | None = None
    cluster_id: int | None = None
    cluster_score: float | None = None
    clustering: dict | None = (
        None  # what storage needs to persist the decision (signatures, features)
    )
