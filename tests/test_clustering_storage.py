"""Cluster state in a real SQLite file: restarts, story records, corrections, explanations."""

from __future__ import annotations

import dataclasses
import json

import pytest
from clustering_data import BACKGROUND, CAMBODIA, MYANMAR, WIRE_COPY, corpus, crawled, iso, store

from pipelines.clustering.clusterer import Clusterer
from pipelines.clustering.params import FEATURES_VERSION, ClusterParams
from storage.clusters import (
    cluster_records,
    explain_article,
    find_article_id,
    load_clusterer,
    merge_clusters,
    split_article,
)
from storage.database import StorageError, open_database


def stored(db):
    rows = db.execute("SELECT a.url, a.cluster_id, d.url FROM articles a "
                      "LEFT JOIN articles d ON d.id = a.duplicate_of").fetchall()
    return {url: (cluster, copy_of) for url, cluster, copy_of in rows}


def cluster_of(db, key):
    return db.execute("SELECT cluster_id FROM articles WHERE url = ?", (key,)).fetchone()[0]


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "warta.db")
    yield database
    database.close()


def test_a_restart_continues_exactly_where_a_continuous_run_would(tmp_path, db):
    docs = crawled(corpus())
    continuous = Clusterer()
    expected = [continuous.assign(doc).explain() for doc in docs]

    first = Clusterer()
    got = [store(db, first, doc).explain() for doc in docs[:8]]
    db.close()
    reopened = open_database(tmp_path / "warta.db")
    resumed = load_clusterer(reopened)
    assert resumed.stats.n_docs == 8 and len(resumed.nodes) == 8
    got += [store(reopened, resumed, doc).explain() for doc in docs[8:]]
    assert got == expected
    final = stored(reopened)
    assert {url: cluster for url, (cluster, _) in final.items()} == {
        doc.key: continuous.final_cluster(continuous.nodes[doc.key].cluster) for doc in docs}
    assert final[WIRE_COPY.key][1] == "k1-nusa"
    reopened.close()


def test_a_restart_loads_the_time_window_and_the_newest_articles_before_it(db):
    docs = crawled(corpus())
    later = dataclasses.replace(MYANMAR[1], key="later", published=docs[0].published + 10 * 86400)
    clusterer = Clusterer()
    for doc in [*docs, later]:
        store(db, clusterer, doc)
    def when(doc):
        return doc.published if doc.published is not None else doc.seen

    newest_first = sorted([*docs, later], key=when, reverse=True)
    horizon = later.published - 7 * 86400
    in_window = {d.key for d in newest_first if when(d) >= horizon}
    assert len(in_window) < len(docs)
    for count in (0, 3, 100):
        params = ClusterParams(window_articles=count)
        expected = in_window | {d.key for d in newest_first[:count]}
        resumed = load_clusterer(db, params)
        assert set(resumed.nodes) == expected
        # an article older than the newest that was left out arrives late
        left = [d for d in newest_first if d.key not in expected]
        if left:
            again = dataclasses.replace(left[0], key="again")
            assert resumed.assign(again).late
        newer = dataclasses.replace(later, key="newer", published=later.published - 3600)
        assert not resumed.assign(newer).late


def test_document_frequencies_and_signatures_are_stored(db):
    clusterer = Clusterer()
    for doc in crawled(corpus()):
        store(db, clusterer, doc)
    documents = db.execute("SELECT language, documents FROM cluster_languages").fetchall()
    assert documents == [("id", len(corpus()))]
    pigai = db.execute("SELECT df FROM cluster_terms WHERE language = 'id' AND term = 'pigai'").fetchone()[0]
    assert pigai == sum(1 for d in corpus() if "pigai" in (d.title + d.text).lower())
    row = db.execute("SELECT num_perm, seed, scheme, length(shingle_sig), features "
                     "FROM signatures LIMIT 1").fetchone()
    assert row[:3] == (64, 1, "affine32") and row[3] > 64 * 4
    assert json.loads(row[4])["terms"]


def test_story_records_name_the_first_report_outlets_and_growth(db):
    clusterer = Clusterer()
    for doc in crawled(corpus()):
        store(db, clusterer, doc)
    cambodia = cluster_of(db, "k1-nusa")
    record = next(r for r in cluster_records(db) if r["id"] == cambodia)
    assert record["article_count"] == 4 and record["source_count"] == 4
    assert record["outlets"] == ["detakberita", "kabar6", "nusa", "suaradaerah"]
    assert record["first_source"] == "nusa" and record["first_seen"] == iso(CAMBODIA[0].published)
    assert record["first_article_id"] == find_article_id(db, "k1-nusa")
    assert record["headline"] in {d.title for d in [*CAMBODIA, WIRE_COPY]}
    first_day = {r["id"]: r for r in cluster_records(db, day="2025-11-18")}
    assert first_day[cambodia]["new"] and not first_day[cambodia]["grew"]
    undated_day = {r["id"]: r for r in cluster_records(db, day="2025-11-22")}
    assert undated_day[cambodia]["grew"] and undated_day[cambodia]["articles_on_day"] == 1


