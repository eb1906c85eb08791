"""Golden test: the seed briefing.json, with volatile fields masked.

A mismatch prints a diff and writes the actual output beside the gold file.
Regenerate after an intended change with: REPORTER_REGEN_GOLD=1 make test
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

GOLD = Path(__file__).parent / "gold" / "seeds.briefing.json"


def scrub(data: dict[str, Any]) -> str:
    data = dict(data, generated="<generated>", version="<version>")
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def test_seed_briefing_matches_gold(seed_json: dict[str, Any]) -> None:
    actual = scrub(seed_json)
    if os.environ.get("REPORTER_REGEN_GOLD"):
        GOLD.write_text(actual, encoding="utf-8")
    expected = GOLD.read_text(encoding="utf-8")
    if actual != expected:
        GOLD.with_suffix(".json.actual").write_text(actual, encoding="utf-8")
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "gold", "actual", n=2))
        raise AssertionError(f"seed briefing differs from {GOLD.name} (actual written beside it):\n{diff[:6000]}")
