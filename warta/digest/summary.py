"""Extractive story summaries: the few sentences that best cover what the reports share.

A term weighs by how many of the story's reports use it (what outlets agree on
is the event) times how rare it is in the whole archive (``log`` inverse
document frequency), so words every article uses — "yang", "Kementerian",
"HAM" — weigh next to nothing while the place, the counterpart and the numbers
of this event weigh most. Sentences are chosen greedily: each pick is the
sentence whose *not yet covered* terms weigh most for its length, with a
preference for sentences near the top of their report (news puts the event in
the lead). The picks are returned in reading order.
"""

from __future__ import annotations

import math
import re
import unicodedata
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
MIN_WORDS, MAX_WORDS = 6, 60
LEAD_BONUS = 0.6  # the first sentence of a report counts this much more, fading after


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
    max_words: int = 80,
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
    shared: dict[str, int] = {}
    for document in {c.document for c in candidates}:
        for term in set().union(*(c.terms for c in candidates if c.document == document)):
            shared[term] = shared.get(term, 0) + 1
    total = max(total_documents, reports)
    weight = {term: (count / reports) * math.log((total + 1) / (document_counts.get(term, 0) + 1))
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
            gain = sum(weight[t] for t in candidate.terms - covered) / math.sqrt(candidate.words)
            gain *= 1 + LEAD_BONUS / (1 + candidate.position)
            if gain > best_gain:
                best, best_gain = candidate, gain
        if best is None or (len(chosen) >= 2 and best_gain < 0.3 * first_gain):
            break
        first_gain = first_gain or best_gain
        chosen.append(best)
        covered |= best.terms
    chosen.sort(key=lambda c: (c.position, c.document))
    return [c.text for c in chosen]


def _candidates(texts: Sequence[str]) -> list[_Candidate]:
    candidates = []
    seen: set[str] = set()
    for document, text in enumerate(texts):
        for position, sentence in enumerate(sentences(text or "")):
            words = len(sentence.split())
            key = " ".join(_terms(sentence))
            if not MIN_WORDS <= words <= MAX_WORDS or not _ENDS_SENTENCE.search(sentence) \
                    or key in seen:
                continue
            seen.add(key)
            candidates.append(_Candidate(sentence, document, position,
                                         frozenset(_terms(sentence)), words))
    return candidates
