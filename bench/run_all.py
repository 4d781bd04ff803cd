"""Run every benchmark and record its figures in bench/RESULTS.md.

    python bench/run_all.py            # quick sizes (about ten minutes)
    python bench/run_all.py --full     # the sizes the figures in the notes use (about an hour)

Each script prints its own figures; this runs them one after another and writes
their output to bench/RESULTS.md with the command, the date and the machine.
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
FULL = [
    ["extraction.py"],
    ["crawl.py", "--scale", "20"],
    ["crawl.py", "--realpages", "--scale", "40"],
    ["clustering.py", "all"],
    ["store.py"],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="the large sizes (1M articles)")
    args = parser.parse_args()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    sections = [f"# Benchmark results\n\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine}\n"]
    for script, *options in FULL if args.full else QUICK:
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
    (BENCH / "RESULTS.md").write_text("\n".join(sections), encoding="utf-8")
    print(f"written to {BENCH / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
