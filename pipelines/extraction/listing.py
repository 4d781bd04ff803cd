"""Listing pages told from articles by their structure, whatever they declare.

A tag, section, author, search or archive page shows teasers of other pages side by
side: each a link to another page of the site with a headline's words, often with a
date, a picture and a summary. An article shows one body of paragraphs, most of it
no link, perhaps beside a box of such teasers ("Baca juga", "Terpopuler").

``page_teasers`` reads the teasers of the page as trafilatura reads it (after the DOM
rules cut menus, sidebars and read-also boxes): around each headline link (a line of
its own, not a term linked inside a sentence) the largest block that holds no other.
Such blocks count only in a list: two or more of one tag and class under one parent,
holding most of its text, each with its headline before any text but a label, so a
paragraph or a live report's entry that links another article is never a teaser.

``listing_verdict`` weighs them against the text extraction kept: a page whose kept
text lies mostly in teasers is a listing; a page that declares itself a listing
(``declared_listing``) is read as an article only when its text outside teasers is an
article's length and outweighs all the teasers of the page (a theme that declares
every page a ``CollectionPage``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple
from urllib.parse import urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement

from crawler.urls import same_site
from pipelines.extraction.rules import fold

__all__ = ["Teasers", "Verdict", "listing_verdict", "page_teasers"]

TITLE_MIN_WORDS = 4  # a link of this many words or more reads as a headline
TEASER_MAX_WORDS = 80  # a headline, a date and a summary; more is a body holding a link
# Before its headline a teaser shows a label at most (a section, a date): more is running
# text, as in the entries of a live report that end with a link to the full story.
LEAD_MAX_WORDS = 8
LIST_MIN_TEASERS = 2
LIST_TEXT_SHARE = 0.5  # teasers side by side holding at least this share of their parent's text
# A page declaring itself a listing reads as an article with this many words outside teasers.
ARTICLE_MIN_WORDS = 50
TEASER_MAX_DEPTH = 8  # a teaser block lies this few elements above its headline link at most
_HEADLINE_LINKS = XPath("descendant::a[@href][string-length() >= $chars]")
_ITEM_MARK = "- "  # trafilatura's mark before the text of a list item
_PAGE_ADDRESS = XPath(
    "string((//link[@rel='canonical']/@href | //meta[@property='og:url']/@content)[1])")


@dataclass(frozen=True, slots=True)
class Teasers:
    """The teasers a page lists: how many, their words, and their text (one teaser a
    line) as kept lines are looked up in it: folded, without spaces, since extraction
    joins "<b>Pigai</b>," as "Pigai," where the teaser's pieces are "Pigai" and ","."""

    count: int = 0
    words: int = 0
    text: str = ""

    def words_in(self, lines: list[str]) -> int:
        """How many words of ``lines`` are text of the teasers."""
        if not self.count:
            return 0
        return sum(len(line.split()) for line in lines
                   if _key(line.removeprefix(_ITEM_MARK)) in self.text)


class Verdict(NamedTuple):
    """Whether a page is a listing of others, and the note that says why (or why a page
    declaring itself one is read as an article)."""

    listing: bool
    note: str | None = None


