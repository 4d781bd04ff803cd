"""Kantor Berita Nusa, a wire agency: 'Baca juga:' paragraphs, 'Pewarta:/Editor:' and a
copyright line closing the body, the headline under the photo with an 'NUSA/HO-' credit,
meta article:published_time."""

from __future__ import annotations

import random

from newsroom.templates import boilerplate as bp
from newsroom.templates.chrome import (
    Page,
    attr,
    esc,
    interleave,
    link_list,
    long_date,
    paragraph_blocks,
)

EDITORS = ("Rahmat Hidayat", "Sri Wahyuni", "Agus Salim", "Desi Purnama")
HOUSE_PROMO = (
    '<p class="follow-gn"><em>Ikuti berita terkini dari Kantor Berita Nusa di '
    '<a href="#">Google News</a></em></p>'
)
NAV = ("Terkini", "Politik", "Hukum", "Ekonomi", "Nasional", "Dunia", "Olahraga")


def render(page: Page) -> str:
    a, rng = page.article, random.Random(page.article.id)
    blocks = paragraph_blocks(page.paragraphs, bold_dateline=True)
    inserts: dict[int, list[str]] = {}
    for link in page.related[: rng.randint(1, 2)]:
        where = rng.randrange(0, max(1, len(blocks) - 1))
        inserts.setdefault(where, []).append(
            bp.read_also(rng, [link], "p-strong", bp.READ_ALSO[:3])
        )
    editor = rng.choice(EDITORS)
    copyright_line = rng.choice(
        ("COPYRIGHT © NUSA 2025", "Copyright © Nusa 2025", "COPYRIGHT ©\u00a0NUSA 2025")
    )
    credit = rng.choice(
        (
            f'<p class="text-muted small">Pewarta: {esc(a.author)}<br>Editor: {editor}<br>{copyright_line}</p>',
            f'<p>Pewarta: {esc(a.author)}</p><p>Editor: {editor}</p><p class="copyright">{copyright_line}</p>',
            (
                f'<div class="byline"><span>Pewarta : {esc(a.author)}</span><br><span>Editor : {editor}</span>'
                f'</div><div class="copyright">{copyright_line}</div>'
            ),
        )
    )
    photo = bp.caption(
        a.title,
        rng.choice(("(NUSA/HO-Humas Kemenham)", "(NUSA/HO-Dok. Pribadi)", "NUSA/HO-Biro Humas")),
        rng,
        "wp-caption",
    )
    tag_links = "".join(f'<a href="/tag/{attr(t.lower())}">{esc(t)}</a> ' for t in bp.tags(a.title))
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="{page.charset}">
<title>{esc(a.title)} - Kantor Berita Nusa</title>
<meta property="og:title" content="{attr(a.title)}">
<meta property="og:type" content="article">
<meta property="og:url" content="{attr(page.canonical)}">
<meta property="article:published_time" content="{a.published.isoformat()}">
<meta name="author" content="{attr(a.author)}">
<link rel="canonical" href="{attr(page.canonical)}">
<link rel="alternate" type="application/rss+xml" href="/rss/terkini.xml">
</head>
<body class="single-post">
<header class="site-header"><a class="logo" href="/">NUSA</a>
<nav class="main-nav"><ul>{"".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV)}
<li><a href="/cari/?q=">Cari</a></li></ul></nav></header>
<div class="container"><main class="col-md-8">
<div class="breadcrumb"><a href="/">Beranda</a> &raquo; <a href="/{a.section}">{esc(a.section.title())}</a></div>
<h1 class="post-title">{esc(a.title)}</h1>
<p class="text-muted small"><i class="fa fa-clock-o"></i> {long_date(a.published)}</p>
<div class="post-content clearfix">
{photo}
{interleave(blocks, inserts)}
{credit}
{HOUSE_PROMO}
</div>
<div class="tags-wrapper"><span>Tag:</span> {tag_links}</div>
<section class="related"><h3>Berita Terkait</h3>{link_list(page.related[2:6])}</section>
</main>
<aside class="col-md-4"><h3>Terpopuler</h3>{link_list(page.related[1:5], cls="popular")}</aside>
</div>
<footer class="site-footer"><a href="/tentang-kami">Tentang Kami</a> <a href="/redaksi">Redaksi</a>
<a href="/pedoman-media-siber">Pedoman Media Siber</a><p>&copy; 2025 Kantor Berita Nusa</p></footer>
</body>
</html>
"""
