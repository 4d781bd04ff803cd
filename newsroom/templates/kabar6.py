"""Kabar6, a portal: the date only in JSON-LD NewsArticle (and as visible text), 'Simak juga:'
boxes, a Google News promo, 'Menarik Dibaca:' teasers, a 'Reporter: X | Editor: Y' line, an
'Index' list; a lighter rendering on its mobile host."""

from __future__ import annotations

import json
import random

from newsroom.templates import boilerplate as bp
from newsroom.templates.chrome import (
    MONTHS_SHORT,
    WIB,
    Page,
    attr,
    esc,
    interleave,
    link_list,
    paragraph_blocks,
)

EDITORS = ("Anri Syaiful", "Nurmayanti", "Hanz Jimenez Salim")
HOUSE_PROMO = (
    '<p><em><strong>Cek Berita dan Artikel yang lain di <a href="#">Google News</a>'
    "</strong></em></p>"
)


def _json_ld(page: Page) -> str:
    a = page.article
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": page.canonical},
        "headline": a.title,
        "datePublished": a.published.isoformat(),
        "dateModified": a.published.isoformat(),
        "author": {"@type": "Person", "name": a.author},
        "publisher": {"@type": "Organization", "name": "Kabar6"},
    }
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _date(page: Page) -> str:
    t = page.article.published.astimezone(WIB)
    return f"{t.day:02d} {MONTHS_SHORT[t.month - 1]} {t.year}, {t:%H:%M} WIB"


def _body(page: Page, rng: random.Random) -> str:
    blocks = paragraph_blocks(page.paragraphs, bold_dateline=rng.random() < 0.5)
    inserts: dict[int, list[str]] = {}
    related = list(page.related)
    if related:
        where = rng.randrange(0, max(1, len(blocks) - 1))
        inserts.setdefault(where, []).append(
            bp.read_also(rng, related[:3], "box", ("Simak juga:", "Baca Juga:"))
        )
    if len(related) > 3:
        where = rng.randrange(1, max(2, len(blocks)))
        inserts.setdefault(where, []).append(
            bp.teaser(rng, related[3], "p-strong", ("Menarik Dibaca:",))
        )
    if rng.random() < 0.5:
        inserts.setdefault(rng.randrange(0, len(blocks)), []).append(bp.ad_text(rng))
    editor = rng.choice(EDITORS)
    reporter = rng.choice(
        (
            f"<p>Reporter: {esc(page.article.author)} | Editor: {editor}</p>",
            f"<p><b>Reporter :</b> {esc(page.article.author)}<br><b>Editor :</b> {editor}</p>",
        )
    )
    return "\n".join((interleave(blocks, inserts), reporter, HOUSE_PROMO))


def render(page: Page) -> str:
    a, rng = page.article, random.Random(page.article.id)
    index = bp.trailing("Index", page.related[1:5], rng.choice(("h3", "box")))
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="{page.charset}">
<title>{esc(a.title)} - Kabar6.com</title>
<meta property="og:title" content="{attr(a.title)}">
<meta name="twitter:title" content="{attr(a.title)}">
<link rel="canonical" href="{attr(page.canonical)}">
<script type="application/ld+json">{_json_ld(page)}</script>
</head>
<body class="articles--iridescent">
<header class="navbar"><a class="navbar--top--logo" href="/">Kabar6</a>
<ul class="navbar--menu"><li><a href="/news">News</a></li><li><a href="/bisnis">Bisnis</a></li>
<li><a href="/cari/">Cari</a></li></ul></header>
<div class="main-container"><article class="hentry main">
<header class="read-page--header"><h1 class="read-page--header--title entry-title">{esc(a.title)}</h1>
<div class="read-page--header--author"><span class="read-page--header--author__name">{esc(a.author)}</span>
<time class="read-page--header--author__datetime">{_date(page)}</time></div></header>
<div class="read-page--photo-gallery--item">{bp.caption(a.title, "(Kabar6.com/" + a.author + ")", rng, "read-page--photo")}</div>
<div class="article-content-body article-content-body_with-aside">
<div class="article-content-body__item-page">
{_body(page, rng)}
</div>
{index}
</div>
</article>
<aside class="main-aside"><h3>Berita Terkini</h3>{link_list(page.related[:5])}</aside></div>
<footer class="footer"><p>&copy; 2025 Kabar6.com, KLY KapanLagi Youniverse</p></footer>
</body>
</html>
"""


def render_mobile(page: Page) -> str:
    a, rng = page.article, random.Random(page.article.id)
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(a.title)} - Kabar6.com</title>
<link rel="canonical" href="{attr(page.canonical)}">
<script type="application/ld+json">{_json_ld(page)}</script>
</head>
<body class="mobile">
<div class="m-header"><a href="/">K6</a></div>
<div class="m-article">
<h1 class="m-article__title">{esc(a.title)}</h1>
<div class="m-article__date">{_date(page)}</div>
<div class="m-article__body">
{_body(page, rng)}
</div>
</div>
<div class="m-footer">Kabar6.com versi mobile</div>
</body>
</html>
"""
