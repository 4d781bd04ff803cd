"""A crawl process that takes as long as a test needs, for the scheduler's tests.

Run as ``python slow_crawl.py crawl --config C --db D [--source S]... --time-limit M``,
like ``warta crawl``, it does what the scheduler relies on a crawl for, with the
real storage code: it takes the database lock (exit 75 with the message when
another crawl holds it), closes runs left ``running`` by killed crawls, opens a
ledger row with its pid, works for ``SLOW_CRAWL_SECONDS``, and closes the row
``ok``. On SIGINT it finishes the article in hand and closes the row
``interrupted``. ``SLOW_CRAWL_IGNORE_SIGINT=1`` makes it ignore SIGINT (a stuck
crawl). ``SLOW_CRAWL_LOG`` names a file it appends ``<start> <end> <pid>`` to.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time

from storage.database import open_database
from storage.health import close_orphaned_runs
from storage.locks import LockHeld, file_lock
from storage.runs import finish_run, start_run

_signals: list[int] = []


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["crawl"])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--source", action="append", default=[])
    parser.add_argument("--time-limit", type=float)
    args = parser.parse_args()
    seconds = float(os.environ.get("SLOW_CRAWL_SECONDS", "1"))
    if os.environ.get("SLOW_CRAWL_IGNORE_SIGINT") == "1":
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGINT, lambda signum, frame: _signals.append(signum))
    try:
        with file_lock(args.db):
            return crawl(args, seconds)
    except LockHeld as exc:
        print(f"Error: cannot crawl: {exc}", file=sys.stderr)
        return exc.exit_code


def crawl(args, seconds: float) -> int:
    started = time.time()
    db = open_database(args.db)
    close_orphaned_runs(db)
    sources = args.source or ["all"]
    run_id = start_run(db, " ".join(["slow_crawl", *sys.argv[1:]]), sources, os.getpid())
    print(f"run {run_id} started", flush=True)
    while time.time() - started < seconds and not _signals:
        time.sleep(0.02)
    outcome = "interrupted" if _signals else "ok"
    counts = {name: {"fetched": 1, "new": 1} for name in sources}
    finish_run(db, run_id, outcome, counts, {}, {"sigint_received": len(_signals)})
    db.close()
    log = os.environ.get("SLOW_CRAWL_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{started} {time.time()} {os.getpid()}\n")
    print(f"run {run_id}: {outcome}", flush=True)
    return 0 if outcome == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
