"""Build a generated corpus on a Dask LocalCluster and record each stage's time, the workers' rates and peak memory.

Usage: python tests/bench/cluster.py [--size 100000] [--workers 2] [--out out/bench-cluster] [--timeout 10800]

Generates the corpus with tests/bench/scale.py's generator (ECB+ copied into renamed, dated
universes) unless `--out` holds it already, starts a LocalCluster of `--workers` processes of one
thread each, runs `reporter build --scheduler ADDRESS --format json --timings --no-archive` on the
corpus as a process, and prints:

- the wall time of the run and of each stage (`timings` of briefing.json);
- per worker: articles extracted and events compared per second of task time (the
  scheduler's records, whose tasks are named after the stage) and per CPU second of the
  worker's tasks (a worker plugin: a loaded machine stretches wall time, not CPU time);
- the peak memory of the driver (reporter and the processes it forks), of the workers
  (each and together), of the scheduler (this process) and of all of them at one instant,
  sampled from /proc every half second as proportional set size, so that pages forked
  processes share count once.

The figures are saved beside the run as cluster.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shlex
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil
from distributed import Client, LocalCluster, WorkerPlugin

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # a sibling script, not a package

SAMPLE_SECONDS = 0.5
TIMELINE_EVERY = 2  # samples between two points of the saved timeline


@dataclass
class Peaks:
    """Highest resident memory seen, in MB."""

    driver: float = 0.0  # reporter and its children
    workers: float = 0.0  # all workers at one instant
    worker: float = 0.0  # the largest single worker
    scheduler: float = 0.0  # this process, which runs the scheduler
    total: float = 0.0  # everything at one instant
    samples: int = 0
    # seconds since the start, driver MB, workers MB, workers' CPU seconds so far
    timeline: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass
class Report:
    """One run on the cluster: outcome, times, rates and memory."""

    size: int
    workers: int
    status: str = ""
    wall: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    articles: int = 0
    events: int = 0
    compute: dict[str, float] = field(default_factory=dict)  # task prefix -> compute seconds, all workers
    rates: dict[str, float] = field(default_factory=dict)  # per worker: items per compute second
    stage_peaks: dict[str, float] = field(default_factory=dict)  # driver MB: the timeline's highest in each stage
    stage_cpu: dict[str, float] = field(default_factory=dict)  # all workers' CPU seconds in each stage
    task_cpu: dict[str, float] = field(default_factory=dict)  # task prefix -> CPU seconds, all workers
    cpu_rates: dict[str, float] = field(default_factory=dict)  # per worker: items per CPU second of its tasks
    peaks: Peaks = field(default_factory=Peaks)


def rss_mb(procs: list[psutil.Process]) -> float:
    """Return the memory these processes use together, in MB (those that ended count nothing).

    Each process counts its proportional set size: a page that forked processes share
    counts once in all, where their resident sizes would count it in each.
    """
    total = 0
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            total += proc.memory_full_info().pss
    return total / 2**20


def sample(driver: psutil.Process, workers: list[psutil.Process], peaks: Peaks, stop: threading.Event) -> None:
    """Record the peak memory of the driver's tree, of the workers and of this process until stopped."""
    me, started = psutil.Process(), time.perf_counter()
    while not stop.wait(SAMPLE_SECONDS):
        try:
            tree = [driver, *driver.children(recursive=True)]
        except psutil.Error:
            tree = []
        each = [rss_mb([w, *safe_children(w)]) for w in workers]
        cpu = cpu_seconds(workers)
        d, s = rss_mb(tree), rss_mb([me])
        peaks.driver, peaks.scheduler = max(peaks.driver, d), max(peaks.scheduler, s)
        peaks.worker, peaks.workers = max(peaks.worker, *each, 0.0), max(peaks.workers, sum(each))
        peaks.total = max(peaks.total, d + s + sum(each))
        peaks.samples += 1
        if peaks.samples % TIMELINE_EVERY == 1:
            peaks.timeline.append((round(time.perf_counter() - started, 1), round(d), round(sum(each)), round(cpu, 1)))


def cpu_seconds(procs: list[psutil.Process]) -> float:
    """Return the user and system CPU seconds these processes have used (those that ended count nothing)."""
    total = 0.0
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


def safe_children(proc: psutil.Process) -> list[psutil.Process]:
    """Return a process's descendants, none when it has ended."""
    try:
        return proc.children(recursive=True)
    except psutil.Error:
        return []


