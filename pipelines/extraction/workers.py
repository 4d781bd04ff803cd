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
        while True:
            time.sleep(interval)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
