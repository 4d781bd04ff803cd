"""How clean text is scored: word 4-gram overlap against a reference text (the
measure of shared/realpages), and line by line against the newsroom's gold.
Used by the tests and by bench/extraction.py."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from pipelines.extraction.rules import fold

__all__ = ["LineScore", "line_score", "newsroom_pages", "ngram_scores"]

_WORD = re.compile(r"\w+")


def _ngrams(text: str, n: int) -> Counter:
    words = _WORD.findall(text.casefold())
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def ngram_scores(got: str, want: str, n: int = 4) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``got``'s word n-grams against ``want``'s."""
    got_grams, want_grams = _ngrams(got, n), _ngrams(want, n)
    overlap = sum((got_grams & want_grams).values())
    precision = overlap / max(1, sum(got_grams.values()))
    recall = overlap / max(1, sum(want_grams.values()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


class LineScore(NamedTuple):
    """One article against its gold text."""

    left: list[str]  # lines that are not gold lines: boilerplate left in
    kept: int  # gold lines present
    total: int  # gold lines


def line_score(got: str, gold: str) -> LineScore:
    """Lines of ``got`` that are not gold lines (boilerplate left), and how many
    gold lines ``got`` keeps; case and spacing do not count."""
    gold_lines = [fold(line) for line in gold.splitlines() if line.strip()]
    got_lines = [fold(line) for line in got.splitlines() if line.strip()]
    gold_set, got_set = set(gold_lines), set(got_lines)
    left = [line for line in got_lines if line not in gold_set]
    kept = sum(line in got_set for line in gold_lines)
    return LineScore(left, kept, len(gold_lines))


def newsroom_pages(room) -> Iterator[tuple[dict, bytes, list[bytes]]]:
    """Each gold record of a started ``newsroom.server.Newsroom`` with its page
    and further pages as the newsroom serves them (asked directly, no socket)."""
    bases = sorted(room.base_urls.items(), key=lambda item: -len(item[1]))

    def body(url: str) -> bytes:
        for site, base in bases:
            if url.startswith(base):
                return room.respond(site, url[len(base.rstrip("/")):] or "/").body
        raise ValueError(f"{url}: no newsroom site serves it")

    for record in room.gold_records():
        yield record, body(record["url"]), [body(url) for url in record["pages"]]
