"""The clusterer on a small hand-written corpus: copies, stories, time, determinism."""

from __future__ import annotations

import dataclasses
import io
import json
import random
from datetime import UTC, datetime

import numpy as np
import pytest
from clustering_data import BACKGROUND, CAMBODIA, GOLD, MYANMAR, WIRE_COPY, corpus

from pipelines.clustering.batch import run_batch
from pipelines.clustering.clusterer import Clusterer
from pipelines.clustering.explain import nearest_members
from pipelines.clustering.features import TermStatistics
from pipelines.clustering.index import (
    SignatureIndex,
    Signer,
    dump_signature,
    estimated_jaccard,
    load_signature,
)
from pipelines.clustering.params import ClusterParams
from pipelines.clustering.state import Doc
from pipelines.clustering.text import parse_text, shingle_hashes, term_hash


def token_hashes(text: str) -> np.ndarray:
    return np.array([term_hash(t) for t in parse_text(text).tokens], dtype=np.uint32)


def iso(epoch: float | None) -> str | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC).isoformat()


def assign_all(docs, params=None):
    clusterer = Clusterer(params)
    decisions = {doc.key: clusterer.assign(doc) for doc in docs}
    return clusterer, decisions


def final_clusters(clusterer, decisions):
    return {key: clusterer.final_cluster(d.cluster_id) for key, d in decisions.items()}


def test_paraphrased_reports_of_one_event_share_a_story():
    clusterer, decisions = assign_all(corpus())
    clusters = final_clusters(clusterer, decisions)
    assert len({clusters[d.key] for d in CAMBODIA}) == 1
    assert len({clusters[d.key] for d in MYANMAR}) == 1
    assert decisions["k2-detak"].kind == "joined"
    assert decisions["k2-detak"].matches[0].key == "k1-nusa"


def test_confusable_events_of_the_same_week_stay_apart():
    clusterer, decisions = assign_all(corpus())
    clusters = final_clusters(clusterer, decisions)
    assert clusters["k1-nusa"] != clusters["m1-nusa"]
    background = {clusters[d.key] for d in BACKGROUND}
    assert len(background) == len(BACKGROUND)
    assert not background & {clusters["k1-nusa"], clusters["m1-nusa"]}


def test_a_wire_copy_points_to_its_original_and_joins_its_story():
    _, decisions = assign_all(corpus())
    copy = decisions[WIRE_COPY.key]
    assert copy.kind == "duplicate"
    assert copy.duplicate_of == "k1-nusa"
    assert 0.5 <= copy.similarity < 1.0
    assert copy.cluster_id == decisions["k1-nusa"].cluster_id


def test_a_copy_seen_before_its_original_hands_the_family_to_the_earliest():
    original = CAMBODIA[0]
    later_copy = dataclasses.replace(WIRE_COPY, key="late-copy")
    _, decisions = assign_all([*BACKGROUND, WIRE_COPY, original, later_copy])
    assert decisions[WIRE_COPY.key].duplicate_of is None  # nothing earlier was known
    assert decisions[original.key].kind == "joined"
    assert list(decisions[original.key].reparented) == [WIRE_COPY.key]
    assert 0.5 <= decisions[original.key].reparented[WIRE_COPY.key] < 1.0  # a copy, not a twin
    assert decisions["late-copy"].duplicate_of == original.key
    # the story is headed by the original, not by the copy that came first
    assert decisions[original.key].representative == decisions["late-copy"].representative == original.key


def test_an_exact_copy_is_found_by_its_text_hash():
    twin = dataclasses.replace(CAMBODIA[1], key="twin", title="Another headline")
    _, decisions = assign_all([*BACKGROUND, CAMBODIA[1], twin])
    assert decisions["twin"].duplicate_of == CAMBODIA[1].key
    assert decisions["twin"].similarity == 1.0


def test_a_near_copy_must_come_out_near_its_original_but_the_same_text_need_not():
    """A weekly report written on one template, one figure changed, is a new event each
    week, not a copy; the same text republished a week later is a copy."""
    week = 7 * 86400
    weekly = dataclasses.replace(CAMBODIA[0], key="weekly", published=CAMBODIA[0].published + week,
                                 text=CAMBODIA[0].text.replace("87", "91"))
    _, decisions = assign_all([*BACKGROUND, CAMBODIA[0], weekly])
    assert decisions["weekly"].duplicate_of is None
    assert decisions["weekly"].cluster_id != decisions[CAMBODIA[0].key].cluster_id
    reprint = dataclasses.replace(weekly, key="reprint", text=CAMBODIA[0].text)
    _, decisions = assign_all([*BACKGROUND, CAMBODIA[0], reprint])
    assert decisions["reprint"].duplicate_of == CAMBODIA[0].key


