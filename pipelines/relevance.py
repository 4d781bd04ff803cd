"""Is an article ministry coverage? Watch terms scored by where they appear.

A mention in the headline counts most, one in the lead (the first paragraphs)
next, one further down least, with diminishing returns for repeats. Matches of
the exclusion terms (other bodies such as Komnas HAM or the former Kemenkumham)
consume their text first, so "Kementerian Hukum dan HAM" never counts as the
ministry and an article about those bodies alone scores nothing. Terms side by side
("Menteri HAM Natalius Pigai", "Kementerian HAM (Kemenham)") are one mention. The
names of the ministry's people count only where the ministry or an office of it is
named too, and nothing dated before the ministry existed is coverage of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from itemadapter import ItemAdapter

from pipelines.extraction.dates import WIB
from pipelines.scripts import UNSEGMENTED, unsegmented_words
from warta.config import WatchTerms

__all__ = ["Relevance", "RelevancePipeline", "WatchMatcher"]

HEADLINE_WEIGHT = 3.0
LEAD_WEIGHT = 1.5
BODY_WEIGHT = 0.5
LEAD_WORDS = 80  # the lead: the opening paragraphs up to about this many words
BODY_CAP = 4  # body mentions beyond this add nothing
# What may stand between two terms that name one thing: "Menteri HAM Natalius Pigai",
# "Kementerian HAM (Kemenham)", "Wamenham, Mugiyanto", "Menteri HAM: Natalius Pigai"
_ADJACENT = re.compile(r"[\s,:()\[\]\-–—]{1,3}")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"'”’)]*\s+")


@dataclass(frozen=True)
class Relevance:
    score: float
    matched_terms: list[str]
    relevant: bool


class _Mention(NamedTuple):
    """Watch terms found side by side in a text, counted once; ``named`` when one of
    them names the ministry or an office of it (not a person)."""

    terms: tuple[str, ...]
    named: bool


class WatchMatcher:
    """Finds watch terms in text, exclusions first, longest phrase first."""

    def __init__(self, watch: WatchTerms):
        self.threshold = watch.threshold
        self.since = watch.since
        self._canonical: dict[str, tuple[str, str]] = {}  # folded -> (term, kind)
        for term, kind in ([(t, "term") for t in watch.terms] + [(t, "person") for t in watch.people]
                           + [(t, "excluded") for t in watch.exclude]):
            key = _fold(term)
            # an exclusion spelled like a term wins: it is the narrower statement
            if key not in self._canonical or kind == "excluded":
                self._canonical[key] = (term, kind)
        self._pattern = _phrases_pattern(sorted(self._canonical, key=len, reverse=True))

    def find(self, text: str) -> list[str]:
        """The watch terms and people (as configured) mentioned in ``text``, one entry per
        match."""
        return [term for mention in self._mentions(text) for term in mention.terms]

    def _mentions(self, text: str) -> list[_Mention]:
        if self._pattern is None or not text:
            return []
        folded = _fold(text)
        mentions: list[_Mention] = []
        end = None
        for match in self._pattern.finditer(folded):
            term, kind = self._canonical[" ".join(match.group().split())]
            if kind == "excluded":
                end = None
                continue
            if end is not None and _ADJACENT.fullmatch(folded, end, match.start()):
                last = mentions.pop()
                mentions.append(_Mention((*last.terms, term), last.named or kind == "term"))
            else:
                mentions.append(_Mention((term,), kind == "term"))
            end = match.end()
        return mentions

    def score(self, title: str | None, text: str, published: str | None = None) -> Relevance:
        """How much ``title`` and ``text`` are about the ministry; ``published`` (UTC
        ISO-8601) before ``since`` makes an article no coverage, whatever its score."""
        lead, body = _split_lead(text)
        zones = [(self._mentions(title or ""), HEADLINE_WEIGHT, 1),
                 (self._mentions(lead), LEAD_WEIGHT, 2),
                 (self._mentions(body), BODY_WEIGHT, BODY_CAP)]
        if not any(m.named for mentions, _, _ in zones for m in mentions):
            zones = [([], weight, cap) for _, weight, cap in zones]  # people's names alone
        score = sum(weight * min(len(mentions), cap) for mentions, weight, cap in zones)
        matched = sorted({t for mentions, _, _ in zones for m in mentions for t in m.terms})
        return Relevance(round(score, 3), matched,
                         score >= self.threshold and not self._before_since(published))

    def _before_since(self, published: str | None) -> bool:
        if self.since is None or not published:
            return False
        moment = datetime.fromisoformat(published)
        return moment.astimezone(WIB).date() < self.since


def _phrases_pattern(phrases: list[str]) -> re.Pattern | None:
    """One pattern finding each of ``phrases`` (longest first) as a whole word or words:
    any whitespace between its words, no word character against either end, except
    where that end is a script written without spaces (whose words touch their
    neighbours). The phrases that start in a spaced script share one leading check,
    so the engine rejects a position inside a word once instead of once a phrase (a
    tenth of the time on a news article); phrases matching at one position all start
    with the same character, so longest-first holds within each group."""
    if not phrases:
        return None
    spaced = [p for p in phrases if not UNSEGMENTED.match(p[0])]
    unspaced = [p for p in phrases if UNSEGMENTED.match(p[0])]
    groups = ([r"(?<!\w)(?:" + "|".join(map(_phrase_body, spaced)) + ")"] if spaced else [])
    return re.compile("|".join(groups + list(map(_phrase_body, unspaced))))


def _phrase_body(phrase: str) -> str:
    pattern = r"\s+".join(map(re.escape, phrase.split()))
    return pattern if UNSEGMENTED.match(phrase[-1]) else pattern + r"(?!\w)"


def _fold(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


def _split_lead(text: str) -> tuple[str, str]:
    """The opening paragraphs up to about ``LEAD_WORDS`` words, and the rest. The
    paragraph that runs past that length is cut at its first sentence end beyond it,
    so a text given as one long paragraph (a JSON-LD articleBody, a page without <p>)
    is not taken whole as its lead."""
    lead, words = [], 0
    paragraphs = [p for p in text.split("\n") if p.strip()]
    for i, paragraph in enumerate(paragraphs):
        if words >= LEAD_WORDS:
            return "\n".join(lead), "\n".join(paragraphs[i:])
        size = len(paragraph.split()) + unsegmented_words(paragraph)
        if words + size > LEAD_WORDS:
            cut = _lead_cut(paragraph, LEAD_WORDS - words)
            if cut is not None:
                lead.append(paragraph[:cut])
                return "\n".join(lead), "\n".join([paragraph[cut:], *paragraphs[i + 1:]])
        lead.append(paragraph)
        words += size
    return "\n".join(lead), ""


def _lead_cut(paragraph: str, words: int) -> int | None:
    """Where the first sentence ending after ``words`` words of ``paragraph`` ends."""
    for match in _SENTENCE_END.finditer(paragraph):
        head = paragraph[:match.start()]
        if len(head.split()) + unsegmented_words(head) >= words:
            return match.end()
    return None


class RelevancePipeline:
    """Scores each article against the configured watch terms (``WATCH_TERMS``)."""

    def __init__(self, matcher: WatchMatcher, stats):
        self.matcher = matcher
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        watch = crawler.settings.get("WATCH_TERMS") or WatchTerms()
        return cls(WatchMatcher(watch), crawler.stats)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        result = self.matcher.score(adapter.get("title"), adapter.get("text") or "",
                                    adapter.get("published_at"))
        adapter["relevance_score"] = result.score
        adapter["matched_terms"] = result.matched_terms
        # a tag or search page names the ministry in its headline and teasers, but the
        # coverage is in the articles it lists, each stored and scored on its own
        relevant = result.relevant and not adapter.get("listing")
        adapter["relevant"] = relevant
        self.stats.inc_value("relevance/relevant" if relevant else "relevance/irrelevant")
        return item
