"""What a page carries in its data rather than its markup: JSON-LD objects, and the
article itself when the markup shows only part of it.

Pages built by a script framework often render a teaser (the first paragraph and a
"read more" button) and carry the whole article in data the browser fills in: the
schema.org ``articleBody`` of the page's JSON-LD, or an HTML string in a JSON state
script (Next.js ``__NEXT_DATA__`` and the like). ``fuller_body`` finds such a text
when it is much longer than what the page shows and holds what the page shows, so a
teaser of another article, which the same data often carries too, is never taken.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml.html import HtmlElement

from pipelines.extraction.rules import fold

__all__ = ["EmbeddedBody", "declared_listing", "embedded_bodies", "fuller_body", "is_article",
           "json_ld_objects", "page_objects", "paywalled"]

# A data text replaces the shown one when it has this many times its words and
# MIN_EXTRA_WORDS more: an article's own JSON-LD body differs from the page's text by
# a dateline or a caption, never by half.
LONGER_BY = 1.5
MIN_EXTRA_WORDS = 40
DATA_MIN_WORDS = 40  # a string in a page's JSON state shorter than this is not a body
# A shown line is found in a data text by a window of its words (its opening words are
# where a dateline or a lead-in label may differ).
PROBE_WORDS = 6
PROBE_LINE_WORDS = 8
_TAG = re.compile(r"<[^>]+>")
_HTML = re.compile(r"</?(?:p|div|br|h[2-6]|li|blockquote)\b", re.IGNORECASE)
_ARTICLE_TYPES = ("article", "posting", "report")  # in a schema.org @type, folded
# schema.org types of pages that list other pages: a tag, category or archive page
# (what WordPress SEO plugins declare for them), an author's page, search results
_LISTING_TYPES = ("CollectionPage", "ProfilePage", "SearchResultsPage")


@dataclass(frozen=True, slots=True)
class EmbeddedBody:
    """An article text found in the page's data: ``text`` (HTML when ``html``), where it
    came from, and whether it is the declared body of the page's article object."""

    text: str
    source: str
    html: bool
    declared: bool
    headline: str = ""

    @property
    def plain(self) -> str:
        return " ".join(html.unescape(_TAG.sub(" ", self.text)).split()) if self.html else self.text

    @property
    def words(self) -> int:
        return len(self.plain.split())


def embedded_bodies(tree: HtmlElement) -> list[EmbeddedBody]:
    """The article texts in the page's JSON-LD and JSON state scripts (read before the
    page's scripts are cut away), longest first."""
    found = []
    for node in json_ld_objects(tree):
        body = node.get("articleBody")
        if isinstance(body, str) and body.strip() and is_article(node):
            headline = node.get("headline") if isinstance(node.get("headline"), str) else ""
            found.append(EmbeddedBody(body, "JSON-LD articleBody", bool(_HTML.search(body)),
                                      True, headline))
    for script in tree.xpath("//script[@type='application/json']"):
        name = script.get("id") or "JSON data"
        for value in _nodes(_load(script.text)):
            if isinstance(value, str) and _HTML.search(value) and len(value.split()) >= DATA_MIN_WORDS:
                found.append(EmbeddedBody(value, name, True, False))
    return sorted(found, key=lambda body: -body.words)


def declared_listing(tree: HtmlElement) -> str | None:
    """The schema.org type a page declares itself by when it lists other pages (a
    tag, section or author page: ``CollectionPage``, ``ProfilePage``,
    ``SearchResultsPage``; Open Graph's ``profile``) and declares no article, else None."""
    kinds = set()
    for node in page_objects(tree):
        if is_article(node):
            return None
        declared = node.get("@type")
        kinds.update(k for k in (declared if isinstance(declared, list) else [declared])
                     if isinstance(k, str))
    found = [kind for kind in _LISTING_TYPES if kind in kinds]
    if found:
        return found[0]
    og_type = tree.xpath("string(//meta[@property='og:type']/@content)").strip().casefold()
    return "profile" if og_type == "profile" else None


def paywalled(tree: HtmlElement) -> bool:
    """Whether the page declares its article, or a part of it, not free to read
    (schema.org ``isAccessibleForFree`` false, the markup publishers give search
    engines for paywalled text): what it shows may be a teaser."""
    for node in page_objects(tree):
        parts = node.get("hasPart")
        for member in [node, *(parts if isinstance(parts, list) else [parts])]:
            if isinstance(member, dict) and \
                    str(member.get("isAccessibleForFree", "")).strip().casefold() == "false":
                return True
    return False


def json_ld_objects(tree: HtmlElement) -> Iterator[dict]:
    """Every object in the page's JSON-LD scripts, nested ones (``@graph``) included."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        yield from (node for node in _nodes(_load(script.text)) if isinstance(node, dict))


def page_objects(tree: HtmlElement) -> Iterator[dict]:
    """The objects of the page's JSON-LD that describe the page itself: those at the top
    of a script, the members of its ``@graph`` and their ``mainEntity``; never the items
    they list (the articles of a section's ``hasPart`` or of an ``ItemList``), which
    say nothing of the page's own type or date."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        data = _load(script.text)
        for node in data if isinstance(data, list) else [data]:
            if not isinstance(node, dict):
                continue
            graph = node.get("@graph")
            for member in [node, *(graph if isinstance(graph, list) else [])]:
                if isinstance(member, dict):
                    yield member
                    main = member.get("mainEntity")
                    yield from (m for m in (main if isinstance(main, list) else [main])
                                if isinstance(m, dict))


def is_article(node: dict) -> bool:
    """Whether a JSON-LD object is an article (NewsArticle, BlogPosting, Report, ...)."""
    kind = str(node.get("@type", "")).casefold()
    return any(t in kind for t in _ARTICLE_TYPES)


def fuller_body(bodies: list[EmbeddedBody], shown: list[str],
                title: str | None) -> EmbeddedBody | None:
    """The longest of ``bodies`` that is much longer than the ``shown`` lines and holds
    most of them; with nothing shown, the declared body of the article titled ``title``."""
    shown_words = sum(len(line.split()) for line in shown)
    probes = [_probe(line) for line in shown if len(line.split()) >= PROBE_LINE_WORDS]
    for body in bodies:
        if body.words < max(shown_words * LONGER_BY, shown_words + MIN_EXTRA_WORDS):
            continue
        if not shown:
            if body.declared and title and fold(body.headline) == fold(title):
                return body
            continue
        text = fold(body.plain)
        if probes and sum(probe in text for probe in probes) * 2 >= len(probes):
            return body
    return None


def _probe(line: str) -> str:
    words = fold(line).split()
    start = min(2, max(0, len(words) - PROBE_WORDS))
    return " ".join(words[start:start + PROBE_WORDS])


def _load(text: str | None):
    try:
        return json.loads(text or "", strict=False)
    except ValueError:  # broken JSON in a page is common; the page's markup remains
        return None


def _nodes(data) -> Iterator:
    """Every value in ``data`` and in what it holds, in document order."""
    stack = [data]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack.extend(reversed(node.values()))
        elif isinstance(node, list):
            stack.extend(reversed(node))
