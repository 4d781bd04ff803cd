"""Comparing one article after another with the same candidates: each cosine is the
one a comparison with that candidate alone gives, whatever the language of each."""

from __future__ import annotations

from clustering_languages import english

from newsroom.corpus import load_corpus
from pipelines.clustering.clusterer import Clusterer
from pipelines.clustering.features import Cosines, similarities
from pipelines.clustering.state import Doc


def test_cosines_with_shared_candidates_are_those_of_each_pair_alone():
    clusterer = Clusterer()
    indonesian = [a for a in load_corpus().articles if a.relevant][:12]
    docs = [Doc(key=a.id, title=a.title, text=a.text, published=None, source=a.outlet)
            for a in indonesian]
    docs += [*english()[:6], Doc(key="empty", title="", text="", published=None, source="x")]
    for doc in docs:
        clusterer.assign(doc)
    vectors = [clusterer.nodes[doc.key].vector for doc in docs]
    assert len({clusterer.stats.language(v) for v in vectors if len(v)}) >= 2
    cosines = Cosines(clusterer.stats, vectors)
    scores = []
    for query in vectors:
        together = cosines.of(query).tolist()
        assert together == [similarities(clusterer.stats, query, [other])[0] for other in vectors]
        scores += together
    assert any(0 < score < 1 for score in scores)
