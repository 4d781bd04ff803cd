"""What the clusterer keeps per article and per story, and the decisions it hands out."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from datasketch import LeanMinHash

from pipelines.clustering.features import DocVector, TermStatistics, doc_record
from pipelines.clustering.index import dump_signature
from pipelines.clustering.params import FEATURES_VERSION

__all__ = ["Cluster", "Decision", "Doc", "Match", "Node", "Signed", "StoredArticle"]


@dataclass(frozen=True)
class Doc:
    """An article to cluster. ``key`` identifies it (the canonical URL in a crawl, the
    input id in a batch); times are POSIX seconds, ``published`` None when unknown;
    ``seen`` (fetch time) keeps an undated article in the time window."""

    key: str
    title: str
    text: str
    published: float | None = None
    source: str | None = None
    seen: float | None = None


@dataclass(eq=False, slots=True)
class Node:
    """One article inside the clusterer's time window."""

    key: str
    seq: int
    source: str | None
    time: float | None
    seen: float | None
    text_hash: str
    vector: DocVector
    shingle_sig: LeanMinHash | None
    story_terms: np.ndarray  # uint32 hashes of names, numbers and headline words
    cluster: int
    story_sig: LeanMinHash | None = None
    duplicate_of: str | None = None
    nearest: str | None = None
    support: int = 0
    score: float | None = None
    similarity: float | None = None

    @property
    def reference_time(self) -> float | None:
        """The time that places the article in the window: publication, else fetch."""
        return self.time if self.time is not None else self.seen

    @property
    def order(self) -> tuple[float, int]:
        """Earliest first: dated by publication time, undated after, then by arrival."""
        return (self.time if self.time is not None else math.inf, self.seq)


@dataclass(eq=False, slots=True)
class Cluster:
    """A story: its members inside the window and its representative article."""

    id: int
    members: list[Node] = field(default_factory=list)
    representative: str | None = None

    def elect(self) -> None:
        """The representative: an original report, not a copy, when the story has one
        (a copy fetched before its original is its family's nearest at first); among
        those the member most often chosen as nearest, earliest on ties."""
        if self.members:
            best = max(self.members, key=lambda n: (n.duplicate_of is None, n.support,
                                                    -n.order[0], -n.seq))
            self.representative = best.key


@dataclass(frozen=True)
class Match:
    """An article compared with the incoming one: its key, its cluster, the cosine
    and, for copies, the estimated shingle Jaccard."""

    key: str
    cluster: int
    score: float
    jaccard: float | None = None


@dataclass
class Decision:
    """Where one article went, why, and what storage must write for it.

    ``kind`` is ``"new"`` (it founded ``cluster_id``), ``"joined"``, ``"duplicate"``
    (a copy of ``duplicate_of``, estimated shingle Jaccard ``similarity``) or
    ``"update"`` (an article seen before, fetched again). ``merged`` lists the
    (dropped, kept) clusters folded together while deciding, in order; ``reparented``
    maps copies (and the
    former earliest copy) that now point to this article to their similarity.
    ``late`` marks an article that came after others of its time had left the index
    (out of time order, beyond the window): it may have missed its copies and story.
    """

    key: str
    kind: str
    cluster_id: int
    text_hash: str
    score: float | None = None
    duplicate_of: str | None = None
    similarity: float | None = None
    matches: list[Match] = field(default_factory=list)
    merged: list[tuple[int, int]] = field(default_factory=list)  # (dropped, kept)
    reparented: dict[str, float] = field(default_factory=dict)
    representative: str | None = None
    signed: Signed | None = field(default=None, repr=False)
    late: bool = False

    @property
    def features(self) -> dict | None:
        """The feature record to store with the signatures (None: nothing new to store)."""
        return None if self.signed is None else self.signed.features()

    def to_record(self) -> dict:
        """What storage needs to persist the decision, as plain values: the fields
        above, ``features``, the signatures as bytes and ``signer`` (num_perm, seed,
        scheme)."""
        record = {name: getattr(self, name) for name in _RECORD_FIELDS}
        signed = self.signed
        record.update(
            features=None if signed is None else signed.features(),
            shingle_sig=None if signed is None else dump_signature(signed.shingle_sig),
            story_sig=None if signed is None else dump_signature(signed.story_sig),
            signer=None if signed is None else signed.signer,
        )
        return record

    def explain(self) -> dict:
        """A JSON-able account of the decision."""
        return {
            "article": self.key,
            "kind": self.kind,
            "cluster": self.cluster_id,
            "score": self.score,
            "duplicate_of": self.duplicate_of,
            "similarity": self.similarity,
            "merged": self.merged,
            "nearest": [{"article": m.key, "cluster": m.cluster, "score": round(m.score, 4),
                         "jaccard": m.jaccard} for m in self.matches],
        }


_RECORD_FIELDS = ("key", "kind", "cluster_id", "text_hash", "score", "duplicate_of", "similarity",
                  "merged", "reparented", "representative")


@dataclass(frozen=True)
class Signed:
    """An article's signatures and what its stored feature record is made from (built
    only when storage asks: a batch run never needs it)."""

    stats: TermStatistics
    vector: DocVector
    names: frozenset[str]
    numbers: frozenset[str]
    story: list[str]
    nearest: str | None
    shingle_sig: LeanMinHash | None
    story_sig: LeanMinHash | None
    signer: tuple[int, int, str]

    def features(self) -> dict:
        record = doc_record(self.stats, self.vector, self.names, self.numbers)
        record.update(story=self.story, v=FEATURES_VERSION, nearest=self.nearest)
        return record


@dataclass(frozen=True)
class StoredArticle:
    """An article as the database restores it into the clusterer."""

    key: str
    source: str | None
    published: float | None
    seen: float | None
    text_hash: str
    cluster_id: int
    duplicate_of: str | None
    score: float | None
    similarity: float | None
    features: dict
    shingle_sig: LeanMinHash | None
    story_sig: LeanMinHash | None
