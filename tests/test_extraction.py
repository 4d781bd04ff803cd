"""The clean-text stage on small pages: every kind of in-body boilerplate in its
case and spacing variants, datelines kept, content that merely looks like
boilerplate kept, and bad input explained rather than raised."""

from __future__ import annotations

import json
from html import escape

import pytest
import trafilatura
from extraction_pages import PARAGRAPHS, TITLE, article_page, kept_paragraphs
from trafilatura.utils import load_html

from pipelines.extraction.extract import extract_page
from pipelines.extraction.pagedata import declared_listing
from pipelines.extraction.titles import clean_title

NBSP = "\u00a0"

# (id, markup inserted between paragraphs, text that must be gone, rules that may remove it)
BOILERPLATE = [
    ("read-also strong link", '<p><strong>Baca juga: <a href="/x">Kemenham buka posko pengaduan</a></strong></p>',
     "posko pengaduan", {"read-also"}),
    ("read-also upper nbsp", f'<p>BACA{NBSP}JUGA{NBSP}: <a href="/x">Posko pengaduan dibuka</a></p>',
     "Posko pengaduan", {"read-also"}),
    ("read-also bold label outside", f'<p><b>Baca{NBSP}Juga</b>: <a href="/x">Posko dibuka</a></p>',
     "Posko dibuka", {"read-also"}),
    ("read-also kompas inner link",
     '<p><strong>Baca juga: </strong><a class="inner-link-baca-juga" href="/x">Pigai ke Jenewa</a></p>',
     "Pigai ke Jenewa", {"read-also"}),
    ("read-also detik table",
     ('<table class="linksisip"><tr><td><div class="lihatjg"><strong>Baca juga</strong>: '
     '<a href="/x">Wamenham temui korban TPPO</a></div></td></tr></table>'),
     "temui korban TPPO", {"read-also"}),
    ("read-also plain text", "<p>Lihat juga:  Kunjungan kerja ke Papua</p>", "Kunjungan kerja ke Papua", {"read-also"}),
    ("simak juga div", f'<div>Simak Juga:{NBSP}<a href="/v">Video pemulangan WNI</a></div>',
     "Video pemulangan", {"read-also"}),
    ("artikel terkait", '<p>Artikel Terkait: <a href="/t">Satu Data HAM diluncurkan</a></p>',
     "Satu Data HAM diluncurkan", {"read-also"}),
    ("berita terkait inline", '<p>Berita terkait :<br><a href="/t">Desa Sadar HAM bertambah</a></p>',
     "Desa Sadar HAM bertambah", {"read-also", "trailing-list"}),
    ("teaser selanjutnya", '<p>Selanjutnya: <a href="/n">Kanwil Kemenham Bali gelar sosialisasi</a></p>',
     "gelar sosialisasi", {"teaser"}),
    ("teaser menarik dibaca", '<p><em>Menarik Dibaca:</em> <a href="/n">Lima fakta sidang</a></p>',
     "Lima fakta sidang", {"teaser"}),
    ("teaser pilihan editor", "<p>PILIHAN EDITOR: Harga emas turun lagi</p>", "Harga emas turun", {"teaser"}),
    ("promo whatsapp",
     ("<p><i>Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran "
     'andalanmu akses berita Warta WhatsApp Channel : <a href="https://wa.me/c">https://wa.me/c</a>. '
     "Pastikan kamu sudah install aplikasi WhatsApp ya.</i></p>"),
     "breaking news", {"channel-promo"}),
    ("promo google news", '<div class="ext">Cek Berita dan Artikel yang lain di <a href="/g">Google News</a></div>',
     "Artikel yang lain", {"channel-promo"}),
    ("promo ikuti nbsp", f"<p>Ikuti{NBSP}berita terkini dari Warta di Google{NBSP}News, klik di sini.</p>",
     "berita terkini dari Warta", {"channel-promo"}),
    ("promo telegram", ("<p>Dapatkan update berita pilihan dan breaking news setiap hari. "
     "Mari bergabung di Grup Telegram Warta Update.</p>"), "Grup Telegram", {"channel-promo"}),
    ("promo wa channel", ("<p>Dapatkan informasi terbaru setiap hari dengan bergabung di saluran WA "
     "Warta.com. Klik tautan ini untuk bergabung.</p>"), "saluran WA", {"channel-promo"}),
    ("read next", '<p><strong>Baca Selanjutnya:</strong> <a href="/n">Pigai kawal pemulangan</a></p>',
     "Pigai kawal", {"read-also"}),
    ("more on the topic", "<p>Simak berita lainnya seputar topik artikel ini, di sini : Penipuan</p>",
     "seputar topik", {"teaser"}),
    ("blog promo", "<p>Dibawah ini Anda bisa melihat berbagai informasi menarik lainnya dari kami.</p>",
     "informasi menarik lainnya", {"blog-promo"}),
    ("blog promo kalian", ("<p>Buat kalian yang ingin mendapatkan berita terbaru dan terupdate setiap "
     "hari, ikuti terus situs ini.</p>"), "terupdate", {"blog-promo"}),
    ("share", "<p>Silakan Share</p>", "Silakan Share", {"share"}),
    ("share colon", "<div>SHARE :</div>", "SHARE", {"share"}),
    ("bagikan", "<p><strong>Bagikan :</strong></p>", "Bagikan", {"share"}),
    ("byline reporter editor", "<p>Reporter: Andi Saputra | Editor: Budi Santoso</p>", "Andi Saputra", {"byline"}),
    ("byline penulis nbsp", f"<p><strong>Penulis{NBSP}:</strong> Rina Wulandari</p>", "Rina Wulandari", {"byline"}),
    ("byline pewarta", "<p>Pewarta: Citra Dewi<br>Editor: Dedi Kurnia</p>", "Citra Dewi", {"byline"}),
    ("byline with a qualifier", ("<p>Reporter Magang: Citra Dewi</p><p>Kontributor Jayapura: Yance "
     "Wenda</p>"), "Wenda", {"byline"}),
    ("byline without colons", "<p>Penulis Citra Dewi Editor Dedi Kurnia</p>", "Citra Dewi", {"byline"}),
    ("byline oleh", "<p>Oleh Rina Wulandari</p>", "Oleh Rina", {"byline"}),
    ("gambar source list", ("<p><strong>Sumber Informasi Gambar:</strong></p><ol><li>Dokumentasi Biro Humas</li>"
     "<li>Tim Multimedia</li></ol>"), "Tim Multimedia", {"byline", "trailing-list"}),
    ("copyright", "<p>COPYRIGHT © ANTARA 2025</p>", "COPYRIGHT", {"credit"}),
    ("hak cipta", "<p>Hak cipta © 2025 Warta Nusa</p>", "Warta Nusa", {"credit"}),
    ("app promo", "<p>Download aplikasi Warta untuk berita terkini di ponselmu.</p>", "ponselmu",
     {"channel-promo"}),
    ("written by", "<p>Ditulis oleh Rina Wulandari</p>", "Rina Wulandari", {"byline"}),
    ("photo credit", "<p>Foto: Dok. Humas Kemenham</p>", "Dok. Humas", {"credit"}),
    ("caption credit", "<p>Menteri HAM berbincang dengan warga binaan (ANTARA/HO-Humas Kemenham)</p>",
     "HO-Humas", {"credit"}),
    ("headline as caption", f"<figure><figcaption>{TITLE}</figcaption></figure><p>{TITLE}</p>",
     None, {"headline"}),
    ("trailing rekomendasi", ('<h3>Rekomendasi</h3><ul><li><a href="/1">Berita satu tentang pajak</a></li>'
     '<li><a href="/2">Berita dua tentang banjir</a></li></ul>'), "pajak", {"trailing-list"}),
    ("trailing label text", "<p>Berita Lainnya</p><p>Harga cabai melonjak</p><p>Kereta cepat tambah jadwal</p>",
     "Harga cabai", {"trailing-list"}),
    ("curly apostrophe label", "<p>Editor’s picks</p><p>Harga cabai melonjak</p>", "Harga cabai",
     {"trailing-list"}),
    ("syndication note", ("<p><em>Artikel ini telah tayang di Kompas.com dengan judul \"Pigai ke Jenewa\", "
     'Klik untuk baca: <a href="/k">https://nasional.kompas.com/read/1</a>.</em></p>'), "telah tayang", {"credit"}),
    ("video teaser", "<p><strong>Simak Video Pilihan di Bawah Ini:</strong></p>", "Video Pilihan", {"teaser"}),
    ("embed marker", "<p>[Gambas:Video 20detik]</p>", "Gambas", {"teaser"}),
    ("ad text", "<div>ADVERTISEMENT</div><p>SCROLL TO CONTINUE WITH CONTENT</p>", "SCROLL", {"ad"}),
    ("ad one line", f"<p>ADVERTISEMENT{NBSP}SCROLL TO CONTINUE WITH CONTENT</p>", "ADVERTISEMENT", {"ad"}),
    ("ad shaped like a dateline", "<p>Advertisement - Scroll to continue</p>", "Scroll to", {"ad"}),
    ("ad continue below", "<p>Iklan - Lanjutkan membaca di bawah ini</p>", "Lanjutkan", {"ad"}),
    ("credit alone", "<p>TRIBUNNEWS/IRWAN RISMAWAN</p><p>(IDN Times/Aryodamar)</p>", "RISMAWAN",
     {"credit"}),
    ("AI summary note", "<p>Ringkasan berita ini dibuat oleh AI dan ditinjau redaksi.</p>", "oleh AI",
     {"credit"}),
    ("campaign note", "<p>Artikel ini merupakan bagian dari Lestari KG Media.</p>", "Lestari",
     {"credit"}),
    # English and Malay outlets
    ("also read", '<p>Also read: <a href="/x">Ministry opens complaint desk</a></p>', "complaint desk",
     {"read-also"}),
    ("related news plain", "<p>RELATED NEWS: Ministry opens complaint desk in Papua</p>", "complaint desk",
     {"read-also"}),
    ("malay baca", '<p>BACA: <a href="/x">Kerajaan bantu mangsa sindiket</a></p>', "mangsa sindiket",
     {"read-also"}),
    ("malay artikel berkaitan", "<p>Artikel Berkaitan : Kerajaan bantu mangsa sindiket penipuan</p>",
     "mangsa sindiket", {"read-also"}),
    ("newsletter sign up", ("<p>Sign up for our newsletter to get the day's top stories delivered to "
     "your inbox.</p>"), "top stories", {"channel-promo"}),
    ("malay telegram", "<p>Sertai saluran Telegram kami untuk berita terkini.</p>", "Telegram",
     {"channel-promo"}),
    ("copyright line", "<p>(c) 2025 Warta Contoh. Semua isi dilindungi.</p>", "Semua isi", {"credit"}),
    ("follow handle", "<p>Yuk, follow TikTok @wartacontoh</p>", "TikTok", {"channel-promo"}),
    ("translator", "<p>Translator: Rina Wulandari, Andi Saputra<br>Editor: Budi Santoso</p>", "Andi Saputra",
     {"byline"}),
    ("related stories list", ('<h3>Related Stories</h3><ul><li><a href="/1">Ministry opens desk</a></li>'
     '<li><a href="/2">Minister visits Papua</a></li></ul>'), "Minister visits", {"trailing-list"}),
    ("more stories text", "<p>More Stories</p><p>Minister visits Papua</p><p>Ministry opens desk in Jayapura</p>",
     "Minister visits", {"trailing-list"}),
    ("press release header", "<p>SIARAN PERS</p><p>Nomor: SP-112/HM.01/XI/2025</p>", "SP-112", {"contact"}),
    ("press contact block", ("<p>Narahubung:</p><p>Telp: (021) 5253004</p><p>Email: humas@kemenham.go.id</p>"
     "<p>Instagram: @kemenham_ri</p>"), "humas@", {"contact"}),
    ("graphic credit", "<p>Grafis: Andi Saputra | Riset: Nadia Rahma</p>", "Nadia Rahma", {"credit"}),
    ("photo button", "<p>Lihat Foto</p>", "Lihat Foto", {"credit"}),
    ("caption ending in its credit",
     "<p><em>Menteri HAM menyapa warga binaan di Lapas Cipinang. Foto: Humas Kemenham</em></p>",
     "menyapa warga", {"credit"}),
    ("copied article footer", ('<p>Baca artikel detiknews, "Pigai Tinjau Lapas" selengkapnya '
     "https://news.detik.com/berita/d-1/pigai</p>"), "selengkapnya", {"read-also"}),
    ("tweet embed", ('<blockquote class="twitter-tweet"><p lang="in">Kemenham berkoordinasi dengan '
     'KBRI. <a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; Kementerian HAM RI '
     '(@KemenHAM_RI) <a href="https://twitter.com/x/status/1">November 30, 2025</a></blockquote>'),
     "@KemenHAM_RI", {"embed"}),
    ("tiktok embed", ('<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@infopmi/video/1">'
     '<section><a href="https://www.tiktok.com/@infopmi">@infopmi</a> Tolong sebarkan '
     '<a href="/tag/pmi">#pmi</a> <a href="/music/1">♬ suara asli - Info PMI</a></section></blockquote>'),
     "suara asli", {"embed"}),
    ("ad-free pitch", "<p>Baca berita tanpa iklan. Gabung Warta+</p>", "tanpa iklan", {"channel-promo"}),
    ("app pitch", "<p>Download Apps Warta Sekarang https://apps.warta.example/</p>", "Download Apps",
     {"channel-promo"}),
    ("tags line", "<p>Tag: HAM, Natalius Pigai, Lapas Perempuan</p>", "Lapas Perempuan", {"tags"}),
    ("pager", "<p>Halaman: 1 2 3</p><p>Halaman Selanjutnya</p><p>Loading...</p>", "Selanjutnya",
     {"controls"}),
    ("audio player", "<p>Dengarkan artikel ini</p><p>Listen to this article</p>", "Dengarkan", {"controls"}),
    ("scroll prompt", "<p>Gulir ke bawah untuk melanjutkan membaca</p>", "Gulir", {"controls", "ad"}),
    ("scroll prompt of its own", "<p>Scroll untuk melanjutkan membaca</p>", "Scroll", {"ad"}),
    ("comment prompt", "<p>Kirim tanggapan Anda</p>", "tanggapan", {"controls"}),
    ("republication notice", ("<p>Dilarang mengambil dan/atau menayangkan ulang sebagian atau "
     "keseluruhan artikel ini untuk konten akun media sosial komersil tanpa seizin redaksi.</p>"),
     "menayangkan ulang", {"credit"}),
    ("live promo", "<p>Saksikan Live Warta Pagi :</p>", "Warta Pagi", {"teaser"}),
    ("video teaser link", '<p>Lihat Video: <a href="/v">Pigai tinjau lapas</a></p>', "tinjau lapas",
     {"teaser"}),
    ("partial syndication note", ("<p>Sebagian artikel ini telah tayang di Warta.com dengan judul "
     "\"Pigai ke Jenewa\".</p>"), "telah tayang", {"credit"}),
    ("AI note", "<p>Artikel ini dibuat dengan bantuan AI dan diperiksa redaksi.</p>", "bantuan AI",
     {"credit"}),
    ("crawling notice", ("<p>Dilarang keras mengambil konten, melakukan crawling atau pengindeksan otomatis "
     "untuk AI di situs web ini tanpa izin tertulis dari Kantor Berita Warta.</p>"), "crawling", {"credit"}),
    ("more news promo", "<p>Temukan berita menarik lainnya di sini.</p>", "menarik lainnya", {"blog-promo"}),
    ("opinion disclaimer", ("<p><em>Tulisan ini merupakan pandangan pribadi penulis dan tidak mencerminkan "
     "sikap redaksi Warta Contoh.</em></p>"), "pandangan pribadi", {"credit"}),
    ("column note", ("<p><em>*) Penulis adalah dosen Hukum Tata Negara Universitas Airlangga.</em></p>"
     "<p><em>**) Tulisan ini merupakan kiriman pembaca.</em></p>"), "dosen Hukum", {"credit"}),
    ("latest list", "<p>Berita Terbaru</p><p>Harga Beras Naik Lagi</p><p>Kereta Cepat Tambah Jadwal</p>",
     "Harga Beras", {"trailing-list"}),
    ("list label", "<p>Pilihan Untuk Anda</p><p>Harga Beras Naik Lagi</p>", "Harga Beras", {"trailing-list"}),
    ("report byline", "<p>Laporan: Andi Saputra</p>", "Andi Saputra", {"byline"}),
    ("hashtags", "<p>#KementerianHAM #HAMuntukSemua #KanwilHAMSulsel</p>", "#HAMuntukSemua", {"share"}),
    ("reader comments", ('<div class="tanggapan-pembaca"><h4>Tanggapan Pembaca (2)</h4><div><b>Bang Togar</b> '
     "2 hari lalu<p>Saya orang Batak, tanah adat itu sudah ada sebelum negara ada. Semoga tim kementerian "
     "benar-benar mendengar warga dan tidak hanya datang untuk berfoto lalu pulang ke Jakarta.</p></div></div>"),
     "orang Batak", {"comments"}),
    ("photo caption div", ('<div class="photo"><img src="/f.jpg" alt=""><span class="author">Twitter '
     '@Kemenham</span> Menteri HAM Natalius Pigai menyapa warga binaan di Lapas Tangerang.</div>'),
     "menyapa warga binaan", {"caption"}),
]


