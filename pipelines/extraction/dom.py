"""DOM rules: what is cut from the parsed page before trafilatura reads it.

In this order, each named by the rule it reports:
- ``before-headline``: everything the page puts before the article's headline
  element (teaser cards, tickers, "latest" strips). Skipped when more
  paragraph-sized text precedes the headline than follows it.
- phrase boxes (``read-also``, ``teaser``): the smallest block whose text starts
  with a read-also or teaser phrase and carries a link, with the wrappers that
  hold nothing else (detik's ``table.linksisip``, kompas's inner "Baca juga"
  paragraph); inside a paragraph, the phrase element and the link after it.
  Cutting them here keeps a phrase and its linked title together, which line
  rules cannot do once trafilatura has put them on separate lines.
- a list label with its list (``trailing-list``: "Berita Lainnya" + links); a
  label over a ``ul``/``ol`` of plain items ("Rekomendasi" over a report's
  points) is the article's own and is reported in ``Pruned.body_labels``;
- known widgets by class or id (``read-also``, ``ad``, ``share``, ``comments``; see
  rules.toml); one that comes after the article (a comment thread, of any length)
  only when it does not hold the first sentence after the headline;
- bodies without paragraphs: an inline element split by ``<br>`` right inside a block
  (a ``<span>`` or ``<font>`` body), or a ``<div>`` of a body's length of text and
  inline elements split by ``<br><br>``, gets its lines as ``<p>`` paragraphs, so
  trafilatura weighs them apart from the cards beside them; a box inside such a body
  (a caption, an ad) stands between two paragraphs instead of gluing the text after
  it onto its own. Nothing is removed by this step.
- loose text: an article container whose first paragraph is bare text before its
  ``<p>`` children (old detik and kapanlagi templates) gets it wrapped in a ``<p>``
  so trafilatura keeps it; a bare dateline there ("<b>Jakarta</b> -") joins the
  paragraph after it. Nothing is removed by this step.
- a hidden continuation: paragraphs hidden after the body's first ones until a reader
  presses "read more" ("Baca selengkapnya") are shown to trafilatura, which drops every
  hidden element. Nothing is removed by this step.
- gallery captions: a page whose figure captions outweigh its paragraphs (a photo
  gallery) gets its captions as paragraphs, each without its closing picture credit
  (``credit``).
- the article body: on a page with no ``<article>`` or ``<main>``, the block holding
  the most paragraph text is marked as the body, so that trafilatura reads its lists
  and subheadings with its paragraphs. Nothing is removed by this step.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from lxml.etree import XPath
from lxml.html import HtmlElement

from pipelines.extraction.rules import DomRules, Rules, fold, removal, spaced
from pipelines.extraction.titles import lone_heading

__all__ = ["Pruned", "find_headline", "is_hidden_summary", "prune_page", "visible_text"]

INLINE_TAGS = frozenset(
    {"a", "strong", "b", "em", "i", "u", "span", "font", "small", "mark", "sup", "sub", "label"}
)
NEVER_CUT = frozenset({"html", "body", "article", "main", "head"})
LIST_TAGS = frozenset({"ul", "ol", "div", "section", "table", "dl", "p", "nav"})
# Page furniture that trafilatura drops anyway: cut quietly, not reported.
QUIET_TAGS = frozenset(
    {"script", "style", "noscript", "nav", "header", "footer", "form", "iframe", "svg",
     "button", "select", "input", "template", "link", "meta", "aside"}
)
REPORT_MIN_WORDS = 8  # a cut before the headline is reported if it reads like text
MIN_LIST_LINK_SHARE = 0.6
# A list (ul, ol), or paragraphs written as its points ("1. …"), whose text is at most
# this much links is the article's own: the points of a report, not titles of other articles.
BODY_LIST_TAGS = frozenset({"ul", "ol"})
MAX_BODY_LIST_LINK_SHARE = 0.2
_LONG_PARAGRAPH = "p[string-length(normalize-space(.)) > 150]"
# A teaser card's excerpt: a paragraph beside a link (the card's headline), not in a body.
_NOT_A_CARD = "[not(../*[not(self::p)][descendant-or-self::a])]"
MIN_LOOSE_CHARS = 80  # bare text this long beside paragraphs is a paragraph itself
MAX_PARAGRAPH_LINK_SHARE = 0.5  # a text more links than this is no paragraph but a teaser
_LOOSE_CONTAINERS = XPath("//body//*[self::div or self::td or self::section or self::article]"
                          "[text()[normalize-space()]][p]")
# An inline element holding paragraphs split by <br> right inside a block: an article body
# written as one <span> or <font>, which trafilatura reads as a block (it loses the
# text before the first <br> when a block that shows nothing stands before it).
_INLINE_BODY = ("[br][parent::div or parent::td or parent::section or parent::article]"
                f"[string-length(normalize-space()) >= {MIN_LOOSE_CHARS}]")
# A block of text and inline elements split by <br><br>: an article body with no <p>,
# whose lines trafilatura weighs as one block with whatever cards sit beside it. Boxes
# inside it (a caption, an ad, a related-links box) stand between its paragraphs.
_BREAK_BLOCKS = XPath("//body//div[count(br) >= 2]")
MIN_BREAK_BODY_CHARS = 400  # of its own text, outside the boxes
_INLINE_BODIES = XPath(f"//body//span{_INLINE_BODY} | //body//font{_INLINE_BODY}")
# the first text inside an element (not a tail): where a box's phrase or label stands
_OPENING_TEXTS = XPath("//body//*[not(self::script or self::style)]/text()[1][normalize-space()]")
_WITH_CLASS = XPath("//body//*[@class or @id]")
_LEAD = ("text()[string-length(normalize-space()) >= 40]"
         "[not(ancestor::script or ancestor::style or ancestor::a)][1]")
_LEAD_AFTER = XPath("following::" + _LEAD)
_LEAD_IN_BODY = XPath("(//body//" + _LEAD + ")[1]")
_VISIBLE_TEXT = XPath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")
_CAPTIONS = XPath("//body//figcaption")
_PARAGRAPH_PARENTS = XPath("//body//p/parent::*")
_MARKED_BODY = XPath("(//*[@itemprop='articleBody'])[1]")
MIN_BODY_CHARS = 400  # of paragraph text in the block taken for the article body
_PARAGRAPHS_OUTSIDE_FIGURES = XPath("//body//p[not(ancestor::figure)]")
MIN_GALLERY_CAPTIONS = 2
_NOT_WORD = re.compile(r"[\W_]+")
_HIDDEN_TOKENS = frozenset({"hide", "hidden", "d-none", "sr-only", "visually-hidden", "invisible"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HIDING_STYLE = re.compile(r"(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?;?",
                           re.IGNORECASE)
_HIDDEN_BLOCKS = XPath("//body//*[self::div or self::section or self::span]"
                       "[@hidden or @aria-hidden='true' or contains(@style, 'none') "
                       "or contains(@style, 'hidden') or contains(@class, 'hid') "
                       "or contains(@class, 'none') or contains(@class, 'invisible')][.//p]")
MIN_CONTINUATION_PARAGRAPHS = 2
_FURNITURE = frozenset({"nav", "aside", "header", "footer", "form", "dialog", "template"})
# Clipping, not hiding: "overflow: hidden" keeps a box's text shown.
_OVERFLOW_HIDDEN = re.compile(r"overflow(?:-[xy])?\s*:\s*hidden\s*(?:!important\s*)?;?", re.IGNORECASE)
_STYLED_HIDDEN = XPath("//body//*[contains(@style, 'hidden')]")
_TEXT_STARTING = XPath("//body//text()[contains(., $start)]")
_COLON = re.compile(r"^[^:：]{2,30}[:：]")
_POINT = re.compile(r"\s*(?:(?:\d{1,2}|[a-z])[.)]|[-•*–])\s", re.IGNORECASE)


@dataclass
class Pruned:
    """What ``prune_page`` did: the removals (``{"line", "rule"}``) and the labels
    ("Rekomendasi", "Terkini") that head a list of plain items in the article,
    which the line rules must not take for a trailing list of links."""

    removed: list[dict]
    body_labels: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    return _NOT_WORD.sub("", fold(text))


def visible_text(element: HtmlElement) -> str:
    """The text a reader sees in ``element`` (no script or style), spaces folded."""
    return spaced("".join(_VISIBLE_TEXT(element)))


def _attached(element: HtmlElement, root: HtmlElement) -> bool:
    """Whether ``element`` is still in the page: a cut subtree keeps its document
    (``getroottree`` would still name the page), not its way up to the root."""
    top = element
    for top in element.iterancestors():
        pass
    return top is root


def _link_share(element: HtmlElement) -> float:
    total = len(spaced(element.text_content()))
    linked = sum(len(spaced(a.text_content())) for a in element.iter("a"))
    return linked / total if total else 0.0


def find_headline(tree: HtmlElement, dom: DomRules, title: str | None) -> HtmlElement | None:
    """The element that shows ``title``; else the page's one headline-long ``<h1>`` (a
    page may head the article with other words than its title metadata)."""
    title_key = _key(title or "")
    if len(title_key) >= 8:
        for element in dom.headline(tree):
            key = _key(element.text_content())
            shorter, longer = sorted((key, title_key), key=len)
            if len(shorter) >= 8 and shorter in longer and len(shorter) >= 0.5 * len(longer):
                return element
    return lone_heading(tree)


def _cut_before_headline(headline: HtmlElement) -> list[dict]:
    if headline.xpath(f"count(preceding::{_LONG_PARAGRAPH}{_NOT_A_CARD})") > headline.xpath(
        f"count(following::{_LONG_PARAGRAPH})"
    ):
        return []  # the text sits before the headline: not a layout to trust
    removed = []
    node = headline
    while node.tag != "body" and (parent := node.getparent()) is not None:
        for sibling in list(node.itersiblings(preceding=True)):
            if isinstance(sibling.tag, str) and sibling.tag not in QUIET_TAGS:
                text = visible_text(sibling)
                if len(text.split()) >= REPORT_MIN_WORDS:
                    removed.append(removal(text, "before-headline"))
            sibling.tail = None
            parent.remove(sibling)
        parent.text = None
        node = parent
    return removed


def _widest(element: HtmlElement, text: str) -> HtmlElement:
    """``element`` or the outermost wrapper around it that holds no other text."""
    while (parent := element.getparent()) is not None and parent.tag not in NEVER_CUT:
        raw = parent.text_content()
        if len(raw) > 2 * len(text) + 40 or spaced(raw) != text:  # length first: cheap
            break
        element = parent
    return element


def _block_of(element: HtmlElement) -> HtmlElement | None:
    while element is not None and element.tag in INLINE_TAGS:
        element = element.getparent()
    return element


def _cut_phrase_box(element: HtmlElement, rule: str, pattern: re.Pattern, dom: DomRules) -> list[dict]:
    block = _block_of(element)
    if block is None or block.tag in NEVER_CUT:
        return []
    text = spaced(block.text_content())
    if (
        pattern.match(text)
        and len(text) <= dom.max_widget_chars
        and (block.tag == "a" or block.find(".//a") is not None)
    ):
        _widest(block, text).drop_tree()
        return [removal(text, rule)]
    if element.tag not in INLINE_TAGS or not _COLON.search(spaced(element.text_content() + (element.tail or ""))):
        return []
    # the phrase stands inside a paragraph as a label ("<b>Baca juga:</b> <a>…</a>"):
    # cut it and the link that follows it
    parts = [element]
    if element.tag != "a" and element.find(".//a") is None:
        for sibling in element.itersiblings():
            if sibling.tag != "a":
                break
            parts.append(sibling)
            if (sibling.tail or "").strip(" :|-–—»\u00a0"):
                break
    if len(parts) == 1 and element.tag != "a" and element.find(".//a") is None:
        return []
    text = " ".join(spaced(p.text_content()) for p in parts)
    for part in parts:
        part.drop_tree()
    return [removal(text, rule)]


def _cut_labelled_list(element: HtmlElement, dom: DomRules, pruned: Pruned) -> bool:
    """Cut a label and the list of links after it; note a label over a list of
    the article's own (plain items) in ``pruned.body_labels``. Whether it cut."""
    label = spaced(element.text_content())
    if not dom.list_labels.match(label):
        return False
    target = _widest(element, label)
    listing = target.getnext()
    if listing is None or listing.tag not in LIST_TAGS:
        return False
    text = spaced(listing.text_content())
    share = _link_share(listing)
    if ((listing.tag in BODY_LIST_TAGS or _points(listing)) and share <= MAX_BODY_LIST_LINK_SHARE
            and not dom.plain_list_labels.match(label)):
        pruned.body_labels.append(label)  # "Rekomendasi" over the report's recommendations
        return False
    if len(text) > dom.max_list_chars or share < MIN_LIST_LINK_SHARE:
        return False
    listing.drop_tree()
    target.drop_tree()
    pruned.removed.append(removal(f"{label} {text}", "trailing-list"))
    return True


