"""Time `reporter build` on growing corpora made from the ECB+ articles, and score what it finds.

Usage:
  python tests/bench/scale.py generate --sizes 100,1000,10000,50000 --out out/bench-scale [--variants dated,undated]
  python tests/bench/scale.py run --sizes 100,1000,10000 --out out/bench-scale [--repeat 3] [--timeout 900]

`generate` copies ECB+ into universes: universe 0 as it is, universe k with every name word
(capitalised inside sentences more often than not; months and weekdays aside) replaced by a
seeded pseudo-word and every year shifted by k, so its copies are new events. Articles get a
`date YYYY-MM-DD` token (an event's within four days; five months more per universe). One
event in five has a number or year that two of its articles state changed in one of them;
gold.json lists events[].articles and these `planted` changes. Size N takes the first N
articles of universes 0, 1, 2, … in gold order, cut at whole events where possible. The
undated variant (folder `nN-undated`) is the same corpus without the date lines, so no date
blocking helps the grouping: every article may belong with every other.

`run` times `reporter build --format json --quiet --timings` on each corpus and prints articles/s,
wall time, CPU time (workers included), peak memory, time ratio to the previous size, event
B-cubed F1, planted changes found (a number or year conflict with the planted value in that
article), how many of the previous size's planted changes this size finds (the smaller corpus is
the start of the larger one, so a change in recall from a different mix of cases shows apart from
one due to size) and any `timings` of the briefing.
Each variant (`--variants`, dated and undated by default) is run at each size.
With `--repeat N` every size is run N times, in rounds over the sizes so that a slow spell of the
machine does not fall on one size only; the table gives the median wall time and stage times, the
range of wall times and the highest peak memory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ECB = ROOT.parent / "shared" / "bench" / "ecbplus-dev"
SEED = 20241125
PLANT_EVERY = 5  # one event in five gets a planted change (the next one when it has no shared value)
MONTH_STEP = 5  # months each universe moves its events by
CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
WORD = re.compile(r"[^\W\d_]+")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+")
YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?![\w,])")
# a figure on its own: not "2 / 4 / 2016", "7, 000" or "$2. 6" (ECB+ text keeps its tokeniser's spaces)
NUMBER = re.compile(r"(?<![\w.,:/-])(?<!/ )(?<! [a-z]\. )(?<!\d[,.] )(\d{1,3}(?:,\d{3})+|\d+)(?![\w:/%-]|[.,] ?\d| /)")
BEFORE_DATE = re.compile(r"(?:" + "|".join(sorted(CALENDAR)) + r")\.?\s+(?:\d{1,2},?\s+)?$", re.I)
AFTER_TIME = re.compile(r"\s*(?:[ap]\.?m\b|o['’]clock|(?:" + "|".join(sorted(CALENDAR)) + r")\b)", re.I)
VOWELS, CONSONANTS = "aeiou", "bcdfghjklmnprstvz"


@dataclass(frozen=True, eq=False)  # hashed by identity, for the caches
class Source:
    """The ECB+ articles, their gold events and what the generator learns from them."""

    texts: dict[str, str]  # file name -> text
    events: list[tuple[str, list[str]]]  # gold event id -> file names, in gold order
    names: tuple[str, ...]  # lower-cased name words, sorted
    vocab: frozenset[str]  # every lower-cased word, which a pseudo-word must not be
    dates: dict[str, date]  # gold event id -> its date in universe 0


@dataclass
class Universe:
    """One copy of the corpus: texts by gold path, events and planted changes."""

    texts: dict[str, str] = field(default_factory=dict)
    events: list[tuple[str, list[str]]] = field(default_factory=list)
    planted: list[dict[str, str]] = field(default_factory=list)


def load_source(ecb: Path) -> Source:
    """Read the ECB+ articles and gold events, and learn the name words and event dates."""
    gold = read_json(ecb / "gold.json")
    events = [(str(e["id"]), [Path(p).name for p in e["articles"]]) for e in gold["events"]]
    texts = {name: (ecb / "articles" / name).read_text(encoding="utf-8") for _, names in events for name in names}
    names, vocab = name_words(texts.values())
    return Source(texts, events, names, vocab, event_dates(texts, events))


def sentence_words(text: str) -> Iterator[list[str]]:
    """Yield the words of each sentence of a one-sentence-per-line text, headlines left out."""
    for line in text.splitlines():
        words = WORD.findall(line)
        if sum(w[0].isupper() for w in words) < 0.6 * len(words):  # title case says nothing
            yield from (WORD.findall(sentence) for sentence in SENTENCE_END.split(line))


def name_words(texts: Iterable[str]) -> tuple[tuple[str, ...], frozenset[str]]:
    """Return the words the corpus capitalises mid-sentence more often than not, and all words."""
    inside: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for text in texts:
        for words in sentence_words(text):
            lower.update(w for w in words if w.islower())
            inside.update(w.lower() for w in words[1:] if w[0].isupper())
    names = sorted(w for w, n in inside.items() if n > lower[w] and len(w) > 1 and w not in CALENDAR)
    return tuple(names), frozenset(lower) | frozenset(inside)


def event_dates(texts: dict[str, str], events: list[tuple[str, list[str]]]) -> dict[str, date]:
    """Date each gold event in the year its text implies; the two events of a topic months or years apart."""
    out: dict[str, date] = {}
    for event_id, names in events:
        years = Counter(y for n in names for y in {int(m) for m in YEAR.findall(texts[n])} if y <= 2014)
        rng = random.Random(f"{SEED}:date:{event_id}")
        # the latest year a quarter of the articles name is the news; older ones are background
        recent = [y for y, n in years.items() if n >= max(2, len(names) // 4)]
        year = max(recent, default=0)
        year = year if year >= 2000 else 2012 if event_id.endswith("plus") else 2008
        out[event_id] = date(year, rng.randint(1, 12), rng.randint(1, 24))
    for event_id, day in list(out.items()):
        twin = event_id.removesuffix("plus") if event_id.endswith("plus") else None
        if twin in out and abs((day - out[twin]).days) < 120:
            out[event_id] = out[twin].replace(month=(out[twin].month + 5) % 12 + 1)
    return out


def pseudo_word(word: str, universe: int, attempt: int) -> str:
    """Return a seeded pronounceable word with the same first letter and about the same length."""
    rng = random.Random(hashlib.sha256(f"{SEED}:{universe}:{word}:{attempt}".encode()).digest())
    length = max(2, len(word) + rng.choice((-1, 0, 0, 1)))
    letters = [word[0]]
    while len(letters) < length:
        vowel_next = letters[-1] not in VOWELS or (len(letters) > 1 and rng.random() < 0.15)
        letters.append(rng.choice(VOWELS if vowel_next else CONSONANTS))
    return "".join(letters)


def name_map(source: Source, universe: int) -> dict[str, str]:
    """Map each lower-cased name word to its pseudo-word in the universe, one to one."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for word in source.names:
        attempt = 0
        while (new := pseudo_word(word, universe, attempt)) in taken or new in source.vocab:
            attempt += 1
        taken.add(new)
        out[word] = new
    return out


