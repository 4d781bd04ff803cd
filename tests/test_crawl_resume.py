"""Interrupted crawls lose nothing: a crawl killed with SIGKILL or stopped with
SIGINT at several points, then run again, ends with every article stored once."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime

import pytest

from crawler.urls import canonical_url


def start_crawl(config) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "warta", "crawl", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop_after(newsroom, process: subprocess.Popen, requests: int, sig: int) -> None:
    """Send ``sig`` once the newsroom has answered ``requests`` more requests."""
    start = len(newsroom.requests)
    deadline = time.monotonic() + 60
    while len(newsroom.requests) - start < requests and process.poll() is None:
        assert time.monotonic() < deadline, "the crawl made no progress"
        time.sleep(0.005)
    process.send_signal(sig)
    process.communicate(timeout=60)


def stored(db_path) -> list[str]:
    with sqlite3.connect(db_path) as conn:
        return [row[0] for row in conn.execute("SELECT url FROM articles")]


def stored_so_far(db_path) -> int:
    """Articles stored by a crawl that may still be creating the database (never created
    here: an empty file made by the test could race the crawl's own creation of it)."""
    if not db_path.exists():
        return 0
    try:
        return len(stored(db_path))
    except sqlite3.OperationalError:  # no file or no tables yet
        return 0


def expected(newsroom) -> set[str]:
    return {canonical_url(g["url"]) for g in newsroom.gold_records() if not g.get("slow")}


def test_killed_at_several_points_then_resumed(newsroom, tmp_path):
    config = newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db", timeout=1.0)
    for requests in (3, 20, 45):
        stop_after(newsroom, start_crawl(config), requests, signal.SIGKILL)
        urls = stored(tmp_path / "warta.db")
        assert len(urls) == len(set(urls)) and set(urls) <= expected(newsroom)
    final = start_crawl(config)
    _out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err[-2000:]
    urls = stored(tmp_path / "warta.db")
    assert sorted(urls) == sorted(expected(newsroom))
    with sqlite3.connect(tmp_path / "warta.db") as conn:
        outcomes = [row[0] for row in conn.execute("SELECT outcome FROM crawl_runs ORDER BY id")]
        orphans = conn.execute(
            "SELECT count(*) FROM articles WHERE relevant = 1 AND cluster_id IS NULL AND text != ''"
        ).fetchone()[0]
    assert outcomes[-1] in ("ok", "partial")
    assert "running" not in outcomes[:-1]  # killed runs are marked when the next crawl starts
    assert orphans == 0  # no article was stored without its story


def test_a_killed_crawl_leaves_the_counts_of_what_it_stored(newsroom, tmp_path):
    config = newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db", timeout=1.0)
    # paced to outlive its first commit: a crawl done within STORAGE_BATCH_SECONDS of its
    # first article commits only as it ends, leaving no moment to kill it after a commit
    config.write_text(config.read_text(encoding="utf-8").replace("delay = 0\n", "delay = 0.2\n"),
                      encoding="utf-8")
    process = start_crawl(config)
    deadline = time.monotonic() + 60
    while not stored_so_far(tmp_path / "warta.db"):
        assert time.monotonic() < deadline, "nothing was stored"
        if process.poll() is not None:
            pytest.fail(f"the crawl ended before anything was seen stored: {process.communicate()}")
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    first = len(stored(tmp_path / "warta.db"))
    start_crawl(config).communicate(timeout=120)
    with sqlite3.connect(tmp_path / "warta.db") as conn:
        runs = conn.execute("SELECT r.id, r.outcome, sum(s.new + s.irrelevant), sum(s.updated), "
                            "sum(s.fetched) FROM crawl_runs r "
                            "LEFT JOIN crawl_run_sources s ON s.run_id = r.id "
                            "GROUP BY r.id ORDER BY r.id").fetchall()
    total = len(stored(tmp_path / "warta.db"))
    assert [(outcome, updated) for _, outcome, _, updated, _ in runs] == [
        ("interrupted", 0), (runs[1][1], 0)]
    assert runs[0][2] == first and runs[0][2] + runs[1][2] == total
    assert runs[0][4] >= first  # what it stored, it fetched


@pytest.mark.parametrize("requests", [10, 40])
def test_sigint_stops_gracefully_and_the_next_run_completes(newsroom, tmp_path, requests):
    config = newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db", timeout=1.0)
    process = start_crawl(config)
    stop_after(newsroom, process, requests, signal.SIGINT)
    with sqlite3.connect(tmp_path / "warta.db") as conn:
        (outcome,) = conn.execute("SELECT outcome FROM crawl_runs ORDER BY id DESC").fetchone()
    assert outcome in ("interrupted", "ok", "partial")  # it may have finished first
    again = start_crawl(config)
    again.communicate(timeout=120)
    assert sorted(stored(tmp_path / "warta.db")) == sorted(expected(newsroom))


def test_a_second_sigint_forces_the_crawl_down_and_still_closes_its_run(newsroom, tmp_path):
    config = newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db", timeout=1.0)
    process = start_crawl(config)
    start = len(newsroom.requests)
    deadline = time.monotonic() + 60
    while len(newsroom.requests) - start < 20:
        assert time.monotonic() < deadline and process.poll() is None, "the crawl made no progress"
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, err[-2000:]
    assert "interrupted (stopped before it could close its run" in out
    with sqlite3.connect(tmp_path / "warta.db") as conn:
        outcome, finished, stats = conn.execute(
            "SELECT outcome, finished_at, stats FROM crawl_runs ORDER BY id DESC").fetchone()
        counted = conn.execute("SELECT sum(new + irrelevant) FROM crawl_run_sources").fetchone()[0]
    assert outcome == "interrupted" and finished is not None and "stopped before" in stats
    assert counted == len(stored(tmp_path / "warta.db"))
    again = start_crawl(config)
    again.communicate(timeout=120)
    assert sorted(stored(tmp_path / "warta.db")) == sorted(expected(newsroom))


def test_a_stopped_crawl_leaves_the_requests_waiting_for_their_turn_to_the_next_run(
        newsroom, tmp_path):
    config = newsroom.write_config(tmp_path / "warta.toml", tmp_path / "warta.db", timeout=1.0)
    slow = tmp_path / "slow.toml"  # one request at a time per site, 2 s apart: queues fill up
    slow.write_text(config.read_text(encoding="utf-8").replace("delay = 0", "delay = 2")
                    .replace("per_domain_concurrency = 16", "per_domain_concurrency = 1"),
                    encoding="utf-8")
    process = start_crawl(slow)
    stop_after(newsroom, process, 12, signal.SIGTERM)  # waits for the crawl to end
    with sqlite3.connect(tmp_path / "warta.db") as conn:
        outcome, started, finished, stats = conn.execute(
            "SELECT outcome, started_at, finished_at, stats FROM crawl_runs").fetchone()
    took = (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
    assert outcome == "interrupted" and json.loads(stats)["stop/left_for_next_run"] > 0
    assert took < 20  # the requests left would have taken a minute and more, 2 s apart
    with sqlite3.connect(tmp_path / "warta.db") as conn:  # none counted as failed
        assert conn.execute("SELECT count(*) FROM errors WHERE reason LIKE '%stopped%'").fetchone() == (0,)
    start_crawl(config).communicate(timeout=120)
    assert sorted(stored(tmp_path / "warta.db")) == sorted(expected(newsroom))