@pytest.mark.parametrize(("markup", "gone", "rules"), [c[1:] for c in BOILERPLATE],
                         ids=[c[0] for c in BOILERPLATE])
def test_boilerplate_is_removed_and_the_article_kept(markup, gone, rules):
    page = article_page(markup)
    result = extract_page(page, "https://warta.example/berita/1")
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)
    assert "Oleh karena itu, kementerian" in result.text  # content that opens like a byline
    if gone:
        assert gone not in result.text
    assert TITLE not in result.text
    plain = trafilatura.extract(page, favor_precision=True, include_comments=False) or ""
    if gone is None or gone in plain:  # what trafilatura alone would keep, a rule must remove
        assert rules & {r["rule"] for r in result.removed}, result.removed


def test_editor_initials_at_the_end_are_cut():
    last = PARAGRAPHS[-1]
    page = article_page(paragraphs=(*PARAGRAPHS[:-1], last + " (sfr/isn)"))
    result = extract_page(page)
    assert result.text.endswith(last)
    assert {"line": "(sfr/isn)", "rule": "editor-initials"} in result.removed
    own_line = extract_page(article_page("<p>(E-2)</p>", paragraphs=PARAGRAPHS[:1]))
    assert "(E-2)" not in own_line.text


@pytest.mark.parametrize("code", ["(mcr8/warta)", "(Warta.com/Rina Wulandari)", "(wartanusa.co.id)",
                                  "(***/Rina Wulandari)", "— Bernama", "– Borneo Post Online",
                                  "(wartanusa.id - Hukum)", "(Wartanews)", "(Sumber: Antara)"])
