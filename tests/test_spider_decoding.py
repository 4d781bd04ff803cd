"""How the spider turns a fetched page's bytes into text when its charset is declared wrong,
and reads the canonical link the page declares."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from crawler.spiders.news import _declared_canonical, _decode

TEXT = "<p>Wamenham ke Jayapurá: “kabar” dari café.</p>"


def page(declared: str, encoding: str, header: str | None = None) -> HtmlResponse:
    html = f'<html><head><meta charset="{declared}"><title>x</title></head><body>{TEXT}</body></html>'
    headers = {"Content-Type": f"text/html; charset={header}"} if header else {}
    return HtmlResponse(url="http://127.0.0.1/a", body=html.encode(encoding), headers=headers)


@pytest.mark.parametrize(("response", "noted"), [
    (page("utf-8", "utf-8"), False),
    (page("windows-1252", "cp1252"), False),
    (page("iso-8859-1", "utf-8"), True),  # an old template over UTF-8 text
    (page("utf-16", "cp1252"), True),  # 8-bit text declared UTF-16 in ASCII
    (page("utf-8", "cp1252", header="utf-16"), True),
    (page("windows-1252", "cp1252", header="utf-8"), True),  # a server's default over old bytes
    (page("utf-8", "cp1252"), True),
    (HtmlResponse(url="http://127.0.0.1/a", body=f'<meta charset="utf-16"><body>{TEXT}</body>'
                  .replace("á", "a").replace("“", '"').replace("”", '"').replace("é", "e")
                  .encode("ascii")), True),  # plain ASCII declared UTF-16
])
def test_the_text_is_read_whatever_the_page_declares(response, noted):
    text, note = _decode(response)
    assert TEXT in text or "Jayapura: \"kabar\" dari cafe" in text
    assert (note is not None) == noted


def test_a_real_utf16_page_is_read_as_utf16():
    html = f"<html><body>{TEXT}</body></html>"
    response = HtmlResponse(url="http://127.0.0.1/a", body=html.encode("utf-16-le"),
                            headers={"Content-Type": "text/html; charset=utf-16-le"})
    assert _decode(response) == (html, None)


@pytest.mark.parametrize(("page", "declared"), [
    (('<html><head><link rel="canonical" href="/berita/1"></head><body>'
     '<link rel="canonical" href="/lain"></body></html>'), "/berita/1"),
    (('<?xml version="1.0" encoding="utf-8"?><html><HEAD><LINK REL="canonical" '
     'HREF="https://contoh.id/a"></HEAD></html>'), "https://contoh.id/a"),
    ('<link rel="canonical" href="/tanpa-head"><p>isi</p>', "/tanpa-head"),
    ('<html><head><link rel="amphtml" href="/amp/1"></head></html>', None),
    ("", None),
    ("\x00<<>>\ufffd", None),
])
def test_the_declared_canonical_link_is_read_from_the_head(page, declared):
    assert _declared_canonical(page) == declared
