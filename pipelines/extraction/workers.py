"""Extraction worker processes, fed through pipes that the event loop watches.

``concurrent.futures.ProcessPoolExecutor`` hands every job over through two
helper threads in the crawl process; each hand-over then waits for the
interpreter lock while the reactor is busy (milliseconds a page, most of the
crawl's idle time). Here the reactor writes a batch straight to a worker's pipe
and is called back when an answer is readable: no helper thread, no lock to
wait for.

A worker takes batches in as they come (a thread of its own drains its pipe) and
answers them in order, so it holds a backlog: while the crawl process is busy for
a while (writing a batch of articles, re-examining its stories) the workers go on
with the pages already handed over instead of running dry. A worker that dies
fails the batches it held and is replaced.
"""

from __future__ import annotations

import asyncio
import atexit
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["WORKER_BACKLOG", "WORKER_NICENESS", "WorkerDied", "WorkerPool", "exit_with_parent", "run_batch"]

# The crawl process hands pages out and takes results in; when it waits for a core
# behind the workers, they run dry. Workers a few steps nicer leave it the core it needs
# and take every cycle it leaves.
WORKER_NICENESS = 5
# Batches a worker may hold: pages are handed over as they come, and a worker's backlog
# carries it through the crawl process's busy spells.
WORKER_BACKLOG = 16


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


class _Worker:
    """A worker process, the crawl's end of its pipe and the batches it holds (oldest
    first, each waiting for its answer)."""

    def __init__(self, process, conn) -> None:
        self.process = process
        self.conn = conn
        self.waiting: deque[asyncio.Future] = deque()


class WorkerPool:
    """``size`` worker processes (forkserver: they never inherit the reactor's threads
    and sockets); each batch goes to the worker holding the fewest."""

    def __init__(self, size: int, preload: tuple[str, ...] = ("pipelines.extraction.extract",)):
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(list(preload))
        self.size = size
        self.workers: list[_Worker] = []
        self.loop: asyncio.AbstractEventLoop | None = None  # the loop watching the pipes
        # a crawl forced down never closes its stages: at exit, before multiprocessing
        # waits for its children, the workers are told to end (and killed if they do not)
        atexit.register(self.close)

    async def run(self, jobs: list[Callable]) -> list[tuple[bool, object]]:
        """The outcomes of ``jobs``, run in one worker (see :func:`run_batch`)."""
        while len(self.workers) < self.size:
            self._spawn()
        worker = min(self.workers, key=lambda w: len(w.waiting))
        answer = asyncio.get_running_loop().create_future()
        worker.waiting.append(answer)
        try:
            worker.conn.send(jobs)
        except OSError as exc:  # the worker is gone: its reader has not heard it yet
            self._replace(worker, exc)
        # a caller cancelled meanwhile leaves its answer to be dropped when it comes
        return await answer

    def close(self) -> None:
        atexit.unregister(self.close)
        for worker in self.workers:
            if self.loop is not None and not self.loop.is_closed():
                self.loop.remove_reader(worker.conn.fileno())
            worker.conn.close()  # the worker reads EOF and exits
        for worker in self.workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
        self.workers = []

    def _spawn(self) -> None:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child, os.getpid()), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self.workers.append(worker)
        self.loop = asyncio.get_running_loop()
        self.loop.add_reader(parent.fileno(), self._answer, worker)

    def _answer(self, worker: _Worker) -> None:
        """Hand the worker's next answer to the oldest batch waiting for one."""
        try:
            outcomes = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._replace(worker, exc)
            return
        answer = worker.waiting.popleft()
        if not answer.done():
            answer.set_result(outcomes)

    def _replace(self, worker: _Worker, exc: BaseException) -> None:
        """Fail the batches a dead worker held and start another in its place."""
        if worker not in self.workers:
            return
        self.workers.remove(worker)
        self.loop.remove_reader(worker.conn.fileno())
        worker.process.kill()
        worker.conn.close()
        died = WorkerDied(f"extraction worker {worker.process.pid} ended: {exc!r}")
        for answer in worker.waiting:
            if not answer.done():
                answer.set_exception(died)
        self._spawn()


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
    batches: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_take_in, args=(conn, batches), name="take-in", daemon=True).start()
    while (jobs := batches.get()) is not None:
        try:
            conn.send(run_batch(jobs))
        except OSError:  # the crawl is gone: nobody to answer
            return


def _take_in(conn, batches: queue.SimpleQueue) -> None:
    """Move batches from the pipe to ``batches`` as they come (so that the crawl never
    waits to write one); ``None`` once the crawl closed the pipe or is gone."""
    while True:
        try:
            batches.put(conn.recv())
        except (EOFError, OSError):
            batches.put(None)
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
