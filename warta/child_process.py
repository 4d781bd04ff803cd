"""Running a command as a supervised child process.

The scheduler starts every crawl as a fresh process (Twisted's reactor cannot
restart within one) and watches it: each line it prints is logged under the
current run id, it is asked to stop (SIGINT, on which a crawl finishes its
in-flight articles) when it overruns its budget, and killed (SIGKILL) if it is
still there a grace period later. :class:`Children` knows the children
running now, so a scheduler that is asked to stop can pass the request on.
"""

from __future__ import annotations

import contextvars
import logging
import re
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["ChildResult", "Children", "run_child"]

_POLL_SECONDS = 0.2


@dataclass(frozen=True)
class ChildResult:
    pid: int
    returncode: int
    elapsed: float
    overran: bool  # stopped because it ran past its budget
    killed: bool  # still running a grace period after SIGINT, so killed
    last_line: str  # its last line of output, for the record

    def describe(self) -> str:
        """How the process ended, in words."""
        if self.returncode < 0:
            ended = f"killed by {signal.Signals(-self.returncode).name}"
        else:
            ended = f"exit code {self.returncode}"
        return f"pid {self.pid}, {ended} after {self.elapsed:.1f}s"


class Children:
    """The jobs in progress in this process and the child processes they started."""

    def __init__(self):
        self._cond = threading.Condition()
        self._children: set[subprocess.Popen] = set()
        self._jobs = 0
        self.stopping = threading.Event()

    def job_started(self) -> None:
        with self._cond:
            self._jobs += 1

    def job_finished(self) -> None:
        with self._cond:
            self._jobs -= 1
            self._cond.notify_all()

    def add(self, child: subprocess.Popen) -> None:
        with self._cond:
            self._children.add(child)
            if self.stopping.is_set():
                _signal(child, signal.SIGINT)

    def discard(self, child: subprocess.Popen) -> None:
        with self._cond:
            self._children.discard(child)

    def stop(self, signum: int = signal.SIGINT) -> int:
        """Refuse new children and send ``signum`` to the running ones; return how many."""
        with self._cond:
            self.stopping.set()
            for child in self._children:
                _signal(child, signum)
            return len(self._children)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no job is in progress; False if ``timeout`` passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: self._jobs == 0, timeout)


def run_child(
    argv: Sequence[str],
    children: Children,
    *,
    budget: float | None = None,
    grace: float = 60.0,
    logger: logging.Logger,
) -> ChildResult:
    """Run ``argv`` to its end, logging its output line by line through ``logger``.

    Past ``budget`` + ``grace`` seconds the child gets SIGINT; ``grace`` seconds
    after that, SIGKILL. It runs in its own session, so a Ctrl-C at the terminal
    reaches it only through the scheduler, once.
    """
    started = time.monotonic()
    child = subprocess.Popen(
        list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True, text=True, encoding="utf-8", errors="replace",
    )
    last: list[str] = [""]
    relay = threading.Thread(target=contextvars.copy_context().run,
                             args=(_relay, child, logger, last), daemon=True)
    relay.start()
    children.add(child)
    overran = killed = False
    kill_at = None
    try:
        while True:
            try:
                child.wait(timeout=_POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                now = time.monotonic()
                if budget is not None and not overran and now - started > budget + grace:
                    logger.warning("pid %d ran past its budget of %.0fs; asking it to stop",
                                   child.pid, budget)
                    _signal(child, signal.SIGINT)
                    overran, kill_at = True, now + grace
                elif kill_at is not None and not killed and now > kill_at:
                    logger.error("pid %d did not stop within %.0fs; killing it", child.pid, grace)
                    child.kill()
                    killed = True
    finally:
        children.discard(child)
        relay.join(timeout=5)
    return ChildResult(child.pid, child.returncode, time.monotonic() - started, overran, killed,
                       last[0])


def _relay(child: subprocess.Popen, logger: logging.Logger, last: list[str]) -> None:
    """Pass the child's output lines to ``logger`` at the level each names ("WARNING:",
    "ERROR:", "CRITICAL:", as log lines and "Error: ..." messages say), else INFO, so a
    log filtered by level keeps the child's problems."""
    for line in child.stdout:
        line = line.rstrip()
        if line:
            last[0] = line.strip()
            named = _LEVEL.search(line)
            logger.log(logging.getLevelName(named.group(1).upper()) if named else logging.INFO,
                       "%s", line)
    child.stdout.close()


_LEVEL = re.compile(r"(?:^|\] )(WARNING|ERROR|CRITICAL|Error)\b:")


def _signal(child: subprocess.Popen, signum: int) -> None:
    try:
        child.send_signal(signum)
    except ProcessLookupError:
        pass
