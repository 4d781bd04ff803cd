"""The weight around an article: what a real outlet's page carries besides the story.

Saved pages of Indonesian outlets weigh 47-330 KB with 500-2,000 elements, 100-500
links and 8-180 KB of scripts; the story is a few KB of it. Each site here gets its own
furniture, the same on every article page as on a real site: styles and tag-manager,
analytics and ad-slot scripts in the head, a mega-menu of sections and regional
editions, a trending-tag bar and ad slots above the story, and after it a "most read"
list, recommendation cards, a network footer and deferred scripts. A site's
furniture is built once; only the lists that name other articles change per page.
"""

from __future__ import annotations

import random
from functools import cache

from newsroom.templates.chrome import Page, attr, esc

__all__ = ["furnish"]

SECTIONS = {
    "Nasional": ("Politik", "Hukum", "Pemerintahan", "Peristiwa", "Pendidikan", "Kesehatan"),
    "Ekonomi": ("Bisnis", "Keuangan", "Energi", "Properti", "UMKM", "Bursa"),
    "Daerah": ("Sumatera", "Jawa Barat", "Jawa Tengah", "Jawa Timur", "Kalimantan", "Sulawesi",
               "Bali Nusra", "Papua"),
    "Internasional": ("Asia", "Eropa", "Amerika", "Timur Tengah", "Afrika"),
    "Olahraga": ("Sepak Bola", "Bulu Tangkis", "MotoGP", "Basket", "Liga Inggris"),
    "Tekno": ("Gadget", "Internet", "Sains", "Telko", "Review"),
    "Otomotif": ("Mobil", "Motor", "Tips", "Modifikasi"),
    "Hiburan": ("Seleb", "Musik", "Film", "K-Pop", "Televisi"),
    "Gaya Hidup": ("Kuliner", "Travel", "Fesyen", "Keluarga", "Zodiak"),
    "Opini": ("Kolom", "Editorial", "Surat Pembaca"),
    "Video": ("Berita Video", "Live", "Podcast"),
    "Foto": ("Galeri", "Infografis"),
}
TAGS = ("Pilkada Serentak", "Harga BBM", "Timnas Indonesia", "Cuaca Ekstrem", "IKN",
        "Banjir Jakarta", "Gempa Terkini", "Kurs Rupiah", "Liga 1", "Mudik", "Bansos",
        "Harga Emas", "Info Loker", "Jadwal KRL", "Prakiraan Cuaca")
HEADLINES = (
    "Harga Cabai Rawit Naik Lagi Jelang Akhir Tahun, Pedagang Mengeluh Sepi Pembeli",
    "Timnas U-23 Tiba di Jakarta, Disambut Ratusan Suporter di Bandara",
    "BMKG: Hujan Lebat Berpotensi Guyur Sebagian Besar Wilayah Jawa Pekan Ini",
    "Kurs Rupiah Menguat Tipis ke Level Rp15.700 per Dolar AS",
    "Antrean Kendaraan Mengular di Gerbang Tol Cikampek Utama",
    "Resep Soto Betawi Kuah Santan yang Gurih untuk Makan Siang Keluarga",
    "Pemprov DKI Perpanjang Program Pemutihan Denda Pajak Kendaraan",
    "Harga Emas Antam Hari Ini Turun Rp5.000 per Gram",
    "Jadwal Liga 1 Pekan Ini: Persib Tantang Persija di Bandung",
    "Ribuan Guru Honorer Ikuti Seleksi PPPK Tahap Kedua",
    "Gunung Lewotobi Kembali Erupsi, Warga Diminta Menjauh 6 Kilometer",
    "Tips Merawat Motor Matik di Musim Hujan agar Tidak Mudah Rusak",
)
NETWORK = ("Berita Daerah", "Bola Kita", "Otomotif Kini", "Seleb Hari Ini", "Tekno Plus",
           "Resep Nusantara", "Wisata Kita", "Properti Pintar", "Cek Fakta", "Sehat Selalu",
           "Karier Muda", "Jelajah Sains")


