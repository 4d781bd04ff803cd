"""The offline newsroom serves what its gold says, over HTTP on 127.0.0.x."""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import time
import urllib.error
import urllib.request
import urllib.robotparser
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations
from urllib.parse import urlsplit
from xml.etree import ElementTree

import lxml.html
import pytest
from click.testing import CliRunner

from newsroom.server import Newsroom
from warta.cli import main
from warta.config import load_config

MINISTRY = (
    "Kementerian Hak Asasi Manusia",
    "Kementerian HAM",
    "Kemenham",
    "KemenHAM",
    "Menteri HAM",
    "Menham",
    "Wamenham",
    "Pigai",
    "Mugiyanto",
)
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "atom": "http://www.w3.org/2005/Atom",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def fetch(url: str, timeout: float = 5.0) -> tuple[int, str, bytes]:
    """(status, Content-Type, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def parse(content_type: str, body: bytes):
    charset = re.search(r"charset=([\w-]+)", content_type).group(1)
    return lxml.html.fromstring(body.decode(charset))


def flat(text: str) -> str:
    return " ".join(text.split())


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: str, b: str) -> float:
    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y)


def fault(newsroom, kind: str) -> dict:
    return next(f for f in newsroom.faults() if f["kind"] == kind)


@pytest.fixture(scope="module")
def gold(newsroom):
    return newsroom.gold_records()


@pytest.fixture(scope="module")
def pages(newsroom, gold):
    """Every URL of every gold article fetched once (the slow one only at its other URLs)."""
    slow = fault(newsroom, "slow")["url"]
    urls = [u for r in gold for u in (r["url"], *r["variants"]) if u != slow]
    with ThreadPoolExecutor(8) as pool:
        return dict(zip(urls, pool.map(fetch, urls)))


def item_links(url: str) -> list[str]:
    """The article links of a feed or sitemap; a sitemap index is followed."""
    root = ElementTree.fromstring(fetch(url)[2])
    if root.tag == f"{{{NS['sm']}}}sitemapindex":
        return [
            link for loc in root.findall("sm:sitemap/sm:loc", NS) for link in item_links(loc.text)
        ]
    found = root.findall("channel/item/link") + root.findall("sm:url/sm:loc", NS)
    return [e.text.strip() for e in found] + [
        e.get("href") for e in root.findall("atom:entry/atom:link", NS)
    ]


def index_links(url: str, pattern: str) -> list[str]:
    """Article links of an index page and of the pages its rel=next leads to."""
    links = []
    while url:
        status, content_type, body = fetch(url)
        assert status == 200, url
        doc = parse(content_type, body)
        doc.make_links_absolute(url)
        links += [a for a in doc.xpath("//a/@href") if re.match(pattern, a)]
        url = (doc.xpath('//link[@rel="next"]/@href') or [None])[0]
    return links


def test_every_article_is_served_under_each_of_its_urls(gold, pages):
    for record in gold:
        paragraphs = [flat(p) for p in record["text"].split("\n")]
        seen_on_pages: set[str] = set()
        for url in (record["url"], *record["variants"]):
            if url not in pages:
                continue
            status, content_type, body = pages[url]
            assert status == 200, url
            doc = parse(content_type, body)
            assert doc.xpath('//link[@rel="canonical"]/@href') == [record["url"]], url
            text = flat(doc.text_content())
            shown = {p for p in paragraphs if p in text}
            if url in record["pages"]:
                assert shown and shown != set(paragraphs), url
                seen_on_pages |= shown
            else:
                assert shown == set(paragraphs), (url, set(paragraphs) - shown)
        if record["pages"]:
            assert seen_on_pages == set(paragraphs)


def test_pages_carry_titles_language_and_dates(gold, pages):
    for record in gold:
        if record["url"] not in pages:
            continue
        doc = parse(*pages[record["url"]][1:])
        assert doc.get("lang", "").startswith("id")
        assert record["title"] in doc.findtext(".//title")
        assert doc.xpath('//meta[@property="og:title"]/@content') == [record["title"]]
        assert [flat(h.text_content()) for h in doc.xpath("//h1")] == [flat(record["title"])]
        meta_date = doc.xpath('//meta[@property="article:published_time"]/@content')
        ld = [json.loads(s) for s in doc.xpath('//script[@type="application/ld+json"]/text()')]
        if record["source"] in ("nusa", "harianrakyat", "tempora"):
            assert meta_date == [record["published"]]
        elif record["source"] == "kabar6":
            assert meta_date == [] and ld[0]["datePublished"] == record["published"]
        elif record["source"] == "suaradaerah":
            assert meta_date == [] and ld == [] and not doc.xpath("//time")
            day, hour = record["published"][8:10], record["published"][11:16]
            assert re.search(
                rf"({day}/11/2025, {hour} WIB|, {int(day)} November 2025 {hour} WIB)",
                doc.text_content(),
            )


def test_sites_have_at_least_six_html_structures(gold, pages):
    shapes = {}
    for record in gold:
        doc = parse(*pages.get(record["url"], (0, "charset=utf-8", b"<html></html>"))[1:])
        second = flat(record["text"].split("\n")[1])
        holder = next((p for p in doc.iter("p") if second in flat(p.text_content())), None)
        if holder is not None:
            chain = [f"{e.tag}.{e.get('class', '')}" for e in list(holder.iterancestors())[:3]]
            shapes.setdefault(record["source"], set()).add(tuple(chain))
    distinct = {shape for found in shapes.values() for shape in found}
    assert len(shapes) >= 7 and len(distinct) >= 6


BOILERPLATE = [
    r"Baca juga",
    r"BACA JUGA",
    r"Lihat juga",
    r"Simak juga",
    r"Artikel terkait",
    r"Berita terkait",
    r'class="inner-link-baca-juga"',
    r'class="linksisip"',
    r"Selanjutnya:",
    r"Menarik Dibaca",
    r"Pilihan Editor",
    r"Google News",
    r"WhatsApp Channel",
    r"Grup Telegram",
    r"Dibawah ini Anda bisa",
    r"Buat kalian yang ingin",
    r"Silakan Share",
    r"SHARE :",
    r"Bagikan",
    r"Reporter: .+ \| Editor:",
    r"Penulis :",
    r"Pewarta",
    r"Editor:",
    r"Oleh",
    r"Sumber Informasi Gambar:",
    r"COPYRIGHT ©",
    r"\([a-z]{3}/[a-z]{3}\)",
    r"Foto: ",
    r"NUSA/HO-",
    r"Rekomendasi",
    r">Index<",
    r"Berita Lainnya",
    r"ADVERTISEMENT",
    r"SCROLL TO CONTINUE WITH CONTENT",
    r"&nbsp;",
    "\u00a0",
]


def test_article_bodies_carry_every_kind_of_inline_boilerplate(gold, pages):
    html = "\n".join(body.decode("utf-8", "replace") for _, _, body in pages.values())
    texts = "\n".join(r["text"] for r in gold)
    for pattern in BOILERPLATE:
        assert re.search(pattern, html), pattern
        if pattern not in ("Oleh", "Bagikan", "Google News"):
            assert not re.search(pattern, texts), f"{pattern} in the gold text"


def test_headline_is_repeated_as_a_caption_sometimes_twice(gold, pages):
    counts = []
    for record in gold:
        if record["url"] in pages:
            doc = parse(*pages[record["url"]][1:])
            counts.append(
                sum(
                    flat(record["title"]) in flat(e.text_content())
                    for e in doc.iter("figcaption", "p", "div")
                    if not e.getchildren() or e.tag == "figcaption"
                )
            )
    assert max(counts) >= 2 and sum(c >= 1 for c in counts) > len(counts) // 3


def test_entry_points_list_every_article(newsroom, gold):
    points = newsroom.entry_points()
    broken = fault(newsroom, "broken_feed")["url"]
    for source, point in points.items():
        links = [
            link
            for url in point["feeds"] + point["sitemaps"]
            if url != broken
            for link in item_links(url)
        ]
        for url in point.get("start_urls", []):
            links += index_links(url, point["article_pattern"])
        own = [r for r in gold if r["source"] == source or (point.get("search") and r["relevant"])]
        for record in own:
            if source == "caritahu" and record["slow"]:
                continue
            if source == record["source"]:
                assert record["listed"] in links, record["id"]
            else:
                assert {record["url"], *record["variants"]} & set(links), (source, record["id"])
        every_url = {u for r in gold for u in (r["url"], *r["variants"])}
        faults = {f["url"] for f in newsroom.faults()}
        front_pages = {
            base + "/" for base in newsroom.base_urls.values()
        }  # a plain sitemap lists them
        assert set(links) <= every_url | faults | front_pages, set(links) - every_url - faults


def test_suaradaerah_index_is_paginated(newsroom):
    point = newsroom.entry_points()["suaradaerah"]
    doc = parse(*fetch(point["start_urls"][0])[1:])
    assert doc.xpath('//link[@rel="next"]/@href')[0].endswith("?page=2")


def test_news_sitemap_gives_titles_and_dates(newsroom, gold):
    root = ElementTree.fromstring(fetch(newsroom.base_url("harianrakyat") + "/sitemap-news.xml")[2])
    by_url = {u: r for r in gold for u in (r["url"], *r["pages"])}
    entries = root.findall("sm:url", NS)
    assert len(entries) == sum(r["source"] == "harianrakyat" for r in gold)
    for entry in entries:
        record = by_url[entry.findtext("sm:loc", namespaces=NS)]
        assert entry.findtext("news:news/news:title", namespaces=NS) == record["title"]
        assert (
            entry.findtext("news:news/news:publication_date", namespaces=NS) == record["published"]
        )


def test_feeds_carry_tracking_parameters_and_search_links_variants(newsroom, gold):
    links = item_links(newsroom.entry_points()["nusa"]["feeds"][0])
    search = item_links(newsroom.entry_points()["caritahu"]["feeds"][0])
    assert any("utm_source=" in link for link in links)
    for marker in ("utm_source=", "fbclid=", "gclid=", "/amp/", "127.0.0.24", "/cetak/",
                   "/klik?url=http", "/baca/"):
        assert any(marker in link for link in search), marker
    click = next(link for link in search if "/klik?url=" in link)
    with urllib.request.urlopen(click, timeout=5) as response:  # the click-through redirects
        assert response.url != click and response.url in {r["url"] for r in gold}
    komnas_only = [r for r in gold if not r["relevant"] and "Komnas HAM" in r["text"]]
    assert {u for r in komnas_only for u in (r["url"], *r["variants"])} & set(search)


def test_faults_behave(newsroom):
    assert fetch(fault(newsroom, "not_found")["url"])[0] == 404
    assert [fetch(fault(newsroom, "server_error")["url"])[0] for _ in range(2)] == [500, 500]
    assert fetch(fault(newsroom, "empty")["url"])[::2] == (200, b"")
    status, _, body = fetch(fault(newsroom, "broken_feed")["url"])
    assert status == 200 and body.startswith(b"<?xml")
    with pytest.raises(ElementTree.ParseError):
        ElementTree.fromstring(body)
    started = time.monotonic()
    with pytest.raises((socket.timeout, TimeoutError, urllib.error.URLError)):
        fetch(fault(newsroom, "slow")["url"], timeout=0.3)
    assert time.monotonic() - started < newsroom.slow_seconds
    for f in newsroom.faults():
        if f["listed_in"].startswith("http"):
            assert f["url"] in item_links(f["listed_in"]) or f["kind"] == "robots"


def test_slow_page_is_the_article_after_its_delay(gold):
    with Newsroom(slow_seconds=0.3) as room:
        record = next(r for r in room.gold_records() if r["slow"])
        started = time.monotonic()
        status, content_type, body = fetch(record["url"])
        assert time.monotonic() - started >= 0.3
        assert status == 200 and flat(record["text"].split("\n")[0]) in flat(
            parse(content_type, body).text_content()
        )


def test_windows_1252_page(newsroom, gold):
    record = next(r for r in gold if r["encoding"] == "windows-1252")
    status, content_type, body = fetch(record["url"])
    assert status == 200 and content_type == "text/html; charset=windows-1252"
    assert b'charset="windows-1252"' in body or b"charset=windows-1252" in body
    assert b"\x93" in body and b"\x94" in body  # “ and ” in windows-1252
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = flat(parse(content_type, body).text_content())
    assert all(flat(p) in text for p in record["text"].split("\n"))


def test_robots_txt_forbids_paths_the_sites_link_to(newsroom, gold, pages):
    for site, base in newsroom.base_urls.items():
        robots = urllib.robotparser.RobotFileParser()
        robots.parse(fetch(base + "/robots.txt")[2].decode().splitlines())
        assert not robots.can_fetch("warta", base + "/cari/?q=ham")
        assert robots.can_fetch("warta", base + "/")
        for record in gold:
            if record["source"] == site:
                assert robots.can_fetch("warta", record["url"])
                assert not robots.can_fetch("warta", base + "/cetak/x") or site != "suaradaerah"
    record = next(r for r in gold if r["source"] == "nusa")
    assert b'href="/cari/' in pages[record["url"]][2]


def test_everything_stays_on_loopback(newsroom, pages):
    for base in newsroom.base_urls.values():
        assert ipaddress.ip_address(urlsplit(base).hostname).is_loopback
    for url, (_, content_type, body) in pages.items():
        for link in parse(content_type, body).xpath("//@href | //@src"):
            host = urlsplit(link).hostname
            assert host is None or ipaddress.ip_address(host).is_loopback, (url, link)


def test_corpus_meets_the_counts(newsroom, gold):
    corpus = newsroom.corpus
    assert len(gold) >= 80
    by_event: dict[str, list[dict]] = {}
    for record in gold:
        by_event.setdefault(record["event"], []).append(record)
    assert set(by_event) <= set(corpus.events)
    reporters = {
        e: {r["source"] for r in rs if r["relevant"] and not r["wire_of"]}
        for e, rs in by_event.items()
    }
    ministry_events = [e for e, outlets in reporters.items() if len(outlets) >= 2]
    assert len(ministry_events) >= 12 and all(len(reporters[e]) <= 6 for e in ministry_events)
    by_id = {r["id"]: r for r in gold}
    wires = [r for r in gold if r["wire_of"]]
    assert len(wires) >= 6
    for copy in wires:
        original = by_id[copy["wire_of"]]
        assert copy["source"] != original["source"] and copy["event"] == original["event"]
        assert jaccard(copy["text"], original["text"]) > 0.5
    for rs in by_event.values():
        for a, b in combinations([r for r in rs if not r["wire_of"]], 2):
            assert jaccard(a["text"], b["text"]) < 0.1, (a["id"], b["id"])
    assert len(corpus.confusable) >= 6
    for a, b in corpus.confusable:
        assert a != b and a in ministry_events and b in ministry_events
        first = min(r["published"] for r in by_event[a])
        other = min(r["published"] for r in by_event[b])
        assert abs(int(first[8:10]) - int(other[8:10])) <= 6
    irrelevant = [r for r in gold if not r["relevant"]]
    komnas_only = [
        r
        for r in irrelevant
        if "Komnas HAM" in r["text"]
        and not any(name in r["text"] or name in r["title"] for name in MINISTRY)
    ]
    assert len(irrelevant) >= 10 and len(komnas_only) >= 2


def test_written_config_crawls_the_newsroom(newsroom, newsroom_config, gold):
    config = load_config(newsroom_config)
    sources = {s.name: s for s in config.sources}
    assert set(sources) == set(newsroom.outlets)
    assert config.crawl.delay == 0 and config.crawl.timeout < newsroom.slow_seconds
    assert config.watch.terms and config.crawl.obey_robots
    assert fault(newsroom, "broken_feed")["url"] in sources["nusa"].feeds
    assert sources["kabar6"].aliases == [urlsplit(newsroom.base_url("m.kabar6")).netloc]
    assert sources["kemenham"].official and sources["caritahu"].search
    assert sources["harianrakyat"].full_text_param == "page=all"
    pattern = re.compile(sources["suaradaerah"].article_pattern)
    for record in gold:
        if record["source"] == "suaradaerah":
            assert pattern.match(record["url"]) and not any(
                pattern.match(v) for v in record["variants"]
            )


def test_scaled_newsroom_serves_synthetic_copies():
    with Newsroom(scale=3) as room:
        gold = room.gold_records()
        originals = [r for r in gold if "~" not in r["id"]]
        assert len(gold) == 3 * len(originals)
        assert len({r["url"] for r in gold}) == len(gold)
        by_id = {r["id"]: r for r in gold}
        for record in (r for r in gold if r["id"].endswith("~3")):
            original = by_id[record["id"][:-2]]
            assert record["event"] == original["event"] + "~3"
            assert jaccard(record["text"], original["text"]) < 0.5
            if record["wire_of"]:
                assert jaccard(record["text"], by_id[record["wire_of"]]["text"]) > 0.5
        copy = next(r for r in gold if r["id"].endswith("~2") and r["source"] == "nusa")
        assert copy["url"] in {
            link.split("?")[0] for link in item_links(room.base_url("nusa") + "/rss/terkini.xml")
        }
        status, content_type, body = fetch(copy["url"])
        assert status == 200 and flat(copy["text"].split("\n")[-1]) in flat(
            parse(content_type, body).text_content()
        )


def test_cli_exports_docs_and_gold(tmp_path):
    result = CliRunner().invoke(main, ["newsroom", "--port", "8800", "--export", str(tmp_path)])
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in (tmp_path / "docs.jsonl").read_text().splitlines()]
    gold = [json.loads(line) for line in (tmp_path / "gold.jsonl").read_text().splitlines()]
    assert len(docs) == len(gold) >= 80
    faults = json.loads((tmp_path / "faults.json").read_text())
    assert {f["kind"] for f in faults} == {
        "not_found",
        "server_error",
        "slow",
        "windows_1252",
        "empty",
        "not_html",
        "malformed_link",
        "broken_feed",
        "search_own_page",
        "robots",
    }
    assert set(docs[0]) == {"id", "url", "source", "title", "text", "published"}
    assert {"event", "relevant", "wire_of"} <= set(gold[0]) and gold[0]["url"].endswith(
        docs[0]["url"][-20:]
    )
    assert all(":8800/" in d["url"] for d in docs)


def test_requests_are_recorded(newsroom):
    before = len(newsroom.requests)
    fetch(newsroom.base_url("tempora") + "/robots.txt?utm_source=x")
    assert newsroom.requests[before:] == [("tempora", "/robots.txt?utm_source=x", 200)]
