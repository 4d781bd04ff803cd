"""Who wrote the article: the page's author metadata, the byline, a link to the author's page.

The metadata author (``<meta name="author">``, JSON-LD, else metadata naming the role
itself, "content_author", else trafilatura's search of the page's byline; never one
the page or its metadata, "content_editor", names as the editor) is kept without the
parts that name the outlet or a CMS account,
each name without its titles ("Dr. Budi Santoso, S.H., M.H." is Budi Santoso). When
those are all it names ("Tim Redaksi", "Kompas Cyber Media"), the byline is read.
When the page names nobody that way, a link beside the headline to the author's own
page ("/penulis/ratna-kusumawardani") or a name beside a role label there ("Jurnalis")
gives the name, else an element of its own naming the writer anywhere in the article
("Penulis: Glery Lazuardi"), else a sign-off in capitals closing the story ("DINI TEJA").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from string import capwords
from urllib.parse import urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement, tostring
from trafilatura.metadata import extract_author
from trafilatura.settings import Document

from pipelines.extraction.dates import DAYS, MONTHS
from pipelines.extraction.rules import Rules, fold, spaced

__all__ = ["BODY_WORDS", "DOMAIN", "OUTSIDE_ARTICLE", "article_author", "byline_author", "clean_author",
           "may_mark_byline", "signoff_author"]

DOMAIN = re.compile(r"\w\.(?:com|co|id|net|org|tv|news)\b")
# a domain as trafilatura leaves it in an author ("Tribunnews.com" -> "Tribunnews com")
_AUTHOR_DOMAIN = re.compile(r"\w(?:\.| )(?:com|co\.id|co id|net|org)$")
BODY_WORDS = 25  # an element with this many words of its own text: the article has begun
NAME_WORDS = 5  # a link's text longer than this is no name
_LABEL_CHARS = 30  # a role label's own text is no longer ("Laporan Wartawan")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
OUTSIDE_ARTICLE = {"nav", "aside", "footer"}
_SIGNOFF_SEPARATOR = re.compile(r"\s*[|,/]\s*")
_BREAK = "\ue000"  # where a <br> broke a line (a private-use character, not a space)
_LABELLED_TEXTS = XPath("//body//text()[contains(., ':')][not(ancestor::script or ancestor::style)]")
# Where a byline separates people: a comma, a semicolon, "dan" / "and" / "&" between names.
_SEPARATOR = re.compile(r"\s*[;,]\s*|\s+(?:dan|and|&)\s+")
# An academic degree after a name: letter groups each closed by a dot ("S.H.", "M.Si.",
# "Ph.D.", "S.I.Kom.") or capitals alone ("SH", "MBA"). A name's initial stands apart
# from the name ("M. Ali"), a degree's letters do not.
_DOTTED = re.compile(r"(?:[A-Z][A-Za-z]{0,3}\.)+[A-Z][A-Za-z]{0,3}\.?")
_CAPITALS = re.compile(r"[A-Z]{2,4}")
_META_ROLE = re.compile(r"(?:^|[_:.-])(author|editor)$")  # "content_author", "article:author"
_DEGREE_WORDS = 4  # the letters of a degree as trafilatura spaces them: "S I Kom"
# What trafilatura's byline search (AUTHOR_XPATHS) looks for, lowercased, in the
# attributes it reads: an element with none of these it never picks.
_BYLINE_ATTRIBUTES = ("id", "class", "itemprop", "data-testid", "data-component", "rel")
_BYLINE_WORDS = re.compile("author|byl|bbl|username|screenname|writer|zuozhe|bianji|xiaobian|"
                           "channel-name|submitted-by|posted-by|journalist-name")


def article_author(tree: HtmlElement, metadata: Document, headline: HtmlElement | None,
                   rules: Rules) -> str | None:
    """The article's authors, "; "-separated, or None when the page names nobody.
    An editor is no author: a byline naming only the editor ("Editor: Maria Christina")
    names nobody, and metadata naming the one the page labels its editor ("Editor: B
    Kunto Wibisono") gives way to a writer the byline names; when none is named, what
    the metadata says stands."""
    declared = _declared_roles(tree)
    editors = _labelled_editors(tree, rules) | {fold(name) for name in declared["editor"]}
    author = clean_author(metadata.author, metadata.sitename, rules, tree)
    editor = None
    if author is not None and fold(author) in editors:
        author, editor = None, author
    # none, a team account, the outlet, the editor: the page's other author metadata
    # ("content_author"), else a byline, may name people
    for found in (lambda: "; ".join(declared["author"]), lambda: _marked_byline(tree)):
        if author is None:
            author = clean_author(found(), metadata.sitename, rules, tree)
            if author is not None and fold(author) in editors:
                author = None
    if author is None and headline is not None:
        author = clean_author(_headline_author(headline, rules), metadata.sitename, rules)
    if author is None:
        author = clean_author(_writer_byline(tree, rules), metadata.sitename, rules)
    return author or editor


def _marked_byline(tree: HtmlElement) -> str | None:
    """trafilatura's search of the page's byline markup (``extract_author``), skipped on
    a page with no element it could pick: the search runs regular expressions over every
    element, about 8 ms a page."""
    return extract_author(tree) if may_mark_byline(tree) else None


def may_mark_byline(tree: HtmlElement) -> bool:
    """Whether the page has an element trafilatura's byline search could pick: an
    ``<author>`` or ``<rel>``, or one with a byline word in an attribute it reads."""
    if next(tree.iter("author", "rel"), None) is not None:
        return True
    empty = [""] * len(_BYLINE_ATTRIBUTES)
    return any(_BYLINE_WORDS.search(" ".join(map(element.attrib.get, _BYLINE_ATTRIBUTES, empty)).lower())
               for element in tree.iter() if element.attrib)


def _declared_roles(tree: HtmlElement) -> dict[str, list[str]]:
    """The names the page's ``<meta>`` tags give its author and its editor under keys of
    their own naming the role last ("content_author", "content_editor",
    "article:author"), beside the ones trafilatura reads."""
    roles: dict[str, list[str]] = {"author": [], "editor": []}
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().casefold()
        role = _META_ROLE.search(key)
        content = " ".join((meta.get("content") or "").split())
        if role and content and content not in roles[role[1]]:
            roles[role[1]].append(content)
    return roles


def byline_author(bylines: list[str], site_name: str | None, rules: Rules) -> str | None:
    """The writers the byline lines cut from the text name ("Oleh Sekar Ayu Lestari",
    "Penulis Irma Susanti | Editor Krisiandi Putra" -> "Irma Susanti"), for a page
    whose metadata and markup name nobody; a line an editor's label opens, or no
    writer's label at all ("Sumber: Antara"), names nobody."""
    names = [_byline_name(line, rules) for line in bylines
             if rules.author_label.match(line + " ") and not rules.other_role.match(line + " ")]
    return clean_author("; ".join(names), site_name, rules) if names else None


def signoff_author(signoffs: list[str], site_name: str | None, rules: Rules) -> str | None:
    """The reporters a closing sign-off in capitals names ("ANTON SEPTIAN | REZA ADITYA"
    -> "Anton Septian; Reza Aditya"), for a page whose metadata names nobody."""
    names = [capwords(name) for line in signoffs for name in _SIGNOFF_SEPARATOR.split(line)]
    return clean_author("; ".join(names), site_name, rules) if names else None


def clean_author(author: str | None, site_name: str | None, rules: Rules,
                 page: HtmlElement | None = None) -> str | None:
    """``author`` as the names of people, "; "-separated: without the parts that name the
    outlet or a CMS account ("Kompas Cyber Media; Robertus Belarminus" -> "Robertus
    Belarminus"), each name without the byline around it ("Reporter: Bayu Saputra Editor:
    Hendra" -> "Bayu Saputra") and without its titles ("Dr. Budi Santoso, S.H., M.H." ->
    "Budi Santoso": one person is one author whatever an outlet prints around the name);
    a part naming an editor goes ("Penulis Rina Marlina; Editor Yusuf Hakim" -> "Rina
    Marlina"; "Editor: Yusuf Hakim" names nobody). ``page`` is the page a metadata
    author was read from, where its degrees show the dots trafilatura takes away."""
    if not author:
        return None
    site = fold(site_name or "")
    parts = [" ".join(part.split()) for part in author.split(";")]
    writers = [part for part in parts if not rules.other_role.match(part + " ")]
    names = [name for part in writers for name in _SEPARATOR.split(_byline_name(part, rules))]
    kept = []
    for i, name in enumerate(names):
        if i and _is_degree(name, page):
            continue
        name = _without_degrees(name, names[i + 1:i + 2], page)
        name = _without_honorifics(name, rules)
        folded = fold(name)
        if (not folded or folded == site or _desk_account(folded, site)
                or rules.author_ignore.search(folded)
                or DOMAIN.search(folded) or _AUTHOR_DOMAIN.search(folded)
                or folded in MONTHS or folded in DAYS):
            continue
        if name not in kept:
            kept.append(name)
    return "; ".join(kept) or None


def _desk_account(folded: str, site: str) -> bool:
    """Whether an author of one word is the outlet's name with a desk's after it
    ("kumparanNEWS", "detikHealth" on detik): an account, not a person."""
    brand = site.replace(" ", "")
    return len(brand) >= 4 and " " not in folded and folded.startswith(brand) and folded != brand


def _is_degree(text: str, page: HtmlElement | None) -> bool:
    """Whether ``text``, after a name in a byline, is an academic degree ("S.H.", "MBA").
    trafilatura reads "S.H." as "S H": such letters are a degree when ``page`` shows them
    dotted ("M Si" is "M.Si.", "M Ali" is a name)."""
    if _DOTTED.fullmatch(text) or _CAPITALS.fullmatch(text):
        return True
    dotted = ".".join(text.split())
    if page is None or " " not in text or not _DOTTED.fullmatch(dotted):
        return False
    return re.search(rf"(?<![\w.]){re.escape(dotted)}\.", tostring(page, encoding="unicode")) is not None


def _without_degrees(name: str, following: list[str], page: HtmlElement | None) -> str:
    """``name`` without the degrees printed after it with no comma between: dotted ones
    ("Budi Santoso S.H." -> "Budi Santoso"; "S H" where ``page`` shows "S.H."), and
    capitals alone when a degree follows after a comma ("Budi Santoso SH, MH"); capitals
    alone with no degree after them may be part of the name ("Ahmad HM"), and a name in
    capitals keeps its every word."""
    words = name.split()
    ends_in_degree = bool(following) and _is_degree(following[0], page)
    while len(words) > 1:
        for size in range(min(len(words) - 1, _DEGREE_WORDS), 0, -1):
            tail = " ".join(words[-size:])
            if (_DOTTED.fullmatch(tail) or (size > 1 and _is_degree(tail, page))
                    or (ends_in_degree and _CAPITALS.fullmatch(tail) and not name.isupper())):
                del words[-size:]
                break
        else:
            break
    return " ".join(words)


def _without_honorifics(name: str, rules: Rules) -> str:
    """``name`` without the honorifics before it ("Prof. Dr. Ir. H. Ahmad Yani" -> "Ahmad
    Yani")."""
    words = name.split()
    while len(words) > 1 and rules.author_honorific.fullmatch(words[0]):
        words.pop(0)
    return " ".join(words)


def _byline_name(part: str, rules: Rules) -> str:
    """The name in one part of a byline: after a leading role label ("Penulis", "Oleh"),
    up to the next role or a mark that is no part of a name."""
    part = " ".join(part.split())
    label = rules.author_label.match(part + " ")
    if label:
        part = part[label.end():]
    end = rules.author_end.search(part + " ")  # a label closing the part ends it too
    return part[:end.start()].strip(" ,") if end else part


def _headline_author(headline: HtmlElement, rules: Rules) -> str | None:
    """The name between the headline and the article's first paragraph, outside
    navigation, sidebars and footers: shown by the first link to an author's page, or
    beside a role label of its own ("<div>Dewi Kania</div><span>Jurnalis</span>")."""
    for element in _after(headline):
        if any(ancestor.tag in OUTSIDE_ARTICLE for ancestor in element.iterancestors()):
            continue
        if element.tag == "a":
            name = spaced(element.text_content())
            if _is_name(name) and _links_author(element, name, rules):
                return name
        elif 0 < len((element.text or "").strip()) <= _LABEL_CHARS and rules.author_role.match(
                spaced(element.text_content())):
            name = _labelled_name(element, rules)
            if name:
                return name
        elif len((element.text or "").split()) >= BODY_WORDS or (
                element.tag == "p" and len(element.text_content().split()) >= BODY_WORDS):
            return None
    return None


def _writer_byline(tree: HtmlElement, rules: Rules) -> str | None:
    """The name in the first element of the page (outside navigation, sidebars and
    footers) whose whole text is a writer's label and a name: "Penulis: Glery Lazuardi"."""
    for text in _LABELLED_TEXTS(tree):
        element = text.getparent()
        if text.is_tail or any(a.tag in OUTSIDE_ARTICLE for a in element.iterancestors()):
            continue
        # the label's element, or the one holding the label and the name after it
        # ("<td><strong>Reporter :</strong> Issha Harruma</td>")
        for holder in (element, element.getparent()):
            shown = _shown_text(holder) if holder is not None else ""
            # the whole text, then each line a <br> starts ("Editor: Y<br>Pewarta: X")
            for line in dict.fromkeys([spaced(shown.replace(_BREAK, " ")),
                                       *map(spaced, shown.split(_BREAK))]):
                if rules.writer_byline.match(line):
                    name = _byline_name(line, rules)
                    if _is_name(name):
                        return name
    return None


def _labelled_editors(tree: HtmlElement, rules: Rules) -> set[str]:
    """The names (folded) the page labels as its editor's, photographer's and the like:
    "Editor: B Kunto Wibisono"."""
    names = set()
    for text in _LABELLED_TEXTS(tree):
        element = text.getparent()
        if text.is_tail:
            continue
        for holder in (element, element.getparent()):
            line = spaced(_shown_text(holder).replace(_BREAK, " ")) if holder is not None else ""
            role = rules.other_role.match(line)
            if role and len(line) <= _LABEL_CHARS + 60:
                name = line[role.end():]
                end = rules.author_end.search(name)
                names.add(fold(name[:end.start()] if end else name).strip(" ,"))
                break
    return names


def _shown_text(element: HtmlElement) -> str:
    """The text of ``element`` with ``_BREAK`` where a ``<br>`` breaks its line:
    "Pewarta: Budi Santoso<br>Editor: Maria" is two labels, not "SantosoEditor"."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_BREAK if child.tag == "br" else _shown_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _labelled_name(label: HtmlElement, rules: Rules) -> str | None:
    """The name in the element just after a role label, else just before it."""
    for sibling in (label.getnext(), label.getprevious()):
        if isinstance(sibling, HtmlElement):
            text = spaced(sibling.text_content())
            if _is_name(text) and not rules.author_role.match(text):
                return text
    return None


def _after(element: HtmlElement) -> Iterator[HtmlElement]:
    """The elements that follow ``element`` in document order (not its own children)."""
    node = element
    while node is not None:
        for sibling in node.itersiblings():
            yield from sibling.iter()
        node = node.getparent()


def _is_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= NAME_WORDS and words[0][:1].isupper()


def _links_author(link: HtmlElement, name: str, rules: Rules) -> bool:
    """Whether ``link`` leads to the page of the author ``name``: an address under an
    author path whose last part spells the name ("/kolumnis/ratna-kusumawardani" for
    "Ratna Kusumawardani"). trafilatura's byline search already takes ``rel="author"``."""
    parts = [part for part in urlsplit(link.get("href") or "").path.casefold().split("/") if part]
    if len(parts) < 2 or not rules.author_paths.intersection(parts[:-1]):
        return False
    slug = _NOT_LETTERS.sub("", parts[-1])
    words = [word for word in (_NOT_LETTERS.sub("", w) for w in fold(name).split()) if len(word) > 1]
    return bool(words) and all(word in slug for word in words)