def _points(first: HtmlElement) -> bool:
    """Whether ``first`` opens two or more paragraphs written as the points of a list
    ("1. …", "b) …", "• …")."""
    if first.tag != "p":
        return False
    run = itertools.chain([first], itertools.takewhile(lambda e: e.tag == "p", first.itersiblings()))
    marked = itertools.takewhile(lambda e: _POINT.match(e.text_content()), run)
    return sum(1 for _ in itertools.islice(marked, 2)) == 2


def _cut_phrase_widgets(tree: HtmlElement, dom: DomRules, pruned: Pruned) -> None:
    candidates = []
    # text nodes, not elements: no element object is made for the many that do not match
    for text in _OPENING_TEXTS(tree):
        if not text.is_text:
            continue  # the tail of an earlier child, not the element's opening text
        label = dom.list_labels.match(text) is not None
        phrase = next(((r, p) for r, p in dom.widget_phrases.items() if p.match(text)), None)
        if label or phrase:
            candidates.append((text.getparent(), label, phrase))
    for element, label, phrase in candidates:
        if not _attached(element, tree):
            continue  # inside a box already cut
        if label and _cut_labelled_list(element, dom, pruned):
            continue
        if phrase is not None:
            pruned.removed += _cut_phrase_box(element, *phrase, dom)