def test_a_desk_code_or_an_outlet_credit_at_the_end_is_cut(code):
    last = PARAGRAPHS[-1]
    result = extract_page(article_page(paragraphs=(*PARAGRAPHS[:-1], f"{last} {code}")))
    assert result.text.endswith(last)
    assert {"line": code, "rule": "editor-initials"} in result.removed


def test_a_dash_inside_the_last_sentence_is_no_credit():
    last = PARAGRAPHS[-1][:-1] + " — Kementerian HAM menyebutnya Desa Sadar HAM."
    result = extract_page(article_page(paragraphs=(*PARAGRAPHS[:-1], last)))
    assert result.text.endswith(last)


@pytest.mark.parametrize("opening", ["Foto-foto", "Sumber - sumber", "Wartawan-wartawan",
                                     "Penulis-penulis", "Editor-editor"])
def test_a_paragraph_opening_with_a_plural_of_a_labels_word_stays(opening):
    # "Foto-foto korban", a word said twice, is no label and separator as "Foto-ANTARA" is
    paragraph = f"{opening} yang beredar sejak Minggu malam diperiksa tim pemantau Kementerian HAM."
    result = extract_page(article_page(paragraphs=(*PARAGRAPHS[:2], paragraph, *PARAGRAPHS[2:])))
    assert paragraph in result.text.splitlines()
    for label in ("Foto-ANTARA/Budi", "Baca juga - Pigai tinjau lapas"):  # labels all the same
        result = extract_page(article_page(paragraphs=(*PARAGRAPHS[:2], label, *PARAGRAPHS[2:])))
        assert label not in result.text


@pytest.mark.parametrize(("signoff", "author"), [
    ("DINI TEJA", "Dini Teja"),
    ("ANTON SEPTIAN | REZA ADITYA", "Anton Septian; Reza Aditya"),
])
def test_a_closing_signoff_in_capitals_is_cut_and_names_the_author(signoff, author):
    result = extract_page(article_page(paragraphs=(*PARAGRAPHS, signoff)))
    assert result.text.endswith(PARAGRAPHS[-1])
    assert {"line": signoff, "rule": "signoff"} in result.removed
    assert result.author == author
    named = extract_page(article_page(paragraphs=(*PARAGRAPHS, signoff),
                                      head='<meta name="author" content="Rina Dewi">'))
    assert named.author == "Rina Dewi" and signoff not in named.text


@pytest.mark.parametrize("last", ["Pigai menutup kunjungan di Jayapura.", "Sumber: Humas",
                                  "KEMENHAM menegaskan komitmennya pada pemulihan korban."])
def test_a_closing_line_that_is_no_signoff_stays(last):
    result = extract_page(article_page(paragraphs=(*PARAGRAPHS, last)))
    assert "signoff" not in {r["rule"] for r in result.removed}
    assert result.author is None


@pytest.mark.parametrize("dateline", [
    "JAKARTA -", "Jakarta (ANTARA) -", "KONTAN.CO.ID - JAKARTA.", "Pantau -", "Liputan6.com, Jakarta -",
])
def test_datelines_stay(dateline):
    result = extract_page(article_page(dateline=dateline))
    assert result.text.startswith(f"{dateline} {PARAGRAPHS[0][:40]}")


def test_a_caption_before_the_dateline_is_cut_and_a_dateline_alone_joins_its_paragraph():
    caption = "Menteri HAM meninjau blok hunian Lapas Perempuan Tangerang, Senin (24/11)."
    page = article_page().replace(
        "<p>JAKARTA - ", f"<p><em>{caption}</em></p><p>&nbsp;</p><p><strong>Tangerang, "
                        "(Warta.com)-</strong></p><p>", 1)
    result = extract_page(page)
    assert result.text.startswith("Tangerang, (Warta.com)- Menteri Hak Asasi Manusia")
    assert {"line": caption, "rule": "before-dateline"} in result.removed
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)


@pytest.mark.parametrize("dash", ["Natalius Pigai - yang", "Menurut Pigai -- yang"])
def test_a_name_before_a_dash_in_the_second_paragraph_cuts_nothing_before_it(dash):
    second = PARAGRAPHS[1].replace("Dalam kunjungan itu, Pigai", dash, 1)
    result = extract_page(article_page(paragraphs=(PARAGRAPHS[0], second, *PARAGRAPHS[2:])))
    assert result.text.startswith("JAKARTA - Menteri") and second in result.text


@pytest.mark.parametrize("opening", [
    "DPR — melalui Komisi XIII yang membidangi HAM — meminta",
    "UNODC — the United Nations Office on Drugs and Crime — asked",
    "KPAI - lembaga perlindungan anak -",
])
def test_an_acronym_opening_a_later_paragraph_is_no_dateline(opening):
    """A feature lead has no dateline; a later paragraph opening with an acronym and an
    aside between dashes is the story going on, not a dateline to start it at."""
    third = f"{opening} {PARAGRAPHS[2][0].lower()}{PARAGRAPHS[2][1:]}"
    result = extract_page(article_page(dateline="", paragraphs=(*PARAGRAPHS[:2], third, PARAGRAPHS[3])))
    assert result.text.startswith(PARAGRAPHS[0]) and third in result.text
    assert PARAGRAPHS[1] in result.text and PARAGRAPHS[3] in result.text


