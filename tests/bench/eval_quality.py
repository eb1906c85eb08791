"""Measure conflict detection and event grouping against a labelled corpus.

Usage: python tests/bench/eval_quality.py [CORPUS_DIR]   (default: tests/bench/quality)

CORPUS_DIR holds `articles/` and `gold.json` (format in the README). A gold conflict is
found when a reported `conflict` joins the same two paths and both values match after
folding case and punctuation; a reported conflict that matches no gold conflict counts
against precision.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from metrics import bcubed

from reporter.model import Briefing
from reporter.pipeline import BuildOptions, build_briefing

KINDS = ("number", "year", "date", "name", "quote", "reference")


def fold(value: str) -> str:
    """Fold case and punctuation, as the matching rule says."""
    return re.sub(r"[\W_]+", " ", value.lower()).strip()


def values_match(a: str, b: str) -> bool:
    """Match two folded values: equal, or one stands whole-word inside the other.

    Labellers write "41 berths", "300,000 passengers a day" or "More than 3,000
    residents" where the tool reports the shortest span carrying the figure.
    """
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return bool(short) and f" {short} " in f" {long_} "


Flag = tuple[str, tuple[str, str], tuple[str, str]]  # kind, (path, value), (path, value)


def same_flag(x: Flag, y: Flag) -> bool:
    """Tell whether two flags join the same two paths with matching values, in either order."""
    (_, xa, xb), (_, ya, yb) = x, y
    for p, q in ((ya, yb), (yb, ya)):
        if xa[0] == p[0] and xb[0] == q[0] and values_match(xa[1], p[1]) and values_match(xb[1], q[1]):
            return True
    return False


def corpus_paths(briefing: Briefing, corpus: Path) -> dict[str, str]:
    """Map each article id to its path under the corpus, as gold.json names it, wherever the run started."""
    root = corpus.resolve()
    return {a.id: Path(a.path).resolve().relative_to(root).as_posix() for a in briefing.articles}


def reported(briefing: Briefing, corpus: Path) -> list[Flag]:
    """Return each reported conflict as (kind, (path, value), (path, value))."""
    paths = corpus_paths(briefing, corpus)
    return [
        (d.kind, (paths[d.a.article], fold(d.a.value)), (paths[d.b.article], fold(d.b.value)))
        for d in briefing.discrepancies
        if d.severity == "conflict"
    ]


def gold_flags(entries: list[dict[str, Any]]) -> list[Flag]:
    return [
        (e["type"], (e["a"]["article"], fold(e["a"]["value"])), (e["b"]["article"], fold(e["b"]["value"])))
        for e in entries
    ]


def _ratio(n: int, d: int) -> float:
    return n / d if d else float("nan")


def evaluate(corpus: Path) -> dict[str, Any]:
    """Build the corpus's briefing and score it against its gold file."""
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    briefing = build_briefing(BuildOptions(sources=[str(corpus / "articles")]), warn=lambda _: None)
    seconds = time.perf_counter() - started
    found = reported(briefing, corpus)
    conflicts = gold_flags(gold["discrepancies"])
    hit_gold = [g for g in conflicts if any(same_flag(g, f) for f in found)]
    true_found = [f for f in found if any(same_flag(f, g) for g in conflicts)]
    rows = {}
    for kind in KINDS:
        gk = [g for g in conflicts if g[0] == kind]
        fk = [f for f in found if f[0] == kind]
        rows[kind] = {
            "gold": len(gk),
            "reported": len(fk),
            "recall": _ratio(sum(1 for g in hit_gold if g[0] == kind), len(gk)),
            "precision": _ratio(sum(1 for f in true_found if f[0] == kind), len(fk)),
        }
    overall = {
        "gold": len(conflicts),
        "reported": len(found),
        "recall": _ratio(len(hit_gold), len(conflicts)),
        "precision": _ratio(len(true_found), len(found)),
    }
    wrong = {}
    for name in ("non_discrepancies", "variants"):
        entries = gold_flags(gold.get(name, []))
        wrong[name] = (sum(1 for e in entries if any(same_flag(e, f) for f in found)), len(entries))
    paths = corpus_paths(briefing, corpus)
    pred_clusters = [[paths[i] for i in e.articles] for e in briefing.events]
    gold_clusters = [e["articles"] for e in gold["events"]]
    return {
        "rows": rows,
        "overall": overall,
        "wrong": wrong,
        "bcubed": bcubed(pred_clusters, gold_clusters),
        "seconds": seconds,
        "false": [f for f in found if f not in true_found],
        "missed": [g for g in conflicts if g not in hit_gold],
    }


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("-")]
    corpus = Path(args[0]) if args else Path("tests/bench/quality")
    res = evaluate(corpus)
    print(f"{'kind':<10} {'gold':>5} {'found':>6} {'precision':>10} {'recall':>8}")
    for kind, row in res["rows"].items():
        print(f"{kind:<10} {row['gold']:>5} {row['reported']:>6} {row['precision']:>10.2f} {row['recall']:>8.2f}")
    o = res["overall"]
    print(f"{'overall':<10} {o['gold']:>5} {o['reported']:>6} {o['precision']:>10.2f} {o['recall']:>8.2f}")
    for name, (bad, total) in res["wrong"].items():
        share = bad / total if total else 0.0
        print(f"{name} flagged as conflicts: {bad}/{total} ({share:.1%})")
    p, r, f1 = res["bcubed"]
    print(f"event grouping B-cubed: precision {p:.3f} recall {r:.3f} F1 {f1:.3f}")
    print(f"build time: {res['seconds']:.2f} s")
    if "-v" in argv:
        for flag in res["false"]:
            print("FALSE ", *flag)
        for flag in res["missed"]:
            print("MISSED", *flag)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
