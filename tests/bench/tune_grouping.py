"""Re-check the grouping threshold: B-cubed F1 and ARI on ECB+ over a range of thresholds.

Usage: python tests/bench/tune_grouping.py [BENCH_DIR] [--from 0.60 --to 0.84 --step 0.02]

BENCH_DIR (default ../shared/bench/ecbplus-dev, relative to the repository) holds
`articles/*.txt` and `gold.json`. Articles are built directly from the files (id =
file stem, no title, no date), so only the text decides.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from metrics import ari, bcubed, gold_events  # noqa: E402

from reporter import group  # noqa: E402
from reporter.model import Article  # noqa: E402


def load(bench: Path) -> tuple[list[Article], list[list[str]]]:
    """Read the benchmark articles and the gold events as lists of article ids."""
    articles = [
        Article(id=p.stem, path=str(p), format="txt", title=None, outlet=None, published=None, url=None,
                role="report", text=p.read_text(encoding="utf-8"))
        for p in sorted((bench / "articles").glob("*.txt"))
    ]  # fmt: skip
    gold = [[Path(p).stem for p in paths] for paths in gold_events(bench / "gold.json").values()]
    return articles, gold


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("bench", nargs="?", default=str(ROOT.parent / "shared/bench/ecbplus-dev"))
    parser.add_argument("--from", dest="lo", type=float, default=0.60)
    parser.add_argument("--to", dest="hi", type=float, default=0.84)
    parser.add_argument("--step", type=float, default=0.02)
    args = parser.parse_args(argv[1:])
    articles, gold = load(Path(args.bench))

    started = time.perf_counter()
    group.group_events(articles)
    default_seconds = time.perf_counter() - started

    print(f"{len(articles)} articles, {len(gold)} gold events; default threshold {group.GROUPING_CUT}")
    print(f"{'threshold':>9}  {'events':>6}  {'P':>5}  {'R':>5}  {'F1':>5}  {'ARI':>5}")
    for cut in np.arange(args.lo, args.hi + args.step / 2, args.step):
        events = group.group_events(articles, threshold=float(cut))
        pred = [list(e.articles) for e in events]
        p, r, f1 = bcubed(pred, gold)
        mark = "  <- default" if abs(cut - group.GROUPING_CUT) < args.step / 2 else ""
        print(f"{cut:9.3f}  {len(events):6d}  {p:.3f}  {r:.3f}  {f1:.3f}  {ari(pred, gold):.3f}{mark}")
    print(f"grouping {len(articles)} articles at the default threshold took {default_seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
