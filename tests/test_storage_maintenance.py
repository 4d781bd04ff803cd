"""Weekly maintenance: one-off site lines are forgotten after a month, template lines kept;
`warta maintain` runs it under the crawl lock."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from storage.database import StorageError, open_database
from storage.locks import file_lock
from storage.maintenance import ERRORS_KEPT_DAYS, maintain
from warta.cli import main


def _ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_maintenance_forgets_old_one_off_lines_and_keeps_the_rest(tmp_path):
    db = open_database(tmp_path / "warta.db")
    rows = {  # line: (doc_count, last seen days ago, learned)
        "a paragraph of one old article": (1, 45, 0),
        "a paragraph of last week": (1, 7, 0),
        "Baca juga: a line seen twice long ago": (2, 45, 0),
        "Simak berita lainnya di Google News": (1, 45, 1),
    }
    for line, (count, days, learned) in rows.items():
        db.execute("INSERT INTO site_lines(source, line_hash, line, doc_count, first_seen, "
                   "last_seen, learned) VALUES ('nusa', ?, ?, ?, ?, ?, ?)",
                   (line, line, count, _ago(days), _ago(days), learned))
    db.conn.commit()
    taken = maintain(db)
    left = {row["line"] for row in db.query("SELECT line FROM site_lines")}
    assert left == set(rows) - {"a paragraph of one old article"}
    assert next(iter(taken)) == "prune_site_lines" and "vacuum" in taken
    db.close()


def test_maintenance_forgets_errors_older_than_it_keeps(tmp_path):
    db = open_database(tmp_path / "warta.db")
    for reason, days in (("old", ERRORS_KEPT_DAYS + 1), ("recent", ERRORS_KEPT_DAYS - 1)):
        db.execute("INSERT INTO errors(source, stage, reason, created_at) "
                   "VALUES ('nusa', 'fetch', ?, ?)", (reason, _ago(days)))
    db.conn.commit()
    maintain(db)
    assert [row["reason"] for row in db.query("SELECT reason FROM errors")] == ["recent"]
    db.close()


def test_warta_maintain_runs_the_steps_and_never_while_a_crawl_holds_the_lock(tmp_path):
    database = str(tmp_path / "warta.db")
    open_database(database).close()
    done = CliRunner().invoke(main, ["maintain", "--db", database])
    assert done.exit_code == 0, done.output
    assert "prune_site_lines" in done.output and "vacuum" in done.output
    with file_lock(database):
        refused = CliRunner().invoke(main, ["maintain", "--db", database])
        waited = CliRunner().invoke(main, ["maintain", "--db", database, "--wait", "0.2"])
    assert refused.exit_code == 75 and "cannot maintain" in refused.output
    assert "pass --wait SECONDS" in refused.output
    assert waited.exit_code == 75 and "waited 0.2 s" in waited.output
    mistyped = tmp_path / "wrata.db"
    missing = CliRunner().invoke(main, ["maintain", "--db", str(mistyped)])
    assert missing.exit_code == 1 and "no database at" in missing.output
    assert not mistyped.exists()


def test_a_lock_file_that_cannot_be_opened_is_a_clear_error_for_every_writer(tmp_path):
    database = str(tmp_path / "warta.db")
    open_database(database).close()
    (tmp_path / "warta.db.lock").mkdir()  # in the way of the lock file, even for root
    for command in (["maintain"], ["cluster", "merge", "1", "2"], ["cluster", "split", "a"]):
        result = CliRunner().invoke(main, [*command, "--db", database])
        assert result.exit_code == 1, (command, result.output)
        assert "warta.db.lock: cannot open the lock file (Is a directory)" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_maintenance_says_when_an_open_read_keeps_the_write_ahead_log(tmp_path):
    path = tmp_path / "warta.db"
    db = open_database(path, timeout=0.2)
    db.execute("CREATE TABLE notes (text TEXT)")
    reader = sqlite3.connect(path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM articles").fetchone()  # an analyst's open read
    with db.conn:
        db.execute("INSERT INTO notes VALUES ('written after the read began')")
    with pytest.raises(StorageError, match="write-ahead log could not be emptied"):
        maintain(db)
    reader.rollback()
    reader.close()
    assert "wal_checkpoint" in maintain(db)  # the read is over: it goes through
    db.close()


def _with_note(path, note: str):
    """A database at ``path`` with one committed row in a ``notes`` table."""
    db = open_database(path)
    db.execute("CREATE TABLE notes (text TEXT)")
    with db.conn:
        db.execute("INSERT INTO notes VALUES (?)", (note,))
    return db


def test_warta_backup_copies_what_is_committed_while_a_crawl_writes(tmp_path):
    path = tmp_path / "warta.db"
    db = _with_note(path, "committed, still in the write-ahead log")
    db.execute("BEGIN IMMEDIATE")  # a crawl in the middle of a write
    db.execute("INSERT INTO notes VALUES ('not committed')")
    copy = tmp_path / "backups" / "warta-copy.db"  # a folder made for it
    done = CliRunner().invoke(main, ["backup", "--db", str(path), str(copy)])
    assert done.exit_code == 0, done.output
    assert "checked" in done.output
    db.conn.rollback()
    db.close()
    with sqlite3.connect(copy) as restored:
        assert restored.execute("SELECT text FROM notes").fetchall() == [
            ("committed, still in the write-ahead log",)]
        assert restored.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert sorted(p.name for p in copy.parent.iterdir()) == ["warta-copy.db"]


def test_a_failed_backup_leaves_the_earlier_one_in_place(tmp_path):
    path = tmp_path / "warta.db"
    open_database(path).close()
    copy = tmp_path / "warta-copy.db"
    copy.write_bytes(b"the backup of yesterday")
    (tmp_path / ".warta-copy.db.partial").mkdir()  # the new copy cannot be written
    failed = CliRunner().invoke(main, ["backup", "--db", str(path), str(copy)])
    assert failed.exit_code == 1 and "cannot back up" in failed.output
    assert copy.read_bytes() == b"the backup of yesterday"
    missing = CliRunner().invoke(main, ["backup", "--db", str(tmp_path / "wrata.db"), str(copy)])
    assert missing.exit_code == 1 and "no database at" in missing.output


def test_a_backup_never_replaces_the_database_its_journal_or_what_is_no_file(tmp_path):
    path = tmp_path / "warta.db"
    db = _with_note(path, "kept")
    (tmp_path / "link.db").symlink_to(path)
    os.mkfifo(tmp_path / "pipe")
    for target, said in ((path, "is the database"), (tmp_path / "warta.db-wal", "is the database"),
                         (tmp_path / "link.db", "is the database"),
                         (tmp_path / "pipe", "is not a regular file")):
        refused = CliRunner().invoke(main, ["backup", "--db", str(path), str(target)])
        assert refused.exit_code == 1 and said in refused.output, refused.output
    assert db.execute("SELECT text FROM notes").fetchall() == [("kept",)]
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert (tmp_path / "pipe").is_fifo()
    db.close()

