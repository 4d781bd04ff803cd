"""Publication times as Indonesian pages give them, where each came from, and the language."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from extraction_pages import article_page
from trafilatura.utils import load_html

from pipelines.extraction.dates import (
    is_timestamp_line,
    parse_machine_date,
    parse_visible_date,
    to_utc_iso,
)
from pipelines.extraction.extract import extract_page
from pipelines.extraction.metadata import declared_language
from pipelines.language import detect_language

NOW = datetime(2025, 11, 24, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "utc"), [
    ("Senin, 24 November 2025 16:40 WIB", "2025-11-24T09:40:00Z"),
    ("24/11/2025, 16:40 WIB", "2025-11-24T09:40:00Z"),
    ("Kamis, 05/11/2015 09:25 WIB", "2015-11-05T02:25:00Z"),
    ("Selasa, 25 Nop 2025 08.15 WITA", "2025-11-25T00:15:00Z"),
    ("Rabu, 26 Agustus 2025 | 10:00 WIT", "2025-08-26T01:00:00Z"),
    ("Jumat, 21 November 2025 - 15:56 wib", "2025-11-21T08:56:00Z"),
    ("Rabu, 19 November 2025 • 14:05 WITA", "2025-11-19T06:05:00Z"),
    ("Rabu, 19 Nov 2025 — 14:05 WIT", "2025-11-19T05:05:00Z"),
    ("Mon, November 24, 2025 / 06:15 pm", "2025-11-24T11:15:00Z"),
    ("Wed, November 19, 2025 - 14:05 WIB", "2025-11-19T07:05:00Z"),
    ("Minggu, 2 Maret 2025", "2025-03-01T17:00:00Z"),  # no time: midnight in Jakarta
    ("Sabtu 1 Februari 2025 pukul 07.30", "2025-02-01T00:30:00Z"),
    ("November 24, 2025 4:40 GMT+7", "2025-11-23T21:40:00Z"),
    ("November 24, 2025 4:40 PM", "2025-11-24T09:40:00Z"),
    ("24 Nov 2025, 12:05 a.m. MYT", "2025-11-23T16:05:00Z"),
    ("16:40 WIB, Senin 24 November 2025", "2025-11-24T09:40:00Z"),
    ("Pukul 08.15 WITA | 25/11/2025", "2025-11-25T00:15:00Z"),
    ("10:00, 26 Agustus 2025 WIT", "2025-08-26T01:00:00Z"),  # the zone after the date
    ("Nomor 7, 24 November 2025", "2025-11-23T17:00:00Z"),  # a number, not a time
    ("2 jam lalu", "2025-11-24T10:00:00Z"),
    ("5 menit yang lalu", "2025-11-24T11:55:00Z"),
    ("sehari yang lalu", "2025-11-23T12:00:00Z"),
    ("Kemarin, 14:05", "2025-11-23T07:05:00Z"),
    ("Hari ini 09:30 WIB", "2025-11-24T02:30:00Z"),
    ("Nov 19, 2025 @ 6:45pm", "2025-11-19T11:45:00Z"),
    ("Wednesday, 04 November, 2015 | 07:28 WIB", "2015-11-04T00:28:00Z"),
    ("2025-11-24 14:30", "2025-11-24T07:30:00Z"),  # year first, as a database prints it
    ("Diterbitkan 2025/11/24 | 14:30 WITA", "2025-11-24T06:30:00Z"),
])
def test_visible_indonesian_dates(text, utc):
    assert to_utc_iso(parse_visible_date(text, NOW)) == utc


@pytest.mark.parametrize("text", ["", "Rapat digelar di Jakarta", "31 Februari 2025", "Senin, 24 Smarch 2025",
                                  "1 Januari 1970", "Senin, 1 Desember 2025"])
def test_no_date_or_an_impossible_one(text):
    assert parse_visible_date(text, NOW) is None


def test_relative_time_needs_the_fetch_time():
    assert parse_visible_date("2 jam lalu") is None


@pytest.mark.parametrize(("value", "utc"), [
    ("2025-05-28T12:30:00+07:00", "2025-05-28T05:30:00Z"),
    ("2025-05-28T05:30:00Z", "2025-05-28T05:30:00Z"),
    ("2025-05-28T12:30:00.000+0700", "2025-05-28T05:30:00Z"),
    ("2015/11/05 10:08:45", "2015-11-05T03:08:45Z"),
    ("Mon, 24 Nov 2025 16:40:00 +0700", "2025-11-24T09:40:00Z"),
])
def test_machine_dates(value, utc):
    assert to_utc_iso(parse_machine_date(value, NOW)) == utc


def test_a_date_far_in_the_future_is_refused():
    assert parse_machine_date("2031-01-01T00:00:00Z", NOW) is None


@pytest.mark.parametrize(("line", "stamp"), [
    ("- Kamis, 05/11/2015 09:25 WIB", True),
    ("Diperbarui 24 Nov 2025, 16:40 WIB", True),
    ("2 jam lalu", True),
    ("16:40 WIB, Senin 24 November 2025", True),
    ("Diperbarui 4:40 PM, November 24, 2025", True),
    ("Kamis (5/11/2015) polisi menangkap dua tersangka", False),
    ("Jakarta - Senin, 24 November 2025", False),
])
def test_timestamp_lines(line, stamp):
    assert is_timestamp_line(line) is stamp


JSON_LD = """<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebPage", "datePublished": "2020-01-01T00:00:00+07:00"},
 {"@type": "NewsArticle", "headline": "x", "datePublished": "2025-11-24T16:40:00+07:00"}]}</script>"""


@pytest.mark.parametrize(("head", "hint", "published", "source"), [
    ('<meta property="article:published_time" content="2025-11-24T10:00:00+07:00">' + JSON_LD,
     None, "2025-11-24T03:00:00Z", "meta"),
    (JSON_LD, "2025-11-25T00:00:00Z", "2025-11-24T09:40:00Z", "json-ld"),
    ('<script type="application/ld+json">{"broken": </script>', "2025-11-25T01:02:03Z",
     "2025-11-25T01:02:03Z", "hint"),
    ("", None, "2025-11-24T09:40:00Z", "text"),  # the page's "Senin, 24 November 2025 16:40 WIB"
])
def test_publication_time_and_where_it_came_from(head, hint, published, source):
    result = extract_page(article_page(head=head), hints={"published": hint})
    assert (result.published, result.published_source) == (published, source)


def test_a_video_pages_upload_date_is_its_publication_time():
    video = ('<script type="application/ld+json">{"@type": "VideoObject", '
             '"uploadDate": "2025-11-18T20:30:00+07:00"}</script>')
    result = extract_page(article_page(head=video))
    assert (result.published, result.published_source) == ("2025-11-18T13:30:00Z", "json-ld")


def _ld(*scripts: dict | list) -> str:
    """A JSON-LD script for each of ``scripts``."""
    return "".join(f'<script type="application/ld+json">{json.dumps(s)}</script>' for s in scripts)


LISTED = {"@type": "NewsArticle", "headline": "Berita lama",
          "datePublished": "2025-10-01T08:00:00+07:00"}
OWN = {"@type": "NewsArticle", "headline": "x", "datePublished": "2025-11-24T16:40:00+07:00"}


@pytest.mark.parametrize("head", [
    # related articles in an ItemList before the page's own article, in one script
    _ld([{"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item": LISTED}]}, OWN]),
    _ld({"@type": "WebPage", "hasPart": [LISTED]}, OWN),  # the page naming a listed article
])
def test_the_date_of_an_article_the_json_ld_lists_is_not_the_pages(head):
    result = extract_page(article_page(head=head))
    assert (result.published, result.published_source) == ("2025-11-24T09:40:00Z", "json-ld")


def test_a_section_page_takes_no_date_from_the_articles_its_json_ld_lists():
    page = article_page(head=_ld({"@type": "CollectionPage", "hasPart": [LISTED]}))
    result = extract_page(page.replace("Senin, 24 November 2025 16:40 WIB", ""))
    assert result.published_source != "json-ld"


def test_relative_visible_date_counts_from_the_fetch_time():
    page = article_page().replace("Senin, 24 November 2025 16:40 WIB", "3 jam yang lalu")
    result = extract_page(page, hints={"fetched_at": "2025-11-24T12:00:00Z"})
    assert (result.published, result.published_source) == ("2025-11-24T09:00:00Z", "text")


def test_dates_of_other_articles_in_lists_are_not_taken():
    page = article_page(before_body='<ul><li><span class="date">Kamis, 05/11/2015 09:25 WIB</span>'
                                    '<a href="/x">Berita lain</a></li></ul>')
    page = page.replace('<div class="detail-meta">Senin, 24 November 2025 16:40 WIB</div>', "")
    result = extract_page(page)
    assert result.published is None


def test_times_of_other_articles_in_a_sidebar_or_below_the_story_are_not_taken():
    no_date = article_page().replace(
        '<div class="detail-meta">Senin, 24 November 2025 16:40 WIB</div>', "")
    fetched = {"fetched_at": "2025-11-26T03:00:00Z"}
    popular = ('<aside><h3>Terpopuler</h3><div class="item"><a href="/x1">Berita lain</a> '
               '<span class="time">1 jam lalu</span></div></aside>')
    below = '<div><a href="/x2">Berita lain</a> <span>2 jam lalu</span></div>'
    for extra in (popular, below):
        page = no_date.replace("</body>", extra + "</body>")
        assert extract_page(page, hints=fetched).published is None, extra
        dated = extract_page(page, "https://warta.example/2025/11/24/lapas/", hints=fetched)
        assert (dated.published, dated.published_source) == ("2025-11-23T17:00:00Z", "url")


def test_language_by_stopwords_and_declaration():
    indonesian = "Menteri HAM mengatakan bahwa pemerintah akan melindungi para pekerja yang ada di luar negeri."
    english = "The minister said that the government will protect the workers who are abroad and their families."
    assert detect_language(indonesian, "en") == "id"  # a template default loses to the text
    shared = "Menteri itu berkata pekerja yang ada di luar negeri akan dilindungi oleh negara."
    assert detect_language(shared, "ms-MY") == "ms"  # words both languages use: the declaration
    assert detect_language(shared, "en") == "id"
    assert detect_language(indonesian, "ms-MY") == "id"  # bahwa, pemerintah: Indonesian
    assert detect_language(english, "id") == "en"
    assert detect_language("12345 67890", "id-ID") == "id"
    assert detect_language("", None) is None


def test_malay_is_told_from_indonesian_by_the_words_each_spells_its_own_way():
    malay = ("Kerajaan kedua-dua negara bersetuju menubuhkan jawatankuasa bersama kerana tidak mahu "
             "pekerja migran menjadi mangsa eksploitasi majikan di sempadan.")
    indonesian = ("Pemerintah kedua negara setuju membentuk panitia bersama karena tidak mau pekerja "
                  "migran menjadi korban eksploitasi majikan di perbatasan.")
    assert detect_language(malay, "en") == "ms"  # an English template default, Malay text
    assert detect_language(malay, "id") == "ms"
    assert detect_language(indonesian, "ms") == "id"
    statement = ("Menurut kenyataan pejabat menteri, mesyuarat itu diadakan selepas polis menahan "
                 "seramai 40 pekerja yang tidak mempunyai dokumen sah di negeri itu.")
    page = article_page(paragraphs=(malay, statement))
    assert extract_page(page.replace('lang="id"', 'lang="en"')).language == "ms"


def test_declared_language_from_the_page():
    tree = load_html('<html lang="en-US"><body><p>x</p></body></html>')
    assert declared_language(tree) == "en-US"


def test_a_time_element_with_a_timestamp_beats_the_date_it_shows():
    shown = '<div class="detail-meta">Senin, 24 November 2025 16:40 WIB</div>'
    page = article_page().replace(
        shown, '<div class="detail-meta"><time datetime="2025-11-24T15:30:00+07:00">24 November 2025</time></div>')
    result = extract_page(page, hints={"published": "2025-11-25T00:00:00Z"})
    assert (result.published, result.published_source) == ("2025-11-24T08:30:00Z", "meta")
    listed = article_page(before_body='<ul><li><time datetime="2015-11-05T09:25:00+07:00">5/11</time></li></ul>')
    assert extract_page(listed).published_source == "text"  # another article's time is not taken


def test_a_microformat_time_gives_the_hour_a_day_shown_alone_lacks():
    shown = '<div class="detail-meta">Senin, 24 November 2025 16:40 WIB</div>'
    blogger = ('<div class="postmeta">Senin, 24 November 2025 <abbr class="updated" '
               'title="2025-11-24T15:30:00+07:00">15.30</abbr> <abbr title="Hak Asasi Manusia">'
               'HAM</abbr></div>')
    result = extract_page(article_page().replace(shown, blogger))
    assert (result.published, result.published_source) == ("2025-11-24T08:30:00Z", "meta")
    plain = extract_page(article_page().replace(shown, blogger.replace("title=\"2025", "lang=\"2025")))
    assert plain.published == "2025-11-23T17:00:00Z"  # the day alone: its midnight, WIB


def test_a_date_in_a_teaser_of_another_article_is_not_the_pages():
    card = ('<div class="related"><div class="card"><a href="/r1">Pigai: Lapas Harus Ramah Disabilitas '
            'Mulai Tahun Depan</a><time datetime="2025-11-12T09:00:00+07:00">12 November 2025</time>'
            '</div></div>')
    page = article_page(after_body=card).replace(
        '<div class="detail-meta">Senin, 24 November 2025 16:40 WIB</div>', "")
    assert extract_page(page).published is None
    dated = extract_page(page, "https://warta.example/2025/11/19/lapas-perempuan/")
    assert (dated.published, dated.published_source) == ("2025-11-18T17:00:00Z", "url")
    ticker = ('<div class="strip"><div class="item"><a href="/x">Gubernur Resmikan Rumah Sakit '
              'Rujukan di Nabire</a><div class="date">Kamis, 27 November 2025 09:10 WIB</div></div></div>')
    page = article_page(before_body=ticker).replace('<h1 class="detail-title">', '<h1>Judul Lain ')
    assert extract_page(page).published == "2025-11-24T09:40:00Z"  # the date under the <h1>


def test_the_pages_own_time_beside_links_of_its_own_is_taken():
    meta = ('<div class="entry-meta"><a href="/tag/ham">HAM</a> <span class="byline">oleh '
            '<a href="/author/fajar">Fajar Nugroho Saputra</a></span> <a href="/self" rel="bookmark">'
            '<time datetime="2025-11-24T15:30:00+07:00">24 November 2025</time></a></div>')
    page = article_page().replace('<div class="detail-meta">Senin, 24 November 2025 16:40 WIB</div>', meta)
    page = page.replace('<h1 class="detail-title">', '<header><h1 class="detail-title"><a href="/self">')
    page = page.replace("</h1>", "</a></h1>" + meta + "</header>").replace(meta, "", 1)
    assert extract_page(page).published == "2025-11-24T08:30:00Z"


def test_a_time_without_a_zone_is_read_in_the_zone_the_page_shows():
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "%s"}</script>'
    shown = '<div class="detail-meta">Senin, 24 November 2025 16:40 WIB</div>'
    page = article_page(head=ld % "2025-11-24T16:40:00")
    wit = page.replace(shown, '<div class="detail-meta">Senin, 24 November 2025 16:40 WIT</div>')
    assert extract_page(wit).published == "2025-11-24T07:40:00Z"
    assert extract_page(page).published == "2025-11-24T09:40:00Z"
    zoned = article_page(head=ld % "2025-11-24T16:40:00+07:00").replace(shown, shown.replace("WIB", "WIT"))
    assert extract_page(zoned).published == "2025-11-24T09:40:00Z"  # an offset given is kept


SHOWN = '<div class="detail-meta">Senin, 24 November 2025 16:40 WIB</div>'


def _showing(meta: str, **parts) -> str:
    return article_page(**parts).replace(SHOWN, meta)


@pytest.mark.parametrize("meta", [
    '<div class="info"><span>Diperbarui: Selasa, 25 November 2025 08:10 WIB</span></div>',
    '<div class="info"><b>Update</b> <span>Selasa, 25 November 2025 08:10 WIB</span></div>',
    '<div class="info"><span class="date-updated">Selasa, 25 November 2025 08:10 WIB</span></div>',
])
def test_an_update_time_shown_first_is_not_the_publication_time(meta):
    first_published = '<div class="pub-first">Terbit: Senin, 24 November 2025 16:40 WIB</div>'
    result = extract_page(_showing(meta + first_published))
    assert (result.published, result.published_source) == ("2025-11-24T09:40:00Z", "text")
    assert extract_page(_showing(meta)).published == "2025-11-25T01:10:00Z"  # the only time shown


def test_a_day_shown_alone_takes_the_time_shown_later_that_day():
    page = _showing('<div class="detail-meta">Jakarta, Senin (24/11/2025)</div>'
                    '<div class="detail-time">Senin, 24 November 2025 16:40 WIB</div>')
    assert extract_page(page).published == "2025-11-24T09:40:00Z"
    other_day = page.replace("Senin, 24 November 2025 16:40", "Selasa, 25 November 2025 10:00")
    assert extract_page(other_day).published == "2025-11-23T17:00:00Z"  # midnight, 24 Nov WIB


@pytest.mark.parametrize("meta", [
    '<div class="detail-meta"><time>24 November 2025</time><time>16:40 WIB</time></div>',
    '<div class="date"><span>Senin, 24/11/2025</span><span>16:40</span></div>',
])
def test_a_time_shown_in_an_element_of_its_own_beside_its_day_is_read_with_it(meta):
    assert extract_page(_showing(meta)).published == "2025-11-24T09:40:00Z"
    below = _showing("").replace("</article>", meta + "</article>")  # not beside the headline
    assert extract_page(below).published == "2025-11-24T09:40:00Z"


@pytest.mark.parametrize("comments", ["comments", "box-komentar", "disqus_thread"])
def test_a_readers_comment_time_is_not_the_articles(comments):
    thread = (f'<div class="{comments}"><div class="comment"><time datetime="2025-11-25T08:00:00+07:00">'
              "25 November 2025 pukul 08.00</time><p>Semoga cepat selesai.</p></div></div>")
    page = _showing('<div class="detail-meta">Senin, 24 November 2025</div>', after_body=thread)
    result = extract_page(page)
    assert (result.published, result.published_precision) == ("2025-11-23T17:00:00Z", "day")
    # an article wrapper whose class names its comments is no comment
    wrapped = _showing('<time datetime="2025-11-24T16:40:00+07:00">Senin, 24 November 2025</time>')
    wrapped = wrapped.replace('<article class="detail">', '<article class="detail has-comments">')
    assert extract_page(wrapped).published == "2025-11-24T09:40:00Z"


def test_a_live_reports_update_times_are_not_its_publication_time():
    feed = "".join(f'<div class="live-item"><time datetime="2025-11-24T{t}:00+07:00">{t} WIB</time>'
                   f"<p>Pembaruan pukul {t} dari rapat kerja Komisi XIII bersama Menteri HAM.</p></div>"
                   for t in ("18:05", "17:30", "16:55"))
    shown = _showing('<div class="detail-meta">Senin, 24 November 2025 16:40 WIB</div>', after_body=feed)
    assert extract_page(shown).published == "2025-11-24T09:40:00Z"
    unshown = _showing("", after_body=feed)
    assert (extract_page(unshown).published, extract_page(unshown).published_source) == \
        ("2025-11-24T09:55:00Z", "meta")  # the earliest update, the nearest to the start


@pytest.mark.parametrize(("url", "lang", "utc"), [
    ("https://www.beritaharian.example.my/berita/1", "id", "2025-11-24T08:40:00Z"),
    ("https://warta.example/berita/1", "ms", "2025-11-24T08:40:00Z"),
    ("https://warta.example/berita/1", "en-SG", "2025-11-24T08:40:00Z"),
    ("https://warta.example/berita/1", "id", "2025-11-24T09:40:00Z"),
])
def test_a_time_naming_no_zone_is_read_in_the_zone_of_the_pages_country(url, lang, utc):
    page = _showing('<div class="detail-meta">Senin, 24 November 2025 16:40</div>')
    page = page.replace('<html lang="id">', f'<html lang="{lang}">')
    assert extract_page(page, url).published == utc
    named = page.replace("16:40</div>", "16:40 WIB</div>")
    assert extract_page(named, url).published == "2025-11-24T09:40:00Z"  # a zone named is kept


SHOWN = "Senin, 24 November 2025 16:40 WIB"


@pytest.mark.parametrize(("head", "hint", "shown", "expected"), [
    # a timed metadata date is a time
    ('<meta property="article:published_time" content="2025-11-24T10:00:00+07:00">', None, SHOWN,
     ("2025-11-24T03:00:00Z", "meta", "time")),
    # a day alone in the metadata takes the time the page shows that day
    ('<meta property="article:published_time" content="2025-11-24">', None, SHOWN,
     ("2025-11-24T09:40:00Z", "text", "time")),
    # ... and stays a day when the page shows no time, or a time on another day
    ('<meta property="article:published_time" content="2025-11-24">', None, "Senin (24/11/2025)",
     ("2025-11-23T17:00:00Z", "meta", "day")),
    ('<meta property="article:published_time" content="2025-11-24">', None,
     "Selasa, 25 November 2025 08:00 WIB", ("2025-11-23T17:00:00Z", "meta", "day")),
    # a sitemap's day alone, the page showing no date
    ("", "2025-11-24", "", ("2025-11-23T17:00:00Z", "hint", "day")),
    # a day shown on the page with no time
    ("", None, "Senin (24/11/2025)", ("2025-11-23T17:00:00Z", "text", "day")),
])
def test_a_date_without_a_time_is_recorded_as_a_day(head, hint, shown, expected):
    page = article_page(head=head).replace(SHOWN, shown)
    result = extract_page(page, hints={"published": hint})
    assert (result.published, result.published_source, result.published_precision) == expected


def test_the_day_in_the_address_is_a_day_and_no_date_has_no_precision():
    undated = article_page().replace(SHOWN, "")
    from_url = extract_page(undated, url="https://warta.example/2025/11/24/kemenham-kunjungi-lapas")
    assert (from_url.published, from_url.published_source, from_url.published_precision) == (
        "2025-11-23T17:00:00Z", "url", "day")
    assert extract_page(undated, url="https://warta.example/berita/kemenham").published_precision is None