def _lead_text(tree: HtmlElement, headline: HtmlElement | None) -> HtmlElement | None:
    """The element holding the first sentence-long text after the headline (or in
    the body): where the article starts."""
    found = _LEAD_AFTER(headline) if headline is not None else _LEAD_IN_BODY(tree)
    if not found:
        return None
    owner = found[0].getparent()
    return owner.getparent() if found[0].is_tail else owner


def _holds(element: HtmlElement, inner: HtmlElement | None) -> bool:
    if inner is None:
        return False
    return inner is element or any(e is element for e in inner.iterancestors())


def _cut_widgets(tree: HtmlElement, dom: DomRules, headline: HtmlElement | None) -> list[dict]:
    removed = []
    lead = _lead_text(tree, headline)
    for element in _WITH_CLASS(tree):
        names = f"{element.get('class', '')} {element.get('id', '')}"
        widget = next((w for w in dom.widgets if w.names.search(names)), None)
        if widget is None or element.tag in NEVER_CUT or not _attached(element, tree):
            continue
        text = visible_text(element)
        if len(text) > widget.max_chars or element.find(".//h1") is not None:
            continue  # markup gone wrong: this "widget" holds the article
        if widget.after_article and _holds(element, lead):
            continue  # a wrapper of the article whose class merely names the widget
        if text:
            removed.append(removal(text, widget.rule))
        element.drop_tree()
    return removed


