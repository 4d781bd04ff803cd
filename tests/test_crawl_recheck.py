"""Real crawls of a loopback site run after run: which stored articles a run fetches
again (those inside the re-check window) and which it leaves."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from test_crawl_listings import article, crawl, feed, listing

RECHECK = "obey_robots = false\nrecheck_hours = 6"


def test_an_undated_article_is_fetched_again_only_for_the_window_after_it_was_stored(
        serve, tmp_path):
    base, requests = serve("127.0.0.53", {"/rss.xml": listing(feed(1, 2)),
                                          "/berita/1": article(1), "/berita/2": article(2)})
    source = f'feeds = ["{base}/rss.xml"]'
    crawl(tmp_path, source, RECHECK)[1].close()
    stored_long_ago = (datetime.now(UTC) - timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with sqlite3.connect(tmp_path / "warta.db") as db:  # stored 7 hours ago, fetched since
        undated = db.execute("SELECT count(*) FROM articles WHERE published_at IS NULL "
                             "AND relevant").fetchone()[0]
        db.execute("UPDATE articles SET stored_at = ? WHERE url LIKE '%/berita/1'",
                   (stored_long_ago,))
    db.close()
    done, db = crawl(tmp_path, source, RECHECK)
    with db:
        counts = db.execute("SELECT fetched, skipped_seen FROM crawl_run_sources "
                            "ORDER BY run_id DESC").fetchone()
    db.close()
    assert done.returncode == 0 and undated == 2
    assert (requests["/berita/1"], requests["/berita/2"]) == (1, 2)
    assert counts == (1, 1)
