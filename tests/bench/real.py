"""Measure the comparison on real news: planted recall and audited precision on ECB+ dev.

Usage:
  python tests/bench/real.py [--ecb ../shared/bench/ecbplus-dev] [--out out/bench-real] [--sample 60]

Two builds of `reporter build --format json`:

- **Audited precision.** The real articles as they are. Every conflict is keyed by what it joins
  (the two files' names, values and sentences), never by the code's ids, and looked up in
  `tests/bench/real/labels.json`, where readers recorded a verdict for each flag they checked
  against the two articles: `real` (the sources disagree), `update` (a figure changed between
  reports) or `false` with its cause. A seeded sample of the conflicts of each split (at least
  `--sample`, ordered by a hash of the key so that flags that survive a change keep their place)
  and the 20 conflicts with the highest score are scored; those without a verdict are written to
  `OUT/unjudged.json` for the next audit.
- **Planted recall.** A copy of the corpus in which one value that two reports of one gold event
  state in nearly the same sentence is changed in one of them (a figure, a year, a month-day
  date or a person's surname), each article touched by at most one plant. A plant is found when
  a conflict joins the two articles and its side in the changed article holds the new value.

Topics 30-35 of ECB+ dev are held out: they are never used for tuning and reported apart.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ECB = ROOT.parent / "shared" / "bench" / "ecbplus-dev"
LABELS = ROOT / "tests" / "bench" / "real" / "labels.json"
SEED = 20261202
HELD_OUT = frozenset(range(30, 36))  # ECB+ dev topics kept out of tuning
SAME_WORDS = 0.4  # word overlap of two sentences that state a value "in the same words"
MIN_WORDS = 8  # shorter lines are headlines, datelines and stamps, not statements of the event
TOP = 20
TRUE_VERDICTS = ("real", "update")

WORD = re.compile(r"[^\W_]+")
NUMBER = re.compile(r"(?<![\w.,:/$£€-])(?<!\d )(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w:/]|[.,]\d| \d)")
YEAR = re.compile(r"(?:1[89]|20)\d\d")
MONTHS = "January February March April May June July August September October November December".split()
MONTH_DAY = re.compile(rf"\b({'|'.join(MONTHS)}) (\d{{1,2}})\b(?!,? \d{{1,2}}\b|:)")
PERSON = re.compile(r"(?<=[a-z,] )([A-Z][a-z]{2,}) ([A-Z][a-z]{3,})\b(?! [A-Z])")
STAMP = re.compile(r"(?i)\b(?:posted|updated|published)\b.*\d")  # a posting or update stamp, not a statement
# two bounds of one direction cannot contradict ("more than 400" and "more than 600" both hold of 700)
BOUND = re.compile(r"(?i)\b(?:more than|at least|up to|over|under|less than|fewer than|at most) $")
PHONE = re.compile(r"\d{3,4}-\d{3}-\d{4}|(?<![\d-])\d{3}-\d{4}(?![\d-])")  # "0845-125-2222", "call 745-4811"
# a clock time is a kind of its own, not a figure: "around 10 a.m.", "1353 (1023 GMT)", "4:30 a.m. (11.30 p.m. ET)"
HHMM = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")  # "struck at 1353": a 24-hour clock
CLOCK_AFTER = re.compile(r"\s*(?:[ap]\.?m\b|GMT\b|UTC\b|[ECMP][SD]?T\b|local time\b|hours? local\b)", re.I)
CONNECTORS = frozenset({"of", "and", "the", "for", "de"})
NOT_NAME = frozenset(MONTHS) | {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def topic(event_id: str) -> int:
    return int(event_id.split("_")[0])


@dataclass
class Corpus:
    """The ECB+ dev articles by file name, with their gold event and split."""

    texts: dict[str, str]
    event_of: dict[str, str]
    events: dict[str, list[str]] = field(default_factory=dict)

    def split(self, name: str) -> str:
        event = self.event_of.get(name)
        return "held-out" if event is not None and topic(event) in HELD_OUT else "tuning"


def load(ecb: Path) -> Corpus:
    gold = json.loads((ecb / "gold.json").read_text())
    event_of = {Path(p).name: e["id"] for e in gold["events"] for p in e["articles"]}
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted((ecb / "articles").glob("*.txt"))}
    corpus = Corpus(texts, event_of)
    for name, event in sorted(event_of.items()):
        corpus.events.setdefault(event, []).append(name)
    return corpus


# ---- planted recall ----


def words(line: str) -> set[str]:
    return {w.lower() for w in WORD.findall(line)}


def overlap(a: str, b: str) -> float:
    wa, wb = words(a), words(b)
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def numbered_name(line: str, start: int, end: int) -> bool:
    """Tell whether a number is part of a name ("Interstate 75", "Explorer 11", "AK 47") or of a phone number."""
    before = line[:start].split()
    if before and before[-1][:1].isupper() and before[-1] not in MONTHS and len(before) > 1:
        return True
    return bool(PHONE.match(line, max(0, start - 8)) or PHONE.search(line[start : end + 12]))


def in_longer_name(line: str, start: int) -> bool:
    """Tell whether two capitalised words end a longer name ("New Orleans Saints", "University of South Alabama")."""
    before = line[:start].split()
    if before and before[-1][:1].isupper():
        return True
    return len(before) > 1 and before[-1] in CONNECTORS and before[-2][:1].isupper()


def candidates(line: str, article: str) -> list[tuple[int, int, str, str]]:
    """Return the values of a line that a plant may change: (start, end, text, kind).

    A person is a two-word name whose second word the article also uses alone, as reports
    name a person in full once and by surname after; organisations and places are not.
    """
    found: list[tuple[int, int, str, str]] = []
    if len(line.split()) < MIN_WORDS or STAMP.search(line):
        return found
    taken: list[tuple[int, int]] = []
    for m in MONTH_DAY.finditer(line):
        found.append((m.start(), m.end(), m.group(0), "date"))
        taken.append((m.start(), m.end()))
    for m in NUMBER.finditer(line):
        if any(s <= m.start(1) < e for s, e in taken) or BOUND.search(line, max(0, m.start(1) - 12), m.start(1)):
            continue
        digits = m.group(1).replace(",", "")
        if float(digits) < 2 or len(digits) > 9 or numbered_name(line, m.start(1), m.end(1)):
            continue
        if CLOCK_AFTER.match(line, m.end(1)) or (line[: m.start(1)].endswith("at ") and HHMM.fullmatch(digits)):
            continue
        found.append((m.start(1), m.end(1), m.group(1), "year" if YEAR.fullmatch(digits) else "number"))
    for m in PERSON.finditer(line):
        alone = re.search(rf"(?<!{m.group(1)} )\b{m.group(2)}\b", article)
        if m.group(1) not in NOT_NAME and m.group(2) not in NOT_NAME and alone and not in_longer_name(line, m.start()):
            found.append((m.start(2), m.end(2), m.group(0), "name"))
    return found


def changed(text: str, kind: str, rng: random.Random, surnames: list[str]) -> str:
    """Return a different value of the same kind, far enough off to be a real disagreement."""
    if kind == "date":
        month, day = text.split()
        shift = rng.choice((2, 3)) if int(day) <= 3 else rng.choice((-3, -2, 2, 3))
        return f"{month} {min(28, int(day) + shift) if int(day) + shift <= 28 else int(day) - 3}"
    if kind == "name":
        return rng.choice([s for s in surnames if s != text.split()[1]])
    digits = text.replace(",", "")
    if "." in digits:
        value = float(digits)
        step = 10 ** -len(digits.split(".")[1])
        new = round(value + rng.choice((-4, -3, 3, 4)) * max(step, round(value * 0.05 / step) * step), 6)
        return f"{new:.{len(digits.split('.')[1])}f}"
    number = int(digits)
    if kind == "year":
        return str(number + rng.choice((-3, -2, -1, 1, 2, 3)))
    if number < 10:
        out = number + rng.choice((2, 3))
    else:
        zeros = len(digits) - len(digits.rstrip("0"))
        step = 10 ** min(zeros, len(digits) - 1)
        out = max(step, round(number * rng.choice((0.6, 0.75, 1.3, 1.5)) / step) * step)
        out = out if out != number else number + step
    return f"{out:,}" if "," in text else str(out)


def plant(corpus: Corpus, rng: random.Random) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Plant changes across the events; return the changed texts and the plants."""
    texts = dict(corpus.texts)
    surnames = sorted(
        {text.split()[1] for t in texts.values() for line in t.splitlines() for *_, text, kind in candidates(line, t)
         if kind == "name"}
    )  # fmt: skip
    used: set[str] = set()
    plants: list[dict[str, Any]] = []
    for event, names in sorted(corpus.events.items()):
        lines = {n: texts[n].splitlines() for n in names}
        options = []
        for n in names:
            for row, line in enumerate(lines[n][1:], start=1):  # line 0 is the headline, kept as it is
                for start, end, text, kind in candidates(line, texts[n]):
                    pattern = re.compile(rf"(?<![\w.,]){re.escape(text)}(?![\w]|[.,]\d)")
                    for o in names:
                        if o == n:
                            continue
                        for other_line in lines[o][1:]:
                            if (
                                pattern.search(other_line)
                                and len(other_line.split()) >= MIN_WORDS
                                and overlap(line, other_line) >= SAME_WORDS
                            ):
                                options.append((n, row, start, end, text, kind, o, other_line))
        rng.shuffle(options)
        per_event = 0
        for n, row, start, end, text, kind, o, other_line in options:
            if n in used or o in used or per_event >= 6:
                continue
            new = changed(text, kind, rng, surnames)
            line = lines[n][row]
            new_line = line[:start] + new + line[end:]
            value = new
            lines[n][row] = new_line
            if kind == "name":
                # a report that names the wrong person names them so throughout
                surname = re.compile(rf"\b{re.escape(line[start:end])}\b")
                lines[n] = [surname.sub(new, x) for x in lines[n]]
            texts[n] = "\n".join(lines[n]) + "\n"
            used |= {n, o}
            per_event += 1
            plants.append(
                {
                    "event": event,
                    "article": n,
                    "other": o,
                    "kind": kind,
                    "original": text,
                    "value": value,
                    "sentence": new_line,
                    "other_sentence": other_line,
                }
            )
    return texts, plants