def test_a_bare_dateline_before_the_paragraph_joins_it():
    page = article_page().replace("<p>JAKARTA - ", "<b>Jakarta</b> - <p>", 1)
    assert extract_page(page).text.startswith("Jakarta - Menteri Hak Asasi Manusia")


def test_a_body_written_as_one_span_split_by_line_breaks_keeps_its_lead():
    lines = "<br><br>".join(escape(p) for p in PARAGRAPHS)
    page = (f"<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>"
            '<div class="content"><div class="sisi"><script>tampilkan();</script>\n</div>'
            f"<span>JAKARTA - {lines}</span></div></article></body></html>")
    assert "JAKARTA - Menteri" not in (trafilatura.extract(page) or "")  # lost without the rule
    result = extract_page(page)
    assert result.text.startswith("JAKARTA - Menteri Hak Asasi Manusia")
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)
    assert len(result.text.splitlines()) == len(PARAGRAPHS)


def test_a_body_with_no_paragraphs_split_by_line_breaks_is_read_apart_from_cards_beside_it():
    lines = "<br><br>".join(escape(p) for p in PARAGRAPHS)
    cards = "".join(f'<a href="/berita/{i}"><h2>Berita lain nomor {i} tentang banjir di kota</h2>'
                    f"<div>Ringkasan berita lain nomor {i} yang tidak ada kaitannya dengan "
                    "kunjungan menteri ke lembaga pemasyarakatan.</div></a>" for i in range(6))
    page = (f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1><article>"
            f'<div class="article-body"><strong>JAKARTA:</strong> {lines}</div>{cards}'
            "</article></body></html>")
    assert "Berita lain nomor" in (trafilatura.extract(page) or "")  # kept without the rule
    result = extract_page(page)
    assert "Berita lain nomor" not in result.text and "Ringkasan" not in result.text
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)


def test_the_text_keeps_its_characters_as_written():
    line = ("Lapas seluas 2.500 m² itu dihuni ½ lebih dari kapasitas… dengan suhu 35℃ pada siang "
            "hari, kata petugas.")
    decomposed = "Kunjungan ke Cipinang dipimpin Jose\u0301 Ramos, kata petugas lapas di sana."
    result = extract_page(article_page(paragraphs=(PARAGRAPHS[0], line, decomposed, *PARAGRAPHS[1:])))
    assert line in result.text.splitlines()
    assert "Kunjungan ke Cipinang dipimpin José Ramos" in result.text  # composed (NFC)


def test_paragraphs_written_as_divs_after_paragraphs_written_as_ps_are_kept():
    divs = "".join(f'<div style="text-align: justify;">{p}</div>' for p in PARAGRAPHS[2:])
    teaser = ('<div><a href="/berita/2025/11/20/pigai-kunjungi-papua">Pigai kunjungi Papua '
              'bahas pelanggaran HAM berat masa lalu dengan tokoh adat setempat</a></div>')
    result = extract_page(article_page("", divs + teaser, paragraphs=PARAGRAPHS[:2]))
    assert result.text.splitlines()[-2:] == list(PARAGRAPHS[2:])
    assert "Pigai kunjungi Papua" not in result.text


def test_paragraphs_in_a_box_clipped_to_its_size_are_kept():
    clipped = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])
    hidden = f'<div style="display:none"><p>{"Teks tersembunyi untuk mesin pencari. " * 4}</p></div>'
    result = extract_page(article_page(
        hidden, f'<div style="overflow: hidden; max-height: 9999px">{clipped}</div>',
        paragraphs=PARAGRAPHS[:2]))
    assert result.text.splitlines()[-2:] == list(PARAGRAPHS[2:])
    assert "tersembunyi" not in result.text


READ_MORE = '<button class="read-more">Baca selengkapnya</button>'


@pytest.mark.parametrize("hiding", [
    'style="display: none;"', 'class="content-rest hidden"', "hidden", 'aria-hidden="true"',
    'class="d-none" style="visibility:hidden"',
])
def test_paragraphs_hidden_until_read_more_is_pressed_are_kept(hiding):
    rest = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])
    page = article_page(paragraphs=PARAGRAPHS[:2]).replace(
        "</div>\n\n</article>", f"<div {hiding}><div>{rest}</div></div>{READ_MORE}</div>\n\n</article>")
    assert kept_paragraphs(extract_page(page).text) == len(PARAGRAPHS)


PROMPT = "Berlangganan buletin kami untuk mendapatkan berita pilihan setiap pagi. " * 2


@pytest.mark.parametrize("hidden", [
    # the first paragraphs again, for a page that shows them elsewhere
    '<div style="display:none">' + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + "</div>",
    # a prompt of one paragraph
    f'<div style="display:none"><p>{PROMPT}</p></div>',
    # a dialog
    f'<div role="dialog" style="display:none"><p>{PROMPT}</p><p>{PROMPT}</p></div>',
    # a menu of links
    '<div hidden>' + "".join(f'<p><a href="/berita/{i}">{PARAGRAPHS[3]}</a></p>'
                             for i in range(3)) + "</div>",
])
def test_a_hidden_block_that_is_no_continuation_stays_hidden(hidden):
    page = article_page(paragraphs=PARAGRAPHS[:2]).replace(
        "</div>\n\n</article>", f"{hidden}{READ_MORE}</div>\n\n</article>")
    text = extract_page(page).text
    assert kept_paragraphs(text) == 2 and "Berlangganan" not in text
    assert text.count(PARAGRAPHS[1]) == 1 and PARAGRAPHS[3] not in text


def test_a_hidden_text_among_the_paragraphs_stays_hidden():
    hidden = f'<div style="display:none"><p>{PROMPT}</p><p>{PROMPT}</p></div>'
    text = extract_page(article_page(hidden)).text
    assert kept_paragraphs(text) == len(PARAGRAPHS) and "Berlangganan" not in text


def test_loose_first_paragraph_is_kept():
    page = article_page().replace("<p>JAKARTA - ", "<b>Warta.com</b> - ", 1).replace(
        "terutama layanan kesehatan, air bersih dan kunjungan keluarga.</p>",
        "terutama layanan kesehatan, air bersih dan kunjungan keluarga.", 1)
    result = extract_page(page)
    assert result.text.startswith("Warta.com - Menteri Hak Asasi Manusia")
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)


