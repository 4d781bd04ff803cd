"""Render a day's digest from the newsroom corpus and photograph the HTML in headless Chromium.

    python bench/digest_screenshot.py [--out-dir data/bench/digest] [--day YYYY-MM-DD]

Builds a database of the corpus's ministry articles grouped by their true events
(wire copies marked as copies of their original; the ministry's site official),
adds a partial crawl with failures and a story whose headline holds markup, then
prints how long building and rendering each format takes and writes phone-width
(390 px) and desktop-width (1280 px) screenshots of the HTML digest. Needs the
Debian package ``chromium`` (``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0:0] = [str(ROOT), str(ROOT / "tests")]  # the packages first, then the test helpers

from storage_data import add_story, article

from newsroom.corpus import load_corpus
from storage.articles import save_article, sync_sources
from storage.database import open_database, transaction
from storage.periods import to_wib
from storage.runs import finish_run, record_error, start_run
from warta.digest.daily import load_digest
from warta.digest.render import FORMATS, render

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--hide-scrollbars", "--force-device-scale-factor=1"]
WINDOWS = {"phone": (390, 2400), "desktop": (1280, 1600)}


def build_database(path: Path) -> tuple[object, date]:
    """The corpus's relevant articles as gold stories; returns the database and its busiest day."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    corpus = load_corpus()
    db = open_database(path)
    sync_sources(db, [(name, name == "kemenham") for name in corpus.outlets])

    def record(a):
        stamp = a.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return article(f"https://{a.outlet}.example/{a.id}", source=a.outlet,
                       site_name=corpus.outlets[a.outlet].display, title=a.title, text=a.text,
                       published_at=stamp, fetched_at=stamp, matched_terms=[])

    relevant = [a for a in corpus.articles if a.relevant]
    by_event: dict[str, list] = {}
    for a in relevant:
        by_event.setdefault(a.event, []).append(a)
    for members in by_event.values():
        originals = [a for a in members if not a.wire_of]
        story = add_story(db, originals[0].title, [record(a) for a in originals])
        for copy in (a for a in members if a.wire_of):
            original_id = db.execute("SELECT id FROM articles WHERE url LIKE ?",
                                     [f"%/{copy.wire_of}"]).fetchone()[0]
            with transaction(db):
                save_article(db, {**record(copy), "cluster_id": story,
                                  "duplicate_of": original_id}, None)
    days = Counter(to_wib(r["t"])[:10] for r in db.query(
        "SELECT coalesce(published_at, fetched_at) AS t FROM articles"))
    busiest = date.fromisoformat(days.most_common(1)[0][0])
    _crawl_with_failures(db, busiest)
    add_story(db, "<script>alert('digest')</script> Headline with <b>markup</b> & an ampersand", [
        article("https://kabar6.example/markup?a=1&b=2", source="kabar6",
                published_at=f"{busiest.isoformat()}T13:00:00Z",
                title="<img src=x onerror=alert(1)> title with markup")])
    return db, busiest


def _crawl_with_failures(db, day: date) -> None:
    run_id = start_run(db, "crawl", ["kabar6", "suaradaerah"], pid=None)
    db.execute("UPDATE crawl_runs SET started_at = ? WHERE id = ?",
               [f"{day.isoformat()}T01:00:00Z", run_id])
    finish_run(db, run_id, "partial", {"kabar6": {"fetched": 20, "failed": 4}}, {}, {})
    record_error(db, run_id, "fetch", "HTTP 503 Service Unavailable", source="kabar6")
    record_error(db, run_id, "feed", "feed timed out after 30s", source="suaradaerah")


def screenshot(chromium: str, html: Path, png: Path, width: int, height: int) -> float:
    started = time.perf_counter()
    subprocess.run([chromium, *CHROMIUM_FLAGS, f"--window-size={width},{height}",
                    f"--screenshot={png}", html.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=ROOT / "data" / "bench" / "digest")
    parser.add_argument("--day", type=date.fromisoformat, default=None)
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    db, busiest = build_database(args.out_dir / "digest-bench.db")
    day = args.day or busiest
    started = time.perf_counter()
    digest = load_digest(db, day)
    built = time.perf_counter() - started
    print(f"day {day}: {digest.counts.stories} stories, {digest.counts.articles} articles, "
          f"{digest.counts.outlets} outlets; built in {built * 1000:.1f} ms")
    for fmt in FORMATS:
        started = time.perf_counter()
        text = render(digest, fmt)
        elapsed = time.perf_counter() - started
        target = args.out_dir / f"digest-{day}.{fmt}"
        target.write_text(text, encoding="utf-8")
        print(f"  {fmt:<5} {len(text.encode()):>7} bytes, rendered in {elapsed * 1000:.2f} ms -> {target}")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium not found: install the Debian package `chromium` for the screenshots")
        return 1
    html = args.out_dir / f"digest-{day}.html"
    for name, (width, height) in WINDOWS.items():
        png = args.out_dir / f"digest-{day}-{name}.png"
        seconds = screenshot(chromium, html, png, width, height)
        print(f"  screenshot {name} {width}x{height}: {png} ({png.stat().st_size} bytes, "
              f"{seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
