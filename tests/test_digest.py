"""The daily digest: what it picks for a day, how it ranks and groups it, every format."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from pathlib import Path

import pytest
from digest_data import DAY, copy_of, digest_database, report, run_crawl_on
from storage_data import add_story

from storage.articles import save_article
from storage.database import open_database, transaction
from storage.digests import latest_day
from storage.runs import record_error, start_run
from storage.search import search_articles
from warta.digest.daily import load_digest
from warta.digest.render import FORMATS, render, to_dict

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    db, ids = digest_database(tmp_path_factory.mktemp("digest") / "warta.db")
    yield db, ids, load_digest(db, date.fromisoformat(DAY))
    db.close()


def entry(digest, story_id):
    return next(e for e in digest.entries if e.story_id == story_id)


def test_stories_are_ranked_by_outlets_then_reports(scenario):
    _, ids, digest = scenario
    assert [e.story_id for e in digest.entries] == [
        ids["wide"], ids["release"], ids["double"], ids["continuing"], ids["script"]]
    assert [e.outlet_count for e in digest.entries] == [4, 3, 2, 2, 1]
    assert entry(digest, ids["double"]).report_count == 3
    assert entry(digest, ids["continuing"]).report_count == 2


def test_header_counts_the_day(scenario):
    _, _, digest = scenario
    counts = digest.counts
    assert (counts.articles, counts.stories, counts.new_stories) == (15, 5, 4)
    assert counts.outlets == 4  # nor the ministry's site, nor suaradaerah (a wire copy only)
    assert counts.unclustered == 0


def test_wire_copy_is_listed_under_its_original(scenario):
    _, ids, digest = scenario
    story = entry(digest, ids["release"])
    sources = [c.source for c in story.outlets]
    assert "suaradaerah" not in sources
    nusa = next(c for c in story.outlets if c.source == "nusa")
    assert [c.source for c in nusa.reports[0].copies] == ["suaradaerah"]
    assert (story.outlet_count, story.wire_copies, story.article_count) == (3, 1, 5)


def test_a_copy_of_an_older_report_brings_the_original_along(tmp_path):
    db = open_database(tmp_path / "w.db")
    story = add_story(db, "Kunjungan lapas", [report("nusa", "o1", "10:00", "Pigai ke lapas",
                                                     day="2025-11-18")])
    original = db.execute("SELECT representative_article_id FROM clusters WHERE id = ?",
                          [story]).fetchone()[0]
    copy_of(db, original, report("suaradaerah", "o1-copy", "09:00", "Pigai tinjau lapas"))
    digest = load_digest(db, date.fromisoformat(DAY))
    (only,) = digest.entries
    assert not only.new and only.wire_copies == 1 and only.report_count == 0
    assert only.outlet_count == digest.counts.outlets == 0  # nusa's report is of an earlier
    # day; the copy is no report
    (nusa,) = only.outlets
    assert nusa.reports[0].at == "2025-11-18T03:00:00Z" and not nusa.reports[0].today
    assert [c.source for c in nusa.reports[0].copies] == ["suaradaerah"]
    assert "18 Nov 10:00 WIB" in render(digest, "txt")


def test_a_day_whose_articles_were_fetched_later_says_so(tmp_path):
    db = open_database(tmp_path / "w.db")
    add_story(db, "Kunjungan lapas", [report("nusa", "o1", "10:00", "Pigai ke lapas")])
    text = render(load_digest(db, date.fromisoformat(DAY)), "txt")
    assert "No crawl ran on this day; its articles were fetched by later crawls" in text
    assert "coverage may be missing" not in text


def test_new_and_continuing_stories(scenario):
    _, ids, digest = scenario
    continuing = entry(digest, ids["continuing"])
    assert not continuing.new
    assert continuing.first_report.source == "harian"
    assert continuing.first_report.at == "2025-11-19T13:00:00Z"
    assert (continuing.story_articles, continuing.article_count) == (3, 2)
    assert [c.source for c in continuing.outlets] == ["detak", "kabar6"]
    assert entry(digest, ids["wide"]).new


def test_a_continuing_story_is_headed_by_the_news_of_the_day(scenario):
    db, ids, digest = scenario
    # the story's headline names its 19 November report; on the 20th, detak's came first
    assert entry(digest, ids["continuing"]).headline == "Sleman punya Desa Sadar HAM"
    before = load_digest(db, date.fromisoformat("2025-11-19"))
    assert entry(before, ids["continuing"]).headline == "Desa Sadar HAM diresmikan di Sleman"
    assert entry(digest, ids["wide"]).headline == "Pigai dan Menteri Kehakiman Kamboja sepakati mekanisme korban"
    for fmt in ("md", "txt", "html"):
        text = render(digest, fmt)
        assert "continuing since 19 Nov 20:00 WIB" in text
        assert "new today" in text or "NEW" in text


def test_press_release_pickup_with_delays(scenario):
    _, ids, digest = scenario
    story = entry(digest, ids["release"])
    assert story.release.report.source == "kemenham"
    assert story.first_report.source == "kemenham"
    pickups = [(p.source, p.delay_minutes, p.copy_of) for p in story.release.pickups]
    assert pickups == [("detak", 45, None), ("nusa", 90, None), ("harian", 210, None),
                       ("suaradaerah", 390, "nusa")]
    assert "kemenham" not in [c.source for c in story.outlets]  # shown once, as the release
    assert all(e.release is None for e in digest.entries if e.story_id != ids["release"])
    text = " ".join(render(digest, "txt").split())
    assert "detak +45 min" in text and "nusa +1 h 30 min" in text
    assert "suaradaerah +6 h 30 min (wire copy of nusa)" in text


def test_an_undated_pickup_has_no_delay(tmp_path):
    db, ids = digest_database(tmp_path / "w.db")
    db.execute("UPDATE articles SET published_at = NULL WHERE url = 'https://harian.example/r3'")
    story = entry(load_digest(db, date.fromisoformat(DAY)), ids["release"])
    pickups = {p.source: p.delay_minutes for p in story.release.pickups}
    assert pickups["harian"] is None and pickups["detak"] == 45  # its time is when it was fetched


def test_an_earlier_report_revised_on_the_day_its_copy_came_out_is_listed_once(tmp_path):
    db = open_database(tmp_path / "w.db")
    evening = report("nusa", "n1", "23:40", "Pigai minta tiga blok baru", day="2025-11-19")
    story = add_story(db, "Pigai minta tiga blok baru", [evening])
    (original_id,) = db.execute("SELECT id FROM articles").fetchone()
    copy_id = copy_of(db, original_id, report("suaradaerah", "n1-copy", "06:10",
                                              "Pigai minta tiga blok baru"))
    db.execute("UPDATE articles SET revised_at = '2025-11-20T05:00:00Z' WHERE id = ?", (original_id,))
    digest = load_digest(db, date.fromisoformat(DAY))
    (listed,) = [r for c in entry(digest, story).outlets for r in c.reports]
    assert (listed.id, listed.revised, [c.id for c in listed.copies]) == \
        (original_id, "2025-11-20T05:00:00Z", [copy_id])
    assert entry(digest, story).updates == () and digest.counts.updated == 1
    text = render(digest, "txt")
    assert text.count("Pigai minta tiga blok baru") == 3  # the headline, the report, its copy
    assert "updated 12:00 WIB" in text and "1 updated" in text


def test_failed_sources_of_the_days_crawls_are_in_the_header(scenario):
    _, _, digest = scenario
    crawls = digest.crawls
    assert crawls.runs == 2 and crawls.outcomes == {"ok": 1, "partial": 1}
    failed = {f.source: f for f in crawls.failed_sources}
    assert set(failed) == {"kabar6", "suaradaerah"}  # harian failed on another day
    assert (failed["kabar6"].failed, failed["kabar6"].errors) == (3, 3)
    assert failed["kabar6"].reason == "HTTP 503 Service Unavailable"
    assert failed["suaradaerah"].stages == ("feed",)
    for fmt in FORMATS:
        text = render(digest, fmt)
        assert "HTTP 503 Service Unavailable" in text and "feed timed out after 30s" in text
        header = text.split("Pigai dan Menteri")[0]
        assert "kabar6" in header and "suaradaerah" in header
    long = dataclasses.replace(failed["kabar6"], reason="connection refused by the host " * 4)
    wrapped = dataclasses.replace(digest, crawls=dataclasses.replace(crawls, failed_sources=(long,)))
    lines = render(wrapped, "txt").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  ! kabar6"))
    assert lines[at + 1].startswith("    ")
    assert not lines[at + 1].startswith("  ! ")  # a wrapped line goes on unmarked


def test_a_url_failing_in_each_of_the_days_crawls_counts_once(tmp_path):
    db = open_database(tmp_path / "warta.db")
    for hhmm in ("06:00", "12:00", "18:00"):
        run = run_crawl_on(db, DAY, hhmm, "partial", {"kabar6": {"fetched": 4, "failed": 2}})
        for n in range(2):
            record_error(db, run, "fetch", "HTTP 503 Service Unavailable",
                         url=f"https://kabar6.example/p{n}", source="kabar6")
    (failed,) = load_digest(db, date.fromisoformat(DAY)).crawls.failed_sources
    assert (failed.failed, failed.errors) == (2, 6)
    assert "kabar6: 2 URLs failed; 6 errors (fetch)" in render(
        load_digest(db, date.fromisoformat(DAY)), "txt")


def test_a_sources_commonest_failure_reason_is_given_with_the_count_of_the_others(tmp_path):
    db = open_database(tmp_path / "warta.db")
    run = run_crawl_on(db, DAY, "06:00", "partial", {"kabar6": {"fetched": 4, "failed": 4}})
    for n, reason in enumerate(["HTTP 404", "HTTP 404", "empty body", "not an HTML page"]):
        record_error(db, run, "fetch", reason, url=f"https://kabar6.example/p{n}", source="kabar6")
    digest = load_digest(db, date.fromisoformat(DAY))
    (failed,) = digest.crawls.failed_sources
    assert (failed.reason, failed.other_reasons) == ("HTTP 404", 2)
    assert "kabar6: 4 URLs failed; 4 errors (fetch): HTTP 404 (and 2 other reasons)" in render(
        digest, "txt")


@pytest.mark.parametrize(("outcome", "expected"), [
    ("ok", "the crawls ran and found none"),
    ("failed", "the crawls ran but none completed: failed"),
    (None, "no crawl ran"),
])
def test_a_day_without_coverage_says_so_and_whether_crawls_ran(tmp_path, outcome, expected):
    db = open_database(tmp_path / "w.db")
    add_story(db, "Kunjungan lapas", [report("nusa", "o1", "10:00", "Pigai ke lapas",
                                             day="2025-11-18")])
    if outcome is not None:
        run_crawl_on(db, DAY, "06:00", outcome, {"nusa": {"fetched": 3}})
    digest = load_digest(db, date.fromisoformat(DAY))
    assert digest.entries == () and digest.counts.articles == 0
    for fmt in ("md", "txt", "html"):
        text = " ".join(render(digest, fmt).split())
        assert "No coverage of the ministry on Thu 20 Nov 2025" in text and expected in text
        assert len(text) < 2500
    assert json.loads(render(digest, "json"))["entries"] == []


def test_html_escapes_every_scraped_string(scenario):
    _, _, digest = scenario
    page = render(digest, "html")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Menteri HAM &amp; " \
           "&lt;b&gt;Komnas&lt;/b&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt; Menteri HAM" in page
    assert 'href="https://detak.example/s1?a=1&amp;b=&lt;2&gt;"' in page
    assert not re.search(r"<(script|img|b>|link|iframe|style)", page, re.IGNORECASE)
    assert not re.search(r"<[^>]*\son\w+\s*=", page, re.IGNORECASE)


def test_html_is_e_mail_ready(scenario):
    _, _, digest = scenario
    page = render(digest, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "max-width:640px" in page
    assert not re.search(r"<(style|script|link|img)\b", page)
    assert "class=" not in page  # mail clients drop style sheets: everything is inline
    assert not re.search(r"<[^>]*\ssrc=|url\(|@import", page)  # nothing fetched from elsewhere
    assert page.count('<h2 style=') == len(digest.entries)


def test_markdown_escapes_markup_and_lists_entries(scenario):
    _, _, digest = scenario
    text = render(digest, "md")
    assert text.startswith("# Kemenham coverage, Thu 20 Nov 2025")
    assert len(re.findall(r"^## \d+\. ", text, re.MULTILINE)) == 5
    assert r"\<script\>alert('x')\</script\>" in text and "<script>" not in text
    assert "(https://detak.example/s1?a=1&b=%3C2%3E)" in text


def test_plain_text_has_no_markup_and_short_lines(scenario):
    _, _, digest = scenario
    text = render(digest, "txt")
    assert "**" not in text and "<a " not in text
    long = [line for line in text.splitlines() if len(line) > 78 and "https://" not in line]
    assert long == []
    assert "   - nusa, 09:10 WIB: Pigai temui Menkeh Kamboja" in text


def test_a_long_headline_wraps_under_its_number_and_a_long_title_under_its_outlet(tmp_path):
    db = open_database(tmp_path / "w.db")
    headline = ("Petani Deli Serdang adukan sengketa lahan dengan perusahaan perkebunan ke "
                "Kementerian Hak Asasi Manusia di Jakarta")
    add_story(db, headline, [report("nusa", "p1", "10:00", headline)])
    lines = render(load_digest(db, date.fromisoformat(DAY)), "txt").splitlines()
    at = lines.index(next(line for line in lines if line.startswith("1. Petani")))
    assert lines[at + 1].startswith("   ") and lines[at + 1].split()[0] in headline
    report_line = next(i for i, line in enumerate(lines) if line.startswith("   - nusa, 10:00"))
    assert lines[report_line + 1].startswith("     ") and lines[report_line + 1].split()[0] in headline
    assert all(len(line) <= 78 for line in lines if "https://" not in line)


def test_a_report_of_an_earlier_day_revised_on_the_day_is_named_as_an_update(tmp_path):
    db = open_database(tmp_path / "w.db")
    earlier = report("nusa", "u1", "10:00", "Pigai tinjau lapas Medan", day="2025-11-19",
                     text="Menteri HAM Natalius Pigai meninjau lapas di Medan. Tiga petugas "
                          "dinonaktifkan setelah video pemukulan tahanan beredar.")
    updated = add_story(db, "Pigai tinjau lapas Medan", [earlier])
    today = add_story(db, "Desa Sadar HAM", [report("detak", "d1", "09:00", "Desa Sadar HAM"),
                                             report("nusa", "d2", "11:00", "Desa Sadar HAM")])
    fresh = add_story(db, "Kemenham terima aduan", [report("kabar6", "k1", "08:00", "Aduan")])
    db.execute("UPDATE articles SET revised_at = '2025-11-20T05:00:00Z' WHERE url LIKE '%/u1'")
    db.execute("UPDATE articles SET revised_at = '2025-11-20T06:00:00Z' WHERE url LIKE '%/k1'")
    digest = load_digest(db, date.fromisoformat(DAY))
    assert [e.story_id for e in digest.entries] == [today, fresh, updated]
    (revision,) = entry(digest, updated).updates
    assert revision.revised == "2025-11-20T05:00:00Z" and not revision.today
    assert entry(digest, fresh).updates == ()  # a report of the day is the day's news already
    assert entry(digest, updated).headline == "Pigai tinjau lapas Medan"
    assert "dinonaktifkan" in " ".join(entry(digest, updated).summary)
    assert digest.counts.updated == 1 and digest.counts.articles == 3
    text = " ".join(render(digest, "txt").split())
    assert "nusa, 19 Nov 10:00 WIB, updated 12:00 WIB: Pigai tinjau lapas Medan" in text
    assert "3 articles · 3 stories (2 new) · 3 outlets · 1 updated" in text
    for fmt in ("md", "html"):
        assert "19 Nov 10:00 WIB, updated 12:00 WIB" in render(digest, fmt)
    data = json.loads(render(digest, "json"))
    assert data["entries"][2]["updates"][0]["revised"] == "2025-11-20T05:00:00Z"
    day_before = load_digest(db, date.fromisoformat("2025-11-19"))
    assert [(e.story_id, e.updates) for e in day_before.entries] == [(updated, ())]
    assert "updated" not in render(day_before, "txt")


def test_a_wire_copy_revised_with_its_original_is_listed_under_the_originals_update(tmp_path):
    db = open_database(tmp_path / "w.db")
    original = report("nusa", "w1", "10:00", "Pigai tinjau lapas Medan", day="2025-11-19")
    story = add_story(db, "Pigai tinjau lapas Medan", [original])
    (original_id,) = db.execute("SELECT id FROM articles").fetchone()
    copies = [copy_of(db, original_id, report(source, f"w1-{source}", "11:00",
                                              "Pigai tinjau lapas Medan", day="2025-11-19"))
              for source in ("suaradaerah", "kabar6")]
    db.execute("UPDATE articles SET revised_at = '2025-11-20T05:00:00Z'")
    (update,) = entry(load_digest(db, date.fromisoformat(DAY)), story).updates
    assert update.id == original_id and [c.id for c in update.copies] == copies
    digest = load_digest(db, date.fromisoformat(DAY))
    assert digest.counts.updated == 3 and entry(digest, story).updated == 3
    text = render(digest, "txt")
    assert text.count("wire copy:") == 2 and "· 3 updated" in " ".join(text.split())
    for fmt in ("md", "html"):
        assert render(digest, fmt).count("wire copy: ") == 2, fmt
    db.execute("UPDATE articles SET revised_at = NULL WHERE id = ?", (original_id,))
    updates = entry(load_digest(db, date.fromisoformat(DAY)), story).updates
    assert [(u.id, u.copies) for u in updates] == [(copies[0], ()), (copies[1], ())]  # no original to go under


def test_json_has_the_documented_shape(scenario):
    _, _, digest = scenario
    data = json.loads(render(digest, "json"))
    assert data["schema"] == "warta.digest/1" and data["day"] == DAY
    assert len(data["entries"]) == 5
    doc = (ROOT / "docs" / "digest.md").read_text(encoding="utf-8")
    shape = doc.split("## JSON shape", 1)[1].split("## Delivery", 1)[0]

    def keys(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                yield key
                yield from keys(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from keys(inner)

    undocumented = {k for k in keys(data) if f'"{k}"' not in shape} - set(data["crawls"]["outcomes"])
    assert undocumented == set()
    assert json.loads(json.dumps(to_dict(digest))) == data  # the webhook sends the same


def test_summary_comes_from_the_reports_without_dateline_or_promo(scenario):
    _, ids, digest = scenario
    summary = entry(digest, ids["wide"]).summary
    assert 2 <= len(summary) <= 3
    assert summary[0].startswith("Menteri HAM Natalius Pigai bertemu")  # dateline taken off
    assert not any("Google News" in s for s in summary)


def test_latest_day(tmp_path, scenario):
    db, _, _ = scenario
    assert latest_day(db) == date.fromisoformat(DAY)
    empty = open_database(tmp_path / "empty.db")
    assert latest_day(empty) is None
    start_run(empty, "crawl", ["nusa"], pid=None)
    assert latest_day(empty) is not None


def test_an_undated_article_stays_on_the_day_it_was_first_stored_when_fetched_again(tmp_path):
    db = open_database(tmp_path / "w.db")
    first = {**report("kabar6", "u1", "10:00", "Menteri HAM di Lapas Wamena"), "published_at": None}
    story = add_story(db, "Menteri HAM di Lapas Wamena", [first])
    with transaction(db):  # a routine re-check three days later: the same page
        save_article(db, {**first, "fetched_at": "2025-11-23T03:00:00Z"}, None)
    assert db.execute("SELECT fetched_at FROM articles").fetchone()[0] == "2025-11-23T03:00:00Z"
    assert [e.story_id for e in load_digest(db, date.fromisoformat(DAY)).entries] == [story]
    assert load_digest(db, date(2025, 11, 23)).entries == ()
    assert [r["day"] for r in db.query("SELECT day FROM daily_clusters")] == [DAY]
    assert [r["day"] for r in db.query("SELECT day FROM source_daily")] == [DAY]
    assert [a["id"] for a in search_articles(db, "Wamena", since=DAY, until=DAY)] != []
    assert search_articles(db, "Wamena", since="2025-11-23") == []
