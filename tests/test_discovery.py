"""Feeds and sitemaps: what each format lists, and a clear error for broken ones."""

import gzip

import pytest

from crawler.discovery import FeedError, parse_feed, parse_sitemap, to_utc_iso

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Nasional</title>
<item><title>Menteri HAM ke Kamboja</title><link>https://a.id/berita/1?utm_source=rss</link>
<pubDate>Mon, 17 Nov 2025 16:40:00 +0700</pubDate></item>
<item><title>Tanpa tautan</title></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title>Satu</title><link rel="alternate" href="https://t.id/a/1"/><updated>2025-11-18T09:00:00+07:00</updated></entry>
<entry><title>Dua</title><link rel="self" href="https://t.id/feed"/><link href="https://t.id/a/2"/>
<published>2025-11-18T10:00:00Z</published></entry></feed>"""

NEWS_SITEMAP = b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://k.id/read/2025/11/19/1</loc><lastmod>2025-11-20T00:00:00Z</lastmod>
<news:news><news:publication><news:name>K</news:name><news:language>id</news:language></news:publication>
<news:publication_date>2025-11-19T08:15:00+07:00</news:publication_date><news:title>Desa Sadar HAM</news:title></news:news></url>
<url><loc>https://k.id/read/2025/11/19/2</loc><lastmod>2025-11-19</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://k.id/sitemap-1.xml</loc></sitemap><sitemap><loc>https://k.id/sitemap-2.xml.gz</loc></sitemap>
</sitemapindex>"""


def test_rss_items_with_date_hints():
    listing = parse_feed(RSS)
    assert listing.problem is None
    assert [(e.url, e.title, e.published) for e in listing.entries] == [
        ("https://a.id/berita/1?utm_source=rss", "Menteri HAM ke Kamboja", "2025-11-17T09:40:00Z")
    ]


def test_atom_entries_use_alternate_links():
    entries = parse_feed(ATOM).entries
    assert [e.url for e in entries] == ["https://t.id/a/1", "https://t.id/a/2"]
    assert [e.published for e in entries] == ["2025-11-18T02:00:00Z", "2025-11-18T10:00:00Z"]


def test_rss_links_beside_atom_links_in_guids_and_titles_with_markup():
    feed = b"""<?xml version="1.0"?><rss xmlns:atom="http://www.w3.org/2005/Atom"><channel>
    <item><atom:link href="http://x/feed" rel="self"/><link>http://x/1</link>
      <title><![CDATA[Kemenham <b>rapat</b> koordinasi]]></title></item>
    <item><guid isPermaLink="true">http://x/2</guid>
      <title>Menteri HAM &lt;i&gt;Pigai&lt;/i&gt; &amp;amp; Desa</title></item>
    <item><guid>http://x/3</guid><title>Skor &lt; 5</title></item>
    <item><guid isPermaLink="false">http://x/4</guid></item>
    <item><guid>tag:x,2025:5</guid></item>
    </channel></rss>"""
    entries = parse_feed(feed).entries
    assert [(e.url, e.title) for e in entries] == [
        ("http://x/1", "Kemenham rapat koordinasi"), ("http://x/2", "Menteri HAM Pigai & Desa"),
        ("http://x/3", "Skor < 5")]


