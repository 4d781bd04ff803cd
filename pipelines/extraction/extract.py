"""A fetched page in; headline, clean body text and metadata out. No Scrapy here.

The order of work: decode and parse the page once; read its metadata
(trafilatura's title, author and site name; the publication time with its
source) while the page is whole; cut boilerplate from the DOM (dom.py); let
trafilatura find the article text; drop boilerplate lines (lines.py), including
the site's learned template lines; keep no text of a page listing others (listing.py).
Pages 2..n of a multi-page article go through the same DOM, trafilatura and line
steps and are appended.

Bad input (empty, not HTML, no article, undecodable bytes, a bug) never raises:
the result carries a ``note`` that says what happened.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from lxml.html import HtmlElement, HTMLParser, fromstring
from trafilatura import bare_extraction
from trafilatura.utils import decode_file, load_html

from pipelines.extraction.authors import article_author, byline_author, signoff_author
from pipelines.extraction.dates import parse_machine_date
from pipelines.extraction.dom import Pruned, find_headline, is_hidden_summary, prune_page
from pipelines.extraction.lines import clean_lines
from pipelines.extraction.listing import listing_verdict, page_teasers
from pipelines.extraction.metadata import declared_language, page_metadata, published_time
from pipelines.extraction.pagedata import (
    EmbeddedBody,
    declared_listing,
    embedded_bodies,
    fuller_body,
    paywalled,
)
from pipelines.extraction.rules import Rules, fold, load_rules, removal, spaced
from pipelines.extraction.templates import template_candidates
from pipelines.extraction.titles import clean_title
from pipelines.language import detect_language
from storage.articles import NO_ARTICLE_TEXT

__all__ = ["TRAFILATURA_OPTIONS", "Extraction", "decode_html", "extract_page"]

logger = logging.getLogger(__name__)

_DEPTH_LIMIT = 255  # libxml2's HTML parser stops this deep unless told otherwise (huge_tree)
_DEEP_PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                          remove_comments=True, remove_pis=True, huge_tree=True)

# trafilatura's options, each on purpose:
TRAFILATURA_OPTIONS = {
    # Prefer losing a marginal line to keeping a teaser: precision mode prunes
    # link-dense blocks and lists, the shape of in-body boilerplate (realpages:
    # F1 0.94 -> 0.95 on its own).
    "favor_precision": True,
    # Keep the readability/jusText comparison: "fast" mode loses whole articles on
    # some templates (kompas 2015: F1 0.97 -> 0.51).
    "fast": False,
    # Reader comments are not the article.
    "include_comments": False,
    # Tables can be content (casualty figures, schedules); read-also tables are
    # cut by the DOM rules first.
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
    # trafilatura's dedup cache is process-global state shared across articles;
    # cross-article repetition is the job of template learning.
    "deduplicate": False,
    # Metadata is read separately, before the DOM rules cut bylines and headers.
    "with_metadata": False,
    "output_format": "python",
}
MIN_ARTICLE_WORDS = 15  # the shortest flash news runs to some 40 words; menus to a few
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


@dataclass
class Extraction:
    """What extraction makes of one page. ``removed`` lists ``{"line", "rule"}``
    for every piece of boilerplate cut; ``template_lines`` are the lines counted
    for the site's template learning."""

    title: str | None = None
    text: str = ""
    author: str | None = None
    published: str | None = None  # UTC ISO-8601
    published_source: str | None = None  # meta | json-ld | hint | text | url
    published_precision: str | None = None  # day (a date without a time) | time
    language: str | None = None
    site_name: str | None = None
    removed: list[dict] = field(default_factory=list)
    note: str | None = None
    template_lines: tuple[str, ...] = ()
    failed: bool = False  # extraction itself broke: the result says nothing of the page
    listing: bool = False  # a page listing others (a tag, section or search page): no article

    def report(self) -> dict:
        """The result as ``warta extract`` prints it."""
        data = asdict(self)
        del data["template_lines"], data["failed"], data["listing"]
        return data


