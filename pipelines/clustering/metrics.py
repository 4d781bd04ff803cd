"""Clustering quality against a gold labelling: B-cubed and pairwise precision/recall/F1.

Both take two mappings from item to label (predicted cluster, gold class) and score
the items present in both. A ratio with nothing to count (no pairs at all) is 1.0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Scores", "bcubed", "disagreements", "evaluate", "families", "pairwise"]


@dataclass(frozen=True)
class Scores:
    """Precision and recall; pairwise scores also carry their pair counts
    (put together and belonging together, put together, belonging together)."""

    precision: float
    recall: float
    pairs: tuple[int, int, int] | None = None

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 0.0 if total == 0 else 2 * self.precision * self.recall / total

    def as_dict(self) -> dict:
        scores = {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                  "f1": round(self.f1, 4)}
        if self.pairs is not None:
            scores.update(zip(("pairs_correct", "pairs_found", "pairs_expected"), self.pairs))
        return scores


def _common(predicted: Mapping, gold: Mapping) -> list:
    return [item for item in predicted if item in gold]


def bcubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> Scores:
    """B-cubed: per item, the share of its predicted cluster in its gold class
    (precision) and of its gold class in its predicted cluster (recall), averaged."""
    items = _common(predicted, gold)
    if not items:
        return Scores(1.0, 1.0)
    both = Counter((predicted[i], gold[i]) for i in items)
    cluster_size = Counter(predicted[i] for i in items)
    class_size = Counter(gold[i] for i in items)
    precision = sum(both[predicted[i], gold[i]] / cluster_size[predicted[i]] for i in items)
    recall = sum(both[predicted[i], gold[i]] / class_size[gold[i]] for i in items)
    return Scores(precision / len(items), recall / len(items))


def pairwise(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> Scores:
    """Pairwise: of the item pairs put together, how many belong together (precision);
    of those that belong together, how many were put together (recall)."""
    items = _common(predicted, gold)

    def pairs(counts: Iterable[int]) -> int:
        return sum(n * (n - 1) // 2 for n in counts)

    together = pairs(Counter((predicted[i], gold[i]) for i in items).values())
    predicted_pairs = pairs(Counter(predicted[i] for i in items).values())
    gold_pairs = pairs(Counter(gold[i] for i in items).values())
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / gold_pairs if gold_pairs else 1.0
    return Scores(precision, recall, (together, predicted_pairs, gold_pairs))


def families(links: Mapping[Hashable, Hashable | None]) -> dict[Hashable, Hashable]:
    """Items labelled by their copy family: ``links`` maps an item to the item it copies
    (or None); items linked directly or through others share a label."""
    parent: dict[Hashable, Hashable] = {}

    def find(item: Hashable) -> Hashable:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for item, original in links.items():
        find(item)
        if original is not None:
            parent[find(item)] = find(original)
    return {item: find(item) for item in parent}


def evaluate(clusters: Mapping[Hashable, Hashable], copies: Mapping[Hashable, Hashable | None],
             events: Mapping[Hashable, Hashable],
             gold_copies: Mapping[Hashable, Hashable | None]) -> dict:
    """The evaluation report: stories (``clusters`` against gold ``events``) by B-cubed
    and pairwise scores with cluster counts, and copy families (``copies`` against
    ``gold_copies``, each mapping an item to what it copies) by pairwise scores."""
    items = [item for item in clusters if item in events]
    found_families = families({item: copies.get(item) for item in items})
    gold_families = families({item: gold_copies.get(item) for item in items})
    return {
        "articles": len(items),
        "clusters": {"predicted": len({clusters[i] for i in items}),
                     "gold": len({events[i] for i in items})},
        "bcubed": bcubed(clusters, events).as_dict(),
        "pairwise": pairwise(clusters, events).as_dict(),
        "near_duplicates": pairwise(
            {i: found_families[i] for i in items}, {i: gold_families[i] for i in items}
        ).as_dict(),
    }


def disagreements(predicted: Mapping[Hashable, Hashable],
                  gold: Mapping[Hashable, Hashable]) -> dict[str, list[dict]]:
    """Where the clusters and the gold part ways, largest first: ``split``, each gold class
    spread over several clusters (its items by cluster), and ``merged``, each cluster
    holding several gold classes (its items by class)."""
    items = _common(predicted, gold)
    by_class: dict[Hashable, dict[Hashable, list]] = {}
    by_cluster: dict[Hashable, dict[Hashable, list]] = {}
    for item in items:
        by_class.setdefault(gold[item], {}).setdefault(predicted[item], []).append(item)
        by_cluster.setdefault(predicted[item], {}).setdefault(gold[item], []).append(item)

    def spread(groups: dict, key: str, parts: str) -> list[dict]:
        found = [{key: label, parts: dict(sorted(split.items(), key=lambda kv: -len(kv[1])))}
                 for label, split in groups.items() if len(split) > 1]
        return sorted(found, key=lambda d: -sum(map(len, d[parts].values())))

    return {"split": spread(by_class, "event", "stories"),
            "merged": spread(by_cluster, "story", "events")}