def count_events(briefing: Path) -> int:
    """Count the events of a briefing.json without parsing it (a large one would not fit): each has one `"why"` key."""
    count, tail = 0, b""
    with briefing.open("rb") as f:
        while chunk := f.read(1 << 24):
            data = tail + chunk
            count += data.count(KEY)
            tail = data[-len(KEY) + 1 :]  # a key cut in two by the chunk boundary is whole in the next
    return count


KEY = b'"why":'


ORDER = ("read", "group", "extract", "prepare", "compare")  # as the stages run on a cluster


def stage_bounds(stages: dict[str, float]) -> list[tuple[str, float, float]]:
    """Return each stage's start and end in seconds since the run started, the stages laid end to end in ORDER.

    On a cluster the stages run one after another, in ORDER (the extraction waits for
    the grouping: a cluster's work starts only when its results are asked for). Process
    start and imports come before `read`, so the bounds are early by a second or two.
    """
    bounds, at = [], 0.0
    for name in ORDER:
        seconds = stages.get(name, 0.0)
        bounds.append((name, at, at + seconds))
        at += seconds
    return bounds


def stage_cpu(stages: dict[str, float], timeline: list[tuple[float, float, float, float]]) -> dict[str, float]:
    """Return the workers' CPU seconds spent in each stage, read off the sampled timeline."""
    out: dict[str, float] = {}
    for name, lo, hi in stage_bounds(stages):
        inside = [cpu for t, _, _, cpu in timeline if lo <= t <= hi]
        before = [cpu for t, _, _, cpu in timeline if t < lo]
        if inside:
            out[name] = round(max(inside) - (before[-1] if before else 0.0), 1)
    return out


def stage_peaks(stages: dict[str, float], timeline: list[tuple[float, float, float, float]]) -> dict[str, float]:
    """Return the driver's highest sampled memory in each stage; "start" before `read`, "write" after `compare`."""
    bounds = stage_bounds(stages)
    end = bounds[-1][2]
    out: dict[str, float] = {}
    for t, driver, _, _ in timeline:
        name = next((n for n, lo, hi in bounds if lo <= t < hi), "write" if t >= end else "start")
        out[name] = max(out.get(name, 0.0), driver)
    return out


class TaskCpu(WorkerPlugin):  # type: ignore[misc]
    """A Dask worker plugin that adds up the CPU seconds of the worker's process while each kind of task runs.

    Dask's own task durations are wall time, which a loaded machine stretches; CPU
    time is what a dedicated core would spend. Workers run one task at a time here.
    """

    name = "task-cpu"

    def setup(self, worker: Any) -> None:
        """Start counting on this worker."""
        self.started: dict[str, float] = {}
        self.seconds: dict[str, float] = {}

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        """Note the CPU clock when a task starts executing; add the difference when it stops."""
        from dask.utils import key_split

        if finish == "executing":
            self.started[str(key)] = time.process_time()
        elif start == "executing" and str(key) in self.started:
            prefix = key_split(key)
            self.seconds[prefix] = self.seconds.get(prefix, 0.0) + time.process_time() - self.started.pop(str(key))


def task_cpu(dask_worker: Any) -> dict[str, float]:
    """Return a worker's CPU seconds by task prefix (run on each worker)."""
    plugin = dask_worker.plugins.get(TaskCpu.name)
    return dict(plugin.seconds) if plugin else {}