def recase(new: str, old: str) -> str:
    """Give the new word the capitals of the old one (all capitals when the old one is)."""
    return (
        new.upper()
        if old.isupper()
        else "".join(c.upper() if i < len(old) and old[i].isupper() else c for i, c in enumerate(new))
    )


def rewrite(text: str, names: dict[str, str], offset: int) -> str:
    """Rename the name words and shift the years of a text."""
    if offset == 0:
        return text
    text = WORD.sub(
        lambda m: recase(names[w], m[0]) if m[0][0].isupper() and (w := m[0].lower()) in names else m[0], text
    )
    return YEAR.sub(lambda m: str(int(m[0]) + offset), text)


@cache
def build_universe(source: Source, universe: int) -> Universe:
    """Copy the corpus into universe k: renamed, dated, with planted changes."""
    out, due = Universe(), False
    names = name_map(source, universe) if universe else {}
    for event_id, files in source.events:
        rng = random.Random(f"{SEED}:{universe}:{event_id}")
        base = source.dates[event_id]  # same year, moved by MONTH_STEP months per universe
        start = base.replace(month=(base.month - 1 + MONTH_STEP * universe) % 12 + 1)
        paths = [f"articles/u{universe:03d}/{name}" for name in files]
        for path, name in zip(paths, files, strict=True):
            day = start + timedelta(days=rng.randint(0, 3))
            out.texts[path] = f"date {day.isoformat()}\n" + rewrite(source.texts[name], names, universe)
        out.events.append((f"u{universe:03d}/{event_id}", paths))
        due = due or (len(paths) > 1 and len(out.events) % PLANT_EVERY == universe % PLANT_EVERY)
        if due and len(paths) > 1 and (change := plant(out.texts, paths, rng)):
            out.planted.append({"event": out.events[-1][0], **change})
            due = False
    return out


