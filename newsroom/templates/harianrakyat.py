"""Harian Rakyat, a national daily: 'Baca juga' links with class inner-link-baca-juga, an
italic WhatsApp Channel promo, the headline twice under the photo, pages with ?page=all,
and an AMP rendering under /amp/."""

from __future__ import annotations

import random

from newsroom.templates import boilerplate as bp
from newsroom.templates.chrome import (
    Page,
    attr,
    esc,
    interleave,
    link_list,
    paragraph_blocks,
    short_date,
)

HOUSE_PROMO = (
    "<p><em>Simak breaking news dan berita pilihan Harian Rakyat langsung di ponselmu. "
    "Pilih saluran andalanmu, akses berita Harian Rakyat lewat WhatsApp Channel. "
    "Pastikan aplikasi WhatsApp sudah terpasang ya.</em></p>"
)
EDITORS = ("Bagus Santoso", "Inggried Dwi", "Krisiandi Putra")


def _body(page: Page, rng: random.Random) -> str:
    blocks = paragraph_blocks(page.paragraphs, bold_dateline=True)
    inserts: dict[int, list[str]] = {}
    for link in page.related[: rng.randint(1, 3)]:
        where = rng.randrange(0, max(1, len(blocks) - 1))
        form = rng.choice(("inner-link", "inner-link", "p-strong-link"))
        inserts.setdefault(where, []).append(
            bp.read_also(rng, [link], form, ("Baca juga:", "Lihat juga:"))
        )
    return interleave(blocks, inserts)


def _pager(page: Page) -> str:
    if not page.pager:
        return ""
    links = "".join(
        f'<a class="paging__link" href="{attr(url)}">{esc(label)}</a>' for label, url in page.pager
    )
    return f'<div class="read__paging">{links}</div>'


def render(page: Page) -> str:
    a, rng = page.article, random.Random(page.article.id)
    editor = rng.choice(EDITORS)
    photo = bp.caption(a.title, "", rng, "photo")
    recommended = bp.trailing("Rekomendasi", page.related[2:5], rng.choice(("h3", "strong")))
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="{page.charset}">
<title>{esc(a.title)} Halaman all - Harian Rakyat</title>
<meta property="og:title" content="{attr(a.title)}">
<meta property="og:site_name" content="Harian Rakyat">
<meta property="article:published_time" content="{a.published.isoformat()}">
<meta name="content_author" content="{attr(a.author)}">
<link rel="canonical" href="{attr(page.canonical)}">
<link rel="amphtml" href="{attr(page.base)}/amp{attr(page.canonical[len(page.base) :].split("?")[0])}">
</head>
<body>
<div class="header"><div class="logo"><a href="/">HARIAN RAKYAT</a></div>
<ul class="nav"><li><a href="/nasional">Nasional</a></li><li><a href="/regional">Regional</a></li>
<li><a href="/global">Global</a></li><li><a href="/cari/">Cari</a></li></ul></div>
<div class="container clearfix"><div class="col-bs10-7">
<div class="read__header"><h1 class="read__title">{esc(a.title)}</h1>
<div class="read__time">Harian Rakyat - {short_date(a.published)}</div>
<div class="credit-title-nameEditor">Penulis {esc(a.author)} | Editor {editor}</div></div>
<div class="photo">{photo}</div>
<div class="read__content"><div class="clearfix">
{_body(page, rng)}
{HOUSE_PROMO}
{recommended}
</div></div>
{_pager(page)}
<div class="tag__article"><ul>{"".join(f'<li><a href="/tag/{attr(t.lower())}">{esc(t)}</a></li>' for t in bp.tags(a.title))}</ul></div>
</div>
<div class="col-bs10-3"><div class="most__wrap"><h3>Terpopuler</h3>{link_list(page.related[:5], cls="most__list")}</div></div>
</div>
<div class="footer"><p>Copyright 2008 - 2025 PT. Harian Rakyat Media. All Rights Reserved.</p>
<a href="/about">Tentang Kami</a> <a href="/pedoman">Pedoman Media Siber</a></div>
</body>
</html>
"""


def render_amp(page: Page) -> str:
    a, rng = page.article, random.Random(page.article.id)
    return f"""<!doctype html>
<html amp lang="id">
<head>
<meta charset="utf-8">
<title>{esc(a.title)} - Harian Rakyat</title>
<link rel="canonical" href="{attr(page.canonical)}">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<meta property="og:title" content="{attr(a.title)}">
<meta property="article:published_time" content="{a.published.isoformat()}">
<style amp-boilerplate>body{{visibility:hidden}}</style>
<script async src="/amp/v0.js"></script>
</head>
<body>
<header class="amp-header"><a href="/">HARIAN RAKYAT</a></header>
<article class="amp-article">
<h1 class="amp-title">{esc(a.title)}</h1>
<div class="amp-date">Harian Rakyat - {short_date(a.published)}</div>
<amp-img src="/img/{a.id}.jpg" width="640" height="360" layout="responsive" alt="{attr(a.title)}"></amp-img>
<div class="amp-caption">{esc(a.title)}</div>
<div class="amp-content">
{_body(page, rng)}
{HOUSE_PROMO}
</div>
</article>
<footer class="amp-footer">&copy; 2025 Harian Rakyat</footer>
</body>
</html>
"""
