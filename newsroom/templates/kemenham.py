"""The ministry's own site: 'Siaran Pers' press releases from a CMS (justified paragraphs in
spans), a visible date in a <time> element, 'Penulis :' and 'Editor:' credits, 'Bagikan:',
'Sumber Informasi Gambar:' with a list, 'Berita Lainnya'."""

from __future__ import annotations

import random

from newsroom.templates import boilerplate as bp
from newsroom.templates.chrome import (
    MONTHS,
    WIB,
    Listing,
    Page,
    attr,
    esc,
    link_list,
    paragraph_blocks,
)

NAV = '<nav class="menu"><a href="/">Beranda</a> <a href="/profil">Profil</a> <a href="/siaran-pers">Siaran Pers</a> <a href="/cari/">Cari</a></nav>'
FOOTER = (
    '<footer class="footer"><p>Kementerian Hak Asasi Manusia Republik Indonesia</p>'
    "<p>Jl. H.R. Rasuna Said Kav. 4-5, Kuningan, Jakarta Selatan</p></footer>"
)


def _day(moment) -> str:
    t = moment.astimezone(WIB)
    return f"{t.day} {MONTHS[t.month - 1]} {t.year}"


def render(page: Page) -> str:
    a, rng = page.article, random.Random(page.article.id)
    open_tag = rng.choice(
        ('<p style="text-align: justify;"><span style="font-size: 12pt;">', "<p>")
    )
    close_tag = "</span></p>" if open_tag.endswith('12pt;">') else "</p>"
    blocks = paragraph_blocks(page.paragraphs, open_tag=open_tag, close_tag=close_tag)
    credits = rng.choice(
        (
            "<p><strong>Penulis :</strong> Biro Humas<br><strong>Editor:</strong> Tim Redaksi</p>",
            "<p>Penulis : Biro Hubungan Masyarakat</p><p>Editor: Tim Redaksi</p>",
        )
    )
    sources = (
        "<p><strong>Sumber Informasi Gambar:</strong></p><ol><li>Dokumentasi Biro Humas "
        "Kementerian HAM</li><li>Tim Multimedia</li></ol>"
    )
    caption = bp.caption(a.title, "", rng, "news-image")
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="{page.charset}">
<title>{esc(a.title)} | Kementerian Hak Asasi Manusia</title>
<meta property="og:title" content="{attr(a.title)}">
<link rel="canonical" href="{attr(page.canonical)}">
</head>
<body>
<header class="header"><img src="/img/logo.png" alt="Kementerian HAM"> {NAV}</header>
<main class="container">
<div class="news-detail">
<span class="badge">Siaran Pers</span>
<h1 class="news-title">{esc(a.title)}</h1>
<div class="news-meta"><time datetime="{a.published.isoformat()}">{_day(a.published)}</time></div>
{caption}
<div class="news-content">
{chr(10).join(blocks)}
{credits}
{sources}
{bp.share(rng.choice(("Bagikan:", "Bagikan :")), "p")}
</div>
{bp.trailing("Berita Lainnya", page.related[:4], "h3")}
</div>
</main>
{FOOTER}
</body>
</html>
"""


def render_index(listing: Listing) -> str:
    cards = "\n".join(
        f'<div class="card"><a href="{attr(url)}"><h3>{esc(title)}</h3></a>'
        f'<span class="date">{_day(published)}</span></div>'
        for title, url, published in listing.items
    )
    return f"""<!DOCTYPE html>
<html lang="id">
<head><meta charset="utf-8"><title>{esc(listing.title)} | Kementerian Hak Asasi Manusia</title>
<link rel="canonical" href="{attr(listing.url)}"></head>
<body>
<header class="header">{NAV}</header>
<main class="container"><h1>{esc(listing.title)}</h1>
<div class="news-list">
{cards}
</div>
<aside>{link_list(listing.extra_links)}</aside>
</main>
{FOOTER}
</body>
</html>
"""