def test_a_copy_stored_before_its_original_ends_pointing_to_the_original(db):
    clusterer = Clusterer()
    for doc in crawled([*BACKGROUND, WIRE_COPY, CAMBODIA[0]]):
        store(db, clusterer, doc)
    final = stored(db)
    assert final[WIRE_COPY.key] == (cluster_of(db, "k1-nusa"), "k1-nusa")
    assert final["k1-nusa"][1] is None


def test_a_merge_is_kept_and_later_articles_join_the_merged_story(tmp_path, db):
    clusterer = Clusterer()
    for doc in crawled([*BACKGROUND, CAMBODIA[0], MYANMAR[0]]):
        store(db, clusterer, doc)
    keep, drop = cluster_of(db, "k1-nusa"), cluster_of(db, "m1-nusa")
    assert keep != drop
    assert merge_clusters(db, keep, drop, note="one regional story") == keep
    assert cluster_of(db, "m1-nusa") == keep
    with pytest.raises(StorageError, match=rf"{keep} and {drop} are already one story "
                                           rf"\(cluster {keep}\)"):
        merge_clusters(db, keep, drop)
    resumed = load_clusterer(db)
    store(db, resumed, crawled(MYANMAR[1:])[0])
    assert cluster_of(db, "m2-detak") == keep
    merged = db.execute("SELECT merged_into, article_count FROM clusters WHERE id = ?",
                        (drop,)).fetchone()
    assert merged == (keep, 0)


def all_but_the_undated_report(db):
    """Store the corpus up to its last article (k3, which reads like both k1 and k1's
    wire copy) and return that article."""
    clusterer = Clusterer()
    docs = crawled(corpus())
    for doc in docs[:-1]:
        store(db, clusterer, doc)
    return docs[-1]


def test_a_split_is_kept_when_a_later_article_links_both_sides(db):
    last = all_but_the_undated_report(db)
    old = cluster_of(db, "k1-nusa")
    assert cluster_of(db, WIRE_COPY.key) == old
    new = split_article(db, find_article_id(db, WIRE_COPY.key), note="a follow-up story")
    assert cluster_of(db, WIRE_COPY.key) == new != old
    # no longer a copy of an article of another story: the first report of its own
    assert stored(db)[WIRE_COPY.key] == (new, None)
    assert db.execute("SELECT similarity FROM articles WHERE url = ?",
                      (WIRE_COPY.key,)).fetchone() == (None,)
    assert db.execute("SELECT outlet_count FROM clusters WHERE id = ?", (new,)).fetchone() == (1,)
    resumed = load_clusterer(db)
    # the wire copy (now alone) and k1 (still in the old story) are near-verbatim:
    # without the split, an article reaching both would merge them again.
    decision = store(db, resumed, last)
    vector = resumed.nodes[last.key].vector
    reached = {s.cluster for s in decision.matches
               if s.score >= resumed.threshold(vector, resumed.nodes[s.key].vector)}
    assert reached == {old, new}
    assert decision.merged == []
    assert cluster_of(db, WIRE_COPY.key) == new and cluster_of(db, "k1-nusa") == old
    override = db.execute("SELECT kind, cluster_a, cluster_b, note FROM cluster_overrides").fetchone()
    assert override == ("split", old, new, "a follow-up story")


def test_an_original_split_out_takes_its_copies_along(db):
    all_but_the_undated_report(db)
    old, original = cluster_of(db, "k1-nusa"), find_article_id(db, "k1-nusa")
    copy_score = db.execute("SELECT cluster_score FROM articles WHERE url = ?",
                            (WIRE_COPY.key,)).fetchone()[0]
    new = split_article(db, original)
    assert cluster_of(db, "k1-nusa") == cluster_of(db, WIRE_COPY.key) == new != old
    scores = dict(db.execute("SELECT url, cluster_score FROM articles WHERE url IN (?, ?)",
                             ("k1-nusa", WIRE_COPY.key)).fetchall())
    assert scores == {"k1-nusa": None, WIRE_COPY.key: copy_score}  # k1's was against the old
    counts = db.execute("SELECT article_count, source_count, outlet_count FROM clusters "
                        "WHERE id = ?", (new,)).fetchone()
    assert counts == (2, 2, 1)  # the copy's outlet reported nothing of its own
    with pytest.raises(StorageError, match="already alone with its copies in story"):
        split_article(db, original)


