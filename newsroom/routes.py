"""What each site answers at each path: article pages and their variants, feeds, sitemaps,
index pages, robots.txt and the faults. Pages are rendered when requested."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from urllib.parse import urlsplit

from newsroom import feeds, templates, urls
from newsroom.corpus import Article, Corpus
from newsroom.feeds import Item
from newsroom.templates import Listing, Page
from newsroom.templates.chrome import WIB

__all__ = ["Response", "Routes", "build_routes"]

Routes = dict[str, dict[str, Callable[[], "Response"]]]
_HTML = "text/html; charset=utf-8"
_XML = "application/xml; charset=utf-8"
_FAULT_DATE = datetime(2025, 11, 19, 9, 5, tzinfo=WIB)


@dataclass(frozen=True)
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = _HTML
    delay: float = 0.0
    location: str | None = None  # where a redirect leads


def _ok(text: str, content_type: str = _HTML) -> Response:
    return Response(200, text.encode("utf-8"), content_type)


def build_routes(corpus: Corpus, base_urls: Mapping[str, str], slow_seconds: float) -> Routes:
    """Every site's paths (with their query, if any) and how to answer each."""
    routes: Routes = {site: {} for site in base_urls}
    links = {a.id: urls.article_links(a, base_urls, corpus.layout) for a in corpus.articles}
    for article in corpus.articles:
        _article_routes(routes, corpus, article, links, base_urls, slow_seconds)
    _listing_routes(routes, corpus, links, base_urls)
    _feed_routes(routes, corpus, links, base_urls)
    for site, base in base_urls.items():
        disallow = ["/cari/", "/admin/"] + (["/cetak/"] if site == "suaradaerah" else [])
        maps = [base + p for p in urls.SITEMAPS.get(site, [])]
        routes[site]["/robots.txt"] = partial(
            _ok, feeds.robots(disallow, maps), "text/plain; charset=utf-8"
        )
        routes[site]["/cari/"] = partial(
            _ok, '<html lang="id"><body><form>Cari</form></body></html>'
        )
    nusa, detak, tempora = routes["nusa"], routes["detakberita"], routes["tempora"]
    nusa[urls.REMOVED_PATH] = partial(
        Response, 404, b"<html><body>Halaman tidak ditemukan</body></html>"
    )
    detak[urls.SERVER_ERROR_PATH] = partial(
        Response, 500, b"<html><body>Internal Server Error</body></html>"
    )
    tempora[urls.EMPTY_PATH] = partial(Response, 200, b"")
    tempora[urls.PDF_PATH] = partial(Response, 200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
    return routes


def _related(corpus: Corpus, article: Article, links) -> tuple[tuple[str, str], ...]:
    others = [a for a in corpus.of_outlet(article.outlet) if a.id != article.id]
    random.Random(article.id).shuffle(others)
    return tuple((a.title, links[a.id].url) for a in others[:7])


def _article_routes(
    routes: Routes, corpus: Corpus, article: Article, links, base_urls, slow_seconds
) -> None:
    own = links[article.id]
    base = base_urls[article.outlet]
    outlet = corpus.outlets[article.outlet]
    charset = "windows-1252" if article.id == corpus.layout["windows_1252"] else "utf-8"
    delay = (
        slow_seconds if article.id == corpus.layout["slow"] else 0.0
    )  # at its canonical URL only
    page = partial(
        Page,
        article=article,
        outlet=outlet,
        base=base,
        canonical=own.url,
        related=_related(corpus, article, links),
        charset=charset,
    )
    site = routes[article.outlet]

    def serve(render, paragraphs=article.paragraphs, pager=(), delay=0.0) -> Response:
        text = render(page(paragraphs=paragraphs, pager=pager))
        body = text.encode(charset, errors="xmlcharrefreplace")
        return Response(200, body, f"text/html; charset={charset}", delay)

    pager = ()
    if own.pages:
        pager = (("1", own.pages[0]), ("2", own.pages[1]), ("Tampilkan Semua", own.url))
    site[urls.path_of(own.url)] = partial(serve, templates.render_article, pager=pager, delay=delay)
    if own.pages:
        half = (len(article.paragraphs) + 1) // 2
        site[urls.path_of(own.pages[0])] = partial(
            serve, templates.render_article, article.paragraphs[:half], pager
        )
        site[urls.path_of(own.pages[1])] = partial(
            serve, templates.render_article, article.paragraphs[half:], pager
        )
    path = urls.article_path(article)
    if article.outlet == "harianrakyat":
        site["/amp" + path] = partial(serve, templates.render_amp)
        site.setdefault(path + "?page=all", partial(serve, templates.render_article, pager=pager))
    elif article.outlet == "detakberita":
        site[path + "?single=1"] = partial(serve, templates.render_article)
    elif article.outlet == "kabar6":
        routes[urls.MOBILE_SITE][path] = partial(serve, templates.render_mobile)
    elif article.outlet == "suaradaerah":
        site[urls.print_path(article)] = partial(serve, templates.render_print)


def _items(articles: list[Article], links, search: bool = False) -> list[Item]:
    return [
        Item(
            a.title,
            links[a.id].search if search else links[a.id].listed,
            a.published,
            a.paragraphs[0][:200],
        )
        for a in articles
    ]


def _listing_routes(routes: Routes, corpus: Corpus, links, base_urls) -> None:
    for site, base in base_urls.items():
        outlet = corpus.outlets.get(site, corpus.outlets["kabar6"])
        own = corpus.of_outlet(outlet.name)
        sections = sorted({a.section for a in own})
        listing = Listing(
            outlet,
            base,
            outlet.display,
            base + "/",
            tuple((a.title, links[a.id].url, a.published) for a in own[:20]),
            extra_links=tuple((s.title(), f"{base}/kanal/{s}") for s in sections),
        )
        routes[site]["/"] = partial(_ok, templates.render_home(listing))
    suara = base_urls["suaradaerah"]
    outlet = corpus.outlets["suaradaerah"]
    for section in sorted({a.section for a in corpus.of_outlet("suaradaerah")}):
        own = [a for a in corpus.of_outlet("suaradaerah") if a.section == section]
        chunks = [
            own[i : i + urls.INDEX_PAGE_SIZE] for i in range(0, len(own), urls.INDEX_PAGE_SIZE)
        ]
        for n, chunk in enumerate(chunks, start=1):
            path = f"/kanal/{section}" + (f"?page={n}" if n > 1 else "")
            next_url = f"{suara}/kanal/{section}?page={n + 1}" if n < len(chunks) else None
            listing = Listing(
                outlet,
                suara,
                f"Kanal {section.title()}",
                suara + path,
                tuple((a.title, links[a.id].listed, a.published) for a in chunk),
                next_url,
            )
            routes["suaradaerah"][path] = partial(_ok, templates.render_index(listing))
    ministry = base_urls["kemenham"]
    releases = corpus.of_outlet("kemenham")
    listing = Listing(
        corpus.outlets["kemenham"],
        ministry,
        "Siaran Pers",
        ministry + "/siaran-pers",
        tuple((a.title, links[a.id].listed, a.published) for a in releases),
        extra_links=(("Profil Menteri", ministry + "/profil"), ("Cari", ministry + "/cari/")),
    )
    routes["kemenham"]["/siaran-pers"] = partial(_ok, templates.render_index(listing))


def _feed_routes(routes: Routes, corpus: Corpus, links, base_urls) -> None:
    nusa, detak, tempora = (base_urls[n] for n in ("nusa", "detakberita", "tempora"))
    own = corpus.of_outlet("nusa")
    removed = Item(
        "Kemenham Tinjau Layanan Pengaduan di Kanwil Maluku",
        nusa + urls.REMOVED_PATH,
        _FAULT_DATE,
        "Ambon (Nusa) - Kementerian HAM meninjau layanan pengaduan.",
    )
    terkini = _items(own, links)
    terkini.insert(min(2, len(terkini)), removed)
    routes["nusa"]["/rss/terkini.xml"] = partial(
        _ok, feeds.rss("Nusa - Terkini", nusa, terkini), _XML
    )
    for section in sorted({a.section for a in own} | {"nasional", "hukum"}):
        feed = feeds.rss(
            f"Nusa - {section.title()}",
            nusa,
            _items([a for a in own if a.section == section], links),
        )
        if ("nusa", f"/rss/{section}.xml") == urls.BROKEN_FEED:
            feed = feeds.broken(feed)
        routes["nusa"][f"/rss/{section}.xml"] = partial(_ok, feed, _XML)
    failing = Item(
        "Menham Bahas Hak Warga Binaan bersama Kalapas", detak + urls.SERVER_ERROR_PATH, _FAULT_DATE
    )
    routes["detakberita"]["/berita/rss"] = partial(
        _ok,
        feeds.rss(
            "Detak Berita", detak, [failing] + _items(corpus.of_outlet("detakberita"), links)
        ),
        _XML,
    )
    empty = Item(
        "Pemadaman Listrik Bergilir di Jakarta Selatan", tempora + urls.EMPTY_PATH, _FAULT_DATE
    )
    report = Item("Laporan Tahunan Kinerja Pemerintah 2025", tempora + urls.PDF_PATH, _FAULT_DATE)
    broken = Item("Tautan Berita yang Rusak", urls.MALFORMED_LINK, _FAULT_DATE)
    routes["tempora"]["/feed/atom"] = partial(
        _ok,
        feeds.atom(
            "Tempora",
            tempora,
            tempora + "/feed/atom",
            _items(corpus.of_outlet("tempora"), links) + [empty, report, broken],
        ),
        "application/atom+xml; charset=utf-8",
    )
    rakyat = _items(corpus.of_outlet("harianrakyat"), links)
    routes["harianrakyat"]["/sitemap-news.xml"] = partial(
        _ok, feeds.news_sitemap(rakyat, "Harian Rakyat"), _XML
    )
    routes["harianrakyat"]["/sitemap.xml"] = partial(
        _ok,
        feeds.sitemap(
            [(base_urls["harianrakyat"] + "/", None)] + [(i.link, i.published) for i in rakyat]
        ),
        _XML,
    )
    _kabar6_sitemaps(routes, corpus, links, base_urls["kabar6"])
    hits = [a for a in reversed(corpus.articles) if urls.is_search_hit(a) and links[a.id].search]
    items = [
        Item(
            f"{a.title} - {corpus.outlets[a.outlet].display}",
            links[a.id].search,
            a.published,
            source=corpus.outlets[a.outlet].display,
        )
        for a in hits
    ]
    caritahu = routes["caritahu"]
    for a in hits:
        click = links[a.id].search
        if urlsplit(click).path == urls.CLICK_PATH:  # a click-through link: redirects
            caritahu[_path_and_query(click)] = partial(Response, 302, location=links[a.id].url)
    first = hits[0]
    items.append(Item(f"{first.title} - {corpus.outlets[first.outlet].display}",
                      base_urls["caritahu"] + urls.SEARCH_OWN_PAGE_PATH, first.published,
                      source=corpus.outlets[first.outlet].display))
    caritahu[urls.SEARCH_OWN_PAGE_PATH] = partial(
        _ok, '<!DOCTYPE html><html><head><meta charset="utf-8"><title>CariTahu Berita</title>'
        '</head><body><p>Membuka artikel…</p><script src="/_/buka.js"></script></body></html>')
    printed = next((a for a in hits if a.outlet == "suaradaerah"), None)
    if printed:
        items.append(
            Item(
                printed.title + " - Suara Daerah",
                base_urls["suaradaerah"] + urls.print_path(printed),
                printed.published,
                source="Suara Daerah",
            )
        )
    routes["caritahu"][urls.SEARCH_PATH] = partial(
        _ok,
        feeds.rss(
            '"Kementerian HAM" OR Kemenham OR "Natalius Pigai" - CariTahu Berita',
            base_urls["caritahu"],
            items,
        ),
        _XML,
    )


def _kabar6_sitemaps(routes: Routes, corpus: Corpus, links, base: str) -> None:
    days: dict[str, list[Article]] = {}
    for article in corpus.of_outlet("kabar6"):
        days.setdefault(f"{article.published.astimezone(WIB):%Y-%m-%d}", []).append(article)
    index = []
    for day, articles in sorted(days.items()):
        path = f"/sitemap/{day}.xml"
        index.append((base + path, max(a.published for a in articles)))
        routes["kabar6"][path] = partial(
            _ok, feeds.sitemap([(links[a.id].listed, a.published) for a in articles]), _XML
        )
    routes["kabar6"]["/sitemap_index.xml"] = partial(_ok, feeds.sitemap_index(index), _XML)


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
