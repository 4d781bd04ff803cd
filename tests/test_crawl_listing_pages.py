"""A real crawl of a site whose sitemap lists its tag, section, author and search pages
beside its articles: the listings are stored as seen with no text, never as stories nor
as coverage."""

from __future__ import annotations

from extraction_pages import article_page
from test_crawl_listings import ARTICLE, HTML, crawl, listing
from test_extraction_listings import LISTINGS, ld


def answer(html: str):
    return lambda host: (200, HTML, html.encode())


def test_listings_a_sitemap_names_are_seen_without_text_and_never_become_stories(
        serve, tmp_path):
    pages = {f"/listing/{n}": html for n, html in enumerate(LISTINGS.values())}
    # a tag page headed by the watch term itself
    pages["/listing/tag"] = LISTINGS["tag page declaring nothing"].replace(
        "Kementerian HAM", "Kemenham")
    pages["/berita/1"] = ARTICLE.replace("{n}", "1")
    # a theme declaring every page a CollectionPage: the article reads as one all the same
    pages["/berita/2"] = article_page(head=ld({"@type": "CollectionPage"})).replace(
        "Kementerian HAM akan", "Kementerian HAM (Kemenham) akan")
    sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               + "".join(f"<url><loc>http://{{host}}{path}</loc></url>" for path in pages)
               + "</urlset>")
    base, _ = serve("127.0.0.47", {"/sitemap.xml": listing(sitemap),
                                   **{path: answer(html) for path, html in pages.items()}})
    done, db = crawl(tmp_path, f'sitemaps = ["{base}/sitemap.xml"]')
    with db:
        rows = {url.removeprefix(base): (text, story, note) for url, text, story, note in
                db.execute("SELECT url, text, cluster_id, extraction_note FROM articles")}
        relevant = {url.removeprefix(base) for (url,) in
                    db.execute("SELECT url FROM articles WHERE relevant = 1")}
        new, irrelevant = db.execute("SELECT new, irrelevant FROM crawl_run_sources").fetchone()
        errors = {url.removeprefix(base): reason for url, reason in
                  db.execute("SELECT url, reason FROM errors WHERE stage = 'extract'")}
    db.close()
    assert done.returncode == 0, done.stderr[-2000:]
    assert set(rows) == set(pages)
    listings = [path for path in pages if path.startswith("/listing/")]
    for path in listings:
        text, story, note = rows[path]
        assert (text, story) == ("", None), path
        assert "a listing of other pages" in note and "a listing of other pages" in errors[path]
    assert set(errors) == set(listings)
    assert relevant == {"/berita/1", "/berita/2"}
    assert (new, irrelevant) == (2, len(listings))
    assert all(rows[f"/berita/{n}"][0] and rows[f"/berita/{n}"][1] for n in (1, 2))
    assert "reads as one article" in rows["/berita/2"][2]


def test_a_start_page_a_sitemap_also_lists_is_read_as_an_index_never_stored(serve, tmp_path):
    sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               "<url><loc>http://{host}/indeks/</loc></url>"
               "<url><loc>http://{host}/berita/1</loc></url></urlset>")
    index = '<html><body><h1>Indeks</h1><a href="/berita/2">Berita 2</a></body></html>'
    base, requests = serve("127.0.0.48", {
        "/sitemap.xml": listing(sitemap), "/indeks": answer(index), "/indeks/": answer(index),
        "/berita/1": answer(ARTICLE.replace("{n}", "1")),
        "/berita/2": answer(ARTICLE.replace("{n}", "2"))})
    done, db = crawl(tmp_path, f'sitemaps = ["{base}/sitemap.xml"]\nstart_urls = ["{base}/indeks"]\n'
                               "article_pattern = '/berita/'")
    with db:
        stored = sorted(url.removeprefix(base) for (url,) in db.execute("SELECT url FROM articles"))
    db.close()
    assert done.returncode == 0, done.stderr[-2000:]
    assert stored == ["/berita/1", "/berita/2"]
    assert requests["/indeks"] + requests["/indeks/"] == 1
