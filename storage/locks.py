"""File locks that keep two writers apart across processes.

A crawl (and database maintenance) holds ``<database>.lock`` for as long as it
writes; a scheduler holds ``<job store>.lock`` for as long as it runs. The locks
are ``flock`` locks on files beside the database, so they hold across separate
processes — two schedulers, or a scheduler and a manual ``warta crawl`` — and
the kernel releases them when the holder exits, however it exits. The holder
writes its pid and command into the file, so the refusal can name it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from storage.database import StorageError

__all__ = ["LockHeld", "file_lock", "holder_of", "lock_path"]


class LockHeld(Exception):
    """Another process holds the lock. ``exit_code`` is what a command that gives
    up because of it exits with (75, EX_TEMPFAIL: try again later)."""

    exit_code = 75

    def __init__(self, guarded: Path, lock: Path, holder: str):
        self.guarded, self.lock, self.holder = guarded, lock, holder or "another process"
        super().__init__(f"{guarded} is in use by {self.holder} (lock file {lock}); "
                         "wait for it to finish, or stop it first")


def lock_path(path: str | Path) -> Path:
    """The lock file that guards ``path``: the same name with ``.lock`` appended, beside
    the file itself (a symbolic link or a relative path to it names the same lock)."""
    path = Path(path).resolve()
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def file_lock(
    path: str | Path,
    *,
    wait: float = 0.0,
    stop: threading.Event | None = None,
) -> Iterator[Path]:
    """Hold the lock guarding ``path`` for the duration of the block.

    Raises :class:`LockHeld` at once, or after waiting up to ``wait`` seconds
    (given up early when ``stop`` is set); :class:`StorageError` when the lock file
    cannot be created or opened.
    """
    lock = lock_path(path)
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StorageError(f"{lock}: cannot open the lock file ({exc.strerror}); it guards "
                           f"{Path(path).name} and must be writable beside it") from exc
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline or (stop is not None and stop.is_set()):
                    raise LockHeld(Path(path), lock, _read(fd)) from None
                pause = min(0.5, max(0.01, deadline - time.monotonic()))
                if stop is None:
                    time.sleep(pause)
                else:
                    stop.wait(pause)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}: {' '.join(sys.argv)}\n".encode(), 0)
        except OSError as exc:  # a full disk, most likely
            raise StorageError(f"{lock}: cannot write the lock file ({exc.strerror}); free some "
                               "space and run again") from exc
        try:
            yield lock
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def holder_of(path: str | Path) -> str | None:
    """Who holds the lock guarding ``path`` ("pid N: command"), or None when it is free."""
    lock = lock_path(path)
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(fd) or "another process"
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _read(fd: int) -> str:
    return os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
