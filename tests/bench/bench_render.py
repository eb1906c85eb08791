"""Compare the whole seed run with a bare WeasyPrint render of the same HTML.

Usage: python tests/bench/bench_render.py [RUNS]

Runs, alternately, `reporter build` on seeds/ (all formats, as a process) and a bare
`weasyprint.HTML(filename=...).write_pdf(...)` of the HTML that build wrote, and prints
the medians and their ratio (the target is at most 1.5).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"


def timed(cmd: list[str]) -> float:
    """Run a command and return its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build = [sys.executable, "-m", "reporter.cli", "build", "seeds", "--out", str(out), "--quiet"]
        bare = [sys.executable, "-c", BARE, str(out / "briefing.html"), str(out / "bare.pdf")]
        timed(build)  # warm the file cache and write the HTML the bare render reads
        whole, render = [], []
        for _ in range(runs):
            whole.append(timed(build))
            render.append(timed(bare))
    w, r = statistics.median(whole), statistics.median(render)
    print(f"whole seed run (reporter build, all formats)  median {w:.2f} s  of {[round(x, 2) for x in whole]}")
    print(f"bare WeasyPrint render of the same HTML       median {r:.2f} s  of {[round(x, 2) for x in render]}")
    print(f"ratio {w / r:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
