"""Real crawls of small loopback sites: listings that repeat themselves (a sitemap index
listing itself, one article in two feeds of its source), an article redirected to another
site, a site that is not there, and the delays kept between requests."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

XML = {"Content-Type": "application/xml"}
HTML = {"Content-Type": "text/html; charset=utf-8"}
ITEM = "<item><title>Berita {n}</title><link>http://{host}/berita/{n}</link></item>"
ARTICLE = ("<html><head><title>Kemenham {n}</title></head><body><article><h1>Kemenham {n}</h1>"
           + "<p>Kementerian Hak Asasi Manusia (Kemenham) membahas laporan nomor {n} di Jakarta "
             "bersama pemerintah daerah dan lembaga masyarakat sipil.</p>" * 6
           + "</article></body></html>")


def feed(*numbers) -> str:
    return "<rss><channel>" + "".join(ITEM.replace("{n}", str(n)) for n in numbers) + \
        "</channel></rss>"


def listing(text: str):
    return lambda host: (200, XML, text.replace("{host}", host).encode())


def article(n):
    return lambda host: (200, HTML, ARTICLE.replace("{n}", str(n)).encode())


def crawl(tmp_path, source: str, crawl_settings: str = "obey_robots = false"):
    """Run `warta crawl` over one source (its TOML lines); the finished process and the
    database."""
    config = tmp_path / "warta.toml"
    config.write_text(f'database = "{tmp_path / "warta.db"}"\n[crawl]\ndelay = 0\n'
                      f'{crawl_settings}\n[watch]\nterms = ["Kemenham"]\n'
                      f'[[sources]]\nname = "situs"\n{source}\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "warta", "crawl", "--config", str(config)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return done, sqlite3.connect(tmp_path / "warta.db")


def stored_and_aliases(db, columns: str) -> tuple[list, list[str]]:
    """The stored articles' ``columns`` in the order they were stored, and every alias
    URL; the connection is closed."""
    with db:
        stored = db.execute(f"SELECT {columns} FROM articles ORDER BY id").fetchall()
        aliases = [url for (url,) in db.execute("SELECT url FROM url_aliases")]
    db.close()
    return stored, aliases


def test_repeated_listings_fetch_each_page_once_and_count_each_article_once(serve, tmp_path):
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/'
             '0.9"><sitemap><loc>http://{host}/sitemap.xml</loc></sitemap><sitemap><loc>'
             "http://{host}/sitemap-1.xml</loc></sitemap></sitemapindex>")
    urls = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>http://{host}/berita/2</loc></url></urlset>")
    other = index.replace("<sitemap><loc>http://{host}/sitemap.xml</loc></sitemap>", "")
    base, requests = serve("127.0.0.31", {
        "/sitemap.xml": listing(index), "/sitemap-1.xml": listing(urls),
        "/sitemap-b.xml": listing(other),  # a second index sharing a child: no loop
        "/a.xml": listing(feed(1, 3)), "/b.xml": listing(feed(3, 1)),
        **{f"/berita/{n}": article(n) for n in (1, 2, 3)}})
    done, db = crawl(tmp_path, f'feeds = ["{base}/a.xml", "{base}/b.xml"]\n'
                               f'sitemaps = ["{base}/sitemap.xml", "{base}/sitemap-b.xml"]\n'
                               "max_pages = 3")
    with db:
        counts = db.execute("SELECT discovered, fetched, skipped_cap FROM crawl_run_sources").fetchone()
        reasons = [r for (r,) in db.execute("SELECT reason FROM errors")]
        stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    assert done.returncode == 0
    assert requests["/sitemap.xml"] == requests["/sitemap-1.xml"] == 1
    assert {path: n for path, n in requests.items() if path.startswith("/berita/")} == {
        "/berita/1": 1, "/berita/2": 1, "/berita/3": 1}
    assert (*counts, stored) == (3, 3, 0, 3)
    assert [r for r in reasons if "a loop" in r] == [
        f"lists sitemap {base}/sitemap.xml, which leads back here (a loop): skipped"]


def test_a_robots_txt_leads_to_its_sitemaps_and_an_index_to_its_recent_ones(serve, tmp_path):
    robots = "User-agent: *\nDisallow: /cari\n\nSitemap: http://{host}/sitemap-index.xml\n"
    child = ("<sitemap><loc>http://{host}/sitemap-{day}.xml</loc>"
             "<lastmod>2025-11-{day}T23:00:00+07:00</lastmod></sitemap>")
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/'
             '0.9">' + "".join(child.replace("{day}", d) for d in ("20", "14", "12", "02"))
             + "<sitemap><loc>http://{host}/sitemap-pages.xml</loc></sitemap></sitemapindex>")
    urls = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>http://{host}/berita/{n}</loc></url></urlset>")
    days = {"20": 1, "14": 2, "12": 3, "02": 4, "pages": 5}
    base, requests = serve("127.0.0.35", {
        "/robots.txt": lambda host: (200, {"Content-Type": "text/plain"},
                                     robots.replace("{host}", host).encode()),
        "/sitemap-index.xml": listing(index),
        **{f"/sitemap-{d}.xml": listing(urls.replace("{n}", str(n))) for d, n in days.items()},
        **{f"/berita/{n}": article(n) for n in days.values()}})
    done, db = crawl(tmp_path, f'sitemaps = ["{base}/robots.txt"]')
    with db:
        stored = sorted(u for (u,) in db.execute("SELECT url FROM articles"))
        errors = db.execute("SELECT count(*) FROM errors").fetchone()[0]
    db.close()
    assert done.returncode == 0, done.stderr[-2000:]
    # 20 Nov is the newest: the 14th is within 7 days of it, the 12th and the 2nd are not;
    # a child without a date is always read
    assert stored == [f"{base}/berita/{n}" for n in (1, 2, 5)]
    assert requests["/sitemap-12.xml"] == requests["/sitemap-02.xml"] == 0
    assert errors == 0


def test_an_article_redirected_to_another_site_is_not_stored(serve, tmp_path):
    elsewhere, _ = serve("127.0.0.34", {"/consent": article("persetujuan")})
    base, _ = serve("127.0.0.33", {
        "/rss.xml": listing(feed(1, 9)), "/berita/1": article(1),
        "/berita/9": lambda host: (302, {"Location": f"{elsewhere}/consent"}, b"")})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    with db:
        titles = [t for (t,) in db.execute("SELECT title FROM articles")]
        errors = db.execute("SELECT url, reason FROM errors").fetchall()
        seen = db.execute("SELECT status FROM seen_urls WHERE url LIKE '%/berita/9'").fetchall()
    db.close()
    assert done.returncode == 0 and titles == ["Kemenham 1"]
    assert any(url.endswith("/berita/9") and "redirected to another site (127.0.0.34" in reason
               for url, reason in errors), errors
    assert [status for (status,) in seen] == ["refused"]  # asked again, for a while


def test_pages_the_site_keeps_refusing_are_left_after_the_retry_days(serve, tmp_path):
    too_large = ARTICLE.replace("{n}", "4").replace("</body>", "x" * 20000 + "</body>")
    base, requests = serve("127.0.0.35", {
        "/rss.xml": listing(feed(1, 2, 3, 4)), "/berita/1": article(1),
        "/berita/2": lambda host: (403, HTML, b"<html><body>Forbidden</body></html>"),
        "/berita/3": lambda host: (503, HTML, b"<html><body>Busy</body></html>"),
        "/berita/4": lambda host: (200, HTML, too_large.encode())})
    settings = "obey_robots = false\nretries = 0\nmax_page_bytes = 5000"
    crawl(tmp_path, f'feeds = ["{base}/rss.xml"]', settings)[1].close()
    with sqlite3.connect(tmp_path / "warta.db") as db:
        statuses = dict(db.execute("SELECT substr(url, -9), status FROM seen_urls"))
        db.execute("UPDATE seen_urls SET first_seen = '2020-01-01T00:00:00Z'")  # days ago
    db.close()
    assert statuses == {"/berita/1": "stored", "/berita/2": "refused",
                        "/berita/3": "failed", "/berita/4": "refused"}
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]', settings)
    with db:
        given_up, failed = db.execute(
            "SELECT given_up, failed FROM crawl_run_sources ORDER BY run_id DESC").fetchone()
    db.close()
    assert (given_up, failed) == (2, 1), done.stdout
    assert [requests[f"/berita/{n}"] for n in (1, 2, 3, 4)] == [1, 1, 2, 1]
    assert "given_up" in done.stdout


def test_a_crawl_that_reaches_no_site_fails_and_says_so_briefly(tmp_path):
    done, db = crawl(tmp_path, 'feeds = ["http://127.0.0.9:9/rss.xml"]', "retries = 0")
    with db:
        outcomes = db.execute("SELECT outcome FROM crawl_runs").fetchall()
    db.close()
    assert done.returncode == 1 and outcomes == [("failed",)]
    warning = next(line for line in done.stderr.splitlines() if "robots.txt" in line)
    assert "http://127.0.0.9:9/robots.txt unreadable (" in warning and "rss.xml" not in warning
    assert "Traceback" not in done.stderr
    assert "Disabled" not in done.stderr  # the crawl lock, held by `warta crawl` itself


def test_a_file_served_as_html_is_a_failure_not_an_article(serve, tmp_path):
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n" * 20
    base, _ = serve("127.0.0.39", {"/rss.xml": listing(feed(1, 2)), "/berita/1": article(1),
                                   "/berita/2": lambda host: (200, HTML, pdf)})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    with db:
        stored = db.execute("SELECT url FROM articles").fetchall()
        errors = db.execute("SELECT url, reason FROM errors").fetchall()
        seen = db.execute("SELECT status FROM seen_urls WHERE url LIKE '%/berita/2'").fetchall()
    db.close()
    assert done.returncode == 0 and [url for (url,) in stored] == [f"{base}/berita/1"]
    assert errors == [(f"{base}/berita/2", "not an HTML page: a PDF file served as HTML")]
    assert [status for (status,) in seen] == ["refused"]


def test_a_crawl_that_cannot_start_is_recorded_as_failed_with_its_reason(serve, tmp_path):
    base, _ = serve("127.0.0.38", {"/rss.xml": listing(feed(1)), "/berita/1": article(1)})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    with db:  # stored story state this version cannot read
        db.execute("UPDATE signatures SET features = 'not json'")
    db.close()
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    with db:
        run = db.execute("SELECT id, outcome FROM crawl_runs ORDER BY id DESC").fetchone()
        errors = db.execute("SELECT stage, reason FROM errors WHERE run_id = ?", run[:1]).fetchall()
        sources = db.execute("SELECT source FROM crawl_run_sources WHERE run_id = ?",
                             run[:1]).fetchall()
    db.close()
    assert done.returncode == 1 and run[1] == "failed" and sources == [("situs",)]
    reason = f"could not start: {tmp_path / 'warta.db'}: cannot read the database: malformed JSON"
    assert errors == [("start", reason)]
    assert f"run {run[0]}: failed ({reason})" in done.stdout


def test_a_crawl_on_a_damaged_database_says_so_and_what_to_do(serve, tmp_path):
    base, _ = serve("127.0.0.38", {"/rss.xml": listing(feed(1)), "/berita/1": article(1)})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'signatures'").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    with open(tmp_path / "warta.db", "r+b") as handle:  # the stored story state is garbage
        handle.seek((page - 1) * size)
        handle.write(b"\x0d\x00\x05" + b"\xff" * 200)
    done, _ = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    line = next(line for line in done.stdout.splitlines() if line.startswith("run "))
    assert done.returncode == 1 and "failed (could not start: " in line
    assert f"{tmp_path / 'warta.db'}: the database file is damaged" in line
    assert "restore it from a backup" in line


def test_a_source_with_nothing_to_count_is_still_in_the_run_ledger(serve, tmp_path):
    base, _ = serve("127.0.0.35", {"/rss.xml": listing(feed())})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    with db:
        rows = db.execute("SELECT source, discovered, failed FROM crawl_run_sources").fetchall()
        outcome = db.execute("SELECT outcome FROM crawl_runs").fetchone()[0]
    db.close()
    assert done.returncode == 0 and outcome == "ok" and rows == [("situs", 0, 0)]


def test_urls_redirecting_to_a_fetched_article_are_not_requested_again(serve, tmp_path):
    moved = {f"/lama/{n}": (lambda host: (301, {"Location": f"http://{host}/berita/1"}, b""))
             for n in (1, 2, 3)}
    items = "".join(f"<item><title>{p}</title><link>http://{{host}}{p}</link></item>"
                    for p in ("/berita/1", *moved))
    base, requests = serve("127.0.0.36", {
        "/rss.xml": listing(f"<rss><channel>{items}</channel></rss>"),
        "/berita/1": article(1), **moved})
    for _ in range(2):
        done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
        assert done.returncode == 0, done.stderr[-2000:]
    with db:
        stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        second = db.execute("SELECT discovered, fetched, skipped_seen FROM crawl_run_sources "
                            "WHERE run_id = 2").fetchone()
    db.close()
    assert stored == 1
    assert {path: requests[path] for path in moved} == dict.fromkeys(moved, 1)
    assert second == (4, 0, 4)


def test_an_article_with_and_without_a_final_slash_is_one_article(serve, tmp_path):
    def link(path):
        return f"<item><title>{path}</title><link>http://{{host}}{path}</link></item>"

    base, requests = serve("127.0.0.37", {
        "/a.xml": listing(f"<rss><channel>{link('/v/cerita-1')}</channel></rss>"),
        "/b.xml": listing(f"<rss><channel>{link('/v/cerita-1/')}{link('/v/cerita-2/')}"
                          "</channel></rss>"),
        "/v/cerita-1": article(1), "/v/cerita-1/": article(1), "/v/cerita-2/": article(2)})
    first, db = crawl(tmp_path, f'feeds = ["{base}/a.xml", "{base}/b.xml"]')
    db.close()
    second, db = crawl(tmp_path, f'feeds = ["{base}/b.xml", "{base}/a.xml"]')  # other order
    with db:
        stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        fetched = [n for (n,) in db.execute("SELECT fetched FROM crawl_run_sources ORDER BY run_id")]
    db.close()
    assert first.returncode == second.returncode == 0
    assert requests["/v/cerita-1"] + requests["/v/cerita-1/"] == 1
    assert stored == 2 and fetched == [2, 0]


def timed(route, times: list):
    """``route``, noting the time of each request in ``times``."""
    def answer(host):
        times.append(time.monotonic())
        return route(host)
    return answer


def gaps(times: list) -> list[float]:
    return [b - a for a, b in pairwise(times)]


def test_robots_crawl_delay_and_the_configured_delay_are_kept_between_requests(serve, tmp_path):
    asked, configured = [], []
    polite, _ = serve("127.0.0.41", {
        "/robots.txt": lambda host: (200, {"Content-Type": "text/plain"},
                                     b"User-agent: *\nCrawl-delay: 0.8\nDisallow: /private\n"),
        "/rss.xml": listing(feed(1, 2, 3)),
        **{f"/berita/{n}": timed(article(n), asked) for n in (1, 2, 3)}})
    slow, _ = serve("127.0.0.42", {
        "/rss.xml": listing(feed(4, 5, 6)),
        **{f"/berita/{n}": timed(article(n), configured) for n in (4, 5, 6)}})
    config = tmp_path / "warta.toml"
    config.write_text(
        f'database = "{tmp_path / "warta.db"}"\n[crawl]\ndelay = 0\n[watch]\n'
        f'terms = ["Kemenham"]\n[[sources]]\nname = "patuh"\nfeeds = ["{polite}/rss.xml"]\n'
        f'[[sources]]\nname = "lambat"\nfeeds = ["{slow}/rss.xml"]\ndelay = 0.6\n',
        encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "warta", "crawl", "--config", str(config)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(asked) == len(configured) == 3
    # AutoThrottle alone would have brought both down to a few milliseconds; the margins
    # allow for a request stamped late by this busy process's server thread
    assert min(gaps(asked)) >= 0.7, gaps(asked)
    assert min(gaps(configured)) >= 0.5, gaps(configured)  # no jitter below the configured 0.6


def test_a_configured_feed_robots_txt_forbids_is_a_recorded_failure(serve, tmp_path):
    """The source cannot be read at all: ops must hear of it, not find an ok run."""
    base, requests = serve("127.0.0.44", {
        "/robots.txt": lambda host: (200, {"Content-Type": "text/plain"},
                                     b"User-agent: *\nDisallow: /feed/\n"),
        "/feed/rss.xml": listing(feed(1)), "/berita/1": article(1)})
    done, db = crawl(tmp_path, f'feeds = ["{base}/feed/rss.xml"]', "obey_robots = true")
    with db:
        errors = db.execute("SELECT stage, url, reason FROM errors").fetchall()
        counts = db.execute("SELECT failed, robots_denied FROM crawl_run_sources").fetchone()
    db.close()
    assert "/feed/rss.xml" not in requests  # obeyed
    assert done.returncode == 1 and counts == (1, 1)
    assert errors == [("feed", f"{base}/feed/rss.xml", ("disallowed by the site's robots.txt: "
                       "nothing listed there can be read; configure another feed, sitemap or "
                       "index page for this source"))]


def test_a_site_that_is_down_is_left_after_ten_failures_and_the_run_says_so(serve, tmp_path):
    """Every page answers 500: the failures are recorded (the run is no ok run), and the
    site does not get every page's retries."""
    numbers = range(1, 31)
    base, requests = serve("127.0.0.46", {
        "/rss.xml": listing(feed(*numbers)),
        **{f"/berita/{n}": (lambda host: (500, HTML, b"<html>Error</html>")) for n in numbers}})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]', "obey_robots = false\nretries = 1")
    with db:
        outcome = db.execute("SELECT outcome FROM crawl_runs").fetchone()[0]
        failed = db.execute("SELECT failed FROM crawl_run_sources").fetchone()[0]
        reasons = [r for (r,) in db.execute("SELECT reason FROM errors WHERE stage = 'fetch'")]
        seen = db.execute("SELECT count(*) FROM seen_urls WHERE status = 'stored'").fetchone()[0]
    db.close()
    assert done.returncode == 1 and outcome == "failed"
    assert failed == len(reasons) >= 5 and seen == 0
    assert any("the site seems down" in r for r in reasons)
    article_requests = sum(n for path, n in requests.items() if path.startswith("/berita/"))
    assert article_requests < 2 * len(numbers)  # not every page tried twice


