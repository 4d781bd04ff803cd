"""Suara Daerah, a regional WordPress site that republishes wire stories: no feed, section index
pages with pagination, blog-style promos, 'Silakan Share', 'Artikel terkait:', a Telegram promo,
tag lists, dates only as visible text, print versions under /cetak/ (robots.txt forbids them)."""

from __future__ import annotations

import random

from newsroom.templates import boilerplate as bp
from newsroom.templates.chrome import (
    Listing,
    Page,
    attr,
    esc,
    interleave,
    link_list,
    long_date,
    paragraph_blocks,
    short_date,
)

HOUSE_TOP = (
    "<p><em>Dibawah ini Anda bisa melihat berbagai informasi menarik lainnya seputar "
    "kabar daerah dan nasional, semoga bermanfaat.</em></p>"
)
HOUSE_BOTTOM = (
    "<p>Buat kalian yang ingin mendapatkan berita terbaru dan terupdate setiap hari, "
    "jangan lupa kunjungi Suara Daerah dan ikuti media sosial kami.</p>"
)
TELEGRAM = (
    '<div class="promo-telegram">Dapatkan update berita pilihan dan breaking news setiap hari '
    'dari Suara Daerah. Mari bergabung di Grup Telegram "Suara Daerah Update", caranya klik '
    'link <a href="#">Suara Daerah Update</a>, kemudian join.</div>'
)
HEAD_NAV = (
    '<div class="td-header-menu"><ul><li><a href="/">Beranda</a></li><li><a href="/kanal/nasional">'
    'Nasional</a></li><li><a href="/kanal/daerah">Daerah</a></li><li><a href="/cari/">Cari</a></li></ul></div>'
)
FOOTER = '<div class="td-footer">Copyright &copy; 2025 Suara Daerah | Jaringan Media Daerah</div>'


def render(page: Page) -> str:
    a, rng = page.article, random.Random(page.article.id)
    blocks = paragraph_blocks(page.paragraphs)
    inserts: dict[int, list[str]] = {-1: [HOUSE_TOP]}
    for link in page.related[: rng.randint(1, 2)]:
        where = rng.randrange(0, max(1, len(blocks) - 1))
        form = rng.choice(("p-strong", "em", "p-strong-link"))
        labels = ("Artikel terkait:", "Berita terkait:", "BACA JUGA:", "Baca Juga:")
        inserts.setdefault(where, []).append(bp.read_also(rng, [link], form, labels))
    if len(page.related) > 2:
        inserts.setdefault(len(blocks) - 1, []).append(
            bp.teaser(rng, page.related[2], "p", ("Menarik Dibaca:",))
        )
    byline = rng.choice(
        (f"<p>Penulis : {esc(a.author)}</p>", f"<p><strong>Penulis :</strong> {esc(a.author)}</p>")
    )
    source = "<p>Sumber: Nusa</p>" if a.wire_of else ""
    date = long_date(a.published) if rng.random() < 0.5 else short_date(a.published)
    share = bp.share(
        rng.choice(("Silakan Share", "SHARE :", "Silakan Share ke Teman")),
        rng.choice(("div", "p", "icons")),
    )
    tags = "".join(
        f'<a href="/tag/{attr(t.lower())}" rel="tag">{esc(t)}</a>' for t in bp.tags(a.title)
    )
    more = bp.trailing(
        rng.choice(("Rekomendasi", "Index")), page.related[3:7], rng.choice(("strong", "box"))
    )
    return f"""<!DOCTYPE html>
<html lang="id-ID">
<head>
<meta charset="{page.charset}">
<meta http-equiv="Content-Type" content="text/html; charset={page.charset}">
<title>{esc(a.title)} &#8211; Suara Daerah</title>
<meta name="generator" content="WordPress 6.4.2">
<meta property="og:title" content="{attr(a.title)}">
<link rel="canonical" href="{attr(page.canonical)}">
</head>
<body class="post-template-default single single-post">
<div class="td-header-wrap"><div class="td-logo"><a href="/">Suara Daerah</a></div>{HEAD_NAV}</div>
<div class="td-main-content-wrap"><div class="td-container"><div class="td-pb-span8 td-main-content">
<article class="post type-post">
<div class="td-post-header"><h1 class="entry-title">{esc(a.title)}</h1>
<div class="td-module-meta-info"><span class="td-post-author-name">Oleh <a href="/author/{bp.initials(a.author)}">{esc(a.author)}</a></span>
<span class="td-post-date">{date}</span></div></div>
<div class="td-post-content tagdiv-type">
{bp.caption(a.title, "", rng, "wp-caption")}
{interleave(blocks, inserts)}
{source}
{byline}
{HOUSE_BOTTOM}
{TELEGRAM}
{share}
<div class="td-post-source-tags"><span>TAGS</span> {tags}</div>
{more}
</div>
<p class="print"><a href="/cetak{attr(page.canonical[len(page.base) :])}">Versi cetak</a></p>
</article></div>
<div class="td-pb-span4 td-main-sidebar"><h4 class="block-title">Terpopuler</h4>{link_list(page.related[:5])}</div>
</div></div>
{FOOTER}
</body>
</html>
"""


def render_print(page: Page) -> str:
    a = page.article
    paragraphs = "\n".join(paragraph_blocks(page.paragraphs))
    return f"""<!DOCTYPE html>
<html lang="id-ID"><head><meta charset="utf-8"><title>{esc(a.title)} (cetak)</title>
<link rel="canonical" href="{attr(page.canonical)}"></head>
<body onload="window.print()"><h1>{esc(a.title)}</h1>{paragraphs}</body></html>
"""


def render_index(listing: Listing) -> str:
    rows = "\n".join(
        f'<div class="td_module_flex"><h3 class="entry-title td-module-title"><a href="{attr(url)}">'
        f'{esc(title)}</a></h3><span class="td-post-date">{short_date(published)}</span></div>'
        for title, url, published in listing.items
    )
    next_link = f'<link rel="next" href="{attr(listing.next_url)}">' if listing.next_url else ""
    pager = (
        f'<div class="page-nav"><a class="next" href="{attr(listing.next_url)}">Selanjutnya &raquo;</a></div>'
        if listing.next_url
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="id-ID">
<head><meta charset="utf-8"><title>{esc(listing.title)} &#8211; Suara Daerah</title>
<link rel="canonical" href="{attr(listing.url)}">{next_link}</head>
<body class="archive category">
<div class="td-header-wrap">{HEAD_NAV}</div>
<div class="td-category-header"><h1 class="entry-title td-page-title">{esc(listing.title)}</h1></div>
<div class="td-ss-main-content">
{rows}
</div>
{pager}
{FOOTER}
</body>
</html>
"""
