"""Comparing events in a process pool gives exactly what one process gives."""

from __future__ import annotations

import json

import pytest

import reporter.pipeline as pipeline
from reporter.render import to_json

CORPUS = "tests/bench/quality/articles"


def build(monkeypatch: pytest.MonkeyPatch, parallel_from: int) -> str:
    monkeypatch.setattr(pipeline, "PARALLEL_PAIRS", parallel_from)
    briefing = pipeline.build_briefing(pipeline.BuildOptions(sources=[CORPUS]), warn=lambda _: None)
    data = to_json(briefing)
    data.pop("generated")
    return json.dumps(data, sort_keys=True)


def test_process_pool_gives_the_same_briefing(monkeypatch: pytest.MonkeyPatch) -> None:
    one_process = build(monkeypatch, 10**9)
    pool = build(monkeypatch, 0)
    assert pool == one_process
    assert '"severity": "conflict"' in pool  # the corpus has conflicts to compare


def test_two_checks_flagging_the_same_values_give_one_flag() -> None:
    from reporter.model import Discrepancy, Side
    from reporter.pipeline import _ordered

    side = Side("a-1", "Said by General Ann Lee.", "Ann Lee", 11, 18, "ann lee")
    one = Discrepancy("d-1", "e-1", "name", "conflict", 0.7, "the same title, different people", side, side)
    two = Discrepancy("d-1", "e-1", "name", "conflict", 0.6, "different names in the same role", side, side)
    assert [d.note for d in _ordered([two, one])] == [one.note]  # the higher-scored check is kept
