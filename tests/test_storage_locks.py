"""The lock that keeps one crawl (or maintenance, or correction) per database."""

from __future__ import annotations

import errno
import os

import pytest

from storage import locks
from storage.database import StorageError
from storage.locks import LockHeld, file_lock, holder_of


def test_a_link_to_the_database_names_the_same_lock(tmp_path):
    database = tmp_path / "warta.db"
    database.touch()
    link = tmp_path / "link.db"
    link.symlink_to(database)
    with file_lock(database):
        with pytest.raises(LockHeld), file_lock(link):
            pass
        with pytest.raises(LockHeld), file_lock(tmp_path / "." / "warta.db"):
            pass
        assert holder_of(link) is not None
    with file_lock(link):
        assert holder_of(database) is not None


def test_a_lock_that_cannot_be_written_is_a_storage_error_and_is_let_go(tmp_path, monkeypatch):
    def full(fd, data, offset):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patched:
        patched.setattr(locks.os, "pwrite", full)
        with (pytest.raises(StorageError, match="cannot write the lock file .*free some space"),
              file_lock(tmp_path / "warta.db")):
            pass
    with file_lock(tmp_path / "warta.db"):  # not left held
        pass