def test_atom_links_follow_xml_base():
    feed = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://x/atom/">
    <entry><link href="a"/></entry><entry xml:base="/lain/"><link href="b"/></entry></feed>"""
    assert [e.url for e in parse_feed(feed).entries] == ["http://x/atom/a", "http://x/lain/b"]


def test_google_news_sitemap_gives_publication_date_and_title():
    first, second = parse_sitemap(NEWS_SITEMAP).entries
    assert (first.published, first.title) == ("2025-11-19T01:15:00Z", "Desa Sadar HAM")
    # a bare date stays a day, which extraction reads in the page's zone as a day alone
    assert (second.published, second.title) == ("2025-11-19", None)


def test_sitemap_index_and_gzip():
    entries = parse_sitemap(gzip.compress(INDEX)).entries
    assert [e.url for e in entries] == [
        "https://k.id/sitemap-1.xml",
        "https://k.id/sitemap-2.xml.gz",
    ]
    assert all(e.is_sitemap for e in entries)


def test_a_robots_txt_read_as_a_sitemap_gives_its_sitemap_lines():
    robots = (b"# robots.txt\nUser-agent: *\nDisallow: /search\n\n"
              b"Sitemap: https://k.id/sitemap.xml\n  sitemap:https://k.id/news.xml # berita\n"
              b"Sitemap: https://k.id/sitemap.xml\n")
    entries = parse_sitemap(robots).entries
    assert [e.url for e in entries] == ["https://k.id/sitemap.xml", "https://k.id/news.xml"]
    assert all(e.is_sitemap and e.published is None for e in entries)
    with pytest.raises(FeedError, match="without Sitemap: lines"):
        parse_sitemap(b"User-agent: *\nAllow: /\n")


def test_malformed_feed_keeps_readable_items_and_says_so():
    listing = parse_feed(RSS.replace(b"</channel></rss>", b"<item><title>Putus &nbsp; </title>"))
    assert [e.url for e in listing.entries] == ["https://a.id/berita/1?utm_source=rss"]
    assert listing.problem.startswith("malformed XML") and "\n" not in listing.problem
    assert listing.problem.endswith("; read 1 entry despite it")


@pytest.mark.parametrize(("flaw", "reported"), [
    (lambda feed: b"\n" + feed, False),  # a blank line before <?xml
    (lambda feed: feed.replace(b"<channel>", b"<channel><title>Kabar&nbsp;Sulawesi</title>"),
     False),
    (lambda feed: feed.replace(b"<channel>", b"<channel><title>Tanya & Jawab</title>"), False),
    (lambda feed: feed.replace(b"<channel>", b"<channel><title>Putus</titel>"), True),  # unmendable
])
def test_a_flawed_feed_keeps_every_query_string_whole(flaw, reported):
    """A flaw mended whole is no error (a feed's HTML entities would otherwise be one on
    every run); one read only in part is."""
    feed = (b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            b"<item><title>Pigai &amp; Mugiyanto</title>"
            b"<link>https://a.id/index.php?mod=berita&amp;id=4501</link>"
            b"<description><![CDATA[<p>a &amp; b</p>]]></description></item>"
            b"<item><title>Dua</title><link>https://a.id/?p=2&#38;c=&lt;x&gt;</link></item>"
            b"</channel></rss>")
    listing = parse_feed(flaw(feed))
    assert [(e.url, e.title) for e in listing.entries] == [
        ("https://a.id/index.php?mod=berita&id=4501", "Pigai & Mugiyanto"),
        ("https://a.id/?p=2&c=<x>", "Dua")]
    assert (listing.problem or "").startswith("malformed XML") == reported


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty response"),
        (b"   \n", "empty response"),
        (b"<html><body>Halaman</body></html>", "an HTML page, not a feed"),
        (b"\xef\xbb\xbf\n<!-- cms -->\n<!DOCTYPE html>\n<html lang=id><head>", "an HTML page"),
        (b'<?xml version="1.0"?><opml><body/></opml>', "not an RSS or Atom feed"),
        (b"<rss><channel><item><title>putus", "malformed XML"),
        (b"# robots\nUser-agent: *\nSitemap: https://a.id/sitemap.xml\n", "list it under sitemaps"),
        (b"\x1f\x8b\x08garbage", "broken gzip"),
    ],
)
def test_unreadable_documents(body, message):
    parse = parse_sitemap if body.startswith(b"\x1f\x8b") else parse_feed
    with pytest.raises(FeedError, match=message):
        parse(body)


def test_dates():
    assert to_utc_iso("2025-11-17 16:40") == "2025-11-17T09:40:00Z"
    assert to_utc_iso("Mon, 17 Nov 2025 09:40:00 GMT") == "2025-11-17T09:40:00Z"
    assert to_utc_iso("kemarin") is None and to_utc_iso(None) is None
    # feeds written in Indonesian: its months, and the zones of central and eastern Indonesia
    assert to_utc_iso("Rabu, 03 Des 2025 09:15 WIB") == "2025-12-03T02:15:00Z"
    assert to_utc_iso("Kamis, 16 Okt 2025 20:00 WIB") == "2025-10-16T13:00:00Z"
    assert to_utc_iso("Selasa, 25 Nov 2025 10:00 WITA") == "2025-11-25T02:00:00Z"
    assert to_utc_iso("Senin, 24 Nov 2025 08:30 WIT") == "2025-11-23T23:30:00Z"
