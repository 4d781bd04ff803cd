"""Reports whose page gives a day without a time: stored as a day, never taken as out
at midnight ahead of that day's timed reports, shown as a day in the digest."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest
from digest_data import DAY, report
from sqlite_utils import Database
from storage_data import add_story

from storage.articles import reported_at, reported_time, save_article
from storage.clusters import merge_clusters
from storage.database import open_database, transaction
from storage.schema import MIGRATIONS, migrate
from warta.digest.daily import load_digest
from warta.digest.render import render

MIDNIGHT = "2025-11-19T17:00:00Z"  # 20 November, 00:00 WIB: how a day alone is stored


def _day_only(source: str, slug: str, title: str, published_source: str = "meta") -> dict:
    record = report(source, slug, "09:00", title, published_precision="day",
                    published_source=published_source)
    return {**record, "published_at": MIDNIGHT}


def _stored_at(db, url: str, when: str) -> None:
    with transaction(db):
        db.execute("UPDATE articles SET stored_at = ? WHERE url = ?", (when, url))


def test_a_day_alone_stored_on_its_day_counts_from_when_it_was_stored(tmp_path):
    db = open_database(tmp_path / "w.db")
    timed = report("harian", "h1", "12:00", "Pigai kunjungi lapas")
    day = _day_only("nusa", "n1", "Kemenham tinjau lapas")
    story = add_story(db, "Lapas", [timed, day])
    _stored_at(db, day["url"], "2025-11-20T01:00:00Z")  # 08:00 WIB, before harian's 12:00
    first = load_digest(db, date.fromisoformat(DAY)).entries[0].first_report
    assert (first.source, first.at, first.day_only) == ("nusa", "2025-11-20T01:00:00Z", True)

    _stored_at(db, day["url"], "2025-11-20T08:00:00Z")  # 15:00 WIB, after harian's report
    first = load_digest(db, date.fromisoformat(DAY)).entries[0].first_report
    assert (first.source, first.day_only) == ("harian", False)
    other = add_story(db, "Lain", [report("detak", "d1", "20:00", "Lain")])
    merge_clusters(db, story, other)  # the story's record is recomputed
    row = db.execute("SELECT first_source, first_seen FROM clusters WHERE id = ?", [story]).fetchone()
    assert row == ("harian", "2025-11-20T05:00:00Z")


def test_a_day_alone_stored_days_later_comes_at_the_end_of_its_day(tmp_path):
    db = open_database(tmp_path / "w.db")
    late_timed = report("harian", "h1", "23:30", "Pigai kunjungi lapas")
    day = _day_only("nusa", "n1", "Kemenham tinjau lapas")  # stored now, a year later
    add_story(db, "Lapas", [late_timed, day])
    entry = load_digest(db, date.fromisoformat(DAY)).entries[0]
    assert entry.first_report.source == "harian"
    nusa = next(c for c in entry.outlets if c.source == "nusa").reports[0]
    assert (nusa.at, nusa.today) == ("2025-11-20T16:59:59Z", True)  # still its own day
    text = render(load_digest(db, date.fromisoformat(DAY)), "txt")
    assert "today, no time given" in text and "16:59" not in text and "23:59" not in text


def test_a_release_giving_a_day_alone_has_no_pickup_delays(tmp_path):
    db = open_database(tmp_path / "w.db")
    with transaction(db):
        db.execute("INSERT INTO sources(name, official) VALUES ('kemenham', 1)")
    release = _day_only("kemenham", "siaran-pers", "Siaran Pers: Kemenham tinjau lapas")
    add_story(db, "Lapas", [release, report("harian", "h1", "12:00", "Pigai kunjungi lapas")])
    _stored_at(db, release["url"], "2025-11-20T01:00:00Z")
    digest = load_digest(db, date.fromisoformat(DAY))
    (pickup,) = digest.entries[0].release.pickups
    assert (pickup.source, pickup.delay_minutes) == ("harian", None)
    for fmt in ("txt", "md", "html"):
        assert "no time given" in render(digest, fmt), fmt
    data = json.loads(render(digest, "json"))
    assert data["entries"][0]["release"]["report"]["day_only"] is True


def test_a_later_fetch_reading_the_same_text_date_keeps_the_first_reading(tmp_path):
    db = open_database(tmp_path / "w.db")
    first = _day_only("nusa", "n1", "Lapas", published_source="text")
    article_id = save_article(db, first, None)
    save_article(db, {**first, "published_at": "2025-11-20T05:00:00Z",
                      "published_precision": "time"}, None)
    assert db.execute("SELECT published_at, published_precision FROM articles WHERE id = ?",
                      [article_id]).fetchone() == (MIDNIGHT, "day")
    save_article(db, {**first, "published_source": "meta", "published_at": "2025-11-20T05:00:00Z",
                      "published_precision": "time"}, None)
    assert db.execute("SELECT published_at, published_precision FROM articles WHERE id = ?",
                      [article_id]).fetchone() == ("2025-11-20T05:00:00Z", "time")


def test_rows_stored_before_the_column_are_days_only_when_dated_by_their_address(tmp_path):
    db = Database(sqlite3.connect(tmp_path / "old.db"))
    migrate(db, [m for m in MIGRATIONS if m.name < "0012"])
    with transaction(db):
        db.execute("INSERT INTO sources(name) VALUES ('nusa')")
        for url, source in (("https://nusa.example/2025/11/20/a", "url"),
                            ("https://nusa.example/b", "meta")):
            db.execute("INSERT INTO articles(url, source, published_at, published_source, "
                       "fetched_at, updated_at, text, word_count, relevant, relevance_score, "
                       "matched_terms) VALUES (?, 'nusa', ?, ?, '2025-11-22T00:00:00Z', "
                       "'2025-11-22T00:00:00Z', 'x', 1, 1, 1, '[]')", (url, MIDNIGHT, source))
    migrate(db)
    assert dict(db.execute("SELECT published_source, published_precision FROM articles")) == {
        "url": "day", "meta": None}


@pytest.mark.parametrize(("published", "precision", "fetched", "expected"), [
    (MIDNIGHT, "day", "2025-11-20T01:00:00Z", "2025-11-20T01:00:00Z"),  # fetched that day
    (MIDNIGHT, "day", "2025-11-23T01:00:00Z", "2025-11-20T16:59:59Z"),  # days later
    (MIDNIGHT, "day", "2025-11-19T10:00:00Z", MIDNIGHT),  # a day ahead of its fetch
    ("2025-11-20T05:00:00Z", "time", "2025-11-23T01:00:00Z", "2025-11-20T05:00:00Z"),
    ("2025-11-20T05:00:00Z", None, "2025-11-23T01:00:00Z", "2025-11-20T05:00:00Z"),
    (None, None, "2025-11-23T01:00:00Z", "2025-11-23T01:00:00Z"),
])
def test_the_time_a_report_counts_from_is_the_same_before_and_after_it_is_stored(
        published, precision, fetched, expected):
    row = sqlite3.connect(":memory:").execute(
        f"SELECT {reported_at()} FROM (SELECT ? AS published_at, ? AS published_precision, "
        "? AS stored_at, ? AS fetched_at)", (published, precision, fetched, fetched)).fetchone()
    assert row[0] == reported_time(published, precision, fetched) == expected
