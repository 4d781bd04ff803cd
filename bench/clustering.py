"""Clustering quality and speed: the figures behind docs/clustering.md.

    python bench/clustering.py quality            # newsroom gold, several arrival orders
    python bench/clustering.py speed              # 100,000 synthetic articles through `warta cluster`
    python bench/clustering.py growth --sizes 10000,100000,1000000
    python bench/clustering.py all

`speed` writes a synthetic JSON Lines file and times the `warta cluster` command on one
core (OMP_NUM_THREADS=1), with its peak memory; then, on the first 20,000 of those
articles, the time datasketch alone takes (the two MinHash signatures, the two LSH
queries and inserts of each article, replayed on the signature inputs the clusterer
made): a floor under the per-article time that no change to warta's own code removes.
`growth` feeds one clusterer in process and measures the per-article CPU time over the
5,000 articles that follow each size, when the index holds that many articles in its
window (the synthetic stream spans less than the window), and the process's peak memory. Timings on a shared
machine vary with its load: run twice and keep the better figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))

from synthetic_news import SyntheticNews

from newsroom.corpus import load_corpus
from pipelines.clustering.batch import parse_time, run_batch
from pipelines.clustering.clusterer import Clusterer
from pipelines.clustering.index import SignatureIndex, Signer
from pipelines.clustering.metrics import evaluate
from pipelines.clustering.params import ClusterParams
from pipelines.clustering.state import Doc

SAMPLE = 5_000
FLOOR_SAMPLE = 20_000


def _line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def newsroom_orders(seed_count: int = 5) -> list[tuple[str, list]]:
    """The corpus's relevant articles in the orders a crawl or a batch may see them."""
    articles = [a for a in load_corpus().articles if a.relevant]
    chronological = sorted(articles, key=lambda a: (a.published, a.id))
    by_outlet: dict[str, list] = defaultdict(list)
    for article in sorted(articles, key=lambda a: (a.published, a.id), reverse=True):
        by_outlet[article.outlet].append(article)
    crawl = []  # outlets fetched side by side, each newest first
    while any(by_outlet.values()):
        for outlet in sorted(by_outlet):
            if by_outlet[outlet]:
                crawl.append(by_outlet[outlet].pop(0))
    orders = [("published", chronological), ("crawl", crawl),
              ("newest first", chronological[::-1])]
    orders += [(f"random {s}", random.Random(s).sample(articles, len(articles)))
               for s in range(1, seed_count + 1)]
    return orders


def quality() -> dict:
    corpus = load_corpus()
    events = {a.id: a.event for a in corpus.articles}
    wire = {a.id: a.wire_of for a in corpus.articles}
    figures = {}
    print(f"newsroom gold: {sum(a.relevant for a in corpus.articles)} relevant articles, "
          f"{len({a.event for a in corpus.articles if a.relevant})} stories, "
          f"{len(corpus.confusable)} confusable event pairs")
    print(f"{'order':14s} {'B3 P':>6s} {'B3 R':>6s} {'B3 F1':>6s} {'pair F1':>7s} "
          f"{'dup F1':>6s} {'stories':>7s} confusable merged")
    for name, order in newsroom_orders():
        lines = [_line({"id": a.id, "title": a.title, "text": a.text, "source": a.outlet,
                        "published": a.published.isoformat()}) for a in order]
        results, _ = run_batch(io.StringIO("\n".join(lines)))
        clusters = {r["id"]: d.cluster_id for r, d in results}
        copies = {r["id"]: d.duplicate_of for r, d in results}
        report = evaluate(clusters, copies, events, wire)
        story_events = defaultdict(set)
        for key, cluster in clusters.items():
            story_events[cluster].add(events[key])
        merged = [pair for pair in corpus.confusable
                  if any(set(pair) <= found for found in story_events.values())]
        figures[name] = {**report, "confusable_merged": merged}
        b, p, d = report["bcubed"], report["pairwise"], report["near_duplicates"]
        print(f"{name:14s} {b['precision']:6.3f} {b['recall']:6.3f} {b['f1']:6.3f} "
              f"{p['f1']:7.3f} {d['f1']:6.3f} {report['clusters']['predicted']:4d}/"
              f"{report['clusters']['gold']:<3d} {merged or 'none'}")
    return figures


