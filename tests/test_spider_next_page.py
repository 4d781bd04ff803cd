"""Which fetched pages the spider parses for a rel="next" link (the others it never parses)."""

from __future__ import annotations

import pytest

from crawler.spiders.news import _may_link_next

FILLER = "<p>Menteri HAM meninjau lapas.</p><script>var next = 1; el.nextSibling;</script>" * 500


@pytest.mark.parametrize("link", [
    '<link rel="next" href="?page=2">',
    "<a class='pg' rel='next' href='?page=2'>2</a>",
    '<link REL="next" href="?page=2">',
    '<link Rel = next href="?page=2">',
])
def test_a_page_linking_its_next_page_is_parsed(link):
    assert _may_link_next(FILLER + link + FILLER)


@pytest.mark.parametrize("page", [FILLER, FILLER + '<link rel="prev" href="?page=1">',
                                  FILLER + '<a rel="nextjs-docs" href="/">x</a>'])
def test_a_page_without_one_is_not(page):
    assert not _may_link_next(page)
