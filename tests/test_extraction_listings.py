"""Listing pages (tag, section, author, search and archive pages) told from articles by their
structure, whatever they declare; articles with teasers of other articles beside them kept."""

from __future__ import annotations

import json
import re
from html import escape

import pytest
from extraction_pages import PARAGRAPHS, TITLE, article_page, kept_paragraphs

from pipelines.extraction.extract import extract_page

SITE = "https://warta.example"
STORIES = (
    ("Kementerian HAM pulangkan 87 pekerja migran dari Kamboja",
     ("Kementerian Hak Asasi Manusia memfasilitasi pemulangan puluhan pekerja migran yang "
      "menjadi korban penipuan daring di Phnom Penh pekan ini.")),
    ("Menteri HAM tinjau lapas di Nusakambangan",
     ("Menteri HAM Natalius Pigai meninjau kondisi warga binaan di lembaga pemasyarakatan "
      "Nusakambangan dan menerima keluhan soal air bersih.")),
    ("Kantor wilayah Kemenham terima aduan penggusuran",
     ("Kantor wilayah Kementerian HAM menerima puluhan aduan warga yang rumahnya digusur "
      "untuk proyek jalan tol di pinggiran kota.")),
    ("Wamenham Mugiyanto bertemu pimpinan gereja di Wamena",
     ("Wakil Menteri HAM Mugiyanto mendengar keluhan pengungsi dari Kabupaten Nduga yang "
      "masih tinggal di rumah kerabat dan honai darurat.")),
    ("Kemenham dan KP2MI teken nota kesepahaman pekerja migran",
     ("Dua kementerian sepakat berbagi data perekrut ilegal dan mempercepat penanganan aduan "
      "pekerja migran yang dilanggar haknya di luar negeri.")),
    ("Kementerian HAM susun pedoman konflik agraria",
     ("Pedoman penanganan konflik agraria berbasis HAM ditargetkan rampung awal tahun depan "
      "setelah konsultasi publik dengan masyarakat sipil.")),
)


def teaser(n: int, item: str = "div", cls: str = "list-item", *, summary: bool = True,
           heading: str = "h2") -> str:
    """A teaser of story ``n``: a picture, its linked headline, its date and its summary."""
    headline, text = STORIES[n % len(STORIES)]
    path = f"/nasional/read/2025/11/{20 - n}/{51230 + n}/berita-{n}"
    return (f'<{item} class="{cls}"><a href="{path}"><img src="/foto/{n}.jpg" alt=""></a>'
            f'<{heading}><a href="{path}">{escape(headline)}</a></{heading}>'
            f'<span class="date">{20 - n} November 2025</span>'
            + (f'<p class="summary">{escape(text)}</p>' if summary else "") + f"</{item}>")


def page(body: str, title: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
            f"<title>{escape(title)} - Warta Contoh</title>{head}</head><body>"
            f'<header><nav><a href="/">Beranda</a> <a href="/nasional">Nasional</a></nav></header>'
            f"<main>{body}</main><footer><p>Copyright 2025 Warta Contoh</p></footer></body></html>")


def ld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


PAGER = '<div class="pagination"><a href="?page=2">2</a> <a href="?page=2">Berikutnya</a></div>'
LISTINGS = {
    "tag page declaring nothing": page(
        '<h1>Berita Kementerian HAM Terbaru</h1><div class="tag-desc"><p>Kementerian Hak Asasi '
        "Manusia dibentuk pada Oktober 2024 dan dipimpin Menteri HAM Natalius Pigai. Berikut "
        'kumpulan berita terbaru seputar kementerian itu.</p></div><div class="list">'
        + "".join(teaser(n) for n in range(6)) + "</div>" + PAGER, "Berita Kementerian HAM"),
    "tag page declaring an article": page(
        '<h1>Natalius Pigai</h1><div class="list">' + "".join(teaser(n) for n in range(3))
        + "</div>", "Natalius Pigai", '<meta property="og:type" content="article">'),
    "section page with a WebPage and a list": page(
        '<h1>Nasional</h1><ul class="news-list">'
        + "".join(teaser(n, "li", "news-item", heading="h3") for n in range(6)) + "</ul>" + PAGER,
        "Nasional", ld({"@type": "WebPage", "name": "Nasional"})),
    "author page": page(
        '<h1>Siti Rahmawati</h1><p class="bio">Siti Rahmawati menulis tentang pekerja migran, '
        'perdagangan orang dan diplomasi untuk desk nasional.</p><div class="list">'
        + "".join(teaser(n) for n in range(4)) + "</div>", "Siti Rahmawati",
        ld({"@type": "Person", "name": "Siti Rahmawati"})),
    "search page highlighting the words sought": page(
        '<h1>Hasil pencarian untuk: "kementerian ham"</h1><div class="results">'
        + re.sub(r"(HAM|Kemenham|\w+(?=\.</p>))", r"<b>\1</b>",
                 "".join(teaser(n, cls="result") for n in range(5))) + "</div>",
        'Hasil pencarian "kementerian ham"', '<meta name="robots" content="noindex,follow">'),
    "WordPress category archive": page(
        '<h1 class="page-title">Kategori: Hukum</h1>'
        + "".join(teaser(n, "article", "post type-post") for n in range(5))
        + '<nav class="navigation pagination"><a class="next" href="/category/hukum/page/2/">'
          "Berikutnya</a></nav>", "Hukum Arsip", '<meta property="og:type" content="website">'),
}