def _captions_as_text(tree: HtmlElement, dom: DomRules, removed: list[dict]) -> None:
    """A photo gallery tells its story in captions: when the figure captions hold
    more words than the paragraphs outside figures, they become paragraphs (which
    trafilatura keeps; it drops figures), each without its picture credit."""
    captions = _CAPTIONS(tree)
    if len(captions) < MIN_GALLERY_CAPTIONS:
        return
    caption_words = sum(len(visible_text(caption).split()) for caption in captions)
    if caption_words <= sum(len(visible_text(p).split()) for p in _PARAGRAPHS_OUTSIDE_FIGURES(tree)):
        return
    for caption in captions:
        figure = caption.getparent()
        caption.tag = "p"
        if figure is not None and figure.tag == "figure":
            figure.tag = "div"
        credit = _cut_credit(caption, dom.caption_credit)
        if credit:
            removed.append(removal(credit, "credit"))


def _cut_credit(caption: HtmlElement, credit: re.Pattern) -> str | None:
    """Cut the picture credit that closes ``caption``'s last text, or its last element
    (``<span class="credit">``), when words come before it; return the credit."""
    last = caption[-1] if len(caption) else None
    if last is not None and not (last.tail or "").strip():
        whole = visible_text(last)
        if whole and credit.fullmatch(" " + whole) and visible_text(caption) != whole:
            last.drop_tree()
            return whole
        return None
    text = last.tail if last is not None else caption.text
    match = credit.search(text or "")
    if match is None or not (text[:match.start()].strip() or last is not None):
        return None
    if last is not None:
        last.tail = text[:match.start()]
    else:
        caption.text = text[:match.start()]
    return match.group().strip()


