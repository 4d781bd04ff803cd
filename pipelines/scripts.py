"""Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, Chinese and
Japanese kana. Tokenizers and word counts treat their runs apart, since a space-split
"word" there is a whole phrase."""

from __future__ import annotations

import re

__all__ = ["UNSEGMENTED", "unsegmented_words"]

UNSEGMENTED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff"
                         "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def unsegmented_words(text: str) -> int:
    """About how many words ``text``'s unsegmented runs hold (two characters a word)."""
    if text.isascii():
        return 0
    return sum(len(run) for run in UNSEGMENTED.findall(text)) // 2