def test_short_templated_reports_of_different_events_estimate_far_below_a_copy():
    """Two-sentence reports on one template, differing in province, day, figure and topic
    (a true shingle Jaccard near 0.3): with one shingle in four, a few shingles decide
    and some pairs passed for copies; a short text keeps enough to tell them apart."""
    template = ("Kementerian HAM menggelar rapat koordinasi penanganan pengaduan masyarakat "
                "bersama Pemerintah Provinsi {} di {}, {}. Rapat membahas {} pengaduan yang masuk "
                "sepanjang tahun ini, sebagian besar soal {}.")
    places = [("Sulawesi Tengah", "Palu"), ("Sulawesi Barat", "Mamuju"),
              ("Kalimantan Timur", "Samarinda"), ("Kalimantan Utara", "Tarakan"),
              ("Maluku Utara", "Sofifi"), ("Nusa Tenggara Timur", "Kupang"),
              ("Nusa Tenggara Barat", "Mataram"), ("Papua Barat", "Manokwari")]
    days = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu", "Senin"]
    topics = ["sengketa lahan", "pekerja migran", "tambang ilegal", "hak masyarakat adat",
              "layanan kesehatan", "kekerasan aparat", "akses air bersih", "pendidikan anak"]
    clusterer = Clusterer()
    signatures = [clusterer._shingle_signature(token_hashes(template.format(
        province, city, days[i], 37 + 29 * i, topics[i]))) for i, (province, city) in enumerate(places)]
    estimates = [estimated_jaccard(a, b) for i, a in enumerate(signatures) for b in signatures[i + 1:]]
    assert max(estimates) < 0.45, max(estimates)


def test_every_copy_estimated_at_the_threshold_is_found_whatever_the_shingle_bands_miss():
    """A wire story with its last paragraphs rewritten estimates about 0.55: the shingle
    bands offer half such copies; the story candidates (names, numbers and headline words
    shared) offer the rest."""
    rng = random.Random(7)
    words = [a + b for a in ("ka", "ru", "mi", "to", "se", "la", "pa", "di", "nu", "ge")
             for b in ("ran", "lam", "tik", "pos", "dun", "mer", "sah", "ko")]
    names = ["Pigai", "Mugiyanto", "Sovandara", "Hartono", "Wulandari", "Saputra"]

    def sentence():
        return " ".join(rng.choice(words) for _ in range(11)).capitalize() + \
            f" kata {rng.choice(names)}."

    clusterer, pairs = Clusterer(), []
    for i in range(30):
        body, ending = [sentence() for _ in range(12)], [sentence() for _ in range(3)]
        title, figure = f"Kemenham bahas laporan {100 + i} warga", f" Jumlahnya {1000 + i} orang."
        clusterer.assign(Doc(f"a{i}", title, " ".join(body) + figure, 1.7e9 + i * 3600, "nusa"))
        copy = clusterer.assign(Doc(f"b{i}", f"{title} terkini", " ".join(body[:9] + ending) + figure,
                                    1.7e9 + i * 3600 + 600, "kabar6"))
        estimate = estimated_jaccard(clusterer.nodes[f"a{i}"].shingle_sig,
                                     clusterer.nodes[f"b{i}"].shingle_sig)
        pairs.append((estimate, copy.duplicate_of))
    reaching = [found for estimate, found in pairs if estimate >= ClusterParams().duplicate_threshold]
    assert len(reaching) >= 20
    assert reaching == [f"a{i}" for i, (estimate, _) in enumerate(pairs)
                        if estimate >= ClusterParams().duplicate_threshold]


def test_an_undated_article_clusters_on_its_text():
    _, decisions = assign_all(corpus())
    undated = decisions["k3-kabar6"]
    assert undated.kind == "joined"
    assert undated.cluster_id == decisions["k1-nusa"].cluster_id


def test_an_undated_article_in_a_story_takes_its_time_and_bridges_no_later_event():
    undated = dataclasses.replace(CAMBODIA[1], key="undated", published=None)
    # the same event's report ten days on: with the undated article near every time, it
    # joined through it; taken at the time of the story it joined, it is too far
    later = dataclasses.replace(CAMBODIA[2], key="later", published=CAMBODIA[0].published + 10 * 86400)
    clusterer, decisions = assign_all([*BACKGROUND, CAMBODIA[0], undated, later])
    assert decisions["undated"].cluster_id == decisions[CAMBODIA[0].key].cluster_id
    assert decisions["later"].kind == "new"
    assert clusterer._time_of(clusterer.nodes["undated"]) == CAMBODIA[0].published


