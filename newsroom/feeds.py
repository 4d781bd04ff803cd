"""Feeds, sitemaps and robots.txt as the newsroom's sites publish them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

__all__ = ["Item", "atom", "broken", "news_sitemap", "robots", "rss", "sitemap", "sitemap_index"]


@dataclass(frozen=True)
class Item:
    title: str
    link: str
    published: datetime
    summary: str = ""
    source: str = ""  # the outlet's display name, in a search feed


def rss(title: str, link: str, items: list[Item], description: str = "") -> str:
    entries = "\n".join(
        f"<item><title>{escape(i.title)}</title><link>{escape(i.link)}</link>"
        f'<guid isPermaLink="true">{escape(i.link)}</guid>'
        f"<pubDate>{format_datetime(i.published)}</pubDate>"
        + (f"<description>{escape(i.summary)}</description>" if i.summary else "")
        + (f"<source url={quoteattr(i.link)}>{escape(i.source)}</source>" if i.source else "")
        + "</item>"
        for i in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>{escape(title)}</title><link>{escape(link)}</link><language>id</language>
<description>{escape(description or title)}</description>
{entries}
</channel></rss>
"""


def atom(title: str, link: str, feed_url: str, items: list[Item]) -> str:
    updated = max((i.published for i in items), default=None)
    entries = "\n".join(
        f'<entry><title>{escape(i.title)}</title><link rel="alternate" href={quoteattr(i.link)}/>'
        f"<id>{escape(i.link)}</id><published>{i.published.isoformat()}</published>"
        f"<updated>{i.published.isoformat()}</updated><summary>{escape(i.summary)}</summary></entry>"
        for i in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id">
<title>{escape(title)}</title><link href={quoteattr(link)}/><link rel="self" href={quoteattr(feed_url)}/>
<id>{escape(feed_url)}</id><updated>{updated.isoformat() if updated else ""}</updated>
{entries}
</feed>
"""


def sitemap(urls: list[tuple[str, datetime | None]]) -> str:
    return _locations("urlset", "url", urls)


def news_sitemap(items: list[Item], publication: str) -> str:
    rows = "\n".join(
        f"<url><loc>{escape(i.link)}</loc><news:news><news:publication><news:name>{escape(publication)}"
        f"</news:name><news:language>id</news:language></news:publication>"
        f"<news:publication_date>{i.published.isoformat()}</news:publication_date>"
        f"<news:title>{escape(i.title)}</news:title></news:news></url>"
        for i in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{rows}
</urlset>
"""


def sitemap_index(sitemaps: list[tuple[str, datetime | None]]) -> str:
    return _locations("sitemapindex", "sitemap", sitemaps)


def _locations(root: str, element: str, locations: list[tuple[str, datetime | None]]) -> str:
    """A sitemap or sitemap index: one ``element`` per (URL, last modified) pair."""
    rows = "\n".join(
        f"<{element}><loc>{escape(u)}</loc>"
        + (f"<lastmod>{t.isoformat()}</lastmod>" if t else "")
        + f"</{element}>"
        for u, t in locations
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{rows}
</{root}>
"""


def robots(disallow: list[str], sitemaps: list[str]) -> str:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallow), "Allow: /", ""]
    lines += [f"Sitemap: {url}" for url in sitemaps]
    return "\n".join(lines) + "\n"


def broken(feed: str) -> str:
    """A feed cut off in the middle of an item, as a failed upload leaves it."""
    cut = feed.find("</item>", feed.find("<item>")) + 40
    return feed[:cut].replace("&amp;", "&", 1)
