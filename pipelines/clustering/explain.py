"""Explaining a stored article's story: its nearest fellow members and what they share."""

from __future__ import annotations

from collections.abc import Hashable

from pipelines.clustering.features import (
    TermStatistics,
    restore_vector,
    shared_terms,
    similarities,
)
from pipelines.clustering.params import ClusterParams

__all__ = ["nearest_members"]


def nearest_members(params: ClusterParams, frequencies: dict[str, dict[str, int]],
                    docs: dict[str, int],
                    features: dict, members: list[tuple[Hashable, dict]],
                    limit: int = 5, shown: int = 6) -> list[tuple[Hashable, dict]]:
    """The ``limit`` members most similar to an article, best first.

    ``features`` and each member's are stored feature records; ``frequencies`` the
    document frequencies of (at least) their terms in each language, among ``docs``
    articles of that language. Each
    result carries the cosine ``score``, the shared ``names`` (names and numbers) and
    ``terms`` (other words), up to ``shown`` of each, heaviest first, with their share of
    the score (names weigh more, so a joint list would often hold no word at all).
    """
    stats = TermStatistics(params.name_weight)
    stats.load(frequencies, docs)
    vector = restore_vector(stats, features)
    vectors = [restore_vector(stats, record) for _, record in members]
    scores = similarities(stats, vector, vectors)
    order = sorted(range(len(members)), key=lambda i: (-scores[i], i))[:limit]
    results = []
    for i in order:
        shared = shared_terms(stats, vector, vectors[i], limit=len(vector))
        results.append((members[i][0], {
            "score": round(float(scores[i]), 4),
            "names": [[term, share] for term, share, special in shared if special][:shown],
            "terms": [[term, share] for term, share, special in shared if not special][:shown],
        }))
    return results