@pytest.mark.parametrize("line", [
    "Selanjutnya, polisi memeriksa tiga saksi dari pihak perusahaan penyalur tenaga kerja.",
    "Berita terkait penangkapan itu beredar luas di media sosial sejak Minggu malam.",
    "Warga dapat melapor melalui kanal WhatsApp Kementerian HAM yang dibuka setiap hari kerja.",
    "“Ikuti prosedur resmi dan jangan tergiur tawaran kerja lewat Instagram,” kata Pigai.",
    "Editor senior harian itu, Budi, turut hadir dalam diskusi tentang kebebasan pers.",
    "Pastikan Anda berangkat lewat jalur resmi dan terdaftar di aplikasi SISKOP2MI, pesan Pigai.",
    "Pastikan saluran air di sekitar rumah tidak tersumbat sampah, kata Kepala BPBD NTT.",
    "Hak cipta lagu daerah NTT yang dipakai tanpa izin juga dibahas dalam forum itu.",
    "Ditulis oleh Pramoedya Ananta Toer, novel Bumi Manusia dibacakan sebagai penutup acara.",
    "Demikian informasi yang disampaikan Pigai dalam konferensi pers di Kupang, Senin.",
    "The ministry's weekly newsletter listed 312 complaints from migrant workers in Malaysia.",
    "Related news outlets in Phnom Penh reported the same figure on Monday.",
    "Follow-up talks with Cambodia will be streamed live on the ministry's YouTube channel.",
    "Joining the meeting by video, Pigai told Telegram users to report scam recruiters.",
    "Baca laporan lengkapnya, kata Pigai, sebelum menilai kerja tim pemantau di Kamboja.",
    "Pastikan Anda tidak mengirim foto paspor dan KTP melalui WhatsApp kepada orang asing.",
    "Pastikan perusahaan penyalur terdaftar resmi di KP2MI, jangan percaya tawaran di grup Telegram.",
    "Pastikan Anda waspada terhadap akun Instagram yang mengaku resmi dan menawarkan kerja.",
    "Klik tautan yang dikirim lewat WhatsApp membuat seorang korban kehilangan seluruh saldo.",
    "Gabung di grup Telegram yang dibagikan perekrut, Marthen kemudian diberangkatkan ke Kamboja.",
    "(c) calon pekerja diminta merahasiakan keberangkatan dari keluarga mereka.",
    "Pastikan Anda hanya menghubungi kanal pengaduan resmi Kementerian HAM lewat nomor WhatsApp resmi, kata dia.",
    "Ikuti juga akun Instagram resmi kementerian untuk mengecek pengumuman terbaru soal penipuan itu.",
    "Lihat foto korban yang beredar, keluarga langsung melapor ke posko pengaduan Kementerian HAM.",
    "Halaman 3 laporan itu memuat daftar 14 lapas yang melebihi kapasitas.",
    "Artikel ini menjadi bagian penting dari laporan tahunan kementerian.",
    "Topik: hak warga binaan atas layanan kesehatan, dibahas dalam rapat kerja berikutnya.",
    "Berita ini terbit setelah kementerian menggelar rapat dengan KP2MI di Jakarta.",
    "Konten ini dibuat oleh tim humas kementerian untuk kampanye antipenipuan daring.",
    "Dengarkan keluhan warga, pesan Pigai kepada para kepala lapas.",
    "Kirim tanggapan resmi kepada Komnas HAM paling lambat pekan depan, kata Mugiyanto.",
    "Saksikan langsung bagaimana petugas memeriksa dokumen para korban di bandara.",
    "Terbaru, tim menemukan 14 korban lain di Sihanoukville.",
    "Lihat video yang beredar, Pigai meminta polisi mengusut kasus itu.",
])
def test_content_that_looks_like_boilerplate_is_kept(line):
    result = extract_page(article_page(f"<p>{line}</p>"))
    assert line in result.text


def test_a_section_named_for_its_scrolling_effect_is_content():
    section = ('<section class="parallax-section"><p>Di balik pagar kawat, para tahanan menunggu '
               "kepastian status mereka selama berbulan-bulan tanpa pendampingan hukum.</p></section>")
    result = extract_page(article_page(section))
    assert "Di balik pagar kawat" in result.text
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)


def test_teaser_cards_before_a_short_article_do_not_take_its_place():
    cards = "".join(
        f'<div class="card"><h3><a href="/n{i}">Banjir rendam Bekasi, hari ke-{i}</a></h3>'
        f"<p>Ringkasan {i}: banjir merendam ratusan rumah warga di Kabupaten Bekasi setelah "
        "hujan deras sejak Minggu malam, petugas BPBD mengevakuasi warga lansia ke posko.</p>"
        "</div>" for i in range(6))
    short = ("Kementerian HAM menerima 300 aduan soal penagihan pinjol ilegal.",
             "Pigai akan berkoordinasi dengan OJK dan Polri.")
    result = extract_page(article_page(before_body=cards, paragraphs=short))
    assert "banjir" not in result.text.casefold()
    assert all(paragraph in result.text for paragraph in short)


def test_teaser_cards_before_the_headline_are_cut():
    card = ('<div class="card"><h5>Headline</h5><div><a href="/e">Banjir rendam Bekasi</a></div>'
            "<p>Ribuan warga mengungsi sejak dini hari karena hujan deras yang turun semalaman.</p></div>")
    result = extract_page(article_page(before_body=card))
    assert "Ribuan warga mengungsi" not in result.text
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)


def test_metadata_and_removed_lines_are_reported():
    head = ('<meta property="article:published_time" content="2025-11-24T16:40:00+07:00">'
            '<meta name="author" content="Warta Contoh Developer; Rina Wulandari">')
    result = extract_page(article_page("<p>Baca juga: Pigai ke Jenewa</p>", head=head))
    assert result.title == TITLE
    assert result.published == "2025-11-24T09:40:00Z" and result.published_source == "meta"
    assert result.author == "Rina Wulandari"
    assert result.language == "id"
    assert result.site_name == "Warta Contoh"
    assert result.note is None
    assert {"line": "Baca juga: Pigai ke Jenewa", "rule": "read-also"} in result.removed


@pytest.mark.parametrize(("byline", "author"), [
    ('<div class="author">Reporter: Bayu Saputra <br>Editor: Hendra Gunawan</div>', "Bayu Saputra"),
    ('<div class="byline">Oleh Arif Rahman ● Senin, 24 November 2025</div>', "Arif Rahman"),
    ('<div class="author">Laporan Wartawan Wartacontoh.com, Ilham Rian</div>', "Ilham Rian"),
    ('<div class="author">Editor</div>', None),
    (('<div class="byline">Penulis: <a href="/penulis/rina-marlina/">Rina Marlina</a> | '
      "Editor: Yusuf Hakim</div>"), "Rina Marlina"),
])
def test_an_author_read_from_the_byline_is_the_name_alone(byline, author):
    assert extract_page(article_page(before_body=byline)).author == author


@pytest.mark.parametrize("account", ["Tim Redaksi Warta Contoh", "Warta Contoh",
                                     "PT. Warta Media Baru - Wartacontoh.id", "wartacontohNEWS"])
def test_the_byline_names_the_authors_when_the_meta_author_is_a_team_or_the_outlet(account):
    head = f'<meta name="author" content="{account}">'
    byline = '<div class="author">Oleh Rizky Ramadhan, Nur Azizah</div>'
    assert extract_page(article_page(head=head, before_body=byline)).author == \
        "Rizky Ramadhan; Nur Azizah"
    assert extract_page(article_page(head=head)).author is None


def _with_author_box(box: str, head: str = "", after_body: str = "") -> str:
    page = article_page(head=head, after_body=after_body)
    return page.replace('<div class="detail-meta">', f'{box}<div class="detail-meta">', 1)


@pytest.mark.parametrize("link", [
    '<a class="nama" href="/kolumnis/ratna-kusumawardani">Ratna Kusumawardani</a>',
    '<a href="https://warta.example/penulis/12345/ratna-kusumawardani-s-h">Ratna Kusumawardani</a>',
    '<a rel="author" href="/u/rk">Ratna Kusumawardani</a>',
])
def test_a_link_to_the_authors_page_beside_the_headline_names_the_author(link):
    box = f'<div class="penulis-top"><img src="/r.jpg" alt="">{link}<span>Peneliti</span></div>'
    assert extract_page(_with_author_box(box)).author == "Ratna Kusumawardani"
    team = '<meta name="author" content="Redaksi Warta Contoh">'
    assert extract_page(_with_author_box(box, head=team)).author == "Ratna Kusumawardani"


@pytest.mark.parametrize("links", [
    '<div class="rubrik"><a href="/kolumnis/ratna-kusumawardani">Kolom Opini</a></div>',
    '<div class="rubrik"><a href="/kolumnis/">Kolumnis</a></div>',
    '<nav><a href="/penulis/budi-santoso">Budi Santoso</a></nav>',
])
def test_other_links_beside_the_headline_name_no_author(links):
    assert extract_page(_with_author_box(links)).author is None


@pytest.mark.parametrize("box", [
    '<div class="nmreporter"><div>Dewi Kania</div><span>Jurnalis</span></div>',
    '<div class="byline"><span>Penulis:</span> <strong>Dewi Kania</strong></div>',
])
def test_a_name_beside_a_role_label_under_the_headline_names_the_author(box):
    assert extract_page(_with_author_box(box)).author == "Dewi Kania"


@pytest.mark.parametrize("box", [
    '<div class="meta"><span>Editor</span><span>Redaksi</span></div>',  # a desk, not a person
    '<aside><div>Dewi Kania</div><span>Jurnalis</span></aside>',  # a sidebar's
    '<div class="meta"><span>Jurnalis</span><span>Editor</span></div>',  # labels only
])
def test_a_role_label_without_a_person_beside_it_names_no_author(box):
    assert extract_page(_with_author_box(box)).author is None