def page_teasers(tree: HtmlElement, url: str | None) -> Teasers:
    """The teasers of other pages of the site that ``tree`` lists."""
    other_page = _OtherPage(url or _PAGE_ADDRESS(tree).strip() or None)
    chains, held, previous = [], {}, None
    for link in _HEADLINE_LINKS(tree, chars=TITLE_MIN_WORDS * 4):
        href = link.get("href").strip()
        if href == previous:
            continue  # a picture's link and the title's, to one article, are one teaser
        if not other_page(href) or not _stands_alone(link):
            continue
        title = " ".join(link.itertext()).split()  # as in its block's text, below
        if len(title) < TITLE_MIN_WORDS:
            continue
        previous = href
        chain = [link, *islice(link.iterancestors(), TEASER_MAX_DEPTH)]
        chains.append((" ".join(title), chain))
        for element in chain[1:]:
            held[element] = held.get(element, 0) + 1
    lists: dict[tuple, list[tuple[str, HtmlElement]]] = {}
    for title, chain in chains:
        depth = 1  # the block is the highest element holding no other headline link
        while depth < len(chain) and held[chain[depth]] == 1 and chain[depth].tag != "body":
            depth += 1
        block = chain[depth - 1]
        parent = chain[depth] if depth < len(chain) else block.getparent()
        if parent is not None:
            lists.setdefault((parent, block.tag, block.get("class")), []).append((title, block))
    found = []
    for (parent, _, _), blocks in lists.items():
        texts = [" ".join(" ".join(block.itertext()).split()) for _, block in blocks]
        teasers = [text for text, (title, _) in zip(texts, blocks, strict=True)
                   if text.count(" ") < TEASER_MAX_WORDS
                   and text[:text.find(title)].count(" ") <= LEAD_MAX_WORDS]
        if len(teasers) >= max(LIST_MIN_TEASERS, len(blocks) / 2) and \
                sum(map(len, teasers)) >= LIST_TEXT_SHARE * _visible_chars(parent):
            found += teasers
    return Teasers(len(found), sum(len(text.split()) for text in found),
                   "\n".join(map(_key, found)))


def listing_verdict(teasers: Teasers, kept: list[str], declared: str | None) -> Verdict:
    """Whether a page with ``teasers`` and the ``kept`` lines of text is a listing of
    other pages; ``declared`` is the listing type it declares itself by, if any."""
    total = sum(len(line.split()) for line in kept)
    inside = teasers.words_in(kept)
    outside = total - inside
    if teasers.count >= LIST_MIN_TEASERS and inside >= outside and inside:
        return Verdict(True, f"a listing of other pages (a tag, section, author or search page), "
                             f"not an article: {teasers.count} teasers of other pages hold "
                             f"{round(100 * inside / total)} % of its text; no text kept")
    if not declared:
        return Verdict(False)
    if outside >= max(ARTICLE_MIN_WORDS, teasers.words):
        return Verdict(False, f"the page declares itself a {declared} but reads as one article "
                              f"({outside} words outside teasers): text kept")
    return Verdict(True, f"the page declares itself a {declared}, a page listing others (a tag, "
                         "section, author or search page), not an article: no text kept")


def _key(text: str) -> str:
    return "".join(fold(text).split())


def _stands_alone(link: HtmlElement) -> bool:
    """Whether a link is a line of its own, no words of a sentence around it (a headline,
    not a term of a paragraph linked to its tag page)."""
    if (link.tail or "").strip():
        return False
    before = link.getprevious()
    return not ((before.tail if before is not None else link.getparent().text) or "").strip()


def _visible_chars(element: HtmlElement) -> int:
    """About the characters of ``element``'s text with its runs of spaces as one (the
    spaces of a large element's text counted, not split and joined)."""
    text = element.text_content()
    return len(text) - sum(text.count(space) for space in " \n\t\r") + len(text.split())


class _OtherPage:
    """Whether a link leads to another page of the site of the page at ``address`` (with
    no address known, whether it is a link within the site)."""

    def __init__(self, address: str | None):
        self.address = address.split("#")[0] if address else None
        parts = urlsplit(self.address or "")
        self.path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.sites: dict[str, bool] = {}

    def __call__(self, href: str) -> bool:
        href = href.split("#")[0]
        if not href or href.startswith(("javascript:", "mailto:", "tel:")):
            return False
        if "://" not in href[:12] and not href.startswith("//"):
            return href != self.path
        if self.address is None:
            return False
        netloc = href.split("/", 3)[2]
        if netloc not in self.sites:
            self.sites[netloc] = same_site(f"http://{netloc}/", self.address)
        return self.sites[netloc] and href != self.address