def test_a_page_sending_the_browser_on_by_script_leads_to_the_article(serve, tmp_path):
    """A short page with 'location.replace(...)' where the article was is followed like
    an HTTP redirect; the article is stored under its new address, the old one an alias."""
    script = ('<html><head><script>window.location.replace("/berita/1/judul-baru");</script>'
              '</head><body>Anda akan dialihkan... <a href="/berita/1/judul-baru">klik di sini</a>'
              "</body></html>")
    base, requests = serve("127.0.0.45", {
        "/rss.xml": listing(feed(1)),
        "/berita/1": lambda host: (200, HTML, script.encode()),
        "/berita/1/judul-baru": article(1)})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    stored, aliases = stored_and_aliases(db, "url, relevant, length(text) > 0")
    assert done.returncode == 0, done.stderr[-2000:]
    assert stored == [(f"{base}/berita/1/judul-baru", 1, 1)]
    assert aliases == [f"{base}/berita/1"]
    assert requests["/berita/1/judul-baru"] == 1


def declaring(n, canonical: str):
    page = ARTICLE.replace("{n}", str(n)).replace(
        "<head>", f'<head><link rel="canonical" href="{canonical}">')
    return lambda host: (200, HTML, page.encode())


def test_a_canonical_link_naming_a_listing_or_section_does_not_merge_articles(serve, tmp_path):
    """...while one naming the article merges its URLs, and counts it once."""
    index = "".join(f'<a href="/berita/{n}">Berita {n}</a>' for n in range(1, 6))
    index += '<a href="/m/berita/5">Berita 5</a>'  # one article under two URLs
    base, _ = serve("127.0.0.43", {
        "/indeks": lambda host: (200, HTML, f"<html><body>{index}</body></html>".encode()),
        "/berita/1": declaring(1, "/indeks"), "/berita/2": declaring(2, "/indeks"),
        "/berita/3": declaring(3, "/berita/"), "/berita/4": declaring(4, "/berita/"),
        "/berita/5": declaring(5, "/berita/5-judul-lengkap"),
        "/m/berita/5": declaring(5, "/berita/5-judul-lengkap")})
    done, db = crawl(tmp_path, f'start_urls = ["{base}/indeks"]\n'
                               f"article_pattern = '/berita/'")
    with db:
        stored = dict(db.execute("SELECT url, title FROM articles"))
        counts = db.execute("SELECT new, updated FROM crawl_run_sources").fetchone()
    db.close()
    assert done.returncode == 0
    assert stored == {**{f"{base}/berita/{n}": f"Kemenham {n}" for n in range(1, 5)},
                      f"{base}/berita/5-judul-lengkap": "Kemenham 5"}
    assert counts == (5, 0)


