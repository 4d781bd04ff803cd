"""B-cubed and pairwise scores on cases small enough to count by hand."""

from __future__ import annotations

import pytest

from pipelines.clustering.metrics import bcubed, disagreements, evaluate, families, pairwise

PREDICTED = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2}
GOLD = {"a": "X", "b": "X", "c": "X", "d": "Y", "e": "Y"}


def test_bcubed_by_hand():
    # precision per item: 1, 1, 1/3, 2/3, 2/3; recall: 2/3, 2/3, 1/3, 1, 1
    scores = bcubed(PREDICTED, GOLD)
    assert scores.precision == pytest.approx(11 / 15)
    assert scores.recall == pytest.approx(11 / 15)
    assert scores.f1 == pytest.approx(11 / 15)


def test_pairwise_by_hand():
    # predicted pairs ab, cd, ce, de; gold pairs ab, ac, bc, de; shared ab, de
    scores = pairwise(PREDICTED, GOLD)
    assert (scores.precision, scores.recall) == (0.5, 0.5)
    assert scores.pairs == (2, 4, 4)


def test_disagreements_list_split_classes_and_mixed_clusters_largest_first():
    found = disagreements({**PREDICTED, "f": 3, "g": 3}, {**GOLD, "f": "Z", "g": "Z"})
    assert found["split"] == [{"event": "X", "stories": {1: ["a", "b"], 2: ["c"]}}]
    assert found["merged"] == [{"story": 2, "events": {"Y": ["d", "e"], "X": ["c"]}}]
    assert disagreements(GOLD, GOLD) == {"split": [], "merged": []}


def test_perfect_and_degenerate_clusterings():
    assert bcubed(GOLD, GOLD).f1 == 1.0 and pairwise(GOLD, GOLD).f1 == 1.0
    singletons = {item: item for item in GOLD}
    assert bcubed(singletons, GOLD).precision == 1.0
    assert bcubed(singletons, GOLD).recall == pytest.approx((1/3 * 3 + 1/2 * 2) / 5)
    assert pairwise(singletons, GOLD).precision == 1.0  # nothing put together: vacuous
    assert pairwise(singletons, GOLD).recall == 0.0
    lumped = {item: 0 for item in GOLD}
    assert pairwise(lumped, GOLD).precision == pytest.approx(4 / 10)


def test_items_missing_from_either_side_are_not_scored():
    assert bcubed({**PREDICTED, "z": 9}, GOLD) == bcubed(PREDICTED, GOLD)
    assert pairwise(PREDICTED, {**GOLD, "y": "Z"}) == pairwise(PREDICTED, GOLD)


def test_copy_families_follow_links_transitively():
    labels = families({"a": None, "b": "a", "c": "b", "d": None})
    assert labels["a"] == labels["b"] == labels["c"] != labels["d"]


def test_evaluation_report():
    report = evaluate(PREDICTED, {"b": "a", "d": "e"}, GOLD, {"b": "a", "c": "a"})
    assert report["articles"] == 5
    assert report["clusters"] == {"predicted": 2, "gold": 2}
    assert report["bcubed"]["precision"] == pytest.approx(0.7333, abs=1e-4)
    # copy pairs found: ab, de; expected: ab, ac, bc
    duplicates = report["near_duplicates"]
    assert (duplicates["pairs_correct"], duplicates["pairs_found"],
            duplicates["pairs_expected"]) == (1, 2, 3)
