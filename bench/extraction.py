"""Clean-text speed and quality: warta's extraction against plain trafilatura.

    python bench/extraction.py              # realpages + newsroom, 5 timing rounds
    python bench/extraction.py --rounds 9
    pip install -e '.[bench]'             # adds newspaper4k as a third column (optional)

Prints, on the same pages (../shared/realpages and every newsroom article page):
- time per page and pages/s of ``extract_page`` and of ``trafilatura.extract(html)``
  (rounds interleaved, median of rounds) and their ratio, per set of pages and for all;
- word 4-gram precision/recall/F1 on realpages/expected.json (F1 of the mean
  precision and recall, as the realpages README scores; and the mean of per-page F1);
- kompas-2025: read-also lines and the WhatsApp promo left, body lines;
- the newsroom gold: boilerplate lines left and content lines kept;
- the Scrapy stage: pages/s and the event loop's worst stall, with the work
  inline, in one thread (EXTRACT_WORKERS=1) and in worker processes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from newsroom.server import Newsroom
from pipelines.extraction import ExtractionPipeline
from pipelines.extraction.evaluation import line_score, newsroom_pages, ngram_scores
from pipelines.extraction.extract import decode_html, extract_page

try:  # optional third column: pip install newspaper4k
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns that its optional NLP part is missing
        import newspaper
except ImportError:
    newspaper = None

REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "realpages"


def newspaper_text(html: str) -> str:
    article = newspaper.Article(url="https://bench.example/article", language="id", fetch_images=False)
    article.download(input_html=html)
    article.parse()
    return article.text


def newspaper_timing(pages: list[str], rounds: int) -> None:
    """newspaper4k's time per page on ``pages``, for comparison with the two above."""
    if newspaper is None:
        print("newspaper4k: not installed (make bench, or pip install -e '.[bench]'), column skipped")
        return
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for page in pages:
            newspaper_text(page)
        times.append(time.perf_counter() - start)
    per_page = statistics.median(times) / len(pages)
    print(f"  newspaper4k on realpages: {per_page * 1000:6.1f} ms/page {1 / per_page:6.1f} pages/s")


def realpages() -> dict[str, str]:
    if not REALPAGES.is_dir():
        print(f"(no real pages at {REALPAGES}: skipped)")
        return {}
    return {p.name: decode_html(p.read_bytes())[0] for p in sorted(REALPAGES.glob("*.html"))}


def timing(sets: dict[str, list[str]], rounds: int) -> None:
    """Per-page time of both extractors on each set of pages and on all of them."""
    sets = {name: pages for name, pages in sets.items() if pages}
    sets["all pages"] = [page for pages in sets.values() for page in pages]
    runs = {name: ([], []) for name in sets}
    for page in sets["all pages"][:3]:  # warm both up
        trafilatura.extract(page)
        extract_page(page)
    for _ in range(rounds):  # interleaved, so a busy moment of the machine hits both
        for name, pages in sets.items():
            if name == "all pages":
                continue
            for extractor, times in zip((trafilatura.extract, extract_page), runs[name]):
                start = time.perf_counter()
                for page in pages:
                    extractor(page)
                times.append(time.perf_counter() - start)
    parts = [name for name in sets if name != "all pages"]
    for column in (0, 1):  # all pages: the sum of the sets, round by round
        runs["all pages"][column].extend(
            sum(runs[name][column][i] for name in parts) for i in range(rounds))
    print(f"time per page, median of {rounds} interleaved rounds:")
    for name, pages in sets.items():
        plain, warta = (statistics.median(times) / len(pages) for times in runs[name])
        print(f"  {name:11} ({len(pages):3d} pages)  plain trafilatura {plain * 1000:6.1f} ms/page"
              f" {1 / plain:6.1f} pages/s   warta {warta * 1000:6.1f} ms/page {1 / warta:6.1f}"
              f" pages/s   ratio {warta / plain:.2f}x")


