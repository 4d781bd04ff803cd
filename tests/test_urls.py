"""Canonical URLs: every variant of an article URL maps to one string."""

import pytest

from crawler.configured import SourceMap
from crawler.urls import (
    HostMap,
    canonical_url,
    pick_canonical,
    print_rendering,
    same_site,
    slash_twin,
    unwrap,
    with_query,
)
from warta.config import Source

HOSTS = HostMap([("m.contoh.id", "www.contoh.id"), ("amp.contoh.id", "www.contoh.id")])
CANONICAL = "https://www.contoh.id/berita/2025/11/17/pigai-kunjungi-lapas"


@pytest.mark.parametrize(
    "variant",
    [
        CANONICAL,
        CANONICAL + "?utm_source=twitter&utm_medium=social&utm_campaign=x",
        CANONICAL + "?fbclid=IwAR0abc&gclid=xyz#komentar",
        CANONICAL + "?tag_from=wp_hl_judul_4",  # an index page's link to its 4th headline
        CANONICAL + "?page=2",
        CANONICAL + "?page=all",
        CANONICAL + "?single=1",
        "https://m.contoh.id/berita/2025/11/17/pigai-kunjungi-lapas",
        "https://amp.contoh.id/berita/2025/11/17/pigai-kunjungi-lapas?amp=1",
        "https://www.contoh.id/amp/berita/2025/11/17/pigai-kunjungi-lapas",
        "https://www.contoh.id/berita/2025/11/17/pigai-kunjungi-lapas/amp",
        "HTTPS://WWW.Contoh.ID:443/berita/2025/11/17/pigai-kunjungi-lapas",
    ],
)
def test_variants_map_to_one_url(variant):
    assert canonical_url(variant, HOSTS) == CANONICAL


def test_meaningful_query_is_kept_and_sorted():
    assert (
        canonical_url("http://a.id/read?id=12&cat=3&utm_source=x") == "http://a.id/read?cat=3&id=12"
    )


def test_a_parameter_named_like_a_page_selector_that_names_a_section_is_kept():
    # an old script's address: "page" picks the script's view, "id" the article
    assert (canonical_url("http://a.id/index.php?page=berita&id=101")
            == "http://a.id/index.php?id=101&page=berita")
    assert canonical_url("http://a.id/index.php?mode=baca&id=7") == "http://a.id/index.php?id=7&mode=baca"
    assert canonical_url("http://a.id/index.php?page=berita&id=7&showpage=2") == (
        "http://a.id/index.php?id=7&page=berita")


def test_index_urls_keep_their_pagination():
    assert (
        canonical_url("http://a.id/indeks?page=2&utm_source=x", article=False)
        == "http://a.id/indeks?page=2"
    )


def test_declared_canonical_wins_on_the_same_site_only():
    requested = "https://m.contoh.id/berita/1/x?utm_source=a"
    assert pick_canonical(requested, "https://www.contoh.id/berita/1/judul", HOSTS) == (
        "https://www.contoh.id/berita/1/judul"
    )
    assert (
        pick_canonical(requested, "/berita/1/judul", HOSTS)
        == "https://www.contoh.id/berita/1/judul"
    )
    # another site, the front page, or nothing: keep the requested URL's canonical form
    for declared in (
        "https://lain.id/berita/1/x",
        "https://www.contoh.id/",
        None,
        "javascript:void(0)",
    ):
        assert pick_canonical(requested, declared, HOSTS) == "https://www.contoh.id/berita/1/x"


def test_a_declared_canonical_above_the_article_is_not_its_url():
    # a template declaring its section (or the bare script) for every article
    requested = "https://www.contoh.id/nasional/2025/11/21/judul-berita"
    for declared in ("/nasional/", "https://www.contoh.id/nasional", "/nasional/2025",
                     "/index.php", "/nasional/index.html"):
        assert pick_canonical(requested, declared, HOSTS) == requested
    assert pick_canonical("http://a.id/baca.php?id=7", "/baca.php") == "http://a.id/baca.php?id=7"
    # below, beside, or the same page: still the article's URL
    for declared in ("/nasional/2025/11/21/judul-berita/", "/nasional/2025/11/21/judul-lain",
                     "/nasional-2025/judul-berita"):
        assert pick_canonical(requested, declared, HOSTS) == "https://www.contoh.id" + declared
    assert pick_canonical("http://a.id/baca.php?id=7&page=2", "http://a.id/baca.php?id=7") == (
        "http://a.id/baca.php?id=7")
    assert pick_canonical("http://a.id/x/index.php?id=7", "/x/index.php?id=7") == (
        "http://a.id/x/index.php?id=7")
    assert pick_canonical("http://a.id/x/index.php?id=7", "/x/index.php") == (
        "http://a.id/x/index.php?id=7")