def test_an_article_redirected_to_a_login_page_or_the_front_page_is_not_stored(serve, tmp_path):
    login = ("<html><body><h1>Masuk</h1>" + "<p>Masuk untuk membaca artikel Kemenham ini, "
             "daftar gratis sekarang juga dan nikmati semua berita.</p>" * 4 + "</body></html>")
    base, _ = serve("127.0.0.44", {
        "/rss.xml": listing(feed(1, 2, 3)), "/berita/1": article(1),
        "/berita/2": lambda host: (302, {"Location": "/akun/masuk?kembali=%2Fberita%2F2"}, b""),
        "/akun/masuk?kembali=%2Fberita%2F2": lambda host: (200, HTML, login.encode()),
        "/berita/3": lambda host: (301, {"Location": "/"}, b""),
        "/": lambda host: (200, HTML, ARTICLE.replace("{n}", "utama").encode())})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    with db:
        titles = [t for (t,) in db.execute("SELECT title FROM articles")]
        errors = dict(db.execute("SELECT url, reason FROM errors"))
        seen = dict(db.execute("SELECT url, status FROM seen_urls"))
    db.close()
    assert done.returncode == 0 and titles == ["Kemenham 1"]
    assert errors[f"{base}/berita/2"].startswith(
        "redirected to /akun/masuk, which leads back to the article (a login")
    assert errors[f"{base}/berita/3"].startswith(f"redirected to the front page ({base}/)")
    assert seen[f"{base}/berita/2"] == seen[f"{base}/berita/3"] == "refused"


