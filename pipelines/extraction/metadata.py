"""Metadata: trafilatura's title (the headline, as ``titles.py`` judges it), author
and site name; beside them the publication time with where it came from and the
language a page declares (the author is ``authors.py``'s).

The publication time is taken from, in order: a ``<meta>`` tag, JSON-LD
``datePublished`` (of the objects describing the page, not of the articles they list),
the page's ``<time datetime>`` elements (and microformat
``<abbr title>`` times) when they agree (source ``meta``: they are machine-readable
too), the hint a feed or sitemap gave, the visible date on the page (one labelled as an
update only when no other is shown), the earliest of ``<time>`` elements that differ (a
live report's updates), the day in the page's address. Dates in teasers of other
articles and in readers' comments are never taken. A time that names no zone
is in the zone of the page's country (``dates.local_zone``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import NamedTuple

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
)
from trafilatura.settings import Document

from pipelines.extraction.authors import BODY_WORDS, OUTSIDE_ARTICLE
from pipelines.extraction.dates import (
    local_zone,
    machine_day_only,
    names_zone,
    parse_machine_date,
    parse_url_date,
    parse_visible_date,
    shows_day_only,
    to_utc_iso,
)
from pipelines.extraction.pagedata import is_article, page_objects
from pipelines.extraction.rules import Rules
from pipelines.extraction.titles import headline_title, outlet_in_title, title_key

__all__ = [
    "Published",
    "declared_language",
    "page_metadata",
    "published_time",
]

logger = logging.getLogger(__name__)

HEADLINE_WINDOW = 25  # text nodes after the headline where its date line is looked for
MAX_DATE_TEXT = 120  # a visible date element longer than this is not a date line
MAX_LABEL_CHARS = 30  # a text before a date this short may be its label ("Diperbarui:")
# the page's own <time datetime> elements, not those of lists of other articles, and the
# microformat's <abbr title="2020-10-09T10:10:00+07:00"> (Blogger's themes) that reads alike
_OWN = "[not(ancestor::li or ancestor::aside or ancestor::nav)]"
_TIME_ELEMENTS = XPath(f"//time[@datetime]{_OWN} | //abbr[@title]{_OWN}")
_ISO_DATE = re.compile(r"\s*\d{4}-\d{2}-\d{2}")
# A link this many words long beside a date is another article's headline, in a teaser
# card of at most this much text (a larger block is a container of the page).
CARD_LINK_WORDS = 5
CARD_MAX_CHARS = 400
_AFTER_HEADLINE = XPath(
    "following::text()[normalize-space()][not(ancestor::script or ancestor::style)]"
    f"[position() <= {HEADLINE_WINDOW}]"
)


def page_metadata(tree: HtmlElement) -> Document:
    """trafilatura's title, author and site name of the page (the author its metadata
    names: the byline on the page is ``authors.py``'s to read).

    The steps of ``trafilatura.metadata.extract_metadata`` that give these three,
    without the ones warta has no use for and that cost a third of the page's
    time on small pages: its date (htmldate, without saying where the date came
    from; ``published_time`` does that), categories, tags and licence."""
    document = examine_meta(tree)
    if document.author and " " not in document.author:
        document.author = None  # a bare handle, as extract_metadata judges it
    try:
        document = extract_meta_json(tree, document)
    except Exception:
        logger.debug("JSON-LD metadata unreadable", exc_info=True)
    document.title = document.title or extract_title(tree)
    document.sitename = (document.sitename or extract_sitename(tree) or "").lstrip("@") or None
    document.title = headline_title(tree, document.title, document.sitename)
    if not document.sitename or title_key(document.sitename) == title_key(document.title or ""):
        document.sitename = outlet_in_title(tree, document.title or "")  # never the headline
    return document


def declared_language(tree: HtmlElement) -> str | None:
    """The language the page declares: ``<html lang>``, Content-Language, og:locale."""
    root = tree.getroottree().getroot()
    if root.get("lang"):
        return root.get("lang")
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").casefold()
        if key in ("content-language", "og:locale", "language") and meta.get("content"):
            return meta.get("content")
    return None


def _meta_values(tree: HtmlElement) -> dict[str, str]:
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content:
            values.setdefault(key.strip().casefold(), content)
    return values


def _json_ld_published(tree: HtmlElement) -> list[str]:
    """datePublished values (a video's uploadDate) of the objects describing the page,
    those of article objects first."""
    articles, others = [], []
    for node in page_objects(tree):
        value = node.get("datePublished") or node.get("uploadDate")
        if isinstance(value, str):
            (articles if is_article(node) else others).append(value)
    return articles + others


class _Clock(NamedTuple):
    """What reading a date needs besides its text: the fetch time (for "2 jam lalu")
    and the zone of a time that names none."""

    now: datetime | None
    local: tzinfo


@dataclass(frozen=True, slots=True)
class _Shown:
    """A date the page shows: the time, whether it is a day alone, whether an update's."""

    moment: datetime
    day_only: bool
    update: bool


class Published(NamedTuple):
    """When a page says it was published: ``at`` in UTC ISO-8601, ``source`` where the
    date came from, and whether it names a day without a time (``day_only``)."""

    at: str | None = None
    source: str | None = None
    day_only: bool = False

    @property
    def precision(self) -> str | None:
        """``day`` or ``time`` as stored (``None`` when the page gives no date)."""
        return None if self.at is None else ("day" if self.day_only else "time")


def _shown_date(tree: HtmlElement, rules: Rules, headline: HtmlElement | None,
                clock: _Clock, skip_times: bool = False) -> _Shown | None:
    """The publication date the page shows: its first date that is no update's (when
    that is a day alone, a time shown later on the same day); an update's only when
    the page shows no other."""
    first = update = None
    for shown in _shown_dates(tree, rules, headline, clock, skip_times):
        if shown.update:
            update = update or shown
        elif first is None:
            if not shown.day_only:
                return shown
            first = shown
        elif not shown.day_only and _same_day(shown.moment, first.moment):
            return shown
    return first or update


def _same_day(moment: datetime, day: datetime) -> bool:
    """Whether ``moment`` falls on the local day of ``day`` (a midnight in its zone)."""
    return moment.astimezone(day.tzinfo).date() == day.date()


def _shown_dates(tree: HtmlElement, rules: Rules, headline: HtmlElement | None,
                 clock: _Clock, skip_times: bool) -> Iterator[_Shown]:
    """Dates shown near the headline first (above the story: up to its second long
    paragraph), then in date-like elements that are not items of a list or teasers;
    never those of navigation, sidebars, footers or comments (see ``_elsewhere``). A time
    shown in an element of its own just after its day is read with the day
    ("<time>24 November 2025</time><time>14:30 WIB</time>"). ``skip_times`` leaves out
    ``<time datetime>`` elements (the page has several that differ)."""
    if headline is not None:
        before, paragraphs = "", 0
        for text in _AFTER_HEADLINE(headline):
            if len(text.split()) >= BODY_WORDS:
                paragraphs += 1
                if paragraphs > 1:  # the story has begun (past a summary): its date is above
                    break
            holder = text.getparent() if text.is_text else text.getparent().getparent()
            if not (skip_times and _is_time(holder)) and not _elsewhere(holder, headline, rules):
                shown = (_shown(holder, text, before, rules, clock)
                         or _shown(holder, f"{before} {text}", "", rules, clock))
                if shown is not None and not _in_card(holder, headline):
                    yield shown
            before = text
    for element in rules.published_text(tree):
        if ((skip_times and _is_time(element)) or element.xpath("ancestor::li")
                or _elsewhere(element, headline, rules)):
            continue
        text, previous = " ".join(element.itertext()), element.getprevious()
        shown = _shown(element, text, "", rules, clock)
        if shown is None and previous is not None:
            shown = _shown(element, " ".join([*previous.itertext(), text]), "", rules, clock)
        if shown is not None and not _in_card(element, headline):
            yield shown


def _elsewhere(element: HtmlElement, headline: HtmlElement | None, rules: Rules) -> bool:
    """Whether ``element`` is in the page's navigation, a sidebar or its footer, whose
    dates ("1 jam lalu" beside a popular article) are other articles', or in the readers'
    comments, whose dates are theirs: a block that rules.toml's comments widget names
    and that does not hold the headline ("content has-comments" wraps the article)."""
    comments = next(w.names for w in rules.dom.widgets if w.rule == "comments")
    for block in element.iterancestors():
        if block.tag in OUTSIDE_ARTICLE:
            return True
        if comments.search(f"{block.get('class', '')} {block.get('id', '')}"):
            wrapper = (any(a is block for a in headline.iterancestors()) if headline is not None
                       else block.find(".//h1") is not None)
            if not wrapper:
                return True
    return False


def _is_time(element: HtmlElement) -> bool:
    if element.tag == "time":
        return bool(element.get("datetime"))
    return element.tag == "abbr" and bool(_ISO_DATE.match(element.get("title") or ""))


def _shown(element: HtmlElement, text: str, before: str, rules: Rules,
           clock: _Clock) -> _Shown | None:
    """The date ``text`` shows (a ``<time>`` element's machine-readable one), if any."""
    if _is_time(element):
        value = element.get("datetime")
        moment = parse_machine_date(value, *clock)
        if moment is not None:
            return _Shown(moment, len(value.strip()) <= len("2025-11-18"),
                          _is_update(element, text, before, rules))
    if len(text) > MAX_DATE_TEXT:
        return None
    moment = parse_visible_date(text, *clock)
    if moment is None:
        return None
    return _Shown(moment, shows_day_only(text), _is_update(element, text, before, rules))


def _is_update(element: HtmlElement, text: str, before: str, rules: Rules) -> bool:
    """Whether a shown time is labelled as an update ("Diperbarui 15:50 WIB", a label
    just before it, an element of class "updated")."""
    return bool(rules.update_label.search(text)
                or (len(before) <= MAX_LABEL_CHARS and rules.update_label.search(before))
                or rules.update_class.search(element.get("class", "")))


def _in_card(element: HtmlElement, headline: HtmlElement | None) -> bool:
    """Whether a date ``element`` belongs to a teaser of another article (a "related"
    card, a ticker item): the nearest block around it that holds a link besides its
    own is card-sized and holds a headline-long link, and that block is not the one
    around the page's headline (whose own link, or the author's, is no other article)."""
    own = {element, *element.iterancestors("a")}
    around_headline = set(headline.iterancestors()) if headline is not None else set()
    for block in element.iterancestors():
        if block in around_headline or block.tag in ("article", "main", "body"):
            return False
        links = [a for a in block.iter("a") if a not in own]
        if links:
            return (len(block.text_content()) <= CARD_MAX_CHARS
                    and any(len(a.text_content().split()) >= CARD_LINK_WORDS for a in links))
    return False


def _machine_times(tree: HtmlElement, rules: Rules,
                   times: list[str]) -> Iterator[tuple[str, str]]:
    """The page's machine-readable publication times, best first, with their source."""
    meta = _meta_values(tree)
    for name in rules.published_meta:
        if name in meta:
            yield meta[name], "meta"
    for value in _json_ld_published(tree):
        yield value, "json-ld"
    if len(set(times)) == 1:  # <time datetime>: machine-readable like a meta tag
        yield times[0], "meta"


def _own_times(tree: HtmlElement, headline: HtmlElement | None, rules: Rules) -> list[str]:
    """The ``datetime`` of the page's own ``<time>`` elements (those of teasers and
    comments left out)."""
    return [e.get("datetime") or e.get("title") for e in _TIME_ELEMENTS(tree)
            if _is_time(e) and not _in_card(e, headline) and not _elsewhere(e, headline, rules)]


def _in_shown_zone(moment: datetime, shown: datetime | None) -> datetime:
    """A time given without a zone (read in the local zone), in the zone the page shows
    beside the same wall-clock time ("14:05 WIT"), else as read."""
    if shown is None or shown.replace(tzinfo=None, second=0) != moment.replace(tzinfo=None, second=0):
        return moment
    return moment.replace(tzinfo=shown.tzinfo)


def published_time(
    tree: HtmlElement,
    rules: Rules,
    *,
    headline: HtmlElement | None = None,
    hint: str | None = None,
    url: str | None = None,
    now: datetime | None = None,
) -> Published:
    """When the page was published, with source ``meta``, ``json-ld``, ``hint``,
    ``text`` or ``url`` (the day a permalink gives, the last resort); an empty
    :class:`Published` when the page gives no usable date. A machine-readable day
    without a time takes the time the page shows on that day (source ``text``)."""
    clock = _Clock(now, local_zone(url, declared_language(tree)))
    times = _own_times(tree, headline, rules)
    several = len(set(times)) > 1
    machine = [*_machine_times(tree, rules, times)]
    if hint:
        machine.append((hint, "hint"))
    for value, source in machine:
        moment = parse_machine_date(value, *clock)
        if moment is None:
            continue
        if not machine_day_only(value):
            if not names_zone(value):
                shown = _shown_date(tree, rules, headline, clock, several)
                moment = _in_shown_zone(moment, shown.moment if shown else None)
            return Published(to_utc_iso(moment), source)
        shown = _shown_date(tree, rules, headline, clock, several)
        if shown is not None and not shown.day_only and _same_day(shown.moment, moment):
            return Published(to_utc_iso(shown.moment), "text")
        return Published(to_utc_iso(moment), source, day_only=True)
    shown = _shown_date(tree, rules, headline, clock, several)
    if shown is not None:
        return Published(to_utc_iso(shown.moment), "text", shown.day_only)
    # several different <time> elements and no other date: a live report's updates, or
    # a publication and its update; the earliest is the nearest to the publication
    moments = [(m, machine_day_only(t)) for t in times if (m := parse_machine_date(t, *clock))]
    if moments:
        moment, day_only = min(moments)
        return Published(to_utc_iso(moment), "meta", day_only)
    moment = parse_url_date(url, *clock)
    if moment is not None:
        return Published(to_utc_iso(moment), "url", day_only=True)
    return Published()
