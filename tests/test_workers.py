"""The process pool: its workers end when asked to, and leave nothing running."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator

import pytest

from reporter.workers import Workers, batched


@pytest.fixture
def term_raises() -> Iterator[None]:
    """Install the command line's SIGTERM handler (SystemExit) in this process, as `reporter build` does."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _term_action(item: int, _: None) -> tuple[int, bool]:
    return os.getpid(), signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_pool_workers_end_on_sigterm_by_default(term_raises: None) -> None:
    # a handler raising SystemExit can miss a SIGTERM that lands just before the worker
    # blocks on its task queue; Pool.terminate() then waits for that worker for ever
    results = Workers(processes=2).map(_term_action, list(range(8)), None)
    assert all(default for _, default in results)
    assert {pid for pid, _ in results} - {os.getpid()}  # it did run in other processes
    assert multiprocessing.active_children() == []  # none left behind


def test_started_pool_workers_also_end_on_sigterm_by_default(term_raises: None) -> None:
    with Workers(processes=2).start(_term_action, list(range(8)), None) as pending:
        results = pending.result()
    assert all(default for _, default in results)
    assert multiprocessing.active_children() == []


def test_cluster_batches_are_cut_by_weight_as_well_as_count() -> None:
    # the largest events go out first: a batch of 200 of them would hold far more than the rest
    assert batched([5, 5, 5, 5, 5], most=2, heaviest=100) == [range(0, 2), range(2, 4), range(4, 5)]
    assert batched([60, 50, 10, 10, 200, 1], most=10, heaviest=100) == [
        range(0, 1),
        range(1, 4),
        range(4, 5),
        range(5, 6),
    ]
    assert batched([], most=3, heaviest=10) == []


def _pid(item: int, _: None) -> int:
    return os.getpid()


def test_work_of_this_process_runs_while_the_pool_works() -> None:
    # a pool's workers are forked before it: what it loads (the comparison's libraries) is not theirs
    done: list[int] = []
    before = len(multiprocessing.active_children())
    pids = Workers(processes=2).map(
        _pid, list(range(8)), None, meanwhile=lambda: done.append(len(multiprocessing.active_children()))
    )
    assert done and done[0] >= before + 2  # the workers were running when it ran
    assert os.getpid() not in pids
    ran: list[bool] = []
    assert Workers(processes=2).map(_pid, [1], None, meanwhile=lambda: ran.append(True)) == [os.getpid()]
    assert ran == [True]  # without a pool it runs too, before the items
