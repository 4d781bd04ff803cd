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
