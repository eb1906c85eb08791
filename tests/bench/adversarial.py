"""Time `reporter build` on single articles of adversarial shapes, each near the 300,000-character limit.

Usage: python tests/bench/adversarial.py [--size N] [--timeout S] [--only NAME,...] [--list]

Each shape is one article made of one thing repeated (years, ISO dates, quotation marks,
digits, commas, capitalised words, weekdays, ...), the kind of text a scraper or an
attacker can hand the tool. Every shape is built as a process, as a user runs it, and
the seconds the stages took (briefing.json's timings: reading, cleaning, extraction,
grouping, comparison) are compared with the target: under 2 s per article. Process start
and imports (about a second) are shown apart. A shape that takes more than --timeout
seconds is stopped and counted as failed. Exits 1 when any shape misses the target.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SIZE = 290_000  # characters; ingest.MAX_TEXT_CHARS is 300,000
TARGET = 2.0  # seconds of stage time per article
LEAD = "Officials said the record reads "  # a sentence around the shape, so cleaning keeps it
END = " and nothing more.\n"


def _fill(unit: str, size: int) -> str:
    """Repeat `unit` to about `size` characters inside a sentence."""
    body = (unit * (size // max(1, len(unit)) + 1))[: size - len(LEAD) - len(END)]
    return LEAD + body + END


def _joined(make: Callable[[int], str], size: int, sep: str = " ") -> str:
    """Join make(0), make(1), ... with `sep` to about `size` characters inside a sentence."""
    parts: list[str] = []
    total, i = len(LEAD) + len(END), 0
    while total < size:
        part = make(i)
        parts.append(part)
        total += len(part) + len(sep)
        i += 1
    return LEAD + sep.join(parts)[: size - len(LEAD) - len(END)] + END


# name -> (file name, builder of about `size` characters of content)
SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "years": ("a.txt", lambda n: _joined(lambda i: str(1900 + i % 200), n)),
    "years-sentences": ("a.txt", lambda n: _joined(lambda i: f"In {1900 + i % 200} it rose.", n)),
    "iso-dates": ("a.txt", lambda n: _joined(lambda i: f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", n)),
    "month-days": ("a.txt", lambda n: _joined(lambda i: f"May {1 + i % 28}, 2024", n)),
    "day-months": ("a.txt", lambda n: _joined(lambda i: f"{1 + i % 28} May 2024", n)),
    "weekdays": ("a.txt", lambda n: _joined(lambda i: "on Monday", n)),
    "weekdays-bare": ("a.txt", lambda n: _fill("Monday", n)),
    "straight-quotes": ("a.txt", lambda n: _fill('"', n)),
    "curly-quotes-open": ("a.txt", lambda n: _fill("“", n)),
    "curly-quotes-close": ("a.txt", lambda n: _fill("”", n)),
    "single-quotes": ("a.txt", lambda n: _fill("'", n)),
    "quoted-words": ("a.txt", lambda n: _fill('"a b" ', n)),
    "quoted-single": ("a.txt", lambda n: _fill("‘a b’ ", n)),
    "quotes-said": ("a.txt", lambda n: _fill('"We will stay," said Ann Lee. ', n)),
    "quotes-he-said": ("a.txt", lambda n: _fill('Ann Lee spoke. "We will stay," he said ', n)),
    "quote-unclosed": ("a.txt", lambda n: _fill("“a b c d ", n)),
    "apostrophes": ("a.txt", lambda n: _fill("’", n)),
    "digits": ("a.txt", lambda n: _fill("1", n)),
    "numbers": ("a.txt", lambda n: _fill("7 ", n)),
    "thousands": ("a.txt", lambda n: "Officials said 1" + ",000" * ((n - 40) // 4) + " people fled.\n"),
    "commas": ("a.txt", lambda n: _fill(",", n)),
    "comma-words": ("a.txt", lambda n: _fill("a, ", n)),
    "decimals": ("a.txt", lambda n: _fill("1.", n)),
    "ranges": ("a.txt", lambda n: _fill("1-", n)),
    "ranges-to": ("a.txt", lambda n: _fill("1 to ", n)),
    "percents": ("a.txt", lambda n: _fill("5% ", n)),
    "scales": ("a.txt", lambda n: _fill("5 million ", n)),
    "hedged": ("a.txt", lambda n: _fill("about 5 ", n)),
    "clock": ("a.txt", lambda n: _fill("5 pm ", n)),
    "units": ("a.txt", lambda n: _fill("5 Big-red-metre ", n)),
    "number-words": ("a.txt", lambda n: _fill("two ", n)),
    "number-words-and": ("a.txt", lambda n: _fill("twenty-one and ", n)),
    "capitalised": ("a.txt", lambda n: _fill("Abc ", n)),
    "capitalised-of": ("a.txt", lambda n: _fill("Abc of ", n)),
    "titles": ("a.txt", lambda n: _fill("President Abc Def said ", n)),
    "hyphens": ("a.txt", lambda n: _fill("-", n)),
    "hyphen-words": ("a.txt", lambda n: _fill("a-", n)),
    "long-word": ("a.txt", lambda n: _fill("a", n)),
    "periods": ("a.txt", lambda n: _fill(". ", n)),
    "short-sentences": ("a.txt", lambda n: _fill("It fell 5. ", n)),
    "lines": ("a.txt", lambda n: _fill("a b c\n", n)),
    "paragraphs": ("a.txt", lambda n: _fill("It rose by 5 in 2020.\n\n", n)),
    "spaces": ("a.txt", lambda n: _fill("\u2003", n)),
    "markdown-brackets": ("a.md", lambda n: _fill("[", n)),
    "markdown-emphasis": ("a.md", lambda n: _fill("*a ", n)),
    "markdown-backticks": ("a.md", lambda n: _fill("`a ", n)),
    "html-paragraphs": (
        "a.html",
        lambda n: "<html><body>" + _fill("<p>It rose by 5 in 2020.</p>", n) + "</body></html>",
    ),
    "html-nested": ("a.html", lambda n: "<html><body>" + "<div>" * (n // 5) + "Text." + "</body></html>"),
    "json-text": ("a.json", lambda n: json.dumps({"text": _joined(lambda i: str(1900 + i % 200), n)})),
}


def run_shape(name: str, size: int, timeout: float) -> tuple[float | None, float, str]:
    """Build one shape's article; return stage seconds (None if stopped), wall seconds and the run's last line."""
    file_name, make = SHAPES[name]
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "src", Path(tmp) / "out"
        src.mkdir()
        (src / file_name).write_text(make(size), encoding="utf-8")
        cmd = [sys.executable, "-m", "reporter.cli", "build", str(src), "--out", str(out),
               "--format", "json", "--no-archive", "--timings"]  # fmt: skip
        started = time.perf_counter()
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, time.perf_counter() - started, f"stopped after {timeout:g} s"
        wall = time.perf_counter() - started
        lines = done.stderr.strip().splitlines() or ["(no output)"]
        if "Traceback" in done.stderr:
            return None, wall, "traceback: " + lines[-1]
        briefing = out / "briefing.json"
        if not briefing.is_file():
            return 0.0, wall, lines[-1]  # nothing readable: skipped with a reason, which is an answer too
        data = json.loads(briefing.read_text(encoding="utf-8"))
        stages = sum(data.get("timings", {}).values())
        found = f"{len(data['articles'])} article(s), {len(data['skipped'])} skipped"
        return stages, wall, found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--only", default="", help="comma-separated shape names")
    parser.add_argument("--list", action="store_true", help="list the shapes and exit")
    args = parser.parse_args(argv[1:])
    if args.list:
        print("\n".join(SHAPES))
        return 0
    names = [n for n in args.only.split(",") if n] or list(SHAPES)
    unknown = [n for n in names if n not in SHAPES]
    if unknown:
        parser.error(f"unknown shape(s): {', '.join(unknown)}")
    failed = []
    print(f"{'shape':<20} {'stages':>8} {'wall':>8}  result ({args.size:,} characters, target < {TARGET:g} s)")
    for name in names:
        stages, wall, what = run_shape(name, args.size, args.timeout)
        ok = stages is not None and stages < TARGET
        if not ok:
            failed.append(name)
        shown = f"{stages:7.2f}s" if stages is not None else "      --"
        print(f"{name:<20} {shown} {wall:7.2f}s  {'ok  ' if ok else 'SLOW'} {what}", flush=True)
    print(f"shapes: {len(names) - len(failed)} within the target, {len(failed)} slow or failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
