"""The headline: the page's title metadata, unless that is the site's own title."""

from __future__ import annotations

import pytest
from extraction_pages import TITLE, article_page

from pipelines.extraction.extract import extract_page

OG_TITLE = f'<meta property="og:title" content="{TITLE}">'


@pytest.mark.parametrize("site_title", ["Warta Contoh - Berita Terkini Hari Ini", "Warta Contoh",
                                        "WARTA CONTOH | Portal Berita Jawa Barat"])
def test_a_site_wide_og_title_gives_way_to_the_pages_headline(site_title):
    page = article_page().replace(OG_TITLE, f'<meta property="og:title" content="{site_title}">')
    result = extract_page(page)
    assert result.title == TITLE and result.site_name == "Warta Contoh"
    # with a <title> as site-wide as the og:title, the <h1> is the headline
    page = page.replace(f"<title>{TITLE} - Warta Contoh</title>", f"<title>{site_title}</title>")
    assert extract_page(page).title == TITLE


def test_a_blog_named_in_the_heading_of_every_post_is_no_headline():
    logo = '<h1 class="title"><a href="https://wartacontoh.blogspot.com/">Warta Contoh</a></h1>'
    page = (article_page(before_body=logo).replace(OG_TITLE, "")
            .replace('<meta property="og:site_name" content="Warta Contoh">', "")
            .replace(f"<title>{TITLE} - Warta Contoh</title>", f"<title>Warta Contoh: {TITLE}</title>")
            .replace(f'<h1 class="detail-title">{TITLE}</h1>', f'<h3 class="post-title">{TITLE}</h3>'))
    assert extract_page(page).title == TITLE


def test_a_headline_naming_the_outlet_is_the_headline():
    logo = '<div class="logo"><a href="/">Warta Contoh</a></div>'
    news = "Warta Contoh Raih Penghargaan Dewan Pers untuk Liputan HAM"
    page = article_page(title=news, before_body=logo)
    assert extract_page(page).title == news
