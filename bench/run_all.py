"""Run every benchmark and record its figures in bench/RESULTS.md.

    python bench/run_all.py             # every benchmark at quick sizes (about 15 minutes)
    python bench/run_all.py --million   # clustering growth and storage at 1,000,000 articles
                                        # (about an hour and 20 GB of memory)

Each script prints its own figures; this runs them one after another and writes
their output, with the command, the date and the machine, to bench/RESULTS.md (quick)
or bench/RESULTS-1M.md (--million), so that neither run overwrites the other's figures.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
QUICK = [
    ["extraction.py", "--rounds", "3"],
    ["crawl.py", "--scale", "20"],
    ["crawl.py", "--realpages", "--scale", "30"],
    ["clustering.py", "quality"],
    ["clustering.py", "speed", "--articles", "100000"],
    ["clustering.py", "growth", "--sizes", "10000,100000"],
    ["store.py", "--articles", "20000"],
]
MILLION = [
    ["clustering.py", "growth", "--sizes", "10000,100000,1000000"],
    ["store.py", "--articles", "1000000"],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--million", action="store_true",
                        help="the 1,000,000-article figures instead of the quick ones")
    args = parser.parse_args()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    sections = [f"# Benchmark results\n\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine}\n"]
    for script, *options in MILLION if args.million else QUICK:
        command = ["python", f"bench/{script}", *options]
        print("$", " ".join(command), flush=True)
        done = subprocess.run(
            [sys.executable, str(BENCH / script), *options],
            cwd=BENCH.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        output = (done.stdout + (done.stderr if done.returncode else "")).strip()
        print(output, flush=True)
        sections.append(f"## `{' '.join(command)}`\n\n```\n{output}\n```\n")
    results = BENCH / ("RESULTS-1M.md" if args.million else "RESULTS.md")
    results.write_text("\n".join(sections), encoding="utf-8")
    print(f"written to {results}")


if __name__ == "__main__":
    main()