def plant_found(p: dict[str, Any], flags: list[dict[str, Any]], facts: list[dict[str, Any]], others: set[str]) -> bool:
    """Tell whether the briefing sets the planted value against the other report's.

    Either a conflict between the two articles, or one between the planted value and the
    original value in another report of the event, or a disputed fact that lists the planted
    article under the planted value and the other article under another value: a value
    several reports contradict is flagged once, against one of them, and the fact says
    who says what. `others` are the event's other reports.
    """
    for d in flags:
        for mine, theirs in ((d["a"], d["b"]), (d["b"], d["a"])):
            ours = mine["file"] == p["article"] and value_holds(p, mine["value"]) and theirs["file"] in others
            if ours and (theirs["file"] == p["other"] or value_holds(p, theirs["value"], p["original"])):
                return True
    for fact in facts:
        mine = [v for v in fact["values"] if p["article"] in v["files"] and value_holds(p, v["value"])]
        if mine and any(p["other"] in v["files"] for v in fact["values"] if v not in mine):
            return True
    return False


def value_holds(p: dict[str, Any], value: str, planted: str | None = None) -> bool:
    """Tell whether a flagged value holds the planted value (or the given one, e.g. the original)."""
    wanted = p["value"] if planted is None else planted
    if p["kind"] in ("number", "year"):
        return wanted.replace(",", "") in value.replace(",", "")
    if p["kind"] == "date":
        _month, day = wanted.split()
        return day in re.findall(r"\d+", value) or wanted in value
    return wanted.split()[-1] in value


