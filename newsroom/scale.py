"""N-fold synthetic copies of the corpus, for benchmarks.

Copy ``k`` of an article gets the id ``<id>~k``, the story id ``<event>~k`` and its own URL.
Its names (proper nouns other than the ministry's and the other bodies'), a third of its longer
words and its numbers are substituted the same way in every article of copy ``k``, and its sentences are shuffled within
paragraphs (the same way for the same paragraph), so copies of one story stay one story, wire
copies stay near-verbatim, and different copies are different stories.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re

from newsroom.corpus import Article, Corpus
from newsroom.templates.chrome import DAYS, MONTHS

__all__ = ["scale_corpus"]

# Names that carry relevance, datelines and calendar words: never substituted.
# fmt: off
KEEP = frozenset({
    "Natalius", "Pigai", "Mugiyanto", "Kementerian", "Kemenham", "KemenHAM", "Menham", "Wamenham",
    "Komnas", "Perempuan", "Kemenkumham", "Menkumham", "Hak", "Asasi", "Manusia", "Menteri",
    "Wakil", "Nusa", "Rakyat", "Kabar6", "Tempora", "Indonesia", "Jakarta", "Kanwil", "Ditjen",
    "Direktorat", "Jenderal", "Satu", "Data", "Desa", "Sadar", "Peduli", "Kabupaten", "Kota",
    "Instrumen", "Penguatan", "Pelayanan", "Kepatuhan", "Hukum", *DAYS, *MONTHS,
})
# fmt: on
_WORD = re.compile(r"\b[A-Z][a-z]{2,}\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])")
_LONG_WORD = re.compile(r"\b[a-z]{6,}\b")
_NUMBER = re.compile(r"\b\d+\b")
_SYLLABLES = (
    "ba",
    "di",
    "ka",
    "lu",
    "ma",
    "no",
    "ra",
    "si",
    "ta",
    "wi",
    "ya",
    "har",
    "jo",
    "gun",
    "tri",
    "wan",
    "sep",
    "dar",
    "ri",
    "sum",
    "ko",
    "pe",
    "le",
    "hen",
)


def scale_corpus(corpus: Corpus, n: int) -> Corpus:
    """The corpus with ``n - 1`` synthetic copies of every article added."""
    if n < 1:
        raise ValueError(f"scale must be a whole number of 1 or more, got {n}")
    if n == 1:
        return corpus
    names = _proper_nouns(corpus)
    articles = list(corpus.articles)
    events = dict(corpus.events)
    confusable = list(corpus.confusable)
    for k in range(2, n + 1):
        articles += [_copy(a, k, names) for a in corpus.articles]
        events.update({f"{e}~{k}": f"{d} (copy {k})" for e, d in corpus.events.items()})
        confusable += [(f"{a}~{k}", f"{b}~{k}") for a, b in corpus.confusable]
    return dataclasses.replace(
        corpus,
        articles=tuple(sorted(articles, key=lambda a: (a.published, a.id))),
        events=events,
        confusable=tuple(confusable),
    )


def _proper_nouns(corpus: Corpus) -> frozenset[str]:
    """Capitalised words seen inside a sentence, not at its start."""
    found = set()
    for article in corpus.articles:
        for paragraph in article.paragraphs:
            for match in _WORD.finditer(paragraph):
                before = paragraph[: match.start()].rstrip()
                if before and before[-1] not in '.!?"\u201c:':
                    found.add(match.group())
    return frozenset(found - KEEP)


def _name(word: str, k: int) -> str:
    digest = hashlib.sha1(f"{word}~{k}".encode()).digest()
    parts = [_SYLLABLES[b % len(_SYLLABLES)] for b in digest[: 2 + digest[5] % 2]]
    return "".join(parts).capitalize()


def _rewrite(text: str, k: int, names: frozenset[str]) -> str:
    text = _WORD.sub(lambda m: _name(m.group(), k) if m.group() in names else m.group(), text)
    text = _LONG_WORD.sub(lambda m: _content_word(m.group(), k), text)
    return _NUMBER.sub(lambda m: _number(m.group(), k), text)


def _content_word(word: str, k: int) -> str:
    """A third of the longer lower-case words, swapped for made-up ones, the same in every article."""
    if hashlib.sha1(f"{word}#{k}".encode()).digest()[0] % 3:
        return word
    return _name(word, k).lower()


def _number(digits: str, k: int) -> str:
    value = int(digits)
    if value < 32 or 1900 <= value <= 2100:  # days of the month and years stay
        return digits
    return str(value + 3 * k)


def _shuffled(paragraph: str, k: int, first: bool) -> str:
    sentences = _SENTENCE.split(paragraph)
    head, rest = (sentences[:1], sentences[1:]) if first else ([], sentences)
    random.Random(f"{paragraph}~{k}").shuffle(rest)
    return " ".join(head + rest)


def _copy(article: Article, k: int, names: frozenset[str]) -> Article:
    paragraphs = tuple(
        _rewrite(_shuffled(p, k, i == 0), k, names) for i, p in enumerate(article.paragraphs)
    )
    return dataclasses.replace(
        article,
        id=f"{article.id}~{k}",
        event=f"{article.event}~{k}",
        wire_of=f"{article.wire_of}~{k}" if article.wire_of else None,
        title=_rewrite(article.title, k, names),
        paragraphs=paragraphs,
    )
