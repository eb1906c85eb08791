"""Run per-article and per-event work: in this process, in a pool on this machine's cores, or on a Dask cluster.

Every stage hands its work to `Workers.map` as one plain function applied to each
item, so the same function runs whichever way the work is spread, and the
briefing does not depend on it. Results come back in the order of the items.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

from .errors import ClusterError

Item = TypeVar("Item")
Common = TypeVar("Common")
Result = TypeVar("Result")

MAX_PROCESSES = 4  # beyond this, the fork and the results' transfer cost more than they save


class Workers:
    """Spread work over the cores of this machine, or over a Dask cluster when given its scheduler's address."""

    def __init__(self, scheduler: str | None = None, processes: int | None = None) -> None:
        self.scheduler = scheduler
        self.processes = processes if processes is not None else min(os.cpu_count() or 1, MAX_PROCESSES)

    def map(
        self,
        fn: Callable[[Item, Common], Result],
        items: Sequence[Item],
        common: Common,
        parallel: bool = True,
        done: Callable[[int], None] | None = None,
        meanwhile: Callable[[], None] | None = None,
    ) -> list[Result]:
        """Return [fn(item, common) for item in items], spread over the workers.

        `common` is what every call reads (large, the same for all): forked processes
        inherit it; a Dask cluster receives, with each batch of items, only the share of it
        those items read when `common` is `Divisible`, else all of it once per worker.
        With `parallel` false (a small run, where starting workers costs more than it
        saves) and no cluster, everything runs in this process. `done`, when given, is
        called in this process with the number of items finished, as they finish.
        `meanwhile`, when given, is work of this process's own that it does while a pool's
        workers run (before them otherwise), so that the workers do not inherit its result.
        """
        if (self.scheduler or not self._pooled(items, parallel)) and meanwhile is not None:
            meanwhile()
        if self.scheduler:
            return _on_cluster(self.scheduler, fn, items, common, done)
        if not self._pooled(items, parallel):
            results = []
            for item in items:
                results.append(fn(item, common))
                if done is not None:
                    done(len(results))
            return results
        global _TASK
        _TASK = _Task(fn, common)  # forked processes inherit it; only the items are pickled
        # the garbage collector of each process would otherwise walk (and, by touching,
        # copy) every object of the run it inherited, again and again: a sixth of the
        # comparison time at 10,000 articles
        gc.freeze()
        try:
            with sigint_deferred():
                pool = multiprocessing.get_context("fork").Pool(self.processes, initializer=_worker_started)
            with pool:
                chunk = max(1, len(items) // (self.processes * 8))
                if done is None:
                    running = pool.map_async(_run, items, chunksize=chunk)
                    if meanwhile is not None:
                        meanwhile()
                    results = running.get()
                else:
                    results = []
                    finished = pool.imap(_run, items, chunksize=chunk)
                    if meanwhile is not None:
                        meanwhile()
                    for result in finished:
                        results.append(result)
                        done(len(results))
                _close(pool)
                return results
        finally:
            gc.unfreeze()
            _TASK = None

    def start(
        self,
        fn: Callable[[Item, Common], Result],
        items: Sequence[Item],
        common: Common,
        parallel: bool = True,
    ) -> Pending[Result]:
        """Start map(fn, items, common, parallel) in a pool on this machine's cores and return at once.

        This process is free for other work meanwhile; the Pending's result() waits
        for the results. Leaving its `with` block without asking stops the pool. In
        this process or on a cluster, the work runs only when the result is asked for.
        """
        if self.scheduler or not self._pooled(items, parallel):
            return Pending(lambda: self.map(fn, items, common, parallel), lambda: None)
        global _TASK
        _TASK = _Task(fn, common)
        gc.freeze()  # as in map; unfrozen when the results are in
        try:
            with sigint_deferred():
                pool = multiprocessing.get_context("fork").Pool(self.processes, initializer=_worker_started)
        except BaseException:
            gc.unfreeze()
            raise
        finally:
            _TASK = None  # the pool's processes have their copy
        running = pool.map_async(_run, items, chunksize=max(1, len(items) // (self.processes * 8)))

        def finish() -> list[Result]:
            try:
                results: list[Result] = running.get()
                _close(pool)
            finally:
                stop()
            return results

        def stop() -> None:
            pool.terminate()
            pool.join()
            gc.unfreeze()

        return Pending(finish, stop)

    def _pooled(self, items: Sequence[Any], parallel: bool) -> bool:
        """Tell whether a call over these items goes to a process pool."""
        return (
            parallel and self.processes >= 2 and len(items) >= 2 and "fork" in multiprocessing.get_all_start_methods()
        )


class Pending(Generic[Result]):
    """Results that workers are computing: result() waits for them, once."""

    def __init__(self, finish: Callable[[], list[Result]], stop: Callable[[], None]) -> None:
        self._finish, self._stop = finish, stop
        self._open = True

    def result(self) -> list[Result]:
        """Wait for the results and return them in the order of the items."""
        if not self._open:
            raise RuntimeError("the results were asked for already")
        self._open = False
        return self._finish()

    def __enter__(self) -> Pending[Result]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._open:  # left early (an error): nobody wants the results
            self._open = False
            self._stop()


@contextlib.contextmanager
def collect_rarely() -> Iterator[None]:
    """Let the garbage collector walk the whole heap rarely while a large run builds and writes its briefing.

    Articles, sentences and their details stay alive until the briefing is written;
    each full collection walked all of them again, 10 s of a 10,000-article run.
    Young objects are still collected; the thresholds are restored on leaving.
    """
    before = gc.get_threshold()
    gc.set_threshold(*RARE_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


# a worker makes many small objects (sentences, details, cached words), most of them kept:
# collecting every 700 new objects spent a tenth of extraction and a fifteenth of the comparison
RARE_GC_THRESHOLD = (50_000, 20, 100)


@contextlib.contextmanager
def sigint_deferred() -> Iterator[None]:
    """Hold back Ctrl-C while worker processes are forked; it is delivered here once they are made.

    The workers inherit SIGINT ignored: the terminal sends Ctrl-C to every process of the
    run, and only this one should answer it (by stopping the workers), never a worker with
    a traceback of its own.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers, and only it receives Ctrl-C
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def worker_signals() -> None:
    """Give a forked worker the signal handling of a worker, not of the command line it forked from.

    A worker is stopped by SIGTERM when its parent ends it: the default action ends it at once,
    where a handler inherited from the command line (SIGTERM -> SystemExit) could miss a signal
    that lands just before the worker blocks, and hang the run, or raise inside a finaliser and
    print "Exception ignored". Ctrl-C is the parent's to handle.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_started() -> None:
    worker_signals()  # also when the pool replaces a worker later
    gc.set_threshold(*RARE_GC_THRESHOLD)


def _close(pool: Any) -> None:
    """Let a pool's workers finish on their own once every result is in, rather than be killed."""
    pool.close()
    pool.join()


class _Task(Generic[Item, Common, Result]):
    def __init__(self, fn: Callable[[Item, Common], Result], common: Common) -> None:
        self.fn, self.common = fn, common


_TASK: _Task[Any, Any, Any] | None = None


def _run(item: Any) -> Any:
    assert _TASK is not None
    return _TASK.fn(item, _TASK.common)


@runtime_checkable
class Divisible(Protocol):
    """Run-wide data that can hand a cluster only the share a batch of items reads."""

    def part(self, items: Sequence[Any]) -> Any:
        """Return what calls over these items read: the same answers, less data."""
        ...

    def weight(self, item: Any) -> int:
        """Return how much of the run-wide data the call over this item reads (what a batch holds)."""
        ...


def _apply_batch(batch: tuple[Sequence[Item], Callable[[Item, Any], Result], Any], everywhere: Any) -> list[Result]:
    items, fn, share = batch
    common = share if share is not None else everywhere  # the batch's own share, or what every batch reads
    with collect_rarely():  # as in a pool's worker, for the length of the batch
        return [fn(item, common) for item in items]


def _on_cluster(
    address: str,
    fn: Callable[[Item, Common], Result],
    items: Sequence[Item],
    common: Common,
    done: Callable[[int], None] | None = None,
) -> list[Result]:
    """Run the calls on the Dask cluster whose scheduler listens at address, in batches.

    Each batch travels once, straight to one worker (scattered, not through the
    scheduler), with its share of `common` when `common` can give one (`Divisible`),
    so that no worker holds the whole run; otherwise `common` is sent once to each
    worker. At most a few batches per worker thread are out at a time and results are
    taken as they finish, so neither the cluster nor this process holds every item
    twice. Tasks are named after `fn`, so the cluster's task stream shows the stage.
    """
    # imported here: most runs never use a cluster and should not pay for loading Dask
    from distributed import Client, as_completed

    try:
        _check_reachable(address)
        client = Client(address, set_as_default=False, timeout=CONNECT_SECONDS)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        if not items:
            return []
        threads = max(1, sum(client.nthreads().values()))  # type: ignore[no-untyped-call]
        part: Callable[[list[Item]], Any] | None = None
        weights = [1] * len(items)
        if isinstance(common, Divisible):
            part, weights = common.part, [common.weight(item) for item in items]
        batches = batched(weights, max(1, min(BATCH_ITEMS, -(-len(items) // (threads * 4)))), BATCH_WEIGHT)
        everywhere = (
            client.scatter(common, broadcast=True)  # type: ignore[no-untyped-call]
            if common is not None and part is None
            else common
        )
        results: list[Result | None] = [None] * len(items)
        finished = 0
        where: dict[Any, range] = {}
        prefix = f"{getattr(fn, '__name__', 'task')}-{uuid.uuid4().hex[:8]}"

        def send(number: int) -> Any:
            rows = batches[number]
            chunk = [items[i] for i in rows]
            payload = (chunk, fn, part(chunk) if part else None)
            # scattered: a large argument inside a task would pass through the scheduler; the
            # data every batch reads goes as an argument of its own, which Dask resolves on the worker
            [data] = client.scatter([payload], hash=False)  # type: ignore[no-untyped-call]
            shared = None if part else everywhere
            future = client.submit(_apply_batch, data, shared, key=f"{prefix}-{number}", pure=False)
            where[future.key] = rows
            return future

        waiting = iter(range(len(batches)))
        first = [send(n) for n in itertools.islice(waiting, threads * IN_FLIGHT)]
        running = as_completed(first, loop=client.loop)  # type: ignore[no-untyped-call]
        for future in running:
            rows = where.pop(future.key)
            for i, result in zip(rows, future.result(), strict=True):
                results[i] = result
            finished += len(rows)
            future.release()
            if done is not None:
                done(finished)
            for number in itertools.islice(waiting, 1):
                running.add(send(number))  # type: ignore[no-untyped-call]
    return results  # type: ignore[return-value]


BATCH_ITEMS = 200  # items per task at most: a task costs the scheduler about a millisecond
# weight per task at most (for events, sentences): the largest events go first, and 200 of them
# held 1.4 GB in a worker at 100,000 articles
BATCH_WEIGHT = 20_000


def batched(weights: Sequence[int], most: int, heaviest: int) -> list[range]:
    """Cut items into consecutive batches of at most `most` items and about `heaviest` weight.

    A batch closes before an item that would take it past `heaviest`; an item heavier
    than that on its own is a batch of its own.
    """
    out: list[range] = []
    start, load = 0, 0
    for i, w in enumerate(weights):
        if i > start and (i - start >= most or load + w > heaviest):
            out.append(range(start, i))
            start, load = i, 0
        load += w
    if start < len(weights):
        out.append(range(start, len(weights)))
    return out


IN_FLIGHT = 2  # batches out per worker thread: one running, one on its way

CONNECT_SECONDS = 20


def _check_reachable(address: str) -> None:
    """Raise ValueError or OSError unless a scheduler could listen at address.

    Checked before Dask's Client is made, because a Client that fails to connect
    spends another 40 s closing itself when it is collected.
    """
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    scheme, location = parse_address(address)
    get_backend(scheme)  # an unknown scheme raises ValueError
    if scheme == "inproc":
        return  # a cluster inside this process (tests); nothing to dial
    host, port = parse_host_port(location)
    socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
