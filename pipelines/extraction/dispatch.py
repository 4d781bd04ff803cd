"""Handing extraction jobs to the workers in batches.

Every hand-over costs the reactor some work; one job a hand-over leaves the
workers waiting whenever the reactor is busy. The dispatcher keeps at most
``slots`` batches with the workers and gathers the jobs that arrive meanwhile
into the next batch, so the batches grow exactly when the workers fall behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

__all__ = ["BatchDispatcher"]

Runner = Callable[[list[Callable]], Awaitable[list[tuple[bool, object]]]]


class BatchDispatcher:
    """Runs jobs through ``runner`` (a batch in, ``(ok, result or exception)`` per job
    out) with at most ``slots`` batches in flight."""

    def __init__(self, runner: Runner, slots: int, max_batch: int = 16):
        self.runner = runner
        self.slots = slots
        self.max_batch = max_batch
        self.queue: list[tuple[Callable, asyncio.Future]] = []
        self.in_flight = 0

    async def run(self, job: Callable):
        """The job's result; its exception (or the runner's) is raised here."""
        future = asyncio.get_running_loop().create_future()
        self.queue.append((job, future))
        self._pump()
        return await future

    def _pump(self) -> None:
        while self.queue and self.in_flight < self.slots:
            batch, self.queue = self.queue[: self.max_batch], self.queue[self.max_batch :]
            self.in_flight += 1
            asyncio.ensure_future(self._send(batch))

    async def _send(self, batch: list[tuple[Callable, asyncio.Future]]) -> None:
        try:
            outcomes = await self.runner([job for job, _ in batch])
        except Exception as exc:  # noqa: BLE001 - the whole batch failed: every caller hears why
            outcomes = [(False, exc)] * len(batch)
        finally:
            self.in_flight -= 1
        for (_, future), (ok, value) in zip(batch, outcomes):
            if future.cancelled():
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
        self._pump()
