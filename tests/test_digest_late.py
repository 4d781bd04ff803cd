"""Articles that come in after the digest of their day went out: the next digest names them."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest
from digest_data import report
from sqlite_utils import Database
from storage_data import add_story

from storage.articles import save_article
from storage.database import open_database, transaction
from storage.digests import late_articles, record_digest
from storage.schema import MIGRATIONS, migrate
from warta.digest.daily import load_digest
from warta.digest.model import build_digest
from warta.digest.phrasing import LATE_REPORTS_SHOWN, LATE_STORIES_SHOWN
from warta.digest.render import render

DAY_19, DAY_20, DAY_21 = (date(2025, 11, d) for d in (19, 20, 21))


def stored(db, article_url: str, at: str) -> None:
    db.execute("UPDATE articles SET stored_at = ? WHERE url = ?", (at, article_url))


def went_out(db, day: date, at: str, ok: bool = True) -> None:
    record_digest(db, day, "html", None, [{"channel": "smtp", "target": "monitors", "ok": ok,
                                            "attempts": 1, "error": None if ok else "refused",
                                            "at": at}])


@pytest.fixture
def db(tmp_path):
    """A story of 19 November whose digest went out at 07:00 WIB on the 20th, with
    reports stored before and after that."""
    db = open_database(tmp_path / "w.db")
    on_time = report("nusa", "a1", "10:00", "Pigai kunjungi lapas", day="2025-11-19")
    before = report("harian", "a3", "21:00", "Lapas penuh sesak", day="2025-11-19")
    after = report("detak", "a2", "22:00", "Napi keluhkan air bersih", day="2025-11-19")
    nobody_saw = report("kabar6", "a4", "08:00", "Kunjungan ke lapas lain", day="2025-11-17")
    story = add_story(db, "Pigai kunjungi lapas", [on_time, before, after, nobody_saw])
    stored(db, on_time["url"], "2025-11-19T03:05:00Z")
    stored(db, before["url"], "2025-11-19T23:00:00Z")  # 06:00 WIB on the 20th
    stored(db, after["url"], "2025-11-20T01:00:00Z")  # 08:00 WIB on the 20th
    stored(db, nobody_saw["url"], "2025-11-20T02:00:00Z")
    went_out(db, DAY_19, "2025-11-20T00:00:00Z")
    db.story = story
    db.urls = {"on_time": on_time["url"], "before": before["url"], "after": after["url"],
               "nobody_saw": nobody_saw["url"]}
    yield db
    db.close()


def late_urls(db, day: date) -> list[str]:
    return [a["url"] for a in late_articles(db, day)]


def test_an_article_stored_after_its_days_digest_went_out_is_named_by_the_next(db):
    assert late_urls(db, DAY_20) == [db.urls["after"]]
    (row,) = late_articles(db, DAY_20)
    assert row["cluster_id"] == db.story and row["headline"] == "Pigai kunjungi lapas"
    assert row["stored_at"] == "2025-11-20T01:00:00Z"


def test_nothing_is_late_before_any_digest_went_out(db):
    assert late_urls(db, DAY_19) == []
    db.execute("DELETE FROM digests")
    assert late_urls(db, DAY_20) == []


def test_a_failed_delivery_is_no_digest_gone_out(db):
    db.execute("DELETE FROM digests")
    went_out(db, DAY_19, "2025-11-20T00:00:00Z", ok=False)
    assert late_urls(db, DAY_20) == []


def test_a_late_article_is_named_once_and_the_same_digest_made_again_names_the_same(db):
    went_out(db, DAY_20, "2025-11-21T00:00:00Z")
    later = report("kabar6", "a5", "23:00", "Air bersih lapas diperbaiki", day="2025-11-19")
    with transaction(db):
        save_article(db, {**later, "cluster_id": db.story}, None)
    stored(db, later["url"], "2025-11-21T01:00:00Z")  # after the digest of the 20th
    assert late_urls(db, DAY_21) == [later["url"]]
    assert late_urls(db, DAY_20) == [db.urls["after"]]  # as it went out


def test_the_digest_lists_late_articles_by_story_in_every_format(db):
    digest = load_digest(db, DAY_20)
    assert digest.counts.late == 1
    (story,) = digest.late
    assert story.story_id == db.story and [r.source for r in story.reports] == ["detak"]
    assert story.reports[0].at == "2025-11-19T15:00:00Z" and not story.reports[0].today
    for fmt in ("md", "txt", "html"):
        text = render(digest, fmt)
        assert "ame in late" in text.replace("CAME IN LATE", "Came in late"), fmt
        assert "Napi keluhkan air bersih" in text and "19 Nov 22:00 WIB" in text, fmt
    data = json.loads(render(digest, "json"))
    assert data["counts"]["late"] == 1
    assert data["late"][0]["reports"][0]["url"] == db.urls["after"]


def _late_row(number: int, story: int) -> dict:
    return {"id": number, "cluster_id": story, "headline": f"Story {story}",
            "source": "nusa", "official": False, "url": f"https://nusa.example/{number}",
            "title": f"Report {number}", "published_at": "2025-11-19T03:00:00Z",
            "at": f"2025-11-19T03:{number % 60:02d}:00Z", "today": False}


def test_a_backfill_is_cut_short_in_the_text_formats_and_whole_in_json():
    rows = [_late_row(n, 1) for n in range(LATE_REPORTS_SHOWN + 2)]
    rows += [_late_row(100 + n, 2 + n) for n in range(LATE_STORIES_SHOWN + 3)]
    digest = build_digest(DAY_20, [], {"runs": 0, "outcomes": {}, "failed_sources": []}, 0,
                          lambda texts: [], "2025-11-21T00:00:00Z", rows)
    assert digest.counts.late == len(rows)
    assert digest.late[0].story_id == 1  # the story with the most late articles first
    text = render(digest, "txt")
    assert "and 2 more" in text
    assert "and 4 more stories with 4 late articles" in text
    assert text.count("https://nusa.example/") == LATE_REPORTS_SHOWN + LATE_STORIES_SHOWN - 1
    assert len(json.loads(render(digest, "json"))["late"]) == LATE_STORIES_SHOWN + 4


def test_articles_stored_before_the_column_take_the_first_time_their_address_was_seen(tmp_path):
    db = Database(sqlite3.connect(tmp_path / "old.db"))
    migrate(db, [m for m in MIGRATIONS if m.name < "0011"])
    url = "https://nusa.example/old"
    with transaction(db):
        db.execute("INSERT INTO sources(name) VALUES ('nusa')")
        db.execute("INSERT INTO articles(url, source, fetched_at, updated_at, text, word_count, "
                   "relevant, relevance_score, matched_terms) VALUES (?, 'nusa', "
                   "'2025-11-22T00:00:00Z', '2025-11-22T00:00:00Z', 'x', 1, 1, 1, '[]')", (url,))
        db.execute("INSERT INTO seen_urls(url, source, status, first_seen) "
                   "VALUES (?, 'nusa', 'stored', '2025-11-19T04:00:00Z')", (url,))
    migrate(db)
    assert db.execute("SELECT stored_at FROM articles").fetchone()[0] == "2025-11-19T04:00:00Z"
    with transaction(db):
        save_article(db, {"url": url, "source": "nusa", "fetched_at": "2025-11-23T00:00:00Z",
                          "text": "y"}, None)
    assert db.execute("SELECT stored_at FROM articles").fetchone()[0] == "2025-11-19T04:00:00Z"


def test_an_article_in_a_later_delivery_of_its_days_digest_is_not_late(db):
    # the digest of the 19th looked at as a file at 07:00 WIB, sent by mail at 09:00 WIB:
    # the report stored at 08:00 WIB went out with the mail
    record_digest(db, DAY_19, "txt", "/tmp/digest-2025-11-19.txt",
                  [{"channel": "smtp", "target": "monitors", "ok": True, "attempts": 1,
                    "error": None, "at": "2025-11-20T02:00:00Z"}])
    assert late_urls(db, DAY_20) == []
    stored(db, db.urls["after"], "2025-11-20T02:30:00Z")  # after both
    assert late_urls(db, DAY_20) == [db.urls["after"]]


def revised(db, article_url: str, at: str) -> None:
    db.execute("UPDATE articles SET revised_at = ? WHERE url = ?", (at, article_url))


def test_a_revision_after_its_days_digest_went_out_is_an_update_in_the_next(tmp_path):
    """A digest of the 20th sent at 17:00 WIB that day: the reports revised that evening
    are updates in the digest of the 21st, once."""
    db = open_database(tmp_path / "w.db")
    evening = report("nusa", "e1", "09:00", "Pigai tinjau lapas Medan", day="2025-11-20",
                     text="Tiga petugas lapas dinonaktifkan setelah video pemukulan beredar.")
    older = report("detak", "o1", "10:00", "Aduan warga Deli Serdang", day="2025-11-19")
    before = report("kabar6", "b1", "08:00", "Desa Sadar HAM", day="2025-11-20")
    stories = [add_story(db, r["title"], [r]) for r in (evening, older, before)]
    went_out(db, DAY_20, "2025-11-20T10:00:00Z")  # 17:00 WIB
    revised(db, evening["url"], "2025-11-20T14:00:00Z")  # 21:00 WIB, after it went out
    revised(db, older["url"], "2025-11-20T16:30:00Z")  # 23:30 WIB
    revised(db, before["url"], "2025-11-20T09:00:00Z")  # 16:00 WIB: the digest had it

    digest = load_digest(db, DAY_21)
    updates = {e.story_id: [r.revised for r in e.updates] for e in digest.entries}
    assert updates == {stories[0]: ["2025-11-20T14:00:00Z"], stories[1]: ["2025-11-20T16:30:00Z"]}
    assert digest.counts.updated == 2 and digest.counts.articles == 0
    assert "dinonaktifkan" in " ".join(next(e for e in digest.entries
                                            if e.story_id == stories[0]).summary)
    assert "updated 20 Nov 21:00 WIB" in " ".join(render(digest, "txt").split())

    went_out(db, DAY_21, "2025-11-21T10:00:00Z")
    assert sorted(e.story_id for e in load_digest(db, DAY_21).entries) == stories[:2]  # made again
    assert load_digest(db, date(2025, 11, 22)).entries == ()  # named once
    db.close()


def test_a_revision_is_named_by_its_own_days_digest_when_that_went_out_after_it(tmp_path):
    db = open_database(tmp_path / "w.db")
    older = report("detak", "o1", "10:00", "Aduan warga Deli Serdang", day="2025-11-19")
    add_story(db, older["title"], [older])
    revised(db, older["url"], "2025-11-20T14:00:00Z")
    went_out(db, DAY_20, "2025-11-20T10:00:00Z")
    went_out(db, DAY_20, "2025-11-20T15:00:00Z")  # sent again after the revision
    assert load_digest(db, DAY_21).entries == ()
    assert [len(e.updates) for e in load_digest(db, DAY_20).entries] == [1]
    db.close()


def test_a_late_article_is_named_once_when_digests_went_out_out_of_day_order(db):
    went_out(db, date(2025, 11, 25), "2025-11-20T00:30:00Z")  # a later day's, looked at early
    went_out(db, DAY_20, "2025-11-21T00:00:00Z")
    assert late_urls(db, DAY_20) == [db.urls["after"]]
    assert late_urls(db, date(2025, 11, 26)) == []  # the digest of the 20th named it
