"""A crawl stops at its time limit against sites that do not answer: no retry and no
request that waited for robots.txt goes out after the stop, and a run that got nothing
done is a failure that says so."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawler.extensions import outcome_of
from storage.runs import COUNT_FIELDS


class _Unavailable(BaseHTTPRequestHandler):
    """503 to everything; or, on a server that ``lists``, an empty feed and no robots.txt."""

    def do_GET(self):
        self.server.asked.append(self.path)
        body = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"
                if self.server.lists and self.path == "/empty.xml" else b"")
        self.send_response(200 if body else 404 if self.server.lists else 503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

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
    busy, quiet = (ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable) for _ in range(2))
    for server in (busy, quiet):
        server.asked, server.lists = [], server is quiet
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield (f"http://127.0.0.1:{silent.getsockname()[1]}",
           f"http://127.0.0.1:{busy.server_address[1]}", busy.asked,
           f"http://127.0.0.1:{quiet.server_address[1]}/empty.xml")
    for server in (busy, quiet):
        server.shutdown()
        server.server_close()
    silent.close()
    for connection in held:
        connection.close()


def write_config(tmp_path, crawl: str, sources: str):
    config = tmp_path / "warta.toml"
    config.write_text(f'database = "{tmp_path / "warta.db"}"\n[crawl]\n'
                      f'contact = "https://example.org/contact"\n{crawl}\n'
                      f'[watch]\nterms = ["Kementerian HAM"]\n{sources}', encoding="utf-8")
    return config


def test_a_time_limit_against_dead_sites_stops_promptly_and_fails_with_a_reason(
        dead_sites, tmp_path):
    silent, busy, asked, empty = dead_sites
    config = write_config(tmp_path, "delay = 0.1\ntimeout = 2\nretries = 3", f"""
[[sources]]
name = "silent"
feeds = ["{silent}/rss.xml", "{silent}/nasional.xml"]
[[sources]]
name = "busy"
feeds = ["{busy}/rss.xml", "{busy}/nasional.xml"]
[[sources]]
name = "quiet"
feeds = ["{empty}"]
""")
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
    # the source whose feed answered, empty, is no error
    assert errors == [("busy", "run", "nothing fetched before the time limit (6 s)"),
                      ("silent", "run", "nothing fetched before the time limit (6 s)")]
    robots = sum(path == "/robots.txt" for path in asked)
    assert 1 <= robots <= 3 and "/rss.xml" not in asked  # its retries stop with the crawl


PARAGRAPH = ("Menteri Hak Asasi Manusia Natalius Pigai meninjau lembaga pemasyarakatan di "
             "Tangerang untuk memastikan pemenuhan hak dasar warga binaan, terutama layanan "
             "kesehatan, air bersih dan kunjungan keluarga, kata Kementerian HAM. ")


class _TwoPageArticle(BaseHTTPRequestHandler):
    """A feed of one article in two pages; the second answers 503 with a Retry-After of
    30 s while ``server.busy`` is set."""

    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/rss.xml":
            when = format_datetime(datetime.now(UTC), usegmt=True)
            self._send(200, f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
                            f"<item><title>Menteri HAM di Tangerang</title><link>{base}/a/1.html</link>"
                            f"<pubDate>{when}</pubDate></item></channel></rss>", "application/rss+xml")
        elif self.path == "/a/1.html":
            self._send(200, self._page("<link rel='next' href='/a/1.html?page=2'>", "pertama"))
        elif self.path == "/a/1.html?page=2" and self.server.busy:
            self._send(503, "", extra={"Retry-After": "30"})
        elif self.path == "/a/1.html?page=2":
            self._send(200, self._page("", "kedua"))
        else:
            self._send(404, "")

    @staticmethod
    def _page(head: str, part: str) -> str:
        return (f"<html><head><title>Menteri HAM di Tangerang</title>{head}</head><body><article>"
                f"<h1>Menteri HAM di Tangerang</h1>"
                + "".join(f"<p>Bagian {part} {i}. {PARAGRAPH}</p>" for i in range(4))
                + "</article></body></html>")

    def _send(self, status: int, body: str, kind: str = "text/html; charset=utf-8",
              extra: dict | None = None):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_an_article_whose_next_page_fails_as_the_crawl_stops_is_left_whole_for_the_next_run(
        tmp_path):
    site = ThreadingHTTPServer(("127.0.0.1", 0), _TwoPageArticle)
    site.busy = True
    threading.Thread(target=site.serve_forever, daemon=True).start()
    config = write_config(tmp_path, "delay = 0", f"""
[[sources]]
name = "nusa"
feeds = ["http://127.0.0.1:{site.server_address[1]}/rss.xml"]
""")
    command = [sys.executable, "-m", "warta", "crawl", "--config", str(config)]
    try:
        # its second page's Retry-After outlasts the time limit
        subprocess.run([*command, "--time-limit", "0.1"], capture_output=True, timeout=120,
                       check=False)
        with sqlite3.connect(tmp_path / "warta.db") as conn:
            assert conn.execute("SELECT count(*) FROM articles").fetchone() == (0,)
            assert conn.execute("SELECT count(*) FROM seen_urls").fetchone() == (0,)
        site.busy = False
        subprocess.run(command, capture_output=True, timeout=120, check=True)
    finally:
        site.shutdown()
        site.server_close()
    with sqlite3.connect(tmp_path / "warta.db") as conn:
        (text, note), = conn.execute("SELECT text, extraction_note FROM articles").fetchall()
    assert "Bagian pertama 3" in text and "Bagian kedua 3" in text and not note


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
