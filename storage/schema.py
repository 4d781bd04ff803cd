"""warta's SQLite schema as ordered, named migrations.

The schema is a public interface: analysts query the tables and views directly.
Each migration runs once, inside the same transaction that records it in the
``migrations`` table, so an interrupted upgrade leaves the database as it was.
The schema version is the number of applied migrations (also kept in
``PRAGMA user_version`` for a quick look). Change the schema only by appending a
migration; never edit one that has been released.

Times are UTC ISO-8601 strings (``YYYY-MM-DDTHH:MM:SSZ``); a "day" in the views is
a WIB (UTC+7) calendar day, the day a reader in Jakarta would see.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from storage.permalinks import article_number

__all__ = ["MIGRATIONS", "STORY_OUTLETS", "WIB_DAY", "Migration", "applied_migrations", "migrate",
           "schema_version"]


@dataclass(frozen=True)
class Migration:
    """One schema change: a stable name and the statements that make it."""

    name: str
    statements: tuple[str, ...]


_CORE_TABLES = (
    """CREATE TABLE sources (
        name TEXT PRIMARY KEY,
        display_name TEXT,
        official INTEGER NOT NULL DEFAULT 0,
        first_seen TEXT,
        last_seen TEXT
    )""",
    """CREATE TABLE crawl_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        outcome TEXT NOT NULL DEFAULT 'running',
        command TEXT,
        sources TEXT,
        pid INTEGER,
        stats TEXT
    )""",
    """CREATE TABLE clusters (
        id INTEGER PRIMARY KEY,
        headline TEXT,
        representative_article_id INTEGER
            REFERENCES articles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
        first_article_id INTEGER
            REFERENCES articles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
        first_source TEXT,
        first_seen TEXT,
        last_seen TEXT,
        article_count INTEGER NOT NULL DEFAULT 0,
        source_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        merged_into INTEGER REFERENCES clusters(id) DEFERRABLE INITIALLY DEFERRED
    )""",
    """CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL REFERENCES sources(name),
        title TEXT,
        author TEXT,
        published_at TEXT,
        published_source TEXT,
        fetched_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        language TEXT,
        site_name TEXT,
        text TEXT NOT NULL DEFAULT '',
        text_hash TEXT,
        word_count INTEGER NOT NULL DEFAULT 0,
        relevant INTEGER NOT NULL DEFAULT 0 CHECK (relevant IN (0, 1)),
        relevance_score REAL NOT NULL DEFAULT 0,
        matched_terms TEXT NOT NULL DEFAULT '[]',
        cluster_id INTEGER
            REFERENCES clusters(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
        duplicate_of INTEGER
            REFERENCES articles(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
        similarity REAL,
        cluster_score REAL,
        extraction_note TEXT,
        run_id INTEGER REFERENCES crawl_runs(id) ON DELETE SET NULL
    )""",
    "CREATE INDEX idx_articles_source_published ON articles(source, published_at)",
    "CREATE INDEX idx_articles_published ON articles(published_at)",
    "CREATE INDEX idx_articles_cluster ON articles(cluster_id)",
    "CREATE INDEX idx_articles_text_hash ON articles(text_hash)",
    "CREATE INDEX idx_articles_relevant ON articles(relevant, published_at)",
    "CREATE INDEX idx_articles_duplicate_of ON articles(duplicate_of)",
    "CREATE INDEX idx_clusters_last_seen ON clusters(last_seen)",
    "CREATE INDEX idx_clusters_first_seen ON clusters(first_seen)",
    """CREATE TABLE url_aliases (
        url TEXT PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
    )""",
    "CREATE INDEX idx_url_aliases_article ON url_aliases(article_id)",
    """CREATE TABLE seen_urls (
        url TEXT PRIMARY KEY,
        source TEXT,
        first_seen TEXT NOT NULL,
        last_fetched TEXT,
        status TEXT NOT NULL,
        article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
        run_id INTEGER REFERENCES crawl_runs(id) ON DELETE SET NULL
    )""",
    "CREATE INDEX idx_seen_urls_source_status ON seen_urls(source, status)",
    """CREATE TABLE signatures (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        num_perm INTEGER NOT NULL,
        seed INTEGER NOT NULL,
        scheme TEXT NOT NULL,
        shingle_sig BLOB,
        story_sig BLOB,
        features TEXT,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE cluster_overrides (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
        cluster_a INTEGER REFERENCES clusters(id) ON DELETE CASCADE,
        cluster_b INTEGER REFERENCES clusters(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        note TEXT
    )""",
    """CREATE TABLE crawl_run_sources (
        run_id INTEGER NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        discovered INTEGER NOT NULL DEFAULT 0,
        fetched INTEGER NOT NULL DEFAULT 0,
        new INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        skipped_seen INTEGER NOT NULL DEFAULT 0,
        irrelevant INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, source)
    )""",
    """CREATE TABLE crawl_run_rules (
        run_id INTEGER NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        rule TEXT NOT NULL,
        removed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, source, rule)
    )""",
    """CREATE TABLE errors (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES crawl_runs(id) ON DELETE SET NULL,
        source TEXT,
        url TEXT,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX idx_errors_run ON errors(run_id)",
    "CREATE INDEX idx_errors_source_created ON errors(source, created_at)",
    "CREATE INDEX idx_crawl_runs_started ON crawl_runs(started_at)",
    """CREATE TABLE site_lines (
        source TEXT NOT NULL,
        line_hash TEXT NOT NULL,
        line TEXT NOT NULL,
        doc_count INTEGER NOT NULL DEFAULT 0,
        first_seen TEXT,
        last_seen TEXT,
        learned INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (source, line_hash)
    )""",
    """CREATE TABLE digests (
        day TEXT NOT NULL,
        format TEXT NOT NULL,
        created_at TEXT NOT NULL,
        path TEXT,
        delivered TEXT,
        PRIMARY KEY (day, format)
    )""",
)

_FULL_TEXT_SEARCH = (
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
)

# The WIB day of an article: publication time when known, otherwise fetch time (up
# to 0016, which made it the time it was first stored: a fetch again moved the day).
_WIB_DAY = "date(coalesce(a.published_at, a.fetched_at), '+7 hours')"
WIB_DAY = "date(coalesce(a.published_at, a.stored_at, a.fetched_at), '+7 hours')"
# The media outlets with a report of their own in the ``clusters`` row being written:
# copies and official sources left out.
STORY_OUTLETS = """(SELECT count(DISTINCT o.source) FROM articles o
    LEFT JOIN sources s ON s.name = o.source
    WHERE o.cluster_id = clusters.id AND o.duplicate_of IS NULL AND NOT coalesce(s.official, 0))"""

def _source_daily(day: str) -> str:
    return f"""CREATE VIEW source_daily AS
    SELECT a.source, {day} AS day, count(*) AS articles,
           sum(a.relevant) AS relevant, count(a.cluster_id) AS clustered,
           count(a.duplicate_of) AS duplicates
    FROM articles a
    GROUP BY a.source, day"""


def _daily_clusters(day: str) -> str:
    return f"""CREATE VIEW daily_clusters AS
        SELECT {day} AS day, c.id AS cluster_id, c.headline,
               count(*) AS articles, count(DISTINCT a.source) AS sources,
               {day} = date(c.first_seen, '+7 hours') AS new,
               c.first_seen, c.last_seen, c.article_count, c.source_count,
               count(DISTINCT CASE WHEN a.duplicate_of IS NULL AND NOT coalesce(s.official, 0)
                     THEN a.source END) AS outlets
        FROM clusters c
        JOIN articles a ON a.cluster_id = c.id
        LEFT JOIN sources s ON s.name = a.source
        GROUP BY day, c.id"""


_VIEWS = (
    """CREATE VIEW cluster_articles AS
    SELECT c.id AS cluster_id, c.headline, a.id AS article_id, a.source,
           s.display_name AS source_name, s.official, a.url, a.title, a.published_at,
           a.fetched_at, a.duplicate_of, a.similarity, a.cluster_score,
           a.id = c.representative_article_id AS is_representative
    FROM clusters c
    JOIN articles a ON a.cluster_id = c.id
    LEFT JOIN sources s ON s.name = a.source""",
    f"""CREATE VIEW daily_clusters AS
    SELECT {_WIB_DAY} AS day, c.id AS cluster_id, c.headline,
           count(*) AS articles, count(DISTINCT a.source) AS sources,
           {_WIB_DAY} = date(c.first_seen, '+7 hours') AS new,
           c.first_seen, c.last_seen, c.article_count, c.source_count
    FROM clusters c
    JOIN articles a ON a.cluster_id = c.id
    GROUP BY day, c.id""",
    _source_daily(_WIB_DAY),
)

# Every column that references another row is indexed: SQLite looks up the
# referencing rows when the referenced one is deleted, and when it is inserted
# while a deferred reference (e.g. a new story naming its first article) waits.
_REFERENCE_INDEXES = (
    "CREATE INDEX idx_clusters_representative ON clusters(representative_article_id)",
    "CREATE INDEX idx_clusters_first_article ON clusters(first_article_id)",
    "CREATE INDEX idx_clusters_merged_into ON clusters(merged_into)",
    "CREATE INDEX idx_articles_run ON articles(run_id)",
    "CREATE INDEX idx_seen_urls_article ON seen_urls(article_id)",
    "CREATE INDEX idx_seen_urls_run ON seen_urls(run_id)",
    "CREATE INDEX idx_cluster_overrides_article ON cluster_overrides(article_id)",
    "CREATE INDEX idx_cluster_overrides_a ON cluster_overrides(cluster_a)",
    "CREATE INDEX idx_cluster_overrides_b ON cluster_overrides(cluster_b)",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_core_tables", _CORE_TABLES),
    Migration("0002_articles_fts", _FULL_TEXT_SEARCH),
    Migration("0003_analyst_views", _VIEWS),
    Migration("0004_reference_indexes", _REFERENCE_INDEXES),
    Migration("0005_clustering_statistics", (
        # Document frequencies of the terms of every clustered article (the IDF weights
        # of story clustering) and counters such as the number of clustered articles.
        "CREATE TABLE cluster_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID",
        "CREATE TABLE cluster_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    )),
    Migration("0006_ledger_cap_and_robots", (
        # URLs a run left for later because of a source's page cap, and those robots.txt
        # forbade: counted in the ledger, so ops see why a source fetched less.
        "ALTER TABLE crawl_run_sources ADD COLUMN skipped_cap INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE crawl_run_sources ADD COLUMN robots_denied INTEGER NOT NULL DEFAULT 0",
    )),
    Migration("0007_term_statistics_by_language", (
        # Document frequencies and article counts apart for each language of the clustered
        # articles (the count of all clustered articles was cluster_state's only row).
        # The counts so far go to the language "" until clustering next loads its state,
        # which recounts them from the stored features.
        """CREATE TABLE cluster_terms_by_language (
            language TEXT NOT NULL,
            term TEXT NOT NULL,
            df INTEGER NOT NULL,
            PRIMARY KEY (language, term)
        ) WITHOUT ROWID""",
        "INSERT INTO cluster_terms_by_language(language, term, df) SELECT '', term, df FROM cluster_terms",
        "DROP TABLE cluster_terms",
        "ALTER TABLE cluster_terms_by_language RENAME TO cluster_terms",
        "CREATE TABLE cluster_languages (language TEXT PRIMARY KEY, documents INTEGER NOT NULL)",
        ("INSERT INTO cluster_languages(language, documents) "
         "SELECT '', value FROM cluster_state WHERE key = 'documents'"),
        "DROP TABLE cluster_state",  # it held only that count
    )),
    Migration("0008_ledger_given_up", (
        # URLs a run did not ask for again because their site kept refusing them
        # (seen_urls.status 'refused' for longer than crawl.retry_refused_days).
        "ALTER TABLE crawl_run_sources ADD COLUMN given_up INTEGER NOT NULL DEFAULT 0",
    )),
    Migration("0009_daily_outlets", (
        # daily_clusters gains `outlets`: the media outlets with their own report that
        # day (copies and official sources left out), which the digest ranks stories by.
        "DROP VIEW daily_clusters",
        _daily_clusters(_WIB_DAY),
    )),
    Migration("0010_story_outlet_count", (
        # clusters gains `outlet_count`: the media outlets with their own report in the
        # story over all its days (daily_clusters.outlets summed up without repeats), kept
        # up to date like source_count, so stories can be filtered on it cheaply.
        "ALTER TABLE clusters ADD COLUMN outlet_count INTEGER NOT NULL DEFAULT 0",
        f"UPDATE clusters SET outlet_count = {STORY_OUTLETS} WHERE merged_into IS NULL",
    )),
    Migration("0011_article_stored_at", (
        # articles gains `stored_at`: when the article was first stored, which a fetch
        # again never changes. The digest names the reports that came in after the digest
        # of their day went out. Rows stored before take the first time their address was
        # seen (no later than their last fetch).
        "ALTER TABLE articles ADD COLUMN stored_at TEXT",
        ("UPDATE articles SET stored_at = min(fetched_at, coalesce((SELECT first_seen FROM "
        "seen_urls WHERE seen_urls.url = articles.url), fetched_at))"),
        "CREATE INDEX idx_articles_stored_at ON articles(stored_at)",
    )),
    Migration("0012_article_published_precision", (
        # articles gains `published_precision`: 'day' when the page gives a date without
        # a time (stored as its local midnight), 'time' otherwise. A day-only report is
        # no longer taken as out at midnight, ahead of the day's timed reports. Rows
        # stored before keep NULL unless their date came from their address (a day).
        "ALTER TABLE articles ADD COLUMN published_precision TEXT",
        "UPDATE articles SET published_precision = 'day' WHERE published_source = 'url'",
    )),
    Migration("0013_article_url_number", (
        # articles gains `url_number`: the article number its address carries
        # (storage.permalinks), which outlives a headline rewrite that changes the
        # address. A page at a new address with the number and the text of a stored
        # article of its outlet updates that article instead of being stored twice.
        "ALTER TABLE articles ADD COLUMN url_number TEXT",
        "UPDATE articles SET url_number = article_number(url)",
        "CREATE INDEX idx_articles_url_number ON articles(url_number)",
    )),
    Migration("0014_article_revised_at", (
        # articles gains `revised_at`: when a fetch again last found news in a stored
        # article (a paragraph or a headline it did not have): when its news last moved.
        # Rows stored before have NULL: their history is unknown.
        "ALTER TABLE articles ADD COLUMN revised_at TEXT",
        "CREATE INDEX idx_articles_revised_at ON articles(revised_at)",
    )),
    Migration("0015_cluster_articles_precision", (
        # cluster_articles gains, after its columns so far, `published_precision` (a
        # day-only date is no time of day to order reports by) and `revised_at`.
        "DROP VIEW cluster_articles",
        """CREATE VIEW cluster_articles AS
        SELECT c.id AS cluster_id, c.headline, a.id AS article_id, a.source,
               s.display_name AS source_name, s.official, a.url, a.title, a.published_at,
               a.fetched_at, a.duplicate_of, a.similarity, a.cluster_score,
               a.id = c.representative_article_id AS is_representative,
               a.published_precision, a.revised_at
        FROM clusters c
        JOIN articles a ON a.cluster_id = c.id
        LEFT JOIN sources s ON s.name = a.source""",
    )),
    Migration("0016_undated_day_first_stored", (
        # an undated article counts on the day it was first stored, no longer on the day
        # it was last fetched (each fetch again moved it to a later day)
        "DROP VIEW daily_clusters",
        _daily_clusters(WIB_DAY),
        "DROP VIEW source_daily",
        _source_daily(WIB_DAY),
    )),
)

_LEDGER = """CREATE TABLE IF NOT EXISTS migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
)"""


def applied_migrations(db: Database) -> list[str]:
    """Names of the migrations recorded in ``db``, oldest first (empty for a new file)."""
    if not db["migrations"].exists():
        return []
    return [row["name"] for row in db.query("SELECT name FROM migrations ORDER BY rowid")]


def schema_version(db: Database) -> int:
    """The number of applied migrations."""
    return len(applied_migrations(db))


def migrate(db: Database, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[str]:
    """Apply the migrations ``db`` lacks, each with its record in one transaction.

    Returns the names applied. Raises ``sqlite3.Error`` if a statement fails; the
    failing migration leaves no trace. The caller checks that ``db`` is not newer.
    """
    done: list[str] = []
    conn = db.conn
    conn.create_function("article_number", 1, article_number, deterministic=True)
    applied = set(applied_migrations(db))
    for migration in (m for m in migrations if m.name not in applied):
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(_LEDGER)
            already = conn.execute(
                "SELECT 1 FROM migrations WHERE name = ?", (migration.name,)
            ).fetchone()
            if already is None:
                for statement in migration.statements:
                    conn.execute(statement)
                conn.execute("INSERT INTO migrations(name) VALUES (?)", (migration.name,))
                done.append(migration.name)
            version = conn.execute("SELECT count(*) FROM migrations").fetchone()[0]
            conn.execute(f"PRAGMA user_version = {int(version)}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return done
