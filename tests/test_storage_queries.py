"""Search, story listings, statistics and the analyst views over a small story database."""

import pytest
from storage_data import add_story, article, story_database

from storage.analytics import get_cluster, list_clusters, store_stats
from storage.articles import sync_sources
from storage.periods import to_wib, utc_bounds
from storage.schema import MIGRATIONS
from storage.search import fts_query, search_articles


@pytest.fixture
def db(tmp_path):
    return story_database(tmp_path / "warta.db")


def _urls(rows):
    return {r["url"] for r in rows}


def test_search_finds_all_words_and_ranks_title_matches_first(db):
    rows = search_articles(db, "pekerja migran")
    assert rows[0]["url"] in {"https://antaranews.com/a1", "https://kompas.com/k1"}
    assert _urls(rows) == {"https://antaranews.com/a1", "https://kompas.com/k1",
                           "https://detik.com/d1"}
    assert "[pekerja] [migran]" in rows[0]["snippet"]
    assert _urls(search_articles(db, "nusakambangan")) == {"https://tempo.co/t1"}
    assert search_articles(db, "pekerja nusakambangan") == []


def test_search_filters_by_wib_day_and_source(db):
    # a1 is published 2025-11-19T18:30Z, which is already 20 November in Jakarta
    assert "https://antaranews.com/a1" in _urls(search_articles(db, "HAM", since="2025-11-20"))
    assert _urls(search_articles(db, "HAM", until="2025-11-20")) == {
        "https://antaranews.com/a1", "https://kompas.com/k1", "https://detik.com/d1"}
    assert _urls(search_articles(db, "HAM", since="2025-11-21", source="antaranews")) == {
        "https://antaranews.com/a2", "https://antaranews.com/a3"}
    with pytest.raises(ValueError, match="since: expected a date"):
        search_articles(db, "HAM", since="kemarin")
    with pytest.raises(ValueError, match="--since 2025-11-25 comes after --until 2025-11-20"):
        search_articles(db, "HAM", since="2025-11-25", until="2025-11-20")
    assert search_articles(db, "HAM", since="2025-11-21", until="2025-11-21")  # one day
    with pytest.raises(ValueError, match="no source named 'antara' in the database "
                                         r"\(known: antaranews, detik, kompas, tempo\)"):
        search_articles(db, "HAM", source="antara")


def test_typed_queries_never_break_fts_syntax():
    assert fts_query("pekerja migran") == '"pekerja" "migran"'
    assert fts_query('"Desa Sadar HAM" OR Kemenham') == '"Desa Sadar HAM" OR "Kemenham"'
    assert fts_query("HAM-RI: (Pigai)") == '"HAM-RI:" "(Pigai)"'
    assert fts_query("pekerja NOT migran*") == '("pekerja") NOT "migran"*'
    for query, reason in (("NOT migran", "NOT needs a word before it"),
                          ("pekerja OR NOT migran", "OR NOT: two operators in a row"),
                          ("pekerja OR", "OR at the end of 'pekerja OR' has no word after it"),
                          ("pekerja NOT --", "NOT at the end")):
        with pytest.raises(ValueError, match=reason):
            fts_query(query)
    with pytest.raises(ValueError, match="nothing to search for"):
        fts_query("  ( ) -- ")
    assert fts_query("“Desa Sadar HAM”") == '"Desa Sadar HAM"'
    assert fts_query('"pekerja mig"*') == '"pekerja mig"*'
    assert fts_query("pekerja -migran HAM-RI") == '("pekerja" "HAM-RI") NOT "migran"'
    with pytest.raises(ValueError, match="NOT needs a word before it"):
        fts_query("-migran")


def test_a_number_typed_without_separators_finds_it_written_with_them(db):
    add_story(db, "Remisi", [
        article("https://kompas.com/r1", source="kompas", text="Sebanyak 1.126 narapidana dapat remisi."),
        article("https://detik.com/r2", source="detik", text="Sebanyak 1,126 narapidana dapat remisi."),
        article("https://tempo.co/r3", source="tempo", text="Sebanyak 1126 narapidana dapat remisi.")])
    found = {r["url"] for r in search_articles(db, "1126")}
    assert found == {"https://kompas.com/r1", "https://detik.com/r2", "https://tempo.co/r3"}
    assert fts_query("2025") == '"2025"'  # a year stays a year


