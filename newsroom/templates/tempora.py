"""Tempora, a weekly magazine's site: 'Pilihan Editor:' after the lead, a 'Selanjutnya:'
teaser, 'Foto:' captions with a 'TEMPORA/' credit, 'Oleh' byline in the body, article meta
dates, 'Berita Lainnya' at the end."""

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

PHOTOGRAPHERS = ("Subekti", "Febri Angga Palguna", "Tony Hartawan")


def render(page: Page) -> str:
    a, rng = page.article, random.Random(page.article.id)
    blocks = paragraph_blocks(page.paragraphs)
    inserts: dict[int, list[str]] = {}
    related = list(page.related)
    if related:
        inserts[0] = [
            bp.teaser(rng, related[0], rng.choice(("p-strong", "p")), ("Pilihan Editor:",))
        ]
    if len(related) > 1 and len(blocks) > 3:
        inserts.setdefault(len(blocks) - 2, []).append(
            bp.teaser(
                rng, related[1], rng.choice(("p", "div")), ("Selanjutnya:", "Pilihan Editor:")
            )
        )
    byline = rng.choice(
        (
            f"<p><em>Oleh {esc(a.author)}</em></p>",
            f'<div class="byline">Oleh\u00a0{esc(a.author)}</div>',
        )
    )
    photo_credit = f"Foto: {rng.choice(('Ilustrasi', 'Dok. Kemenham', a.title))}. TEMPORA/{rng.choice(PHOTOGRAPHERS)}"
    lainnya = bp.trailing("Berita Lainnya", related[2:6], rng.choice(("h3", "strong", "box")))
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="{page.charset}">
<title>{esc(a.title)} | tempora.co</title>
<meta name="description" content="{attr(page.paragraphs[0][:150])}">
<meta property="og:title" content="{attr(a.title)}">
<meta property="article:published_time" content="{a.published.isoformat()}">
<meta property="article:section" content="{attr(a.section)}">
<link rel="canonical" href="{attr(page.canonical)}">
</head>
<body>
<nav class="navbar"><a href="/" class="brand">TEMPORA</a><a href="/politik">Politik</a>
<a href="/hukum">Hukum</a><a href="/cari/">Cari</a></nav>
<div class="wrapper"><section class="main-column">
<article class="detail-artikel">
<span class="kanal">{esc(a.section.title())}</span>
<h1 class="title">{esc(a.title)}</h1>
<p class="date">{long_date(a.published)}</p>
<figure class="foto-detail"><img src="/img/{a.id}.jpg" alt="{attr(a.title)}">
<figcaption><em>{esc(photo_credit)}</em></figcaption></figure>
<div class="detail-in" id="isi">
{byline}
{interleave(blocks, inserts)}
{lainnya}
</div>
</article>
</section>
<aside class="sidebar"><h4>Terpopuler</h4>{link_list(related[:5])}</aside></div>
<footer><p>&copy; 2025 Tempora. Hak cipta dilindungi.</p></footer>
</body>
</html>
"""