def furnish(html: str, page: Page) -> str:
    """``html`` (a whole article page) with its site's furniture around the story."""
    head, top, bottom = _site(page.outlet.name)
    rng = random.Random(f"{page.article.id}/furniture")
    others = [title for title, _ in page.related] + rng.sample(HEADLINES, 8)
    lists = _most_read(others[:10], page.base) + _recommended(rng, others[2:10], page.base)
    html = html.replace("</head>", head + "</head>", 1)
    start = html.index("<body")
    start = html.index(">", start) + 1
    end = html.rindex("</body>")
    return html[:start] + top + html[start:end] + lists + bottom + html[end:]


@cache
def _site(name: str) -> tuple[str, str, str]:
    """A site's head assets, the furniture above its stories and below them."""
    rng = random.Random(f"{name}/furniture")
    p = name[:3]
    return _head(rng, p), _top(rng, p), _bottom(rng, p)


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


def _head(rng: random.Random, p: str) -> str:
    fonts = "".join(f'<link rel="preload" href="/assets/fonts/{p}-{w}.woff2" as="font" '
                    f'type="font/woff2" crossorigin>' for w in (400, 500, 700))
    rules = "".join(
        f".{p}-{_word(rng)}{{margin:{rng.randrange(0, 24)}px {rng.randrange(0, 24)}px;"
        f"padding:{rng.randrange(0, 16)}px;color:#{rng.randrange(0x1000000):06x};"
        f"font-size:{rng.randrange(11, 22)}px;line-height:1.{rng.randrange(2, 8)}}}"
        for _ in range(120))
    slots = "".join(
        f"googletag.defineSlot('/2{rng.randrange(10**8):08d}/{p}_{pos}',[[{w},{h}]],"
        f"'div-gpt-{p}-{pos}').addService(googletag.pubads());"
        for pos, (w, h) in zip(("top", "billboard", "mr1", "mr2", "inarticle", "sticky",
                                "skin_l", "skin_r", "bottom", "popup"),
                               ((728, 90), (970, 250), (300, 250), (300, 250), (336, 280),
                                (320, 50), (160, 600), (160, 600), (728, 90), (1, 1))))
    version, tag = rng.randrange(10**6), rng.randrange(16**10)
    return (f'{fonts}<link rel="stylesheet" href="/assets/css/{p}.min.css?v={version}">'
            f"<style>{rules}</style>\n"
            f"<script>window.dataLayer=window.dataLayer||[];"
            f"function gtag(){{dataLayer.push(arguments)}}"
            f"gtag('js',new Date());gtag('config','G-{tag:010X}');</script>\n"
            f'<script async src="/assets/js/gpt.js"></script>'
            f"<script>var googletag=googletag||{{}};"
            f"googletag.cmd=googletag.cmd||[];googletag.cmd.push(function(){{{slots}"
            f"googletag.pubads().enableSingleRequest();googletag.enableServices()}});</script>\n"
            f"<script>{_minified(rng, 40)}</script>\n")


def _top(rng: random.Random, p: str) -> str:
    menu = "".join(
        f'<li class="{p}-menu__item"><a href="/{_slug(section)}">{esc(section)}</a>'
        f'<ul class="{p}-menu__sub">'
        + "".join(f'<li><a href="/{_slug(section)}/{_slug(sub)}">{esc(sub)}</a></li>'
                  for sub in subs)
        + "</ul></li>"
        for section, subs in SECTIONS.items())
    tags = "".join(f'<a class="{p}-tag" href="/tag/{_slug(t)}">#{esc(t)}</a>'
                   for t in rng.sample(TAGS, 10))
    return (f'\n<div id="div-gpt-{p}-skin_l" class="{p}-ads {p}-ads--skin"></div>'
            f'<div class="{p}-topbar"><a href="/login">Masuk</a> <a href="/daftar">Daftar</a> '
            f'<a href="/epaper">E-Paper</a> <a href="/indeks">Indeks Berita</a></div>\n'
            f'<nav class="{p}-megamenu" aria-label="Kanal"><ul class="{p}-menu">{menu}</ul></nav>\n'
            f'<div class="{p}-trending"><span>Trending</span>{tags}</div>\n'
            f'<div id="div-gpt-{p}-billboard" class="{p}-ads {p}-ads--billboard"></div>\n')


