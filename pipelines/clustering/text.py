"""Text normalization for clustering: tokens, names, numbers, word shingles, the text hash.

Everything here is language-agnostic: tokens are Unicode word runs (numbers keep their
thousand and decimal separators, hyphenated words such as "pusat-pusat" stay whole), and
in scripts written without spaces, pairs of characters; names are words capitalized
inside a sentence. A number's written form (``number_form``) is the same whichever
language's separators wrote it. Hashes are stable across processes and machines (CRC-32, never the
per-process salted ``hash()``).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from pipelines.scripts import UNSEGMENTED
from storage.articles import text_hash

__all__ = [
    "ParsedText", "number_form", "parse_text", "shingle_hashes", "term_hash", "term_hashes",
    "text_hash",
]

# Tokens are what is left between separators: every punctuation, symbol, space or
# control character except those that join a word ("pusat-pusat", "Ma'ruf") or a number
# ("1.243", "2,5"); joiners at either end of a token are stripped.
_JOINERS = ".,-'’"
_SEPARATORS = {code: " " for code in range(0x10000)
               if unicodedata.category(chr(code))[0] in "PSZC"
               and chr(code) not in _JOINERS and not chr(code).isspace()}
# str.translate is fast on ASCII text only; beyond it, one regular expression over the
# same characters costs a fifth of the time
_SEPARATOR_RUN = re.compile("[" + re.escape("".join(map(chr, _SEPARATORS))) + "]+")
# A capitalized word inside a sentence: after a word (or a comma) and a space, so never
# the first word of a sentence, a line, a quotation or a dateline ("Jakarta - ").
_UPPER = "".join(chr(c) for c in range(0x10000) if chr(c).isupper() or chr(c).istitle())
_NAME = re.compile(r" (?<=[\w,] )([" + re.escape(_UPPER) + r"][\w'’-]*)")
# A separator before exactly three digits groups thousands ("1.126", "1,126"); any other
# between digits is a decimal mark ("2,5", "2.5").
_THOUSANDS = re.compile(r"[.,](?=\d{3}(?!\d))")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
# Odd 64-bit multipliers that mix a window of token hashes into one shingle hash.
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5, 0xFF51AFD7ED558CCD,
                 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB], dtype=np.uint64)
MAX_SHINGLE = len(_MIX)


@dataclass(frozen=True, slots=True)
class ParsedText:
    """One text cut into what clustering looks at: case-folded ``tokens`` in order and
    the case-folded ``names``."""

    tokens: list[str]
    names: frozenset[str]


def parse_text(text: str) -> ParsedText:
    """Tokenize ``text`` and find its names."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    # map/filter keep the per-token loops in C
    folded = text.casefold()
    words = (folded.translate(_SEPARATORS) if folded.isascii()
             else _SEPARATOR_RUN.sub(" ", folded)).split()
    tokens = list(filter(None, map(str.strip, words, repeat(_JOINERS))))
    if not text.isascii() and UNSEGMENTED.search(text):
        tokens = [piece for token in tokens for piece in _segmented(token)]
    names = frozenset(map(str.casefold, _NAME.findall(text)))
    return ParsedText(tokens, names)


def number_form(token: str) -> str:
    """A number token written one way: thousands ungrouped and a decimal point, so that
    "1.126" and "1,126" are "1126", and "2,5" and "2.5" are "2.5"."""
    return _DECIMAL_COMMA.sub(".", _THOUSANDS.sub("", token))


def _segmented(token: str) -> list[str]:
    """``token`` with each run of a script written without spaces cut into overlapping
    character pairs, the usual stand-in for words where no dictionary is at hand (a run
    of one character stays whole); what lies between runs stays whole."""
    pieces, at = [], 0
    for run in UNSEGMENTED.finditer(token):
        pieces.append(token[at:run.start()].strip(_JOINERS))
        chars = run.group()
        pieces.extend(chars[i:i + 2] for i in range(max(1, len(chars) - 1)))
        at = run.end()
    pieces.append(token[at:].strip(_JOINERS))
    return [piece for piece in pieces if piece]


def term_hash(term: str) -> int:
    """A stable 32-bit hash of a term (CRC-32 of its UTF-8 bytes)."""
    return zlib.crc32(term.encode("utf-8"))


def term_hashes(terms: list[str]) -> np.ndarray:
    """:func:`term_hash` of each term, as an array."""
    return np.fromiter(map(term_hash, terms), dtype=np.uint32, count=len(terms))


def shingle_hashes(token_hashes: np.ndarray, size: int) -> np.ndarray:
    """32-bit hashes of the word ``size``-shingles of a text, from its tokens' hashes in
    order (a text shorter than ``size`` words gives one shingle of all its words)."""
    if not len(token_hashes):
        return np.empty(0, dtype=np.uint32)
    if not 1 <= size <= MAX_SHINGLE:
        raise ValueError(f"shingle size must be between 1 and {MAX_SHINGLE}, got {size}")
    hashes = token_hashes.astype(np.uint64)
    width = min(size, len(hashes))
    count = len(hashes) - width + 1
    mixed = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        mixed += hashes[offset:offset + count] * _MIX[offset]
    return (mixed >> np.uint64(32)).astype(np.uint32)
