"""The incremental clusterer: each article in turn becomes a copy, joins a story or starts one.

``Clusterer.assign(doc)`` decides for one article and remembers it; the same articles
in the same order always give the same decisions, whether they come in one batch, in
several crawls, or across a restart from the database (``Clusterer.restore``).

1. Copies: an article whose body hashes equal to, or whose word-shingle MinHash
   estimates a Jaccard of ``duplicate_threshold`` or more with, an article in the
   window (dated pairs at most ``max_gap_hours`` apart) is a copy; it points to the
   earliest copy of its family and joins its story. Its candidates come from the
   shingle buckets, the same text hash and the story shortlist (below).
2. Stories: candidates come from the names-and-numbers LSH index; each is scored by
   the cosine of IDF-weighted term vectors; the article joins the cluster of its best
   match at ``join_threshold`` or above (dated pairs at most ``max_gap_hours`` apart),
   else it starts a new cluster. Other clusters it also reaches are merged in when
   the members of the smaller reach the threshold with their closest partners in the
   other, on average (``_may_merge``), and no analyst kept them apart.
"""

from __future__ import annotations

import bisect
import gc
import heapq
from operator import attrgetter

import numpy as np

from pipelines.clustering.features import (
    Cosines,
    DocVector,
    TermStatistics,
    restore_vector,
    similarities,
    story_terms,
)
from pipelines.clustering.index import SignatureIndex, Signer, estimated_jaccard, estimated_jaccards
from pipelines.clustering.params import ClusterParams
from pipelines.clustering.state import Cluster, Decision, Doc, Match, Node, Signed, StoredArticle
from pipelines.clustering.table import NodeTable
from pipelines.clustering.text import ParsedText, parse_text, shingle_hashes, term_hashes, text_hash

__all__ = ["Clusterer"]

_MATCHES_KEPT = 3
_MERGE_CHECK_LIMIT = 64  # newest members of each cluster compared before a merge
# The window's articles live for days: every this many articles, what survives a
# collection is moved out of the cyclic garbage collector's way (gc.freeze), which
# otherwise walks the whole index again and again (a tenth of the time at 20,000
# articles, more as it grows). The young generations are collected first, so that fresh
# garbage is not frozen with it (a full collection first would cost a sixth of the time).
_FREEZE_EVERY = 1000


