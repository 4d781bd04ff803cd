"""``warta extract`` (one page through the clean-text stage) and ``warta boilerplate``
(a site's learned template lines)."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import click
from scrapy.http import HtmlResponse

from crawler.paging import MAX_ARTICLE_PAGES, next_article_page
from crawler.urls import canonical_url
from pipelines.extraction.extract import extract_page
from storage.boilerplate import learned_lines, site_line_rows, site_summaries
from warta import __version__
from warta.commands.options import COUNT, config_options, open_config, open_existing_database
from warta.commands.output import emit_json, emit_rows, format_option
from warta.config import Config

__all__ = ["COMMANDS"]


def _read_page(path_or_url: str, config: Config) -> tuple[bytes, str | None, datetime | None]:
    """The page's bytes and, for a URL, the URL and the time it was fetched."""
    if path_or_url.startswith(("http://", "https://")):
        request = urllib.request.Request(
            path_or_url, headers={"User-Agent": f"warta/{__version__} (+{config.crawl.contact})"}
        )
        try:
            with urllib.request.urlopen(request, timeout=config.crawl.timeout) as response:
                data = response.read(config.crawl.max_page_bytes)
                return data, response.geturl(), datetime.now(UTC)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise click.ClickException(f"cannot fetch {path_or_url}: {exc}") from exc
    try:
        return Path(path_or_url).read_bytes(), None, None
    except OSError as exc:
        raise click.ClickException(f"cannot read {path_or_url}: {exc.strerror or exc}") from exc


def _more_pages(data: bytes, url: str | None, fetch: bool,
                config: Config) -> tuple[list[bytes], str | None]:
    """Pages 2..n of a multi-page article whose first page is ``data`` at ``url``, as
    the crawl follows them: fetched when ``fetch`` (a page given by URL), else none
    (a saved file); and the address of the first further page not read, if any."""
    if url is None:
        return [], None
    article, pages, seen = canonical_url(url), [], {url}
    following = next_article_page(HtmlResponse(url=url, body=data), article, 1)
    while fetch and following and following not in seen and len(seen) < MAX_ARTICLE_PAGES:
        try:
            page, page_url, _ = _read_page(following, config)
        except click.ClickException as exc:
            click.echo(f"warning: the article's page {len(seen) + 1} is missing: "
                       f"{exc.message}", err=True)
            return pages, following
        seen.add(following)
        pages.append(page)
        following = next_article_page(HtmlResponse(url=page_url, body=page), article, len(seen))
    return pages, following if following not in seen else None


@click.command()
@config_options
@click.argument("path_or_url")
@click.option("--url", metavar="URL", help="The page's own URL, for a saved file.")
@click.option("--site", metavar="NAME",
              help="Also drop this site's learned template lines (read from the database).")
@click.option("--fetched-at", type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ",
                                                  "%Y-%m-%d %H:%M", "%Y-%m-%d"]),
              help="When a saved file was fetched, UTC: relative dates such as '2 jam lalu' "
                   "count back from it (a URL is fetched now).")
@click.option("--text", "text_only", is_flag=True, help="Print only the clean text.")
def extract(config_path, db_path, path_or_url, url, site, fetched_at, text_only):
    """Extract the article of one page (a saved HTML file or a URL) as warta's
    crawl would, and print it as JSON: title, text, author, published (UTC) and
    where the date came from, language, site name, every removed line with the
    rule that removed it, and a note when the page gave no text.

    A URL of a multi-page article is followed to its last page, as the crawl does
    ("pages" read); for a saved file, "next_page" gives the address of the page
    after it, which is not read."""
    config = open_config(config_path, db_path, required=False)
    data, fetched_url, fetched = _read_page(path_or_url, config)
    if fetched_at:
        fetched = fetched_at.replace(tzinfo=UTC)
    learned = frozenset()
    if site:
        db = open_existing_database(config)
        try:
            learned = learned_lines(db, site)
        finally:
            db.close()
    more, next_page = _more_pages(data, url or fetched_url, fetched_url is not None, config)
    result = extract_page(data, url or fetched_url, learned_lines=learned, more_pages=more,
                          hints={"fetched_at": fetched and fetched.strftime("%Y-%m-%dT%H:%M:%SZ")})
    if text_only:
        click.echo(result.text)
    else:
        emit_json({**result.report(), "pages": 1 + len(more), "next_page": next_page})


@click.command()
@config_options
@click.option("--site", metavar="NAME", help="Show this site's lines (default: a summary of all sites).")
@click.option("--all", "show_all", is_flag=True, help="With --site: also the counted lines not learned.")
@click.option("--limit", type=COUNT, default=50, show_default=True,
              help="With --site: at most this many lines.")
@format_option()
def boilerplate(config_path, db_path, site, show_all, limit, fmt):
    """Show the template lines learned per site: lines that recur across many of
    a site's stored articles and are dropped from its later articles
    (rule "learned"). With --site, each line with the number of articles it was
    seen in and when."""
    db = open_existing_database(open_config(config_path, db_path, required=False))
    try:
        if site is None:
            emit_rows(site_summaries(db), ("source", "lines", "learned"), fmt)
            return
        rows = site_line_rows(db, site, learned_only=not show_all, limit=limit)
        if not rows and fmt == "table":
            click.echo(f"no {'counted' if show_all else 'learned'} lines for site {site!r}")
            return
        emit_rows(rows, ("learned", "doc_count", "first_seen", "last_seen", "line"), fmt)
    finally:
        db.close()


COMMANDS = [extract, boilerplate]
