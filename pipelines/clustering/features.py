"""What a story is compared on: IDF-weighted term vectors, names and numbers.

Document frequencies are counted incrementally over every clustered article, so the
weights adapt to the coverage being monitored: words every report of the beat uses
(the minister, the ministry, the function words of the language) fall towards zero
weight without any word list, and the specifics of one event (places, counterparts,
figures) carry the similarity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from pipelines.clustering.text import ParsedText, number_form, term_hashes
from pipelines.language import language_group

__all__ = [
    "Cosines", "DocVector", "TermStatistics", "doc_record", "restore_vector",
    "shared_terms", "similarities", "story_terms",
]

_TF_LIMIT = 127  # term counts are kept in 7 bits; bit 8 marks a name or number
_NAME_FLAG = 128


@dataclass(frozen=True, slots=True)
class DocVector:
    """A document's terms as vocabulary ids with one code byte each (its count up to
    127, plus 128 when the term is a name or number), and the row of its language's
    document frequencies."""

    ids: np.ndarray  # int32, unique
    codes: np.ndarray  # uint8
    row: int = 0

    def __len__(self) -> int:
        return len(self.ids)


class TermStatistics:
    """The vocabulary and document frequencies of every clustered article, counted
    apart for each language.

    ``idf(t) = ln((N + 2) / (df(t) + 1))`` among the N articles in the language of
    the article weighed: the smoothed inverse document frequency, defined from the
    very first article and near zero for a term found in every article of that
    language. Counted apart, the function words and the beat's vocabulary of a
    language few articles use ("the", "human rights" in an Indonesian stream) weigh
    as little as the majority's own, instead of looking rare. Languages are told by
    their commonest words (``language_group``); the rest share one count.
    ``name_weight`` multiplies the weight of names and numbers.
    """

    def __init__(self, name_weight: float) -> None:
        self.languages: list[str] = []  # the language of each row of frequencies
        self.docs = np.zeros(0, dtype=np.int64)  # articles counted in each row
        self._ids: dict[str, int] = {}
        self._terms: list[str] = []
        self._df = np.zeros((0, 1024), dtype=np.int64)
        self._log_df = np.zeros((0, 1024), dtype=np.float64)  # ln(df + 1), kept with df
        self._hashes = np.zeros(1024, dtype=np.uint32)  # term_hash of each vocabulary term
        self._numeric = np.zeros(1024, dtype=bool)  # whether a term starts with a digit
        self._scratch = np.zeros(1024, dtype=np.float64)
        counts = np.arange(256) % _NAME_FLAG
        weights = 1.0 + np.log(np.maximum(counts, 1))
        weights[counts == 0] = 0.0
        weights[_NAME_FLAG:] *= name_weight
        self._code_weight = weights

    def __len__(self) -> int:
        return len(self._terms)

    def vector(self, parsed: ParsedText,
               title: ParsedText | None = None) -> tuple[DocVector, np.ndarray, frozenset[str]]:
        """The term vector of a text and its title (whose words count like the body's),
        the stable hashes of the text's tokens in order (for its shingles), and the
        numbers (terms starting with a digit) of both."""
        row = self.row(language_group(parsed.tokens))
        body = self.intern_all(parsed.tokens)
        every = np.concatenate([body, self.intern_all(title.tokens)]) if title else body
        ids, counts = np.unique(every, return_counts=True)
        flagged = self._numeric[ids]
        numbers = frozenset(map(self._terms.__getitem__, ids[flagged].tolist()))
        if parsed.names and len(ids):
            names = self.intern_all(list(parsed.names))
            at = np.minimum(np.searchsorted(ids, names), len(ids) - 1)
            flagged[at[ids[at] == names]] = True
        codes = (np.minimum(counts, _TF_LIMIT) | flagged * _NAME_FLAG).astype(np.uint8)
        return self.in_term_order(ids, codes, row), self._hashes[every[:len(body)]], numbers

    @property
    def n_docs(self) -> int:
        """The number of articles counted, in every language."""
        return int(self.docs.sum())

    def row(self, language: str) -> int:
        """The row of ``language``'s document frequencies, added when first met."""
        if language not in self.languages:
            self.languages.append(language)
            self.docs = np.append(self.docs, 0)
            self._df = np.vstack([self._df, np.zeros(self._df.shape[1], dtype=np.int64)])
            self._log_df = np.vstack([self._log_df, np.zeros(self._df.shape[1])])
        return self.languages.index(language)

    def add(self, vector: DocVector) -> None:
        """Count one more article containing the terms of ``vector``."""
        self.docs[vector.row] += 1
        df = self._df[vector.row]
        df[vector.ids] += 1
        self._log_df[vector.row][vector.ids] = np.log(df.take(vector.ids) + 1.0)

    def load(self, frequencies: dict[str, dict[str, int]], docs: dict[str, int]) -> None:
        """Restore stored document frequencies, by language (before any article is added)."""
        for language, counted in sorted(docs.items()):
            row = self.row(language)
            self.docs[row] = counted
            terms = frequencies.get(language, {})
            ids = self.intern_all(list(terms))
            np.add.at(self._df[row], ids, list(terms.values()))
        self._log_df = np.log(self._df + 1.0)

    def df(self, term: str, language: str) -> int:
        index = self._ids.get(term)
        if index is None or language not in self.languages:
            return 0
        return int(self._df[self.languages.index(language), index])

    def term(self, index: int) -> str:
        return self._terms[index]

    def language(self, vector: DocVector) -> str:
        return self.languages[vector.row]

    def weights(self, vector: DocVector) -> np.ndarray:
        """The IDF-weighted term weights of ``vector`` under the current frequencies."""
        idf = math.log(self.docs[vector.row] + 2.0) - self._log_df[vector.row].take(vector.ids)
        return self._code_weight.take(vector.codes) * idf

    def name_weights(self, vector: DocVector) -> np.ndarray:
        """The weights of ``vector``'s names and numbers, under document frequencies
        counted over every language (0 for its other terms): what a report shares with
        one in another language, whose words are not its own."""
        df = self._df[:, vector.ids].sum(axis=0)
        idf = math.log(self.n_docs + 2.0) - np.log(df + 1.0)
        return np.where(vector.codes >= _NAME_FLAG, self._code_weight[vector.codes] * idf, 0.0)

    def counted(self, a: DocVector, b: DocVector) -> int:
        """The articles the weights of a comparison of ``a`` and ``b`` were counted
        among: those of their language, or every article across languages."""
        return int(self.docs[a.row]) if a.row == b.row else self.n_docs

    def intern_all(self, terms: list[str]) -> np.ndarray:
        """The vocabulary ids of ``terms`` (int32), in order, adding the new ones."""
        ids = np.fromiter(map(self._ids.get, terms, repeat(-1)), dtype=np.int32, count=len(terms))
        missing = np.flatnonzero(ids < 0).tolist()
        if missing:
            new = list(map(terms.__getitem__, missing))
            self._add_terms(list(dict.fromkeys(new)))
            ids[missing] = list(map(self._ids.__getitem__, new))
        return ids

    def _add_terms(self, terms: list[str]) -> None:
        """Add terms not in the vocabulary; a number joins the entry of its
        :func:`number_form` (one entry however a language groups its digits)."""
        forms = [number_form(term) if term[:1].isdigit() else term for term in terms]
        new = [form for form in dict.fromkeys(forms) if form not in self._ids]
        first = len(self._terms)
        self._ids.update(zip(new, range(first, first + len(new))))
        self._terms.extend(new)
        self._ids.update((term, self._ids[form]) for term, form in zip(terms, forms) if term != form)
        while len(self._terms) > len(self._hashes):
            grow = len(self._hashes)
            self._df = np.hstack([self._df, np.zeros((len(self.languages), grow), dtype=np.int64)])
            self._log_df = np.hstack([self._log_df, np.zeros((len(self.languages), grow))])
            self._hashes = np.concatenate([self._hashes, np.zeros(grow, dtype=np.uint32)])
            self._numeric = np.concatenate([self._numeric, np.zeros(grow, dtype=bool)])
            self._scratch = np.concatenate([self._scratch, np.zeros(grow)])
        self._hashes[first:len(self._terms)] = term_hashes(new)
        self._numeric[first:len(self._terms)] = [term[:1].isdigit() for term in new]

    def in_term_order(self, ids: np.ndarray, codes: np.ndarray, row: int) -> DocVector:
        """A vector ordered by its terms' stable hashes, not by vocabulary ids (which
        depend on the order terms were first met): sums run in the same order after a
        restart, so scores are bit-for-bit those of a continuous run."""
        order = np.lexsort((ids, self._hashes[ids]))
        return DocVector(ids[order], codes[order], row)

    def scratch(self) -> np.ndarray:
        """A zeroed dense array over the vocabulary, for one dot product at a time."""
        return self._scratch


def similarities(stats: TermStatistics, query: DocVector,
                 candidates: list[DocVector]) -> np.ndarray:
    """Cosine similarities of ``query`` with each candidate, under current IDF weights
    (0 for an empty vector); with a candidate in another language, the cosine of their
    names and numbers (:meth:`TermStatistics.name_weights`)."""
    return Cosines(stats, candidates).of(query)


class Cosines:
    """:func:`similarities` of one query after another with the same candidates, whose
    weights are looked up once for all of them (the statistics must not change
    meanwhile): a story compared member by member with another."""

    def __init__(self, stats: TermStatistics, candidates: list[DocVector]) -> None:
        self.stats, self.candidates = stats, candidates
        self._groups: dict[tuple[bool, int], tuple | None] = {}

    def of(self, query: DocVector) -> np.ndarray:
        """The cosines of ``query`` with each candidate."""
        scores = np.zeros(len(self.candidates))
        if not len(query):
            return scores
        for same in (True, False):
            group = self._group(same, query.row)
            if group is None:
                continue
            chosen, ids, weights, offsets, norms = group
            q_weights = (self.stats.weights if same else self.stats.name_weights)(query)
            scratch = self.stats.scratch()
            scratch[query.ids] = q_weights
            dots = np.add.reduceat(scratch.take(ids) * weights, offsets)
            scratch[query.ids] = 0.0
            norms = norms * math.sqrt(float(q_weights @ q_weights))
            scores[chosen] = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)
        return scores

    def _group(self, same: bool, row: int) -> tuple | None:
        """The non-empty candidates in the language of ``row`` (``same``), else in
        another, weighed as a query of that row weighs them: their places, their terms
        and weights end to end, where each starts, and the length of each."""
        key = (same, row)
        if key not in self._groups:
            chosen = [i for i, c in enumerate(self.candidates) if len(c) and (c.row == row) == same]
            group = None
            if chosen:
                vectors = [self.candidates[i] for i in chosen]
                ids = np.concatenate([v.ids for v in vectors])
                codes = np.concatenate([v.codes for v in vectors])
                weigh = self.stats.weights if same else self.stats.name_weights
                weights = weigh(DocVector(ids, codes, vectors[0].row))
                offsets = np.cumsum([0] + [len(v) for v in vectors[:-1]])
                group = (chosen, ids, weights, offsets,
                         np.sqrt(np.add.reduceat(weights * weights, offsets)))
            self._groups[key] = group
        return self._groups[key]