class Clusterer:
    """Incremental duplicate detection and story clustering over a time window."""

    def __init__(self, params: ClusterParams | None = None, next_cluster_id: int = 1) -> None:
        self.params = params or ClusterParams()
        self.stats = TermStatistics(self.params.name_weight)
        self.signer = Signer(self.params)
        self.index = SignatureIndex(self.params)
        self._table = NodeTable(self.params.num_perm)
        self.nodes: dict[str, Node] = {}
        self.clusters: dict[int, Cluster] = {}
        self._by_hash: dict[str, list[Node]] = {}
        self._story_df: dict[int, int] = {}  # story term hash -> articles in the window
        self._families: dict[str, list[Node]] = {}  # earliest copy -> later copies
        self._alias: dict[int, int] = {}  # merged cluster -> cluster it went into
        self._apart: set[frozenset[int]] = set()
        self._window: list[tuple[float, int, str]] = []
        self._watermark: float | None = None
        self._gone_until: float | None = None  # the newest time of an article that left
        self._seq = 0
        self._next_cluster = next_cluster_id

    # -- deciding ---------------------------------------------------------------------

    def assign(self, doc: Doc) -> Decision:
        """Decide where ``doc`` goes and remember it."""
        known = self.nodes.get(doc.key)
        if known is not None:
            return self._update(known, doc)
        parsed, title = parse_text(doc.text), parse_text(doc.title or "")
        vector, tokens, numbers = self.stats.vector(parsed, title)
        self.stats.add(vector)
        terms = story_terms(parsed, title, numbers)
        node = Node(key=doc.key, seq=self._seq, source=doc.source, time=doc.published,
                    seen=doc.seen, text_hash=text_hash(doc.text), vector=vector,
                    shingle_sig=self._shingle_signature(tokens), story_terms=term_hashes(terms),
                    cluster=0)
        self._seq += 1
        when, gone = node.reference_time, self._gone_until
        late = when is not None and gone is not None and when <= gone
        self._advance(node)
        node.story_sig = self._story_signature(node.story_terms)
        copies, rows = self._candidates(node)
        shortlist = self._shortlist(node, rows)
        # a copy shares its original's names, numbers and headline words too: the story
        # candidates closest to it are copy candidates, whatever the shingle bands missed
        known = {c.key for c in copies}
        more = [n for n in shortlist if n.key not in known]
        copies = sorted(copies + more, key=_arrival) if more else copies
        decision = self._as_copy(node, copies) or self._as_story(node, shortlist)
        self._admit(node)
        if self._sweep_due(vector.row):
            decision.merged.extend(self.review({vector.row}))
        decision.cluster_id = node.cluster
        decision.representative = self.clusters[node.cluster].representative
        decision.late = late
        node.score, node.similarity = decision.score, decision.similarity
        self._attach_record(decision, node, parsed, numbers, terms)
        return decision

    def _shingle_signature(self, token_hashes: np.ndarray):
        """MinHash of one shingle in ``shingle_sample``, chosen by hash value (the same
        shingles in every text, so the Jaccard estimate stays unbiased). A short text
        keeps its smallest other shingles too, up to ``shingle_min``: a handful of
        shingles would let one changed figure or place go unseen, and two templated
        reports of different days pass for copies."""
        hashes = shingle_hashes(token_hashes, self.params.shingle_size)
        chosen = hashes % self.params.shingle_sample == 0
        sampled = hashes[chosen]
        missing = self.params.shingle_min - len(sampled)
        if missing > 0:
            sampled = np.concatenate([sampled, np.unique(hashes[~chosen])[:missing]])
        return self.signer.sign(sampled)

    def _story_signature(self, hashes: np.ndarray):
        """MinHash of the article's story terms, leaving out those already in
        ``story_max_df`` or more articles of the window: a term shared by more articles
        than a story has cannot point to one story, and keeping it would make every
        such article a candidate of every other."""
        limit, df = self.params.story_max_df, self._story_df
        return self.signer.sign([h for h in hashes.tolist() if df.get(h, 0) < limit])

    def _candidates(self, node: Node) -> tuple[list[Node], np.ndarray]:
        """Articles that may be copies of ``node`` (shingle buckets, same text hash), in
        arrival order, and the table rows of all candidates (with the names-and-numbers
        buckets)."""
        copies, stories = self.index.candidates(node.shingle_sig, node.story_sig)
        same = self._by_hash.get(node.text_hash, ()) if node.shingle_sig is not None else ()
        copy_keys = {n.key for n in same}
        copy_keys.update(copies)
        copy_pool = [n for n in map(self.nodes.get, copy_keys) if n is not None]
        return sorted(copy_pool, key=_arrival), self._table.rows(copy_keys.union(stories))

    def _shortlist(self, node: Node, rows: np.ndarray) -> list[Node]:
        """The candidates (table rows) worth a cosine, in arrival order: close enough in
        time and, when there are more than ``verify_limit``, those whose story signatures
        agree most with ``node``'s."""
        table = self._table
        when = self._time_of(node)
        if when is not None and len(rows):
            times = table.times[rows]
            undated = np.flatnonzero(np.isnan(times))
            if len(undated):  # an undated candidate in a story takes its story's time
                times[undated] = [when if (t := self._time_of(n)) is None else t
                                  for n in table.nodes(rows[undated])]
            gap = self.params.max_gap_hours * 3600.0
            rows = rows[(times >= when - gap) & (times <= when + gap)]
        rows = rows[np.argsort(table.seqs[rows])]
        if len(rows) > self.params.verify_limit:
            agreement = table.agreement(node.story_sig, rows)
            best = np.argsort(-agreement, kind="stable")[:self.params.verify_limit]  # earlier on ties
            rows = rows[np.sort(best)]
        return table.nodes(rows)

    def _as_copy(self, node: Node, pool: list[Node]) -> Decision | None:
        if not pool or node.shingle_sig is None:  # a text without words copies nothing
            return None
        jaccards = estimated_jaccards(node.shingle_sig, [other.shingle_sig for other in pool])
        gap = self.params.max_gap_hours * 3600.0
        for i, other in enumerate(pool):
            if other.text_hash == node.text_hash:
                jaccards[i] = 1.0
            elif (node.time is not None and other.time is not None
                  and abs(node.time - other.time) > gap):
                jaccards[i] = 0.0  # a copy comes out near its original: this is a template
        best_i = int(np.argmax(jaccards))  # the earliest arrival among equals
        best, best_j = pool[best_i], float(jaccards[best_i])
        if best_j < self.params.duplicate_threshold:
            return None
        root = self.nodes.get(best.duplicate_of or best.key)
        node.cluster = best.cluster
        node.nearest = best.key
        score = float(similarities(self.stats, node.vector, [best.vector])[0])
        match = Match(best.key, best.cluster, score, jaccard=round(best_j, 4))
        if root is not None and node.order < root.order:
            family = [root, *self._families.pop(root.key, [])]
            reparented = {}
            for member in family:
                member.duplicate_of = node.key
                reparented[member.key] = round(self._jaccard(node, member), 4)
            self._families[node.key] = family
            return Decision(node.key, "joined", node.cluster, node.text_hash, score=score,
                            matches=[match], reparented=reparented)
        root_key = best.duplicate_of or best.key
        node.duplicate_of = root_key
        self._families.setdefault(root_key, []).append(node)
        similarity = self._jaccard(node, root) if root is not None else best_j
        return Decision(node.key, "duplicate", node.cluster, node.text_hash, score=score,
                        duplicate_of=root_key, similarity=round(similarity, 4), matches=[match])

    def _as_story(self, node: Node, pool: list[Node]) -> Decision:
        """``node`` joins the story of its best match in ``pool`` (the shortlist), or
        starts one."""
        scores = similarities(self.stats, node.vector, [other.vector for other in pool])
        ranked = sorted(zip(scores.tolist(), pool), key=lambda p: (-p[0], p[1].seq))
        matches = [Match(o.key, o.cluster, s) for s, o in ranked[:_MATCHES_KEPT]]
        best_of: dict[int, tuple[float, Node]] = {}
        for score, other in ranked:
            if score >= self.threshold(node.vector, other.vector):
                best_of.setdefault(other.cluster, (score, other))
        if not best_of:
            node.cluster = self._new_cluster()
            return Decision(node.key, "new", node.cluster, node.text_hash, matches=matches)
        reached = sorted(best_of.items(), key=lambda item: (-item[1][0], item[0]))
        target, (score, nearest) = reached[0]
        merged = []
        for other_id, _ in reached[1:]:
            target_now = self.final_cluster(target)
            if self._may_merge(target_now, other_id):
                merged.append(self._merge(target_now, other_id))
        node.cluster = self.final_cluster(target)
        node.nearest = nearest.key
        return Decision(node.key, "joined", node.cluster, node.text_hash, score=score,
                        matches=matches, merged=merged)

    def _update(self, node: Node, doc: Doc) -> Decision:
        """An article seen before: it keeps its story; a changed text is re-signed."""
        decision = Decision(node.key, "update", node.cluster, text_hash(doc.text),
                            score=node.score, duplicate_of=node.duplicate_of,
                            similarity=node.similarity)
        if decision.text_hash != node.text_hash:
            parsed, title = parse_text(doc.text), parse_text(doc.title or "")
            self._forget(node)
            node.text_hash = decision.text_hash
            node.vector, tokens, numbers = self.stats.vector(parsed, title)
            terms = story_terms(parsed, title, numbers)
            node.shingle_sig = self._shingle_signature(tokens)
            node.story_terms = term_hashes(terms)
            node.story_sig = self._story_signature(node.story_terms)
            self._admit(node)
            self._attach_record(decision, node, parsed, numbers, terms)
        decision.representative = self.clusters[node.cluster].representative
        return decision

    # -- comparisons ------------------------------------------------------------------

    def _jaccard(self, a: Node, b: Node) -> float:
        if a.text_hash == b.text_hash:
            return 1.0
        if a.shingle_sig is None or b.shingle_sig is None:
            return 0.0
        return estimated_jaccard(a.shingle_sig, b.shingle_sig)

    def _time_of(self, node: Node) -> float | None:
        """When an article happened: its publication time; for an undated one in a story,
        the time of the member it joined, else of its story's earliest dated member. An
        undated article taken as near every time would bridge the weeks of a recurring
        event once inside one of its stories. Derived from the story's members alone,
        so a restart finds the same times."""
        if node.time is not None:
            return node.time
        nearest = self.nodes.get(node.nearest) if node.nearest else None
        if nearest is not None and nearest.time is not None:
            return nearest.time
        cluster = self.clusters.get(node.cluster)
        dated = [m.time for m in cluster.members if m.time is not None] if cluster else []
        return min(dated) if dated else None

    def _may_merge(self, a: int, b: int) -> bool:
        """Whether clusters ``a`` and ``b`` are one story: each member of the smaller
        finds its closest partner in the other (among those near in time), and those
        best margins over the threshold average 0 or more. For a story of one article
        that is one pair at the threshold; between larger stories one pair is not
        enough, so a name two events share (an official, a region) links articles,
        not whole stories."""
        if a == b or self._kept_apart(a, b):
            return False
        small, large = sorted((self.clusters[a].members[-_MERGE_CHECK_LIMIT:],
                               self.clusters[b].members[-_MERGE_CHECK_LIMIT:]), key=len)
        times = [self._time_of(o) for o in large]
        cosines = Cosines(self.stats, [o.vector for o in large])
        gap = self.params.max_gap_hours * 3600.0
        margins = []
        for member in small:
            when = self._time_of(member)  # partners near in time (all when either has none)
            close = [i for i, t in enumerate(times)
                     if when is None or t is None or when - gap <= t <= when + gap]
            if close:
                scores = cosines.of(member.vector).tolist()
                margins.append(max(scores[i] - self.threshold(member.vector, large[i].vector)
                                   for i in close))
        return bool(margins) and sum(margins) / len(margins) >= 0.0

    def threshold(self, a: DocVector, b: DocVector) -> float:
        """The cosine two articles need to be one story: ``join_threshold`` plus a margin
        for the sampling error of document frequencies, shrinking as 1/sqrt(articles
        counted: in their language, or in every language for two languages' names)."""
        counted = self.stats.counted(a, b)
        return self.params.join_threshold + self.params.idf_margin / max(1, counted) ** 0.5

    def _kept_apart(self, a: int, b: int) -> bool:
        return any({self.final_cluster(x) for x in pair} == {a, b} for pair in self._apart)

    # -- clusters ---------------------------------------------------------------------

    def _new_cluster(self) -> int:
        cluster_id = self._next_cluster
        self._next_cluster += 1
        self.clusters[cluster_id] = Cluster(cluster_id)
        return cluster_id

    def final_cluster(self, cluster_id: int) -> int:
        """The cluster ``cluster_id`` ended in after merges (itself if never merged)."""
        while cluster_id in self._alias:
            cluster_id = self._alias[cluster_id]
        return cluster_id

    def _merge(self, a: int, b: int) -> tuple[int, int]:
        """Fold the younger of two clusters into the older; return (dropped, kept)."""
        kept, dropped = sorted((a, b))
        survivor, gone = self.clusters[kept], self.clusters.pop(dropped)
        for member in gone.members:
            member.cluster = kept
        survivor.members = sorted(survivor.members + gone.members, key=lambda n: n.seq)
        self._alias[dropped] = kept
        survivor.elect()
        return dropped, kept

    def _sweep_due(self, row: int) -> bool:
        """Whether the article count of language ``row`` just doubled (up to
        ``sweep_until``): the weights of a language are counted among its own articles,
        so a language that is a small share of the stream matures on its own schedule."""
        n = int(self.stats.docs[row])
        return 4 <= n <= self.params.sweep_until and n & (n - 1) == 0

    def review(self, rows: set[int]) -> list[tuple[int, int]]:
        """Re-examine the window's articles in the languages of ``rows`` with today's
        weights and merge the clusters that now have a pair of members at the threshold
        and are one story by the merge rule (:meth:`_may_merge`); return the merges. Repairs stories split while the document frequencies were
        still young: runs each time a language's article count doubles, up to
        ``sweep_until``, and at the end of a batch (:meth:`finish`)."""
        merged = []
        for node in sorted(self.nodes.values(), key=_arrival):
            if node.vector.row not in rows:
                continue
            others = [o for o in self._shortlist(node, self._candidates(node)[1])
                      if (o.seq < node.seq or o.vector.row not in rows) and o.cluster != node.cluster]
            if not others:
                continue
            scores = similarities(self.stats, node.vector, [o.vector for o in others])
            for score, other in zip(scores.tolist(), others):
                if (score >= self.threshold(node.vector, other.vector)
                        and self._may_merge(node.cluster, other.cluster)):
                    merged.append(self._merge(node.cluster, other.cluster))
        return merged

    def finish(self) -> list[tuple[int, int]]:
        """The end of a batch: re-examine the articles of each language still young (at
        most ``sweep_until`` articles), whose weights changed since its last doubling;
        return the merges."""
        young = {row for row, n in enumerate(self.stats.docs.tolist()) if n <= self.params.sweep_until}
        return self.review(young)

    def keep_apart(self, a: int, b: int) -> None:
        """Never merge clusters ``a`` and ``b`` (an analyst split one from the other)."""
        self._apart.add(frozenset((a, b)))

    # -- the window -------------------------------------------------------------------

    def _advance(self, node: Node) -> None:
        """Move the window to ``node``'s time and drop the articles that fell out of it,
        oldest first, while more than ``window_articles`` remain."""
        when = node.reference_time
        if when is None or (self._watermark is not None and when <= self._watermark):
            return
        self._watermark = when
        horizon = when - self.params.window_days * 86400.0
        keep = self.params.window_articles
        while self._window and self._window[0][0] < horizon and len(self.nodes) > keep:
            gone, seq, key = heapq.heappop(self._window)
            old = self.nodes.get(key)
            if old is not None and old.seq == seq:
                self._gone_until = gone
                self._forget(old)
                del self.nodes[key]

    def _admit(self, node: Node) -> None:
        if node.seq % _FREEZE_EVERY == _FREEZE_EVERY - 1:
            gc.collect(1)
            gc.freeze()
        self.nodes[node.key] = node
        self._table.add(node)
        self.index.insert(node.key, node.shingle_sig, node.story_sig)
        if node.shingle_sig is not None:  # a text without words copies nothing
            self._by_hash.setdefault(node.text_hash, []).append(node)
        df = self._story_df
        for h in node.story_terms.tolist():
            df[h] = df.get(h, 0) + 1
        when = node.reference_time
        if when is not None:
            heapq.heappush(self._window, (when, node.seq, node.key))
        cluster = self.clusters.setdefault(node.cluster, Cluster(node.cluster))
        bisect.insort(cluster.members, node, key=_arrival)
        nearest = self.nodes.get(node.nearest) if node.nearest else None
        if nearest is not None:
            nearest.support += 1
        cluster.elect()

    def _forget(self, node: Node) -> None:
        """Take ``node`` out of the indexes (it leaves the window or is re-signed)."""
        self.index.remove(node.key)
        self._table.remove(node.key)
        df = self._story_df
        for h in node.story_terms.tolist():
            if df[h] > 1:
                df[h] -= 1
            else:
                del df[h]
        same = self._by_hash.get(node.text_hash, [])
        if node in same:
            same.remove(node)
            if not same:
                del self._by_hash[node.text_hash]
        copies = self._families.get(node.duplicate_of or "", [])
        if node in copies:
            copies.remove(node)
        cluster = self.clusters.get(node.cluster)
        if cluster is not None and node in cluster.members:
            cluster.members.remove(node)
            if cluster.members:
                cluster.elect()
        nearest = self.nodes.get(node.nearest) if node.nearest else None
        if nearest is not None:
            nearest.support -= 1

    # -- records for storage ----------------------------------------------------------

    def _attach_record(self, decision: Decision, node: Node, parsed: ParsedText,
                       numbers: frozenset[str], terms: list[str]) -> None:
        decision.signed = Signed(
            stats=self.stats, vector=node.vector, names=parsed.names,
            numbers=numbers, story=terms, nearest=node.nearest,
            shingle_sig=node.shingle_sig, story_sig=node.story_sig,
            signer=(self.signer.num_perm, self.signer.seed, self.signer.scheme))

    # -- restoring from storage -------------------------------------------------------

    @classmethod
    def restore(cls, params: ClusterParams, articles: list[StoredArticle],
                frequencies: dict[str, dict[str, int]], docs: dict[str, int], next_cluster_id: int,
                apart: list[tuple[int, int]] = (), merged: dict[int, int] | None = None,
                watermark: float | None = None, gone_until: float | None = None) -> Clusterer:
        """A clusterer in the state a continuous run would have reached.

        ``articles`` are the stored articles inside the window, in arrival order, with
        signatures made by this clusterer's signer; ``frequencies`` the stored document
        frequencies of each language's terms and ``docs`` its number of articles;
        ``apart`` the pairs of clusters analysts split; ``merged`` each merged cluster
        and the one it went into; ``watermark`` the newest article time seen and
        ``gone_until`` the newest time of an article that left the window.
        """
        clusterer = cls(params, next_cluster_id)
        clusterer._alias.update(merged or {})
        clusterer.stats.load(frequencies, docs)
        clusterer._watermark = watermark
        clusterer._gone_until = gone_until
        for stored in articles:
            node = Node(key=stored.key, seq=clusterer._seq, source=stored.source,
                        time=stored.published, seen=stored.seen, text_hash=stored.text_hash,
                        vector=restore_vector(clusterer.stats, stored.features),
                        shingle_sig=stored.shingle_sig, story_sig=stored.story_sig,
                        story_terms=term_hashes(stored.features.get("story", [])),
                        cluster=stored.cluster_id, duplicate_of=stored.duplicate_of,
                        nearest=stored.features.get("nearest"), score=stored.score,
                        similarity=stored.similarity)
            clusterer._seq += 1
            if node.duplicate_of:
                clusterer._families.setdefault(node.duplicate_of, []).append(node)
            clusterer._admit(node)
        for a, b in apart:
            clusterer.keep_apart(a, b)
        return clusterer


_arrival = attrgetter("seq")
