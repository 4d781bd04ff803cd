"""Per-site line statistics and the template lines learned from them (``site_lines``).

One row per site and normalised line (``line_hash`` is
``pipelines.extraction.templates.line_key``): in how many distinct articles of
the site the line stood (``doc_count``), when it was first and last seen, and
whether it is learned boilerplate (``learned`` = 1). The share a line needs
(``templates.is_learned``) is measured against the site's articles stored since
the line first appeared, so a changed template is learned again within a few
articles while older history does not dilute it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from pipelines.extraction.templates import MIN_ARTICLES, is_learned, line_key
from storage.database import transaction, utc_now

__all__ = ["learned_lines", "record_lines", "site_line_rows", "site_summaries"]


def record_lines(db: Database, source: str, lines: Iterable[str], seen_at: str | None = None) -> None:
    """Count ``lines`` (the template candidates of one article of ``source``,
    fetched at ``seen_at``, UTC ISO-8601) and update which lines are learned.

    Call it once per article, after the article is stored: the stored articles
    are what a line's share is measured against."""
    seen_at = seen_at or utc_now()
    keyed = {line_key(line): line for line in lines}
    if not keyed:
        return
    with transaction(db):
        for key, line in keyed.items():
            db.execute(
                "INSERT INTO site_lines(source, line_hash, line, doc_count, first_seen, last_seen, learned) "
                "VALUES (?, ?, ?, 1, ?, ?, 0) "
                "ON CONFLICT(source, line_hash) DO UPDATE SET doc_count = doc_count + 1, "
                "first_seen = min(first_seen, excluded.first_seen), "
                "last_seen = max(last_seen, excluded.last_seen)",
                (source, key, line, seen_at, seen_at),
            )
        marks = ", ".join("?" * len(keyed))
        rows = db.execute(
            f"SELECT line_hash, doc_count, first_seen, learned FROM site_lines "
            f"WHERE source = ? AND doc_count >= ? AND line_hash IN ({marks})",
            [source, MIN_ARTICLES, *keyed],
        ).fetchall()
        for key, doc_count, first_seen, learned in rows:
            (stored,) = db.execute(
                "SELECT count(*) FROM articles WHERE source = ? AND fetched_at >= ?",
                (source, first_seen),
            ).fetchone()
            now_learned = int(is_learned(doc_count, stored))
            if now_learned != learned:
                db.execute(
                    "UPDATE site_lines SET learned = ? WHERE source = ? AND line_hash = ?",
                    (now_learned, source, key),
                )


def learned_lines(db: Database, source: str) -> frozenset[str]:
    """The line keys learned as ``source``'s boilerplate."""
    rows = db.execute(
        "SELECT line_hash FROM site_lines WHERE source = ? AND learned = 1", (source,)
    ).fetchall()
    return frozenset(row[0] for row in rows)


def site_line_rows(db: Database, source: str, *, learned_only: bool = False,
                   limit: int = 50) -> list[dict]:
    """``source``'s most frequent lines, learned ones first: line, line_hash,
    doc_count, first_seen, last_seen, learned."""
    where = "source = ?" + (" AND learned = 1" if learned_only else "")
    return list(db.query(
        f"SELECT line, line_hash, doc_count, first_seen, last_seen, learned FROM site_lines "
        f"WHERE {where} ORDER BY learned DESC, doc_count DESC, line LIMIT ?",
        (source, limit),
    ))


def site_summaries(db: Database) -> list[dict]:
    """Per site: lines counted and lines learned."""
    return list(db.query(
        "SELECT source, count(*) AS lines, sum(learned) AS learned FROM site_lines "
        "GROUP BY source ORDER BY source"
    ))
