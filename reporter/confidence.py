"""Turn a flag into the estimated probability that its sources really disagree.

The weights are a logistic regression fitted on flags that readers judged against real
articles (tests/bench/real/labels.json) and on the planted disagreements the engine found;
`python tests/bench/fit_confidence.py` refits them and rewrites confidence.json beside this file.
A reference check keeps its own score: no reader has judged one yet.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import replace
from importlib import resources
from typing import Any

from rapidfuzz import fuzz

from .compare import reported_on
from .model import Discrepancy
from .text import WORD

KINDS = ("number", "year", "date", "time", "name", "quote")
FEATURES = (
    *(f"kind_{k}" for k in KINDS),
    "rule_score",  # the engine's own score before calibration
    "sentence_ratio",  # 0-1 character similarity of the two sentences
    "sentence_token_set",  # 0-1 word-set similarity
    "same_word_before",  # the word before each value is the same
    "same_word_after",
    "value_gap",  # |log10| of the ratio of two figures (0 for others)
    "one_edit",  # the two values differ by one character
    "report_date",  # a date is when a report came out ("..., Dana reported on November 24"), not the event's
)
KEEP_REAL = 0.99  # the cut keeps this share of the known real disagreements (judged, planted, labelled) above it


def features(d: Discrepancy) -> list[float]:
    """Return the features of a flag in the order of FEATURES."""
    a, b = d.a, d.b
    before_a, before_b = WORD.findall(a.sentence[: a.start])[-1:], WORD.findall(b.sentence[: b.start])[-1:]
    after_a, after_b = WORD.findall(a.sentence[a.end :])[:1], WORD.findall(b.sentence[b.end :])[:1]
    return [
        *(1.0 if d.kind == k else 0.0 for k in KINDS),
        d.score,
        fuzz.ratio(a.sentence, b.sentence) / 100,
        fuzz.token_set_ratio(a.sentence, b.sentence) / 100,
        1.0 if _same_words(before_a, before_b) else 0.0,
        1.0 if _same_words(after_a, after_b) else 0.0,
        _gap(a.normalized or a.value, b.normalized or b.value) if d.kind == "number" else 0.0,
        1.0 if _one_edit(a.value, b.value) else 0.0,
        1.0 if d.kind == "date" and any(reported_on(s.sentence, s) for s in (a, b)) else 0.0,
    ]


def _same_words(x: list[str], y: list[str]) -> bool:
    return bool(x) and [w.lower() for w in x] == [w.lower() for w in y]


def _gap(x: str, y: str) -> float:
    try:
        vx, vy = abs(float(x.split("-")[0])), abs(float(y.split("-")[0]))
    except ValueError:
        return 0.0
    if vx == 0 or vy == 0:
        return 1.0
    return min(3.0, abs(math.log10(vx / vy)))


def _one_edit(x: str, y: str) -> bool:
    return len(x) == len(y) and sum(p != q for p, q in zip(x, y, strict=True)) == 1


@functools.lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("reporter").joinpath("confidence.json").read_text("utf-8"))
    return data


def _weights() -> tuple[dict[str, float], float]:
    data = _data()
    return dict(data["weights"]), float(data["intercept"])


def probability(d: Discrepancy) -> float:
    """Return the estimated probability (0-1) that a conflict is a real disagreement."""
    weights, intercept = _weights()
    z = intercept + sum(weights[name] * value for name, value in zip(FEATURES, features(d), strict=True))
    return 1 / (1 + math.exp(-z))


def calibrated(d: Discrepancy) -> Discrepancy:
    """Return a conflict with its score replaced by the calibrated probability; others as they are.

    A conflict less likely than possible_below() becomes `possible`: kept in briefing.json for
    tools and audits, never listed among the conflicts.
    """
    if d.severity != "conflict" or d.kind not in KINDS:
        return d
    p = round(probability(d), 3)
    return replace(d, score=p, severity="possible" if p < possible_below() else "conflict")


def possible_below() -> float:
    """Return the cut under which a conflict is only possible, set by the fit to keep KEEP_REAL of the real ones."""
    return float(_data()["possible_below"])
