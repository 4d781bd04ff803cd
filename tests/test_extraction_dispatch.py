"""Extraction jobs reach the pool in batches; each caller gets its own result or error."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from pipelines.extraction.dispatch import BatchDispatcher, run_batch


def test_run_batch_keeps_one_failure_to_its_job():
    outcomes = run_batch([lambda: 1, lambda: 1 / 0, lambda: 3])
    assert outcomes[0] == (True, 1) and outcomes[2] == (True, 3)
    assert outcomes[1][0] is False and isinstance(outcomes[1][1], ZeroDivisionError)


def test_results_errors_and_growing_batches():
    gate = threading.Event()
    batch_sizes = []

    class Counting(ThreadPoolExecutor):
        def submit(self, fn, jobs):
            batch_sizes.append(len(jobs))
            return super().submit(fn, jobs)

    def job(n):
        def work():
            gate.wait(5)
            if n == 7:
                raise ValueError("bad page")
            return n * n
        return work

    async def main():
        with Counting(1) as pool:
            dispatcher = BatchDispatcher(pool, slots=1, max_batch=16)
            tasks = [asyncio.ensure_future(dispatcher.run(job(n))) for n in range(10)]
            await asyncio.sleep(0.05)
            gate.set()
            return await asyncio.gather(*tasks, return_exceptions=True)

    results = asyncio.run(main())
    assert [r for i, r in enumerate(results) if i != 7] == [n * n for n in range(10) if n != 7]
    assert isinstance(results[7], ValueError)
    assert batch_sizes == [1, 9]  # the first job alone, the rest gathered while it ran


def test_a_shut_down_pool_fails_the_callers():
    async def main():
        pool = ThreadPoolExecutor(1)
        pool.shutdown()
        return await BatchDispatcher(pool, slots=2).run(lambda: 1)

    with pytest.raises(RuntimeError):
        asyncio.run(main())
