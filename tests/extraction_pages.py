"""Small article pages for the extraction tests: real-looking Indonesian paragraphs
in a page with site chrome, and boilerplate inserted where sites put it."""

from __future__ import annotations

from html import escape

TITLE = "Menteri HAM Tinjau Lapas Perempuan di Tangerang"
PARAGRAPHS = (
    ("Menteri Hak Asasi Manusia Natalius Pigai meninjau Lembaga Pemasyarakatan Perempuan "
    "Kelas IIA Tangerang pada Senin untuk memastikan pemenuhan hak dasar warga binaan, "
    "terutama layanan kesehatan, air bersih dan kunjungan keluarga."),
    ("Dalam kunjungan itu, Pigai mendengar keluhan warga binaan tentang kepadatan kamar hunian "
    "yang mencapai dua kali lipat kapasitas. Ia meminta kepala lapas menyusun rencana "
    "pengurangan kepadatan bersama Direktorat Jenderal Pemasyarakatan dalam satu bulan."),
    ("Kementerian HAM akan menurunkan tim pemantau ke lima lapas perempuan lain di Jawa dan "
    "Sumatra. Hasil pemantauan akan menjadi bahan rekomendasi kebijakan kepada Presiden "
    "sebelum akhir tahun anggaran, kata Direktur Jenderal Pelayanan dan Kepatuhan HAM."),
    ("Oleh karena itu, kementerian juga mendorong pemerintah daerah menyediakan layanan "
    "bantuan hukum gratis bagi warga binaan yang belum memiliki pendamping, sehingga proses "
    "pembebasan bersyarat tidak tertunda karena urusan administrasi semata."),
)


def article_page(
    *inserts: str,
    title: str = TITLE,
    dateline: str = "JAKARTA -",
    head: str = "",
    paragraphs: tuple[str, ...] = PARAGRAPHS,
    before_body: str = "",
    after_body: str = "",
) -> str:
    """A full article page. ``inserts`` go between the paragraphs in turn (the
    first after the first paragraph); ``dateline`` opens the first paragraph."""
    body = []
    for i, paragraph in enumerate(paragraphs):
        text = escape(paragraph)
        body.append(f"<p>{escape(dateline)} {text}</p>" if i == 0 and dateline else f"<p>{text}</p>")
        if i < len(inserts):
            body.append(inserts[i])
    body.extend(inserts[len(paragraphs):])
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>{escape(title)} - Warta Contoh</title>
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="Warta Contoh">
{head}
</head><body>
<header><nav><a href="/">Beranda</a> <a href="/nasional">Nasional</a> <a href="/hukum">Hukum</a></nav></header>
<div class="container">
{before_body}
<article class="detail">
<h1 class="detail-title">{escape(title)}</h1>
<div class="detail-meta">Senin, 24 November 2025 16:40 WIB</div>
<div class="detail-text">
{"".join(body)}
</div>
{after_body}
</article>
<aside class="sidebar"><h3>Terpopuler</h3><ul>
<li><a href="/a">Harga beras naik di pasar induk</a></li>
<li><a href="/b">Timnas menang tipis atas Vietnam</a></li></ul></aside>
</div>
<footer><p>Tentang Kami | Redaksi | Pedoman Media Siber</p></footer>
</body></html>"""


def kept_paragraphs(text: str, paragraphs: tuple[str, ...] = PARAGRAPHS) -> int:
    """How many of ``paragraphs`` stand whole in ``text``."""
    return sum(paragraph in text for paragraph in paragraphs)
