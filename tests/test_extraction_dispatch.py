"""Extraction jobs reach the workers in batches; each caller gets its own result or error;
a worker that dies fails its batch only and is replaced."""

import asyncio
import os
import signal

import pytest

from pipelines.extraction.dispatch import BatchDispatcher
from pipelines.extraction.workers import WORKER_NICENESS, WorkerDied, WorkerPool, run_batch


def test_run_batch_keeps_one_failure_to_its_job():
    outcomes = run_batch([lambda: 1, lambda: 1 / 0, lambda: 3])
    assert outcomes[0] == (True, 1) and outcomes[2] == (True, 3)
    assert outcomes[1][0] is False and isinstance(outcomes[1][1], ZeroDivisionError)


def test_results_errors_and_growing_batches():
    batch_sizes = []
    gate = asyncio.Event

    async def main():
        release = gate()

        async def runner(jobs):
            batch_sizes.append(len(jobs))
            await release.wait()
            return run_batch(jobs)

        dispatcher = BatchDispatcher(runner, slots=1, max_batch=16)
        jobs = [(lambda n=n: 1 / 0 if n == 7 else n * n) for n in range(10)]
        tasks = [asyncio.ensure_future(dispatcher.run(job)) for job in jobs]
        await asyncio.sleep(0.01)
        release.set()
        return await asyncio.gather(*tasks, return_exceptions=True)

    results = asyncio.run(main())
    assert [r for i, r in enumerate(results) if i != 7] == [n * n for n in range(10) if n != 7]
    assert isinstance(results[7], ZeroDivisionError)
    assert batch_sizes == [1, 9]  # the first job alone, the rest gathered while it ran


def test_a_failing_runner_fails_its_callers():
    async def broken(jobs):
        raise WorkerDied("gone")

    async def main():
        return await BatchDispatcher(broken, slots=2).run(lambda: 1)

    with pytest.raises(WorkerDied):
        asyncio.run(main())


def square(n):
    return n * n


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def test_worker_pool_runs_batches_and_replaces_a_dead_worker():
    async def main():
        pool = WorkerPool(2, preload=())
        try:
            first = await pool.run([_partial(square, 3), _partial(square, 4)])
            with pytest.raises(WorkerDied):
                await pool.run([die])
            after = await asyncio.gather(*(pool.run([_partial(square, n)]) for n in range(4)))
            return first, after
        finally:
            pool.close()

    first, after = asyncio.run(main())
    assert first == [(True, 9), (True, 16)]
    assert after == [[(True, n * n)] for n in range(4)]


def _partial(function, *args):
    from functools import partial

    return partial(function, *args)


def interrupt_self():
    os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C reaches the terminal's whole group
    return os.getpid()


def test_workers_leave_ctrl_c_to_the_crawl_and_end_on_sigterm_even_if_it_was_ignored():
    async def main():
        previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)  # inherited by the workers
        pool = WorkerPool(1, preload=())
        try:
            [(ok, pid)] = await pool.run([interrupt_self])
            again = await pool.run([_partial(square, 5)])
            (worker,) = pool.workers
            process = worker.process
            os.kill(pid, signal.SIGTERM)
            process.join(timeout=10)
            return ok, again, process.exitcode
        finally:
            signal.signal(signal.SIGTERM, previous)
            pool.close()

    ok, again, exitcode = asyncio.run(main())
    assert ok and again == [(True, 25)]  # the same worker served on after Ctrl-C
    assert exitcode == -signal.SIGTERM


def test_workers_run_nicer_than_the_crawl_process():
    async def main():
        pool = WorkerPool(1, preload=())
        try:
            return await pool.run([_partial(os.nice, 0)])
        finally:
            pool.close()

    [(ok, niceness)] = asyncio.run(main())
    assert ok and niceness == min(19, os.nice(0) + WORKER_NICENESS)
    assert os.nice(0) < niceness or os.nice(0) == 19  # the crawl itself is left as it was


def test_a_worker_holds_several_batches_and_a_death_fails_those_it_held():
    async def main():
        pool = WorkerPool(1, preload=())
        try:
            held = await asyncio.gather(
                *(pool.run([_partial(square, n)]) for n in range(5)))
            outcomes = await asyncio.gather(
                pool.run([_partial(square, 6)]), pool.run([die]), pool.run([_partial(square, 7)]),
                return_exceptions=True)
            after = await pool.run([_partial(square, 8)])
            return held, outcomes, after
        finally:
            pool.close()

    held, (first, died, behind), after = asyncio.run(main())
    assert held == [[(True, n * n)] for n in range(5)]  # answered in the order handed over
    assert first == [(True, 36)]
    assert isinstance(died, WorkerDied) and isinstance(behind, WorkerDied)
    assert after == [(True, 64)]  # a new worker took the dead one's place