def speed(articles: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        docs, out = Path(tmp) / "docs.jsonl", Path(tmp) / "out.jsonl"
        gold = {}
        started = time.perf_counter()
        with docs.open("w", encoding="utf-8") as handle:
            for report in SyntheticNews(seed=11).reports(articles):
                handle.write(_line({"id": report.id, "title": report.title, "text": report.text,
                                    "published": report.published, "source": report.source}) + "\n")
                gold[report.id] = (report.event, report.wire_of)
        print(f"generated {articles:,} synthetic articles "
              f"({docs.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s")
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        command = [str(ROOT / ".venv" / "bin" / "warta"), "cluster", "--input", str(docs),
                   "--output", str(out)]
        started = time.perf_counter()
        subprocess.run(command, check=True, env=env, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    clusters = {line["id"]: line["cluster"] for line in lines}
    copies = {line["id"]: line["duplicate_of"] for line in lines}
    report = evaluate(clusters, copies, {k: e for k, (e, _) in gold.items()},
                      {k: w for k, (_, w) in gold.items()})
    print(f"warta cluster: {articles:,} articles in {elapsed:.1f} s = "
          f"{articles / elapsed:,.0f} articles/s (one core), peak memory {peak:,.0f} MB")
    print(f"synthetic quality: B3 {report['bcubed']}, near-duplicates {report['near_duplicates']}")
    floor = datasketch_floor(min(articles, FLOOR_SAMPLE))
    return {"articles": articles, "seconds": elapsed, "per_second": articles / elapsed,
            "peak_mb": peak, "quality": report, "datasketch_us": floor}


class _RecordingSigner(Signer):
    """A signer that keeps what it was asked to sign."""

    def __init__(self, params: ClusterParams) -> None:
        super().__init__(params)
        self.inputs: list[list[int]] = []

    def sign(self, hashes):
        self.inputs.append(list(map(int, hashes)))
        return super().sign(hashes)


def datasketch_floor(articles: int) -> float:
    """Microseconds per article that datasketch's own work takes on the synthetic
    stream: each article's shingle and story signatures, both LSH queries and both
    inserts, replayed alone on what the clusterer gave the signer."""
    params = ClusterParams()
    clusterer = Clusterer(params)
    clusterer.signer = recorder = _RecordingSigner(params)
    for report in SyntheticNews(seed=11).reports(articles):
        clusterer.assign(_doc(report))
    pairs = list(zip(recorder.inputs[0::2], recorder.inputs[1::2]))
    signer, index = Signer(params), SignatureIndex(params)
    started = time.process_time()
    for key, (shingles, story) in enumerate(pairs):
        shingle_sig, story_sig = signer.sign(shingles), signer.sign(story)
        index.candidates(shingle_sig, story_sig)
        index.insert(key, shingle_sig, story_sig)
    per_article = (time.process_time() - started) / len(pairs) * 1e6
    print(f"datasketch alone (signatures, LSH queries and inserts; {len(pairs):,} articles): "
          f"{per_article:.0f} us/article = at most {1e6 / per_article:,.0f} articles/s "
          "before any of warta's own work")
    return per_article


def growth(sizes: list[int]) -> list[dict]:
    clusterer = Clusterer()
    stream = SyntheticNews(seed=23).reports(max(sizes) + SAMPLE)
    rows, fed = [], 0
    print(f"{'in window':>10s} {'p50 ms':>7s} {'p90 ms':>7s} {'p99 ms':>7s} {'max ms':>7s} "
          f"{'articles/s':>10s} {'peak MB':>8s}")
    for size in sorted(sizes):
        while fed < size:
            clusterer.assign(_doc(next(stream)))
            fed += 1
        window = len(clusterer.nodes)
        sample = [_doc(next(stream)) for _ in range(SAMPLE)]
        times = []
        for doc in sample:
            started = time.process_time()
            clusterer.assign(doc)
            times.append(time.process_time() - started)
        fed += SAMPLE
        times.sort()
        row = {"window": window, "p50_ms": times[len(times) // 2] * 1e3,
               "p90_ms": times[int(len(times) * 0.9)] * 1e3,
               "p99_ms": times[int(len(times) * 0.99)] * 1e3, "max_ms": times[-1] * 1e3,
               "per_second": len(times) / sum(times),
               "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
        rows.append(row)
        print(f"{row['window']:10,d} {row['p50_ms']:7.3f} {row['p90_ms']:7.3f} "
              f"{row['p99_ms']:7.3f} {row['max_ms']:7.1f} {row['per_second']:10,.0f} "
              f"{row['peak_mb']:8,.0f}")
    return rows


def _doc(report) -> Doc:
    return Doc(key=report.id, title=report.title, text=report.text,
               published=parse_time(report.published), source=report.source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["quality", "speed", "growth", "all"], nargs="?",
                        default="all")
    parser.add_argument("--articles", type=int, default=100_000, help="for speed")
    parser.add_argument("--sizes", default="10000,100000,1000000", help="for growth")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    figures = {}
    if args.what in ("quality", "all"):
        figures["quality"] = quality()
    if args.what in ("speed", "all"):
        figures["speed"] = speed(args.articles)
    if args.what in ("growth", "all"):
        figures["growth"] = growth([int(s) for s in args.sizes.split(",")])
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
