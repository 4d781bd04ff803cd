"""Logging for unattended runs: stderr and a rotating file, every line with its run id.

The run id is the scheduler's job-run id (``crawl-all#17``), set for the
duration of a job with :func:`run_context`; lines outside any job show ``-``.
With ``json_lines`` each line is one JSON object (time, level, logger, run_id,
message) for log collectors.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import logging.handlers
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["JsonLineFormatter", "run_context", "setup_logging"]

TEXT_FORMAT = "%(asctime)s %(levelname)-7s [%(run_id)s] %(name)s: %(message)s"
TEXT_TIME = "%Y-%m-%d %H:%M:%S%z"  # the machine's time, with its offset from UTC
_run_id: contextvars.ContextVar[str] = contextvars.ContextVar("warta_run_id", default="-")


@contextlib.contextmanager
def run_context(run_id: str) -> Iterator[None]:
    """Tag every log line written inside the block (in this thread or context) with ``run_id``."""
    token = _run_id.set(run_id)
    try:
        yield
    finally:
        _run_id.reset(token)


class _RunIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.run_id = _run_id.get()
        return True


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "run_id": getattr(record, "run_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def setup_logging(
    log_file: str | Path | None,
    *,
    json_lines: bool = False,
    level: str = "INFO",
    max_bytes: int = 10_000_000,
    backups: int = 5,
) -> None:
    """Send the root logger to stderr and, when ``log_file`` is given, to a rotating file.

    Calling it again replaces the handlers an earlier call installed.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_warta", False)]:
        root.removeHandler(handler)
        handler.close()
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(
            log_file, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"))
    formatter = JsonLineFormatter() if json_lines else logging.Formatter(TEXT_FORMAT, TEXT_TIME)
    for handler in handlers:
        handler._warta = True
        handler.addFilter(_RunIdFilter())
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(level)
