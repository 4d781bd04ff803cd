"""The Scrapy stage: give each relevant article its copy family and its story."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from pipelines.clustering.batch import parse_time
from pipelines.clustering.clusterer import Clusterer
from pipelines.clustering.params import ClusterParams
from pipelines.clustering.state import Doc
from storage.articles import find_article, reported_time
from storage.clusters import load_clusterer
from storage.database import open_database

__all__ = ["ClusteringPipeline"]

logger = logging.getLogger(__name__)


class ClusteringPipeline:
    """Assigns relevant, non-empty articles to stories with the state stored in the
    database named by ``STORAGE_DB_PATH``.

    It sets ``text_hash``, ``duplicate_of``, ``similarity``, ``cluster_id``,
    ``cluster_score`` and ``clustering`` (the decision record the storage stage hands
    to ``storage.clusters.apply_decision`` in the article's transaction). Parameters
    come from the ``CLUSTERING_PARAMS`` setting (a dict of ``ClusterParams`` fields,
    e.g. ``{"lsh_storage": {"type": "redis", ...}, "window_days": 7}``).
    """

    def __init__(self, crawler, db_path: str, params: ClusterParams):
        self.crawler = crawler
        self.db_path = db_path
        self.params = params
        self.db = None
        self.clusterer: Clusterer | None = None

    @classmethod
    def from_crawler(cls, crawler):
        db_path = crawler.settings.get("STORAGE_DB_PATH")
        if not db_path:
            raise NotConfigured("no STORAGE_DB_PATH: story clustering keeps its state there")
        overrides = crawler.settings.getdict("CLUSTERING_PARAMS")
        try:
            params = ClusterParams(**overrides)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"CLUSTERING_PARAMS: {exc}") from exc
        return cls(crawler, db_path, params)

    def open_spider(self):
        self.db = open_database(self.db_path)
        self.clusterer = load_clusterer(self.db, self.params)
        self.crawler.stats.set_value("clustering/window_articles", len(self.clusterer.nodes))

    def close_spider(self):
        late = self.crawler.stats.get_value("clustering/late")
        if late:
            logger.warning(self.params.late_note(late))
        if self.db is not None:
            self.db.close()

    def process_item(self, item):
        adapter = ItemAdapter(item)
        stats = self.crawler.stats
        if not adapter.get("relevant"):
            stats.inc_value("clustering/skipped_irrelevant")
            return item
        if not (adapter.get("text") or "").strip():
            stats.inc_value("clustering/skipped_empty")
            return item
        published = adapter.get("published_at")
        if published:  # a day alone counts as storage orders reports
            published = reported_time(published, adapter.get("published_precision"),
                                      adapter.get("fetched_at"))
        doc = Doc(key=adapter["url"], title=adapter.get("title") or "", text=adapter["text"],
                  published=_time(published), source=adapter.get("source"),
                  seen=_time(adapter.get("fetched_at")))
        decision = self.clusterer.assign(doc)
        adapter["text_hash"] = decision.text_hash
        adapter["cluster_id"] = decision.cluster_id
        adapter["cluster_score"] = decision.score
        adapter["duplicate_of"] = (find_article(self.db, [decision.duplicate_of])
                                   if decision.duplicate_of else None)
        adapter["similarity"] = decision.similarity if adapter["duplicate_of"] else None
        adapter["clustering"] = decision.to_record()
        stats.inc_value(f"clustering/{decision.kind}")
        if decision.late:
            stats.inc_value("clustering/late")
        if decision.merged:
            stats.inc_value("clustering/merged", len(decision.merged))
        return item


def _time(value: str | None) -> float | None:
    try:
        return parse_time(value)
    except ValueError:
        logger.warning("ignoring an unreadable time %r", value)
        return None
