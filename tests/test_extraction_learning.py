"""Site-template learning: a new promo line recurring across a site's articles is
learned and then dropped; a dateline, a standard closing quote and a line that
only some articles share are not."""

from __future__ import annotations

import pytest
from extraction_pages import PARAGRAPHS, article_page

from pipelines.extraction.extract import extract_page
from pipelines.extraction.rules import load_rules
from pipelines.extraction.templates import MIN_ARTICLES, is_learned, line_key, template_candidates
from storage.articles import save_article
from storage.boilerplate import learned_lines, record_lines, site_line_rows, site_summaries
from storage.database import open_database

PROMO = "Tonton siaran langsung Harian Contoh setiap pagi di kanal kami."
QUOTE = "“Negara wajib hadir melindungi setiap warga di mana pun berada,” kata Menteri HAM Natalius Pigai."
DATELINE = "JAKARTA (Harian) -"
SOMETIMES = "Kementerian HAM dibentuk pada Oktober 2024 setelah Kemenkumham dipecah."


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "warta.db")
    yield database
    database.close()


def store_article(db, number: int, *extra_lines: str) -> tuple[str, ...]:
    """Extract and store article ``number`` of the site; return its template lines."""
    code = "".join(chr(ord("a") + int(digit)) for digit in f"{number:03d}")  # words, not digits
    unique = f"Laporan seri {code} tentang pemantauan lapas di wilayah {code}."
    inserts = [f"<p>{line}</p>" for line in (unique, *extra_lines)]
    url = f"https://harian.example/berita/{number}"
    fetched_at = f"2025-11-{1 + number:02d}T03:00:00Z"
    paragraphs = tuple(f"Pada kunjungan {code}, {p[0].lower()}{p[1:]}" for p in PARAGRAPHS[:3])
    result = extract_page(article_page(*inserts, paragraphs=paragraphs), url)
    save_article(db, {"url": url, "source": "harian", "fetched_at": fetched_at, "text": result.text}, None)
    record_lines(db, "harian", result.template_lines, fetched_at)
    return result.template_lines


def test_candidates_leave_out_datelines_quotes_and_paragraphs():
    rules = load_rules()
    lines = [PROMO, QUOTE, DATELINE, "JAKARTA (Harian) - Menteri HAM hadir.", PARAGRAPHS[0] * 2, "12"]
    assert template_candidates(lines, rules) == (PROMO,)
    assert template_candidates([PROMO, PROMO.upper(), PROMO.replace(" ", "\u00a0")], rules) == (PROMO,)


def test_the_learning_rule():
    assert not is_learned(MIN_ARTICLES - 1, MIN_ARTICLES - 1)  # too few articles, however many share
    assert is_learned(MIN_ARTICLES, MIN_ARTICLES + 2)
    assert not is_learned(MIN_ARTICLES, 4 * MIN_ARTICLES)  # a minority of the site's articles


def test_a_recurring_promo_is_learned_and_then_dropped(db):
    for number in range(MIN_ARTICLES + 2):
        store_article(db, number, PROMO, QUOTE, DATELINE)
    keys = learned_lines(db, "harian")
    assert keys == {line_key(PROMO)}
    assert line_key(QUOTE) not in keys and line_key(DATELINE) not in keys

    later = extract_page(article_page(f"<p>{PROMO.upper()}</p>"), learned_lines=keys)
    assert PROMO.casefold() not in later.text.casefold()
    assert {"line": PROMO.upper(), "rule": "learned"} in later.removed
    rows = site_line_rows(db, "harian")
    assert rows[0]["line"] == PROMO and rows[0]["learned"] == 1
    assert rows[0]["doc_count"] == MIN_ARTICLES + 2
    assert site_summaries(db) == [{"source": "harian", "lines": len(rows), "learned": 1}]


def test_a_line_in_a_minority_of_articles_is_not_learned(db):
    for number in range(4 * MIN_ARTICLES):
        store_article(db, number, *([SOMETIMES] if number % 4 == 0 else []))
    assert learned_lines(db, "harian") == frozenset()


def test_a_new_template_line_is_learned_despite_a_long_history(db):
    for number in range(4 * MIN_ARTICLES):
        store_article(db, number)
    for number in range(4 * MIN_ARTICLES, 4 * MIN_ARTICLES + MIN_ARTICLES):
        store_article(db, number, PROMO)
    assert learned_lines(db, "harian") == {line_key(PROMO)}
    assert learned_lines(db, "another-site") == frozenset()
