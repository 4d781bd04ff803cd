"""Real crawls of small loopback sites: listings that repeat themselves (a sitemap index
listing itself, one article in two feeds of its source) and a site that is not there."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ITEM = "<item><title>Berita {n}</title><link>http://{host}/berita/{n}</link></item>"
PAGES = {
    "/sitemap.xml": '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                    'sitemap/0.9"><sitemap><loc>http://{host}/sitemap.xml</loc></sitemap>'
                    "<sitemap><loc>http://{host}/sitemap-1.xml</loc></sitemap></sitemapindex>",
    "/sitemap-1.xml": '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                      'sitemap/0.9"><url><loc>http://{host}/berita/2</loc></url></urlset>',
    "/a.xml": "<rss><channel>" + ITEM.replace("{n}", "1") + ITEM.replace("{n}", "3") + "</channel></rss>",
    "/b.xml": "<rss><channel>" + ITEM.replace("{n}", "3") + ITEM.replace("{n}", "1") + "</channel></rss>",
}
ARTICLE = ("<html><head><title>Kemenham {n}</title></head><body><article><h1>Kemenham {n}</h1>"
           + "<p>Kementerian Hak Asasi Manusia (Kemenham) membahas laporan nomor {n} di Jakarta "
             "bersama pemerintah daerah dan lembaga masyarakat sipil.</p>" * 6
           + "</article></body></html>")


@pytest.fixture
def site():
    requests: Counter[str] = Counter()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests[self.path] += 1
            host = self.headers["Host"]
            if self.path in PAGES:
                body, kind = PAGES[self.path].replace("{host}", host), "application/xml"
            elif self.path.startswith("/berita/"):
                body, kind = ARTICLE.replace("{n}", self.path.rsplit("/", 1)[1]), "text/html"
            else:
                self.send_error(404)
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.31", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.31:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def test_repeated_listings_fetch_each_page_once_and_count_each_article_once(site, tmp_path):
    base, requests = site
    config = tmp_path / "warta.toml"
    config.write_text(f"""database = "{tmp_path / 'warta.db'}"
[crawl]
delay = 0
autothrottle = false
obey_robots = false
[watch]
terms = ["Kemenham"]
[[sources]]
name = "situs"
feeds = ["{base}/a.xml", "{base}/b.xml"]
sitemaps = ["{base}/sitemap.xml"]
max_pages = 3
""", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "warta", "crawl", "--config", str(config)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert requests["/sitemap.xml"] == 1
    assert {path: n for path, n in requests.items() if path.startswith("/berita/")} == {
        "/berita/1": 1, "/berita/2": 1, "/berita/3": 1}
    with sqlite3.connect(tmp_path / "warta.db") as conn:
        discovered, fetched, capped = conn.execute(
            "SELECT discovered, fetched, skipped_cap FROM crawl_run_sources WHERE source = 'situs'"
        ).fetchone()
        reasons = [r for (r,) in conn.execute("SELECT reason FROM errors")]
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    assert (discovered, fetched, capped, stored) == (3, 3, 0, 3)
    assert any("sitemap.xml again (a loop)" in r for r in reasons), reasons


def test_a_crawl_that_reaches_no_site_fails(tmp_path):
    config = tmp_path / "warta.toml"
    config.write_text(f"""database = "{tmp_path / 'warta.db'}"
[crawl]
retries = 0
obey_robots = false
[watch]
terms = ["Kemenham"]
[[sources]]
name = "mati"
feeds = ["http://127.0.0.9:9/rss.xml"]
""", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "warta", "crawl", "--config", str(config)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr[-2000:]
    with sqlite3.connect(tmp_path / "warta.db") as conn:
        assert conn.execute("SELECT outcome FROM crawl_runs").fetchall() == [("failed",)]
    conn.close()


def serve(host: str, routes: dict):
    """A server on ``host`` answering each path with ``routes[path](handler)``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            route = routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            status, headers, body = route(self.headers["Host"])
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_an_article_redirected_to_another_site_is_not_stored(tmp_path):
    html = {"Content-Type": "text/html; charset=utf-8"}
    elsewhere = serve("127.0.0.34", {"/consent": lambda host: (
        200, html, ARTICLE.replace("{n}", "persetujuan").encode())})
    consent = f"http://127.0.0.34:{elsewhere.server_port}/consent"
    feed = "<rss><channel>" + ITEM.replace("{n}", "1") + ITEM.replace("{n}", "9") + "</channel></rss>"
    site = serve("127.0.0.33", {
        "/rss.xml": lambda host: (200, {"Content-Type": "application/xml"},
                                  feed.replace("{host}", host).encode()),
        "/berita/1": lambda host: (200, html, ARTICLE.replace("{n}", "1").encode()),
        "/berita/9": lambda host: (302, {"Location": consent}, b""),
    })
    config = tmp_path / "warta.toml"
    config.write_text(f"""database = "{tmp_path / 'warta.db'}"
[crawl]
delay = 0
obey_robots = false
[watch]
terms = ["Kemenham"]
[[sources]]
name = "situs"
feeds = ["http://127.0.0.33:{site.server_port}/rss.xml"]
""", encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, "-m", "warta", "crawl", "--config", str(config)],
                              capture_output=True, text=True, timeout=120, check=False)
    finally:
        site.shutdown()
        elsewhere.shutdown()
    assert done.returncode == 0, done.stderr[-2000:]
    with sqlite3.connect(tmp_path / "warta.db") as conn:
        titles = [t for (t,) in conn.execute("SELECT title FROM articles")]
        errors = conn.execute("SELECT url, reason FROM errors").fetchall()
        seen = conn.execute("SELECT url, status FROM seen_urls WHERE url LIKE '%/berita/9'").fetchall()
    conn.close()
    assert titles == ["Kemenham 1"]
    assert any(url.endswith("/berita/9") and "redirected to another site (127.0.0.34" in reason
               for url, reason in errors), errors
    assert all(status == "failed" for _, status in seen)  # fetched again next run