def values(line: str) -> Iterator[tuple[re.Match[str], str]]:
    """Yield the numbers and years of a sentence that are not part of a date, with their kind."""
    for match in NUMBER.finditer(line):
        digits = match[1].replace(",", "")
        in_date = BEFORE_DATE.search(line[: match.start()]) or AFTER_TIME.match(line, match.end())
        if int(digits) >= 2 and len(digits) < 10 and not in_date:
            yield match, "year" if YEAR.fullmatch(match[1]) else "number"


def changed(value: str, kind: str, rng: random.Random) -> str:
    """Return a different value of the same kind: a year 1-3 off, a count 25-50 % off."""
    number = int(value.replace(",", ""))
    if kind == "year":
        return str(number + rng.choice((-3, -2, -1, 1, 2, 3)))
    if number < 10:
        new = number + rng.choice((1, 2, 3))
    else:
        step = 10 ** (len(str(number)) - len(str(number).rstrip("0"))) if number % 10 == 0 else 1
        new = max(step, round(number * rng.choice((0.6, 0.75, 1.25, 1.5)) / step) * step)
        new = new if new != number else number + step
    return f"{new:,}" if "," in value else str(new)


def overlap(a: str, b: str) -> float:
    """Return the Jaccard overlap of the lower-cased words of two sentences."""
    wa, wb = {w.lower() for w in WORD.findall(a)}, {w.lower() for w in WORD.findall(b)}
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def plant(texts: dict[str, str], paths: list[str], rng: random.Random) -> dict[str, str] | None:
    """Change one value that two articles of an event state in one of them; return the record."""
    candidates = []
    lines = {p: texts[p].splitlines() for p in paths}
    for path in paths:
        for row, line in enumerate(lines[path][1:], start=1):
            for match, kind in values(line):
                pattern = re.compile(rf"(?<![\d,.]){re.escape(match[1])}(?![\d]|,\d)")
                others = [(overlap(line, o), p) for p in paths if p != path for o in lines[p][1:] if pattern.search(o)]
                if others:
                    score, other = max(others)
                    candidates.append((score, path, row, match, kind, other))
    if not candidates:
        return None
    close = [c for c in candidates if c[0] >= 0.25]
    _, path, row, match, kind, other = rng.choice(close) if close else max(candidates, key=lambda c: c[0])
    new = changed(match[1], kind, rng)
    line = lines[path][row]
    lines[path][row] = line[: match.start(1)] + new + line[match.end(1) :]
    texts[path] = "\n".join(lines[path]) + "\n"
    return {"article": path, "value": new, "original": match[1], "kind": kind, "sentence": lines[path][row],
            "other": other}  # fmt: skip


def select(source: Source, size: int) -> tuple[list[Universe], list[tuple[str, list[str]]]]:
    """Return the universes used and the first `size` articles as events, cut at whole events if possible."""
    chosen: list[tuple[str, list[str]]] = []
    used: list[Universe] = []
    left = size
    while left > 0:
        universe = build_universe(source, len(used))
        used.append(universe)
        too_big = []
        for event_id, paths in universe.events:
            if len(paths) <= left:
                chosen.append((event_id, paths))
                left -= len(paths)
            else:
                too_big.append((event_id, paths))
        if left and too_big:  # no whole event fits the remainder: take part of one
            chosen.append((too_big[0][0], too_big[0][1][:left]))
            left = 0
    return used, chosen


