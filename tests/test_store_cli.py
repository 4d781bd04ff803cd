"""warta search, clusters, show and stats: readable tables, parseable JSON and CSV."""

import csv
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner
from storage_data import story_database

from warta.cli import main


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "warta.db"
    story_database(path).close()
    return str(path)


def _run(*args):
    result = CliRunner().invoke(main, [*args])
    return result.exit_code, result.output


def test_search_as_table_json_and_csv(db_path):
    code, out = _run("search", "pekerja", "migran", "--db", db_path)
    assert code == 0
    assert out.splitlines()[0].split() == ["id", "published_at", "source", "cluster_id", "title",
                                           "snippet", "url"]
    assert "2025-11-20 01:30" in out  # WIB in the table
    assert out.splitlines()[-1] == "(times in WIB, UTC+7; json and csv give UTC)"
    code, out = _run("search", "pekerja migran", "--db", db_path, "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3 and rows[0]["published_at"].endswith("Z")
    code, out = _run("search", "Sleman", "--source", "antaranews", "--since", "2025-11-21",
                     "--db", db_path, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["url"] for r in rows} == {"https://antaranews.com/a2", "https://antaranews.com/a3"}


def test_search_finds_coverage_unless_asked_for_every_article(db_path):
    code, out = _run("search", "cabai", "--db", db_path, "--format", "json")
    assert code == 0 and json.loads(out) == []
    code, out = _run("search", "cabai", "--all", "--db", db_path, "--format", "json")
    (row,) = json.loads(out)
    assert row["url"] == "https://tempo.co/t2" and row["relevant"] == 0


def test_clusters_listing_with_filters(db_path):
    code, out = _run("clusters", "--db", db_path, "--min-outlets", "2", "--format", "json")
    (story,) = json.loads(out)
    assert code == 0 and story["outlet_count"] == story["source_count"] == 3
    code, out = _run("clusters", "--db", db_path, "--since", "2025-11-21", "--format", "csv")
    assert [r["headline"][:4] for r in csv.DictReader(io.StringIO(out))] == ["Kunj", "Desa"]
    code, out = _run("clusters", "--db", db_path)
    assert code == 0 and "Desa Sadar HAM diresmikan di Sleman" in out


def test_show_one_cluster(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE articles SET cluster_score = 0.41237 "
                     "WHERE url = 'https://kompas.com/k1'")
    code, out = _run("show", "1", "--db", db_path)
    assert code == 0
    assert out.startswith("story 1: Kemenham pulangkan pekerja migran dari Kamboja")
    assert "3 article(s) from 3 source(s)" in out and "https://kompas.com/k1" in out
    header = next(line for line in out.splitlines() if line.startswith("id "))
    assert header.split() == ["id", "published_at", "source", "title", "cluster_score",
                              "duplicate_of", "similarity", "url"]
    kompas = next(line for line in out.splitlines() if "kompas.com/k1" in line)
    assert " 0.412 " in kompas and "0.41237" not in kompas
    code, out = _run("show", "1", "--db", db_path, "--format", "json")
    articles = json.loads(out)["articles"]
    assert [a["source"] for a in articles] == ["antaranews", "kompas", "detik"]
    assert articles[1]["cluster_score"] == 0.41237
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE articles SET published_precision = 'day', "
                     "published_at = '2025-11-19T17:00:00Z' WHERE url = 'https://detik.com/d1'")
    detik = next(line for line in _run("show", "1", "--db", db_path)[1].splitlines()
                 if "detik.com/d1" in line)
    assert " 2025-11-20 " in detik and "2025-11-20 00:00" not in detik  # its day alone
    code, out = _run("show", "42", "--db", db_path)
    assert code == 1 and "no story with id 42" in out


def test_stats(db_path):
    code, out = _run("stats", "--db", db_path)
    assert code == 0 and "articles        7" in out and "antaranews" in out
    code, out = _run("stats", "--db", db_path, "--format", "json")
    assert json.loads(out)["stories"] == 3


def test_bad_input_gives_clear_errors(tmp_path, db_path):
    code, out = _run("search", "HAM", "--since", "yesterday", "--db", db_path)
    assert code == 2 and "expected a date YYYY-MM-DD" in out
    code, out = _run("stats", "--db", str(tmp_path / "missing.db"))
    assert code == 1 and "no database at" in out
    assert not (tmp_path / "missing.db").exists()
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all")
    code, out = _run("clusters", "--db", str(text))
    assert code == 1 and "notes.txt: not a SQLite database" in out


def test_a_database_damaged_where_only_a_query_looks_gives_a_message(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles'").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(db_path, "r+b") as handle:  # the table's page now claims to be a leaf of garbage
        handle.seek((page - 1) * size)
        handle.write(b"\x0d\x00\x05" + b"\xff" * 200)
    for command in (["stats"], ["search", "pekerja"], ["show", "1"], ["clusters"]):
        code, out = _run(*command, "--db", db_path)
        assert code == 1, (command, out)
        assert "damaged" in out and "restore it from a backup" in out and "Traceback" not in out


@pytest.mark.parametrize("args", [
    ["search", "pigai", "--since", "0001-01-01"],
    ["search", "pigai", "--until", "9999-12-31"],
    ["digest", "--date", "9999-12-31"],
    ["show", "99999999999999999999"],
    ["search", "pigai", "--limit", "99999999999999999999"],
])
def test_arguments_out_of_range_are_usage_errors(db_path, args):
    code, out = _run(*args, "--db", db_path)
    assert code == 2 and ("out of range" in out or "not in the range" in out), out


@pytest.mark.parametrize("reference", ["99999999999999999999", "\u00b2"])
def test_a_reference_that_cannot_be_an_article_id_is_no_article(db_path, reference):
    code, out = _run("explain", reference, "--db", db_path)
    assert code == 1 and f"no article '{reference}'" in out


def test_links_in_tables_stay_whole(db_path):
    long = "https://kompas.com/read/2025/11/20/10000011/" + "judul-berita-yang-sangat-panjang-" * 4
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE articles SET url = ? WHERE url = 'https://kompas.com/k1'", (long,))
    code, out = _run("show", "1", "--db", db_path)
    assert code == 0 and long in out


def test_an_article_is_found_by_the_link_a_reader_would_paste(db_path):
    code, exact = _run("explain", "https://kompas.com/k1", "--db", db_path)
    assert code == 0, exact
    for pasted in ("https://kompas.com/k1/?utm_source=wa&utm_medium=share",
                   "https://KOMPAS.com/k1/", "https://kompas.com/k1#komentar"):
        code, out = _run("explain", pasted, "--db", db_path)
        assert (code, out) == (0, exact), pasted
    code, out = _run("explain", "https://kompas.com/k9", "--db", db_path)
    assert code == 1 and "no article 'https://kompas.com/k9'" in out


def test_search_says_when_there_are_more_matches_than_shown(db_path):
    result = CliRunner().invoke(main, ["search", "HAM", "--limit", "2", "--db", db_path,
                                       "--format", "json"])
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 2
    assert "the best 2 matches; more with --limit" in result.stderr
    everything = CliRunner().invoke(main, ["search", "HAM", "--db", db_path, "--format", "json"])
    assert "more with --limit" not in everything.stderr


def test_an_empty_table_says_so(db_path):
    code, out = _run("search", "Nusakambangan", "--since", "2025-11-23", "--db", db_path)
    assert code == 0 and out.splitlines()[0] == "(none)"
