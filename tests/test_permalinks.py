"""The article number a news address carries, and its column in the store."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from storage.articles import numbered_articles, save_article
from storage.database import transaction
from storage.permalinks import article_number
from storage.schema import MIGRATIONS, migrate


@pytest.mark.parametrize(("url", "number"), [
    ("https://news.contoh.id/berita/d-7712345/menteri-ham-kunjungi-nabire", "7712345"),
    ("https://www.contoh.id/read/2025/11/20/12345671/menteri-ham-kunjungi-nabire", "12345671"),
    ("https://www.contoh.id/news/read/6123456/kemenham-terima-aduan", "6123456"),
    ("https://www.contoh.id/politik/kemenham-terima-10000-aduan-1234567", "1234567"),
    ("https://www.contoh.id/nasional/20251120123456-20-1234567/kemenham", "20251120123456"),
    ("https://www.contoh.id/berita/20251120/kemenham-terima-aduan-55501", "55501"),
    ("https://www.contoh.id/index.php?option=com_content&id=48213", "48213"),
])
def test_the_number_is_the_longest_run_of_digits_that_is_not_a_date(url, number):
    assert article_number(url) == number


@pytest.mark.parametrize("url", [
    "https://www.contoh.id/nasional/2025/11/20/kemenham-kunjungi-nabire",
    "https://www.contoh.id/berita/20251120/kemenham-kunjungi-nabire",
    "https://www.contoh.id/siaran-pers/kemenham-kunjungi-nabire",
    "https://www.contoh.id/arsip/1234/kemenham",
])
def test_an_address_with_only_dates_and_short_figures_carries_no_number(url):
    assert article_number(url) is None


def test_a_slug_change_keeps_the_number():
    before = "https://www.contoh.id/read/2025/11/20/12345671/kemenham-tinjau-lapas"
    after = "https://www.contoh.id/read/2025/11/20/12345671/lapas-penuh-kemenham-minta-blok-baru"
    assert article_number(before) == article_number(after) is not None


def test_articles_stored_before_the_column_are_numbered_by_their_address(tmp_path):
    db = Database(sqlite3.connect(tmp_path / "old.db"))
    migrate(db, [m for m in MIGRATIONS if m.name < "0013"])
    with transaction(db):
        db.execute("INSERT INTO sources(name) VALUES ('nusa')")
        for n, url in enumerate(("https://nusa.example/berita/d-7712345/a",
                                 "https://nusa.example/siaran-pers/b")):
            db.execute("INSERT INTO articles(url, source, fetched_at, updated_at, text, word_count, "
                       "relevant, relevance_score, matched_terms) VALUES (?, 'nusa', "
                       "'2025-11-22T00:00:00Z', '2025-11-22T00:00:00Z', ?, 1, 1, 1, '[]')",
                       (url, f"teks {n}"))
    migrate(db)
    assert db.execute("SELECT url_number FROM articles ORDER BY id").fetchall() == [("7712345",), (None,)]
    with transaction(db):
        save_article(db, {"url": "https://nusa.example/read/7712345/c", "source": "nusa",
                          "fetched_at": "2025-11-23T00:00:00Z", "text": "teks baru"}, None)
        save_article(db, {"url": "https://lain.example/berita/d-7712345/d", "source": "lain",
                          "fetched_at": "2025-11-23T00:00:00Z", "text": "teks lain"}, None)
    assert numbered_articles(db, "nusa", "7712345") == [
        ("https://nusa.example/berita/d-7712345/a", "teks 0"),
        ("https://nusa.example/read/7712345/c", "teks baru")]