def test_a_redirect_loop_is_a_recorded_failure(serve, tmp_path):
    base, _ = serve("127.0.0.45", {
        "/rss.xml": listing(feed(1, 7)), "/berita/1": article(1),
        "/berita/7": lambda host: (302, {"Location": "/berita/7b"}, b""),
        "/berita/7b": lambda host: (302, {"Location": "/berita/7"}, b"")})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    with db:
        errors = dict(db.execute("SELECT url, reason FROM errors"))
        failed = db.execute("SELECT failed FROM crawl_run_sources").fetchone()[0]
    db.close()
    assert done.returncode == 0
    assert errors == {f"{base}/berita/7": f"redirect loop: {base}/berita/7 → {base}/berita/7b → "
                                          f"{base}/berita/7"}
    assert failed == 1


def test_an_article_paged_without_rel_next_is_stored_whole(serve, tmp_path):
    def part(n: int, pager: str):
        paragraphs = "".join(
            f"<p>Bagian {n} kalimat {k}: Kementerian Hak Asasi Manusia (Kemenham) memantau "
            f"penanganan pengaduan warga di Sumba Timur bersama pemerintah daerah.</p>"
            for k in range(1, 5))
        body = (f"<html><head><title>Kemenham di Sumba</title></head><body><article><h1>Kemenham "
                f"di Sumba</h1>{paragraphs}</article>{pager}</body></html>")
        return lambda host: (200, HTML, body.replace("{host}", host).encode())

    numbers = ('<div class="paging"><a href="http://{host}/berita/5">1</a>'
               '<a href="http://{host}/berita/5?page=2">2</a></div>')
    base, requests = serve("127.0.0.35", {
        "/rss.xml": listing(feed(5)),
        "/berita/5": part(1, '<a href="http://{host}/berita/5?page=2">Halaman selanjutnya</a>'
                             + numbers),
        "/berita/5?page=2": part(2, numbers)})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    with db:
        (url, text), = db.execute("SELECT url, text FROM articles").fetchall()
    db.close()
    assert done.returncode == 0
    assert url == f"{base}/berita/5"
    assert "Bagian 1 kalimat 1:" in text and "Bagian 2 kalimat 4:" in text
    assert requests["/berita/5?page=2"] == 1


