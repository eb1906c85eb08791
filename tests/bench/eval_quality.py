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
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from metrics import bcubed  # noqa: E402

from reporter.model import Briefing  # noqa: E402
from reporter.pipeline import BuildOptions, build_briefing  # noqa: E402

KINDS = ("number", "year", "date", "name", "quote", "reference")


def fold(value: str) -> str:
    """Fold case and punctuation, as the matching rule says."""
    return re.sub(r"[\W_]+", " ", value.lower()).strip()


def _key(path: str, value: str) -> tuple[str, str]:
    return path, fold(value)


def _pair(a: tuple[str, str], b: tuple[str, str]) -> frozenset[tuple[str, str]]:
    return frozenset((a, b))


def reported(briefing: Briefing, root: str) -> list[tuple[str, frozenset[tuple[str, str]]]]:
    """Return (kind, {(path, value), (path, value)}) for each reported conflict."""
    paths = {a.id: a.path.removeprefix(root) for a in briefing.articles}
    out = []
    for d in briefing.discrepancies:
        if d.severity == "conflict":
            out.append((d.kind, _pair(_key(paths[d.a.article], d.a.value), _key(paths[d.b.article], d.b.value))))
    return out


def gold_pairs(entries: list[dict[str, Any]]) -> list[tuple[str, frozenset[tuple[str, str]]]]:
    return [
        (e["type"], _pair(_key(e["a"]["article"], e["a"]["value"]), _key(e["b"]["article"], e["b"]["value"])))
        for e in entries
    ]


def evaluate(corpus: Path) -> dict[str, Any]:
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    root = corpus.as_posix().rstrip("/") + "/"
    started = time.perf_counter()
    briefing = build_briefing(BuildOptions(sources=[str(corpus / "articles")]), warn=lambda _: None)
    seconds = time.perf_counter() - started
    found = reported(briefing, root)
    found_pairs = {p for _, p in found}
    conflicts = gold_pairs(gold["discrepancies"])
    gold_set = {p for _, p in conflicts}
    rows: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        gk = [p for k, p in conflicts if k == kind]
        hits = sum(1 for p in gk if p in found_pairs)
        rk = [p for k, p in found if k == kind]
        tp_reported = sum(1 for p in rk if p in gold_set)
        rows[kind] = {
            "gold": len(gk),
            "reported": len(rk),
            "recall": hits / len(gk) if gk else float("nan"),
            "precision": tp_reported / len(rk) if rk else float("nan"),
        }
    all_hits = sum(1 for p in gold_set if p in found_pairs)
    all_tp = sum(1 for p in found_pairs if p in gold_set)
    overall = {
        "gold": len(gold_set),
        "reported": len(found_pairs),
        "recall": all_hits / len(gold_set) if gold_set else float("nan"),
        "precision": all_tp / len(found_pairs) if found_pairs else float("nan"),
    }
    wrong = {}
    for name in ("non_discrepancies", "variants"):
        entries = {p for _, p in gold_pairs(gold.get(name, []))}
        wrong[name] = (sum(1 for p in entries if p in found_pairs), len(entries))
    paths = {a.id: a.path.removeprefix(root) for a in briefing.articles}
    pred_clusters = [[paths[i] for i in e.articles] for e in briefing.events]
    gold_clusters = [e["articles"] for e in gold["events"]]
    p, r, f1 = bcubed(pred_clusters, gold_clusters)
    false_flags = [p for p in found_pairs if p not in gold_set]
    return {"rows": rows, "overall": overall, "wrong": wrong, "bcubed": (p, r, f1), "seconds": seconds,
            "false": sorted(sorted(x) for x in false_flags), "missed": sorted(sorted(x) for x in gold_set - found_pairs),
            "kinds": Counter(k for k, _ in found)}  # fmt: skip


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else Path("tests/bench/quality")
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
        for pair in res["false"]:
            print("FALSE", pair)
        for pair in res["missed"]:
            print("MISSED", pair)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
