"""End-to-end crawl speed on a scaled-up newsroom, against the extraction-alone ceiling.

    python bench/crawl.py                 # the newsroom as shipped (81 articles)
    python bench/crawl.py --scale 20      # 20x synthetic variants (about 1,600 article pages)

Prints, for one `warta crawl` process over the newsroom on 127.0.0.x:
- article pages fetched, wall time, pages/s, CPU seconds per page (crawl process and its
  extraction workers);
- the ceiling: the same pages' HTML through ``extract_page`` alone in one worker
  process per core, pages/s;
- the crawl's share of that ceiling;
- a second, unchanged crawl: article pages fetched (must be 0) and its wall time.

The newsroom's HTTP server runs in this process, on the same cores as the crawl, so the
figures include its cost.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsroom.server import Newsroom
from pipelines.extraction.extract import extract_page


def crawl_once(config: Path) -> tuple[float, float]:
    """Run `warta crawl`; return its wall time and the CPU seconds of it and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "warta", "crawl", "--config", str(config)],
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode not in (0,):
        sys.exit(f"the crawl failed:\n{done.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def fetched(db: Path, run: int) -> int:
    with sqlite3.connect(db) as conn:
        run_id = conn.execute("SELECT id FROM crawl_runs ORDER BY id LIMIT 1 OFFSET ?", (run,)).fetchone()[0]
        return conn.execute("SELECT sum(fetched) FROM crawl_run_sources WHERE run_id = ?", (run_id,)).fetchone()[0]


def _extract(html: str) -> int:
    return len(extract_page(html).text)


def ceiling(pages: list[str], workers: int) -> float:
    """Pages/s of extraction alone over ``pages`` in ``workers`` processes."""
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_extract, pages[:workers * 2]))  # warm the workers up
        started = time.perf_counter()
        list(pool.map(_extract, pages, chunksize=8))
        return len(pages) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="synthetic variants per article")
    args = parser.parse_args()
    workers = os.cpu_count() or 1
    with Newsroom(port=0, scale=args.scale, slow_seconds=0.0) as room, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "warta.db"
        config = room.write_config(Path(tmp) / "warta.toml", db, timeout=10.0)
        wall, cpu = crawl_once(config)
        pages = fetched(db, 0)
        again_wall, _ = crawl_once(config)
        again = fetched(db, 1)
        html = [urllib.request.urlopen(g["url"], timeout=10).read().decode("utf-8", "replace")
                for g in room.gold_records()]
    top = ceiling(html, workers)
    rate = pages / wall
    print(f"newsroom x{args.scale}: {len(html)} gold articles, {workers} cores")
    print(f"crawl:    {pages} article pages in {wall:.1f} s = {rate:.1f} pages/s, "
          f"{1000 * cpu / max(pages, 1):.1f} ms CPU per page (crawl + workers)")
    print(f"ceiling:  extraction alone in {workers} processes = {top:.1f} pages/s")
    print(f"share:    {100 * rate / top:.0f} % of the extraction-alone ceiling")
    print(f"second crawl: {again} article pages fetched, {again_wall:.1f} s")


if __name__ == "__main__":
    main()
