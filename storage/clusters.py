"""Story-cluster state in SQLite: signatures, term frequencies, cluster records, overrides.

The crawl's storage stage writes an article and then calls :func:`apply_decision`
with the clustering decision, inside the same ``transaction(db)``: the article, its
signatures, the document frequencies and its story's record commit together. At the
start of a crawl :func:`load_clusterer` rebuilds the clusterer as a continuous run
would have left it. Analysts correct stories with :func:`merge_clusters` and
:func:`split_article`; both are recorded in ``cluster_overrides`` and respected by
later runs. Articles are keyed in the clusterer by their canonical URL.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime

from sqlite_utils import Database

from pipelines.clustering.clusterer import Clusterer
from pipelines.clustering.explain import nearest_members
from pipelines.clustering.index import load_signature
from pipelines.clustering.params import FEATURES_VERSION, ClusterParams
from pipelines.clustering.state import Decision, Doc, StoredArticle
from storage.articles import reported_at
from storage.database import StorageError, stored_time, transaction, utc_now
from storage.schema import STORY_OUTLETS, WIB_DAY

__all__ = [
    "TermTally",
    "apply_decision",
    "cluster_records",
    "explain_article",
    "find_article_id",
    "load_clusterer",
    "merge_clusters",
    "split_article",
]

_REPORTED = reported_at()


def _epoch(value: str | None) -> float | None:
    if not value:
        return None
    return datetime.fromisoformat(value).timestamp()


def _iso(epoch: float) -> str:
    return stored_time(datetime.fromtimestamp(epoch, UTC))


def _id_of(db: Database, key: str | None) -> int | None:
    if key is None:
        return None
    row = db.execute("SELECT id FROM articles WHERE url = ?", (key,)).fetchone()
    return row[0] if row else None


class TermTally:
    """Document frequencies of articles written in one transaction, added to
    ``cluster_terms`` and ``cluster_languages`` together: one statement per distinct
    term, not one per term of each article (most words of a batch are shared)."""

    def __init__(self) -> None:
        self.terms: Counter[tuple[str, str]] = Counter()  # (language, term) -> articles
        self.documents: Counter[str] = Counter()  # language -> articles

    def add(self, features: dict) -> None:
        """Count one more article with the terms of its stored ``features``."""
        language = features.get("language", "")
        self.terms.update((language, term) for term in features.get("terms", {}))
        self.documents[language] += 1

    def update(self, other: TermTally) -> None:
        self.terms.update(other.terms)
        self.documents.update(other.documents)

    def write(self, db: Database) -> None:
        """Add the tally to the stored frequencies (inside the caller's transaction)."""
        db.conn.executemany(
            "INSERT INTO cluster_terms(language, term, df) VALUES (?, ?, ?) "
            "ON CONFLICT(language, term) DO UPDATE SET df = df + excluded.df",
            sorted((language, term, df) for (language, term), df in self.terms.items()),
        )
        db.conn.executemany(
            "INSERT INTO cluster_languages(language, documents) VALUES (?, ?) "
            "ON CONFLICT(language) DO UPDATE SET documents = documents + excluded.documents",
            sorted(self.documents.items()),
        )


def apply_decision(db: Database, article_id: int, decision: Decision | dict, *,
                   count_terms: bool = True) -> TermTally:
    """Persist a clustering decision for the stored article ``article_id``.

    ``decision`` is the ``Decision`` or its ``to_record()`` dict (``item.clustering``).
    Call it right after writing the article, inside the same ``transaction(db)``. It
    writes the article's cluster columns, its signatures and features, the document
    frequencies, any stories the article merged and copies it now heads, and
    refreshes the record of its story. Other articles are named by URL. Returns the
    article's document frequencies; without ``count_terms`` they are not written here,
    for the caller to gather over a batch and write with :meth:`TermTally.write` before
    its transaction commits.
    """
    record = decision.to_record() if isinstance(decision, Decision) else decision
    now = utc_now()
    with transaction(db):
        if record["features"] is not None:
            _save_signatures(db, article_id, record, now)
        counted = TermTally()
        if record["kind"] != "update":
            counted.add(record["features"] or {})
            if count_terms:
                counted.write(db)
        cluster_id = record["cluster_id"]
        db.execute("INSERT OR IGNORE INTO clusters(id, created_at, updated_at) VALUES (?, ?, ?)",
                   (cluster_id, now, now))
        for dropped, kept in record["merged"]:
            _fold(db, dropped, kept, now)
        duplicate_of = _id_of(db, record["duplicate_of"])
        if duplicate_of == article_id:
            duplicate_of = None
        db.execute(
            "UPDATE articles SET cluster_id = ?, duplicate_of = ?, similarity = ?, "
            "cluster_score = ?, text_hash = ? WHERE id = ?",
            (cluster_id, duplicate_of, record["similarity"] if duplicate_of else None,
             record["score"], record["text_hash"], article_id),
        )
        for key, similarity in record["reparented"].items():
            former = _id_of(db, key)
            if former is None or former == article_id:
                continue
            db.execute("UPDATE articles SET duplicate_of = ? WHERE duplicate_of = ?",
                       (article_id, former))
            db.execute("UPDATE articles SET duplicate_of = ?, similarity = ? WHERE id = ?",
                       (article_id, similarity, former))
        _refresh(db, cluster_id, _id_of(db, record["representative"]), now)
        for kept in {kept for _, kept in record["merged"]} - {cluster_id}:
            _refresh(db, live_cluster(db, kept), None, now)
    return counted


def _save_signatures(db: Database, article_id: int, record: dict, now: str) -> None:
    num_perm, seed, scheme = record["signer"]
    db.execute(
        "INSERT INTO signatures(article_id, num_perm, seed, scheme, shingle_sig, story_sig, "
        "features, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(article_id) DO "
        "UPDATE SET num_perm = excluded.num_perm, seed = excluded.seed, scheme = excluded.scheme, "
        "shingle_sig = excluded.shingle_sig, story_sig = excluded.story_sig, "
        "features = excluded.features",
        (article_id, num_perm, seed, scheme, record["shingle_sig"], record["story_sig"],
         json.dumps(record["features"], ensure_ascii=False), now),
    )


def _fold(db: Database, dropped: int, kept: int, now: str) -> None:
    """Move every article of cluster ``dropped`` into ``kept``; ``dropped`` stays as a
    record pointing to ``kept``."""
    db.execute("UPDATE articles SET cluster_id = ? WHERE cluster_id = ?", (kept, dropped))
    db.execute("UPDATE clusters SET merged_into = ?, article_count = 0, source_count = 0, "
               "outlet_count = 0, updated_at = ? WHERE id = ?", (kept, now, dropped))
    db.execute("UPDATE clusters SET merged_into = ? WHERE merged_into = ?", (kept, dropped))


def _refresh(db: Database, cluster_id: int, representative: int | None, now: str) -> None:
    """Recompute a story's record from its articles."""
    first = db.execute(
        f"SELECT id, source, {_REPORTED} FROM articles WHERE cluster_id = ? "
        f"ORDER BY {_REPORTED}, id LIMIT 1", (cluster_id,),
    ).fetchone()
    if first is None:
        db.execute("UPDATE clusters SET article_count = 0, source_count = 0, outlet_count = 0, "
                   "updated_at = ? WHERE id = ?", (now, cluster_id))
        return
    current = db.execute("SELECT representative_article_id FROM clusters WHERE id = ?",
                         (cluster_id,)).fetchone()
    if representative is None or not _member(db, representative, cluster_id):
        representative = current[0] if current and _member(db, current[0], cluster_id) else first[0]
    db.execute(
        f"""UPDATE clusters SET
            article_count = (SELECT count(*) FROM articles WHERE cluster_id = :id),
            source_count = (SELECT count(DISTINCT source) FROM articles WHERE cluster_id = :id),
            outlet_count = {STORY_OUTLETS},
            first_seen = :first_seen,
            last_seen = (SELECT max({_REPORTED}) FROM articles WHERE cluster_id = :id),
            first_article_id = :first, first_source = :first_source,
            representative_article_id = :representative,
            headline = (SELECT title FROM articles WHERE id = :representative),
            updated_at = :now
        WHERE id = :id""",
        {"id": cluster_id, "first": first[0], "first_source": first[1], "first_seen": first[2],
         "representative": representative, "now": now},
    )


def _member(db: Database, article_id: int | None, cluster_id: int) -> bool:
    return article_id is not None and db.execute(
        "SELECT 1 FROM articles WHERE id = ? AND cluster_id = ?", (article_id, cluster_id)
    ).fetchone() is not None


def load_clusterer(db: Database, params: ClusterParams | None = None) -> Clusterer:
    """The clusterer as the stored state leaves it: the articles of the time window
    (and the ``window_articles`` newest),
    the document frequencies, the next cluster id, and analysts' splits.

    Signatures made with another ``num_perm``, seed, permutation scheme or feature
    version are recomputed from the stored article text and saved.
    """
    params = params or ClusterParams()
    _resign_stale(db, params)
    frequencies: dict[str, dict[str, int]] = {}
    for language, term, df in db.execute("SELECT language, term, df FROM cluster_terms"):
        frequencies.setdefault(language, {})[term] = df
    newest = db.execute(
        "SELECT max(coalesce(a.published_at, a.fetched_at)) FROM signatures s "
        "JOIN articles a ON a.id = s.article_id").fetchone()[0]
    watermark = _epoch(newest)
    horizon = _iso(watermark - params.window_days * 86400.0) if watermark else ""
    rows = db.execute(
        f"""SELECT a.id, a.url, a.source,
                  CASE WHEN a.published_precision = 'day' THEN {reported_at('a')}
                       ELSE a.published_at END,
                  a.fetched_at, a.text_hash,
                  a.cluster_id, d.url, a.cluster_score, a.similarity, s.features,
                  s.shingle_sig, s.story_sig
        FROM signatures s JOIN articles a ON a.id = s.article_id
        LEFT JOIN articles d ON d.id = a.duplicate_of
        WHERE a.cluster_id IS NOT NULL AND (coalesce(a.published_at, a.fetched_at, '') >= ?
              OR a.id IN (SELECT n.id FROM signatures t JOIN articles n ON n.id = t.article_id
                          WHERE n.cluster_id IS NOT NULL
                          ORDER BY coalesce(n.published_at, n.fetched_at, '') DESC, n.id DESC
                          LIMIT ?))
        ORDER BY a.id""", (horizon, params.window_articles),
    ).fetchall()
    articles = [
        StoredArticle(key=url, source=source, published=_epoch(published),
                      seen=_epoch(fetched), text_hash=thash or "", cluster_id=cluster_id,
                      duplicate_of=duplicate_url, score=score, similarity=similarity,
                      features=json.loads(features or "{}"),
                      shingle_sig=load_signature(shingle), story_sig=load_signature(story))
        for (_, url, source, published, fetched, thash, cluster_id, duplicate_url, score,
             similarity, features, shingle, story) in rows
    ]
    # the loaded articles are the newest: the next one in that order is the newest that left
    gone = db.execute(
        "SELECT coalesce(a.published_at, a.fetched_at) FROM signatures s JOIN articles a "
        "ON a.id = s.article_id WHERE a.cluster_id IS NOT NULL ORDER BY "
        "coalesce(a.published_at, a.fetched_at, '') DESC, a.id DESC LIMIT 1 OFFSET ?",
        (len(rows),)).fetchone()
    next_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM clusters").fetchone()[0]
    apart = db.execute("SELECT cluster_a, cluster_b FROM cluster_overrides WHERE kind = 'split' "
                       "AND cluster_a IS NOT NULL AND cluster_b IS NOT NULL").fetchall()
    merged = dict(db.execute("SELECT id, merged_into FROM clusters "
                             "WHERE merged_into IS NOT NULL").fetchall())
    return Clusterer.restore(params, articles, frequencies, _documents(db), next_id,
                             [tuple(pair) for pair in apart], merged, watermark,
                             _epoch(gone[0]) if gone else None)


def _resign_stale(db: Database, params: ClusterParams) -> None:
    """Recompute signatures and features that this version cannot compare with its own."""
    stale = db.execute(
        "SELECT s.article_id, a.url, a.title, a.text, s.features FROM signatures s "
        "JOIN articles a ON a.id = s.article_id WHERE s.num_perm != ? OR s.seed != ? "
        "OR s.scheme != ? OR coalesce(json_extract(s.features, '$.v'), 0) != ? ORDER BY a.id",
        (params.num_perm, params.seed, params.scheme, FEATURES_VERSION),
    ).fetchall()
    if not stale:
        return
    signer = Clusterer(params)
    with transaction(db):
        for article_id, url, title, text, old_features in stale:
            fresh = signer.assign(Doc(key=url, title=title or "", text=text or "")).to_record()
            fresh["features"]["nearest"] = json.loads(old_features or "{}").get("nearest")
            db.execute(
                "UPDATE signatures SET num_perm = ?, seed = ?, scheme = ?, shingle_sig = ?, "
                "story_sig = ?, features = ? WHERE article_id = ?",
                (params.num_perm, params.seed, params.scheme, fresh["shingle_sig"],
                 fresh["story_sig"], json.dumps(fresh["features"], ensure_ascii=False), article_id),
            )
        _recount_terms(db)


def _recount_terms(db: Database) -> None:
    """Count the document frequencies again from every article's stored features (after
    features were recomputed, whose terms or language may differ)."""
    language = "coalesce(json_extract(s.features, '$.language'), '')"
    db.execute("DELETE FROM cluster_terms")
    db.execute("DELETE FROM cluster_languages")
    db.execute(f"INSERT INTO cluster_terms(language, term, df) SELECT {language}, t.key, count(*) "
               "FROM signatures s, json_each(s.features, '$.terms') t GROUP BY 1, 2")
    db.execute(f"INSERT INTO cluster_languages(language, documents) SELECT {language}, count(*) "
               "FROM signatures s GROUP BY 1")


def _documents(db: Database) -> dict[str, int]:
    """The number of clustered articles of each language."""
    return dict(db.execute("SELECT language, documents FROM cluster_languages").fetchall())


def find_article_id(db: Database, reference: str) -> int:
    """The id of the article ``reference`` names (an id or a URL); StorageError if none."""
    row = None
    if reference.isascii() and reference.isdigit() and int(reference) < 2**63:
        row = db.execute("SELECT id FROM articles WHERE id = ?", (int(reference),)).fetchone()
    if row is None:
        row = db.execute("SELECT id FROM articles WHERE url = ? UNION ALL SELECT article_id "
                         "FROM url_aliases WHERE url = ? LIMIT 1", (reference, reference)).fetchone()
    if row is None:
        raise StorageError(f"no article {reference!r} (give an article id or its URL)")
    return row[0]


def live_cluster(db: Database, cluster_id: int) -> int:
    """The story ``cluster_id`` lives on as: itself, or the one it was merged into."""
    seen = set()
    while True:
        row = db.execute("SELECT merged_into FROM clusters WHERE id = ?", (cluster_id,)).fetchone()
        if row is None:
            raise StorageError(f"no cluster {cluster_id}")
        if row[0] is None or row[0] in seen:
            return cluster_id
        seen.add(cluster_id)
        cluster_id = row[0]


def merge_clusters(db: Database, keep: int, drop: int, note: str | None = None) -> int:
    """Merge story ``drop`` into story ``keep`` (an analyst's correction); return the id
    of the story that now holds both. Recorded in ``cluster_overrides`` with ``drop`` as
    ``cluster_a`` and ``keep`` as ``cluster_b``."""
    asked = (keep, drop)
    keep, drop = live_cluster(db, keep), live_cluster(db, drop)
    if keep == drop:
        raise StorageError(f"clusters {asked[0]} and {asked[1]} are already one story "
                           f"(cluster {keep})")
    now = utc_now()
    with transaction(db):
        _fold(db, drop, keep, now)
        db.execute("DELETE FROM cluster_overrides WHERE kind = 'split' AND "
                   "((cluster_a = ? AND cluster_b = ?) OR (cluster_a = ? AND cluster_b = ?))",
                   (keep, drop, drop, keep))
        db.execute("INSERT INTO cluster_overrides(kind, cluster_a, cluster_b, created_at, note) "
                   "VALUES ('merge', ?, ?, ?, ?)", (drop, keep, now, note))
        _refresh(db, keep, None, now)
    return keep


def split_article(db: Database, article_id: int, note: str | None = None) -> int:
    """Take an article, with its copies, out of its story into a story of its own (an
    analyst's correction); return the new story's id. Later runs never merge the two
    again. Recorded in ``cluster_overrides`` with the old story as ``cluster_a`` and
    the new one as ``cluster_b``. The article's ``cluster_score`` (against the old
    story) is cleared, and so is its ``duplicate_of`` (with ``similarity``): a copy of
    an article of the old story is the first report of the new one."""
    row = db.execute("SELECT cluster_id FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None or row[0] is None:
        raise StorageError(f"article {article_id} is in no story")
    old = row[0]
    moving = [article_id, *(copy for (copy,) in db.execute(
        "SELECT id FROM articles WHERE duplicate_of = ? AND cluster_id = ?", (article_id, old)))]
    staying = db.execute("SELECT count(*) FROM articles WHERE cluster_id = ?", (old,)).fetchone()[0]
    if staying <= len(moving):
        alone = "with its copies " * (len(moving) > 1)
        raise StorageError(f"article {article_id} is already alone {alone}in story {old}")
    now = utc_now()
    with transaction(db):
        new = db.execute("SELECT coalesce(max(id), 0) + 1 FROM clusters").fetchone()[0]
        db.execute("INSERT INTO clusters(id, created_at, updated_at) VALUES (?, ?, ?)",
                   (new, now, now))
        db.execute(f"UPDATE articles SET cluster_id = ? WHERE id IN ({', '.join('?' * len(moving))})",
                   (new, *moving))
        db.execute("UPDATE articles SET cluster_score = NULL, duplicate_of = NULL, similarity = NULL "
                   "WHERE id = ?", (article_id,))
        db.execute("INSERT INTO cluster_overrides(kind, article_id, cluster_a, cluster_b, "
                   "created_at, note) VALUES ('split', ?, ?, ?, ?, ?)",
                   (article_id, old, new, now, note))
        _refresh(db, old, None, now)
        _refresh(db, new, article_id, now)
    return new


def cluster_records(db: Database, day: str | None = None, limit: int = 100,
                    cluster_id: int | None = None) -> list[dict]:
    """Story records, most recently seen first: representative headline, first report
    (article, outlet, time), outlets, article count, first and last seen.

    With ``day`` (a WIB date, YYYY-MM-DD) only the stories with articles that day, each
    with ``articles_on_day``, ``new`` (first seen that day) and ``grew`` (older, and
    gained articles that day); with ``cluster_id`` only that story."""
    where = "c.merged_into IS NULL AND c.article_count > 0"
    if cluster_id is not None:
        where += " AND c.id = :cluster"
    if day is not None:
        where += f" AND EXISTS (SELECT 1 FROM articles a WHERE a.cluster_id = c.id AND {WIB_DAY} = :day)"
    rows = db.execute(
        f"""SELECT c.id, c.headline, c.first_article_id, c.first_source, c.first_seen,
                   c.last_seen, c.article_count, c.source_count, c.representative_article_id,
                   (SELECT group_concat(DISTINCT a.source) FROM articles a WHERE a.cluster_id = c.id),
                   (SELECT count(*) FROM articles a WHERE a.cluster_id = c.id AND {WIB_DAY} = :day),
                   date(c.first_seen, '+7 hours') = :day
            FROM clusters c WHERE {where}
            ORDER BY c.last_seen DESC, c.id DESC LIMIT :limit""",
        {"day": day, "limit": limit, "cluster": cluster_id},
    ).fetchall()
    keys = ("id", "headline", "first_article_id", "first_source", "first_seen", "last_seen",
            "article_count", "source_count", "representative_article_id", "outlets",
            "articles_on_day", "new")
    records = []
    for row in rows:
        record = dict(zip(keys, row))
        record["outlets"] = sorted(set((record["outlets"] or "").split(",")))
        if day is None:
            del record["articles_on_day"], record["new"]
        else:
            record["new"] = bool(record["new"])
            record["grew"] = record["articles_on_day"] > 0 and not record["new"]
        records.append(record)
    return records


def explain_article(db: Database, article_id: int, params: ClusterParams | None = None,
                    limit: int = 5) -> dict:
    """Why article ``article_id`` is in its story: its story record, the score it joined
    with, the copy it duplicates, analysts' corrections, and its nearest fellow members
    under today's term weights with the terms and names they share."""
    params = params or ClusterParams()
    row = db.execute(
        """SELECT a.id, a.url, a.source, a.title, a.published_at, a.cluster_id, a.cluster_score,
                  a.duplicate_of, a.similarity, s.features
        FROM articles a LEFT JOIN signatures s ON s.article_id = a.id WHERE a.id = ?""",
        (article_id,),
    ).fetchone()
    if row is None:
        raise StorageError(f"no article {article_id}")
    keys = ("id", "url", "source", "title", "published_at", "cluster", "cluster_score",
            "duplicate_of", "similarity")
    report = dict(zip(keys, row[:-1]))
    if row[-1] is None or report["cluster"] is None:
        report["note"] = "not clustered (irrelevant, empty, or stored before clustering ran)"
        return report
    story = cluster_records(db, cluster_id=report["cluster"])
    report["story"] = story[0] if story else None
    report["founded"] = [c for (c,) in db.execute(  # stories it began, merged since
        "SELECT id FROM clusters WHERE first_article_id = ? AND merged_into IS NOT NULL "
        "ORDER BY id", (article_id,))]
    report["overrides"] = [
        dict(zip(("kind", "cluster_a", "cluster_b", "created_at", "note"), r))
        for r in db.execute(
            "SELECT kind, cluster_a, cluster_b, created_at, note FROM cluster_overrides "
            "WHERE article_id = ? OR cluster_a = ? OR cluster_b = ? ORDER BY id",
            (article_id, report["cluster"], report["cluster"]))
    ]
    members = db.execute(
        """SELECT a.id, a.source, a.title, s.features FROM articles a
        JOIN signatures s ON s.article_id = a.id
        WHERE a.cluster_id = ? AND a.id != ? ORDER BY a.id DESC LIMIT 500""",
        (report["cluster"], article_id),
    ).fetchall()
    terms = set(json.loads(row[-1]).get("terms", {}))
    for _, _, _, features in members:
        terms.update(json.loads(features).get("terms", {}))
    frequencies = _frequencies(db, terms)
    nearest = nearest_members(
        params, frequencies, _documents(db), json.loads(row[-1]),
        [(member_id, json.loads(features)) for member_id, _, _, features in members], limit,
    )
    about = {member_id: (source, title) for member_id, source, title, _ in members}
    report["nearest"] = [
        {"id": member_id, "source": about[member_id][0], "title": about[member_id][1], **detail}
        for member_id, detail in nearest
    ]
    return report


def _frequencies(db: Database, terms: set[str]) -> dict[str, dict[str, int]]:
    """The stored document frequencies of ``terms``, by language."""
    found: dict[str, dict[str, int]] = {}
    listed = sorted(terms)
    for start in range(0, len(listed), 500):
        chunk = listed[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for language, term, df in db.execute(
                f"SELECT language, term, df FROM cluster_terms WHERE term IN ({marks})", chunk):
            found.setdefault(language, {})[term] = df
    return found
