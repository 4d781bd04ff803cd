"""What extraction worker processes run at start."""

from __future__ import annotations

import os
import threading
import time

__all__ = ["exit_with_parent"]


def exit_with_parent(pid: int, interval: float = 1.0) -> None:
    """End this worker once the crawl process ``pid`` is gone, so a crawl killed
    with SIGKILL leaves no extraction workers behind."""

    def watch() -> None:
        while _alive(pid):
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs; a killed process not yet reaped by its parent (a zombie) does not."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
