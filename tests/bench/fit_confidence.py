"""Refit the confidence of conflicts: a logistic regression on judged and planted real-news flags.

Usage: python tests/bench/fit_confidence.py [--ecb ../shared/bench/ecbplus-dev] [--write]

Examples come from ECB+ dev topics outside the held-out split only: each conflict the engine
raises on the real articles that readers judged (tests/bench/real/labels.json: `real` and
`update` are positives), and each planted disagreement it finds on the planted copy (positives).
The flags are built with calibration off, so the features see the engine's own scores. Prints
the weights and a reliability table (predicted against observed, in bins) for the tuning and the
held-out labels; `--write` stores the weights in reporter/confidence.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real

from reporter import confidence, pipeline
from reporter.model import Briefing, Discrepancy
from reporter.pipeline import BuildOptions, build_briefing

BINS = (0.0, 0.1, 0.2, 0.4, 0.6, 0.8, 1.01)
QUALITY = Path(__file__).resolve().parent / "quality"  # the labelled corpus fitted on; heldout never is


def flags(folder: Path) -> list[tuple[Discrepancy, dict[str, Any]]]:
    """Build a folder with calibration off; return each conflict with its benchmark record."""
    pipeline.calibrated = lambda d: d  # type: ignore[assignment]
    briefing: Briefing = build_briefing(BuildOptions(sources=[folder]), warn=lambda _: None)
    files = {a.id: Path(a.path).name for a in briefing.articles}
    out = []
    for d in briefing.discrepancies:
        if d.severity != "conflict" or d.kind not in confidence.KINDS:
            continue
        record = {
            "a": {"file": files[d.a.article], "value": d.a.value, "sentence": d.a.sentence},
            "b": {"file": files[d.b.article], "value": d.b.value, "sentence": d.b.sentence},
        }
        record["key"] = real.flag_key(record)
        out.append((d, record))
    return out


def quality_examples(corpus: Path) -> list[tuple[list[float], int]]:
    """Return the features of each conflict raised on a labelled corpus, real when its gold lists it."""
    import eval_quality

    pipeline.calibrated = lambda d: d  # type: ignore[assignment]
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    briefing = build_briefing(BuildOptions(sources=[str(corpus / "articles")]), warn=lambda _: None)
    paths = eval_quality.corpus_paths(briefing, corpus)
    wanted = eval_quality.gold_flags(gold["discrepancies"])
    out = []
    for d in briefing.discrepancies:
        if d.severity != "conflict" or d.kind not in confidence.KINDS:
            continue
        flag = (
            d.kind,
            (paths[d.a.article], eval_quality.fold(d.a.value)),
            (paths[d.b.article], eval_quality.fold(d.b.value)),
        )
        out.append((confidence.features(d), int(any(eval_quality.same_flag(flag, g) for g in wanted))))
    return out


def reliability(p: np.ndarray, y: np.ndarray) -> list[str]:
    rows = []
    for lo, hi in itertools.pairwise(BINS):
        inside = (p >= lo) & (p < hi)
        if inside.any():
            bin_name = f"{lo:.1f}-{min(hi, 1.0):.1f}"
            rows.append(f"| {bin_name} | {int(inside.sum())} | {p[inside].mean():.2f} | {y[inside].mean():.2f} |")
    return ["| predicted | flags | mean predicted | observed real |", "|---|---|---|---|", *rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecb", type=Path, default=real.ECB)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    corpus = real.load(args.ecb)
    labels = real.load_labels()

    x_fit: list[list[float]] = []
    y_fit: list[int] = []
    held: list[tuple[list[float], int]] = []
    for d, record in flags(args.ecb / "articles"):
        label = labels.get(record["key"])
        if label is None:
            continue
        row, y = confidence.features(d), int(label["verdict"] in real.TRUE_VERDICTS)
        if corpus.split(record["a"]["file"]) == "held-out":
            held.append((row, y))
        else:
            x_fit.append(row)
            y_fit.append(y)
    judged = len(y_fit)
    texts, plants = real.plant(corpus, random.Random(real.SEED))
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in texts.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        planted = flags(Path(tmp))
    for p in plants:
        if corpus.split(p["article"]) == "held-out":
            continue
        others = set(corpus.events[p["event"]]) - {p["article"]}
        for d, record in planted:
            if real.plant_found(p, [record], [], others):
                x_fit.append(confidence.features(d))
                y_fit.append(1)
                break
    labelled = quality_examples(QUALITY)
    x_fit += [row for row, _ in labelled]
    y_fit += [y for _, y in labelled]
    X, Y = np.array(x_fit), np.array(y_fit)
    model = LogisticRegression(C=1.0, max_iter=2000).fit(X, Y)
    # the plants make half the examples real, while on real news far fewer flags are: the
    # weights keep what tells real from false, and the intercept is moved so that the mean
    # probability over the judged flags is the share of them that readers found real
    z = X[:judged] @ model.coef_[0] + model.intercept_[0]
    target = Y[:judged].mean()
    lo, hi = -20.0, 20.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if (1 / (1 + np.exp(-(z + mid)))).mean() < target else (lo, mid)
    model.intercept_[0] += (lo + hi) / 2
    weights = {name: round(float(w), 4) for name, w in zip(confidence.FEATURES, model.coef_[0], strict=True)}
    print(
        f"fitted on {len(Y)} flags: {judged} judged ({int(Y[:judged].sum())} real), "
        f"{len(Y) - judged - len(labelled)} planted, {len(labelled)} from the labelled corpus"
    )
    print(json.dumps(weights, indent=1))
    print("\ntuning labels (fitted on):")
    print("\n".join(reliability(model.predict_proba(X[:judged])[:, 1], Y[:judged])))
    if held:
        hx, hy = np.array([r for r, _ in held]), np.array([y for _, y in held])
        print(f"\nheld-out labels ({len(hy)}, never fitted on):")
        print("\n".join(reliability(model.predict_proba(hx)[:, 1], hy)))
    every_p = model.predict_proba(X)[:, 1]
    possible_below = float(np.quantile(every_p[Y == 1], 1 - confidence.KEEP_REAL))
    print(f"cut keeping {confidence.KEEP_REAL:.0%} of the known real disagreements: {possible_below:.3f}")
    planted_p = model.predict_proba(X[judged : len(Y) - len(labelled)])[:, 1]
    judged_p = model.predict_proba(X[:judged])[:, 1]
    print("\ncut: planted kept, judged false kept, judged real kept (tuning)")
    for cut in (0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.2, 0.3):
        kept = judged_p >= cut
        print(
            f"  {cut:.2f}: {int((planted_p >= cut).sum())}/{len(planted_p)}, "
            f"{int((kept & (Y[:judged] == 0)).sum())}/{int((Y[:judged] == 0).sum())}, "
            f"{int((kept & (Y[:judged] == 1)).sum())}/{int(Y[:judged].sum())}"
        )
    if args.write:
        target = Path(confidence.__file__).with_name("confidence.json")
        data = {
            "fitted_on": f"{len(Y)} flags: {judged} judged on ECB+ dev tuning topics, "
            f"{len(Y) - judged - len(labelled)} planted there, {len(labelled)} from tests/bench/quality",
            "intercept": round(float(model.intercept_[0]), 4),
            "possible_below": round(possible_below, 4),
            "weights": weights,
        }
        target.write_text(json.dumps(data, indent=1) + "\n")
        print(f"\nwrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