def _inline(element) -> bool:
    return not isinstance(element.tag, str) or element.tag in INLINE_TAGS or element.tag == "br"


def _is_break_body(block: HtmlElement) -> bool:
    """Whether ``block`` holds an article body written as lines split by ``<br>``: its
    own text and inline elements, outside the boxes it holds, are a body's length."""
    own = [block.text or ""]
    for child in block:
        if _inline(child) and isinstance(child.tag, str):
            own.append(child.text_content())
        own.append(child.tail or "")
    return len(spaced("".join(own))) >= MIN_BREAK_BODY_CHARS


def _paragraphs_at_breaks(element: HtmlElement) -> None:
    """Make ``element`` a block whose lines between ``<br>`` are paragraphs; a box it
    holds (a block element) stands between them, the text after it a paragraph."""
    element.tag = "div"
    paragraph = element.makeelement("p", {})
    paragraph.text, element.text = element.text, None
    parts = [paragraph]
    for child in list(element):
        if child.tag == "br" or not _inline(child):
            paragraph = element.makeelement("p", {})
            paragraph.text, child.tail = child.tail, None
            parts += [paragraph] if child.tag == "br" else [child, paragraph]
            if child.tag == "br":
                element.remove(child)
        else:
            paragraph.append(child)
    element.extend(p for p in parts if p.tag != "p" or len(p) or (p.text or "").strip())


def _run_text(text: str | None, run: list[HtmlElement]) -> str:
    return spaced((text or "") + "".join(e.text_content() + (e.tail or "") for e in run))


def _loose_runs(container: HtmlElement):
    """``(owner, run, following)`` for each stretch of bare text and inline elements
    between block children; the run's leading text is ``owner.text`` when the
    owner is the container, else ``owner.tail``."""
    run, owner = [], container
    for child in container:
        if isinstance(child.tag, str) and (child.tag in INLINE_TAGS or child.tag == "br"):
            run.append(child)
        else:
            yield owner, run, child
            run, owner = [], child
    yield owner, run, None


def _take_lead(container: HtmlElement, owner: HtmlElement) -> str:
    if owner is container:
        lead, container.text = container.text, None
    else:
        lead, owner.tail = owner.tail, None
    return lead or ""


