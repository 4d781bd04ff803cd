"""A page that shows a teaser of its article and carries the whole of it in its data."""

from __future__ import annotations

import json
from html import escape

import pytest
from extraction_pages import PARAGRAPHS, TITLE, article_page, kept_paragraphs

from pipelines.extraction.extract import extract_page

READ_MORE = '<button class="read-more">Baca Selengkapnya</button>'
OTHER_ARTICLE = tuple(
    f"Paragraf {n} berita lain tentang banjir rob yang merendam permukiman pesisir Semarang "
    "sejak Minggu malam, sehingga ratusan warga mengungsi ke balai desa dan masjid terdekat."
    for n in range(1, 7)
)


def _json_ld(body: str, headline: str = TITLE) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
            "articleBody": body}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _state(*bodies: tuple[str, ...]) -> str:
    """A Next.js-style state script holding the HTML of each article in ``bodies``."""
    items = [{"content": "".join(f"<p>{escape(p)}</p>" for p in body)} for body in bodies]
    data = {"props": {"pageProps": {"article": items[0], "related": items[1:]}}}
    return f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'


def test_a_teaser_page_gives_the_article_its_state_script_holds():
    page = article_page(READ_MORE, paragraphs=PARAGRAPHS[:1], dateline="",
                        after_body=_state(PARAGRAPHS))
    result = extract_page(page)
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)
    assert "Baca Selengkapnya" not in result.text
    assert "__NEXT_DATA__" in result.note
    assert f"shows {len(PARAGRAPHS[0].split())} words" in result.note


def test_a_declared_article_body_is_cleaned_like_the_page():
    body = "\n\n".join([PARAGRAPHS[0], "Baca juga: Pigai Kunjungi Lapas di Batam",
                        *PARAGRAPHS[1:]])
    page = article_page(READ_MORE, paragraphs=PARAGRAPHS[:1], dateline="", head=_json_ld(body))
    result = extract_page(page)
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)
    assert "Baca juga" not in result.text
    assert "JSON-LD articleBody" in result.note


def test_a_page_showing_its_whole_article_keeps_its_own_text():
    page = article_page(head=_json_ld("\n".join(PARAGRAPHS)), after_body=_state(PARAGRAPHS))
    result = extract_page(page)
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)
    assert result.note is None


def test_a_longer_article_in_the_data_that_the_teaser_is_not_part_of_is_left():
    page = article_page(READ_MORE, paragraphs=PARAGRAPHS[:2], dateline="",
                        after_body=_state(PARAGRAPHS[:2], OTHER_ARTICLE))
    result = extract_page(page)
    assert kept_paragraphs(result.text) == 2
    assert "banjir" not in result.text and result.note is None


@pytest.mark.parametrize(("headline", "taken"), [(TITLE, True), ("Banjir Rob di Semarang", False)])
def test_with_nothing_shown_only_the_declared_body_of_the_pages_own_headline_is_taken(
        headline, taken):
    page = article_page(paragraphs=(), head=_json_ld("\n".join(PARAGRAPHS), headline))
    result = extract_page(page)
    assert (kept_paragraphs(result.text) == len(PARAGRAPHS)) is taken
    assert ("JSON-LD articleBody" in result.note) is taken


def test_broken_data_scripts_leave_the_pages_text():
    broken = ('<script type="application/ld+json">{"articleBody": "tak </script>'
              '<script id="__NEXT_DATA__" type="application/json">{"props": [</script>')
    page = article_page(READ_MORE, paragraphs=PARAGRAPHS[:2], dateline="", after_body=broken)
    result = extract_page(page)
    assert kept_paragraphs(result.text) == 2 and not result.failed


@pytest.mark.parametrize("declared", [
    {"isAccessibleForFree": False},
    {"isAccessibleForFree": "False", "hasPart": {"@type": "WebPageElement",
                                                 "isAccessibleForFree": "False",
                                                 "cssSelector": ".paywall"}},
    {"hasPart": [{"@type": "WebPageElement", "isAccessibleForFree": False}]},
])
def test_an_article_declared_not_free_to_read_is_kept_with_a_note_that_it_may_be_a_teaser(
        declared):
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
            **declared}
    page = article_page(paragraphs=PARAGRAPHS[:2],
                        head=f'<script type="application/ld+json">{json.dumps(data)}</script>')
    result = extract_page(page)
    assert kept_paragraphs(result.text) == 2
    assert "not free to read" in result.note


def test_an_article_declared_free_to_read_has_no_paywall_note():
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
            "isAccessibleForFree": True}
    page = article_page(head=f'<script type="application/ld+json">{json.dumps(data)}</script>')
    assert "not free to read" not in (extract_page(page).note or "")