def shared_terms(stats: TermStatistics, a: DocVector, b: DocVector,
                 limit: int = 10) -> list[tuple[str, float, bool]]:
    """The terms ``a`` and ``b`` share, heaviest first: (term, share of the score, is a
    name or number)."""
    common, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    if not len(common):
        return []
    weigh = stats.weights if a.row == b.row else stats.name_weights
    wa, wb = weigh(a)[ia], weigh(b)[ib]
    products = wa * wb
    total = float(products.sum()) or 1.0
    order = np.argsort(-products, kind="stable")[:limit]
    special = (a.codes[ia] & _NAME_FLAG) > 0
    return [(stats.term(int(common[i])), round(float(products[i]) / total, 3), bool(special[i]))
            for i in order if products[i] > 0]


def story_terms(parsed: ParsedText, title: ParsedText, numbers: frozenset[str]) -> list[str]:
    """What a story signature is made of: the text's names, the numbers of the text and
    its title (from :meth:`TermStatistics.vector`) and the headline words."""
    return sorted(parsed.names | numbers | set(title.tokens))


def doc_record(stats: TermStatistics, vector: DocVector, names: frozenset[str],
               numbers: frozenset[str]) -> dict:
    """The JSON-able features stored with an article's signatures (see ``restore_vector``)."""
    term = stats.term
    counts = (vector.codes & (_NAME_FLAG - 1)).tolist()
    return {
        "language": stats.language(vector),
        "terms": {term(i): c for i, c in zip(vector.ids.tolist(), counts)},
        "names": sorted(names),
        "numbers": sorted(numbers),
    }


def restore_vector(stats: TermStatistics, record: dict) -> DocVector:
    """The term vector a stored feature record describes."""
    terms = record.get("terms", {})
    ids = stats.intern_all(list(terms))
    counts = np.fromiter(terms.values(), dtype=np.int64, count=len(terms))
    codes = np.minimum(counts, _TF_LIMIT).astype(np.uint8)
    special = [t for t in (*record.get("names", ()), *record.get("numbers", ())) if t in terms]
    if special:
        codes[np.isin(ids, stats.intern_all(special))] |= _NAME_FLAG
    return stats.in_term_order(ids, codes, stats.row(record.get("language", "")))
