"""Opening the database: schema, migrations, WAL, and the files it must refuse."""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from sqlite_utils import Database
from storage_data import article

from storage.articles import save_article
from storage.database import StorageError, damage, describe_error, open_database, transaction
from storage.schema import MIGRATIONS, Migration, applied_migrations, migrate
from storage.search import search_articles


def test_new_database_has_the_whole_schema_in_wal_mode(tmp_path):
    db = open_database(tmp_path / "deep" / "dir" / "warta.db")
    tables = set(db.table_names())
    assert {"sources", "articles", "clusters", "crawl_runs", "crawl_run_sources", "errors",
            "url_aliases", "seen_urls", "signatures", "articles_fts", "migrations"} <= tables
    assert set(db.view_names()) == {"cluster_articles", "daily_clusters", "source_daily"}
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert applied_migrations(db) == [m.name for m in MIGRATIONS]


def test_reopening_applies_nothing_twice(tmp_path):
    open_database(tmp_path / "w.db").close()
    db = open_database(tmp_path / "w.db")
    assert db.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_an_older_database_upgrades_in_place_and_indexes_existing_articles(tmp_path):
    path = tmp_path / "old.db"
    first = Database(sqlite3.connect(path))
    migrate(first, MIGRATIONS[:1])
    record = article("https://antaranews.com/old")
    with first.conn:  # the columns of the first schema only
        first.execute("INSERT INTO articles(url, source, fetched_at, updated_at, title, text, "
                      "word_count, relevant, relevance_score, matched_terms) "
                      "VALUES (?, ?, ?, ?, ?, ?, 5, 1, 2.5, '[]')",
                      [record[k] for k in ("url", "source", "fetched_at", "fetched_at", "title",
                                           "text")])
    first.close()

    db = open_database(path)
    assert applied_migrations(db) == [m.name for m in MIGRATIONS]
    found = [r["url"] for r in search_articles(db, "pekerja migran")]
    assert found == ["https://antaranews.com/old"]
    assert "daily_clusters" in db.view_names()


def test_a_failing_migration_leaves_no_trace(tmp_path):
    db = open_database(tmp_path / "w.db")
    broken = Migration("9000_broken", ("CREATE TABLE half_done (x)", "CREATE TABLE articles (x)"))
    with pytest.raises(sqlite3.OperationalError):
        migrate(db, (*MIGRATIONS, broken))
    assert "half_done" not in db.table_names()
    assert "9000_broken" not in applied_migrations(db)


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 20)
    with pytest.raises(StorageError, match="notes.db: not a SQLite database"):
        open_database(path)
    assert path.read_text().startswith("these are my notes")


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(StorageError, match="is a directory"):
        open_database(tmp_path)


def test_another_programs_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    with pytest.raises(StorageError, match="not warta's"):
        open_database(path)


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "w.db"
    open_database(path).execute("INSERT INTO migrations(name) VALUES ('0999_from_the_future')")
    newer = rf"newer warta \(schema version {len(MIGRATIONS) + 1}.*0999_from_the_future"
    with pytest.raises(StorageError, match=newer):
        open_database(path)


def test_a_locked_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "w.db"
    open_database(path).close()
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO sources(name) VALUES ('x')")
    try:
        with pytest.raises(StorageError, match="w.db: the database is locked"):
            open_database(path, timeout=0.1)
    finally:
        holder.rollback()
        holder.close()


def test_readers_read_while_a_writer_holds_its_transaction(tmp_path):
    path = tmp_path / "w.db"
    writer = open_database(path)
    save_article(writer, article("https://antaranews.com/1"), None)
    reader = open_database(path, timeout=0.1)
    with transaction(writer):
        save_article(writer, article("https://antaranews.com/2"), None)
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_a_write_blocked_by_another_writer_becomes_a_storage_error(tmp_path):
    path = tmp_path / "w.db"
    first, second = open_database(path), open_database(path, timeout=0.1)
    with transaction(first):
        save_article(first, article("https://antaranews.com/1"), None)
        with pytest.raises(StorageError, match="locked"):
            save_article(second, article("https://antaranews.com/2"), None)
    assert second.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_nested_transactions_roll_back_only_the_inner_block(tmp_path):
    db = open_database(tmp_path / "w.db")
    with transaction(db):
        save_article(db, article("https://antaranews.com/kept"), None)
        with pytest.raises(RuntimeError), transaction(db):
            save_article(db, article("https://antaranews.com/undone"), None)
            raise RuntimeError("clustering failed")
    urls = [r["url"] for r in db.query("SELECT url FROM articles")]
    assert urls == ["https://antaranews.com/kept"]
    assert db.execute("SELECT count(*) FROM seen_urls").fetchone()[0] == 1


