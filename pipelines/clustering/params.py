"""The parameters of duplicate detection and story clustering, in one validated place.

The defaults are the measured choices explained in docs/clustering.md. Signatures
stored in the database record ``num_perm``, ``seed`` and ``scheme``; a database
signed with other values is re-signed from the article text when it is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FEATURES_VERSION", "ClusterParams"]

# Bumped whenever tokenization, shingling, language grouping or the stored feature
# layout changes: stored signatures of another version are recomputed from the article
# text, and the document frequencies recounted.
FEATURES_VERSION = 5


@dataclass(frozen=True)
class ClusterParams:
    """How articles are signed, indexed and compared.

    Tier 1 (duplicates): word ``shingle_size``-shingles, one in ``shingle_sample``
    kept by hash value and, in a text with fewer kept than ``shingle_min``, its
    smallest other hashes up to that many; MinHash with ``num_perm`` permutations;
    LSH bands ``shingle_bands`` x ``shingle_rows``; a candidate whose estimated
    Jaccard reaches ``duplicate_threshold`` is a near-verbatim copy when the two are
    at most ``max_gap_hours`` apart, or either is undated (the same text is a copy
    at any distance).

    Tier 2 (stories): the story signature is a MinHash of the article's names,
    numbers and headline words, leaving out those already in ``story_max_df`` or more
    articles of the window; LSH bands ``story_bands`` x ``story_rows``. At most
    ``verify_limit`` candidates, those whose story signatures agree most, are scored.
    Candidates are verified by the cosine of IDF-weighted term vectors, names and
    numbers counting ``name_weight`` times a common word; an article joins the
    cluster of its best match when the cosine reaches ``join_threshold`` and, if both
    are dated, they are at most ``max_gap_hours`` apart. Two clusters a new article
    links to are merged when the smaller's members reach the threshold with their
    closest partners in the other, on average. While the
    statistics are young the threshold carries a margin, ``idf_margin / sqrt(N)`` for N
    articles counted (in the article's language), and each time a language's N doubles
    (up to ``sweep_until``) its articles in the window are re-examined and clusters that
    now reach the threshold are merged; a batch ends with one more re-examination.

    The index keeps articles whose time (publication, else fetch) lies within
    ``window_days`` of the newest time seen, and in any case the ``window_articles``
    newest (so that articles arriving out of time order, as a backfill or a batch
    sorted by outlet does, still meet their stories); undated and unfetched ones stay.
    ``lsh_storage`` is datasketch's ``storage_config`` (``{"type": "dict"}`` in
    memory; ``{"type": "redis", ...}`` for an index shared between workers).
    """

    num_perm: int = 64
    seed: int = 1
    scheme: str = "affine32"
    shingle_size: int = 5
    shingle_sample: int = 4
    shingle_min: int = 32
    shingle_bands: int = 8
    shingle_rows: int = 4
    duplicate_threshold: float = 0.5
    story_bands: int = 16
    story_rows: int = 1
    story_max_df: int = 200
    verify_limit: int = 8
    name_weight: float = 2.0
    join_threshold: float = 0.25
    idf_margin: float = 0.5
    sweep_until: int = 1024
    max_gap_hours: float = 72.0
    window_days: float = 7.0
    window_articles: int = 10_000
    lsh_storage: dict = field(default_factory=lambda: {"type": "dict"})

    def late_note(self, count: int) -> str:
        """What to say of ``count`` articles that came after others of their time had
        left the index."""
        return (f"{count} articles came after others of their time had left the story index "
                f"(more than {self.window_days:g} days older than the newest, beyond the "
                f"{self.window_articles:,} newest): they may have missed their copies and stories")

    def __post_init__(self) -> None:
        if self.scheme not in ("affine32", "affine64", "legacy"):
            raise ValueError(f"scheme must be affine32, affine64 or legacy, got {self.scheme!r}")
        for name, bands, rows in (("shingle", self.shingle_bands, self.shingle_rows),
                                  ("story", self.story_bands, self.story_rows)):
            if bands < 2 or rows < 1:
                raise ValueError(f"{name}_bands must be 2 or more and {name}_rows 1 or more")
            if bands * rows > self.num_perm:
                raise ValueError(
                    f"{name}_bands x {name}_rows = {bands * rows} exceeds num_perm "
                    f"{self.num_perm}; raise num_perm or use fewer bands"
                )
        if self.verify_limit < 1:
            raise ValueError(f"verify_limit must be 1 or more, got {self.verify_limit}")
        if self.story_max_df < 2:
            raise ValueError(f"story_max_df must be 2 or more, got {self.story_max_df}")
        for name in ("duplicate_threshold", "join_threshold"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be above 0 and at most 1, got {value}")
        for name in ("shingle_sample", "shingle_min"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be 1 or more, got {getattr(self, name)}")
        if not 1 <= self.shingle_size <= 8:
            raise ValueError(f"shingle_size must be between 1 and 8, got {self.shingle_size}")
        if self.max_gap_hours <= 0 or self.window_days * 24 < self.max_gap_hours:
            raise ValueError("max_gap_hours must be above 0 and within window_days")
        if self.window_articles < 0:
            raise ValueError(f"window_articles must be 0 or more, got {self.window_articles}")
        if self.name_weight <= 0:
            raise ValueError(f"name_weight must be above 0, got {self.name_weight}")
        if "type" not in self.lsh_storage:
            raise ValueError("lsh_storage needs a 'type' ('dict' or 'redis')")