def disk_use(folder: Path) -> int:
    """Return the bytes a folder's files take on disk (allocated blocks, like du)."""
    return sum(os.stat(os.path.join(top, n)).st_blocks * 512 for top, _, names in os.walk(folder) for n in names)


def write_corpus(source: Source, size: int, folder: Path, dated: bool = True) -> int:
    """Write the corpus of `size` articles and its gold.json to a fresh folder; return the file count.

    Undated, each article is written without its first line, the `date` token.
    """
    if folder.exists():
        shutil.rmtree(folder)
    used, chosen = select(source, size)
    texts = {path: text for universe in used for path, text in universe.texts.items()}
    kept = {path for _, paths in chosen for path in paths}
    for path in sorted(kept):
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(texts[path] if dated else texts[path].split("\n", 1)[1], encoding="utf-8")
    planted = [p for u in used for p in u.planted if p["article"] in kept and p["other"] in kept]
    events = [{"id": event_id, "articles": paths} for event_id, paths in chosen]
    gold = {"source": "ECB+ (cltl), CC BY 3.0, scaled", "seed": SEED, "events": events, "planted": planted}
    (folder / "gold.json").write_text(json.dumps(gold, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(kept)


def generate(args: argparse.Namespace) -> None:
    """Write one corpus per size and print its file count, time taken and disk use."""
    started = time.perf_counter()
    source = load_source(args.ecb)
    print(f"read {len(source.texts)} articles, {len(source.names)} name words in {time.perf_counter() - started:.1f} s")
    for variant in args.variants:
        for size in args.sizes:
            started = time.perf_counter()
            folder = args.out / corpus_name(size, variant)
            files = write_corpus(source, size, folder, dated=variant == "dated")
            seconds, megabytes = time.perf_counter() - started, disk_use(folder) / 2**20
            print(f"{folder.name}: {files} articles in {seconds:.1f} s, {megabytes:.0f} MB on disk -> {folder}")


VARIANTS = ("dated", "undated")


def corpus_name(size: int, variant: str) -> str:
    """Return the folder name of a corpus: `n1000` dated, `n1000-undated` without dates."""
    return f"n{size}" if variant == "dated" else f"n{size}-{variant}"


@dataclass
class Result:
    """One size's run: status, time, memory and scores."""

    size: int
    variant: str  # dated or undated
    status: str  # ok, timeout, or exit N
    wall: float  # the median of the runs
    peak_mb: float  # the highest of the runs
    walls: list[float] = field(default_factory=list)  # every run's
    cpu: float = 0.0  # the median of the runs' CPU seconds, workers included
    f1: float | None = None
    events: int = 0
    gold_events: int = 0
    found: int = 0
    planted: int = 0
    caught: list[str] = field(default_factory=list)  # the planted changes found, as event:article:value
    missed: list[str] = field(default_factory=list)  # and those not found
    timings: dict[str, float] = field(default_factory=dict)


def measure(command: list[str], timeout: float, logs: Path) -> tuple[str, float, float, float]:
    """Run a command with its own rusage; return status, wall seconds, peak resident MB and CPU seconds.

    CPU seconds are user plus system time of the command and the workers it waited for.
    """
    env = dict(os.environ)
    with (logs / "stdout.log").open("wb") as out, (logs / "stderr.log").open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=env, start_new_session=True)
        while (waited := os.wait4(proc.pid, os.WNOHANG))[0] == 0 and time.perf_counter() - started < timeout:
            time.sleep(0.05)
        timed_out = waited[0] == 0
        if timed_out:  # the whole process group, in case reporter started helpers
            os.killpg(proc.pid, signal.SIGKILL)
            waited = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = code = os.waitstatus_to_exitcode(waited[1])
    status = "timeout" if timed_out else "ok" if code == 0 else f"exit {code}"
    usage = waited[2]
    return status, wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime  # ru_maxrss is in KiB on Linux


def score(result: Result, briefing: dict[str, Any], gold: dict[str, Any]) -> None:
    """Fill in event B-cubed F1 and the recall of planted changes from a briefing and its gold."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from metrics import bcubed, match_paths  # imported late: scikit-learn would swell the runs' ru_maxrss

    gold_paths = [p for e in gold["events"] for p in e["articles"]]
    id_of = match_paths({a["id"]: a["path"] for a in briefing["articles"]}, gold_paths)
    path_of = {aid: path for path, aid in id_of.items()}
    pred = [[path_of[a] for a in e["articles"] if a in path_of] for e in briefing["events"]]
    result.f1 = bcubed(pred, [e["articles"] for e in gold["events"]])[2]
    result.events, result.gold_events = len(briefing["events"]), len(gold["events"])
    conflicts = [
        d for d in briefing["discrepancies"] if d["severity"] == "conflict" and d["kind"] in ("number", "year")
    ]
    flagged = {(side["article"], number(side["value"])) for d in conflicts for side in (d["a"], d["b"])}
    for p in gold["planted"]:
        found = (id_of.get(p["article"]), number(p["value"])) in flagged
        (result.caught if found else result.missed).append(f"{p['event']}:{p['article']}:{p['value']}")
    result.planted, result.found = len(gold["planted"]), len(result.caught)


def same_cases(result: Result, previous: Result) -> str:
    """Return how many of the previous size's planted changes this size finds, out of how many.

    A smaller corpus is the start of a larger one, so its planted changes are planted
    in the larger one too: set against the previous row's count, this tells a drop due
    to size from a change in the mix of cases.
    """
    cases = {*previous.caught, *previous.missed}
    return f"{len(cases.intersection(result.caught))}/{len(cases)}"


def read_json(path: Path) -> Any:
    """Return the parsed content of a JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def number(value: str) -> str:
    """Return the first figure of a value without thousands separators ('1,500 people' -> '1500')."""
    match = re.search(r"\d[\d,]*(?:\.\d+)?", value)
    return match[0].replace(",", "") if match else value


def run_size(name: str, args: argparse.Namespace) -> Run:
    """Build one corpus with reporter, timing it."""
    corpus, logs = args.out / name, args.out / "runs" / name
    if not (corpus / "gold.json").exists():
        sys.exit(f"no corpus at {corpus}: run `generate` with the same --sizes and --variants first")
    logs.mkdir(parents=True, exist_ok=True)
    (logs / "briefing.json").unlink(missing_ok=True)
    # --no-archive: every run processes the whole corpus (an archive would make repeated runs warm)
    command = [*args.reporter, "build", str(corpus / "articles"), "--format", "json", "--out", str(logs), "--quiet",
               "--timings", "--no-archive"]  # fmt: skip
    status, wall, peak, cpu = measure(command, args.timeout, logs)
    return Run(status, wall, peak, cpu, stage_times(logs / "briefing.json") if status == "ok" else {})


@dataclass
class Run:
    """One run of reporter on one corpus."""

    status: str
    wall: float
    peak_mb: float
    cpu: float
    timings: dict[str, float]


def stage_times(briefing: Path) -> dict[str, float]:
    """Return the `timings` of a briefing.json, read from the end of the file where they stand.

    Parsing the whole briefing here would grow this process, and a child started
    after that inherits its peak memory in ru_maxrss, swelling the next run's figure.
    """
    with briefing.open("rb") as f:
        f.seek(max(0, briefing.stat().st_size - 16384))
        tail = f.read().decode("utf-8", errors="replace")
    match = re.search(r'"timings": (\{[^{}]*\})', tail)
    timings = json.loads(match[1]) if match else {}
    return {str(k): float(v) for k, v in timings.items()}


def summarise(size: int, variant: str, runs: list[Run]) -> Result:
    """Merge one size's runs: the median wall, CPU and stage times, the highest peak; a failed run fails the size."""
    failed = [r.status for r in runs if r.status != "ok"]
    walls = [r.wall for r in runs]
    status = failed[0] if failed else "ok"
    result = Result(size, variant, status, statistics.median(walls), max(r.peak_mb for r in runs), walls)
    result.cpu = statistics.median(r.cpu for r in runs)
    stages = dict.fromkeys(s for r in runs for s in r.timings)
    result.timings = {s: statistics.median(r.timings.get(s, 0.0) for r in runs) for s in stages}
    return result


def table(results: list[Result]) -> str:
    """Format the results as a fixed-width table, one row per size."""
    stages = list(dict.fromkeys(s for r in results for s in r.timings))
    head = ["corpus", "size", "art/s", "wall s", "range", "cpu s", "peak MB", "x prev", "F1", "events", "planted",
            "of prev", *stages]  # fmt: skip
    rows, previous = [head], None
    for r in results:
        previous = previous if previous and previous.variant == r.variant else None
        ok = r.status == "ok"
        ratio = f"{r.wall / previous.wall:.1f}" if ok and previous else "-"
        spread = f"{min(r.walls):.1f}-{max(r.walls):.1f}" if len(r.walls) > 1 else "-"
        rows.append([
            r.variant, str(r.size), f"{r.size / r.wall:.1f}" if ok else "-", f"{r.wall:.1f}" if ok else r.status,
            spread,
            f"{r.cpu:.0f}", f"{r.peak_mb:.0f}", ratio, f"{r.f1:.3f}" if r.f1 is not None else "-",
            f"{r.events}/{r.gold_events}" if ok else "-", f"{r.found}/{r.planted}" if ok else "-",
            same_cases(r, previous) if ok and previous else "-",
            *[f"{r.timings[s]:.1f}" if s in r.timings else "-" for s in stages],
        ])  # fmt: skip
        previous = r if ok else None
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows)