def test_an_article_reached_through_a_redirect_is_stored_under_where_it_led(serve, tmp_path):
    moved = lambda host: (301, {"Location": f"http://{host}/berita/1"}, b"")
    routes = {"/a.xml": listing(feed("lama")), "/berita/1": article(1), "/berita/lama": moved}
    base, _ = serve("127.0.0.34", routes)
    source = f'feeds = ["{base}/a.xml"]'
    first, db = crawl(tmp_path, source)
    with db:
        stored = db.execute("SELECT url FROM articles").fetchall()
        aliases = [u for (u,) in db.execute("SELECT url FROM url_aliases")]
    db.close()
    assert stored == [(f"{base}/berita/1",)], first.stdout
    assert f"{base}/berita/lama" in aliases
    routes["/a.xml"] = listing(feed("lama", 1))  # the next run's feed lists the article itself
    crawl(tmp_path, source)
    with sqlite3.connect(tmp_path / "warta.db") as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_a_search_that_lists_only_its_own_pages_is_a_failure(serve, tmp_path):
    own = ('<rss><channel><item><title>A</title><link>http://{host}/rss/articles/a1</link></item>'
           '<item><title>B</title><link>http://{host}/rss/articles/b2</link></item></channel></rss>')
    base, requests = serve("127.0.0.40", {"/rss.xml": listing(own)})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]\nsearch = true')
    with db:
        errors = db.execute("SELECT stage, reason FROM errors").fetchall()
    db.close()
    host = base.removeprefix("http://")
    assert errors == [("discover", (f"2 of 2 links lead to pages of {host}, not to the articles "
                                   "(such pages reach them only in a browser): skipped"))]
    assert not [path for path in requests if path.startswith("/rss/articles/")]
    assert done.returncode == 1  # the only source found nothing to fetch: a failed run


def test_pages_declaring_one_address_for_different_articles_are_stored_apart(serve, tmp_path):
    topics = {1: "meninjau lapas perempuan di Tangerang bersama kepala kantor wilayah",
              2: "menerima aduan pekerja migran asal Nusa Tenggara Timur di Kupang",
              3: "membuka pelatihan penyuluh desa sadar hukum di Pontianak pekan ini"}

    def page(n):
        html = (f'<html><head><link rel="canonical" href="/nasional"><title>Kemenham {n}</title>'
                f"</head><body><article><h1>Kemenham {n}</h1><p>Kemenham {topics[n]}.</p>"
                f"<p>Pejabat Kemenham {topics[n]} dan berjanji menindaklanjuti temuan.</p>"
                "</article></body></html>")
        return lambda host: (200, HTML, html.encode())

    pages = {f"/berita/{n}": page(n) for n in topics}
    base, _ = serve("127.0.0.36", {"/rss.xml": listing(feed(1, 2, 3)), **pages})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    with db:
        stored = dict(db.execute("SELECT title, url FROM articles"))
        notes = [n for (n,) in db.execute("SELECT extraction_note FROM articles") if n]
    db.close()
    assert done.returncode == 0 and sorted(stored) == [f"Kemenham {n}" for n in topics]
    first = next(title for title, url in stored.items() if url == f"{base}/nasional")  # arrived first
    assert all(url == f"{base}/berita/{title[-1]}" for title, url in stored.items() if title != first)
    assert len(notes) == 2 and all(f"declares {base}/nasional" in n for n in notes)