SUMMARY = "Kementerian HAM meminta pemerintah daerah memperkuat layanan pengaduan warga."


@pytest.mark.parametrize(("hidden", "by_rule"), [
    (f'<h4 class="hide">{SUMMARY}</h4>', True),
    (f'<div class="box d-none"><p>{SUMMARY}</p></div>', True),
    # trafilatura drops these itself
    (f'<div class="sr-only"><span>{SUMMARY}</span></div>', False),
    (f'<p style="display: none">{SUMMARY}</p>', False), (f'<div hidden>{SUMMARY}</div>', False),
])
def test_a_hidden_copy_of_the_summary_is_no_part_of_the_story(hidden, by_rule):
    head = f'<meta name="description" content="{SUMMARY}">'
    page = _with_author_box(hidden, head=head).replace("JAKARTA -", "Jakarta -")  # no outlet
    result = extract_page(page)
    assert SUMMARY not in result.text and result.text.startswith("Jakarta -")
    assert ({"line": SUMMARY, "rule": "hidden-summary"} in result.removed) == by_rule


def test_a_shown_summary_and_other_hidden_text_stay():
    head = f'<meta name="description" content="{SUMMARY}">'
    shown = extract_page(_with_author_box(f'<p class="lead">{SUMMARY}</p>', head=head))
    assert "hidden-summary" not in {r["rule"] for r in shown.removed}
    more = PARAGRAPHS[-1]
    page = article_page(paragraphs=PARAGRAPHS[:-1], after_body=f'<p class="hidden">{more}</p>',
                        head=head)
    assert "hidden-summary" not in {r["rule"] for r in extract_page(page).removed}


@pytest.mark.parametrize("credit", ["Twitter @Kemenham", "Dok.Humas Kemenham", "Foto: Istimewa"])
def test_a_pictures_credit_marked_up_as_author_is_no_author(credit):
    box = f'<div class="pic"><img src="/f.jpg" alt=""><span class="author">{credit}</span></div>'
    head = '<meta name="author" content="Warta Contoh">'
    assert extract_page(_with_author_box(box, head=head)).author is None


def test_a_writers_byline_of_its_own_below_the_story_names_the_author():
    byline = '<div class="f11"><div>Penulis: Glery Lazuardi </div><div>Editor: Willy</div></div>'
    assert extract_page(article_page(after_body=byline)).author == "Glery Lazuardi"
    table = ('<table><tr><td><strong>Reporter :</strong> Issha Harruma</td></tr>'
             '<tr><td><strong>Redaktur :</strong> Bilal Ramadhan</td></tr></table>')
    assert extract_page(article_page(after_body=table)).author == "Issha Harruma"
    for broken in ("<p>Pewarta: Citra Dewi<br>Editor: Dedi Kurnia</p>",  # no space at the break
                   "<div>Reporter: Citra Dewi<br>Penulis: Citra Dewi<br>Editor: Dedi Kurnia</div>",
                   "<p>Editor: Dedi Kurnia<br>Pewarta: Citra Dewi</p>",  # the editor first
                   "<div>Editor: Dedi Kurnia<br>Pewarta: <a href='/p/citra'>Citra Dewi</a></div>"):
        assert extract_page(article_page(after_body=broken)).author == "Citra Dewi", broken
    for other in ('<div>Editor: Willy Widianto</div>',  # an editor is no writer
                  '<footer><div>Penulis: Glery Lazuardi</div></footer>',
                  '<div>Penulis: warga yang melapor ke posko pada malam itu juga</div>'):
        assert extract_page(article_page(after_body=other)).author is None, other


def test_metadata_naming_the_pages_editor_gives_way_to_the_writers_byline():
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
            '"NewsArticle", "author": {"@type": "Person", "name": "Bayu Kuncoro"}}</script>')
    byline = '<div class="byline">Oleh <span>Desi Lestari</span></div>'
    editor = '<p>Editor: <span itemprop="editor">Bayu Kuncoro</span></p>'
    page = article_page(head=head, before_body=byline, after_body=editor)
    assert extract_page(page).author == "Desi Lestari"
    # with no writer named, the editor the metadata names is all there is
    assert extract_page(article_page(head=head, after_body=editor)).author == "Bayu Kuncoro"


def test_an_author_listed_after_the_article_names_no_author():
    listed = '<div class="populer"><a href="/penulis/budi-santoso">Budi Santoso</a></div>'
    assert extract_page(article_page(after_body=listed)).author is None


def test_the_outlet_is_read_beside_the_headline_when_no_meta_names_it():
    page = article_page().replace('<meta property="og:site_name" content="Warta Contoh">', "")
    page = page.replace("<head>", f'<head><meta property="og:title" content="{TITLE}">')
    result = extract_page(page)
    assert result.site_name == "Warta Contoh" and result.title == TITLE
    lone = page.replace(f"{TITLE} - Warta Contoh</title>", f"{TITLE}</title>")
    assert extract_page(lone).site_name is None  # the headline is never the outlet


def test_learned_template_lines_are_removed():
    from pipelines.extraction.templates import line_key

    promo = "Saksikan siaran langsung Warta setiap pagi pukul tujuh."
    page = article_page(f"<p>{promo}</p>")
    assert promo in extract_page(page).text
    result = extract_page(page, learned_lines=frozenset({line_key(promo)}))
    assert promo not in result.text
    assert {"line": promo, "rule": "learned"} in result.removed


def test_a_closing_paragraph_signed_with_agency_codes_is_kept_and_a_caption_is_not():
    closing = ("Menurut dia, sepanjang 2025 kementerian menerima lebih dari 1.800 aduan dari pekerja "
               "migran, sebagian besar tentang gaji yang tidak dibayar.")
    caption = "<p>Menteri HAM berbincang dengan warga binaan (ANTARA/HO-Humas Kemenham)</p>"
    lead_in = "<p>Berikut pernyataan lengkapnya:</p>"  # its paragraphs follow: it stays
    after = ("<p>Silakan baca konten menarik lainnya dari Warta Contoh di Google News</p>"
             "<p>Jangan Lewatkan Video Terbaru:</p><p>Tag: HAM, Pekerja Migran</p>")
    page = article_page(caption, lead_in, paragraphs=(*PARAGRAPHS[:2], f"{closing} (antara/jpnn)"),
                        after_body=after)
    result = extract_page(page)
    assert result.text.endswith(closing) and "pernyataan lengkapnya:" in result.text
    assert "berbincang" not in result.text and "jpnn" not in result.text
    assert {"line": "(antara/jpnn)", "rule": "editor-initials"} in result.removed
    assert {"line": "Jangan Lewatkan Video Terbaru:", "rule": "dangling-label"} in result.removed
    assert "Google News" not in result.text
    short = article_page(paragraphs=(*PARAGRAPHS[:2], "Pigai di Lapas Tangerang. (Antara/Ahmad)"))
    assert "Pigai di Lapas Tangerang" not in extract_page(short).text  # a caption, not a paragraph


def test_boxes_inside_a_body_of_lines_split_by_breaks_stand_between_its_paragraphs():
    first, second, third, fourth = (escape(p) for p in PARAGRAPHS)
    body = (f'<div class="content-text-editor">{first}<br><br>{second}<br><br>'
            '<div class="ads-inline"><span>Advertisement</span><div id="div-gpt-ad-1"></div></div>'
            f'{third}<br><br><div class="media-box"><img src="/f.jpg">Pigai di Tangerang. '
            f'(Foto: Humas)</div>{fourth}<br><br></div>')
    page = article_page(paragraphs=()).replace('<div class="detail-text">\n',
                                               f'<div class="detail-text">\n{body}')
    lines = extract_page(page).text.splitlines()
    assert lines[0].endswith(PARAGRAPHS[0]) and lines[1:] == [PARAGRAPHS[1], PARAGRAPHS[2],
                                                              PARAGRAPHS[3]]


