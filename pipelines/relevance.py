"""Is an article ministry coverage? Watch terms scored by where they appear.

A mention in the headline counts most, one in the lead (the first paragraphs)
next, one further down least, with diminishing returns for repeats. Matches of
the exclusion terms (other bodies such as Komnas HAM or the former Kemenkumham)
consume their text first, so "Kementerian Hukum dan HAM" never counts as the
ministry and an article about those bodies alone scores nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from itemadapter import ItemAdapter

from pipelines.scripts import UNSEGMENTED, unsegmented_words
from warta.config import WatchTerms

__all__ = ["Relevance", "RelevancePipeline", "WatchMatcher"]

HEADLINE_WEIGHT = 3.0
LEAD_WEIGHT = 1.5
BODY_WEIGHT = 0.5
LEAD_WORDS = 80  # the lead: the opening paragraphs up to about this many words
BODY_CAP = 4  # body mentions beyond this add nothing


@dataclass(frozen=True)
class Relevance:
    score: float
    matched_terms: list[str]
    relevant: bool


class WatchMatcher:
    """Finds watch terms in text, exclusions first, longest phrase first."""

    def __init__(self, watch: WatchTerms):
        self.threshold = watch.threshold
        self._canonical: dict[str, tuple[str, bool]] = {}
        for term, excluded in [(t, False) for t in watch.terms] + [
            (t, True) for t in watch.exclude
        ]:
            key = _fold(term)
            # an exclusion spelled like a term wins: it is the narrower statement
            if key not in self._canonical or excluded:
                self._canonical[key] = (term, excluded)
        self._pattern = _phrases_pattern(sorted(self._canonical, key=len, reverse=True))

    def find(self, text: str) -> list[str]:
        """The watch terms (as configured) mentioned in ``text``, one entry per mention."""
        if self._pattern is None or not text:
            return []
        found = []
        for match in self._pattern.finditer(_fold(text)):
            term, excluded = self._canonical[" ".join(match.group().split())]
            if not excluded:
                found.append(term)
        return found

    def score(self, title: str | None, text: str) -> Relevance:
        lead, body = _split_lead(text)
        zones = [
            (self.find(title or ""), HEADLINE_WEIGHT, 1),
            (self.find(lead), LEAD_WEIGHT, 2),
            (self.find(body), BODY_WEIGHT, BODY_CAP),
        ]
        score = sum(weight * min(len(hits), cap) for hits, weight, cap in zones)
        matched = sorted({term for hits, _, _ in zones for term in hits})
        return Relevance(round(score, 3), matched, score >= self.threshold)


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
    lead, words = [], 0
    paragraphs = [p for p in text.split("\n") if p.strip()]
    for i, paragraph in enumerate(paragraphs):
        if words >= LEAD_WORDS:
            return "\n".join(lead), "\n".join(paragraphs[i:])
        lead.append(paragraph)
        words += len(paragraph.split()) + unsegmented_words(paragraph)
    return "\n".join(lead), ""


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
        result = self.matcher.score(adapter.get("title"), adapter.get("text") or "")
        adapter["relevance_score"] = result.score
        adapter["matched_terms"] = result.matched_terms
        adapter["relevant"] = result.relevant
        self.stats.inc_value("relevance/relevant" if result.relevant else "relevance/irrelevant")
        return item
