"""The Scrapy stage, each item then written as the storage stage writes it (the article,
then ``apply_decision`` with ``item.clustering`` in the same transaction), to a real
SQLite file."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict

import pytest
from clustering_data import BACKGROUND, CAMBODIA, FETCHED, WIRE_COPY, iso
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from pipelines.clustering.pipeline import ClusteringPipeline
from storage.articles import save_article
from storage.clusters import apply_decision
from storage.database import open_database, transaction


def item(doc, relevant=True, text=None):
    return ArticleItem(url=doc.key, source=doc.source or "unknown", html="<html></html>",
                       fetched_at=FETCHED, title=doc.title,
                       text=doc.text if text is None else text,
                       published_at=iso(doc.published), relevant=relevant)


def crawl(db_path, items, **params):
    """Run the stage over ``items`` (with ``params`` as CLUSTERING_PARAMS) and store each
    one; return the crawl's stats."""
    crawler = get_crawler(settings_dict={"STORAGE_DB_PATH": str(db_path),
                                         "CLUSTERING_PARAMS": params})
    stage = ClusteringPipeline.from_crawler(crawler)
    stage.open_spider()
    db = open_database(db_path)
    for it in items:
        stage.process_item(it)
        with transaction(db):
            record = {**asdict(it), "cluster_id": None, "duplicate_of": None}
            article_id = save_article(db, record, None)
            if it.clustering is not None:
                apply_decision(db, article_id, it.clustering)
    db.close()
    stage.close_spider()
    return crawler.stats


def test_articles_get_their_story_and_copies_their_original(tmp_path):
    db_path = tmp_path / "warta.db"
    docs = [*BACKGROUND, *CAMBODIA[:2], WIRE_COPY]
    items = [item(doc) for doc in docs]
    stats = crawl(db_path, items)
    copy = items[-1]
    assert copy.clustering["kind"] == "duplicate" and copy.similarity > 0.5
    assert copy.cluster_id == items[-2].cluster_id == items[-3].cluster_id
    assert copy.text_hash and copy.cluster_score > 0.5
    assert stats.get_value("clustering/duplicate") == 1
    assert stats.get_value("clustering/joined") == 1
    db = open_database(db_path)
    rows = dict(db.execute("SELECT url, cluster_id FROM articles").fetchall())
    original = db.execute("SELECT id FROM articles WHERE url = 'k1-nusa'").fetchone()[0]
    assert db.execute("SELECT duplicate_of FROM articles WHERE url = ?",
                      (WIRE_COPY.key,)).fetchone()[0] == original
    assert rows[WIRE_COPY.key] == rows["k1-nusa"] == rows["k2-detak"]
    record = db.execute("SELECT article_count, source_count, first_source FROM clusters "
                        "WHERE id = ?", (rows["k1-nusa"],)).fetchone()
    assert record == (3, 3, "nusa")
    db.close()


def test_a_second_crawl_continues_the_stored_stories(tmp_path):
    db_path = tmp_path / "warta.db"
    crawl(db_path, [item(doc) for doc in [*BACKGROUND, CAMBODIA[0]]])
    later = item(CAMBODIA[1])
    stats = crawl(db_path, [later])
    assert stats.get_value("clustering/window_articles") == len(BACKGROUND) + 1
    db = open_database(db_path)
    first = db.execute("SELECT cluster_id FROM articles WHERE url = 'k1-nusa'").fetchone()[0]
    assert later.cluster_id == first
    db.close()


@pytest.mark.parametrize("crawls", [1, 2])
def test_a_copy_giving_its_day_alone_does_not_head_the_timed_original(tmp_path, crawls):
    """The copy's day, 18 November WIB, is stored as its midnight, seven hours before
    the original came out that afternoon; fetched days later, it counts from the day's
    end. Stored in an earlier crawl, it is restored the same way."""
    db_path = tmp_path / "warta.db"
    copy = dataclasses.replace(item(WIRE_COPY), published_at="2025-11-17T17:00:00Z",
                               published_precision="day")
    original = item(CAMBODIA[0])
    batches = [[*map(item, BACKGROUND), copy, original]] if crawls == 1 else \
        [[*map(item, BACKGROUND), copy], [original]]
    for batch in batches:
        crawl(db_path, batch)
    db = open_database(db_path)
    ids = dict(db.execute("SELECT url, id FROM articles").fetchall())
    assert db.execute("SELECT duplicate_of FROM articles WHERE url = ?",
                      (WIRE_COPY.key,)).fetchone()[0] == ids["k1-nusa"]
    assert db.execute("SELECT duplicate_of FROM articles WHERE url = 'k1-nusa'").fetchone()[0] is None
    assert db.execute("SELECT first_source FROM clusters c JOIN articles a ON a.cluster_id = c.id "
                      "WHERE a.url = 'k1-nusa'").fetchone()[0] == "nusa"
    db.close()


def test_irrelevant_and_empty_articles_are_passed_on_unclustered(tmp_path):
    irrelevant, empty = item(CAMBODIA[0], relevant=False), item(CAMBODIA[1], text="  ")
    stats = crawl(tmp_path / "warta.db", [irrelevant, empty])
    assert irrelevant.cluster_id is None and irrelevant.clustering is None
    assert empty.cluster_id is None and empty.clustering is None
    assert stats.get_value("clustering/skipped_irrelevant") == 1
    assert stats.get_value("clustering/skipped_empty") == 1


def test_the_stage_needs_a_database_and_valid_parameters(tmp_path):
    with pytest.raises(NotConfigured):
        ClusteringPipeline.from_crawler(get_crawler(settings_dict={}))
    crawler = get_crawler(settings_dict={"STORAGE_DB_PATH": str(tmp_path / "w.db"),
                                         "CLUSTERING_PARAMS": {"join_threshold": 2}})
    with pytest.raises(ValueError, match="CLUSTERING_PARAMS: join_threshold"):
        ClusteringPipeline.from_crawler(crawler)


def test_articles_older_than_those_that_left_the_index_are_counted_and_reported(tmp_path,
                                                                                 caplog):
    later = dataclasses.replace(BACKGROUND[0], key="later",
                                published=CAMBODIA[0].published + 10 * 86400)
    docs = [CAMBODIA[0], *BACKGROUND, later, CAMBODIA[1]]
    assert crawl(tmp_path / "wide.db", [item(doc) for doc in docs]).get_value(
        "clustering/late") is None
    stats = crawl(tmp_path / "narrow.db", [item(doc) for doc in docs], window_articles=1)
    assert stats.get_value("clustering/late") == 1
    assert "1 articles came after others of their time had left the story index" in caplog.text

