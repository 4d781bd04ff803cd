"""Detak Berita, a fast online portal: table.linksisip read-also boxes, ad text between
paragraphs, a 'Foto:' caption, editor initials such as '(dpr/rhd)' at the end, a publishdate
meta tag and an abbreviated visible date."""

from __future__ import annotations

import random

from newsroom.templates import boilerplate as bp
from newsroom.templates.chrome import (
    DAYS,
    MONTHS_SHORT,
    WIB,
    Page,
    attr,
    esc,
    interleave,
    link_list,
    paragraph_blocks,
)

EDITORS = ("Rahma Lillahi", "Irwan Nugroho", "Ardhi Suryadhi", "Fajar Pratama")


def _date(page: Page) -> str:
    t = page.article.published.astimezone(WIB)
    return f"{DAYS[t.weekday()]}, {t.day:02d} {MONTHS_SHORT[t.month - 1]} {t.year} {t:%H:%M} WIB"


def render(page: Page) -> str:
    a, rng = page.article, random.Random(page.article.id)
    blocks = paragraph_blocks(page.paragraphs)
    editor = rng.choice(EDITORS)
    sign = f"({bp.initials(a.author)}/{bp.initials(editor)})"
    if rng.random() < 0.5:
        blocks[-1] = blocks[-1][: -len("</p>")] + f" <strong>{sign}</strong></p>"
    else:
        blocks.append(f"<p><strong>{sign}</strong></p>")
    inserts: dict[int, list[str]] = {}
    for link in page.related[: rng.randint(1, 2)]:
        where = rng.randrange(0, max(1, len(blocks) - 2))
        inserts.setdefault(where, []).append(
            bp.read_also(rng, [link], "linksisip", ("Baca juga:", "Simak juga:"))
        )
    inserts.setdefault(rng.randrange(0, max(1, len(blocks) - 1)), []).append(bp.ad_text(rng))
    return f"""<!DOCTYPE html>
<html lang="id-ID">
<head>
<meta charset="{page.charset}">
<title>{esc(a.title)} - Detak Berita</title>
<meta property="og:title" content="{attr(a.title)}">
<meta name="publishdate" content="{a.published.astimezone(WIB):%Y/%m/%d %H:%M:%S}">
<meta name="author" content="{attr(a.author)}">
<link rel="canonical" href="{attr(page.canonical)}">
</head>
<body>
<header class="header"><a class="logo" href="/">detakberita</a>
<nav><a href="/berita">Berita</a> <a href="/edu">Edukasi</a> <a href="/cari/?query=">Cari</a></nav></header>
<div class="grid-row content__bg"><div class="column-8">
<article class="detail">
<div class="detail__header">
<h1 class="detail__title">{esc(a.title)}</h1>
<div class="detail__author">{esc(a.author)} - detakNews</div>
<div class="detail__date">{_date(page)}</div>
</div>
<div class="detail__media"><figure class="detail__media-image"><img src="/img/{a.id}.jpg" alt="{attr(a.title)}">
<figcaption class="detail__media-caption">Foto: {esc(rng.choice(("Ilustrasi", "Dok. Istimewa", a.title)))} ({esc(a.author)}/detakberita)</figcaption></figure></div>
<div class="detail__body-text itp_bodycontent">
{interleave(blocks, inserts)}
</div>
<div class="detail__body-tag"><div class="nav">{"".join(f'<a href="/tag/{attr(t.lower())}" class="nav__item">{esc(t)}</a>' for t in bp.tags(a.title))}</div></div>
{bp.share("Bagikan:", "div")}
</article>
</div>
<div class="column-4"><div class="box cb-mostpop"><h2>Berita Terpopuler</h2>{link_list(page.related[:5])}</div></div>
</div>
<footer class="footer"><p>Copyright @ 2025 detakberita. All rights reserved</p></footer>
</body>
</html>
"""