def test_reports_further_apart_than_the_gap_do_not_join():
    far = dataclasses.replace(CAMBODIA[1], key="far", published=CAMBODIA[0].published + 10 * 86400)
    _, decisions = assign_all([*BACKGROUND, CAMBODIA[0], far])
    assert decisions["far"].kind == "new"
    near = dataclasses.replace(far, key="near", published=CAMBODIA[0].published + 86400)
    assert assign_all([*BACKGROUND, CAMBODIA[0], near])[1]["near"].kind == "joined"


def test_articles_leave_the_index_with_the_time_window_oldest_first():
    later = Doc(key="later", title="x", text="Berita lain sama sekali.",
                published=CAMBODIA[0].published + 5 * 86400)
    kept = {}
    for count in (0, 5):
        clusterer, _ = assign_all([*BACKGROUND, CAMBODIA[0]], ClusterParams(
            window_days=3, window_articles=count))
        assert "k1-nusa" in clusterer.nodes
        clusterer.assign(later)
        kept[count] = set(clusterer.nodes)
    assert kept[0] == {"b3", "b6", "later"}  # the three inside 3 days of the newest
    assert kept[5] == {"b2", "b3", "b4", "b5", "b6", "later"}  # and the 5 newest before it


def test_an_article_older_than_those_that_left_the_index_is_marked_late():
    clusterer, decisions = assign_all([*BACKGROUND, CAMBODIA[0]],
                                      ClusterParams(window_days=3, window_articles=0))
    assert not any(decision.late for decision in decisions.values())
    clusterer.assign(Doc(key="later", title="x", text="Berita lain sama sekali.",
                         published=CAMBODIA[0].published + 5 * 86400))
    assert clusterer.assign(CAMBODIA[1]).late  # k1-nusa, of its time, has left
    assert not clusterer.assign(CAMBODIA[2]).late  # undated
    assert not clusterer.assign(dataclasses.replace(
        MYANMAR[0], published=CAMBODIA[0].published + 4 * 86400)).late


def test_a_report_arriving_after_newer_coverage_still_joins_its_story():
    later = Doc(key="later", title="Banjir merendam ratusan rumah di Samarinda",
                text="Banjir setinggi satu meter merendam 420 rumah warga di Samarinda.",
                published=CAMBODIA[0].published + 10 * 86400)
    docs = [*BACKGROUND, CAMBODIA[0], later, CAMBODIA[1]]
    _, decisions = assign_all(docs)
    assert decisions["k2-detak"].cluster_id == decisions["k1-nusa"].cluster_id
    _, forgetful = assign_all(docs, ClusterParams(window_articles=0))
    assert forgetful["k2-detak"].kind == "new"


def test_the_same_input_in_the_same_order_gives_the_same_decisions():
    first = [d.explain() for d in assign_all(corpus())[1].values()]
    second = [d.explain() for d in assign_all(corpus())[1].values()]
    assert first == second


def test_a_refetched_article_keeps_its_story():
    clusterer, decisions = assign_all(corpus())
    again = clusterer.assign(CAMBODIA[1])
    assert again.kind == "update" and again.features is None
    assert again.cluster_id == clusterer.final_cluster(decisions["k2-detak"].cluster_id)
    edited = dataclasses.replace(CAMBODIA[1], text=CAMBODIA[1].text + "\nPembaruan: tim mulai bekerja.")
    changed = clusterer.assign(edited)
    assert changed.kind == "update" and changed.features is not None
    assert changed.cluster_id == again.cluster_id
    assert clusterer.stats.n_docs == len(corpus())


def test_batch_input_gives_the_decisions_of_one_by_one_assignment():
    lines = [json.dumps({"id": d.key, "title": d.title, "text": d.text, "source": d.source,
                         "published": iso(d.published)}) for d in corpus()]
    results, problems = run_batch(io.StringIO("\n".join(lines)))
    assert problems == []
    clusterer, decisions = assign_all(corpus())
    clusterer.finish()  # a batch ends by re-examining its stories
    assert {r["id"]: d.cluster_id for r, d in results} == final_clusters(clusterer, decisions)
    assert {r["id"]: d.duplicate_of for r, d in results} == {
        k: d.duplicate_of for k, d in decisions.items()}