def test_a_list_in_a_body_no_container_names_is_read_with_its_paragraphs():
    points = ["Penguatan layanan pengaduan di seluruh kantor wilayah;",
              "Perluasan program Desa Sadar HAM ke seribu desa;",
              "Pembangunan sistem Satu Data HAM yang terintegrasi."]
    listed = "<ol>" + "".join(f"<li>{point}</li>" for point in points) + "</ol>"
    page = article_page(listed).replace('<article class="detail">', '<div class="detail">')
    page = page.replace("</article>", "</div>")
    lines = extract_page(page).text.splitlines()
    assert all(any(point in line for line in lines) for point in points), lines
    assert kept_paragraphs("\n".join(lines)) == len(PARAGRAPHS)


def test_further_pages_are_appended_once():
    first = article_page(paragraphs=PARAGRAPHS[:2])
    second = article_page("<p>Baca juga: Lapas penuh</p>", paragraphs=PARAGRAPHS[1:], dateline="")
    result = extract_page(first, more_pages=[second])
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)
    assert result.text.count(PARAGRAPHS[1]) == 1
    assert "Lapas penuh" not in result.text


@pytest.mark.parametrize(("page", "note"), [
    ("", "empty page"),
    (b"   \n ", "empty page"),
    ("<html><body><nav><a href='/'>Beranda</a></nav></body></html>", "no article text found"),
    (b"\x00\x01\x02\xff\xfe garbage", None),
    ("<html><body><div><p>Halo <b>dunia <i>tanpa penutup <p><<<>>></div></span></html>", None),
])
def test_bad_input_is_explained_not_raised(page, note):
    result = extract_page(page)
    assert result.note
    if note:
        assert note in result.note
    assert result.text == "" or result.note


def test_broken_markup_still_gives_the_article():
    page = article_page().replace("</p>", "", 3).replace("</div>", "")
    result = extract_page(page)
    assert kept_paragraphs(result.text) >= len(PARAGRAPHS) - 1
    assert result.note is None


def test_encodings_declared_wrong_or_unknown():
    page = article_page(paragraphs=("Wamenham Mugiyanto menyampaikan “kabar” dari Jenewa café. "
                                    + PARAGRAPHS[0], *PARAGRAPHS[1:]))
    cp1252 = page.replace('charset="utf-8"', 'charset="windows-1252"').encode("cp1252")
    assert "“kabar” dari Jenewa café" in extract_page(cp1252).text
    unknown = page.replace('charset="utf-8"', 'charset="x-no-such-thing"').encode("cp1252")
    result = extract_page(unknown)
    assert "x-no-such-thing" in result.note and "unknown" in result.note
    assert kept_paragraphs(result.text) >= len(PARAGRAPHS) - 1
    for latin in ("iso-8859-1", "us-ascii"):  # read as windows-1252, as browsers do
        declared = page.replace('charset="utf-8"', f'charset="{latin}"').encode("cp1252")
        assert "“kabar” dari Jenewa café" in extract_page(declared).text
    wide = page.replace('charset="utf-8"', 'charset="utf-16"').encode("cp1252")
    result = extract_page(wide)  # an 8-bit page cannot be UTF-16: it declares so in ASCII
    assert "“kabar” dari Jenewa café" in result.text and "utf-16" in result.note


def test_a_page_nested_beyond_the_parsers_depth_limit_keeps_its_article():
    page = article_page()
    start, end = page.index("<article"), page.index("</article>") + len("</article>")
    deep = page[:start] + "<div>" * 600 + page[start:end] + "</div>" * 600 + page[end:]
    result = extract_page(deep)
    assert kept_paragraphs(result.text) >= len(PARAGRAPHS) - 1
    assert "parsed again without a limit" in result.note
    assert extract_page(page).note is None  # an ordinary page is parsed once


@pytest.mark.parametrize(("title", "site", "cleaned"), [
    ("Pigai ke Jenewa - Kompas.com Regional", "Kompas.com", "Pigai ke Jenewa"),
    ("KapanLagi.com: Pigai ke Jenewa", "KapanLagi.com", "Pigai ke Jenewa"),
    ("Pigai ke Jenewa | Tempo Gaya", "Tempo", "Pigai ke Jenewa"),
    ("Pigai ke Jenewa - Kompas", "Kompas.com", "Pigai ke Jenewa"),
    ("Indonesia: Myanmar Harus Hentikan Kekerasan", "CNN Indonesia",
     "Indonesia: Myanmar Harus Hentikan Kekerasan"),  # a speaker, not the outlet
])
def test_the_outlets_name_leaves_the_title(title, site, cleaned):
    assert clean_title(title, site) == cleaned


def test_a_widget_inside_a_cut_widget_is_reported_once():
    nested = ('<div class="ads"><div class="ad-slot"><div class="adsbygoogle">'
              "Pasang iklan Anda di sini, hubungi bagian pemasaran</div></div></div>")
    result = extract_page(article_page(nested))
    assert [r["rule"] for r in result.removed].count("ad") == 1
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)


def _comment_thread(box: str, item: str, count: int = 2) -> str:
    """A reader-comment section: a heading, then named comments of a sentence or two."""
    comments = "".join(
        f'<div class="{item}"><div class="nama">Pembaca {i}</div><p>Komentar pembaca nomor {i}: '
        "semoga pemerintah segera bertindak tegas dan tidak berhenti pada kajian di atas kertas.</p></div>"
        for i in range(count))
    return f"<div {box}><h3>Tulis Komentar</h3>{comments}</div>"


@pytest.mark.parametrize("box", [
    ('class="box-komentar"', "item-komentar"),
    ('class="comments-wrapper"', "comment__item"),
    ('id="disqus_thread"', "post"),
    ('class="commentWrap"', "row"),
    ('id="list_comment"', "msg"),
], ids=lambda b: b[0])
def test_reader_comments_are_not_the_article(box):
    result = extract_page(article_page(after_body=_comment_thread(*box)))
    assert "Komentar pembaca" not in result.text
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)
    assert "comments" in {r["rule"] for r in result.removed}


def test_a_comment_thread_longer_than_the_article_is_cut():
    result = extract_page(article_page(after_body=_comment_thread('class="komentar"', "isi", 40)))
    assert "Komentar pembaca" not in result.text
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)


def test_a_section_named_commentary_or_a_wrapper_holding_the_article_is_content():
    commentary = ('<div class="commentary"><p>Analis menilai langkah kementerian itu terlambat '
                  "karena aduan soal lapas perempuan sudah menumpuk sejak tiga tahun lalu.</p></div>")
    result = extract_page(article_page(commentary))
    assert "Analis menilai" in result.text
    wrapped = article_page().replace('<div class="detail-text">', '<div class="detail-text has-comments">')
    assert kept_paragraphs(extract_page(wrapped).text) == len(PARAGRAPHS)


@pytest.mark.parametrize(("label", "tag"), [
    ("<h2>Rekomendasi</h2>", "ul"), ("<h3>Terkini:</h3>", "ol"), ("<p><strong>Rekomendasi</strong></p>", "ol"),
])
def test_a_list_of_the_articles_own_under_a_list_label_is_kept(label, tag):
    points = ("Pemerintah daerah membentuk satgas di setiap kabupaten",
              "Aparat memproses perekrut ilegal tanpa pandang bulu",
              "Korban mendapat pendampingan hukum gratis")
    items = "".join(f"<li>{point}</li>" for point in points)
    result = extract_page(article_page(f"{label}<{tag}>{items}</{tag}>"))
    assert all(point in result.text for point in points)
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)
    links = "".join(f'<li><a href="/{i}">{point}</a></li>' for i, point in enumerate(points))
    result = extract_page(article_page(f"{label}<{tag}>{links}</{tag}>"))  # other articles
    assert not any(point in result.text for point in points)
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)


def test_points_written_as_paragraphs_under_a_list_label_are_kept():
    points = ("Menunda relokasi sampai ada persetujuan bebas dari warga",
              "Membentuk tim mediasi independen yang melibatkan tokoh adat",
              "Menjamin akses pendidikan di lokasi relokasi")
    numbered = "".join(f"<p>{i}. {point}</p>" for i, point in enumerate(points, start=1))
    result = extract_page(article_page(f"<h3>Rekomendasi</h3>{numbered}"))
    assert all(point in result.text for point in points)
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)
    titles = "".join(f"<p>{point}</p>" for point in points)  # unnumbered: titles of other articles
    result = extract_page(article_page(f"<p>Berita Lainnya</p>{titles}"))
    assert not any(point in result.text for point in points)


