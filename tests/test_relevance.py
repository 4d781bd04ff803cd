"""Relevance: watch terms weighted by position; other bodies do not count."""

from datetime import date

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


PEOPLE = WatchTerms(terms=["Menteri HAM", "Wakil Menteri HAM", "Kementerian HAM"],
                    people=["Natalius Pigai", "Mugiyanto"], exclude=["Komnas HAM"],
                    since=date(2024, 10, 20))


def test_a_title_beside_a_name_is_one_mention():
    matcher = WatchMatcher(PEOPLE)
    once = matcher.score("Kabar desa", FILLER + "\nMenteri HAM Natalius Pigai hadir.")
    assert once.score == 0.5 and not once.relevant
    assert once.matched_terms == ["Menteri HAM", "Natalius Pigai"]
    twice = matcher.score("Kabar desa", FILLER + "\nMenteri HAM hadir. Natalius Pigai berpidato.")
    assert twice.score == 1.0 and twice.relevant


def test_a_persons_name_counts_only_beside_the_ministry():
    matcher = WatchMatcher(PEOPLE)
    namesake = matcher.score("Sengketa lahan di Sindurejo",
                             "Kepala Desa Sindurejo, Mugiyanto, menolak klaim itu.\n" + FILLER)
    assert namesake.score == 0 and not namesake.relevant and namesake.matched_terms == []
    # Komnas HAM is another body: it does not vouch for the name either
    commission = matcher.score("Komnas HAM Natalius Pigai turun ke Papua", FILLER)
    assert not commission.relevant
    deputy = matcher.score("Mugiyanto kunjungi korban",
                           "Wakil Menteri HAM Mugiyanto menemui keluarga korban.\n" + FILLER)
    assert deputy.relevant and deputy.score == 3.0 + 1.5


def test_nothing_published_before_the_ministry_existed_is_coverage():
    matcher = WatchMatcher(PEOPLE)
    title, text = "Menteri HAM Natalius Pigai ke Papua", "Menteri HAM meninjau Papua.\n" + FILLER
    assert matcher.score(title, text, "2025-03-01T02:00:00Z").relevant
    assert matcher.score(title, text, None).relevant  # undated: on its text alone
    old = matcher.score(title, text, "2024-10-19T16:59:00Z")  # 23:59 WIB the day before
    assert old.score > 1.0 and not old.relevant
    assert matcher.score(title, text, "2024-10-19T17:00:00Z").relevant  # 00:00 WIB


def test_a_text_in_one_paragraph_has_a_lead_of_its_first_sentences():
    matcher = WatchMatcher(PEOPLE)
    sentences = " ".join(["Warga desa berkumpul di balai untuk membahas rencana jalan."] * 20)
    result = matcher.score("Kabar desa", sentences + " Kementerian HAM ikut hadir.")
    assert result.score == 0.5 and not result.relevant  # a last sentence, not the lead
