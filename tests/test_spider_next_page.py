"""The next page of a multi-page article: which pages are parsed for it, and which link is it."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from crawler.paging import may_link_next, next_article_page, next_listing_page

FILLER = "<p>Menteri HAM meninjau lapas.</p><script>var next = 1; el.nextSibling;</script>" * 500


@pytest.mark.parametrize("link", [
    '<link rel="next" href="?page=2">',
    "<a class='pg' rel='next' href='?page=2'>2</a>",
    '<link REL="next" href="?page=2">',
    '<link Rel = next href="?page=2">',
])
def test_a_page_linking_its_next_page_is_parsed(link):
    assert may_link_next(FILLER + link + FILLER)


@pytest.mark.parametrize("page", [FILLER, FILLER + '<link rel="prev" href="?page=1">',
                                  FILLER + '<a rel="nextjs-docs" href="/">x</a>'])
def test_a_page_without_one_is_not(page):
    assert not may_link_next(page)


ARTICLE = "https://solo.contoh.id/2025/11/20/menteri-ham-tinjau-lapas"


def page_at(url, body):
    return HtmlResponse(url, body=f"<html><body>{FILLER}{body}</body></html>".encode(),
                        encoding="utf-8")


@pytest.mark.parametrize("pager", [
    f'<a href="{ARTICLE}?page=2">Halaman selanjutnya <i class="fa fa-arrow-right"></i></a>',
    (f'<div class="paging"><a href="{ARTICLE}">1</a><a href="{ARTICLE}?page=2">2</a>'
     f'<a href="{ARTICLE}?page=all">Tampilkan Semua</a></div>'),
    '<a class="next" href="?page=2">Berikutnya &raquo;</a>',
    '<a href="?page=1">Halaman 1</a> <a href="?page=2">Halaman 2</a>',
    f'<a href="{ARTICLE}?utm_source=x&amp;page=2"><span>Next</span> page</a>',
])
def test_a_pager_without_rel_next_leads_to_the_next_page(pager):
    following = next_article_page(page_at(ARTICLE, pager), ARTICLE, 1)
    assert following is not None and following.startswith(ARTICLE) and "page=2" in following
    assert next_article_page(page_at(ARTICLE, pager), ARTICLE, 1, pager=False) is None


def test_the_last_page_and_links_to_other_articles_lead_nowhere():
    numbers = (f'<a href="{ARTICLE}">1</a><a href="{ARTICLE}?page=2">2</a>'
               f'<a href="{ARTICLE}?page=all">Tampilkan Semua</a>')
    assert next_article_page(page_at(ARTICLE + "?page=2", numbers), ARTICLE, 2) is None
    other = "https://solo.contoh.id/2025/11/20/berita-lain"
    elsewhere = (f'<a href="{other}?page=2">Berita selanjutnya</a>'
                 f'<a href="{ARTICLE}?page=2">Bagikan</a><link rel="next" href="{other}">')
    assert next_article_page(page_at(ARTICLE, elsewhere), ARTICLE, 1) is None
    assert next_article_page(page_at(ARTICLE, "<p>Langkah selanjutnya dibahas.</p>"),
                             ARTICLE, 1) is None
    itself = f'<a href="{ARTICLE}?page=2#komentar">Next</a><a href="#komentar">Berikutnya</a>'
    assert next_article_page(page_at(ARTICLE + "?page=2", itself), ARTICLE, 2) is None


def test_rel_next_to_the_same_article_is_followed():
    page = page_at(ARTICLE, f'<link rel="next" href="{ARTICLE}?page=3">'
                            f'<a href="{ARTICLE}?page=2">2</a>')
    assert next_article_page(page, ARTICLE, 2) == f"{ARTICLE}?page=3"


@pytest.mark.parametrize("pager", [
    f'<a href="{ARTICLE}/2/">Halaman berikutnya</a>',
    f'<div class="page-links">Halaman: <span>1</span> <a href="{ARTICLE}/2">2</a></div>',
    '<link rel="next" href="/2025/11/20/menteri-ham-tinjau-lapas/2/">',
])
def test_a_page_numbered_as_a_path_segment_is_the_next_page(pager):
    following = next_article_page(page_at(ARTICLE + "/", pager), ARTICLE + "/", 1)
    assert following is not None and following.rstrip("/") == f"{ARTICLE}/2"


def test_numbered_paths_of_other_articles_or_pages_lead_nowhere():
    others = (f'<a href="{ARTICLE}/3/">3</a>'  # not the page after the first
              '<a href="https://solo.contoh.id/2025/11/20/berita-lain/2/">Next</a>'
              f'<a href="{ARTICLE}-2/">Berikutnya</a><a href="{ARTICLE}/2/">Bagikan</a>')
    assert next_article_page(page_at(ARTICLE, others), ARTICLE, 1) is None
    last = f'<a href="{ARTICLE}/">1</a><a href="{ARTICLE}/2/">2</a>'
    assert next_article_page(page_at(ARTICLE + "/2/", last), ARTICLE, 2) is None


SECTION = "https://contoh.id/kanal/nasional/"


@pytest.mark.parametrize(("pager", "following"), [
    ('<link rel="next" href="/kanal/nasional/?p=2">', SECTION + "?p=2"),
    ('<a class="next page-numbers" href="/kanal/nasional/page/2/">Berikutnya »</a>',
     SECTION + "page/2/"),
    ('<a href="/kanal/nasional/page/2/"><span>Next</span></a>', SECTION + "page/2/"),
    (('<a href="https://lain.id/page/2/">Berikutnya</a><a href="#atas">›</a>'
      '<a href="/berita/1">Menteri HAM tinjau lapas</a>'), None),
])
def test_an_index_page_leads_to_its_next_page_on_the_same_site(pager, following):
    assert next_listing_page(page_at(SECTION, pager)) == following


INDEX = "https://contoh.id/indeks"


@pytest.mark.parametrize(("here", "page", "pager", "following"), [
    (INDEX, 1, '<a href="?page=1">1</a><a href="?page=2">2</a><a href="?page=3">3</a>',
     INDEX + "?page=2"),
    (INDEX + "?page=2", 2, '<a href="?page=1">1</a><a href="?page=2">2</a><a href="?page=3">3</a>',
     INDEX + "?page=3"),
    (INDEX, 1, '<a href="/indeks/2">2</a>', INDEX + "/2"),
    (INDEX + "/2", 2, '<a href="/indeks">1</a><a href="/indeks/3">3</a>', INDEX + "/3"),
    (INDEX, 1, '<a class="btn-loadmore" href="?offset=20">Muat Lebih Banyak</a>',
     INDEX + "?offset=20"),
    # a number that is no page of this listing: a comment count, a day, another section
    (INDEX, 1, ('<a href="/berita/7#komentar">2</a><a href="/indeks?date=2025-11-02">2</a>'
                '<a href="/kanal/olahraga/2">2</a><a href="/kanal/olahraga">Lihat lainnya</a>'), None),
    (INDEX, 1, '<a href="/indeks?tgl=2&bln=12&thn=2025">2</a>', None),  # a calendar's day
    (INDEX, 1, '<a href="/indeks?sort=populer">Muat lebih banyak</a>', None),  # another order
    ("https://contoh.id/kanal/7", 1, '<a href="/kanal/2">2</a>', None),  # another section
    ("https://contoh.id/arsip/2024", 1, '<a href="/arsip/2">2</a>', None),  # another year
])
def test_a_pager_of_numbers_or_a_load_more_link_leads_to_the_next_index_page(here, page, pager,
                                                                             following):
    assert next_listing_page(page_at(here, pager), page) == following