def run(args: argparse.Namespace) -> None:
    """Run every size in turn, then score them all, print the table and save the results as JSON.

    Scoring comes last so that this process stays small: a child's ru_maxrss counts
    the memory it had from its parent until it started reporter.
    """
    names = [(size, variant) for variant in args.variants for size in args.sizes]
    runs: dict[tuple[int, str], list[Run]] = {name: [] for name in names}
    for round_ in range(1, args.repeat + 1):
        for size, variant in names:
            runs[size, variant].append(outcome := run_size(corpus_name(size, variant), args))
            line = f"{corpus_name(size, variant)} run {round_}/{args.repeat}: {outcome.status} in {outcome.wall:.1f} s"
            print(line, file=sys.stderr, flush=True)
    results = [summarise(size, variant, runs[size, variant]) for size, variant in names]
    for r in results:
        if r.status == "ok":
            name = corpus_name(r.size, r.variant)
            score(
                r,
                read_json(args.out / "runs" / name / "briefing.json"),
                read_json(args.out / name / "gold.json"),
            )
    print(table(results))
    saved = json.dumps([r.__dict__ for r in results], indent=1)
    (args.out / "runs" / "results.json").write_text(saved + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run `generate` or `run`."""
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("command", choices=("generate", "run"))
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[100, 1000, 10000])
    parser.add_argument(
        "--variants",
        type=lambda s: [v for v in s.split(",") if v in VARIANTS or sys.exit(f"unknown variant {v!r}")],
        default=list(VARIANTS),
        help="dated, undated or both (default dated,undated)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench-scale", help="corpora and runs folder")
    parser.add_argument("--ecb", type=Path, default=ECB, help="ECB+ folder with articles/ and gold.json")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed per run (default 900)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the table gives medians (default 1)")
    venv = ROOT / ".venv" / "bin" / "reporter"
    default = [str(venv)] if venv.exists() else [sys.executable, "-m", "reporter.cli"]
    parser.add_argument("--reporter", type=shlex.split, default=default, help="command that runs reporter")
    args = parser.parse_args(argv)
    (generate if args.command == "generate" else run)(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