def test_a_split_holds_after_the_old_story_is_merged_into_another(db):
    last = all_but_the_undated_report(db)
    old = cluster_of(db, "k1-nusa")
    new = split_article(db, find_article_id(db, WIRE_COPY.key))
    older = cluster_of(db, BACKGROUND[0].key)
    assert merge_clusters(db, older, old) == older  # k1's story now lives on as `older`
    decision = store(db, load_clusterer(db), last)
    assert {s.cluster for s in decision.matches if s.score >= 0.3} == {older, new}
    assert decision.merged == []
    assert cluster_of(db, WIRE_COPY.key) == new and cluster_of(db, "k1-nusa") == older


def test_signatures_of_other_parameters_are_recomputed_on_load(db):
    small = ClusterParams(num_perm=32, seed=3, story_bands=16, shingle_bands=8)
    clusterer = Clusterer(small)
    for doc in crawled([*BACKGROUND, CAMBODIA[0]]):
        store(db, clusterer, doc)
    resumed = load_clusterer(db)
    assert db.execute("SELECT DISTINCT num_perm, seed FROM signatures").fetchall() == [(64, 1)]
    assert store(db, resumed, crawled([CAMBODIA[1]])[0]).kind == "joined"


def test_features_of_an_older_version_are_recomputed_on_load(db):
    clusterer = Clusterer()
    for doc in crawled([*BACKGROUND, CAMBODIA[0]]):
        store(db, clusterer, doc)
    before = db.execute("SELECT article_id, shingle_sig FROM signatures ORDER BY 1").fetchall()
    counts = db.execute("SELECT * FROM cluster_terms ORDER BY 1, 2").fetchall()
    # as an older version left them: no language in the features, every count under ""
    db.execute("UPDATE signatures SET features = json_remove(json_set(features, '$.v', ?), "
               "'$.language'), shingle_sig = x'00'", (FEATURES_VERSION - 1,))
    db.execute("UPDATE cluster_terms SET language = ''")
    db.execute("UPDATE cluster_languages SET language = ''")
    resumed = load_clusterer(db)
    assert db.execute("SELECT DISTINCT json_extract(features, '$.v') FROM signatures"
                      ).fetchall() == [(FEATURES_VERSION,)]
    assert db.execute("SELECT article_id, shingle_sig FROM signatures ORDER BY 1").fetchall() == before
    assert db.execute("SELECT * FROM cluster_terms ORDER BY 1, 2").fetchall() == counts
    assert db.execute("SELECT * FROM cluster_languages").fetchall() == [("id", len(before))]
    assert store(db, resumed, crawled([CAMBODIA[1]])[0]).kind == "joined"


def test_an_article_updated_with_new_words_loads_after_a_restart(db):
    clusterer = Clusterer()
    for doc in crawled([*BACKGROUND, CAMBODIA[0]]):
        store(db, clusterer, doc)
    first = crawled([CAMBODIA[0]])[0]
    updated = dataclasses.replace(first, text=first.text + "\nPembaruan: Sihanoukville zqxwv.")
    assert store(db, clusterer, updated).kind == "update"
    resumed = load_clusterer(db)
    def terms(c):
        return sorted(map(c.stats.term, c.nodes[first.key].vector.ids.tolist()))
    assert "zqxwv" in terms(resumed) and terms(resumed) == terms(clusterer)
    assert resumed.stats.df("zqxwv", "id") == clusterer.stats.df("zqxwv", "id") == 0
    assert store(db, resumed, crawled([CAMBODIA[1]])[0]).kind == "joined"


def test_an_explanation_names_the_story_score_and_shared_names(db):
    clusterer = Clusterer()
    for doc in crawled(corpus()):
        store(db, clusterer, doc)
    report = explain_article(db, find_article_id(db, "k2-detak"))
    assert report["cluster"] == cluster_of(db, "k1-nusa")
    assert report["cluster_score"] > 0.25
    nearest = report["nearest"][0]
    assert nearest["score"] > 0.25
    names = {term for term, _ in nearest["names"]}
    assert {"sovandara", "87"} & names
    copy = explain_article(db, find_article_id(db, WIRE_COPY.key))
    assert copy["duplicate_of"] == find_article_id(db, "k1-nusa") and copy["similarity"] > 0.5
