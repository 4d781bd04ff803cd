"""warta extract and warta boilerplate: the JSON a user reads to see why a line
was kept or dropped, the bare text, and the learned lines of a site."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from click.testing import CliRunner
from extraction_pages import PARAGRAPHS, TITLE, article_page

from pipelines.extraction.templates import MIN_ARTICLES
from storage.articles import save_article
from storage.boilerplate import record_lines
from storage.database import open_database
from warta.cli import main

PROMO = "Tonton siaran langsung Harian Contoh setiap pagi di kanal kami."


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_extract_prints_the_result_and_each_removed_line_with_its_rule(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(article_page(f"<p>Baca{chr(0xa0)}juga: Lapas penuh</p>", f"<p>{PROMO}</p>"), encoding="utf-8")
    code, out = invoke("extract", str(page), "--url", "https://harian.example/berita/1",
                       "--db", str(tmp_path / "none.db"))
    assert code == 0, out
    data = json.loads(out)
    assert set(data) == {"title", "text", "author", "published", "published_source",
                         "published_precision", "language", "site_name", "removed", "note",
                         "pages", "next_page"}
    assert data["title"] == TITLE and data["published_source"] == "text"
    assert data["text"].splitlines()[1] == PARAGRAPHS[1]
    assert {"line": "Baca juga: Lapas penuh", "rule": "read-also"} in data["removed"]
    assert all(set(r) == {"line", "rule"} for r in data["removed"])

    code, out = invoke("extract", str(page), "--text")
    assert code == 0 and out.startswith("JAKARTA - " + PARAGRAPHS[0]) and "{" not in out


def test_extract_reads_a_multi_page_article_to_its_end_given_its_url(tmp_path):
    pages = {  # page 1 names page 2 with rel="next"; page 2 shows a pager to page 3
        "/berita/1": article_page(head='<link rel="next" href="/berita/1?page=2">',
                                  paragraphs=PARAGRAPHS[:2]),
        "/berita/1?page=2": article_page(
            after_body='<a href="/berita/1?page=3">Halaman Selanjutnya</a>',
            dateline="", paragraphs=PARAGRAPHS[2:3]),
        "/berita/1?page=3": article_page(dateline="", paragraphs=PARAGRAPHS[3:]),
    }
    missing = set()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            found = self.path in pages and self.path not in missing
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(pages[self.path].encode() if found else b"not found")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.47", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.47:{server.server_port}"
    try:
        code, out = invoke("extract", f"{base}/berita/1")
        data = json.loads(out)
        assert code == 0 and data["pages"] == 3 and data["next_page"] is None
        assert all(paragraph in data["text"] for paragraph in PARAGRAPHS)

        missing.add("/berita/1?page=3")  # a later page that fails: the pages before it are kept
        result = CliRunner().invoke(main, ["extract", f"{base}/berita/1"])
        data = json.loads(result.stdout)
        assert data["pages"] == 2 and data["next_page"] == f"{base}/berita/1?page=3"
        assert PARAGRAPHS[2] in data["text"] and "page 3 is missing" in result.stderr
    finally:
        server.shutdown()
        server.server_close()

    saved = tmp_path / "page1.html"  # a saved first page: the next one is named, not read
    saved.write_text(pages["/berita/1"], encoding="utf-8")
    code, out = invoke("extract", str(saved), "--url", "https://harian.example/berita/1")
    data = json.loads(out)
    assert data["pages"] == 1 and data["next_page"] == "https://harian.example/berita/1?page=2"
    assert PARAGRAPHS[1] in data["text"] and PARAGRAPHS[2] not in data["text"]


def test_extract_drops_a_sites_learned_lines_on_request(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(article_page(f"<p>{PROMO}</p>"), encoding="utf-8")
    db_path = str(tmp_path / "warta.db")
    db = open_database(db_path)
    for number in range(MIN_ARTICLES):
        save_article(db, {"url": f"https://harian.example/{number}", "source": "harian",
                          "fetched_at": "2025-11-20T00:00:00Z", "text": "..."}, None)
        record_lines(db, "harian", [PROMO], "2025-11-20T00:00:00Z")
    db.close()
    code, out = invoke("extract", str(page), "--text", "--site", "harian", "--db", db_path)
    assert code == 0 and PROMO not in out and PARAGRAPHS[1] in out

    code, out = invoke("boilerplate", "--db", db_path, "--site", "harian")
    assert code == 0 and PROMO in out and str(MIN_ARTICLES) in out
    code, out = invoke("boilerplate", "--db", db_path, "--format", "json")
    assert json.loads(out) == [{"source": "harian", "lines": 1, "learned": 1}]
    code, out = invoke("boilerplate", "--db", db_path, "--site", "elsewhere")
    assert code == 0 and "no learned lines" in out


def test_extract_explains_a_bad_page_and_a_missing_file(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    code, out = invoke("extract", str(empty))
    assert code == 0 and json.loads(out)["note"] == "empty page"
    code, out = invoke("extract", str(tmp_path / "missing.html"))
    assert code != 0 and "cannot read" in out
    code, out = invoke("boilerplate", "--db", str(tmp_path / "missing.db"))
    assert code != 0 and "no database" in out


def test_a_relative_date_counts_back_from_the_fetch_time(tmp_path):
    page = tmp_path / "page.html"
    html = article_page().replace("Senin, 24 November 2025 16:40 WIB", "3 jam yang lalu")
    page.write_text(html, encoding="utf-8")
    code, out = invoke("extract", str(page))
    assert code == 0 and json.loads(out)["published"] is None  # a file: when was it fetched?
    for fetched in ("2025-11-24T12:00:00", "2025-11-24T12:00:00Z"):
        code, out = invoke("extract", str(page), "--fetched-at", fetched)
        assert code == 0 and json.loads(out)["published"] == "2025-11-24T09:00:00Z", out

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.46", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        before = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
        code, out = invoke("extract", f"http://127.0.0.46:{server.server_port}/berita/1")
    finally:
        server.shutdown()
        server.server_close()
    published = datetime.fromisoformat(json.loads(out)["published"])
    assert code == 0 and before <= published <= before + timedelta(minutes=1)