def test_one_article_at_two_addresses_of_its_outlet_is_stored_once(serve, tmp_path):
    items = feed(5).replace("</channel>", "<item><title>Lagi</title><link>http://{host}/"
                                          "berita/5/menteri-ham</link></item></channel>")
    paragraphs = "".join(f"<p>Kemenham mencatat {n} aduan dari warga binaan lapas {place} "
                         f"selama bulan ini dan menindaklanjutinya bersama pemerintah daerah.</p>"
                         for n, place in ((12, "Tangerang"), (7, "Nabire"), (30, "Cipinang")))
    page = ARTICLE.replace("{n}", "5").replace("</article>", paragraphs + "</article>")
    base, _ = serve("127.0.0.37", {"/rss.xml": listing(items),
                                   **{path: lambda host: (200, HTML, page.encode())
                                      for path in ("/berita/5", "/berita/5/menteri-ham")}})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    with db:
        stored = db.execute("SELECT id, url FROM articles").fetchall()
        aliases = [url for (url,) in db.execute("SELECT url FROM url_aliases")]
        new = db.execute("SELECT sum(new) FROM crawl_run_sources").fetchone()[0]
    db.close()
    assert done.returncode == 0 and len(stored) == 1 and new == 1
    assert {stored[0][1], *aliases} >= {f"{base}/berita/5", f"{base}/berita/5/menteri-ham"}


def test_a_recheck_counts_as_updated_only_an_article_whose_text_changed(serve, tmp_path):
    served = Counter()

    def changing(host):
        served["/berita/2"] += 1
        more = "<p>Pembaruan: Kemenham menambah dua petugas pemantau.</p>" * (served["/berita/2"] > 1)
        return 200, HTML, ARTICLE.replace("{n}", "2").replace("</article>", more + "</article>").encode()

    base, _ = serve("127.0.0.40", {"/rss.xml": listing(feed(1, 2)), "/berita/1": article(1),
                                   "/berita/2": changing})
    settings = "obey_robots = false\nrecheck_hours = 87600"
    for _ in range(2):
        crawl(tmp_path, f'feeds = ["{base}/rss.xml"]', settings)[1].close()
    with sqlite3.connect(tmp_path / "warta.db") as db:
        counts = db.execute("SELECT fetched, new, updated FROM crawl_run_sources "
                            "ORDER BY run_id DESC").fetchone()
        text = db.execute("SELECT text FROM articles WHERE url LIKE '%/berita/2'").fetchone()[0]
    db.close()
    assert counts == (2, 0, 1) and "Pembaruan" in text


def test_a_failure_after_retries_says_how_many_tries_it_took(serve, tmp_path):
    base, requests = serve("127.0.0.41", {
        "/rss.xml": listing(feed(1)),
        "/berita/1": lambda host: (503, HTML, b"<html><body>Sibuk</body></html>")})
    crawl(tmp_path, f'feeds = ["{base}/rss.xml"]', "obey_robots = false\nretries = 1")[1].close()
    with sqlite3.connect(tmp_path / "warta.db") as db:
        reasons = [reason for (reason,) in db.execute("SELECT reason FROM errors")]
    db.close()
    assert requests["/berita/1"] == 2 and reasons == ["HTTP 503 (tried 2 times)"]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("stamped_now", [False, True])
