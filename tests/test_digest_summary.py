"""Extractive summaries: sentence cutting and the choice of what the reports share."""

from __future__ import annotations

import pytest

from warta.digest.summary import sentences, summarize, text_terms

GENERIC = ("Kementerian HAM terus berkomitmen untuk melindungi hak asasi manusia seluruh "
           "warga negara Indonesia di mana pun mereka berada.")
ARCHIVE_SIZE = 1000
# Words every ministry article uses are common in the archive; the event's are rare.
COMMON = {t: 600 for t in text_terms(GENERIC + " Menteri HAM Natalius Pigai mengatakan pada "
                                              "Kamis dalam bersama yang dan di ke dari itu ini")}


def test_sentences_take_off_the_dateline_and_keep_abbreviations_and_numbers():
    text = ("Jakarta (ANTARA) - Menteri HAM bertemu Dr. Chea Sovandara dan H. Lukman di Phnom "
            "Penh. Sebanyak 1.243 WNI ditangani, kata dia.\n"
            "“Kami akan memulangkan mereka. Segera,” ujar Pigai. Apa langkah berikutnya?")
    assert sentences(text) == [
        "Menteri HAM bertemu Dr. Chea Sovandara dan H. Lukman di Phnom Penh.",
        "Sebanyak 1.243 WNI ditangani, kata dia.",
        "“Kami akan memulangkan mereka.",
        "Segera,” ujar Pigai.",
        "Apa langkah berikutnya?",
    ]


def test_a_long_first_clause_with_a_dash_is_not_a_dateline():
    text = ("Menteri HAM Natalius Pigai mengunjungi lapas di Nusakambangan pada Senin pagi - "
            "kunjungan kedua tahun ini.")
    assert sentences(text) == [text]


REPORTS = [
    "Jakarta (Nusa) - " + GENERIC + " Menteri HAM Natalius Pigai bertemu Menteri Kehakiman "
    "Kamboja Chea Sovandara di Phnom Penh pada Kamis. Pigai mengatakan dalam pertemuan itu "
    "ada 87 WNI yang masih ditahan di pusat imigrasi Phnom Penh. Cuaca di Jakarta cerah "
    "berawan sepanjang hari ini menurut pantauan di lapangan.",
    GENERIC + " Pertemuan dengan Chea Sovandara di Phnom Penh membahas nasib 87 WNI korban "
    "penipuan daring. Pigai juga menyinggung rencana kunjungan ke Bangkok bulan depan.",
    "Natalius Pigai dan Chea Sovandara sepakat membentuk mekanisme identifikasi korban di "
    "Phnom Penh. " + GENERIC + " Sebanyak 87 WNI akan dipulangkan dalam waktu dekat.",
]


def test_summary_picks_what_the_reports_share_over_what_every_article_says():
    summary = summarize(REPORTS, COMMON, ARCHIVE_SIZE)
    assert 2 <= len(summary) <= 3
    assert GENERIC not in summary
    assert not any("Cuaca" in s or "Bangkok" in s for s in summary)  # in one report only
    joined = " ".join(summary)
    assert "Chea Sovandara" in joined and "87 WNI" in joined and "Phnom Penh" in joined


def test_summary_sentences_do_not_repeat_each_other_and_stay_short():
    summary = summarize(REPORTS, COMMON, ARCHIVE_SIZE)
    assert len(set(summary)) == len(summary)
    if len(summary) == 3:
        assert sum(len(s.split()) for s in summary) <= 70


def test_one_report_gives_its_most_specific_sentences():
    summary = summarize([REPORTS[0]], COMMON, ARCHIVE_SIZE)
    assert len(summary) >= 2 and GENERIC not in summary


def test_texts_without_usable_sentences_give_no_summary():
    assert summarize(["", "Foto: ANTARA", "Baca juga"], COMMON, ARCHIVE_SIZE) == []
    with pytest.raises(ValueError, match="max_sentences"):
        summarize(REPORTS, COMMON, ARCHIVE_SIZE, max_sentences=0)