def test_search_supports_phrases_prefixes_and_or(db):
    assert _urls(search_articles(db, '"Desa Sadar HAM"')) == {"https://antaranews.com/a2",
                                                              "https://antaranews.com/a3"}
    assert "https://tempo.co/t1" in _urls(search_articles(db, "Wamen*"))
    assert _urls(search_articles(db, "Nusakambangan OR cabai")) == {"https://tempo.co/t1",
                                                                   "https://tempo.co/t2"}
    assert _urls(search_articles(db, "Sleman NOT Warga")) == {"https://antaranews.com/a2"}


def test_a_left_out_word_is_left_out_wherever_it_was_typed(db):
    """FTS5 alone reads "a NOT b c" as a NOT (b c) and "a OR b NOT c" as a OR (b NOT c):
    an article holding the left-out word, or missing a wanted one, came back."""
    everything = _urls(search_articles(db, "HAM", limit=100))
    with_warga = _urls(search_articles(db, "Warga", limit=100))
    with_sleman = _urls(search_articles(db, "Sleman", limit=100))
    assert with_warga & everything and with_sleman - with_warga
    assert _urls(search_articles(db, "HAM -Warga Sleman", limit=100)) == \
        _urls(search_articles(db, "HAM Sleman -Warga", limit=100)) == \
        (everything & with_sleman) - with_warga
    either = _urls(search_articles(db, "Sleman OR Nusakambangan", limit=100))
    assert _urls(search_articles(db, "Sleman OR Nusakambangan NOT Warga", limit=100)) == \
        either - with_warga


def test_clusters_list_filters_by_period_and_number_of_sources(db):
    assert [c["headline"][:4] for c in list_clusters(db)] == ["Kunj", "Desa", "Keme"]
    assert [c["outlet_count"] for c in list_clusters(db, min_outlets=2)] == [3]
    assert [c["headline"][:4] for c in list_clusters(db, until="2025-11-20")] == ["Keme"]
    assert [c["headline"][:4] for c in list_clusters(db, since="2025-11-21")] == ["Kunj", "Desa"]
    assert len(list_clusters(db, limit=1)) == 1
    with pytest.raises(ValueError, match="min_outlets"):
        list_clusters(db, min_outlets=-1)
    # "Kunj" (21 Nov, 16:00 WIB) is listed up to and including the minute it was published
    assert "Kunj" not in [c["headline"][:4] for c in list_clusters(db, until="2025-11-21T15:59")]
    assert "Kunj" in [c["headline"][:4] for c in list_clusters(db, until="2025-11-21T16:00")]


def test_outlets_leave_out_wire_copies_and_the_ministrys_own_site(db):
    story = add_story(db, "Pigai terima delegasi PBB", [
        article("https://kemenham.go.id/r1", source="kemenham", title="Siaran pers"),
        article("https://antaranews.com/w1", title="Menham terima delegasi PBB"),
        article("https://tribun.com/c1", source="tribun", title="Delegasi PBB temui Menham"),
    ])
    wire, copy = (next(db.query("SELECT id FROM articles WHERE url = ?", [u]))["id"]
                  for u in ("https://antaranews.com/w1", "https://tribun.com/c1"))
    db.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?", [wire, copy])
    sync_sources(db, [("kemenham", True)])  # the config marks the ministry's site official
    listed = {c["id"]: c for c in list_clusters(db)}
    assert (listed[story]["source_count"], listed[story]["outlet_count"]) == (3, 1)
    assert story not in {c["id"] for c in list_clusters(db, min_outlets=2)}
    sync_sources(db, [("kemenham", False)])
    assert {c["id"]: c for c in list_clusters(db)}[story]["outlet_count"] == 2


def test_a_story_is_listed_for_the_days_it_has_reports_not_those_between(db):
    add_story(db, "Laporan tahunan", [
        article("https://kompas.com/r1", source="kompas", published_at="2025-11-17T03:00:00Z"),
        article("https://detik.com/r2", source="detik", published_at="2025-11-23T03:00:00Z")])
    listed = {day: [c["headline"][:4] for c in list_clusters(db, since=day, until=day)]
              for day in ("2025-11-17", "2025-11-20", "2025-11-23")}
    assert listed == {"2025-11-17": ["Lapo"], "2025-11-20": ["Keme"], "2025-11-23": ["Lapo"]}


def test_a_merged_cluster_is_not_listed(db):
    target = list_clusters(db)[0]["id"]
    merged = add_story(db, "Nusakambangan lagi", [article("https://tempo.co/t9", source="tempo")],
                       merged_into=target)
    assert merged not in {c["id"] for c in list_clusters(db)}
    assert get_cluster(db, merged)["merged_into"] == target


