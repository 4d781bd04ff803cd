"""Text normalization for clustering: tokens, names, numbers, word shingles, the text hash.

Everything here is language-agnostic: tokens are Unicode word runs (numbers keep their
thousand and decimal separators, hyphenated words such as "pusat-pusat" stay whole), names
are capitalized words that are not merely sentence-initial. Hashes are stable across
processes and machines (no ``hash()``, whose value is salted per process).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

from storage.articles import text_hash

__all__ = ["ParsedText", "parse_text", "shingle_hashes", "term_hash", "text_hash"]

# A number with separators ("1.243", "2,5"), or a word run, hyphen/apostrophe joined.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:[-'’][^\W_]+)*")
# What, between two tokens, ends a sentence (or a paragraph, or opens a quotation).
_SENTENCE_BREAK = re.compile(r"[.!?:;\"“”()\[\]\n]|\s[-–—]\s")
_SEPARATORS = str.maketrans("", "", ".,")
# Odd 64-bit multipliers that mix a window of token hashes into one shingle hash.
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5, 0xFF51AFD7ED558CCD,
                 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB], dtype=np.uint64)
_TOKEN_CACHE: dict[str, int] = {}
_TOKEN_CACHE_LIMIT = 1_000_000


@dataclass(frozen=True, slots=True)
class ParsedText:
    """One text cut into what clustering looks at.

    ``tokens`` are case-folded word tokens in order; ``names`` the case-folded
    capitalized tokens that are names (seen capitalized inside a sentence), and
    ``phrases`` runs of two or more such names ("natalius pigai"); ``numbers`` the
    tokens holding digits, separators removed ("1.243" -> "1243").
    """

    tokens: list[str]
    names: frozenset[str]
    phrases: frozenset[str]
    numbers: frozenset[str]


def parse_text(text: str) -> ParsedText:
    """Tokenize ``text`` and find its names and numbers."""
    text = unicodedata.normalize("NFKC", text)
    tokens: list[str] = []
    capitalized: list[tuple[str, bool, bool]] = []  # (folded, sentence-initial, after a name)
    inside_names: set[str] = set()
    numbers: set[str] = set()
    previous_end = 0
    previous_was_name = False
    for match in _TOKEN.finditer(text):
        word = match.group()
        folded = word.casefold()
        tokens.append(folded)
        gap = text[previous_end:match.start()]
        initial = previous_end == 0 or bool(_SENTENCE_BREAK.search(gap))
        joined = previous_was_name and not initial and gap.isspace()
        previous_end = match.end()
        if word[0].isdigit() or any(c.isdigit() for c in word):
            numbers.add(folded.translate(_SEPARATORS))
            previous_was_name = False
        elif word[0].isupper():
            capitalized.append((folded, initial, joined))
            if not initial:
                inside_names.add(folded)
            previous_was_name = True
        else:
            previous_was_name = False
    names = frozenset(w for w, _, _ in capitalized if w in inside_names)
    return ParsedText(tokens, names, _phrases(capitalized, names), frozenset(numbers))


def _phrases(capitalized: list[tuple[str, bool, bool]], names: frozenset[str]) -> frozenset[str]:
    """Runs of adjacent name tokens, joined by a space."""
    phrases: set[str] = set()
    run: list[str] = []
    for folded, _initial, joined in capitalized:
        if run and not joined:
            if len(run) > 1:
                phrases.add(" ".join(run))
            run = []
        if folded in names:
            run.append(folded)
        elif run:
            if len(run) > 1:
                phrases.add(" ".join(run))
            run = []
    if len(run) > 1:
        phrases.add(" ".join(run))
    return frozenset(phrases)


def term_hash(term: str) -> int:
    """A stable 32-bit hash of a term (CRC-32 of its UTF-8 bytes)."""
    value = _TOKEN_CACHE.get(term)
    if value is None:
        if len(_TOKEN_CACHE) >= _TOKEN_CACHE_LIMIT:
            _TOKEN_CACHE.clear()
        value = _TOKEN_CACHE[term] = zlib.crc32(term.encode("utf-8"))
    return value


def shingle_hashes(tokens: list[str], size: int) -> np.ndarray:
    """32-bit hashes of the word ``size``-shingles of ``tokens`` (a text shorter than
    ``size`` words gives one shingle of all its words; an empty one gives none)."""
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    if not 1 <= size <= len(_MIX):
        raise ValueError(f"shingle size must be between 1 and {len(_MIX)}, got {size}")
    hashes = np.fromiter((term_hash(t) for t in tokens), dtype=np.uint64, count=len(tokens))
    width = min(size, len(tokens))
    count = len(tokens) - width + 1
    mixed = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        mixed += hashes[offset:offset + count] * _MIX[offset]
    return (mixed >> np.uint64(32)).astype(np.uint32)
