"""End-to-end crawl speed on a scaled-up newsroom, against the extraction-alone ceiling.

    python bench/crawl.py                 # the newsroom as shipped (81 articles)
    python bench/crawl.py --scale 20      # 20x synthetic variants (about 1,600 article pages)
    python bench/crawl.py --realpages --scale 40   # ../shared/realpages served 40 times over

Prints, for each of ``--rounds`` `warta crawl` processes over the newsroom on 127.0.0.x:
- article pages fetched, wall time, pages/s, and the CPU time per page the machine spent
  meanwhile (the crawl, its extraction workers and the bench's HTTP server; measured from
  /proc/stat, so other load on the machine counts too);
- the ceiling: the same pages' HTML through ``extract_page`` alone in one worker
  process per core, pages/s (the mean of a run just before the crawl and one just after);
- the crawl's share of that ceiling, and the median share over the rounds;
- a crawl with the extraction stage alone (no relevance, clustering or storage), as a
  share of the ceiling: what downloading and handing pages to the workers leave; and
  one with every stage but clustering: what the other stages leave for it;
- a second, unchanged crawl: article pages fetched (must be 0) and its wall time;
- CPU time per page by stage: download (the machine's CPU time during a crawl with no
  item pipelines: process start, discovery, fetching, the spider, the HTTP server), then extraction, relevance, clustering and storage, each run
  alone over the same pages in this process.

The newsroom's HTTP server runs in this process, on the same cores as the crawl, so the
figures include its cost.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.settings import ITEM_PIPELINES, STORAGE_BATCH_SIZE
from newsroom.server import Newsroom
from pipelines.clustering.clusterer import Clusterer
from pipelines.clustering.state import Doc
from pipelines.extraction.extract import decode_html, extract_page
from pipelines.relevance import WatchMatcher
from storage.articles import save_article
from storage.clusters import TermTally, apply_decision
from storage.database import open_database, transaction
from warta.config import load_config


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (all cores) since it started."""
    with open("/proc/stat", encoding="ascii") as stat:
        ticks = [int(v) for v in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def crawl_once(config: Path, pipelines: dict | None = None) -> tuple[float, float, float]:
    """Crawl once; return the wall time, the CPU seconds the machine was busy meanwhile
    (the crawl, its extraction workers, which are not its children but the forkserver's,
    and this process's HTTP server) and the crawl's own time from spider open to close.
    With ``pipelines`` (Scrapy's ITEM_PIPELINES) it runs ``scrapy crawl news`` with only
    those item pipelines instead of `warta crawl`."""
    command = [sys.executable, "-m", "warta", "crawl", "--config", str(config)]
    took = r"^run \d+: .* in ([\d.]+)s ->"
    if pipelines is not None:
        command = [sys.executable, "-m", "scrapy", "crawl", "news", "-s", f"WARTA_CONFIG={config}",
                   "-s", f"ITEM_PIPELINES={json.dumps(pipelines)}", "-s", "LOG_LEVEL=INFO"]
        took = r"'elapsed_time_seconds': ([\d.]+)"
    busy = machine_busy()
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode not in (0,):
        sys.exit(f"the crawl failed:\n{done.stderr[-3000:]}")
    reported = re.search(took, done.stdout + done.stderr, re.MULTILINE)
    if not reported:
        sys.exit(f"the crawl did not report its time:\n{(done.stdout + done.stderr)[-2000:]}")
    return wall, machine_busy() - busy, float(reported[1])


def fetched(db: Path, run: int) -> int:
    """Article pages the ``run``-th crawl fetched, from the run ledger."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT sum(fetched) FROM crawl_run_sources WHERE run_id = "
            "(SELECT id FROM crawl_runs ORDER BY id LIMIT 1 OFFSET ?)",
            (run,),
        ).fetchone()[0]


def stage_cpu(html: list[str], config_path: Path, db_path: Path) -> dict[str, float]:
    """CPU seconds per page of each item stage, run alone over ``html`` in this process."""
    watch = WatchMatcher(load_config(config_path).watch)
    clusterer = Clusterer()
    db = open_database(db_path)
    spent = dict.fromkeys(("extraction", "relevance", "clustering", "storage"), 0.0)
    pending = []
    for n, page in enumerate(html):
        url = f"http://bench.invalid/{n}"
        clock = time.process_time()
        extraction = extract_page(page, url)
        spent["extraction"] += time.process_time() - clock
        clock = time.process_time()
        relevance = watch.score(extraction.title, extraction.text)
        spent["relevance"] += time.process_time() - clock
        clock = time.process_time()
        decision = clusterer.assign(
            Doc(url, extraction.title or "", extraction.text, float(n), "bench")
        )
        spent["clustering"] += time.process_time() - clock
        pending.append(({
            "url": url,
            "source": "bench",
            "fetched_at": "2025-11-20T00:00:00Z",
            "title": extraction.title,
            "text": extraction.text,
            "relevant": relevance.relevant,
            "matched_terms": relevance.matched_terms,
        }, decision))
        if len(pending) == STORAGE_BATCH_SIZE or n == len(html) - 1:
            clock = time.process_time()
            store(db, pending)
            spent["storage"] += time.process_time() - clock
            pending = []
    db.close()
    return {stage: seconds / len(html) for stage, seconds in spent.items()}


def store(db, batch: list[tuple[dict, object]]) -> None:
    """Write articles and their decisions as the storage stage does: one transaction a
    batch, a savepoint an article, the batch's document frequencies at its end."""
    with transaction(db):
        tally = TermTally()
        for record, decision in batch:
            with transaction(db):
                counted = apply_decision(db, save_article(db, record, None), decision,
                                         count_terms=False)
            tally.update(counted)
        tally.write(db)


def _extract(html: str) -> int:
    return len(extract_page(html).text)


def ceiling(pages: list[str], workers: int) -> float:
    """Pages/s of extraction alone over ``pages`` in ``workers`` processes."""
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_extract, pages[: workers * 2]))  # warm the workers up
        started = time.perf_counter()
        list(pool.map(_extract, pages, chunksize=8))
        return len(pages) / (time.perf_counter() - started)