def run(args: argparse.Namespace) -> Report:
    """Generate the corpus if needed, start the cluster, build the corpus on it and measure."""

    corpus = args.out / f"n{args.size}"
    if not (corpus / "gold.json").exists():
        started = time.perf_counter()
        files = scale.write_corpus(scale.load_source(args.ecb), args.size, corpus)
        print(f"generated n{args.size}: {files} articles in {time.perf_counter() - started:.0f} s", flush=True)
    logs = args.out / "runs" / f"n{args.size}-w{args.workers}"
    logs.mkdir(parents=True, exist_ok=True)
    (logs / "briefing.json").unlink(missing_ok=True)
    report = Report(args.size, args.workers)
    # one thread per worker: the work is pure Python; no memory limit, so that the peaks are the work's own
    with LocalCluster(
        n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit=0
    ) as cluster:
        assert cluster.scheduler is not None
        client = Client(cluster)  # type: ignore[no-untyped-call]
        client.register_plugin(TaskCpu(), name=TaskCpu.name)  # type: ignore[no-untyped-call]
        pids = [w.process.pid for w in cluster.workers.values() if w.process and w.process.pid]  # type: ignore[union-attr]
        workers = [psutil.Process(pid) for pid in pids]
        command = [*args.reporter, "build", str(corpus / "articles"), "--format", "json", "--out", str(logs),
                   "--quiet", "--timings", "--no-archive", "--scheduler", cluster.scheduler_address]  # fmt: skip
        print("running: " + shlex.join(command), flush=True)
        started = time.perf_counter()
        with (logs / "stdout.log").open("wb") as out, (logs / "stderr.log").open("wb") as err:
            proc = psutil.Popen(command, stdout=out, stderr=err)
            stop = threading.Event()
            sampler = threading.Thread(target=sample, args=(proc, workers, report.peaks, stop), daemon=True)
            sampler.start()
            try:
                code = proc.wait(timeout=args.timeout)
                report.status = "ok" if code == 0 else f"exit {code}"
            except psutil.TimeoutExpired:
                proc.kill()
                proc.wait()
                report.status = "timeout"
            finally:
                stop.set()
                sampler.join()
        report.wall = time.perf_counter() - started
        for per_worker in client.run(task_cpu).values():  # type: ignore[no-untyped-call]
            for name, seconds in per_worker.items():
                report.task_cpu[name] = round(report.task_cpu.get(name, 0.0) + seconds, 2)
        client.close()  # type: ignore[no-untyped-call]
        for name, prefix in cluster.scheduler.task_prefixes.items():
            if seconds := float(prefix.all_durations.get("compute", 0.0)):  # not the scattered data's keys
                report.compute[name] = round(seconds, 2)
    if report.status == "ok":
        report.stages = scale.stage_times(logs / "briefing.json")
        report.articles = sum(1 for _ in (corpus / "articles").rglob("*.txt"))
        report.events = count_events(logs / "briefing.json")
        report.stage_peaks = stage_peaks(report.stages, report.peaks.timeline)
        report.stage_cpu = stage_cpu(report.stages, report.peaks.timeline)
        for name, items in (("sentences_of", report.articles), ("compare_event", report.events)):
            if report.compute.get(name):
                report.rates[name] = round(items / report.compute[name], 1)
            if report.task_cpu.get(name):
                report.cpu_rates[name] = round(items / report.task_cpu[name], 1)
    (logs / "cluster.json").write_text(json.dumps(asdict(report), indent=1) + "\n", encoding="utf-8")
    return report


def show(report: Report) -> str:
    """Format a report as a few lines of text."""
    p = report.peaks
    lines = [
        f"n{report.size} on {report.workers} workers: {report.status} in {report.wall:.1f} s "
        f"({report.articles} articles, {report.events} events)",
        "stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in report.stages.items()),
        "worker compute (s, all workers): " + ", ".join(f"{k} {v:.1f}" for k, v in report.compute.items()),
        f"per worker, by task time: extraction {report.rates.get('sentences_of', 0):.1f} articles/s, "
        f"comparison {report.rates.get('compare_event', 0):.1f} events/s",
        f"peak MB: driver {p.driver:.0f}, workers {p.workers:.0f} (largest {p.worker:.0f}), "
        f"scheduler {p.scheduler:.0f}, all at once {p.total:.0f} ({p.samples} samples)",
        "workers' CPU s by stage: " + ", ".join(f"{k} {v:.1f}" for k, v in report.stage_cpu.items()),
        "tasks' CPU (s, all workers): " + ", ".join(f"{k} {v:.1f}" for k, v in report.task_cpu.items()),
        f"per worker, by CPU time: extraction {report.cpu_rates.get('sentences_of', 0):.1f} articles/s, "
        f"comparison {report.cpu_rates.get('compare_event', 0):.1f} events/s",
        "driver peak MB by stage: " + ", ".join(f"{k} {v:.0f}" for k, v in report.stage_peaks.items()),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="articles (default 100000)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes, one thread each (default 2)")
    parser.add_argument("--out", type=Path, default=scale.ROOT / "out" / "bench-cluster", help="corpora and runs")
    parser.add_argument("--ecb", type=Path, default=scale.ECB, help="ECB+ folder with articles/ and gold.json")
    parser.add_argument("--timeout", type=float, default=3 * 3600, help="seconds allowed (default 10800)")
    venv = scale.ROOT / ".venv" / "bin" / "reporter"
    default = [str(venv)] if venv.exists() else [sys.executable, "-m", "reporter.cli"]
    parser.add_argument("--reporter", type=shlex.split, default=default, help="command that runs reporter")
    args = parser.parse_args(argv)
    report = run(args)
    print(show(report))
    return 0 if report.status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