def test_with_query():
    assert with_query("http://a.id/x", "page=all") == "http://a.id/x?page=all"
    assert with_query("http://a.id/x?id=1", "single=1") == "http://a.id/x?id=1&single=1"


ARTICLE = "https://www.kompas.com/nasional/read/2025/11/20/1/menham-pigai"


@pytest.mark.parametrize("link", [
    ("http://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&url=https%3a%2f%2fwww.kompas.com"
     "%2fnasional%2fread%2f2025%2f11%2f20%2f1%2fmenham-pigai&c=1&mkt=id-id"),
    "https://www.google.com/url?rct=j&sa=t&url=" + ARTICLE.replace(":", "%3A").replace("/", "%2F"),
    "https://l.facebook.com/l.php?u=" + ARTICLE.replace(":", "%3A").replace("/", "%2F") + "&h=AT0",
    "https://t.example/r?to=" + "https://l.facebook.com/l.php?u=" + ARTICLE.replace(":", "%3A")
    .replace("/", "%2F").replace("%", "%25"),
])
def test_click_through_links_are_read_through_to_the_article(link):
    assert unwrap(link) == ARTICLE


@pytest.mark.parametrize("url", [
    ARTICLE,
    "https://cari.example/search?q=kementerian+ham",  # a query, not a link
    "https://www.kompas.com/tag?url=https%3A%2F%2Fwww.kompas.com%2Fberita",  # the same site
    "https://news.google.com/rss/articles/CBMiQ2FydGlr?oc=5",
])
def test_other_links_are_left_as_they_are(url):
    assert unwrap(url) == url


def test_a_click_through_link_to_no_url_is_left_as_it_is():
    link = "https://cari.example/klik?url=http%3A%2F%2F%5B%3A%3A1%2Frusak"  # "http://[::1/rusak"
    assert unwrap(link) == link


@pytest.mark.parametrize(("a", "b", "same"), [
    ("https://news.kompas.com/read/1", "https://www.kompas.com/read/1", True),
    ("https://www.antaranews.com/berita/1", "https://consent.google.co.id/ml?continue=x", False),
    ("https://nasional.tempo.co/read/1", "https://tempo.co/read/1", True),
    ("https://a.go.id/x", "https://b.go.id/x", False),  # two registrants under go.id
    ("http://127.0.0.5:8000/a", "http://127.0.0.5:8000/b", True),
    ("http://127.0.0.5:8000/a", "http://127.0.0.6:8000/a", False),
])
def test_same_site_compares_registered_domains(a, b, same):
    assert same_site(a, b) is same


@pytest.mark.parametrize(("url", "twin"), [
    ("https://a.id/v/cerita-1", "https://a.id/v/cerita-1/"),
    ("https://a.id/v/cerita-1/", "https://a.id/v/cerita-1"),
    ("https://a.id/", "https://a.id/"),
    ("https://a.id/read?id=1", "https://a.id/read?id=1"),
])
def test_slash_twin(url, twin):
    assert slash_twin(url) == twin


def test_sources_sharing_a_host_keep_the_articles_their_own_listings_found():
    sources = SourceMap([Source("situs", feeds=["http://127.0.0.5:8765/rss.xml"]),
                         Source("lambat", sitemaps=["http://127.0.0.5:8765/lambat.xml"]),
                         Source("lain", feeds=["https://lain.example/rss"])])
    article = "http://127.0.0.5:8765/berita/1.html"
    assert sources.source_for(article, "?", found_by="lambat") == "lambat"
    assert sources.source_for(article, "?", found_by="situs") == "situs"
    assert sources.source_for(article, "?", found_by="lain") == "situs"  # the host's first source
    assert sources.source_for("https://baru.example/1", "?", found_by="lain") == "?"


@pytest.mark.parametrize(("url", "printed"), [
    ("https://www.contoh.id/print/512301", True),
    ("https://www.contoh.id/berita/512301/judul/cetak", True),
    ("https://www.contoh.id/cetak/512301.html", True),
    ("https://www.contoh.id/berita/512301?print=1", True),
    ("https://www.contoh.id/index.php?id=512301&view=print", True),
    ("https://www.contoh.id/berita/512301/percetakan-uang-palsu-digerebek", False),
    ("https://www.contoh.id/berita/512301/print-media-bertahan", False),
    (CANONICAL, False),
])
def test_a_print_rendering_is_asked_for_by_a_segment_or_a_query(url, printed):
    assert print_rendering(url) is printed
