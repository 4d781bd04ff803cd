"""Read-only views of what is stored: story listings, one story, overall figures.

Stories are the ``clusters`` rows that have not been merged into another; their
counts are kept up to date by clustering as articles join them.
"""

from __future__ import annotations

import os

from sqlite_utils import Database

from storage.articles import reported_at
from storage.database import database_path
from storage.periods import utc_bounds
from storage.schema import schema_version

__all__ = ["get_cluster", "list_clusters", "store_stats"]

_CLUSTER_COLUMNS = ("c.id, c.headline, c.first_seen, c.last_seen, c.article_count, "
                    "c.source_count, c.outlet_count, c.first_source, c.representative_article_id")


def list_clusters(
    db: Database,
    *,
    since: str | None = None,
    until: str | None = None,
    min_outlets: int = 0,
    limit: int | None = None,
) -> list[dict]:
    """Stories active between ``since`` and ``until`` (WIB dates), latest activity first.

    A story is active in the period when one of its articles is dated in it
    (publication time, else fetch time). Each row has the columns of ``clusters`` a
    reader needs and the representative article's ``url``; ``min_outlets`` keeps
    stories that at least that many media outlets reported themselves
    (``clusters.outlet_count``: wire copies and official sources left out, as the
    digest counts them; 0: every story, a press release nobody took up too).
    """
    if min_outlets < 0:
        raise ValueError(f"min_outlets must be 0 or more, got {min_outlets}")
    start, end = utc_bounds(since, until)
    conditions = ["c.merged_into IS NULL", "c.outlet_count >= :min_outlets"]
    params: dict[str, object] = {"min_outlets": min_outlets, "limit": limit or -1,
                                 "start": start, "end": end}
    if start is not None:
        conditions.append("c.last_seen >= :start")
    if end is not None:
        conditions.append("c.first_seen < :end")
    if start is not None or end is not None:  # and not only between two of its reports
        conditions.append(
            "EXISTS (SELECT 1 FROM articles m WHERE m.cluster_id = c.id"
            " AND (:start IS NULL OR coalesce(m.published_at, m.fetched_at) >= :start)"
            " AND (:end IS NULL OR coalesce(m.published_at, m.fetched_at) < :end))")
    return list(db.query(
        f"""SELECT {_CLUSTER_COLUMNS}, a.url
            FROM clusters c LEFT JOIN articles a ON a.id = c.representative_article_id
            WHERE {' AND '.join(conditions)}
            ORDER BY c.last_seen DESC, c.id DESC LIMIT :limit""",
        params,
    ))


def get_cluster(db: Database, cluster_id: int) -> dict | None:
    """Story ``cluster_id`` with its articles in the order they were out (the rule of
    the story's first report, :func:`storage.articles.reported_at`), or None if there
    is none.

    A story merged into another has ``merged_into`` set and keeps no articles of
    its own; follow ``merged_into`` to reach them.
    """
    rows = list(db.query(f"SELECT {_CLUSTER_COLUMNS}, c.created_at, c.updated_at, "
                         "c.merged_into FROM clusters c WHERE c.id = ?", [cluster_id]))
    if not rows:
        return None
    cluster = rows[0]
    cluster["articles"] = list(db.query(
        f"""SELECT ca.article_id AS id, ca.source, ca.source_name, ca.official, ca.url,
                   ca.title, ca.published_at, a.published_precision, ca.fetched_at,
                   ca.duplicate_of, ca.similarity, ca.cluster_score, ca.is_representative
            FROM cluster_articles ca JOIN articles a ON a.id = ca.article_id
            WHERE ca.cluster_id = ?
            ORDER BY {reported_at('a')}, ca.article_id""",
        [cluster_id],
    ))
    return cluster


def store_stats(db: Database) -> dict:
    """Overall figures: totals, time span, per-source counts, the latest run."""
    totals = next(db.query(
        """SELECT count(*) AS articles, coalesce(sum(relevant), 0) AS relevant,
                  count(duplicate_of) AS duplicates,
                  min(published_at) AS first_published, max(published_at) AS last_published,
                  max(fetched_at) AS last_fetched
           FROM articles"""
    ))
    totals["stories"] = next(db.query(
        "SELECT count(*) AS n FROM clusters WHERE merged_into IS NULL"))["n"]
    totals["errors"] = next(db.query("SELECT count(*) AS n FROM errors"))["n"]
    path = database_path(db)
    return {
        "database": path,
        "size_bytes": os.path.getsize(path) if path and os.path.exists(path) else 0,
        "schema_version": schema_version(db),
        **totals,
        "sources": list(db.query(
            """SELECT s.name AS source, s.official, count(a.id) AS articles,
                      coalesce(sum(a.relevant), 0) AS relevant,
                      count(DISTINCT a.cluster_id) AS stories,
                      max(a.published_at) AS last_published
               FROM sources s LEFT JOIN articles a ON a.source = s.name
               GROUP BY s.name ORDER BY articles DESC, s.name"""
        )),
        "last_run": next(db.query(
            "SELECT id, started_at, finished_at, outcome, command FROM crawl_runs "
            "ORDER BY id DESC LIMIT 1"), None),
    }