def _wrap_loose_text(tree: HtmlElement, dateline: re.Pattern) -> None:
    for container in _LOOSE_CONTAINERS(tree):
        for owner, run, following in list(_loose_runs(container)):
            lead = owner.text if owner is container else owner.tail
            text = _run_text(lead, run)
            if len(text) >= MIN_LOOSE_CHARS:
                lead = _take_lead(container, owner)
                paragraph = container.makeelement("p", {})
                if run:
                    run[0].addprevious(paragraph)
                elif owner is container:
                    container.insert(0, paragraph)
                else:
                    owner.addnext(paragraph)
                paragraph.text = lead
                paragraph.extend(run)
            elif following is not None and following.tag == "p" and text and dateline.match(text + " "):
                # a bare dateline ("<b>Jakarta</b> -") joins the paragraph it opens
                lead = _take_lead(container, owner)
                opening = following.text or ""
                following.text = lead
                for position, element in enumerate(run):
                    following.insert(position, element)
                if run:
                    run[-1].tail = (run[-1].tail or "") + opening
                else:
                    following.text = lead + opening


def _div_paragraphs(tree: HtmlElement) -> None:
    """Make a ``<div>`` of text among the ``<p>`` paragraphs of a block a ``<p>`` too: editors
    that paste text write paragraphs both ways, and trafilatura, once a body has
    paragraphs, takes such a ``<div>`` for a box and drops it. A ``<div>`` holding only
    inline elements and text, of a paragraph's length and mostly not links, is one."""
    for holder in _PARAGRAPH_PARENTS(tree):
        if len(holder.findall("p")) < 2:
            continue
        for child in holder.iterchildren("div"):
            if (all(map(_inline, child)) and len(spaced(child.text_content())) >= MIN_LOOSE_CHARS
                    and _link_share(child) < MAX_PARAGRAPH_LINK_SHARE):
                child.tag = "p"


def _unclip(tree: HtmlElement) -> None:
    """Take "overflow: hidden" out of inline styles: trafilatura drops every element
    whose style says "hidden", and a body's paragraphs inside a box clipped to its
    size (a common wrapper) went with it."""
    for element in _STYLED_HIDDEN(tree):
        element.set("style", _OVERFLOW_HIDDEN.sub("", element.get("style")))


def _reveal_continuations(tree: HtmlElement) -> None:
    """Show the paragraphs a page hides after the body's first ones until a reader
    presses "read more" (or hides from screen readers, ``aria-hidden``, which
    trafilatura drops too): a hidden block of two paragraphs or more, mostly not links,
    that follows shown paragraphs among its siblings, is followed by none and repeats
    none of them. A hidden copy of the summary or a text for search engines among the
    paragraphs, a one-paragraph prompt (a newsletter, a cookie notice), a dialog or a
    menu is none of these."""
    for block in _HIDDEN_BLOCKS(tree):
        if not (_hides_itself(block) or block.get("aria-hidden") == "true") or any(
                node.tag in _FURNITURE or node.get("role") == "dialog"
                for node in itertools.chain((block,), block.iterancestors())):
            continue
        paragraphs = _paragraphs([block])
        if (len(paragraphs) < MIN_CONTINUATION_PARAGRAPHS or _hidden(block.getparent())
                or _link_share(block) >= MAX_BODY_LIST_LINK_SHARE):
            continue
        shown = [p for p in _paragraphs(block.itersiblings(preceding=True)) if not _hidden(p)]
        before = {_key(p.text_content()) for p in shown}
        if (shown and not any(not _hidden(p) for p in _paragraphs(block.itersiblings()))
                and not before.intersection(_key(p.text_content()) for p in paragraphs)):
            _show(block)


def _paragraphs(elements) -> list[HtmlElement]:
    """The paragraphs of a paragraph's length among ``elements`` and inside them."""
    return [p for element in elements
            for p in ([element] if element.tag == "p" else element.iter("p"))
            if len(spaced(p.text_content())) >= MIN_LOOSE_CHARS]


