"""The clusterer's defaults on languages and a beat they were not tuned on."""

from __future__ import annotations

from clustering_languages import (
    COUNCIL,
    PHNOM_PENH,
    PHNOM_PENH_COPY,
    SELBY,
    TADCASTER,
    YANGON,
    chinese,
    english,
)

from pipelines.clustering.clusterer import Clusterer
from pipelines.clustering.text import parse_text


def stories(docs):
    clusterer = Clusterer()
    decisions = {doc.key: clusterer.assign(doc) for doc in docs}
    return {key: clusterer.final_cluster(d.cluster_id) for key, d in decisions.items()}, decisions


def test_english_reports_of_one_decision_share_a_story_and_the_other_town_stays_apart():
    clusters, _ = stories(english())
    assert len({clusters[d.key] for d in SELBY}) == 1
    assert len({clusters[d.key] for d in TADCASTER}) == 1
    assert clusters[SELBY[0].key] != clusters[TADCASTER[0].key]
    others = {clusters[d.key] for d in COUNCIL}
    assert len(others) == len(COUNCIL)
    assert not others & {clusters[SELBY[0].key], clusters[TADCASTER[0].key]}


def test_chinese_paraphrases_join_a_republication_is_a_copy_and_another_visit_stays_apart():
    clusters, decisions = stories(chinese())
    original, paraphrase = PHNOM_PENH
    assert decisions[paraphrase.key].kind == "joined"
    assert clusters[paraphrase.key] == clusters[original.key]
    copy = decisions[PHNOM_PENH_COPY.key]
    assert (copy.kind, copy.duplicate_of) == ("duplicate", original.key)
    assert copy.similarity >= 0.5
    assert clusters[YANGON.key] != clusters[original.key]


def test_scripts_without_spaces_are_cut_into_character_pairs():
    tokens = parse_text("部长皮盖周二在金边会见了Chea Sovandara，会谈持续2小时。").tokens
    assert tokens == ["部长", "长皮", "皮盖", "盖周", "周二", "二在", "在金", "金边", "边会", "会见",
                      "见了", "chea", "sovandara", "会谈", "谈持", "持续", "2", "小时"]
    assert parse_text("เดินทาง").tokens == ["เด", "ดิ", "ิน", "นท", "ทา", "าง"]
    assert parse_text("東京で3日").tokens == ["東京", "京で", "3", "日"]
    assert parse_text("Pusat-pusat HAM “Natalius Pigai”").tokens == [
        "pusat-pusat", "ham", "natalius", "pigai"]
