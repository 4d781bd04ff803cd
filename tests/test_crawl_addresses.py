"""Real crawls of loopback sites where one article answers at more than one address (a
print rendering, an archive showing the whole post): which of them the article is stored
under, and with which title, whichever is met first."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from test_crawl_listings import HTML, crawl, listing

RECHECK = "obey_robots = false\nrecheck_hours = 6"  # a new article is fetched again
_PARAGRAPHS = (
    ("Menteri Hak Asasi Manusia (Kemenham) Natalius Pigai bertemu Menteri Kehakiman Kamboja di "
     "Phnom Penh untuk membahas nasib warga negara Indonesia yang menjadi korban sindikat "
     "penipuan daring."),
    ("Dalam pertemuan bilateral selama hampir dua jam itu, Pigai meminta pemerintah Kamboja "
     "memperlakukan para WNI sebagai korban perdagangan orang, bukan pelaku kejahatan siber."),
    ("Kedua menteri sepakat membentuk kelompok kerja bersama yang bertemu setiap tiga bulan "
     "untuk mempercepat pemulangan korban dan berbagi data perekrut."),
)
_TITLE = "Menham Pigai Bertemu Menteri Kamboja"
_HEADLINE = f"<h1>{_TITLE}</h1>"


def _sitemap(*paths: str) -> str:
    return ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>http://{{host}}{p}</loc></url>" for p in paths) + "</urlset>")


def _page(title: str, head: str, headline: str, before: str = "") -> bytes:
    """An article page; ``before`` is what the page shows above the article."""
    published = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f'<html><head><title>{title}</title><meta property="article:published_time" '
            f'content="{published}">{head}</head><body><main>{before}<article><header>'
            f'{headline}</header><div class="entry-content">'
            + "".join(f"<p>{p}</p>" for p in _PARAGRAPHS) + "</div></article></main></body></html>"
            ).encode()


def _stored(db) -> tuple[list, list]:
    with db:
        articles = db.execute("SELECT url, title FROM articles").fetchall()
        aliases = [url for (url,) in db.execute("SELECT url FROM url_aliases ORDER BY url")]
    db.close()
    return articles, aliases


def test_an_articles_own_address_wins_over_its_print_rendering_met_first(serve, tmp_path):
    real = "/nasional/read/2026/11/22/512301/menham-pigai-bertemu-menteri-kamboja"
    printed = ["/print/512301", "/cetak/512301.html", "/berita/512301?print=1"]
    pages = {"/sitemap.xml": listing(_sitemap(*printed)),
             real: lambda host: (200, HTML, _page(
                 _TITLE, f'<link rel="canonical" href="http://{host}{real}">', _HEADLINE)),
             **{p: lambda host: (200, HTML, _page(
                 _TITLE, '<meta name="robots" content="noindex">', _HEADLINE)) for p in printed}}
    base, requests = serve("127.0.0.52", pages)
    source = f'sitemaps = ["{base}/sitemap.xml"]'
    done, db = crawl(tmp_path, source, RECHECK)
    articles, aliases = _stored(db)
    assert done.returncode == 0 and len(articles) == 1
    assert articles[0][0] in {f"{base}{p}" for p in printed}  # the only address known

    pages["/sitemap.xml"] = listing(_sitemap(*printed, real))
    for _ in range(2):  # the print renderings, fetched again, do not take the address back
        done, db = crawl(tmp_path, source, RECHECK)
        articles, aliases = _stored(db)
        assert done.returncode == 0
        assert articles == [(f"{base}{real}", _TITLE)]
        assert aliases == sorted(f"{base}{p}" for p in printed)
    assert requests[real] == 2 and requests[printed[0]] == 3


@pytest.mark.parametrize("first", ["post", "archive"])
def test_an_archive_showing_one_whole_post_leaves_the_post_its_address_and_title(
        serve, tmp_path, first):
    post, archive = "/menham-pigai-bertemu-menteri-kamboja/", "/category/internasional/"

    link = f'<a href="http://{{host}}{post}">{_TITLE}</a>'

    def page(title: str, head: str, headline: str, before: str = ""):
        return lambda host: (200, HTML, _page(title, head.replace("{host}", host),
                                              headline.replace("{host}", host), before))

    archived = "Kategori: internasional"
    pages = {"/sitemap.xml": listing(_sitemap(post if first == "post" else archive)),
             post: page(_TITLE, f'<link rel="canonical" href="http://{{host}}{post}">',
                        f"<h1>{link}</h1>"),
             archive: page(archived, "", f"<h2>{link}</h2>",
                           f"<header><h1>{archived}</h1></header>")}
    base, _ = serve("127.0.0.54", pages)
    source = f'sitemaps = ["{base}/sitemap.xml"]'
    crawl(tmp_path, source, RECHECK)[1].close()
    pages["/sitemap.xml"] = listing(_sitemap(archive, post))
    done, db = crawl(tmp_path, source, RECHECK)
    with sqlite3.connect(tmp_path / "warta.db") as check:
        revised = check.execute("SELECT revised_at FROM articles").fetchone()[0]
    check.close()
    articles, aliases = _stored(db)
    assert done.returncode == 0
    assert articles == [(f"{base}{post}", _TITLE)] and aliases == [f"{base}{archive}"]
    assert revised is None or first == "archive"  # the post's headline is news to the archive's
