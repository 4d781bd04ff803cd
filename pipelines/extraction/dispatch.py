"""Handing extraction jobs to the worker pool in batches.

Each trip through a process pool costs several thread hand-overs in the crawl
process; one job a trip leaves the workers waiting whenever the reactor is busy.
The dispatcher keeps at most one batch per worker (plus one) in the pool and
gathers the jobs that arrive meanwhile into the next batch, so the batches grow
exactly when the workers fall behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Executor, Future

__all__ = ["BatchDispatcher", "run_batch"]


def run_batch(jobs: list[Callable]) -> list[tuple[bool, object]]:
    """Run ``jobs`` in a worker; each gives ``(True, result)`` or ``(False, exception)``."""
    outcomes = []
    for job in jobs:
        try:
            outcomes.append((True, job()))
        except Exception as exc:  # one bad page must not fail its batch
            outcomes.append((False, exc))
    return outcomes


class BatchDispatcher:
    """Runs jobs on ``executor`` with at most ``slots`` batches in flight."""

    def __init__(self, executor: Executor, slots: int, max_batch: int = 16):
        self.executor = executor
        self.slots = slots
        self.max_batch = max_batch
        self.queue: list[tuple[Callable, asyncio.Future]] = []
        self.in_flight = 0

    async def run(self, job: Callable):
        """The job's result; its exception (or the pool's) is raised here."""
        future = asyncio.get_running_loop().create_future()
        self.queue.append((job, future))
        self._pump()
        return await future

    def _pump(self) -> None:
        while self.queue and self.in_flight < self.slots:
            batch, self.queue = self.queue[: self.max_batch], self.queue[self.max_batch :]
            self.in_flight += 1
            try:
                done = self.executor.submit(run_batch, [job for job, _ in batch])
            except Exception as exc:  # a broken or shut-down pool
                self._finish(batch, None, exc)
                continue
            loop = asyncio.get_running_loop()
            done.add_done_callback(lambda f, b=batch: loop.call_soon_threadsafe(self._finish, b, f, None))

    def _finish(self, batch, done: Future | None, error: Exception | None) -> None:
        self.in_flight -= 1
        try:
            outcomes = done.result() if error is None else None
        except Exception as exc:  # the pool broke while running the batch
            error = exc
        for index, (_, future) in enumerate(batch):
            if future.cancelled():
                continue
            if error is not None:
                future.set_exception(error)
            elif outcomes[index][0]:
                future.set_result(outcomes[index][1])
            else:
                future.set_exception(outcomes[index][1])
        self._pump()
