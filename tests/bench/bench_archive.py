"""Show the archive at work: a weekly run over a folder of past articles, with and without it.

Usage: python tests/bench/bench_archive.py [RUNS] [--ecb DIR]

Builds a desk folder from the ECB+ articles: its events in date order, one event
after another spread over past weeks (a `date YYYY-MM-DD` token on each article),
so that the last two weeks hold a few events each. Week 1 is built once with the
archive (cold: every file is parsed). Then week 2's articles are added and the
week-2 briefing (`--week`, all of the folder read, only that week compared) is
timed RUNS times from a cold archive and RUNS times from a warm one (the week-1
archive, copied back before each run), and the medians are printed.
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEEK_1 = date(2024, 11, 18)  # Monday of 2024-W47
EVENTS_PER_WEEK = 3


def build_desk(ecb: Path, desk: Path) -> tuple[list[Path], list[Path]]:
    """Write the desk's past and week-1 articles; return week 2's (written later) as (source, target)."""
    gold = json.loads((ecb / "gold.json").read_text(encoding="utf-8"))
    events = gold["events"]
    if desk.exists():
        shutil.rmtree(desk)
    desk.mkdir(parents=True)
    week2: list[Path] = []
    sources: list[Path] = []
    for n, event in enumerate(events):
        from_end = len(events) - n  # the last events fall in the last weeks
        if from_end <= EVENTS_PER_WEEK:
            day = WEEK_1 + timedelta(days=7 + n % 5)
        elif from_end <= 2 * EVENTS_PER_WEEK:
            day = WEEK_1 + timedelta(days=n % 5)
        else:
            day = WEEK_1 - timedelta(days=7 * (1 + from_end // EVENTS_PER_WEEK)) + timedelta(days=n % 5)
        for k, name in enumerate(event["articles"]):
            text = (ecb / name).read_text(encoding="utf-8")
            if k % 2:  # every other article as a saved web page, as analysts' folders hold them
                target = (desk / Path(name).name).with_suffix(".html")
                body = web_page(text, day)
            else:
                target = desk / Path(name).name
                body = f"date {day.isoformat()}\n\n{text}"
            if from_end <= EVENTS_PER_WEEK:
                week2.append(target)
                sources.append(Path(body))  # kept in memory until week 2
            else:
                target.write_text(body, encoding="utf-8")
    return week2, sources


def web_page(text: str, day: date) -> str:
    """Wrap an article's text in a news site's page: navigation, metadata, related links, footer."""
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    title = html.escape(text.split(".")[0][:90])
    links = "".join(f'<li><a href="/story/{n}">Related story number {n}</a></li>' for n in range(12))
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title} | The Daily Example</title>
<meta property="article:published_time" content="{day.isoformat()}T08:00:00Z">
<meta property="og:site_name" content="The Daily Example"></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Staff Reporter</p>{paragraphs}</article>
<aside><h2>Most read</h2><ul>{links}</ul></aside></main>
<footer><p>© The Daily Example. All rights reserved.</p><a href="/privacy">Privacy</a></footer></body></html>
"""


def timed(cmd: list[str], out: Path, stages: list[float] | None = None) -> float:
    """Run a build; return its wall time, and add its read + extract seconds to `stages`."""
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    if stages is not None:
        timings = json.loads((out / "briefing.json").read_text(encoding="utf-8"))["timings"]
        stages.append(timings["read"] + timings["extract"])
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=5)
    parser.add_argument("--ecb", type=Path, default=ROOT.parent / "shared" / "bench" / "ecbplus-dev")
    args = parser.parse_args()
    work = ROOT / "out" / "bench-archive"
    desk, out = work / "desk", work / "out"
    week2, bodies = build_desk(args.ecb, desk)
    if out.exists():
        shutil.rmtree(out)
    build = [
        sys.executable,
        "-m",
        "reporter.cli",
        "build",
        str(desk),
        "--out",
        str(out),
        "--format",
        "json,html",
        "--timings",
    ]
    files_1 = len(list(desk.iterdir()))
    week_1 = timed([*build, "--week", "2024-W47"], out)
    saved = work / "week1.sqlite"
    shutil.copy(out / "archive.sqlite", saved)
    for target, body in zip(week2, bodies, strict=True):
        target.write_text(str(body), encoding="utf-8")
    files_2 = len(list(desk.iterdir()))
    cold, warm, cold_read, warm_read = [], [], [], []
    for _ in range(args.runs):
        (out / "archive.sqlite").unlink()
        cold.append(timed([*build, "--week", "2024-W48"], out, cold_read))
        shutil.copy(saved, out / "archive.sqlite")
        warm.append(timed([*build, "--week", "2024-W48"], out, warm_read))
    report = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    changes = report["changes"] or {}
    c, w = statistics.median(cold), statistics.median(warm)
    print(f"week 1 (2024-W47): {files_1} files in the folder, cold archive: {week_1:.2f} s")
    print(f"week 2 (2024-W48): {files_2} files ({files_2 - files_1} new), {len(report['events'])} events compared")
    print(f"  cold archive (every file parsed):  median {c:.2f} s  " + " ".join(f"{t:.2f}" for t in cold))
    print(f"  warm archive (new files parsed):   median {w:.2f} s  " + " ".join(f"{t:.2f}" for t in warm))
    cr, wr = statistics.median(cold_read), statistics.median(warm_read)
    print(f"  read + extract stages: cold median {cr:.2f} s, warm median {wr:.2f} s ({cr / wr:.0f}x less)")
    print(f"  whole run speed-up {c / w:.2f}x; window left out {report['window']['outside']} reports")
    print(f"  changes: {sum(1 for s in changes.get('status', {}).values() if s == 'new')} new flags, "
          f"{changes.get('gone', 0)} of week 1 left with its articles")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