def test_a_stored_article_the_sitemap_says_changed_is_fetched_again(serve, tmp_path, stamped_now):
    now = datetime.now(UTC)
    lastmod = {n: now - timedelta(days=n) for n in range(1, 7)}  # one a day, a week back
    if stamped_now:  # a sitemap that stamps every page with the time it was made
        lastmod = dict.fromkeys(lastmod, now)
    edited = {"times": 0}

    def sitemap(host):
        rows = "".join(f"<url><loc>http://{host}/berita/{n}</loc><lastmod>{_iso(t)}</lastmod></url>"
                       for n, t in lastmod.items())
        return 200, XML, (f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}'
                          "</urlset>").encode()

    places = ["Aceh", "Bali", "Papua", "Maluku", "Riau", "Jambi"]
    stories = [  # pages of their own words: the same moment and folder, yet not one article
        ("Petani sawit Aceh Tamiang mengadukan sengketa lahan dengan perusahaan perkebunan; "
        "mediasi dijadwalkan ulang setelah dua pertemuan gagal menghasilkan kesepakatan."),
        ("Nelayan Serangan menolak penggusuran dermaga tradisional untuk proyek marina; "
        "mereka meminta pendampingan hukum sebelum batas pengosongan berakhir."),
        ("Puskesmas terpencil di Yahukimo kekurangan dokter sejak Maret sehingga ibu hamil "
        "harus menempuh perjalanan enam jam menuju rumah sakit terdekat."),
        ("Krisis air bersih melanda Pulau Seram bagian timur ketika sumur warga mengering "
        "akibat kemarau panjang yang belum juga berakhir."),
        ("Limbah tambang bauksit diduga mencemari Sungai Kampar hingga ikan mati massal dan "
        "pembudidaya keramba merugi ratusan juta rupiah."),
        ("Komunitas Orang Rimba menuntut pengakuan wilayah adat yang tumpang tindih dengan "
        "konsesi hutan tanaman industri di Sarolangun."),
    ]

    def page(n: int, more: str = ""):
        body = f"<p>Kanwil Kemenham {places[n - 1]}: {stories[n - 1]}</p>"
        return (f"<html><head><title>Kemenham {places[n - 1]}</title></head><body><article>"
                f"<h1>Kemenham {places[n - 1]}</h1>{body}{more}</article></body></html>").encode()

    def changing(host):
        edited["times"] += 1
        more = "<p>Pembaruan: Kemenham menambah dua petugas pemantau.</p>" * (edited["times"] > 1)
        return 200, HTML, page(3, more)

    base, requests = serve("127.0.0.42" if stamped_now else "127.0.0.43", {
        "/sitemap.xml": sitemap, "/berita/3": changing,
        **{f"/berita/{n}": (lambda host, n=n: (200, HTML, page(n))) for n in lastmod if n != 3}})
    crawl(tmp_path, f'sitemaps = ["{base}/sitemap.xml"]')[1].close()
    lastmod[3] = datetime.now(UTC) + timedelta(seconds=2)  # edited after the first fetch
    crawl(tmp_path, f'sitemaps = ["{base}/sitemap.xml"]')[1].close()
    with sqlite3.connect(tmp_path / "warta.db") as db:
        counts = db.execute("SELECT fetched, updated, skipped_seen FROM crawl_run_sources "
                            "ORDER BY run_id DESC").fetchone()
        text = db.execute("SELECT text FROM articles WHERE url LIKE '%/berita/3'").fetchone()[0]
    db.close()
    if stamped_now:  # its stamps tell nothing: only the re-check window would fetch again
        assert counts == (0, 0, 6) and requests["/berita/3"] == 1
    else:
        assert counts == (1, 1, 5) and "Pembaruan" in text


def test_a_site_answering_429_gets_no_request_until_the_wait_it_asked_for_is_over(serve, tmp_path):
    times: list[tuple[float, int]] = []

    def noted(n):
        def answer(host):
            times.append((time.monotonic(), n))
            if len(times) == 1:  # the first article asked for, whichever it is
                return 429, {**HTML, "Retry-After": "1"}, b"<html><body>Terlalu banyak</body></html>"
            return article(n)(host)
        return answer

    base, _ = serve("127.0.0.41", {"/rss.xml": listing(feed(1, 2, 3, 4)),
                                   **{f"/berita/{n}": noted(n) for n in (1, 2, 3, 4)}})
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]\nconcurrency = 1',
                     "obey_robots = false\nretries = 1")
    stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    refused, first = times[0]
    others_after = [at - refused for at, n in times if n != first]
    assert stored == 4, done.stderr[-2000:]
    assert others_after and min(others_after) >= 0.9, times  # not the retried page alone


def _report(headline: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{headline}</title></head><body><article><h1>{headline}</h1>"
            f"{body}</article></body></html>").encode()


_NABIRE = (("Kementerian Hak Asasi Manusia (Kemenham) meninjau lembaga pemasyarakatan di Nabire "
           "pada Kamis dan menemukan kamar hunian yang jauh melebihi kapasitasnya."),
           ("Kepala kantor wilayah menyebut 412 warga binaan menempati blok yang dibangun untuk "
           "180 orang, sementara air bersih hanya mengalir dua kali sepekan."),
           ("Kemenham meminta pemerintah daerah menyiapkan lahan untuk blok baru sebelum akhir "
           "tahun dan berjanji memantau pemenuhan hak warga binaan setiap bulan."))


def test_an_article_under_a_rewritten_headline_is_the_stored_article_updated(serve, tmp_path):
    old, new = "/berita/d-7712345/kemenham-tinjau-lapas-nabire", \
        "/berita/d-7712345/lapas-nabire-kelebihan-kapasitas-kemenham-minta-blok-baru"
    pages = {"/rss.xml": listing(feed_of(old)),
             old: lambda host: (200, HTML, _report("Kemenham Tinjau Lapas Nabire", *_NABIRE))}
    base, _ = serve("127.0.0.38", pages)
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    db.close()
    assert done.returncode == 0
    update = (*_NABIRE[:2], _NABIRE[2].replace("sebelum akhir tahun", "pada Januari"),
              "Pemerintah Kabupaten Nabire menyatakan siap menyediakan lahan di distrik Wanggar.")
    pages.pop(old)
    pages["/rss.xml"] = listing(feed_of(new))
    pages[new] = lambda host: (200, HTML, _report("Lapas Nabire Kelebihan Kapasitas", *update))
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    with db:
        stored = db.execute("SELECT url, title, text, url_number, revised_at, updated_at "
                            "FROM articles").fetchall()
        aliases = [url for (url,) in db.execute("SELECT url FROM url_aliases")]
        new_count = db.execute("SELECT new FROM crawl_run_sources ORDER BY run_id DESC").fetchone()[0]
    db.close()
    assert done.returncode == 0 and len(stored) == 1 and new_count == 0
    url, title, text, number, revised, written = stored[0]
    assert (url, number) == (f"{base}{old}", "7712345") and f"{base}{new}" in aliases
    assert title == "Lapas Nabire Kelebihan Kapasitas" and "distrik Wanggar" in text
    assert revised == written  # the update is news: the digest of its day names it


