"""HTML of the newsroom's sites: one module per site structure, and a plain home page."""

from __future__ import annotations

from newsroom.templates import (
    detakberita,
    harianrakyat,
    kabar6,
    kemenham,
    nusa,
    suaradaerah,
    tempora,
)
from newsroom.templates.chrome import Listing, Page, attr, esc
from newsroom.templates.furniture import furnish

__all__ = [
    "Listing",
    "Page",
    "render_amp",
    "render_article",
    "render_home",
    "render_index",
    "render_mobile",
    "render_print",
]

_ARTICLE = {
    "nusa": nusa.render,
    "harianrakyat": harianrakyat.render,
    "detakberita": detakberita.render,
    "kabar6": kabar6.render,
    "tempora": tempora.render,
    "suaradaerah": suaradaerah.render,
    "kemenham": kemenham.render,
}
_INDEX = {"suaradaerah": suaradaerah.render_index, "kemenham": kemenham.render_index}
render_amp = harianrakyat.render_amp
render_mobile = kabar6.render_mobile
render_print = suaradaerah.render_print


def render_article(page: Page) -> str:
    return furnish(_ARTICLE[page.outlet.name](page), page)


def render_index(listing: Listing) -> str:
    return _INDEX.get(listing.outlet.name, render_home)(listing)


def render_home(listing: Listing) -> str:
    """A site's front page: its latest articles and its sections."""
    items = "\n".join(
        f'<li><a href="{attr(url)}">{esc(title)}</a></li>' for title, url, _ in listing.items
    )
    sections = " ".join(
        f'<a href="{attr(url)}">{esc(label)}</a>' for label, url in listing.extra_links
    )
    return f"""<!DOCTYPE html>
<html lang="id">
<head><meta charset="utf-8"><title>{esc(listing.title)}</title></head>
<body><header><h1>{esc(listing.outlet.display)}</h1><nav>{sections} <a href="/cari/">Cari</a></nav></header>
<main><h2>Terkini</h2><ul>
{items}
</ul></main>
<footer>&copy; 2025 {esc(listing.outlet.display)}</footer></body>
</html>
"""
