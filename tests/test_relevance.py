"""Relevance: watch terms weighted by position; other bodies do not count."""

import pytest

from pipelines.relevance import WatchMatcher
from warta.config import WatchTerms

WATCH = WatchTerms(
    terms=[
        "Kementerian Hak Asasi Manusia",
        "Kementerian HAM",
        "Kemenham",
        "Menteri HAM",
        "Wakil Menteri HAM",
        "Natalius Pigai",
        "Mugiyanto",
    ],
    exclude=["Komnas HAM", "Kemenkumham", "Kementerian Hukum dan HAM"],
    threshold=1.0,
)
FILLER = "\n".join(["Warga desa berkumpul di balai untuk membahas rencana pembangunan jalan."] * 12)


@pytest.fixture(scope="module")
def matcher():
    return WatchMatcher(WATCH)


def test_headline_mention_is_relevant(matcher):
    result = matcher.score("Natalius Pigai Kunjungi Lapas", FILLER)
    assert result.relevant and result.matched_terms == ["Natalius Pigai"]


def test_lead_counts_more_than_the_last_paragraph(matcher):
    lead = matcher.score("Kabar desa", "Kemenham membuka posko pengaduan.\n" + FILLER)
    tail = matcher.score("Kabar desa", FILLER + "\nKemenham membuka posko pengaduan.")
    assert lead.score > tail.score
    assert lead.relevant and not tail.relevant


def test_other_bodies_alone_score_nothing(matcher):
    text = (
        "Komnas HAM menyelidiki kasus itu. Kanwil Kemenkumham dan Kementerian Hukum dan HAM hadir."
    )
    result = matcher.score("Komnas HAM turun tangan", text)
    assert result.score == 0 and not result.relevant and result.matched_terms == []


def test_an_article_quoting_both_is_coverage(matcher):
    result = matcher.score("Komnas HAM dan Kementerian HAM bahas kasus", "Komnas HAM menyelidiki.")
    assert result.relevant and result.matched_terms == ["Kementerian HAM"]


def test_case_spacing_and_longest_phrase(matcher):
    result = matcher.score("WAKIL\u00a0MENTERI  HAM Mugiyanto", "")
    assert result.matched_terms == ["Mugiyanto", "Wakil Menteri HAM"]


def test_words_inside_other_words_do_not_match(matcher):
    assert matcher.score("Kemenhamba dan Mugiyantoro", "").score == 0
    # a longer phrase glued to a word does not hide the shorter one inside it
    assert matcher.find("eksWakil Menteri HAM, Menteri HAMnya") == ["Menteri HAM"]


def test_terms_in_a_script_written_without_spaces_are_found_inside_running_text():
    matcher = WatchMatcher(WatchTerms(terms=["人权部", "Pigai"], exclude=["国家人权委员会"]))
    filler = "\n".join(["会谈讨论了八十七名印尼公民的处境，双方同意成立联合小组。"] * 12)
    mention = "印度尼西亚人权部长皮盖周二在金边会见柬埔寨司法部长。"
    lead = matcher.score("人权部长访问金边", mention + "\n" + filler)
    tail = matcher.score("人权部长访问金边", filler + "\n" + mention)
    assert lead.matched_terms == tail.matched_terms == ["人权部"]
    assert (lead.score, tail.score) == (3.0 + 1.5, 3.0 + 0.5)  # the lead is about 80 words
    assert matcher.score(None, "印尼国家人权委员会发表声明。").matched_terms == []
    # a word of a spaced script still has to stand alone
    assert matcher.find("Pigaiku, Pigai-nya, Pigai.") == ["Pigai", "Pigai"]
