"""Compare the whole seed run with a bare WeasyPrint render of the same HTML.

Usage: python tests/bench/bench_render.py [RUNS]

Runs, alternately, `reporter build` on seeds/ (all formats, as a process) and a bare
`weasyprint.HTML(filename=...).write_pdf(...)` of the HTML that build wrote, and prints
the medians and their ratio (the target is at most 1.2), then the same for CPU time.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"


def timed(cmd: list[str], cpu: list[float] | None = None) -> float:
    """Run a command and return its wall time in seconds; append its CPU seconds (its children too) to cpu."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build = [sys.executable, "-m", "reporter.cli", "build", "seeds", "--out", str(out), "--quiet"]
        bare = [sys.executable, "-c", BARE, str(out / "briefing.html"), str(out / "bare.pdf")]
        timed(build)  # warm the file cache and write the HTML the bare render reads
        whole: list[float] = []
        render: list[float] = []
        whole_cpu: list[float] = []
        render_cpu: list[float] = []
        for _ in range(runs):
            whole.append(timed(build, whole_cpu))
            render.append(timed(bare, render_cpu))
    w, r = statistics.median(whole), statistics.median(render)
    print(f"whole seed run (reporter build, all formats)  median {w:.2f} s  of {[round(x, 2) for x in whole]}")
    print(f"bare WeasyPrint render of the same HTML       median {r:.2f} s  of {[round(x, 2) for x in render]}")
    print(f"ratio {w / r:.2f} (target <= 1.2)")
    # a loaded machine stretches wall times unevenly; CPU time (both processes of the whole run) does not
    wc, rc = statistics.median(whole_cpu), statistics.median(render_cpu)
    print(f"CPU seconds: whole run median {wc:.2f}, bare render median {rc:.2f}, ratio {wc / rc:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
