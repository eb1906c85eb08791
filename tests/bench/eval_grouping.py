"""Score the events of a briefing against gold events: B-cubed and adjusted Rand index.

Usage: python tests/bench/eval_grouping.py BRIEFING_JSON GOLD_JSON

Articles are matched to gold paths by path suffix, so a briefing built from
`../shared/bench/ecbplus-dev/articles` matches gold paths such as `articles/x.txt`.
Gold articles missing from the briefing count as singletons.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metrics import ari, bcubed, gold_events, match_paths, table


def scores(briefing_path: str | Path, gold_path: str | Path) -> tuple[list[tuple[str, float]], list[str]]:
    """Return the score rows and notes on articles that could not be matched."""
    briefing = json.loads(Path(briefing_path).read_text(encoding="utf-8"))
    gold = gold_events(gold_path)
    gold_paths = [p for paths in gold.values() for p in paths]
    matched = match_paths({a["id"]: a["path"] for a in briefing["articles"]}, gold_paths)
    path_of = {aid: gold_path for gold_path, aid in matched.items()}
    pred = [[path_of[a] for a in e["articles"] if a in path_of] for e in briefing["events"]]
    p, r, f1 = bcubed(pred, gold.values())
    rows = [
        ("B-cubed precision", p),
        ("B-cubed recall", r),
        ("B-cubed F1", f1),
        ("adjusted Rand index", ari(pred, gold.values())),
    ]
    notes = []
    if len(matched) < len(gold_paths):
        notes.append(f"{len(gold_paths) - len(matched)} of {len(gold_paths)} gold articles not found in the briefing")
    notes.append(f"{len(briefing['events'])} events predicted, {len(gold)} in gold")
    return rows, notes


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    rows, notes = scores(argv[1], argv[2])
    print(table(rows))
    for note in notes:
        print(f"({note})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
