"""A crawl stops at its time limit against sites that do not answer: no retry and no
request that waited for robots.txt goes out after the stop, and a run that got nothing
done is a failure that says so."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawler.extensions import outcome_of
from storage.runs import COUNT_FIELDS


class _Unavailable(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.asked.append(self.path)
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def dead_sites():
    """A site that takes connections and never answers, and one that answers 503 to
    everything; their base URLs and the paths the second was asked for."""
    silent = socket.create_server(("127.0.0.1", 0), backlog=64)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(silent.accept()[0])
            except OSError:  # closed at the end of the test
                return

    threading.Thread(target=accept, daemon=True).start()
    busy = ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable)
    busy.asked = []
    threading.Thread(target=busy.serve_forever, daemon=True).start()
    yield (f"http://127.0.0.1:{silent.getsockname()[1]}",
           f"http://127.0.0.1:{busy.server_address[1]}", busy.asked)
    busy.shutdown()
    busy.server_close()
    silent.close()
    for connection in held:
        connection.close()


def test_a_time_limit_against_dead_sites_stops_promptly_and_fails_with_a_reason(
        dead_sites, tmp_path):
    silent, busy, asked = dead_sites
    config = tmp_path / "warta.toml"
    config.write_text(f"""
database = "{tmp_path / 'warta.db'}"
[crawl]
contact = "https://example.org/contact"
delay = 0.1
timeout = 2
retries = 3
[watch]
terms = ["Kementerian HAM"]
[[sources]]
name = "silent"
feeds = ["{silent}/rss.xml", "{silent}/nasional.xml"]
[[sources]]
name = "busy"
feeds = ["{busy}/rss.xml", "{busy}/nasional.xml"]
""", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "warta", "crawl", "--config", str(config), "--time-limit", "0.1"],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "failed (the time limit was reached before anything was fetched)" in done.stdout
    with sqlite3.connect(tmp_path / "warta.db") as conn:
        outcome, started, finished = conn.execute(
            "SELECT outcome, started_at, finished_at FROM crawl_runs").fetchone()
        errors = conn.execute("SELECT source, stage, reason FROM errors ORDER BY source").fetchall()
    took = (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
    # 6 s of limit and at most the 2 s transfer in hand; retrying robots.txt with its backoff
    # and then asking for the feeds took 17 s
    assert took < 10, took
    assert outcome == "failed"
    assert errors == [("busy", "run", "nothing fetched before the time limit (6 s)"),
                      ("silent", "run", "nothing fetched before the time limit (6 s)")]
    robots = sum(path == "/robots.txt" for path in asked)
    assert 1 <= robots <= 3 and "/rss.xml" not in asked  # its retries stop with the crawl


def _counts(**given: int) -> dict[str, int]:
    return {**dict.fromkeys(COUNT_FIELDS, 0), **given}


@pytest.mark.parametrize("reason, counts, outcome", [
    ("closespider_timeout", {"a": _counts(), "b": _counts(failed=2)}, "failed"),
    ("closespider_timeout", {"a": _counts(fetched=1), "b": _counts()}, "timeout"),
    ("closespider_timeout", {"a": _counts(skipped_seen=4)}, "timeout"),
    ("finished", {"a": _counts()}, "ok"),  # nothing new in the feeds: nothing to do
    ("finished", {"a": _counts(failed=1)}, "failed"),
    ("finished", {"a": _counts(failed=1, fetched=3)}, "partial"),
    ("shutdown", {"a": _counts()}, "interrupted"),
])
def test_the_outcome_of_a_run(reason, counts, outcome):
    assert outcome_of(reason, counts) == outcome
