"""Extraction worker processes, fed through pipes that the event loop watches.

``concurrent.futures.ProcessPoolExecutor`` hands every job over through two
helper threads in the crawl process; each hand-over then waits for the
interpreter lock while the reactor is busy (milliseconds a page, most of the
crawl's idle time). Here the reactor writes a batch straight to an idle worker's
pipe and is called back when the answer is readable: no helper thread, no lock
to wait for. A worker that dies fails its own batch and is replaced.
"""

from __future__ import annotations

import asyncio
import atexit
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable

__all__ = ["WORKER_NICENESS", "WorkerDied", "WorkerPool", "exit_with_parent", "run_batch"]

# The crawl process hands pages out and takes results in; when it waits for a core
# behind the workers, they run dry. Workers a few steps nicer leave it the core it needs
# and take every cycle it leaves.
WORKER_NICENESS = 5


class WorkerDied(RuntimeError):
    """The worker running a batch ended before answering."""


def run_batch(jobs: list[Callable]) -> list[tuple[bool, object]]:
    """Run ``jobs``; each gives ``(True, result)`` or ``(False, exception)``."""
    outcomes = []
    for job in jobs:
        try:
            outcomes.append((True, job()))
        except Exception as exc:  # noqa: BLE001 - one bad page must not fail its batch
            outcomes.append((False, exc))
    return outcomes


class WorkerPool:
    """``size`` worker processes (forkserver: they never inherit the reactor's threads
    and sockets), each serving one batch at a time."""

    def __init__(self, size: int, preload: tuple[str, ...] = ("pipelines.extraction.extract",)):
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(list(preload))
        self.size = size
        self.idle: asyncio.Queue | None = None
        self.workers: list[tuple] = []
        # a crawl forced down never closes its stages: at exit, before multiprocessing
        # waits for its children, the workers are told to end (and killed if they do not)
        atexit.register(self.close)

    async def run(self, jobs: list[Callable]) -> list[tuple[bool, object]]:
        """The outcomes of ``jobs``, run in one worker (see :func:`run_batch`)."""
        if self.idle is None:
            self.idle = asyncio.Queue()
            for _ in range(self.size):
                self.idle.put_nowait(self._spawn())
        worker = await self.idle.get()
        process, conn = worker
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        loop.add_reader(conn.fileno(), _deliver, conn, answer)
        try:
            conn.send(jobs)
            outcomes = await answer
        except BaseException as exc:  # died, or cancelled with its answer pending: replace it
            loop.remove_reader(conn.fileno())
            process.kill()
            conn.close()
            self.idle.put_nowait(self._spawn())
            if isinstance(exc, (OSError, EOFError, WorkerDied)):
                raise WorkerDied(f"extraction worker {process.pid} ended: {exc!r}") from exc
            raise
        loop.remove_reader(conn.fileno())
        self.idle.put_nowait(worker)
        return outcomes

    def close(self) -> None:
        atexit.unregister(self.close)
        for process, conn in self.workers:
            conn.close()  # the worker reads EOF and exits
        for process, _ in self.workers:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
        self.workers = []

    def _spawn(self) -> tuple:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child, os.getpid()), daemon=True)
        process.start()
        child.close()
        self.workers = [w for w in self.workers if w[0].is_alive()] + [(process, parent)]
        return process, parent


def _deliver(conn, answer: asyncio.Future) -> None:
    if answer.done():
        return
    try:
        answer.set_result(conn.recv())
    except (EOFError, OSError) as exc:
        answer.set_exception(WorkerDied(repr(exc)))


def _serve(conn, parent_pid: int) -> None:
    """A worker's life: batches in, outcomes out, until the pipe closes.

    Ctrl-C reaches every process of the terminal's group: the worker leaves it to the
    crawl, which finishes the batches in hand. SIGTERM ends it, whatever the crawl
    process ignored when the worker was started (Scrapy ignores both signals once it
    is forced to stop, and the worker would then outlive the crawl's exit)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    exit_with_parent(parent_pid)
    os.nice(WORKER_NICENESS)
    while True:
        try:
            jobs = conn.recv()
            outcomes = run_batch(jobs)
            conn.send(outcomes)
        except (EOFError, OSError):  # the crawl closed the pipe, or is gone: nobody to answer
            return


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
