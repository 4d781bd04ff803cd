"""Article writes and the seen-URL checks the crawl makes before fetching.

An article is keyed by its canonical URL and keeps its id for life: fetching it
again (a re-check, or the same story reached through another URL) updates the
row in place. Every URL that was requested and led to it is kept in
``url_aliases``; ``seen_urls`` records what became of each URL the crawl tried,
so a later run knows what it need not fetch again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from storage.database import transaction, utc_now
from storage.permalinks import article_number
from storage.schema import STORY_OUTLETS

__all__ = [
    "NO_ARTICLE_TEXT",
    "SEEN_STATUSES",
    "add_aliases",
    "find_article",
    "given_up_urls",
    "mark_seen",
    "numbered_articles",
    "published_together",
    "reported_at",
    "reported_time",
    "save_article",
    "skip_urls",
    "sync_sources",
    "text_hash",
]

SEEN_STATUSES = ("stored", "failed", "refused", "gone")
_STORED = "%Y-%m-%dT%H:%M:%SZ"
_CHUNK = 500  # URLs per IN (...) query, well under SQLite's parameter limit

# Record keys written to same-named columns, as given.
_COLUMNS = (
    "url", "source", "title", "author", "published_at", "published_source",
    "published_precision", "fetched_at", "language", "site_name", "text", "text_hash",
    "word_count", "relevant", "relevance_score", "matched_terms", "cluster_id",
    "duplicate_of", "similarity", "cluster_score", "extraction_note",
)
# On an update a missing value keeps the stored one: a re-fetch that fails to
# find the date or the cluster must not erase what an earlier fetch found.
_KEPT_IF_MISSING = frozenset((
    "title", "author", "published_at", "published_source", "published_precision", "language",
    "site_name", "cluster_id", "duplicate_of", "similarity", "cluster_score",
))


def reported_at(alias: str = "") -> str:
    """SQL for the time an article is known to have been out, which reports are
    ordered by (``alias`` names the articles table in the query): its publication
    time; for a date without a time (``published_precision`` 'day', stored as the
    local midnight it names), when it was first stored if that was on the same day,
    else the day's last second, so that a day alone never comes before the timed
    reports of that day; when it has no date, the time it was first stored (a fetch
    again does not move it)."""
    a = f"{alias}." if alias else ""
    day_end = f"strftime('{_STORED}', {a}published_at, '+1 day', '-1 second')"
    return (f"(CASE WHEN {a}published_precision = 'day' AND {a}published_at IS NOT NULL "
            f"THEN max({a}published_at, min(coalesce({a}stored_at, {a}fetched_at), {day_end})) "
            f"ELSE coalesce({a}published_at, {a}stored_at, {a}fetched_at) END)")


def reported_time(published_at: str | None, precision: str | None,
                  fetched_at: str | None) -> str | None:
    """:func:`reported_at` of an article about to be stored, fetched at ``fetched_at``
    (the stored times are strings that compare as times)."""
    if precision != "day" or published_at is None:
        return published_at or fetched_at
    start = datetime.strptime(published_at, _STORED).replace(tzinfo=UTC)
    day_end = (start + timedelta(days=1, seconds=-1)).strftime(_STORED)
    return max(published_at, min(fetched_at or day_end, day_end))


def text_hash(text: str) -> str:
    """sha1 of ``text`` with case and whitespace normalised: equal for identical bodies."""
    normalized = " ".join(text.casefold().split())
    return hashlib.sha1(normalized.encode("utf-8")).hexdigest()


def sync_sources(db: Database, sources: Iterable[tuple[str, bool]]) -> None:
    """Make sure each configured ``(name, official)`` source has a ``sources`` row; a
    source marked official or no longer has the outlet counts of its stories redone."""
    with transaction(db):
        for name, official in sources:
            changed = db.execute(
                "INSERT INTO sources(name, official) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET official = excluded.official "
                "WHERE official IS NOT excluded.official",
                (name, int(official)),
            ).rowcount
            if changed:
                db.execute(f"UPDATE clusters SET outlet_count = {STORY_OUTLETS} "
                           "WHERE merged_into IS NULL AND id IN "
                           "(SELECT cluster_id FROM articles WHERE source = ?)", (name,))


def find_article(db: Database, urls: Iterable[str]) -> int | None:
    """The id of the stored article any of ``urls`` (canonical or alias) leads to."""
    urls = list(dict.fromkeys(urls))
    if not urls:
        return None
    marks = ", ".join("?" * len(urls))
    row = db.execute(
        f"SELECT id, 0 AS alias FROM articles WHERE url IN ({marks}) UNION ALL "
        f"SELECT article_id, 1 FROM url_aliases WHERE url IN ({marks}) ORDER BY alias LIMIT 1",
        [*urls, *urls],
    ).fetchone()
    return row[0] if row else None


def numbered_articles(db: Database, source: str, number: str) -> list[tuple[str, str]]:
    """The address and text of each stored article of ``source`` whose address carries
    the article number ``number`` (:func:`storage.permalinks.article_number`), oldest
    first."""
    return db.execute("SELECT url, coalesce(text, '') FROM articles WHERE url_number = ? "
                      "AND source = ? ORDER BY id", (number, source)).fetchall()


def published_together(db: Database, source: str, published_at: str) -> list[tuple[str, str]]:
    """The address and text of each stored article of ``source`` published at
    ``published_at`` whose address carries no article number, oldest first."""
    return db.execute("SELECT url, coalesce(text, '') FROM articles WHERE source = ? AND "
                      "published_at = ? AND url_number IS NULL ORDER BY id",
                      (source, published_at)).fetchall()


def save_article(db: Database, record: dict, run_id: int | None) -> int:
    """Insert or update the article ``record`` describes; return its id.

    ``record`` carries the article fields by name (an ``ArticleItem`` as a dict):
    ``url`` (canonical), ``source``, ``fetched_at`` and ``text`` are required, the
    others are stored as given; ``matched_terms`` is a list, ``requested_urls`` the
    URLs that led here. An article already reached by its canonical URL or by any
    of the requested URLs keeps its id and takes ``url`` as its address (the one it
    had becomes an alias); on such an update a missing (None) value or an empty
    text keeps what is stored. The article, its aliases and seen URLs
    are written atomically; call it inside the caller's ``transaction(db)`` to
    commit the cluster update with them. Raises ``StorageError`` if the write fails.
    """
    for key in ("url", "source", "fetched_at"):
        if not record.get(key):
            raise ValueError(f"save_article: record needs a non-empty {key!r}")
    values = {column: record.get(column) for column in _COLUMNS}
    text = record.get("text") or ""
    values["text"] = text
    values["text_hash"] = record.get("text_hash") or text_hash(text)
    values["word_count"] = record.get("word_count") or len(text.split())
    values["url_number"] = article_number(values["url"])
    values["relevant"] = int(bool(record.get("relevant")))
    values["relevance_score"] = float(record.get("relevance_score") or 0.0)
    values["matched_terms"] = json.dumps(list(record.get("matched_terms") or []),
                                         ensure_ascii=False)
    now = utc_now()
    values["updated_at"] = now
    values["run_id"] = run_id
    requested = [u for u in record.get("requested_urls") or [] if u]

    with transaction(db):
        db.execute(
            "INSERT INTO sources(name, display_name, first_seen, last_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET last_seen = excluded.last_seen, "
            "first_seen = coalesce(sources.first_seen, excluded.first_seen), "
            "display_name = coalesce(sources.display_name, excluded.display_name)",
            (values["source"], values["site_name"], now, now),
        )
        article_id = find_article(db, [values["url"], *requested])
        if article_id is None:
            values["stored_at"] = now
            columns = ", ".join(values)
            marks = ", ".join(f":{c}" for c in values)
            article_id = db.execute(
                f"INSERT INTO articles({columns}) VALUES ({marks})", values
            ).lastrowid
        else:
            (stored_url,) = db.execute("SELECT url FROM articles WHERE id = ?",
                                       (article_id,)).fetchone()
            if stored_url != values["url"]:  # its earlier address stays one of its addresses
                requested.append(stored_url)
                db.execute("DELETE FROM url_aliases WHERE url = ?", (values["url"],))
            if not text.strip():
                for column in ("text", "text_hash", "word_count"):
                    del values[column]
            elif _revised(db, article_id, values):
                values["revised_at"] = now
            assignments = ", ".join(map(_assignment, values))
            db.execute(f"UPDATE articles SET {assignments} WHERE id = :id",
                       {**values, "id": article_id})
        _record_seen(db, values["url"], values["source"], "stored", run_id, article_id, now)
        add_aliases(db, article_id, requested, values["source"], run_id)
    return article_id


def _revised(db: Database, article_id: int, values: dict) -> bool:
    """Whether ``values`` bring news to the stored article: a headline, or a paragraph
    (a line of its text), that it did not have. A text that only lost lines (boilerplate
    learned since, a trimmed paragraph) is no news."""
    title, text, stored_hash = db.execute(
        "SELECT title, text, text_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
    if values["title"] and _folded(values["title"]) != _folded(title or ""):
        return True
    if values["text_hash"] == stored_hash:
        return False
    had = set(map(_folded, text.splitlines()))
    return any(line not in had for line in map(_folded, values["text"].splitlines()) if line)


def _folded(line: str) -> str:
    return " ".join(line.casefold().split())


def _assignment(column: str) -> str:
    """How an update sets ``column`` (SQLite reads the stored row on the right)."""
    if column in ("published_at", "published_precision"):
        # a date read from the page's text again keeps the first reading: "2 jam lalu"
        # counts back from each fetch, and would move the time on every re-check
        return (f"{column} = CASE WHEN published_source = 'text' AND :published_source = "
                f"'text' AND published_at IS NOT NULL THEN {column} "
                f"ELSE coalesce(:{column}, {column}) END")
    return f"{column} = coalesce(:{column}, {column})" if column in _KEPT_IF_MISSING \
        else f"{column} = :{column}"


def add_aliases(db: Database, article_id: int, urls: Iterable[str], source: str | None,
                run_id: int | None) -> None:
    """Record ``urls`` as other URLs of stored article ``article_id``: they lead to it
    and are seen, so no later run fetches them again. Call it inside ``transaction(db)``."""
    now = utc_now()
    for url in dict.fromkeys(urls):
        db.execute(
            "INSERT INTO url_aliases(url, article_id) VALUES (?, ?) "
            "ON CONFLICT(url) DO UPDATE SET article_id = excluded.article_id",
            (url, article_id),
        )
        _record_seen(db, url, source, "stored", run_id, article_id, now)


def mark_seen(db: Database, url: str, source: str | None, status: str,
              run_id: int | None) -> None:
    """Record what became of ``url`` when it yielded no stored article.

    ``status`` is one of ``SEEN_STATUSES``. A failed re-fetch of a URL whose
    article is stored leaves it ``stored``: the article is not lost by a bad fetch.
    """
    if status not in SEEN_STATUSES:
        raise ValueError(f"mark_seen: status must be one of {', '.join(SEEN_STATUSES)}, "
                         f"got {status!r}")
    _record_seen(db, url, source, status, run_id, None, utc_now())


def _record_seen(db: Database, url: str, source: str | None, status: str,
                 run_id: int | None, article_id: int | None, now: str) -> None:
    db.execute(
        "INSERT INTO seen_urls(url, source, first_seen, last_fetched, status, article_id, run_id) "
        "VALUES (:url, :source, :now, :now, :status, :article_id, :run_id) "
        "ON CONFLICT(url) DO UPDATE SET last_fetched = excluded.last_fetched, "
        "run_id = excluded.run_id, source = coalesce(excluded.source, seen_urls.source), "
        "status = CASE WHEN excluded.status IN ('failed', 'refused') AND seen_urls.status = 'stored' "
        "THEN 'stored' ELSE excluded.status END, "
        "article_id = coalesce(excluded.article_id, seen_urls.article_id)",
        {"url": url, "source": source, "now": now, "status": status,
         "article_id": article_id, "run_id": run_id},
    )


def given_up_urls(db: Database, urls: Iterable[str], refused_since_iso: str) -> set[str]:
    """The URLs among ``urls`` that the site last refused (``refused``: a page too large,
    a login wall, an HTTP 403) and that were first fetched before ``refused_since_iso``
    with no success since: asking again on every run would only get the same answer."""
    urls = list(dict.fromkeys(urls))
    given_up: set[str] = set()
    for start in range(0, len(urls), _CHUNK):
        chunk = urls[start:start + _CHUNK]
        rows = db.execute(
            f"SELECT url FROM seen_urls WHERE url IN ({', '.join('?' * len(chunk))}) "
            "AND status = 'refused' AND first_seen < ?",
            [*chunk, refused_since_iso],
        )
        given_up.update(url for (url,) in rows)
    return given_up


NO_ARTICLE_TEXT = "no article text found"  # the extraction note of a page with none


def skip_urls(db: Database, urls: Iterable[str], recheck_cutoff_iso: str | None,
              modified: Mapping[str, str] | None = None,
              gone_since_iso: str | None = None,
              empty_since_iso: str | None = None) -> set[str]:
    """The URLs among ``urls`` that need no fetch this run.

    Skipped: URLs marked ``gone`` first seen before ``gone_since_iso`` (a listing may
    name an article before its page is live: a 404 since then is asked again), and
    URLs (canonical or alias) of stored articles (relevant or not), except relevant
    articles whose publication time (when unknown, the time the article was first
    stored: each fetch again moves its fetch time) is at or after
    ``recheck_cutoff_iso`` -- those are inside the re-check window and are fetched
    again for updates -- and articles last fetched
    before the time ``modified`` gives their URL (a sitemap's lastmod: the site says
    the page changed since), and articles stored without text, where extraction found
    none (``NO_ARTICLE_TEXT``: not a listing of other pages), first stored at or after
    ``empty_since_iso`` (a page that needs JavaScript, a bot check or a redirect by
    script stood where the article was: it is asked for again until then). With no
    cutoff every stored article is skipped unless modified. ``failed`` and ``refused``
    URLs and unknown ones are fetched (but see :func:`given_up_urls`).
    """
    modified = modified or {}
    urls = list(dict.fromkeys(urls))
    skip: set[str] = set()
    for start in range(0, len(urls), _CHUNK):
        chunk = urls[start:start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"""SELECT s.url, s.status, NULL, NULL, NULL, 0 FROM seen_urls s
                WHERE s.url IN ({marks}) AND s.status = 'gone'
                  AND (? IS NULL OR s.first_seen < ?)
            UNION ALL
            SELECT k.url, 'stored', a.relevant, coalesce(a.published_at, a.stored_at), a.fetched_at,
                   a.text = '' AND instr(coalesce(a.extraction_note, ''), ?) > 0
                   AND ? IS NOT NULL AND coalesce(a.stored_at, a.fetched_at) >= ?
            FROM (SELECT url, id AS article_id FROM articles WHERE url IN ({marks})
                  UNION ALL
                  SELECT url, article_id FROM url_aliases WHERE url IN ({marks})) k
            JOIN articles a ON a.id = k.article_id""",
            [*chunk, gone_since_iso, gone_since_iso, NO_ARTICLE_TEXT, empty_since_iso,
             empty_since_iso, *chunk, *chunk],
        )
        for url, status, relevant, when, fetched, empty in rows:
            in_window = (recheck_cutoff_iso is not None and relevant
                         and when is not None and when >= recheck_cutoff_iso)
            changed = url in modified and fetched is not None and fetched < modified[url]
            if status != "stored" or not (in_window or changed or empty):
                skip.add(url)
    return skip
