"""Extractive story summaries: the few sentences that best cover what the reports share.

A term weighs by how many of the story's reports use it (what outlets agree on
is the event; a term only one of several reports uses is that outlet's own
angle and counts for nothing) times how rare it is in the whole archive
(probabilistic inverse document frequency), so words most articles use — "yang",
"Kementerian", "HAM" — weigh nothing while the place, the counterpart and the
numbers of this event weigh most. Sentences are chosen greedily: each pick is
the sentence whose *not yet covered* terms weigh most for its length (terms
already covered count a quarter), with a preference for sentences near the top of their report (news puts the
event in the lead). The picks are returned in reading order."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["sentences", "summarize", "text_terms"]

_WORD = re.compile(r"[^\W_]+")
# A sentence ends at . ! or ? (maybe followed by a closing quote or bracket) before
# whitespace and an upper-case letter, a digit or an opening quote.
_SENTENCE_END = re.compile(r"[.!?][\"”’')]?(?=\s+[\"“‘(]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([^\W_]+)[.!?]$")
# Words before a full stop that do not end a sentence: titles and address words.
_ABBREVIATIONS = frozenset((
    "dr", "drs", "dra", "ir", "prof", "hj", "kh", "jl", "jln", "no", "st", "sdr", "tn", "ny",
    "bpk", "kab", "kec", "kel", "kol", "jend", "pol", "mr", "mrs", "ms", "vs", "dll", "dsb",
))
# A dateline opens the first paragraph: a few words, then a dash ("Jakarta (ANTARA) -").
_DATELINE = re.compile(r"^\s*[A-Z][^\n]{0,50}?\s[-–—]{1,2}\s+(?=\S)")
_DATELINE_WORDS = 6
_ENDS_SENTENCE = re.compile(r"[.!?][\"”’')]?$")
MIN_WORDS, MAX_WORDS = 6, 45
LEAD_BONUS = 0.6  # the first sentence of a report counts this much more, fading after
RESTATED = 0.25  # what a chosen sentence already covers still counts this much again
THIRD_SENTENCE = 0.3  # a third sentence must add at least this share of what the first did


@dataclass(frozen=True, slots=True)
class _Candidate:
    text: str
    document: int
    position: int
    terms: frozenset[str]
    words: int


def text_terms(text: str) -> set[str]:
    """The distinct terms of ``text`` as the full-text index has them (lower case, no accents)."""
    return set(_terms(text))


def _terms(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return [t for t in _WORD.findall(folded) if len(t) > 1]


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences, paragraph by paragraph, the dateline taken off the first."""
    found: list[str] = []
    for number, paragraph in enumerate(p.strip() for p in text.split("\n")):
        if number == 0 or not found:
            dateline = _DATELINE.match(paragraph)
            if dateline and len(dateline.group().split()) <= _DATELINE_WORDS + 1:
                paragraph = paragraph[dateline.end():]
        start = 0
        for end in _SENTENCE_END.finditer(paragraph):
            piece = paragraph[start:end.end()]
            last = _LAST_WORD.search(piece.rstrip("\"”’')"))
            if last and (len(last.group(1)) == 1 or last.group(1).casefold() in _ABBREVIATIONS):
                continue
            found.append(piece.strip())
            start = end.end()
        if paragraph[start:].strip():
            found.append(paragraph[start:].strip())
    return found


def summarize(
    texts: Sequence[str],
    document_counts: Mapping[str, int],
    total_documents: int,
    *,
    max_sentences: int = 3,
    max_words: int = 70,
) -> list[str]:
    """Two or three sentences from ``texts`` (one story's reports) that sum it up.

    ``document_counts`` maps a term to the number of archive articles holding it
    and ``total_documents`` is the archive's size (see :func:`text_terms`). Fewer
    sentences come back only when the texts have fewer usable ones (whole
    sentences of 6 to 60 words); a third is added only while the total stays
    within ``max_words`` and it still adds something new.
    """
    if max_sentences < 1:
        raise ValueError(f"max_sentences must be 1 or more, got {max_sentences}")
    candidates = _candidates(texts)
    if not candidates:
        return []
    reports = max(1, len(texts))
    shared = Counter(term for text in texts for term in text_terms(text or ""))
    total = max(total_documents, reports)
    # With several reports, a term in only one of them is that outlet's own angle, not the event.
    weight = {term: _share(count, reports) * _rarity(document_counts.get(term, 0), total)
              for term, count in shared.items()}

    chosen: list[_Candidate] = []
    covered: set[str] = set()
    first_gain = 0.0
    while len(chosen) < max_sentences:
        used = sum(c.words for c in chosen)
        best, best_gain = None, 0.0
        for candidate in candidates:
            if candidate in chosen or (len(chosen) >= 2 and used + candidate.words > max_words):
                continue
            gain = (sum(weight[t] for t in candidate.terms - covered)
                    + RESTATED * sum(weight[t] for t in candidate.terms & covered))
            gain /= math.sqrt(candidate.words)
            gain *= 1 + LEAD_BONUS / (1 + candidate.position)
            if gain > best_gain:
                best, best_gain = candidate, gain
        if best is None or (len(chosen) >= 2 and best_gain < THIRD_SENTENCE * first_gain):
            break
        first_gain = first_gain or best_gain
        chosen.append(best)
        covered |= best.terms
    chosen.sort(key=lambda c: (c.position, c.document))
    return [c.text for c in chosen]


def _rarity(documents: int, total: int) -> float:
    """Probabilistic inverse document frequency: 0 for a term in half the archive or more."""
    return max(0.0, math.log((total - documents + 0.5) / (documents + 0.5)))


def _share(count: int, reports: int) -> float:
    """0 for a term in one report of several, rising to 1 for a term in all of them."""
    return 1.0 if reports == 1 else (count - 1) / (reports - 1)


def _candidates(texts: Sequence[str]) -> list[_Candidate]:
    candidates = []
    seen: set[str] = set()
    for document, text in enumerate(texts):
        for position, sentence in enumerate(sentences(text or "")):
            words = len(sentence.split())
            key = " ".join(_terms(sentence))
            if not MIN_WORDS <= words <= MAX_WORDS or not _ENDS_SENTENCE.search(sentence) \
                    or not _quotes_balanced(sentence) or key in seen:
                continue
            seen.add(key)
            candidates.append(_Candidate(sentence, document, position,
                                         frozenset(_terms(sentence)), words))
    return candidates


def _quotes_balanced(sentence: str) -> bool:
    """False for a piece cut out of a longer quotation (an opening quote left open)."""
    return sentence.count("“") == sentence.count("”") and sentence.count('"') % 2 == 0
