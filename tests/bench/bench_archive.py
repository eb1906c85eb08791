"""Show the archive at work: a folder that grows between runs, and a weekly run over past articles.

Usage: python tests/bench/bench_archive.py [RUNS] [--ecb DIR] [--only growth|week]

Growth: the 772 ECB+ articles, no window, built cold (no archive) and then with the
archive; 10 articles are added (the first ten in gold order with their names and years
changed as in scale.py's universe 1: real text, new to the folder) and the rerun is timed
RUNS times, each from the 772-article archive copied back. It prints the medians, the
rerun's ratio to the cold first run (each cold run of the 772 is timed too), where the
rerun's time goes, and whether its briefing equals a cold run's over the 782 (flags,
facts, events... all but the time, the timings and the changes since the last briefing).

Week: builds a desk folder from the ECB+ articles: its events in date order, one event
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
import resource
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


def timed(cmd: list[str], out: Path, stages: list[float] | None = None, cpu: list[float] | None = None) -> float:
    """Run a build; return its wall time, add its read + extract seconds to `stages` and its CPU time to `cpu`.

    CPU time (the build's and its workers') shows apart what a loaded machine adds to the wall time.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if stages is not None:
        timings = json.loads((out / "briefing.json").read_text(encoding="utf-8"))["timings"]
        stages.append(timings["read"] + timings["extract"])
    return elapsed


GROWTH = 10  # articles added before the rerun


def command(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "reporter.cli", "build", str(folder), "--out", str(out), "--format", "json",
            "--timings", *extra]  # fmt: skip


def comparable(briefing: Path) -> dict[str, object]:
    """Return a briefing.json without what differs between equal runs: the time, timings, the changes."""
    data = json.loads(briefing.read_text(encoding="utf-8"))
    for volatile in ("generated", "timings", "changes"):
        data.pop(volatile, None)
    for flag in data["discrepancies"]:
        flag.pop("status", None)  # new / open: from the changes
    return data


def growth(args: argparse.Namespace, work: Path) -> None:
    """Time a rerun over the ECB+ folder grown by GROWTH articles against its cold first run."""
    sys.path.insert(0, str(Path(__file__).parent))
    import scale  # the same renaming as the scaled corpora

    source = scale.load_source(args.ecb)
    names = scale.name_map(source, 1)
    added = [name for _, files in source.events for name in files][:GROWTH]
    desk, out, cold_out = work / "grow", work / "grow-out", work / "grow-cold"
    for folder in (desk, out, cold_out):
        if folder.exists():
            shutil.rmtree(folder)
    desk.mkdir(parents=True)
    for name, text in source.texts.items():
        (desk / name).write_text(text, encoding="utf-8")
    first, reruns, stages, first_cpu, rerun_cpu = [], [], [], [], []
    saved = work / "grow-772.sqlite"
    for n in range(args.runs):
        for name in added:
            (desk / f"u001-{name}").unlink(missing_ok=True)
        (out / "archive.sqlite").unlink(missing_ok=True)
        first.append(timed(command(desk, out), out, cpu=first_cpu))
        if n == 0:
            shutil.copy(out / "archive.sqlite", saved)
        for name in added:
            (desk / f"u001-{name}").write_text(scale.rewrite(source.texts[name], names, 1), encoding="utf-8")
        shutil.copy(saved, out / "archive.sqlite")
        reruns.append(timed(command(desk, out), out, cpu=rerun_cpu))
        stages.append(json.loads((out / "briefing.json").read_text(encoding="utf-8"))["timings"])
    cold_grown = timed(command(desk, cold_out, "--no-archive"), cold_out)
    report = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    changes = report["changes"] or {}
    f, r = statistics.median(first), statistics.median(reruns)
    print(f"growth: {len(source.texts)} articles, then {GROWTH} added ({len(report['events'])} events)")
    print(f"  first run, cold:        median {f:.2f} s  " + " ".join(f"{t:.2f}" for t in first))
    print(f"  rerun with the archive: median {r:.2f} s  " + " ".join(f"{t:.2f}" for t in reruns))
    print(f"  rerun / first run: {r / f:.2f}x (a cold run over the grown folder: {cold_grown:.2f} s)")
    fc, rc = statistics.median(first_cpu), statistics.median(rerun_cpu)
    print(f"  CPU time, build and workers: first run median {fc:.2f} s, rerun {rc:.2f} s ({rc / fc:.2f}x)")
    keys = sorted({k for t in stages for k in t})
    print("  rerun stages (median s): " + ", ".join(f"{k} {statistics.median(t.get(k, 0.0) for t in stages):.2f}"
                                               for k in keys))  # fmt: skip
    grouping = changes.get("grouping", [])
    print(f"  changes: {len(grouping)} grouping changes "
          + "; ".join(f"{g['kind']} ({g['articles']} articles)" for g in grouping))  # fmt: skip
    same = comparable(out / "briefing.json") == comparable(cold_out / "briefing.json")
    print(f"  briefing equals a cold run's: {'yes' if same else 'NO'}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=5)
    parser.add_argument("--ecb", type=Path, default=ROOT.parent / "shared" / "bench" / "ecbplus-dev")
    parser.add_argument("--only", choices=("growth", "week"))
    args = parser.parse_args()
    work = ROOT / "out" / "bench-archive"
    work.mkdir(parents=True, exist_ok=True)
    if args.only != "week":
        growth(args, work)
    if args.only == "growth":
        return 0
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
