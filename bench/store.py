"""Storage speed: batched article inserts, full-text search and story listings at scale.

Builds (or reuses) a synthetic database of N articles grouped into stories, then
prints the figures:

    python bench/store.py                    # 1,000,000 articles in data/bench/storage-1000000.db
    python bench/store.py --articles 100000  # quicker

The synthetic text draws words from a Zipf-shaped vocabulary with a few
Indonesian phrases planted at known rates, so query selectivity is realistic.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from click.testing import CliRunner

from storage.analytics import list_clusters
from storage.articles import save_article, text_hash
from storage.database import open_database, transaction
from storage.search import search_articles
from warta.cli import main as warta

SOURCES = [f"outlet{i:02d}" for i in range(20)]
START = 1_700_000_000  # 2023-11-14, UTC seconds
SPAN_DAYS = 730
WORDS_PER_ARTICLE = 60
PLANTED = {  # phrase -> share of articles containing it
    "pekerja migran": 0.01,
    "Kementerian HAM": 0.05,
    "Natalius Pigai": 0.002,
    "Desa Sadar HAM": 0.0005,
}


def _stamp(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _vocabulary(rng: random.Random, size: int = 30_000) -> tuple[list[str], list[float]]:
    syllables = ["ka", "ta", "ra", "ng", "me", "ber", "di", "an", "si", "pu", "la", "ha", "mu",
                 "to"]
    words = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size * 2)}
    words = sorted(words)[:size]
    rng.shuffle(words)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    total = 0.0
    cumulative = []
    for weight in weights:
        total += weight
        cumulative.append(total)
    return words, cumulative


def build(path: Path, count: int, seed: int = 7) -> None:
    """Fill ``path`` with ``count`` synthetic articles in stories of 1-8 reports."""
    rng = random.Random(seed)
    words, cumulative = _vocabulary(rng)
    db = open_database(path)
    db.execute("PRAGMA synchronous = OFF")
    now = _stamp(time.time())
    with transaction(db):
        for name in SOURCES:
            db.execute("INSERT INTO sources(name, first_seen, last_seen) VALUES (?, ?, ?)",
                       (name, now, now))
    article_id, cluster_id, began = 0, 0, time.perf_counter()
    step = SPAN_DAYS * 86400 / count
    while article_id < count:
        articles, clusters = [], []
        while len(articles) < 20_000 and article_id < count:
            size = min(count - article_id, rng.choice([1, 1, 1, 1, 2, 2, 3, 4, 6, 8]))
            first = START + article_id * step
            outlets = rng.sample(SOURCES, size)
            cluster_id += 1
            members = []
            for k in range(size):
                article_id += 1
                body = rng.choices(words, cum_weights=cumulative, k=WORDS_PER_ARTICLE)
                for phrase, share in PLANTED.items():
                    if rng.random() < share:
                        body.insert(rng.randrange(len(body)), phrase)
                text = " ".join(body)
                title = " ".join(body[:8]).capitalize()
                published = _stamp(first + k * rng.uniform(600, 86400))
                relevant = int("Kementerian HAM" in text or rng.random() < 0.3)
                members.append((article_id, outlets[k], published, title))
                articles.append((article_id, f"https://{outlets[k]}.example/{article_id}",
                                 outlets[k], title, published, published, now, text,
                                 text_hash(text), len(body), relevant, cluster_id, published))
            ordered = sorted(members, key=lambda m: m[2])
            first_id, first_source, first_seen, headline = ordered[0]
            clusters.append((cluster_id, headline, first_id, first_id, first_source, first_seen,
                             ordered[-1][2], size, size, now, now))
        with transaction(db):
            db.conn.executemany(
                "INSERT INTO clusters(id, headline, representative_article_id, first_article_id,"
                " first_source, first_seen, last_seen, article_count, source_count, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", clusters)
            db.conn.executemany(
                "INSERT INTO articles(id, url, source, title, published_at, fetched_at,"
                " updated_at, text, text_hash, word_count, relevant, cluster_id, published_source,"
                " stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'meta', ?)",
                articles)
        print(f"  built {article_id:,}/{count:,} articles "
              f"({article_id / (time.perf_counter() - began):,.0f}/s)", end="\r", flush=True)
    print()
    db.execute("ANALYZE")
    db.close()


def insert_rate(path: Path, count: int, batch: int) -> float:
    """Articles per second through ``save_article``, ``batch`` articles per commit."""
    db = open_database(path)
    rng = random.Random(batch)
    base = db.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
    records = []
    for i in range(count):
        text = " ".join(rng.choice(["kementerian", "ham", "pekerja", "migran", "desa", "kota",
                                    "menteri", "warga", "laporan", "hak"]) for _ in range(300))
        url = f"https://insert.example/{batch}/{base + i}"
        records.append({"url": url, "source": rng.choice(SOURCES), "title": f"Artikel {i}",
                        "text": text, "fetched_at": _stamp(time.time()),
                        "published_at": _stamp(time.time() - 3600), "relevant": True,
                        "matched_terms": ["Kementerian HAM"], "requested_urls": [url + "?amp"]})
    began = time.perf_counter()
    for start in range(0, count, batch):
        with transaction(db):
            for record in records[start:start + batch]:
                with transaction(db):  # each article in its own savepoint, as in a crawl
                    save_article(db, record, None)
    elapsed = time.perf_counter() - began
    with transaction(db):  # leave the synthetic database as it was for the next run
        db.execute("DELETE FROM seen_urls WHERE url LIKE 'https://insert.example/%'")
        db.execute("DELETE FROM articles WHERE url LIKE 'https://insert.example/%'")
    db.close()
    return count / elapsed


def latency_ms(call, repeat: int = 5) -> float:
    """Median wall time of ``call()`` in milliseconds (after one warm-up call)."""
    call()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="database file (default data/bench/storage-N.db)")
    parser.add_argument("--inserts", type=int, default=2000, help="articles for the insert rate")
    args = parser.parse_args(argv)
    path = args.db or Path(f"data/bench/storage-{args.articles}.db")
    if path.exists() and open_database(path)["articles"].count >= args.articles:
        print(f"reusing {path}")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        began = time.perf_counter()
        build(path, args.articles)
        print(f"bulk build: {args.articles:,} articles in {time.perf_counter() - began:.0f}s")

    db = open_database(path)
    total = db["articles"].count
    size = path.stat().st_size / 2**20
    print(f"database: {total:,} articles, {db['clusters'].count:,} stories, {size:,.0f} MiB")
    last = db.execute("SELECT max(first_seen) FROM clusters").fetchone()[0][:10]
    week = time.strftime("%Y-%m-%d", time.gmtime(time.mktime(time.strptime(last, "%Y-%m-%d"))
                                                    - 6 * 86400))
    print("\nfull-text search (20 best, median of 5):")
    for label, kwargs in [
        ("pekerja migran", {}),
        ("pekerja migran --since (last week)", {"since": week}),
        ("pekerja migran --source outlet03", {"source": "outlet03"}),
        ('"Natalius Pigai"', {}),
        ("Kementerian HAM (5% of articles)", {}),
    ]:
        query = label.split(" --")[0].split(" (")[0]
        ms = latency_ms(lambda q=query, kw=kwargs: search_articles(db, q, **kw))
        hits = len(search_articles(db, query, limit=10**9, **kwargs))
        print(f"  {label:<40} {ms:8.1f} ms   ({hits:,} matching)")

    print("\nwarta clusters (median of 5):")
    for label, kwargs in [
        ("--since (last week)", {"since": week}),
        ("--since (last week) --min-outlets 3", {"since": week, "min_outlets": 3}),
        ("--min-outlets 8 (all time)", {"min_outlets": 8}),
        ("(no filter: every story)", {}),
    ]:
        ms = latency_ms(lambda kw=kwargs: list_clusters(db, **kw))
        print(f"  query {label:<38} {ms:8.1f} ms   ({len(list_clusters(db, **kwargs)):,} stories)")
    runner = CliRunner()
    ms = latency_ms(lambda: runner.invoke(warta, ["clusters", "--db", str(path), "--since", week]),
                    repeat=3)
    print(f"  whole command `warta clusters --since {week}` (table) {ms:8.1f} ms")
    db.close()

    print("\nbatched inserts through save_article (article + aliases + seen URLs, 300 words):")
    for batch in (1, 100):
        rate = insert_rate(path, args.inserts, batch)
        print(f"  {batch:>3} article(s) per commit: {rate:8,.0f} articles/s")


if __name__ == "__main__":
    main()