def test_one_cluster_with_its_articles_earliest_first(db):
    first = list_clusters(db)[-1]
    cluster = get_cluster(db, first["id"])
    assert cluster["first_source"] == "antaranews"
    assert [a["source"] for a in cluster["articles"]] == ["antaranews", "kompas", "detik"]
    assert [a["is_representative"] for a in cluster["articles"]] == [1, 0, 0]
    assert get_cluster(db, 999) is None


def test_a_date_without_a_time_is_listed_after_the_timed_reports_of_its_day(db):
    story = add_story(db, "Kunjungan ke Nabire", [
        article("https://tempo.co/hari", source="tempo", published_at="2025-11-20T17:00:00Z",
                published_precision="day"),  # 21 November, no time given
        article("https://kompas.com/jam", source="kompas", published_at="2025-11-21T03:00:00Z",
                published_precision="time")])
    articles = get_cluster(db, story)["articles"]
    assert [(a["source"], a["published_precision"]) for a in articles] == [
        ("kompas", "time"), ("tempo", "day")]


def test_stats_count_what_is_stored(db):
    stats = store_stats(db)
    assert (stats["articles"], stats["relevant"], stats["stories"]) == (7, 6, 3)
    assert stats["schema_version"] == len(MIGRATIONS) and stats["size_bytes"] > 0
    per_source = {s["source"]: s for s in stats["sources"]}
    assert per_source["antaranews"]["articles"] == 3 and per_source["antaranews"]["stories"] == 2
    assert per_source["tempo"]["relevant"] == 1


def test_views_join_stories_and_count_per_wib_day(db):
    rows = list(db.query("SELECT * FROM daily_clusters ORDER BY day, cluster_id"))
    assert [(r["day"], r["articles"], r["sources"], r["outlets"], r["new"]) for r in rows] == [
        ("2025-11-20", 3, 3, 3, 1), ("2025-11-21", 2, 1, 1, 1), ("2025-11-21", 1, 1, 1, 1)]
    with db.conn:  # detik republished antaranews's report; kompas is an official source
        db.execute("UPDATE articles SET duplicate_of = (SELECT id FROM articles WHERE url = "
                   "'https://antaranews.com/a1') WHERE url = 'https://detik.com/d1'")
        db.execute("INSERT INTO sources(name, official) VALUES ('kompas', 1) "
                   "ON CONFLICT(name) DO UPDATE SET official = 1")
    first = next(db.query("SELECT sources, outlets FROM daily_clusters WHERE day = '2025-11-20'"))
    assert (first["sources"], first["outlets"]) == (3, 1)
    members = list(db.query("SELECT source, url FROM cluster_articles WHERE cluster_id = 1"))
    assert len(members) == 3
    with db.conn:
        db.execute("UPDATE articles SET published_precision = 'day', revised_at = "
                   "'2025-11-21T02:00:00Z' WHERE url = 'https://detik.com/d1'")
    columns = [c.name for c in db["cluster_articles"].columns]
    assert columns[-3:] == ["is_representative", "published_precision", "revised_at"]
    detik = next(db.query("SELECT * FROM cluster_articles WHERE url = 'https://detik.com/d1'"))
    assert (detik["published_precision"], detik["revised_at"]) == ("day", "2025-11-21T02:00:00Z")
    daily = {(r["source"], r["day"]): r for r in db.query("SELECT * FROM source_daily")}
    assert daily[("tempo", "2025-11-20")]["relevant"] == 0
    assert daily[("antaranews", "2025-11-21")]["clustered"] == 2


def test_periods_are_wib_days():
    assert utc_bounds("2025-11-20", "2025-11-20") == ("2025-11-19T17:00:00Z",
                                                      "2025-11-20T17:00:00Z")
    assert utc_bounds("2025-11-20T08:00:00Z", None) == ("2025-11-20T08:00:00Z", None)
    assert utc_bounds(None, "2025-11-20T15:00") == (None, "2025-11-20T08:01:00Z")  # inclusive
    assert utc_bounds(None, "2025-11-20T08:00:00Z") == (None, "2025-11-20T08:00:01Z")
    assert utc_bounds("2025-11-20T15:00", "2025-11-20T15:00") == ("2025-11-20T08:00:00Z",
                                                                  "2025-11-20T08:01:00Z")
    assert to_wib("2025-11-19T18:30:00Z") == "2025-11-20 01:30"
