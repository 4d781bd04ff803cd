"""What the daily digest reads for one WIB day, and the record of each digest sent.

A story is *active* on a day when one of its articles falls on that WIB day (its
publication time, or when it was first stored when the date is unknown), or when an
article of an earlier day was revised on it (``articles.revised_at``: a fetch again
found news). The day's crawls are the runs that started on it. An article is *late*
when it was first stored after the digest of its day last went out: the next digest to
go out names it. A revision made after the digest of its day last went out is named the
same way, among the updates of the next digest to go out. Delivery outcomes go to the
``digests`` table, failed deliveries also to ``errors`` (stage ``digest``).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from storage.articles import reported_at
from storage.database import stored_time, transaction, utc_now
from storage.periods import WIB, to_wib, utc_bounds
from storage.runs import record_error

__all__ = [
    "day_crawls",
    "day_stories",
    "delivered",
    "late_articles",
    "latest_day",
    "newest_deliveries",
    "record_digest",
    "term_document_counts",
    "unclustered_count",
]

_CHUNK = 500  # ids or terms per IN (...) query, well under SQLite's parameter limit
_AT = reported_at("a")


def _bounds(day: date) -> dict[str, str]:
    start, end = utc_bounds(day.isoformat(), day.isoformat())
    return {"start": start, "end": end}


def latest_day(db: Database) -> date | None:
    """The newest WIB day with a clustered article, else with a crawl run; None if neither.

    Times later than a day from now (a wrong date on a page) are not counted.
    """
    horizon = stored_time(datetime.now(UTC) + timedelta(days=1))
    row = next(db.query(
        f"""SELECT coalesce(
                (SELECT max({_AT}) FROM articles a
                 WHERE a.cluster_id IS NOT NULL AND {_AT} <= :horizon),
                (SELECT max(started_at) FROM crawl_runs)) AS latest""",
        {"horizon": horizon},
    ))
    if row["latest"] is None:
        return None
    moment = datetime.fromisoformat(row["latest"])
    return moment.astimezone(WIB).date()


def busiest_day(db: Database, days: int = 7) -> date | None:
    """Of the last ``days`` WIB days with stories, the one with the most (the newest on a
    tie): the day worth showing first. None when nothing is clustered."""
    row = next(db.query(
        """SELECT day FROM (SELECT day, count(*) AS stories FROM daily_clusters
                            GROUP BY day ORDER BY day DESC LIMIT :days)
           ORDER BY stories DESC, day DESC LIMIT 1""",
        {"days": days},
    ), None)
    return date.fromisoformat(row["day"]) if row else None


def day_stories(db: Database, day: date, official: Collection[str] = ()) -> list[dict]:
    """The stories active on WIB ``day``, each with all its articles (earliest first).

    A story row has the ``clusters`` columns and ``articles``: every article of
    the story on any day, with ``official`` (its source is marked official in
    ``sources`` or named in ``official``), ``at``
    (publication time, else first stored), ``today`` (on ``day``), ``revised_at``, ``revised``
    (of an earlier day, revised on ``day``, or earlier but after the digest of the day of
    its revision went out), ``duplicate_of``, ``matched_terms`` (a list) and ``text``
    (only for the day's articles and the revised ones, else '').
    """
    params = {**_bounds(day), "caught_up": json.dumps(_late_revisions(db, day))}
    stories = list(db.query(
        f"""SELECT c.id, c.headline, c.first_seen, c.last_seen, c.article_count,
                   c.source_count, c.representative_article_id, c.first_article_id
            FROM clusters c
            WHERE c.merged_into IS NULL AND c.id IN (
                SELECT a.cluster_id FROM articles a
                WHERE {_AT} >= :start AND {_AT} < :end AND a.cluster_id IS NOT NULL
                UNION SELECT a.cluster_id FROM articles a
                WHERE a.revised_at >= :start AND a.revised_at < :end
                  AND a.cluster_id IS NOT NULL
                UNION SELECT a.cluster_id FROM articles a, json_each(:caught_up) j
                WHERE a.id = j.value AND a.cluster_id IS NOT NULL)
            ORDER BY c.id""",
        params,
    ))
    by_id = {story["id"]: {**story, "articles": []} for story in stories}
    ids = list(by_id)
    for begin in range(0, len(ids), _CHUNK):
        chunk = ids[begin:begin + _CHUNK]
        rows = db.query(
            f"""SELECT a.id, a.cluster_id, a.source, coalesce(s.official, 0) AS official,
                       a.url, a.title,
                       a.published_at, a.published_precision, a.fetched_at, {_AT} AS at,
                       a.duplicate_of, a.matched_terms, a.revised_at,
                       ({_AT} >= :start AND {_AT} < :end) AS today,
                       ({_AT} < :start AND (a.revised_at >= :start AND a.revised_at < :end
                        OR a.id IN (SELECT value FROM json_each(:caught_up)))) AS revised,
                       CASE WHEN ({_AT} >= :start AND {_AT} < :end)
                                 OR (a.revised_at >= :start AND a.revised_at < :end)
                                 OR a.id IN (SELECT value FROM json_each(:caught_up))
                            THEN a.text ELSE '' END AS text
                FROM articles a LEFT JOIN sources s ON s.name = a.source
                WHERE a.cluster_id IN ({", ".join(f":c{i}" for i in range(len(chunk)))})
                ORDER BY at, a.id""",
            {**params, **{f"c{i}": story_id for i, story_id in enumerate(chunk)}},
        )
        for row in rows:
            row["official"] = bool(row["official"]) or row["source"] in official
            row["today"], row["revised"] = bool(row["today"]), bool(row["revised"])
            row["matched_terms"] = _json_list(row["matched_terms"])
            by_id[row.pop("cluster_id")]["articles"].append(row)
    return list(by_id.values())


def late_articles(db: Database, day: date, official: Collection[str] = ()) -> list[dict]:
    """The articles in a story that came in after the digest of their day last went out
    (sent, or written to a file: each delivery names what was stored before it), and
    after the newest digest of an
    earlier day than ``day`` went out, so that the digest of ``day`` is the first to name
    them; and no later than the digest of ``day`` itself first went out, so that the
    same digest made again names the same ones. Empty when no earlier digest went out.

    Rows as ``day_stories`` gives its articles (``today`` false, no ``text``), with
    ``cluster_id``, ``headline`` (the story's) and ``stored_at``; oldest first.
    """
    if (window := _catch_up_window(db, day)) is None:
        return []
    went_out, lower, upper = window
    rows = db.query(
        f"""SELECT a.id, a.cluster_id, c.headline, a.source,
                   coalesce(s.official, 0) AS official, a.url, a.title, a.published_at,
                   a.published_precision, a.fetched_at, a.stored_at, {_AT} AS at,
                   a.duplicate_of, a.matched_terms
            FROM articles a JOIN clusters c ON c.id = a.cluster_id
            LEFT JOIN sources s ON s.name = a.source
            WHERE a.stored_at > :lower AND (:upper IS NULL OR a.stored_at <= :upper)
              AND {_AT} < :start
            ORDER BY at, a.id""",
        {"lower": lower, "upper": upper, "start": _bounds(day)["start"]},
    )
    late = []
    for row in rows:
        its_day = date.fromisoformat(to_wib(row["at"])[:10])
        if not _first_to_name(went_out, its_day, row["stored_at"], day):
            continue
        row.update(official=bool(row["official"]) or row["source"] in official, today=False,
                   text="", matched_terms=_json_list(row["matched_terms"]))
        late.append(row)
    return late


def _late_revisions(db: Database, day: date) -> list[int]:
    """The ids of the articles revised before ``day`` but after the digest of the day of
    their revision last went out, in the window of :func:`_catch_up_window`: the digest
    of ``day`` is the first to name those revisions."""
    if (window := _catch_up_window(db, day)) is None:
        return []
    went_out, lower, upper = window
    rows = db.execute(
        """SELECT id, revised_at FROM articles
           WHERE revised_at > :lower AND (:upper IS NULL OR revised_at <= :upper)
             AND revised_at < :start""",
        {"lower": lower, "upper": upper, "start": _bounds(day)["start"]},
    ).fetchall()
    return sorted(article_id for article_id, revised_at in rows
                  if _first_to_name(went_out, date.fromisoformat(to_wib(revised_at)[:10]),
                                    revised_at, day))


def _first_to_name(went_out: dict[date, tuple[str, str]], its_day: date, moment: str,
                   day: date) -> bool:
    """Whether the digest of ``day`` is the first to name what came in at ``moment``
    (stored time) for ``its_day``: the digest of ``its_day`` went out, last before that
    moment, and no digest of a day between the two first went out after it (digests
    can go out out of day order: a missed day sent later)."""
    out = went_out.get(its_day)
    if out is None or moment <= out[1]:
        return False  # its day's digest never went out, or went out again with it
    return not any(its_day < other < day and first > moment
                   for other, (first, _) in went_out.items())


def _catch_up_window(db: Database, day: date) -> tuple[dict, str, str | None] | None:
    """What the digest of ``day`` names of what came in after an earlier day's digest
    went out: the delivery times (:func:`_delivery_times`) and the window, from when the
    newest digest of an earlier day first went out to when the digest of ``day`` itself
    first did (so the same digest made again names the same); None when no digest of an
    earlier day went out."""
    went_out = _delivery_times(db)
    earlier = [gone for gone in went_out if gone < day]
    if not earlier:
        return None
    return went_out, went_out[max(earlier)][0], (went_out[day][0] if day in went_out else None)


def _delivery_times(db: Database) -> dict[date, tuple[str, str]]:
    """For each WIB day whose digest went out, when it first and when it last did (UTC,
    stored format), over every format."""
    times_of: dict[date, list[str]] = {}
    for day, recorded in db.execute("SELECT day, delivered FROM digests"):
        times = [d.get("at") for d in _deliveries(recorded) if d.get("ok")]
        times = [t for t in times if isinstance(t, str) and t]
        try:
            key = date.fromisoformat(day)
        except (TypeError, ValueError):
            continue
        times_of.setdefault(key, []).extend(times)
    return {day: (min(times), max(times)) for day, times in times_of.items() if times}


def unclustered_count(db: Database, day: date) -> int:
    """Relevant articles of WIB ``day`` that belong to no story (yet)."""
    return next(db.query(
        f"""SELECT count(*) AS n FROM articles a
            WHERE a.relevant = 1 AND a.cluster_id IS NULL AND {_AT} >= :start AND {_AT} < :end""",
        _bounds(day),
    ))["n"]


def day_crawls(db: Database, day: date) -> dict:
    """The crawls that started on WIB ``day``: how many, their outcomes, and failed sources.

    ``failed_sources`` lists each source with failed URLs or recorded errors in
    those runs (worst first): ``source``, ``failed`` (distinct URLs),
    ``fetched``, ``errors``, ``stages`` (where it failed), ``reason`` (the commonest, the
    latest of equals) and ``other_reasons`` (how many different reasons besides).
    Errors not tied to a source appear under the source ``None``.
    """
    params = _bounds(day)
    runs = "SELECT id FROM crawl_runs WHERE started_at >= :start AND started_at < :end"
    outcomes = {row["outcome"]: row["n"] for row in db.query(
        f"""SELECT outcome, count(*) AS n FROM crawl_runs WHERE id IN ({runs})
            GROUP BY outcome ORDER BY n DESC, outcome""", params)}
    failed: dict[str | None, dict] = {}
    for row in db.query(
        f"""SELECT source, sum(failed) AS failed, sum(fetched) AS fetched
            FROM crawl_run_sources WHERE run_id IN ({runs}) GROUP BY source
            HAVING sum(failed) > 0""", params):
        failed[row["source"]] = {**row, "errors": 0, "stages": [], "reason": None,
                                 "other_reasons": 0}
    for row in db.query(
        f"""SELECT e.source, count(*) AS errors, count(DISTINCT e.url) AS urls,
                   group_concat(DISTINCT e.stage) AS stages,
                   count(DISTINCT e.reason) AS reasons,
                   (SELECT l.reason FROM errors l WHERE l.source IS e.source
                    AND l.run_id IN ({runs}) AND l.stage != 'digest'
                    GROUP BY l.reason ORDER BY count(*) DESC, max(l.id) DESC LIMIT 1) AS reason
            FROM errors e WHERE e.run_id IN ({runs}) AND e.stage != 'digest'
            GROUP BY e.source""", params):
        entry = failed.setdefault(row["source"], {"source": row["source"], "failed": 0,
                                                  "fetched": 0})
        entry.update(errors=row["errors"], stages=sorted(row["stages"].split(",")),
                     reason=row["reason"], other_reasons=row["reasons"] - 1)
        if row["urls"]:  # a URL that failed in each of the day's runs is one URL
            entry["failed"] = row["urls"]
    return {
        "runs": sum(outcomes.values()),
        "outcomes": outcomes,
        "failed_sources": sorted(failed.values(), key=lambda e: (-e["failed"], -e["errors"],
                                                                 e["source"] or "")),
    }


def term_document_counts(db: Database, terms: Iterable[str]) -> tuple[dict[str, int], int]:
    """How many stored articles contain each of ``terms``, and how many articles there are.

    Terms are looked up as the full-text index has them (lower case, diacritics
    removed); a term the index lacks is absent from the mapping.
    """
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.digest_vocab "
               "USING fts5vocab(main, 'articles_fts', 'row')")
    terms = list(dict.fromkeys(terms))
    counts: dict[str, int] = {}
    for begin in range(0, len(terms), _CHUNK):
        chunk = terms[begin:begin + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        counts.update(db.execute(
            f"SELECT term, doc FROM temp.digest_vocab WHERE term IN ({marks})", chunk).fetchall())
    total = next(db.query("SELECT count(*) AS n FROM articles"))["n"]
    return counts, total


def newest_deliveries(db: Database) -> dict[str, dict]:
    """Per delivery channel in use, the newest recorded delivery (a dict as
    :func:`record_digest` was given it) with the ``day`` of its digest. A channel that
    sends (any but ``file``) is in use when the newest digest sent went through it: one
    since taken out of the config, or the note that there was nothing to send to, is
    history."""
    newest: dict[str, dict] = {}
    in_use: set[str] = set()
    for day, delivered in db.execute("SELECT day, delivered FROM digests "
                                     "WHERE delivered IS NOT NULL ORDER BY created_at, day"):
        deliveries = _deliveries(delivered)
        for delivery in deliveries:
            newest[delivery.get("channel", "?")] = {**delivery, "day": day}
        in_use = {d.get("channel", "?") for d in deliveries} - {"file"} or in_use
    return {channel: delivery for channel, delivery in newest.items()
            if channel == "file" or channel in in_use}


def delivered(db: Database, day: date, fmt: str) -> list[dict]:
    """The deliveries that succeeded for the recorded digest of ``day`` in ``fmt``."""
    row = db.execute("SELECT delivered FROM digests WHERE day = ? AND format = ?",
                     (day.isoformat(), fmt)).fetchone()
    return [d for d in _deliveries(row[0] if row else None) if d.get("ok")]


def _deliveries(recorded: str | None) -> list[dict]:
    """The deliveries in a ``digests.delivered`` value (none if it is not the JSON list
    :func:`record_digest` writes)."""
    try:
        deliveries = json.loads(recorded) if recorded else []
    except ValueError:
        return []
    return [d for d in deliveries if isinstance(d, dict)] if isinstance(deliveries, list) else []


def record_digest(db: Database, day: date, fmt: str, path: str | None,
                  deliveries: list[dict]) -> None:
    """Record the digest of ``day`` in ``fmt``: where it was written and each delivery.

    ``deliveries`` are dicts with at least ``channel``, ``target``, ``ok`` and
    ``error``; each failed one is also added to ``errors`` (stage ``digest``).
    A digest made again for the same day and format updates the earlier record: each
    delivery replaces the earlier one through the same channel to the same target, the
    others are kept (a digest written to a file for a look is not sent again by the next
    ``--send``), and a new ``path`` replaces the old one.
    """
    with transaction(db):
        row = db.execute("SELECT path, delivered FROM digests WHERE day = ? AND format = ?",
                         (day.isoformat(), fmt)).fetchone()
        merged = {(d.get("channel"), d.get("target")): d
                  for d in _deliveries(row[1] if row else None)}
        merged.update(((d["channel"], d["target"]), d) for d in deliveries)
        db.execute(
            "INSERT OR REPLACE INTO digests(day, format, created_at, path, delivered) "
            "VALUES (?, ?, ?, ?, ?)",
            (day.isoformat(), fmt, utc_now(), path or (row[0] if row else None),
             json.dumps(list(merged.values()), ensure_ascii=False)),
        )
        for delivery in deliveries:
            if not delivery["ok"]:
                record_error(db, None, "digest", f"{delivery['channel']} delivery failed: "
                             f"{delivery['error']}", url=delivery["target"],
                             detail=f"digest {day.isoformat()} ({fmt}), "
                                    f"{delivery.get('attempts', 1)} attempt(s)")


def _json_list(value: str | None) -> list[str]:
    try:
        parsed = json.loads(value or "[]")
    except json.JSONDecodeError:
        return []
    return [str(v) for v in parsed] if isinstance(parsed, list) else []
