"""Article writes, the full-text index staying in step, and the seen-URL checks."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from storage_data import article

from storage.articles import (
    find_article,
    given_up_urls,
    mark_seen,
    save_article,
    skip_urls,
    sync_sources,
    text_hash,
)
from storage.database import StorageError, open_database, transaction
from storage.runs import record_error
from storage.search import search_articles


@pytest.fixture
def db(tmp_path):
    return open_database(tmp_path / "warta.db")


def _fts_consistent(db) -> bool:
    db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    return True


def test_save_stores_every_field_and_the_urls_that_led_there(db):
    record = article("https://antaranews.com/berita/1", site_name="ANTARA News",
                     requested_urls=["https://m.antaranews.com/berita/1",
                                     "https://antaranews.com/berita/1?utm_source=x"])
    article_id = save_article(db, record, None)
    row = db["articles"].get(article_id)
    assert row["url"] == "https://antaranews.com/berita/1"
    assert row["published_at"] == "2025-11-20T02:00:00Z"
    assert json.loads(row["matched_terms"]) == ["Kemenham", "Kementerian HAM"]
    assert row["relevant"] == 1 and row["word_count"] == 8
    assert row["text_hash"] == text_hash(record["text"].upper())
    aliases = {r["url"]: r["article_id"] for r in db["url_aliases"].rows}
    assert aliases == {u: article_id for u in record["requested_urls"]}
    seen = {r["url"]: r["status"] for r in db["seen_urls"].rows}
    assert seen == dict.fromkeys([record["url"], *record["requested_urls"]], "stored")
    assert db["sources"].get("antaranews")["display_name"] == "ANTARA News"


def test_a_source_known_before_its_first_article_gets_its_first_and_last_seen(db):
    sync_sources(db, [("antaranews", False)])  # what a crawl does when it starts
    save_article(db, article("https://antaranews.com/berita/1"), None)
    first = db["sources"].get("antaranews")
    save_article(db, article("https://antaranews.com/berita/2"), None)
    later = db["sources"].get("antaranews")
    assert first["first_seen"] and first["first_seen"] == later["first_seen"]
    assert later["last_seen"] >= first["last_seen"]


def test_saving_again_updates_in_place_and_keeps_the_id(db):
    first = save_article(db, article("https://antaranews.com/1"), None)
    again = save_article(db, article("https://antaranews.com/1", title="Judul baru",
                                     text="Menteri HAM menanggapi laporan baru.",
                                     published_at=None, fetched_at="2025-11-21T00:00:00Z"),
                         None)
    assert again == first and db["articles"].count == 1
    row = db["articles"].get(first)
    assert row["title"] == "Judul baru"
    assert row["published_at"] == "2025-11-20T02:00:00Z"  # a missing date keeps the stored one
    assert row["fetched_at"] == "2025-11-21T00:00:00Z"
    assert [r["id"] for r in search_articles(db, "laporan baru")] == [first]
    assert search_articles(db, "Kamboja") == []
    assert _fts_consistent(db)


_LEAD = "Jakarta - Kementerian HAM membantu pemulangan 38 pekerja migran dari Kamboja."
_MORE = "Kementerian HAM menyebut 12 pekerja lain masih menunggu dokumen perjalanan."


@pytest.mark.parametrize(("again", "revised"), [
    ({}, False),  # fetched again, nothing changed
    ({"text": f"{_LEAD}\n{_MORE}"}, True),  # a paragraph added
    ({"text": f"{_LEAD.replace('38', '41')}\nBaca juga: Pigai ke Kamboja"}, True),  # a figure
    ({"title": "Kemenham pulangkan 41 pekerja migran"}, True),  # a rewritten headline
    ({"text": "jakarta -  kementerian HAM membantu pemulangan 38 pekerja migran dari kamboja."},
     False),  # case and spacing alone
    ({"text": _LEAD}, False),  # a line lost (boilerplate learned since): no news
    ({"text": "", "title": None}, False),  # a fetch that found no text keeps the stored one
])
def test_a_fetch_again_that_brings_news_marks_the_article_revised(db, again, revised):
    url = "https://antaranews.com/1"
    first = save_article(db, article(url, text=f"{_LEAD}\nBaca juga: Pigai ke Kamboja"), None)
    assert db["articles"].get(first)["revised_at"] is None
    save_article(db, article(url, **{"text": f"{_LEAD}\nBaca juga: Pigai ke Kamboja", **again}),
                 None)
    row = db["articles"].get(first)
    assert (row["revised_at"] is not None) is revised
    if revised:
        assert row["revised_at"] == row["updated_at"]


def test_a_revision_is_kept_when_a_later_fetch_brings_nothing_new(db):
    url = "https://antaranews.com/1"
    first = save_article(db, article(url, text=_LEAD), None)
    save_article(db, article(url, text=f"{_LEAD}\n{_MORE}"), None)
    revised = db["articles"].get(first)["revised_at"]
    save_article(db, article(url, text=f"{_LEAD}\n{_MORE}"), None)
    assert revised is not None and db["articles"].get(first)["revised_at"] == revised


@pytest.mark.parametrize(("first", "again", "stored"), [
    ("text", "text", "2025-11-20T02:00:00Z"),  # "2 jam lalu" read again an hour later
    ("text", "meta", "2025-11-20T03:00:00Z"),  # the page's metadata says better
    ("url", "text", "2025-11-20T03:00:00Z"),  # a time of day where there was only the day
])
def test_a_date_read_from_the_text_again_keeps_the_first_reading(db, first, again, stored):
    url = "https://antaranews.com/1"
    article_id = save_article(db, article(url, published_source=first), None)
    save_article(db, article(url, published_at="2025-11-20T03:00:00Z", published_source=again),
                 None)
    row = db["articles"].get(article_id)
    assert (row["published_at"], row["published_source"]) == (stored, again)


def test_an_empty_refetch_does_not_erase_the_text(db):
    article_id = save_article(db, article("https://antaranews.com/1"), None)
    save_article(db, article("https://antaranews.com/1", text="", title=None), None)
    row = db["articles"].get(article_id)
    assert "Kamboja" in row["text"] and row["word_count"] == 8


def test_an_article_reached_through_an_alias_keeps_its_id_and_its_earlier_address(db):
    first = save_article(db, article("https://nusa.id/print/512301",
                                     requested_urls=["https://nusa.id/cetak/512301"]), None)
    moved = save_article(db, article("https://nusa.id/read/512301/judul",
                                     requested_urls=["https://nusa.id/cetak/512301"]), None)
    assert moved == first
    assert db["articles"].get(first)["url"] == "https://nusa.id/read/512301/judul"
    assert [r["url"] for r in db["url_aliases"].rows_where(order_by="url")] == [
        "https://nusa.id/cetak/512301", "https://nusa.id/print/512301"]
    assert find_article(db, ["https://nusa.id/print/512301"]) == first


def test_deleting_an_article_removes_it_from_search(db):
    keep = save_article(db, article("https://antaranews.com/1"), None)
    gone = save_article(db, article("https://antaranews.com/2", title="Pekerja migran lain"),
                        None)
    db.execute("DELETE FROM articles WHERE id = ?", [gone])
    assert [r["id"] for r in search_articles(db, "pekerja migran")] == [keep]
    assert db["url_aliases"].count == 1
    assert _fts_consistent(db)


def test_a_record_without_url_source_or_time_is_refused(db):
    for key in ("url", "source", "fetched_at"):
        record = {**article("https://antaranews.com/1"), key: ""}
        with pytest.raises(ValueError, match=key):
            save_article(db, record, None)
    assert db["articles"].count == 0


def test_a_failed_write_rolls_back_that_article_only_and_is_recorded(db):
    save_article(db, article("https://antaranews.com/before"), None)
    db.execute("""CREATE TRIGGER simulated_io_error BEFORE INSERT ON url_aliases
                  WHEN new.url LIKE '%/broken%'
                  BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END""")
    urls = ["https://antaranews.com/a", "https://antaranews.com/broken", "https://antaranews.com/b"]
    with transaction(db):  # a batch: each article in its own savepoint
        for url in urls:
            try:
                with transaction(db):
                    save_article(db, article(url), None)
            except StorageError as exc:
                record_error(db, None, "store", str(exc), url=url, source="antaranews")
    stored = {r["url"] for r in db.query("SELECT url FROM articles")}
    assert stored == {"https://antaranews.com/before", urls[0], urls[2]}
    assert find_article(db, [urls[1]]) is None
    assert "https://antaranews.com/broken" not in {r["url"] for r in db["seen_urls"].rows}
    (error,) = db["errors"].rows
    assert error["url"] == urls[1] and "disk I/O error" in error["reason"]
    assert _fts_consistent(db)


def test_a_full_disk_loses_only_the_article_being_written(db):
    save_article(db, article("https://antaranews.com/1"), None)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 3}")  # the disk fills up
    for url, text in [("https://antaranews.com/2", "pendek"),
                      ("https://antaranews.com/huge", "panjang " * 100_000),
                      ("https://antaranews.com/3", "pendek lagi")]:
        try:
            with transaction(db):
                save_article(db, article(url, text=text), None)
        except StorageError as exc:
            assert "the disk is full" in str(exc)
            record_error(db, None, "store", str(exc), url=url)
    stored = [r["url"] for r in db.query("SELECT url FROM articles ORDER BY id")]
    assert stored == ["https://antaranews.com/1", "https://antaranews.com/2",
                      "https://antaranews.com/3"]
    assert [e["url"] for e in db["errors"].rows] == ["https://antaranews.com/huge"]
    assert _fts_consistent(db)


def test_a_failed_update_leaves_the_stored_article_as_it_was(db):
    article_id = save_article(db, article("https://antaranews.com/1"), None)
    db.execute("""CREATE TRIGGER simulated_io_error BEFORE UPDATE ON articles
                  BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END""")
    with pytest.raises(StorageError, match="warta.db: write failed: disk I/O error"):
        save_article(db, article("https://antaranews.com/1", text="teks baru"), None)
    assert "Kamboja" in db["articles"].get(article_id)["text"]


def _seen(db):
    save_article(db, article("https://a.id/old", published_at="2025-11-01T00:00:00Z",
                             requested_urls=["https://m.a.id/old"]), None)
    save_article(db, article("https://a.id/fresh", published_at="2025-11-20T00:00:00Z"), None)
    save_article(db, article("https://a.id/nodate", published_at=None,
                             fetched_at="2025-11-20T01:00:00Z"), None)
    save_article(db, article("https://a.id/offtopic", relevant=False,
                             published_at="2025-11-20T00:00:00Z"), None)
    mark_seen(db, "https://a.id/gone", "a", "gone", None)
    mark_seen(db, "https://a.id/failed", "a", "failed", None)


CANDIDATES = ["https://a.id/old", "https://m.a.id/old", "https://a.id/fresh", "https://a.id/nodate",
              "https://a.id/offtopic", "https://a.id/gone",
              "https://a.id/failed", "https://a.id/new"]


def test_skip_urls_refetches_only_relevant_articles_inside_the_recheck_window(db):
    _seen(db)
    skipped = skip_urls(db, CANDIDATES, "2025-11-19T00:00:00Z")
    assert skipped == {"https://a.id/old", "https://m.a.id/old", "https://a.id/offtopic",
                       "https://a.id/gone"}


def test_skip_urls_without_a_window_skips_everything_stored(db):
    _seen(db)
    skipped = skip_urls(db, CANDIDATES, None)
    assert skipped == set(CANDIDATES) - {"https://a.id/failed", "https://a.id/new"}


def test_a_url_gone_only_lately_is_asked_for_again(db):
    _seen(db)  # "gone" first seen now: a 404 of a page a feed listed before it was live
    gone = {"https://a.id/gone"}

    def days_from_now(days):
        return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")

    assert not gone & skip_urls(db, CANDIDATES, None, gone_since_iso=days_from_now(-3))
    assert gone <= skip_urls(db, CANDIDATES, None, gone_since_iso=days_from_now(1))


def test_a_page_stored_without_text_lately_is_asked_for_again(db):
    """A script redirect or a bot check stood where the article was: asked for again
    until the retry window is over, then left as seen. A listing of other pages keeps no
    text either, and is fetched again only when its sitemap says it changed."""
    _seen(db)
    save_article(db, article("https://a.id/script", text="", relevant=False,
                             extraction_note="no article text found (only 8 words)"), None)
    save_article(db, article("https://a.id/tag/ham", text="", relevant=False,
                             extraction_note="a listing of other pages"), None)
    empty = {"https://a.id/script"}

    def days_from_now(days):
        return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")

    lately = days_from_now(-3)
    assert not empty & skip_urls(db, [*CANDIDATES, *empty], None, empty_since_iso=lately)
    assert empty <= skip_urls(db, [*CANDIDATES, *empty], None, empty_since_iso=days_from_now(1))
    assert empty <= skip_urls(db, [*CANDIDATES, *empty], None)
    assert "https://a.id/tag/ham" in skip_urls(db, ["https://a.id/tag/ham"], None,
                                               empty_since_iso=lately)
    # articles with text are skipped as before
    assert skip_urls(db, CANDIDATES, None, empty_since_iso=lately) == skip_urls(db, CANDIDATES, None)


def test_skip_urls_handles_more_urls_than_one_query_takes(db):
    _seen(db)
    many = [f"https://a.id/unknown/{i}" for i in range(1200)] + ["https://a.id/gone"]
    assert skip_urls(db, many, None) == {"https://a.id/gone"}


@pytest.mark.parametrize("status", ["failed", "refused"])
def test_a_failed_refetch_does_not_unmark_a_stored_article(db, status):
    article_id = save_article(db, article("https://a.id/1"), None)
    mark_seen(db, "https://a.id/1", "a", status, None)
    row = db["seen_urls"].get("https://a.id/1")
    assert row["status"] == "stored" and row["article_id"] == article_id
    with pytest.raises(ValueError, match="stored, failed, refused, gone"):
        mark_seen(db, "https://a.id/1", "a", "lost", None)


def test_only_urls_refused_since_before_the_cutoff_are_given_up(db):
    _seen(db)
    for url in ("https://a.id/refused-long", "https://a.id/refused-lately"):
        mark_seen(db, url, "a", "refused", None)
    db.execute("UPDATE seen_urls SET first_seen = '2025-11-01T00:00:00Z' "
               "WHERE url IN ('https://a.id/refused-long', 'https://a.id/failed')")
    urls = [*CANDIDATES, "https://a.id/refused-long", "https://a.id/refused-lately"]
    assert given_up_urls(db, urls, "2025-11-10T00:00:00Z") == {"https://a.id/refused-long"}
    assert given_up_urls(db, urls, "2025-10-01T00:00:00Z") == set()