def decode_html(data: bytes) -> tuple[str, str | None]:
    """Bytes to text: a byte-order mark, valid UTF-8 (whatever the page declares:
    old templates declare iso-8859-1 over UTF-8 text), the declared charset, a guess.
    The second value explains a declaration that could not be followed."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    note = None
    declared = _DECLARED.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", errors="replace")
        try:
            codec = codecs.lookup(name).name
            if codec.startswith(("utf-16", "utf-32")):
                # a declaration readable as ASCII cannot be in UTF-16 or UTF-32 (browsers
                # read such pages as 8-bit text too); a real one starts with its BOM
                note = f"declared encoding {name!r} cannot hold its own ASCII declaration; " \
                       "decoded by guessing"
            else:
                return _decode_declared(data, codec), None
        except LookupError:
            note = f"declared encoding {name!r} is unknown; decoded by guessing"
        except UnicodeDecodeError:
            note = f"page is not valid {name} as it declares; decoded by guessing"
    return decode_file(data), note


def _decode_declared(data: bytes, codec: str) -> str:
    """``data`` in its declared ``codec``; a page declared Latin-1 or ASCII is read as
    windows-1252, as browsers do (its curly quotes and dashes are in 0x80-0x9f)."""
    if codec in ("iso8859-1", "ascii"):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:  # one of the five bytes windows-1252 leaves undefined
            return data.decode("latin-1")
    return data.decode(codec)


def _load(html: str) -> tuple[HtmlElement | None, str | None]:
    """trafilatura's parse of ``html``, and a note when it had to be done again: libxml2
    stops parsing HTML nested deeper than ``_DEPTH_LIMIT`` elements (whatever follows is
    lost), so such a page is parsed again without that limit."""
    tree = load_html(html)
    if tree is None or _rightmost_depth(tree) < _DEPTH_LIMIT:
        return tree, None
    try:
        deeper = fromstring(html, parser=_DEEP_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported"
        deeper = fromstring(html.encode("utf-8", "surrogatepass"), parser=_DEEP_PARSER)
    return deeper, f"elements nested more than {_DEPTH_LIMIT} deep: parsed again without a limit"


def _rightmost_depth(tree: HtmlElement) -> int:
    """How deep the last element lies: a parse stopped by the depth limit ends that deep
    (a few steps from the root, on a complete page)."""
    depth = 0
    while len(tree):
        tree, depth = tree[-1], depth + 1
    return depth


def _page_lines(tree, rules: Rules, url: str | None, headline) -> tuple[list[str], Pruned]:
    """DOM rules, then trafilatura: the raw lines of the article and what the DOM rules did."""
    pruned = prune_page(tree, rules, headline)
    document = bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS)
    text = document.text if document is not None and document.text else ""
    return text.splitlines(), pruned


def _body_lines(body: EmbeddedBody, rules: Rules, url: str | None) -> list[str]:
    """The raw lines of an article text from the page's data (an HTML string goes
    through the DOM rules and trafilatura like a page)."""
    if not body.html:
        return body.text.splitlines()
    tree = load_html(f"<html><body><article>{body.text}</article></body></html>")
    return _page_lines(tree, rules, url, None)[0] if tree is not None else []


def _extract(html: str | bytes, url, hints, learned_lines, more_pages, rules) -> Extraction:
    notes = []
    if isinstance(html, bytes):
        html, note = decode_html(html)
        notes.append(note)
    if not html or not html.strip():
        return Extraction(note="empty page")
    tree, note = _load(html)
    notes.append(note)
    if tree is None:
        return Extraction(note="not an HTML page: nothing could be parsed")
    now = parse_machine_date(hints.get("fetched_at") or "")
    metadata = page_metadata(tree)
    title = clean_title(spaced(metadata.title or ""), metadata.sitename) or hints.get("title")
    headline = find_headline(tree, rules.dom, title)
    published = published_time(tree, rules, headline=headline, hint=hints.get("published"),
                               url=url, now=now)
    author = article_author(tree, metadata, headline, rules)
    declared = declared_language(tree)
    bodies = embedded_bodies(tree)  # before the DOM rules and trafilatura cut the scripts
    listing = declared_listing(tree)

    raw, pruned = _page_lines(tree, rules, url, headline)
    teasers = page_teasers(tree, url)  # on the page as trafilatura read it
    kept, dropped = clean_lines(raw, rules, title=title, learned=learned_lines,
                                body_labels=pruned.body_labels)
    removed = pruned.removed + dropped
    if kept and is_hidden_summary(tree, kept[0], metadata.description):
        removed.append(removal(kept.pop(0), "hidden-summary"))
    fuller = fuller_body(bodies, kept, title) if not more_pages else None
    if fuller is not None:
        shown = len(" ".join(kept).split())
        raw = _body_lines(fuller, rules, url)
        kept, dropped = clean_lines(raw, rules, title=title, learned=learned_lines)
        removed = pruned.removed + dropped
        notes.append(f"the page shows {shown} words of the article; the text is its "
                     f"{fuller.source} ({fuller.words} words)")
    for page in more_pages:
        page_tree, _ = _load(decode_html(page)[0] if isinstance(page, bytes) else page)
        if page_tree is None:
            notes.append("a further page could not be parsed")
            continue
        page_headline = find_headline(page_tree, rules.dom, title)
        page_raw, page_pruned = _page_lines(page_tree, rules, url, page_headline)
        page_kept, page_dropped = clean_lines(page_raw, rules, title=title, learned=learned_lines,
                                              body_labels=page_pruned.body_labels)
        present = {fold(line) for line in kept}
        kept += [line for line in page_kept if fold(line) not in present]
        removed += page_pruned.removed + page_dropped

    if author is None:
        author = byline_author([r["line"] for r in removed if r["rule"] == "byline"],
                               metadata.sitename, rules)
    if author is None:
        author = signoff_author([r["line"] for r in removed if r["rule"] == "signoff"],
                                metadata.sitename, rules)
    text = "\n".join(kept)
    words = len(text.split())
    verdict = listing_verdict(teasers, kept, listing)
    if not raw:
        notes.append(NO_ARTICLE_TEXT)
    elif not text:
        notes.append("all text was boilerplate")
    elif verdict.listing:
        notes.append(verdict.note)
        text, kept = "", []
    elif words < MIN_ARTICLE_WORDS:
        notes.append(f"{NO_ARTICLE_TEXT} (only {words} words: {text[:60]!r})")
        text, kept = "", []
    else:
        notes.append(verdict.note)  # a page declaring itself a listing, read as an article
        if paywalled(tree):
            notes.append("the page declares the article not free to read "
                         "(isAccessibleForFree: false): the text may be its free part only")
    counted = kept + [r["line"] for r in removed if r["rule"] == "learned"]
    return Extraction(
        title=title,
        text=text,
        author=author,
        published=published.at,
        published_source=published.source,
        published_precision=published.precision,
        language=detect_language(text, declared) if text else declared,
        site_name=metadata.sitename,
        removed=removed,
        note="; ".join(n for n in notes if n) or None,
        template_lines=template_candidates(counted, rules),
        listing=verdict.listing,
    )


def extract_page(
    html: str | bytes,
    url: str | None = None,
    *,
    hints: Mapping[str, str | None] | None = None,
    learned_lines: frozenset[str] = frozenset(),
    more_pages: Sequence[str | bytes] = (),
    rules: Rules | None = None,
) -> Extraction:
    """Extract the article of one fetched page.

    ``hints`` may give ``published`` and ``title`` (from a feed or sitemap) and
    ``fetched_at`` (for "2 jam lalu"); ``learned_lines`` are the site's learned
    template line keys (templates.line_key); ``more_pages`` the HTML of pages
    2..n. Never raises: a page that yields nothing says why in ``note``.
    """
    try:
        return _extract(html, url, dict(hints or {}), learned_lines, more_pages,
                        rules or load_rules())
    except Exception as exc:  # a bug or a page no parser survives: explained, not raised
        logger.exception("extraction failed for %s", url)
        return Extraction(note=f"extraction failed: {type(exc).__name__}: {exc}", failed=True)
