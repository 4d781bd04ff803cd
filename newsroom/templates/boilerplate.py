"""The boilerplate Indonesian sites put inside an article body, in the forms seen on real pages.

Every generator returns HTML. Labels vary in case and spacing (normal or non-breaking
spaces, a space before the colon); which variant an article gets is drawn from its own
``random.Random``, so a page is the same on every request.
"""

from __future__ import annotations

import random
import zlib

from newsroom.templates.chrome import attr, esc

__all__ = [
    "READ_ALSO",
    "TEASERS",
    "ad_text",
    "caption",
    "initials",
    "label",
    "read_also",
    "share",
    "tags",
    "teaser",
    "trailing",
]

READ_ALSO = (
    "Baca juga:",
    "Baca Juga:",
    "BACA JUGA:",
    "Lihat juga:",
    "Simak juga:",
    "Artikel terkait:",
    "Berita terkait:",
)
TEASERS = ("Selanjutnya:", "Menarik Dibaca:", "Pilihan Editor:")


def label(rng: random.Random, text: str) -> str:
    """``text`` (ending in ':') as HTML with one of the spacing habits of real pages."""
    head = esc(text.rstrip(":"))
    return rng.choice(
        (
            esc(text) + " ",
            esc(text) + "&nbsp;",
            esc(text) + "\u00a0",
            head + " : ",
            esc(text.replace(" ", "\u00a0", 1)) + " ",
            head + "&nbsp;:&nbsp;",
        )
    )


_READ_ALSO_FORMS = {
    "p-strong": "<p><strong>{label}</strong>{link}</p>",
    "p-strong-link": "<p><strong>{label}{link}</strong></p>",
    "inner-link": "<p><strong>{label}{inner}</strong></p>",
    "linksisip": (
        '<table class="linksisip"><tbody><tr><td><div class="lihatjg">'
        "<strong>{label}</strong>{link}</div></td></tr></tbody></table>"
    ),
    "em": "<p><em>{label}{link}</em></p>",
    "box": '<div class="baca-juga"><span class="baca-juga__title">{label}</span><ul>{rows}</ul></div>',
}
_TEASER_FORMS = {
    "p-strong": "<p><strong>{label}</strong>{link}</p>",
    "p": "<p>{label}{link}</p>",
    "div": '<div class="teaser"><span>{label}</span>{link}</div>',
}


def read_also(rng: random.Random, links, form: str, labels=READ_ALSO) -> str:
    """A read-also line or box linking to other articles of the site (forms: _READ_ALSO_FORMS)."""
    title, url = links[0]
    return _READ_ALSO_FORMS[form].format(
        label=label(rng, rng.choice(labels)),
        link=f'<a href="{attr(url)}">{esc(title)}</a>',
        inner=f'<a href="{attr(url)}" class="inner-link-baca-juga">{esc(title)}</a>',
        rows="".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in links[:3]),
    )


def teaser(rng: random.Random, link, form: str, labels=TEASERS) -> str:
    """A teaser for another article: 'Pilihan Editor: …', 'Selanjutnya: …' (forms: _TEASER_FORMS)."""
    title, url = link
    return _TEASER_FORMS[form].format(
        label=label(rng, rng.choice(labels)), link=f'<a href="{attr(url)}">{esc(title)}</a>'
    )


def share(text: str, form: str) -> str:
    """A share widget as text: 'Bagikan:', 'SHARE :', 'Silakan Share'."""
    icons = "".join(
        f'<a href="#" class="share-{n.lower()}">{n}</a> '
        for n in ("Facebook", "Twitter", "WhatsApp", "Telegram")
    )
    if form == "div":
        return f'<div class="share-box"><span class="share-label">{esc(text)}</span> {icons}</div>'
    if form == "p":
        return f"<p><strong>{esc(text)}</strong></p>"
    return f'<div class="social-share"><em>{esc(text)}</em><div class="icons">{icons}</div></div>'


def caption(title: str, credit: str, rng: random.Random, cls: str = "photo") -> str:
    """A photo whose caption repeats the headline, sometimes twice, with a photo credit."""
    twice = rng.random() < 0.4
    second = f'<p class="{cls}__caption-repeat">{esc(title)}</p>' if twice else ""
    return (
        f'<figure class="{cls}"><img src="/img/{zlib.crc32(title.encode()) % 99999}.jpg" '
        f'alt="{attr(title)}"><figcaption>{esc(title)} {esc(credit)}</figcaption></figure>'
        f"{second}"
    )


def trailing(heading: str, links, form: str) -> str:
    """A list after the text: 'Rekomendasi', 'Index', 'Berita Lainnya'."""
    rows = "".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in links)
    if form == "h3":
        return f'<div class="list-after"><h3>{esc(heading)}</h3><ul>{rows}</ul></div>'
    if form == "strong":
        return f"<p><strong>{esc(heading)}</strong></p><ul>{rows}</ul>"
    return f'<div class="box-{heading.lower().replace(" ", "-")}"><span>{esc(heading)}</span><ol>{rows}</ol></div>'


def ad_text(rng: random.Random) -> str:
    return rng.choice(
        (
            (
                '<div class="parallaxindetail scrollpage"><p class="para_caption">ADVERTISEMENT</p>'
                '<div class="ad-slot"></div><p class="para_caption">SCROLL TO CONTINUE WITH CONTENT</p></div>'
            ),
            '<p class="para_caption">ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT</p>',
            '<div class="ads-label">Advertisement&nbsp;Scroll To Continue With Content</div>',
        )
    )


def initials(name: str) -> str:
    """Editor initials as detik-like sites print them: 'Dimas Pratama' -> 'dpr'."""
    parts = name.lower().split()
    return (parts[0][0] + parts[-1][:2]) if len(parts) > 1 else parts[0][:3]


def tags(title: str) -> list[str]:
    """Tag names for an article: the longer capitalised words of its headline."""
    words = [w.strip(",.:;'\"()") for w in title.split()]
    picked = [w for w in words if len(w) > 3 and w[:1].isupper()]
    return list(dict.fromkeys(picked))[:4] or ["Nasional"]