def _bottom(rng: random.Random, p: str) -> str:
    network = "".join(f'<li><a href="/jaringan/{_slug(site)}">{esc(site)}</a></li>'
                      for site in rng.sample(NETWORK, len(NETWORK)))
    sections = "".join(f'<li><a href="/{_slug(section)}">{esc(section)}</a></li>'
                       for section in SECTIONS)
    legal = "".join(f'<a href="/{_slug(label)}">{esc(label)}</a> '
                    for label in ("Tentang Kami", "Redaksi", "Pedoman Media Siber", "Karir",
                                  "Kontak", "Info Iklan", "Kebijakan Privasi", "Disclaimer"))
    social = "".join(f'<a class="{p}-social {p}-social--{s}" href="/ikuti/{s}" '
                     f'aria-label="{s}"><svg viewBox="0 0 24 24"><path d="{_path(rng)}"/></svg></a>'
                     for s in ("facebook", "x", "instagram", "youtube", "tiktok"))
    return (f'\n<div id="div-gpt-{p}-bottom" class="{p}-ads"></div>'
            f'<footer class="{p}-footer-network"><div class="{p}-footer__sites"><h4>Jaringan</h4>'
            f"<ul>{network}</ul></div><div class=\"{p}-footer__sections\"><h4>Kanal</h4>"
            f"<ul>{sections}</ul></div><div class=\"{p}-footer__social\">{social}</div>"
            f'<div class="{p}-footer__legal">{legal}</div>'
            f'<a class="{p}-app" href="/aplikasi"><img src="/assets/img/playstore.png" alt=""></a>'
            f'<a class="{p}-app" href="/aplikasi"><img src="/assets/img/appstore.png" alt=""></a>'
            f"</footer>\n<div id=\"div-gpt-{p}-sticky\" class=\"{p}-ads {p}-ads--sticky\"></div>\n"
            f"<script defer>{_minified(rng, 60)}</script>\n"
            f'<noscript><img height="1" width="1" src="/px?id={rng.randrange(10**12)}" alt="">'
            f"</noscript>\n")


def _most_read(titles: list[str], base: str) -> str:
    items = "".join(f'<li><span class="rank">{i}</span><a href="{attr(base)}/populer/{i}">'
                    f"{esc(title)}</a></li>" for i, title in enumerate(titles, start=1))
    return f'\n<section class="most-read"><h3>Terpopuler</h3><ol>{items}</ol></section>'


def _recommended(rng: random.Random, titles: list[str], base: str) -> str:
    cards = "".join(
        f'<div class="card"><a href="{attr(base)}/rekomendasi/{i}"><img src="/img/thumb/'
        f'{rng.randrange(10**9)}.jpg" alt="{attr(title)}" loading="lazy" width="300" '
        f'height="169"></a><div class="card__body"><span class="card__kanal">'
        f'{esc(rng.choice(list(SECTIONS)))}</span><h4><a href="{attr(base)}/rekomendasi/{i}">'
        f"{esc(title)}</a></h4></div></div>" for i, title in enumerate(titles))
    return (f'\n<section class="recommendation"><h3>Rekomendasi untuk Anda</h3>'
            f'<div class="cards">{cards}</div></section>')


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(3, 9)))


def _minified(rng: random.Random, statements: int) -> str:
    """Script that looks and weighs like a bundle: short names, nested calls."""
    out = []
    for _ in range(statements):
        a, b, c = _word(rng)[:2], _word(rng)[:2], _word(rng)
        out.append(
            f"!function({a},{b}){{var {c}={a}.{_word(rng)}||[];{b}.{_word(rng)}=function(e,t)"
            f"{{return e&&e.{_word(rng)}?e.{_word(rng)}(t,{rng.randrange(1000)}):{c}.push"
            f"([e,t,{rng.random():.4f}])}};{b}.{_word(rng)}=\"{_word(rng)}-{rng.randrange(10**6)}\""
            f"}}(window,document);")
    return "".join(out)


def _path(rng: random.Random) -> str:
    points = (f"{rng.uniform(0, 24):.2f} {rng.uniform(0, 24):.2f}" for _ in range(24))
    return "M" + " ".join(points) + "z"