def test_an_error_in_the_outer_block_rolls_back_everything(tmp_path):
    db = open_database(tmp_path / "w.db")
    with pytest.raises(RuntimeError), transaction(db):
        save_article(db, article("https://antaranews.com/1"), None)
        raise RuntimeError("crash")
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    assert not db.conn.in_transaction


def open_at_once(path, count: int) -> list[Exception]:
    """Open ``path`` from ``count`` threads released together; the errors they met."""
    start, errors = threading.Barrier(count), []

    def open_it():
        start.wait()
        try:
            open_database(path).close()
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_connections_opening_a_new_file_at_once_all_get_it(tmp_path):
    """Switching a new file to WAL from several connections at once can deadlock inside
    SQLite, which then answers "database is locked" at once; and one connection may
    migrate the file while another checks what it is. Each must still open it."""
    for round_ in range(5):
        assert open_at_once(tmp_path / f"warta-{round_}.db", 6) == []


def test_term_counts_of_a_database_before_languages_move_to_the_unnamed_language(tmp_path):
    db = Database(tmp_path / "old.db")
    migrate(db, MIGRATIONS[:6])
    db.execute("INSERT INTO cluster_terms(term, df) VALUES ('pigai', 3), ('nabire', 1)")
    db.execute("INSERT INTO cluster_state(key, value) VALUES ('documents', 4)")
    db.conn.commit()
    assert migrate(db) == [m.name for m in MIGRATIONS[6:]]
    assert db.execute("SELECT * FROM cluster_terms ORDER BY term").fetchall() == [
        ("", "nabire", 1), ("", "pigai", 3)]
    assert db.execute("SELECT * FROM cluster_languages").fetchall() == [("", 4)]
    assert not db["cluster_state"].exists()


def test_a_reader_without_write_access_is_told_what_warta_needs():
    """Run as another user when the suite runs as root (root ignores file modes)."""
    as_other = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: no way to lose write access")
    folder = Path(tempfile.mkdtemp(prefix="warta-ro-", dir="/tmp"))
    try:
        path = folder / "warta.db"
        open_database(path).close()
        path.chmod(0o444)
        folder.chmod(0o555)
        command = [sys.executable, "-m", "warta", "stats", "--db", str(path)]
        result = subprocess.run(as_other + command if os.geteuid() == 0 else command,
                                check=False, capture_output=True, text=True, timeout=60,
                                cwd="/")
        assert result.returncode == 1, result.stderr
        assert "no permission to write here" in result.stderr
        assert "needs write access to the file and its folder even to read it" in result.stderr
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def _full(message: str = "database or disk is full") -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorname = "SQLITE_FULL"
    return error


def test_a_damaged_file_failing_as_a_full_disk_is_called_damaged(tmp_path):
    path = tmp_path / "w.db"
    db = open_database(path)
    with transaction(db):
        save_article(db, article("https://example.id/a"), None)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles'").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    intact = describe_error(path, _full(), "maintenance failed")
    assert intact == f"{path}: maintenance failed: the disk is full (database or disk is full); " \
                     "free some space and run again"
    with open(path, "r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\x0d\x00\x05" + b"\xff" * 200)
    found = damage(path)
    assert found and "\n" not in found and "***" not in found
    message = describe_error(path, _full(), "maintenance failed")
    assert message.startswith(f"{path}: the database file is damaged (database or disk is full; "
                              f"the quick check found: {found})")
    assert message.endswith("restore it from a backup") and "free some space" not in message
    assert describe_error(None, _full(), "maintenance failed").endswith("run again")  # no file to check


def test_a_file_that_cannot_be_checked_is_not_called_damaged(tmp_path):
    assert damage(tmp_path / "missing.db") is None
    assert not (tmp_path / "missing.db").exists()


def test_a_failing_write_is_not_followed_by_a_check_of_the_whole_file(tmp_path, monkeypatch):
    from storage import database

    db = open_database(tmp_path / "w.db")
    monkeypatch.setattr(database, "damage", lambda path: pytest.fail("checked the file"))
    with pytest.raises(StorageError, match="write failed"), transaction(db):
        db.execute("INSERT INTO no_such_table VALUES (1)")
    db.close()
