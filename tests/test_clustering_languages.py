"""The clusterer's defaults on languages and a beat they were not tuned on."""

from __future__ import annotations

from clustering_languages import (
    BATAM_IN_ENGLISH,
    COUNCIL,
    MINISTRY_IN_ENGLISH,
    NUSAKAMBANGAN_IN_ENGLISH,
    PHNOM_PENH,
    PHNOM_PENH_COPY,
    SELBY,
    TADCASTER,
    YANGON,
    chinese,
    english,
)

from newsroom.corpus import load_corpus
from pipelines.clustering.clusterer import Clusterer
from pipelines.clustering.features import similarities
from pipelines.clustering.params import ClusterParams
from pipelines.clustering.state import Doc
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


def test_a_few_english_reports_in_an_indonesian_stream_are_not_one_story_by_their_common_words():
    """English function words and the English name of the beat ("the", "said", "human
    rights ministry") are rare among Indonesian articles; counted apart by language they
    weigh as little as Indonesian's own, and reports of different events stay apart."""
    indonesian = sorted((a for a in load_corpus().articles if a.relevant), key=lambda a: a.published)
    docs = [Doc(key=a.id, title=a.title, text=a.text, source=a.outlet,
                published=a.published.timestamp()) for a in indonesian]
    for i, report in enumerate(MINISTRY_IN_ENGLISH):
        docs.insert(10 + 12 * i, report)
    clusterer = Clusterer()
    decisions = {doc.key: clusterer.assign(doc) for doc in docs}
    english = [clusterer.nodes[doc.key].vector for doc in MINISTRY_IN_ENGLISH]
    assert len({clusterer.final_cluster(decisions[d.key].cluster_id) for d in MINISTRY_IN_ENGLISH}) == 4
    scores = [similarities(clusterer.stats, a, english[i + 1:]).max() for i, a in enumerate(english[:-1])]
    assert max(scores) < 0.1, scores


def test_english_reports_join_their_indonesian_events_by_names_and_numbers():
    """Across languages only names and numbers are shared: an English report is scored
    on those, weighed by their frequency in every language, and joins its event."""
    indonesian = [a for a in load_corpus().articles if a.relevant]
    docs = [Doc(key=a.id, title=a.title, text=a.text, source=a.outlet,
                published=a.published.timestamp()) for a in indonesian]
    docs = sorted([*docs, NUSAKAMBANGAN_IN_ENGLISH, BATAM_IN_ENGLISH], key=lambda d: (d.published, d.key))
    clusters, _ = stories(docs)
    events = {a.id: a.event for a in indonesian}
    for report, event in ((NUSAKAMBANGAN_IN_ENGLISH, "e05"), (BATAM_IN_ENGLISH, "e08")):
        story = {key for key, cluster in clusters.items() if cluster == clusters[report.key]}
        assert story - {report.key} == {key for key, e in events.items() if e == event}


def test_a_language_is_reexamined_at_its_own_doublings_and_at_the_end_of_a_batch():
    """Two reports compared when their language had six articles stay apart under a
    margin that the seventh lowers below their score; no doubling follows (8), so the
    end of the batch re-examines the language. Indonesian articles before them do not
    count towards the English doublings."""
    indonesian = [a for a in load_corpus().articles if a.relevant][:9]
    docs = [Doc(key=a.id, title=a.title, text=a.text, source=a.outlet,
                published=a.published.timestamp()) for a in indonesian]
    docs += [*COUNCIL[:4], SELBY[0], SELBY[1], COUNCIL[4]]
    clusterer = Clusterer(ClusterParams(idf_margin=0.6))
    reviewed = []
    review = clusterer.review
    clusterer.review = lambda rows: reviewed.append(
        {clusterer.stats.languages[r]: int(clusterer.stats.docs[r]) for r in rows}) or review(rows)
    for doc in docs:
        clusterer.assign(doc)
    assert {"en": 4} in reviewed and {"id": 8} in reviewed
    post, echo = clusterer.nodes["selby-post"], clusterer.nodes["selby-echo"]
    assert clusterer.final_cluster(post.cluster) != clusterer.final_cluster(echo.cluster)
    score = similarities(clusterer.stats, post.vector, [echo.vector])[0]
    assert score >= clusterer.threshold(post.vector, echo.vector)  # reached by now
    assert clusterer.finish()
    assert clusterer.final_cluster(post.cluster) == clusterer.final_cluster(echo.cluster)
    assert reviewed[-1] == {"en": 7, "id": 9}