@pytest.mark.parametrize("shape", LISTINGS)
def test_a_listing_of_other_articles_gives_no_article(shape):
    result = extract_page(LISTINGS[shape], f"{SITE}/tag/kementerian-ham")
    assert result.text == ""
    assert "a listing of other pages" in result.note
    assert "teasers of other pages hold" in result.note


def related(count: int, *, summary: bool = True) -> str:
    """A box of teasers of other articles, as an article's page shows below its body."""
    return ('<div class="related"><h3>Berita Terkait</h3>'
            + "".join(teaser(n, cls="related-item", heading="h4", summary=summary)
                      for n in range(count)) + "</div>")


BRIEF = (("Menteri HAM Natalius Pigai menerima perwakilan keluarga korban penggusuran di kantor "
          "Kementerian HAM, Jakarta, Senin. Ia berjanji meminta penjelasan pemerintah daerah "
          "dalam sepekan dan mengirim tim pemantau ke lokasi penggusuran pekan depan. Menurut "
          "para perwakilan, lebih dari dua ratus keluarga kehilangan rumah tanpa ganti rugi."),)
LIVE = tuple(f"Pukul {9 + n}.00 WIB: {PARAGRAPHS[n % len(PARAGRAPHS)]}" for n in range(4))
ARTICLES = {
    "big related box": (article_page(after_body=related(8)), PARAGRAPHS),
    "related box inside the body": (article_page(related(6)), PARAGRAPHS),
    "read-also list between paragraphs": (article_page(
        "<ul>" + "".join(f'<li><a href="/nasional/read/{n}/berita-{n}">{escape(h)}</a></li>'
                         for n, (h, _) in enumerate(STORIES)) + "</ul>"), PARAGRAPHS),
    "short news with a related box": (article_page(paragraphs=BRIEF, after_body=related(6)), BRIEF),
    "live report whose entries link their stories": (article_page(*(
        f'<p>Selengkapnya: <a href="/nasional/read/{n}/berita-{n}">{escape(STORIES[n][0])}</a></p>'
        for n in range(4)), paragraphs=LIVE, dateline=""), LIVE),
    "listicle with linked subheads": (article_page(*(
        f'<h2><a href="/nasional/read/{n}/berita-{n}">{n + 1}. {escape(STORIES[n][0])}</a></h2>'
        for n in range(4)), dateline=""), PARAGRAPHS),
    "paragraphs linking terms to their tag pages": (article_page(dateline="").replace(
        "Kementerian HAM", '<a href="/tag/kementerian-ham">Kementerian Hak Asasi Manusia</a>'),
        tuple(p.replace("Kementerian HAM", "Kementerian Hak Asasi Manusia") for p in PARAGRAPHS)),
    "photo story with captions and other galleries": (article_page(
        *(f'<figure><img src="/foto/{n}.jpg"><figcaption>{escape(p)}</figcaption></figure>'
          for n, p in enumerate(PARAGRAPHS)), paragraphs=("",) * 4, dateline="",
        after_body=related(6, summary=False).replace("Berita Terkait", "Galeri Lainnya")),
        PARAGRAPHS),
}


@pytest.mark.parametrize("shape", ARTICLES)
def test_an_article_with_teasers_of_others_beside_it_keeps_its_text(shape):
    html, paragraphs = ARTICLES[shape]
    result = extract_page(html, f"{SITE}/nasional/read/2025/11/24/51299/menteri-ham")
    assert kept_paragraphs(result.text, paragraphs) == len(paragraphs), result.note
    assert "listing" not in (result.note or "")


def test_an_article_declaring_itself_a_collection_keeps_its_text_and_says_so():
    html = article_page(head=ld({"@type": "CollectionPage", "name": TITLE}), after_body=related(3))
    result = extract_page(html, f"{SITE}/nasional/read/2025/11/24/51299/menteri-ham")
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)
    assert "declares itself a CollectionPage but reads as one article" in result.note


def test_a_page_declaring_itself_a_collection_with_a_short_text_and_teasers_is_a_listing():
    html = page('<h1>Pekerja Migran</h1><p class="desc">Kumpulan berita tentang pekerja migran '
                "Indonesia, perlindungan hak mereka dan penanganan perdagangan orang.</p>"
                '<div class="list">' + "".join(teaser(n, summary=False) for n in range(6))
                + "</div>", "Pekerja Migran", ld({"@type": "CollectionPage"}))
    result = extract_page(html, f"{SITE}/tag/pekerja-migran")
    assert result.text == ""
    assert "declares itself a CollectionPage" in result.note