class _RealPages(BaseHTTPRequestHandler):
    """A site that serves the saved real pages over and over, listed in one RSS feed."""

    protocol_version = "HTTP/1.1"  # keep-alive, as news sites answer
    disable_nagle_algorithm = True  # headers and body leave at once, as from a real server
    pages: ClassVar[list[bytes]] = []
    copies = 1

    def do_GET(self):
        if self.path == "/rss.xml":
            items = "".join(
                f"<item><title>{i}</title><link>http://{self.headers['Host']}/p/{i}</link></item>"
                for i in range(len(self.pages) * self.copies)
            )
            body, kind = f"<rss><channel>{items}</channel></rss>".encode(), "application/rss+xml"
        elif self.path.startswith("/p/"):
            body, kind = (
                self.pages[int(self.path[3:]) % len(self.pages)],
                "text/html; charset=utf-8",
            )
        else:
            body, kind = b"", "text/plain"
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def realpages_site(copies: int, tmp: Path):
    """Serve ../shared/realpages ``copies`` times over on 127.0.0.40; yield a config crawling it
    (the watch term "yang" makes every page relevant, so clustering and storage run too)."""
    pages = sorted((ROOT.parent / "shared" / "realpages").glob("*.html"))
    if not pages:
        sys.exit("no pages in ../shared/realpages")
    _RealPages.pages = [decode_html(p.read_bytes())[0].encode("utf-8") for p in pages]
    _RealPages.copies = copies
    server = ThreadingHTTPServer(("127.0.0.40", 0), _RealPages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config = tmp / "warta.toml"
    config.write_text(
        f'database = "{tmp / "warta.db"}"\n[crawl]\ndelay = 0\nconcurrency = 32\n'
        f"per_domain_concurrency = 16\nautothrottle = false\nobey_robots = false\nmax_pages = 1000000\n"
        f'[watch]\nterms = ["yang"]\nthreshold = 0.5\n[[sources]]\nname = "realpages"\n'
        f'feeds = ["http://127.0.0.40:{server.server_port}/rss.xml"]\n',
        encoding="utf-8",
    )
    try:
        yield config, [p.decode("utf-8") for p in _RealPages.pages] * copies
    finally:
        server.shutdown()


@contextmanager
def newsroom_site(scale: int, tmp: Path):
    """The bundled newsroom ``scale`` times over; yield a config crawling it and its pages."""
    with Newsroom(port=0, scale=scale, slow_seconds=0.0) as room:
        config = room.write_config(tmp / "warta.toml", tmp / "warta.db", timeout=10.0)
        yield (
            config,
            [
                urllib.request.urlopen(g["url"], timeout=10).read().decode("utf-8", "replace")
                for g in room.gold_records()
            ],
        )


def with_database(config: Path, db: Path) -> Path:
    """A copy of ``config`` writing to ``db``."""
    text = config.read_text(encoding="utf-8")
    copy = db.with_suffix(".toml")
    copy.write_text(text.replace(load_config(config).database, str(db)), encoding="utf-8")
    return copy


def rounds(config: Path, html: list[str], workers: int, count: int, tmp: Path) -> list[dict]:
    """``count`` crawls, each into a fresh database, with the ceiling measured before the
    first and after each: a crawl's share is taken against the mean of the ceilings on
    either side of it (the machine's speed drifts by 10-20 % from one minute to the next)."""
    ceilings, done = [ceiling(html, workers)], []
    for n in range(count):
        db = tmp / f"round{n + 1}.db"
        wall, cpu, crawling = crawl_once(with_database(config, db))
        pages = fetched(db, 0)
        ceilings.append(ceiling(html, workers))
        top = (ceilings[-2] + ceilings[-1]) / 2
        done.append({"db": db, "wall": wall, "cpu": cpu, "pages": pages, "crawling": crawling,
                     "rate": pages / crawling, "ceiling": top, "share": pages / crawling / top})
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="synthetic variants per article")
    parser.add_argument(
        "--realpages",
        action="store_true",
        help="crawl ../shared/realpages served --scale times over instead of the newsroom",
    )
    parser.add_argument("--rounds", type=int, default=3, help="crawls, each between two ceilings")
    args = parser.parse_args()
    workers = os.cpu_count() or 1
    site = realpages_site if args.realpages else newsroom_site
    with tempfile.TemporaryDirectory() as tmp, site(args.scale, Path(tmp)) as (config, html):
        done = rounds(config, html, workers, args.rounds, Path(tmp))
        middle = sorted(done, key=lambda r: r["share"])[len(done) // 2]
        again_wall, _, _ = crawl_once(with_database(config, middle["db"]))
        again = fetched(middle["db"], 1)
        bare_wall, bare_cpu, _ = crawl_once(with_database(config, Path(tmp) / "bare.db"), {})
        extraction_only = crawl_once(with_database(config, Path(tmp) / "extraction.db"),
                                     {"pipelines.extraction.ExtractionPipeline": 100})[2]
        unclustered = crawl_once(with_database(config, Path(tmp) / "unclustered.db"),
                                 {k: v for k, v in ITEM_PIPELINES.items() if "clustering" not in k})[2]
        pages = middle["pages"]
        stages = {"download": bare_cpu / pages, **stage_cpu(html, config, Path(tmp) / "stages.db")}
    label = "realpages" if args.realpages else "newsroom"
    print(f"{label} x{args.scale}: {len(html)} article pages served, {workers} cores")
    for n, run in enumerate(done, start=1):
        print(
            f"crawl {n}:  {run['pages']} article pages in {run['crawling']:.1f} s of crawling = "
            f"{run['rate']:.1f} pages/s ({run['wall']:.1f} s with the process start), "
            f"{1000 * run['cpu'] / max(run['pages'], 1):.1f} ms CPU per page (the machine busy "
            f"{100 * run['cpu'] / (run['wall'] * workers):.0f} % of the time); ceiling "
            f"{run['ceiling']:.1f} pages/s; share {100 * run['share']:.0f} %"
        )
    print(f"ceiling:  extraction alone in {workers} processes, measured before and after each "
          "crawl; a crawl's share is against the mean of the two")
    print(f"share:    {100 * middle['share']:.0f} % of the extraction-alone ceiling (median of "
          f"{len(done)} crawls; {100 * min(r['share'] for r in done):.0f}-"
          f"{100 * max(r['share'] for r in done):.0f} %)")
    print(f"extraction only: a crawl with no other item stage, {pages / extraction_only:.1f} "
          f"pages/s = {100 * pages / extraction_only / middle['ceiling']:.0f} % of the ceiling")
    print(f"without clustering: a crawl with every other stage, {pages / unclustered:.1f} "
          f"pages/s = {100 * pages / unclustered / middle['ceiling']:.0f} % of the ceiling")
    print(f"second crawl: {again} article pages fetched, {again_wall:.1f} s")
    print(
        f"CPU per page by stage (download = a crawl with no item pipelines, {bare_wall:.1f} s wall):"
    )
    for stage, seconds in stages.items():
        print(f"  {stage:<11} {1000 * seconds:6.2f} ms")


if __name__ == "__main__":
    main()