def realpage_quality(pages: dict[str, str]) -> None:
    expected_file = REALPAGES / "expected.json"
    if not expected_file.exists():
        return
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    runs = {
        "plain trafilatura": lambda html: trafilatura.extract(html) or "",
        "warta": lambda html: extract_page(html).text,
    }
    if newspaper is not None:
        runs["newspaper4k"] = newspaper_text
    print(f"realpages word 4-gram scores ({len(expected)} pages):")
    for name, run in runs.items():
        scores = [ngram_scores(run(pages[page]), text) for page, text in expected.items()]
        precision = statistics.mean(s[0] for s in scores)
        recall = statistics.mean(s[1] for s in scores)
        f1 = 2 * precision * recall / (precision + recall)
        print(f"  {name:18} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}"
              f"  (mean per-page F1 {statistics.mean(s[2] for s in scores):.3f},"
              f" worst {min(s[2] for s in scores):.3f})")
    if "kompas-2025.html" in pages:
        for name, text in (("plain trafilatura", trafilatura.extract(pages["kompas-2025.html"]) or ""),
                           ("warta", extract_page(pages["kompas-2025.html"]).text)):
            lines = text.splitlines()
            read_also = sum(line.casefold().startswith("baca juga") for line in lines)
            promo = sum("whatsapp" in line.casefold() for line in lines)
            print(f"  kompas-2025 {name:18} 'Baca juga' lines {read_also}, promo lines {promo},"
                  f" lines {len(lines)}")


def newsroom_quality(room: Newsroom) -> list[str]:
    """Print the gold figures; return the article pages for timing."""
    totals = {name: [0, 0, 0] for name in ("plain trafilatura", "warta", "newspaper4k")
              if name != "newspaper4k" or newspaper is not None}
    pages = []
    for record, page, more in newsroom_pages(room):
        html = decode_html(page)[0]
        pages.append(html)
        plain = "\n".join(trafilatura.extract(decode_html(p)[0]) or "" for p in [page, *more])
        texts = {"plain trafilatura": plain,
                 "warta": extract_page(page, record["url"], more_pages=more).text}
        if newspaper is not None:
            texts["newspaper4k"] = "\n".join(newspaper_text(decode_html(p)[0]) for p in [page, *more])
        for name, text in texts.items():
            score = line_score(text, record["text"])
            totals[name][0] += len(score.left)
            totals[name][1] += score.kept
            totals[name][2] += score.total
    print(f"newsroom gold ({len(pages)} articles):")
    for name, (left, kept, total) in totals.items():
        print(f"  {name:18} boilerplate lines left {left:4d}  content lines kept {kept}/{total}"
              f" = {kept / total:.2%}")
    return pages


async def _stage_run(pipeline, items, inline: bool) -> tuple[float, float]:
    """Seconds for all items, and the event loop's worst stall meanwhile. The
    pool modes get every item at once; inline takes them one by one, yielding to
    the loop between pages as a crawl does between responses."""
    worst, done = 0.0, asyncio.Event()

    async def ticker():
        nonlocal worst
        while not done.is_set():
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            worst = max(worst, time.perf_counter() - before - 0.005)

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.01)
    start = time.perf_counter()
    if inline:
        for item in items:
            extract_page(item.html, item.url)
            await asyncio.sleep(0)
    else:
        await asyncio.gather(*(pipeline.process_item(item) for item in items))
    elapsed = time.perf_counter() - start
    done.set()
    await tick
    return elapsed, worst


async def _stage_rounds(pipeline, items, inline: bool, rounds: int) -> list[tuple[float, float]]:
    """:func:`_stage_run` ``rounds`` times after a short run that starts the workers, all
    in one event loop, as in a crawl (the worker pool answers on the loop it started in)."""
    await _stage_run(pipeline, items[:4], inline)
    return [await _stage_run(pipeline, items, inline) for _ in range(rounds)]


def stage(pages: list[str], rounds: int) -> None:
    items = [ArticleItem(url=f"https://bench.example/{i}", source="bench", html=html,
                         fetched_at="2025-11-24T00:00:00Z") for i, html in enumerate(pages)]
    print(f"Scrapy stage ({len(items)} pages; median of {rounds} rounds):")
    for label, workers, inline in (("inline", 1, True), ("1 thread", 1, False), ("2 processes", 2, False)):
        pipeline = ExtractionPipeline.from_crawler(get_crawler(settings_dict={"EXTRACT_WORKERS": workers}))
        pipeline.open_spider()
        results = asyncio.run(_stage_rounds(pipeline, items, inline, rounds))
        pipeline.close_spider()
        elapsed = statistics.median(r[0] for r in results)
        worst = statistics.median(r[1] for r in results)
        print(f"  {label:12} {len(items) / elapsed:6.1f} pages/s  event loop stalled at most"
              f" {worst * 1000:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds (median is shown)")
    args = parser.parse_args()
    real = realpages()
    realpage_quality(real)
    with Newsroom(port=0, slow_seconds=0) as room:
        newsroom = newsroom_quality(room)
    timing({"realpages": list(real.values()), "newsroom": newsroom}, args.rounds)
    if real:
        newspaper_timing(list(real.values()), args.rounds)
    stage([*real.values(), *newsroom], max(1, args.rounds // 2))


if __name__ == "__main__":
    main()
