"""Story clustering against the newsroom's gold stories (relevant articles only)."""

from __future__ import annotations

import io
import json
import random
from collections import defaultdict

import pytest

from newsroom.corpus import load_corpus
from pipelines.clustering.batch import run_batch
from pipelines.clustering.metrics import evaluate

CORPUS = load_corpus()
RELEVANT = [a for a in CORPUS.articles if a.relevant]


def orders():
    published = sorted(RELEVANT, key=lambda a: (a.published, a.id))
    yield "published", published
    yield "newest first", published[::-1]
    for seed in (1, 2, 3):
        yield f"random {seed}", random.Random(seed).sample(RELEVANT, len(RELEVANT))


@pytest.mark.parametrize(("name", "order"), list(orders()), ids=lambda v: v if isinstance(v, str) else "")
def test_gold_stories_and_copies_are_found(name, order):
    lines = "\n".join(json.dumps({"id": a.id, "title": a.title, "text": a.text, "source": a.outlet,
                                  "published": a.published.isoformat()}) for a in order)
    results, problems = run_batch(io.StringIO(lines))
    assert problems == []
    clusters = {r["id"]: d.cluster_id for r, d in results}
    copies = {r["id"]: d.duplicate_of for r, d in results}
    events = {a.id: a.event for a in CORPUS.articles}
    report = evaluate(clusters, copies, events, {a.id: a.wire_of for a in CORPUS.articles})
    assert report["near_duplicates"]["f1"] >= 0.98, report
    assert report["bcubed"]["precision"] >= 0.97, report
    assert report["bcubed"]["f1"] >= 0.95, report
    story_events = defaultdict(set)
    for key, cluster in clusters.items():
        story_events[cluster].add(events[key])
    merged = [pair for pair in CORPUS.confusable
              if any(set(pair) <= found for found in story_events.values())]
    assert merged == []
    for article in RELEVANT:
        if article.wire_of:  # a copy ends in its original's story
            assert clusters[article.id] == clusters[article.wire_of]
