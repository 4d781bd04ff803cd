"""Analyst commands over the stored articles: search, clusters, show, stats.

Tables show times in WIB; ``--format json`` and ``csv`` give the stored values
(UTC ISO-8601) for other programs.
"""

from __future__ import annotations

import click
from sqlite_utils import Database

from storage.analytics import get_cluster, list_clusters, store_stats
from storage.database import StorageError
from storage.periods import to_wib
from storage.search import search_articles
from warta.commands.options import COUNT, config_options, open_config, open_existing_database
from warta.commands.output import emit_json, emit_rows, format_option

__all__ = ["COMMANDS"]

_WIB = {name: to_wib for name in ("published_at", "fetched_at", "first_seen", "last_seen",
                                     "last_published")}
_IN_WIB = "(times in WIB, UTC+7; json and csv give UTC)"


def _emit(rows, columns, fmt: str) -> None:
    """``emit_rows`` with times shown in WIB and a table saying so."""
    emit_rows(rows, columns, fmt, show=_WIB, footer=_IN_WIB)


_since = click.option("--since", metavar="DATE",
                      help="From this WIB day (YYYY-MM-DD) or time (ISO-8601).")
_until = click.option("--until", metavar="DATE",
                      help="Up to and including this WIB day (YYYY-MM-DD) or time.")


def _open(config_path: str, db_path: str | None) -> Database:
    return open_existing_database(open_config(config_path, db_path, required=False))


def _run(query, *args, **kwargs):
    """Call a storage query, turning bad arguments and storage failures into CLI errors."""
    try:
        return query(*args, **kwargs)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    except StorageError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command()
@config_options
@click.argument("words", nargs=-1, required=True)
@_since
@_until
@click.option("--source", metavar="NAME", help="Only this source.")
@click.option("--limit", type=COUNT, default=20, show_default=True,
              help="At most this many articles.")
@click.option("--all", "everything", is_flag=True,
              help="Also the stored articles that are not ministry coverage.")
@format_option()
def search(config_path, db_path, words, since, until, source, limit, everything, fmt):
    """Full-text search of the ministry coverage's titles and texts, best match first
    (with --all, of every stored article).

    All words must occur; "a quoted phrase" must occur as written; word* matches
    a prefix; OR works between terms; NOT word (or -word) leaves out every article
    with that word, wherever it stands; 1126 also finds 1.126. Example:
    warta search "pekerja migran" --since 2025-11-01 --source antaranews"""
    db = _open(config_path, db_path)
    rows = _run(search_articles, db, " ".join(words), since=since, until=until,
                source=source, limit=limit + 1, relevant_only=not everything)
    if len(rows) > limit:
        rows = rows[:limit]
        click.echo(f"the best {limit} matches; more with --limit", err=True)
    _emit(rows, ["id", "published_at", "source", "cluster_id", "title", "snippet", "url"]
              + (["relevant"] if everything else []), fmt)


@click.command()
@config_options
@_since
@_until
@click.option("--min-outlets", type=click.IntRange(0, 2**31), default=0, show_default=True,
              metavar="N", help="Only stories that N or more media outlets reported themselves "
                                "(a wire copy or the ministry's own site does not count).")
@click.option("--limit", type=COUNT, default=None,
              help="At most this many stories.")
@format_option()
def clusters(config_path, db_path, since, until, min_outlets, limit, fmt):
    """List stories (clusters of reports of one event), latest activity first.

    A story is listed when one of its articles is dated in the --since/--until period."""
    db = _open(config_path, db_path)
    rows = _run(list_clusters, db, since=since, until=until, min_outlets=min_outlets,
                limit=limit)
    _emit(rows, ["id", "last_seen", "first_seen", "outlet_count", "source_count", "article_count",
                 "first_source", "headline"], fmt)


@click.command()
@config_options
@click.argument("cluster_id", type=COUNT)
@format_option()
def show(config_path, db_path, cluster_id, fmt):
    """Show one story: its headline, first report, and every article in it, with the
    score that joined it to the story (cosine of weighted terms) and, for a copy, the
    article it copies and their estimated word-shingle similarity."""
    db = _open(config_path, db_path)
    cluster = _run(get_cluster, db, cluster_id)
    if cluster is None:
        raise click.ClickException(f"no story with id {cluster_id}")
    if fmt == "json":
        emit_json(cluster)
        return
    columns = ["id", "published_at", "source", "title", "cluster_score", "duplicate_of",
               "similarity", "url"]
    if fmt == "table":
        click.echo(f"story {cluster['id']}: {cluster['headline']}")
        click.echo(f"first seen {to_wib(cluster['first_seen'])} WIB ({cluster['first_source']}), "
                   f"last seen {to_wib(cluster['last_seen'])} WIB; "
                   f"{cluster['article_count']} article(s) "
                   f"from {cluster['source_count']} source(s)")
        if cluster["merged_into"] is not None:
            click.echo(f"merged into story {cluster['merged_into']}")
        click.echo()
    articles, show_as = cluster["articles"], {**_WIB, "cluster_score": _score, "similarity": _score}
    if fmt == "table":  # a date given without a time shows as its day alone
        articles = [{**a, "published_at": _published(a)} for a in articles]
        show_as["published_at"] = str
    emit_rows(articles, columns, fmt, footer=_IN_WIB, show=show_as)


def _published(article: dict) -> str:
    shown = to_wib(article["published_at"])
    return shown[:10] if article["published_precision"] == "day" else shown


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


@click.command()
@config_options
@format_option("table", "json")
def stats(config_path, db_path, fmt):
    """Figures for the whole database: articles, stories, sources, the latest run."""
    db = _open(config_path, db_path)
    figures = _run(store_stats, db)
    if fmt == "json":
        emit_json(figures)
        return
    for key in ("database", "size_bytes", "schema_version", "articles", "relevant",
                "duplicates", "stories", "errors"):
        click.echo(f"{key:<16}{figures[key]}")
    for key in ("first_published", "last_published", "last_fetched"):
        click.echo(f"{key:<16}{to_wib(figures[key])} WIB" if figures[key] else f"{key:<16}-")
    run = figures["last_run"]
    if run:
        click.echo(f"{'last_run':<16}{run['id']} {run['outcome']} "
                   f"(started {to_wib(run['started_at'])} WIB)")
    click.echo()
    _emit(figures["sources"], ["source", "official", "articles", "relevant", "stories",
                                   "last_published"], "table")


COMMANDS = [search, clusters, show, stats]