def _hides_itself(element: HtmlElement) -> bool:
    """Whether ``element``'s own attributes hide it from readers: its ``hidden``
    attribute, a ``display:none`` style or a ``hide``-like class."""
    return (element.get("hidden") is not None
            or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
            or bool(_HIDDEN_TOKENS.intersection((element.get("class") or "").split())))


def _show(element: HtmlElement) -> None:
    """Take out what hides ``element``: its ``hidden`` and ``aria-hidden`` attributes,
    a hiding style and hiding class names."""
    for name in ("hidden", "aria-hidden"):
        element.attrib.pop(name, None)
    if element.get("style"):
        element.set("style", _HIDING_STYLE.sub("", element.get("style")))
    if element.get("class"):
        element.set("class", " ".join(c for c in element.get("class").split()
                                      if c not in _HIDDEN_TOKENS))


def _mark_body(tree: HtmlElement) -> None:
    """On a page with no ``<article>`` or ``<main>`` and no body marked, mark the block
    holding the most paragraph text as the article body (schema.org's
    ``itemprop="articleBody"``, which trafilatura reads first). With no container it
    knows (a class such as ``detail-desc``), trafilatura recovers paragraphs alone and
    drops the article's lists and subheadings."""
    if next(tree.iter("article", "main"), None) is not None or _MARKED_BODY(tree):
        return
    best, most = None, MIN_BODY_CHARS - 1
    for holder in _PARAGRAPH_PARENTS(tree):
        if holder.tag not in ("div", "section", "td"):
            continue
        paragraphs = list(holder.iterchildren("p"))
        chars = sum(len(p.text_content()) for p in paragraphs) if len(paragraphs) >= 2 else 0
        if chars > most and not any(a.tag in ("nav", "aside", "footer")
                                    for a in holder.iterancestors()):
            best, most = holder, chars
    if best is not None:
        best.set("itemprop", "articleBody")


def is_hidden_summary(tree: HtmlElement, line: str, summary: str | None) -> bool:
    """Whether ``line`` is the page's ``summary`` (its meta description) and the whole
    text of an element hidden from readers (by its ``hidden`` attribute, a
    ``display:none`` style or a ``hide``-like class, its own or an ancestor's): a copy
    kept for search engines, which trafilatura takes for the story's first line."""
    if _key(line) != _key(summary or ""):
        return False
    key = _key(line)
    for text in _TEXT_STARTING(tree, start=line[:20]) if key else ():
        if text.is_tail:
            continue
        # the text's element, or the one wrapping it ("<h4 class=hide><span>...")
        parent = text.getparent()
        for element in itertools.islice(itertools.chain((parent,), parent.iterancestors()), 2):
            shown = visible_text(element)
            if len(shown) > 2 * len(line):
                break
            if _key(shown) == key:
                if _hidden(element):
                    return True
                break
    return False


def _hidden(element: HtmlElement) -> bool:
    """Whether ``element`` or one of its ancestors is hidden by its attributes."""
    return any(map(_hides_itself, itertools.chain((element,), element.iterancestors())))


def prune_page(tree: HtmlElement, rules: Rules, headline: HtmlElement | None) -> Pruned:
    """Cut boilerplate out of ``tree`` in place; return what was cut, by rule, and
    the list labels that head the article's own lists.
    ``headline`` is the element that shows the title (``find_headline``)."""
    dom = rules.dom
    pruned = Pruned(_cut_before_headline(headline) if headline is not None else [])
    _cut_phrase_widgets(tree, dom, pruned)
    pruned.removed += _cut_widgets(tree, dom, headline)
    for body in [*_INLINE_BODIES(tree), *filter(_is_break_body, _BREAK_BLOCKS(tree))]:
        _paragraphs_at_breaks(body)
    _wrap_loose_text(tree, rules.dateline)
    _div_paragraphs(tree)
    _unclip(tree)
    _reveal_continuations(tree)
    _captions_as_text(tree, dom, pruned.removed)
    _mark_body(tree)
    return pruned
