"""The window's articles as rows of arrays, for narrowing candidates in bulk.

The story index hands back dozens to hundreds of candidates for each article, of which
a handful are scored. Looking at each candidate in Python (its time, its signature)
cost more than the scoring itself; with each article's publication time, arrival
number and story signature in a row of an array, the narrowing is a few numpy calls
however many candidates there are. Rows of articles that left the window are reused.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat

import numpy as np

from pipelines.clustering.state import Node

__all__ = ["NodeTable"]

_FIRST_ROWS = 1024


class NodeTable:
    """Rows of the window's articles: publication time (NaN when undated), arrival
    number and story signature (with whether it has one), by article key."""

    def __init__(self, num_perm: int) -> None:
        self._rows: dict[str, int] = {}
        self._nodes: list[Node | None] = []
        self._free: list[int] = []
        self.times = np.full(_FIRST_ROWS, np.nan)
        self.seqs = np.zeros(_FIRST_ROWS, dtype=np.int64)
        self.signed = np.zeros(_FIRST_ROWS, dtype=bool)
        self.signatures = np.zeros((_FIRST_ROWS, num_perm), dtype=np.uint64)

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, node: Node) -> None:
        """Give ``node`` a row (it must not have one)."""
        row = self._free.pop() if self._free else len(self._nodes)
        if row == len(self._nodes):
            self._nodes.append(None)
            if row == len(self.seqs):
                self._grow()
        self._rows[node.key] = row
        self._nodes[row] = node
        self.times[row] = np.nan if node.time is None else node.time
        self.seqs[row] = node.seq
        self.signed[row] = node.story_sig is not None
        if node.story_sig is not None:
            self.signatures[row] = node.story_sig.hashvalues

    def remove(self, key: str) -> None:
        """Free the row of the article ``key`` (nothing when it has none)."""
        row = self._rows.pop(key, None)
        if row is not None:
            self._nodes[row] = None
            self._free.append(row)

    def rows(self, keys: Iterable[str]) -> np.ndarray:
        """The rows of those of ``keys`` that have one (a shared index may name
        articles of another worker's window)."""
        keys = list(keys)
        rows = np.fromiter(map(self._rows.get, keys, repeat(-1)), dtype=np.int64,
                           count=len(keys))
        return rows[rows >= 0]

    def nodes(self, rows: np.ndarray) -> list[Node]:
        return list(map(self._nodes.__getitem__, rows.tolist()))

    def agreement(self, signature, rows: np.ndarray) -> np.ndarray:
        """How many hash values each row's story signature shares with ``signature``
        (0 where either has none): the MinHash estimate of their Jaccard, unscaled."""
        if signature is None:
            return np.zeros(len(rows), dtype=np.int64)
        equal = self.signatures[rows] == signature.hashvalues
        return np.count_nonzero(equal, axis=1) * self.signed[rows]

    def _grow(self) -> None:
        grow = len(self.seqs)
        self.times = np.concatenate([self.times, np.full(grow, np.nan)])
        self.seqs = np.concatenate([self.seqs, np.zeros(grow, dtype=np.int64)])
        self.signed = np.concatenate([self.signed, np.zeros(grow, dtype=bool)])
        self.signatures = np.vstack([self.signatures, np.zeros_like(self.signatures)])