def test_gold_labels_of_the_small_corpus_are_recovered():
    clusterer, decisions = assign_all(corpus())
    clusters = final_clusters(clusterer, decisions)
    by_gold = {}
    for key, event in GOLD.items():
        by_gold.setdefault(event, set()).add(clusters[key])
    assert all(len(found) == 1 for found in by_gold.values())
    assert len(set(clusters.values())) == len(by_gold)


def test_signatures_round_trip_and_record_their_parameters():
    params = ClusterParams(num_perm=64, seed=7)
    signer = Signer(params)
    signature = signer.sign(shingle_hashes(token_hashes(CAMBODIA[0].text), 5))
    data = dump_signature(signature)
    back = load_signature(data)
    assert back == signature and back.seed == 7 and back.scheme == "affine32"
    assert signer.accepts(back)
    assert not Signer(ClusterParams(num_perm=64, seed=8)).accepts(back)
    assert signer.sign([]) is None


def test_parameters_are_checked_with_a_message_that_says_how_to_fix_them():
    with pytest.raises(ValueError, match="exceeds num_perm"):
        ClusterParams(num_perm=32, story_bands=32, story_rows=2)
    with pytest.raises(ValueError, match="scheme"):
        ClusterParams(scheme="affine16")
    with pytest.raises(ValueError, match="window_articles must be 0 or more"):
        ClusterParams(window_articles=-1)


def test_names_numbers_and_shingles_of_a_text():
    text = ("Jakarta - Menteri HAM Natalius Pigai bertemu Chea Sovandara. Pertemuan membahas "
            "1.243 WNI di Phnom Penh. Pertemuan kedua digelar besok.")
    parsed = parse_text(text)
    assert {"pigai", "chea", "sovandara", "phnom", "penh", "wni"} <= parsed.names
    assert "pertemuan" not in parsed.names  # capitalized only at the start of a sentence
    assert not {"jakarta", "menteri"} & parsed.names  # the dateline and the word after it
    _, _, numbers = TermStatistics(2.0).vector(parsed, parse_text("Sidang ke-2 digelar 2025"))
    assert numbers == {"1243", "2025"}  # "ke-2" starts with a letter: a word, not a number
    hashes = shingle_hashes(token_hashes(text), 5)
    assert len(hashes) == len(parsed.tokens) - 4
    assert list(hashes) == list(shingle_hashes(token_hashes(
        "jakarta menteri ham natalius pigai bertemu chea sovandara; pertemuan membahas 1.243 "
        "wni di phnom penh pertemuan kedua digelar besok"), 5))
    assert len(shingle_hashes(token_hashes("dua kata"), 5)) == 1


def test_typographic_punctuation_separates_words_as_ascii_punctuation_does():
    typographic = "«Menteri HAM» — “Pigai” bertemu… warga (Papua) • 1.243 orang – ‘pusat-pusat’ Ma’ruf"
    plain = '"Menteri HAM" - "Pigai" bertemu... warga (Papua) * 1.243 orang - \'pusat-pusat\' Ma\'ruf'
    assert parse_text(typographic).tokens == [
        "menteri", "ham", "pigai", "bertemu", "warga", "papua", "1.243", "orang", "pusat-pusat",
        "ma’ruf"]
    assert parse_text(plain).tokens[:-1] == parse_text(typographic).tokens[:-1]


def test_a_number_is_one_term_whichever_language_grouped_its_digits():
    stats = TermStatistics(2.0)
    _, _, indonesian = stats.vector(parse_text("Sebanyak 1.126 orang dan 2,5 persen pada 11.20 WIB"))
    _, _, english = stats.vector(parse_text("Some 1,126 people and 2.5 percent, 1.000.000 in all"))
    assert indonesian == {"1126", "2.5", "11.20"}
    assert english == {"1126", "2.5", "1000000"}
    assert len(set(stats.intern_all(["1.126", "1,126", "1126"]))) == 1


def test_texts_without_words_are_clustered_by_title_and_copy_nothing():
    clusterer = Clusterer()
    docs = [("", ""), ("Pigai meninjau lapas Nusakambangan", ""), ("", "... !"),
            ("Pigai meninjau lapas Nusakambangan", "… —")]
    decisions = [clusterer.assign(Doc(key=str(i), title=title, text=text, published=None,
                                      source="a"))
                 for i, (title, text) in enumerate(docs)]
    assert [d.duplicate_of for d in decisions] == [None] * 4
    assert decisions[3].cluster_id == decisions[1].cluster_id  # the same headline
    assert decisions[2].cluster_id != decisions[1].cluster_id
    # empty texts share one text hash: headlines that share a place make them story
    # candidates of each other, never copies
    for i, title in enumerate(["Banjir rendam perumahan di Bekasi", "Kebakaran pasar di Bekasi",
                               "Gempa guncang Bekasi"]):
        empty = clusterer.assign(Doc(key=f"e{i}", title=title, text="", published=None, source="a"))
        assert empty.duplicate_of is None and empty.kind != "duplicate"


