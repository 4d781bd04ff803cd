"""Small article records and a story database for the storage tests."""

from __future__ import annotations

from storage.articles import save_article
from storage.database import open_database, transaction


def article(url: str, **fields) -> dict:
    """An article record as the storage pipeline passes it (fields override)."""
    record = {
        "url": url,
        "source": "antaranews",
        "fetched_at": "2025-11-20T03:00:00Z",
        "published_at": "2025-11-20T02:00:00Z",
        "title": "Kemenham pulangkan pekerja migran",
        "text": "Kementerian HAM membantu pemulangan pekerja migran dari Kamboja.",
        "relevant": True,
        "relevance_score": 2.5,
        "matched_terms": ["Kemenham", "Kementerian HAM"],
        "requested_urls": [url],
    }
    record.update(fields)
    return record


def add_story(db, headline: str, records: list[dict], **cluster) -> int:
    """Store ``records`` as one story (cluster) the way clustering would; return its id."""
    with transaction(db):
        ids = [save_article(db, r, None) for r in records]
        # an undated article counts from when it was stored: when fetched, as in a crawl
        db.execute(f"UPDATE articles SET stored_at = fetched_at WHERE published_at IS NULL "
                   f"AND id IN ({', '.join('?' * len(ids))})", ids)
        rows = list(db.query(
            f"SELECT id, source, coalesce(published_at, fetched_at) AS t FROM articles "
            f"WHERE id IN ({', '.join('?' * len(ids))}) ORDER BY t, id", ids))
        values = {
            "headline": headline,
            "representative_article_id": rows[0]["id"],
            "first_article_id": rows[0]["id"],
            "first_source": rows[0]["source"],
            "first_seen": rows[0]["t"],
            "last_seen": rows[-1]["t"],
            "article_count": len(rows),
            "source_count": len({r["source"] for r in rows}),
            "outlet_count": len({r["source"] for r in rows}),  # none official, no copies
            "created_at": rows[0]["t"],
            "updated_at": rows[-1]["t"],
            **cluster,
        }
        cluster_id = db["clusters"].insert(values).last_pk
        db.execute(f"UPDATE articles SET cluster_id = ? WHERE id IN ({', '.join('?' * len(ids))})",
                   [cluster_id, *ids])
    return cluster_id


def story_database(path):
    """A database with three stories over two WIB days and one unclustered article."""
    db = open_database(path)
    add_story(db, "Kemenham pulangkan pekerja migran dari Kamboja", [
        article("https://antaranews.com/a1", published_at="2025-11-19T18:30:00Z"),
        article("https://kompas.com/k1", source="kompas", published_at="2025-11-20T01:00:00Z",
                title="Pekerja migran korban penipuan dipulangkan"),
        article("https://detik.com/d1", source="detik", published_at="2025-11-20T04:00:00Z",
                title="Menteri HAM sambut pekerja migran"),
    ])
    add_story(db, "Desa Sadar HAM diresmikan di Sleman", [
        article("https://antaranews.com/a2", published_at="2025-11-21T02:00:00Z",
                title="Desa Sadar HAM diresmikan",
                text="Kemenham meresmikan Desa Sadar HAM di Sleman."),
        article("https://antaranews.com/a3", published_at="2025-11-21T05:00:00Z",
                title="Sleman punya Desa Sadar HAM",
                text="Warga Sleman menyambut Desa Sadar HAM dari Kementerian HAM."),
    ])
    add_story(db, "Kunjungan lapas Nusakambangan", [
        article("https://tempo.co/t1", source="tempo", published_at="2025-11-21T09:00:00Z",
                title="Wamenham kunjungi Nusakambangan",
                text="Wakil Menteri HAM mengunjungi lapas di Nusakambangan."),
    ])
    with transaction(db):
        save_article(db, article("https://tempo.co/t2", source="tempo", relevant=False,
                                 title="Harga cabai naik", text="Harga cabai naik di pasar.",
                                 matched_terms=[]), None)
    return db
