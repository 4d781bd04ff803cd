"""MinHash signatures and the two LSH indexes that find candidates cheaply.

Signatures are datasketch ``LeanMinHash`` objects over pre-hashed 32-bit values
(stable CRC-32 based hashes from ``text``), stored as ``LeanMinHash.serialize`` bytes
in little-endian order; the bytes carry the seed and the permutation scheme, and the
database row repeats ``num_perm``, ``seed`` and ``scheme`` beside them. The LSH
storage is datasketch's ``storage_config`` from the parameters, so the in-memory
index can be swapped for a Redis-backed one shared by several workers.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from pipelines.clustering.params import ClusterParams

__all__ = [
    "SignatureIndex",
    "Signer",
    "dump_signature",
    "estimated_jaccard",
    "load_signature",
]

_BYTE_ORDER = "<"


# The MinHash input hash: values are already stable 32-bit hashes, so ``int`` (the
# identity on them, and a C call) is the hash function.
_PREHASHED = int


class Signer:
    """Makes MinHash signatures with one fixed ``num_perm``, ``seed`` and scheme."""

    def __init__(self, params: ClusterParams) -> None:
        self.num_perm, self.seed, self.scheme = params.num_perm, params.seed, params.scheme
        # one MinHash, cleared for each signature: building one per signature re-checks the
        # permutations every time, a tenth of the clustering's cost
        self._minhash = MinHash(num_perm=self.num_perm, seed=self.seed, scheme=self.scheme,
                                hashfunc=_PREHASHED)

    def sign(self, hashes: np.ndarray | list[int]) -> LeanMinHash | None:
        """The signature of a set of 32-bit hashes; ``None`` for an empty set."""
        values = hashes.tolist() if isinstance(hashes, np.ndarray) else list(hashes)
        if not values:
            return None
        self._minhash.clear()
        self._minhash.update_batch(values)
        return LeanMinHash(self._minhash)

    def accepts(self, signature: LeanMinHash) -> bool:
        """Whether a stored signature was made with this signer's parameters."""
        return (len(signature) == self.num_perm and signature.seed == self.seed
                and signature.scheme == self.scheme)


def dump_signature(signature: LeanMinHash | None) -> bytes | None:
    """The stable byte form of a signature (LeanMinHash.serialize, little-endian)."""
    if signature is None:
        return None
    buffer = bytearray(signature.bytesize(_BYTE_ORDER))
    signature.serialize(buffer, _BYTE_ORDER)
    return bytes(buffer)


def load_signature(data: bytes | None) -> LeanMinHash | None:
    """A signature back from :func:`dump_signature` bytes."""
    return None if not data else LeanMinHash.deserialize(data, _BYTE_ORDER)


def estimated_jaccard(a: LeanMinHash, b: LeanMinHash) -> float:
    """The share of equal hash values: the MinHash estimate of the sets' Jaccard."""
    return float(np.count_nonzero(a.hashvalues == b.hashvalues)) / len(a.hashvalues)


def estimated_jaccards(signature: LeanMinHash | None,
                       others: list[LeanMinHash | None]) -> np.ndarray:
    """:func:`estimated_jaccard` of ``signature`` with each of ``others`` at once (0 where
    either is None)."""
    estimates = np.zeros(len(others))
    present = [i for i, other in enumerate(others) if other is not None]
    if signature is None or not present:
        return estimates
    values = np.concatenate([others[i].hashvalues for i in present]).reshape(len(present), -1)
    estimates[present] = np.count_nonzero(values == signature.hashvalues, axis=1) / values.shape[1]
    return estimates


class SignatureIndex:
    """Two MinHashLSH indexes: word shingles (copies) and names/numbers (stories)."""

    def __init__(self, params: ClusterParams) -> None:
        def lsh(kind: str, bands: int, rows: int) -> MinHashLSH:
            config = dict(params.lsh_storage)
            if config["type"] != "dict":
                config.setdefault("basename", f"warta_{kind}".encode())
            return MinHashLSH(num_perm=params.num_perm, params=(bands, rows),
                              storage_config=config)

        self._shared = params.lsh_storage["type"] != "dict"
        self.shingles = lsh("shingles", params.shingle_bands, params.shingle_rows)
        self.stories = lsh("stories", params.story_bands, params.story_rows)

    def insert(self, key: Hashable, shingle_sig: LeanMinHash | None,
               story_sig: LeanMinHash | None) -> None:
        """Index an article (a shared index may hold it already from another worker)."""
        for lsh, signature in ((self.shingles, shingle_sig), (self.stories, story_sig)):
            if signature is not None and not (self._shared and key in lsh):
                lsh.insert(key, signature, check_duplication=False)

    def remove(self, key: Hashable) -> None:
        """Drop an article from both indexes (leaving the time window)."""
        for lsh in (self.shingles, self.stories):
            if key in lsh:
                lsh.remove(key)

    def candidates(self, shingle_sig: LeanMinHash | None,
                   story_sig: LeanMinHash | None) -> tuple[list, list]:
        """Keys that may be copies (shingle buckets) and that may be the same story."""
        copies = self.shingles.query(shingle_sig) if shingle_sig is not None else []
        stories = self.stories.query(story_sig) if story_sig is not None else []
        return copies, stories