def _dated(page: bytes, published: str) -> bytes:
    return page.replace(b"</head>", f'<meta property="article:published_time" '
                                    f'content="{published}"></head>'.encode(), 1)


def test_an_unnumbered_address_rewritten_is_the_article_of_its_folder_published_then(
        serve, tmp_path):
    old, new = "/peristiwa/kemenham-tinjau-lapas-nabire.html", \
        "/peristiwa/lapas-nabire-kelebihan-kapasitas.html"
    later = "/peristiwa/kemenham-kembali-ke-lapas-nabire.html"
    at, next_day = "2025-11-20T09:15:00+07:00", "2025-11-21T10:00:00+07:00"
    pages = {"/rss.xml": listing(feed_of(old)),
             old: lambda host: (200, HTML, _dated(_report("Kemenham Tinjau Lapas Nabire",
                                                           *_NABIRE), at))}
    base, _ = serve("127.0.0.37", pages)
    crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')[1].close()
    update = (*_NABIRE, "Pemerintah Kabupaten Nabire menyatakan siap menyediakan lahan.")
    pages.pop(old)
    pages["/rss.xml"] = listing(feed_of(new, later))
    pages[new] = lambda host: (200, HTML, _dated(_report("Lapas Nabire Kelebihan Kapasitas",
                                                         *update), at))
    # the next day's report retells the visit: much the same words, another article
    pages[later] = lambda host: (200, HTML, _dated(_report("Kemenham Kembali ke Nabire",
                                                           *_NABIRE[1:], _NABIRE[0]), next_day))
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    stored, aliases = stored_and_aliases(db, "url, title")
    assert done.returncode == 0, done.stderr[-2000:]
    assert stored == [(f"{base}{old}", "Lapas Nabire Kelebihan Kapasitas"),
                      (f"{base}{later}", "Kemenham Kembali ke Nabire")]
    assert aliases == [f"{base}{new}"]


def test_addresses_sharing_a_number_but_not_a_text_are_different_articles(serve, tmp_path):
    first, rewritten = "/berita/d-7712345/kemenham-tinjau-lapas", "/berita/d-7712345/lapas-penuh"
    figure_a = "/nasional/2025/11/20/kemenham-terima-10000-aduan-pekerja-migran"
    figure_b = "/nasional/2025/11/21/10000-pengungsi-banjir-dibantu-kemenham"
    migrants = (("Kemenham menerima 10000 aduan pekerja migran sepanjang tahun ini, sebagian besar "
                "tentang gaji yang tidak dibayar dan dokumen yang ditahan majikan di luar negeri."),
                ("Direktur pelayanan komunikasi masyarakat mengatakan aduan terbanyak datang dari "
                "Nusa Tenggara Timur dan Jawa Barat, disusul Lampung dan Sulawesi Selatan."))
    floods = (("Sebanyak 10000 pengungsi banjir di Kabupaten Bandung menerima bantuan logistik dan "
              "layanan kesehatan yang dikoordinasikan Kemenham bersama pemerintah provinsi."),
              ("Petugas mendirikan dapur umum di tiga kecamatan dan memastikan anak-anak serta "
              "lansia mendapat tempat tidur yang layak selama air belum surut sepenuhnya."))
    base, _ = serve("127.0.0.39", {
        "/rss.xml": listing(feed_of(first, figure_a, figure_b, rewritten)),
        first: lambda host: (200, HTML, _report("Kemenham Tinjau Lapas", *_NABIRE)),
        rewritten: lambda host: (200, HTML, _report("Lapas Penuh", *_NABIRE[:2])),
        figure_a: lambda host: (200, HTML, _report("Kemenham Terima 10000 Aduan", *migrants)),
        figure_b: lambda host: (200, HTML, _report("10000 Pengungsi Dibantu", *floods)),
    })
    done, db = crawl(tmp_path, f'feeds = ["{base}/rss.xml"]')
    with db:
        numbers = sorted(n for (n,) in db.execute("SELECT url_number FROM articles"))
        aliases = [url for (url,) in db.execute("SELECT url FROM url_aliases")]
    db.close()
    assert done.returncode == 0 and numbers == ["10000", "10000", "7712345"]
    assert len({f"{base}{first}", f"{base}{rewritten}"} & set(aliases)) == 1  # either came first
    assert not [a for a in aliases if "nasional" in a]


def feed_of(*paths: str) -> str:
    return "<rss><channel>" + "".join(f"<item><title>{p}</title><link>http://{{host}}{p}</link>"
                                      "</item>" for p in paths) + "</channel></rss>"


def test_articles_at_the_front_pages_address_with_a_query_naming_them_are_stored(serve, tmp_path):
    # a site with plain addresses ("/?p=11") lists its front page among them too
    plain = ("<rss><channel>" + "".join(f"<item><link>http://{{host}}{path}</link></item>"
                                       for path in ("/?p=11", "/?p=12", "/?utm_source=rss"))
             + "</channel></rss>")
    base, requests = serve("127.0.0.48", {"/?feed=rss2": listing(plain),
                                          "/?p=11": article(11), "/?p=12": article(12)})
    done, db = crawl(tmp_path, f'feeds = ["{base}/?feed=rss2"]')
    with db:
        stored = sorted(db.execute("SELECT url, title FROM articles"))
    db.close()
    assert done.returncode == 0
    assert stored == [(f"{base}/?p=11", "Kemenham 11"), (f"{base}/?p=12", "Kemenham 12")]
    assert "/" not in requests and "/?utm_source=rss" not in requests
