"""Who wrote the article: names without their titles, several people in one byline."""

from __future__ import annotations

import re

import pytest
from extraction_pages import article_page
from lxml.html import fromstring
from trafilatura.metadata import extract_author
from trafilatura.xpaths import AUTHOR_XPATHS

from pipelines.extraction.authors import may_mark_byline
from pipelines.extraction.extract import extract_page


@pytest.mark.parametrize(("byline", "author"), [
    ('<div class="author">Oleh: Dr. Budi Santoso, S.H., M.H.</div>', "Budi Santoso"),
    ('<div class="author">Prof. Dr. Ir. H. Ahmad Yani, M.Si., Ph.D.</div>', "Ahmad Yani"),
    ('<div class="author">Hj. Siti Aminah, S.Sos., MBA</div>', "Siti Aminah"),
    ('<div class="byline">Penulis: dr. Rina Wulandari, S.I.Kom.</div>', "Rina Wulandari"),
    # no comma between the name and its first degree
    ('<div class="author">Oleh: Budi Santoso S.H., M.H.</div>', "Budi Santoso"),
    ('<div class="author">Oleh: Budi Santoso SH, MH</div>', "Budi Santoso"),
    # a role closing the byline names nobody
    ('<div class="author">Oleh: Rina Marlina, Kontributor</div>', "Rina Marlina"),
])
def test_an_authors_titles_and_degrees_are_no_other_authors(byline, author):
    assert extract_page(article_page(before_body=byline)).author == author


@pytest.mark.parametrize("name", ["Ahmad HM", "BUDI SANTOSO"])
def test_capitals_after_a_name_with_no_degree_after_them_stay(name):
    byline = f'<div class="author">Oleh: {name}</div>'
    assert extract_page(article_page(before_body=byline)).author == name


def test_metadata_naming_the_writer_and_the_editor_by_role_is_read():
    head = ('<meta name="author" content="Kabar Cyber Media">'
            '<meta name="content_author" content="Irma Susanti">'
            '<meta name="content_editor" content="Krisiandi Putra">')
    assert extract_page(article_page(head=head)).author == "Irma Susanti"
    # an author the structured data names is no author when the metadata names them editor
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Kabar",'
          ' "author": {"@type": "Person", "name": "Krisiandi Putra"}}</script>')
    assert extract_page(article_page(head=head + ld)).author == "Irma Susanti"


def test_degrees_in_the_author_metadata_are_told_by_the_dots_the_page_shows():
    head = '<meta name="author" content="Dr. Budi Santoso, S.H., M.Kom.">'
    assert extract_page(article_page(head=head)).author == "Budi Santoso"
    # an initial stands apart from its name: "M. Ali" is a second author, no degree
    head = '<meta name="author" content="Budi Santoso, M. Ali">'
    assert extract_page(article_page(head=head)).author == "Budi Santoso; M Ali"


@pytest.mark.parametrize("byline", [
    '<div class="author">Oleh Rizky Ramadhan, Nur Azizah dan Ani Lestari</div>',
    '<div class="byline">Penulis: Rizky Ramadhan, Nur Azizah dan Ani Lestari</div>',
])
def test_a_byline_naming_several_people_names_each(byline):
    assert extract_page(article_page(before_body=byline)).author == \
        "Rizky Ramadhan; Nur Azizah; Ani Lestari"


@pytest.mark.parametrize("byline", [
    '<div class="author">Editor: Maria Christina</div>',
    '<div class="author">Redaktur Maria Christina</div>',
    '<div class="byline"><span>Editor:</span> <a href="/editor/maria-christina">Maria Christina</a></div>',
])
def test_a_page_naming_only_its_editor_names_no_author(byline):
    assert extract_page(article_page(before_body=byline)).author is None
    # unless its metadata names the editor as the author
    head = '<meta name="author" content="Maria Christina">'
    assert extract_page(article_page(head=head, before_body=byline)).author == "Maria Christina"


@pytest.mark.parametrize(("byline", "author"), [
    ("<p><em>Oleh Sekar Ayu Lestari</em></p>", "Sekar Ayu Lestari"),
    ("<p>Penulis Irma Susanti | Editor Krisiandi Putra</p>", "Irma Susanti"),
    ("<p>Editor: Maria Christina</p>", None),
    ("<p>Sumber: Antara</p>", None),
])
def test_a_byline_line_in_the_body_names_the_writer_and_leaves_the_text(byline, author):
    result = extract_page(article_page(byline))
    assert result.author == author
    assert re.sub("<[^>]+>", "", byline) not in result.text.splitlines()


def _byline_values() -> set[str]:
    """A value matching each string trafilatura's byline XPaths look for in an attribute."""
    values = set()
    for xpath in AUTHOR_XPATHS:
        for literal in re.findall(r"'([^']+)'", xpath.path):
            for part in literal.split("|"):
                values.add(re.sub(r"\[(\w)\w*\]", r"\1", part).replace("-?", "-").strip("^$"))
    return values


@pytest.mark.parametrize("attribute", ["id", "class", "itemprop", "data-testid", "data-component",
                                       "rel", "title"])
def test_the_byline_search_is_skipped_only_on_pages_where_it_finds_nothing(attribute):
    found = 0
    for value in sorted(_byline_values()):
        for shown in (value, value.upper(), f"post-{value} meta"):
            tree = fromstring(f'<html><body><div><span {attribute}="{shown}">Budi Santoso</span>'
                              f'</div><p>{"kata " * 40}</p></body></html>')
            if extract_author(tree):
                found += 1
                assert may_mark_byline(tree), (attribute, shown)
    assert found if attribute != "title" else not found  # a title attribute is not read
    plain = fromstring(f'<html><body><div class="meta">Budi Santoso</div><p>{"kata " * 40}</p></body></html>')
    assert not may_mark_byline(plain) and extract_author(plain) is None