def test_reports_sharing_a_tenth_of_their_story_terms_are_usually_compared():
    """Outlets' headlines share few words: same-event reports may share only a tenth to a
    third of their names, numbers and headline words, and must still become candidates."""
    params = ClusterParams()
    signer, found = Signer(params), {0.1: 0, 0.2: 0, 0.3: 0}
    for overlap in found:
        for pair in range(300):
            shared = int(40 * overlap / (1 + overlap))  # |A ∩ B| / |A ∪ B| = overlap
            base = pair * 1000
            a = [base + i for i in range(20)]
            b = a[:shared] + [base + 500 + i for i in range(20 - shared)]
            index = SignatureIndex(params)
            index.insert("a", None, signer.sign(a))
            found[overlap] += "a" in index.candidates(None, signer.sign(b))[1]
    assert found[0.1] / 300 >= 0.6 and found[0.2] / 300 >= 0.85 and found[0.3] / 300 >= 0.95, found


def _two_stories(monkeypatch, scores: dict[tuple[str, str], float]) -> tuple[Clusterer, int, int]:
    """A clusterer holding story A (a1-a3) and story B (b1, b2), every pair of members
    scoring as ``scores`` says (0.1 unless listed), at a threshold of 0.3."""
    clusterer = Clusterer()
    for n, key in enumerate(["a1", "a2", "a3", "b1", "b2"]):
        clusterer.assign(Doc(key=key, title=f"Berita {key}", text=f"Kabar nomor {n} tentang {key}.",
                             published=1_763_600_000.0 + 3600 * n, source="nusa"))
    ids = {key: node.cluster for key, node in clusterer.nodes.items()}
    a, b = ids["a1"], ids["b1"]
    for key in ("a2", "a3"):
        clusterer._merge(a, ids[key])
    clusterer._merge(b, ids["b2"])

    def scored(stats, query, candidates):
        member = next(n.key for n in clusterer.nodes.values() if n.vector is query)
        others = [next(n.key for n in clusterer.nodes.values() if n.vector is c) for c in candidates]
        return np.array([scores.get(frozenset((member, o)), 0.1) for o in others])

    class Scored:  # the member-by-member comparison of two stories
        def __init__(self, stats, candidates):
            self.candidates = candidates

        def of(self, query):
            return scored(None, query, self.candidates)

    monkeypatch.setattr("pipelines.clustering.clusterer.similarities", scored)
    monkeypatch.setattr("pipelines.clustering.clusterer.Cosines", Scored)
    monkeypatch.setattr(Clusterer, "threshold", lambda self, x, y: 0.3)
    return clusterer, clusterer.final_cluster(a), clusterer.final_cluster(b)


def test_two_stories_do_not_merge_on_one_pair_of_articles(monkeypatch):
    # b1 shares a name with a1 (a regional official at two events); b2 has nothing
    clusterer, a, b = _two_stories(monkeypatch, {frozenset(("a1", "b1")): 0.45})
    assert not clusterer._may_merge(a, b)


def test_two_stories_merge_when_the_smallers_members_each_find_a_partner(monkeypatch):
    clusterer, a, b = _two_stories(monkeypatch, {frozenset(("a1", "b1")): 0.5,
                                                 frozenset(("a3", "b2")): 0.32})
    assert clusterer._may_merge(a, b)


def test_explaining_a_match_names_its_shared_words_even_when_names_outweigh_them():
    # eight shared names, each weighing twice a word, and three shared words
    names = ["jenewa", "pbb", "pigai", "hanafiah", "unhrc", "swiss", "eropa", "asean"]
    words = ["korporasi", "rantai", "pasok"]

    def record(own):
        terms = {t: 1 for t in (*names, *words, own)}
        return {"language": "id", "terms": terms, "names": names, "numbers": []}

    frequencies = {"id": dict.fromkeys((*names, *words, "a", "b"), 1)}
    ((key, found),) = nearest_members(ClusterParams(), frequencies, {"id": 20}, record("a"),
                                      [("other", record("b"))])
    assert key == "other" and found["score"] > 0
    shown = [term for term, _ in found["names"]]
    assert len(shown) == 6 and set(shown) <= set(names)
    assert sorted(term for term, _ in found["terms"]) == sorted(words)