# ---- audited precision ----


def flag_key(d: dict[str, Any]) -> str:
    """Key a flag by what it joins, so a verdict outlives the code's ids and the order of sides."""
    sides = sorted((s["file"], s["value"], s["sentence"]) for s in (d["a"], d["b"]))
    return hashlib.sha1(json.dumps(sides).encode()).hexdigest()[:16]


def conflict_facts(briefing: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the disputed facts of severity conflict, each value with the files that state it."""
    files = {a["id"]: Path(a["path"]).name for a in briefing["articles"]}
    return [
        {"values": [{"value": v["value"], "files": {files[a] for a in v["sources"]}} for v in f["values"]]}
        for f in briefing["facts"]
        if f["severity"] == "conflict"
    ]


def conflicts(briefing: dict[str, Any]) -> list[dict[str, Any]]:
    files = {a["id"]: Path(a["path"]).name for a in briefing["articles"]}
    out = []
    for d in briefing["discrepancies"]:
        if d["severity"] != "conflict":
            continue
        flag = {
            "kind": d["kind"],
            "score": d["score"],
            "note": d["note"],
            "a": {"file": files[d["a"]["article"]], "value": d["a"]["value"], "sentence": d["a"]["sentence"]},
            "b": {"file": files[d["b"]["article"]], "value": d["b"]["value"], "sentence": d["b"]["sentence"]},
        }
        flag["key"] = flag_key(flag)
        out.append(flag)
    return out


def sample_order(key: str) -> str:
    return hashlib.sha1(f"{SEED}:{key}".encode()).hexdigest()


def load_labels() -> dict[str, dict[str, Any]]:
    if not LABELS.exists():
        return {}
    return {item["key"]: item for item in json.loads(LABELS.read_text())["labels"]}


@dataclass
class Row:
    split: str
    conflicts: int = 0
    sample: list[dict[str, Any]] = field(default_factory=list)
    top: list[dict[str, Any]] = field(default_factory=list)
    planted: int = 0
    found: int = 0


def precision(flags: list[dict[str, Any]], labels: dict[str, dict[str, Any]]) -> tuple[int, int, str]:
    judged = [labels[f["key"]]["verdict"] for f in flags if f["key"] in labels]
    good = sum(v in TRUE_VERDICTS for v in judged)
    return good, len(judged), f"{good / len(judged):.2f}" if judged else "-"


def build(folder: Path, out: Path) -> dict[str, Any]:
    reporter = Path(sys.executable).with_name("reporter")
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(reporter), "build", str(folder), "--format", "json", "--out", str(out), "--quiet"], check=False)
    return json.loads((out / "briefing.json").read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecb", type=Path, default=ECB)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench-real")
    parser.add_argument("--sample", type=int, default=60)
    args = parser.parse_args(argv)
    corpus = load(args.ecb)
    labels = load_labels()

    # audited precision on the articles as they are
    flags = conflicts(build(args.ecb / "articles", args.out / "real"))
    rows = {s: Row(s) for s in ("tuning", "held-out")}
    for f in flags:
        rows[corpus.split(f["a"]["file"])].conflicts += 1
    for split, row in rows.items():
        mine = [f for f in flags if corpus.split(f["a"]["file"]) == split]
        row.sample = sorted(mine, key=lambda f: sample_order(f["key"]))[: args.sample]
        row.top = sorted(mine, key=lambda f: (-f["score"], f["key"]))[:TOP]

    # planted recall on a copy with planted changes
    texts, plants = plant(corpus, random.Random(SEED))
    planted_dir = args.out / "planted" / "articles"
    planted_dir.mkdir(parents=True, exist_ok=True)
    for old in planted_dir.glob("*.txt"):
        old.unlink()
    for name, text in texts.items():
        (planted_dir / name).write_text(text, encoding="utf-8")
    (args.out / "planted" / "plants.json").write_text(json.dumps(plants, indent=1, ensure_ascii=False))
    planted_briefing = build(planted_dir, args.out / "planted" / "out")
    planted_flags, planted_facts = conflicts(planted_briefing), conflict_facts(planted_briefing)
    missed = []
    by_kind: Counter[tuple[str, str, bool]] = Counter()
    for p in plants:
        row = rows[corpus.split(p["article"])]
        row.planted += 1
        hit = plant_found(p, planted_flags, planted_facts, set(corpus.events[p["event"]]) - {p["article"]})
        row.found += hit
        by_kind[(row.split, p["kind"], hit)] += 1
        if not hit:
            missed.append(p)
    (args.out / "missed.json").write_text(json.dumps(missed, indent=1, ensure_ascii=False))

    unjudged = {f["key"]: f for row in rows.values() for f in [*row.sample, *row.top] if f["key"] not in labels}
    for f in unjudged.values():
        f["split"] = corpus.split(f["a"]["file"])
    (args.out / "unjudged.json").write_text(json.dumps(list(unjudged.values()), indent=1, ensure_ascii=False))

    head = (
        f"{'split':9} {'conflicts':>9} {'sample':>6} {'judged':>6} {'precision':>9} {'top20':>5} {'top20 P':>7} "
        f"{'planted':>11} {'recall':>6}"
    )
    print(head)
    for row in rows.values():
        _good, judged, p = precision(row.sample, labels)
        _tgood, tjudged, tp = precision(row.top, labels)
        recall = f"{row.found / row.planted:.2f}" if row.planted else "-"
        print(
            f"{row.split:9} {row.conflicts:>9} {len(row.sample):>6} {judged:>6} {p:>9} {tjudged:>5} {tp:>7} "
            f"{row.found:>5}/{row.planted:<5} {recall:>6}"
        )
    kinds = sorted({k for _, k, _ in by_kind})
    print("planted found by kind: " + ", ".join(
        f"{k} {sum(by_kind[(s, k, True)] for s in rows)}/{sum(by_kind[(s, k, h)] for s in rows for h in (True, False))}"
        for k in kinds))  # fmt: skip
    causes = Counter(
        labels[f["key"]].get("cause", "?")
        for row in rows.values()
        for f in row.sample
        if f["key"] in labels and labels[f["key"]]["verdict"] == "false"
    )
    if causes:
        print("false flags in the samples by cause: " + ", ".join(f"{c} {n}" for c, n in causes.most_common()))
    print(f"{len(unjudged)} sampled or top flags without a verdict: {args.out / 'unjudged.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