ABOUT = ("<p>Tentang Kementerian Hak Asasi Manusia</p><p>Kementerian Hak Asasi Manusia dibentuk "
         "berdasarkan Peraturan Presiden Nomor 156 Tahun 2024 untuk menyelenggarakan urusan "
         "pemerintahan di bidang hak asasi manusia.</p><p>Biro Hubungan Masyarakat, Kementerian HAM</p>")


def test_a_press_releases_closing_section_about_its_issuer_is_cut():
    result = extract_page(article_page("", "", "", "", ABOUT))
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)
    assert "Peraturan Presiden" not in result.text and "Biro Hubungan" not in result.text
    assert {r["rule"] for r in result.removed} >= {"about"}


@pytest.mark.parametrize("markup", [
    ("<p>Tentang Kanjuruhan</p><p>Keluarga korban tragedi itu meminta negara menuntaskan "
     "proses hukum dan memulihkan korban luka yang masih dirawat.</p>"),  # a closing subheading
    ABOUT.replace("<p>Kementerian Hak Asasi Manusia dibentuk", "<p>Lembaga ini dibentuk"),
])
def test_a_closing_subheading_that_opens_no_section_about_its_name_stays(markup):
    result = extract_page(article_page("", "", "", "", markup))
    assert "Tentang" in result.text


def test_an_about_section_inside_the_story_stays():
    result = extract_page(article_page(ABOUT))
    assert "Peraturan Presiden" in result.text


def test_the_dates_heading_a_chronology_are_kept():
    days = ("Senin, 3 November 2025", "Rabu, 5 November 2025", "Jumat, 7 November 2025, pukul 10.00 WIB")
    sections = "".join(f"<h3>{day}</h3><p>{paragraph}</p>" for day, paragraph in zip(days, PARAGRAPHS[1:]))
    result = extract_page(article_page(paragraphs=PARAGRAPHS[:1], after_body=sections))
    assert all(day in result.text for day in days)
    assert "Senin, 24 November 2025 16:40 WIB" not in result.text  # the page's own date stamp


def test_a_table_of_figures_in_the_article_is_kept():
    rows = [("Tahun", "Aduan", "Selesai"), ("2023", "845", "610"), ("2024", "1.020", "790"),
            ("2025", "1.200", "880")]
    table = "<table>" + "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows) + "</table>"
    result = extract_page(article_page(table))
    assert all(cell in result.text for row in rows for cell in row)
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)
    assert "no-words" not in {r["rule"] for r in result.removed if any(c.isdigit() for c in r["line"])}


GALLERY_CAPTIONS = (
    "Peserta aksi membentangkan payung hitam di depan Istana Merdeka, Jakarta, Kamis sore.",
    "Seorang ibu korban tragedi 1998 berorasi menuntut penuntasan kasus pelanggaran HAM berat.",
    "Massa aksi menyoroti rencana Kementerian HAM membentuk tim penyelesaian non-yudisial.",
    "Aksi itu telah digelar setiap Kamis sejak 2007 oleh keluarga korban pelanggaran HAM.",
)


def _figures(captions: tuple[str, ...]) -> str:
    return "".join(f'<figure><img src="/{i}.jpg"><figcaption>{caption}</figcaption></figure>'
                   for i, caption in enumerate(captions))


def test_a_photo_gallery_has_its_captions_as_text():
    result = extract_page(article_page(_figures(GALLERY_CAPTIONS), paragraphs=("Aksi Kamisan digelar lagi.",)))
    assert all(caption in result.text for caption in GALLERY_CAPTIONS)
    assert result.note is None


@pytest.mark.parametrize("credit", [
    " (ANTARA FOTO/Galih Pradipta/foc)", " (REUTERS / Willy Kurniawan)", " (Liputan6.com/Helmi)",
    " <span class=credit>(AFP/Bay Ismoyo)</span>", " Foto: Humas Kemenham"])
def test_a_galleries_captions_lose_their_picture_credits_and_keep_their_words(credit):
    captions = tuple(caption + credit for caption in GALLERY_CAPTIONS)
    result = extract_page(article_page(_figures(captions), paragraphs=("Aksi Kamisan digelar lagi.",)))
    assert all(caption in result.text for caption in GALLERY_CAPTIONS)
    assert "/" not in result.text and "Foto" not in result.text
    credits = [r["line"] for r in result.removed if r["rule"] == "credit"]
    assert len(credits) == len(GALLERY_CAPTIONS)


def test_captions_beside_an_articles_paragraphs_stay_out():
    result = extract_page(article_page(_figures(GALLERY_CAPTIONS[:2])))
    assert not any(caption in result.text for caption in GALLERY_CAPTIONS)
    assert kept_paragraphs(result.text) == len(PARAGRAPHS)


def _archive_page(graph: list[dict], og_type: str = "website") -> str:
    """A WordPress-style tag archive: teasers of other articles, each a linked headline,
    its date and an excerpt, with the page's JSON-LD ``@graph``."""
    teasers = "".join(
        f'<article class="post"><h2 class="entry-title"><a href="/2025/11/{20 - i}/berita-{i}">'
        f"Kementerian HAM {headline}</a></h2><time>{20 - i} November 2025</time>"
        f"<p>{escape(excerpt)}</p></article>"
        for i, (headline, excerpt) in enumerate([
            ("pulangkan 87 pekerja migran dari Kamboja",
             ("Kementerian Hak Asasi Manusia memfasilitasi pemulangan puluhan pekerja migran "
             "yang menjadi korban penipuan daring di Phnom Penh pekan ini.")),
            ("tinjau lapas di Nusakambangan",
             ("Menteri HAM Natalius Pigai meninjau kondisi warga binaan di lembaga "
             "pemasyarakatan Nusakambangan dan menerima keluhan soal air bersih.")),
            ("terima aduan warga soal penggusuran",
             ("Kantor wilayah Kementerian HAM menerima puluhan aduan warga yang rumahnya "
             "digusur untuk proyek jalan tol di pinggiran kota.")),
        ]))
    ld = json.dumps({"@context": "https://schema.org", "@graph": graph})
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
            f"<title>Kementerian HAM Arsip - Warta Contoh</title>"
            f'<meta property="og:type" content="{og_type}">'
            f'<script type="application/ld+json">{ld}</script></head><body>'
            f'<header><nav><a href="/">Beranda</a></nav></header><main>'
            f'<h1 class="page-title">Tag: Kementerian HAM</h1>{teasers}</main></body></html>')


@pytest.mark.parametrize("graph, og_type", [
    ([{"@type": "CollectionPage", "name": "Kementerian HAM Arsip"},
      {"@type": "BreadcrumbList", "itemListElement": []}], "website"),
    ([{"@type": ["WebPage", "ProfilePage"], "name": "Penulis: Rina"}], "profile"),
    ([{"@type": "WebPage"}], "profile"),
])
def test_a_page_declaring_itself_a_listing_of_others_gives_no_article(graph, og_type):
    result = extract_page(_archive_page(graph, og_type), "https://warta.example/tag/kemenham")
    assert result.text == ""
    assert "not an article" in result.note


@pytest.mark.parametrize("listed", [
    {"hasPart": [{"@type": "NewsArticle", "headline": "Kementerian HAM pulangkan pekerja migran"}]},
    {"mainEntity": {"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "position": 1,
                    "item": {"@type": "NewsArticle", "headline": "Kementerian HAM tinjau lapas"}}]}},
])
def test_a_listing_naming_the_articles_it_lists_in_its_json_ld_still_declares_a_listing(listed):
    assert declared_listing(load_html(_archive_page([{"@type": "CollectionPage", **listed}])))


def test_a_page_declaring_an_article_beside_a_listing_type_declares_no_listing():
    graph = [{"@type": "CollectionPage"}, {"@type": "NewsArticle", "headline": "Berita"}]
    assert declared_listing(load_html(_archive_page(graph))) is None
