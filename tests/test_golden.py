"""Golden tests: the seed briefing.json, briefing.html and briefing.md, with volatile parts masked.

A mismatch prints a diff and writes the actual output beside the gold file.
Regenerate after an intended change with: REPORTER_REGEN_GOLD=1 make test
"""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path
from typing import Any

GOLD = Path(__file__).parent / "gold" / "seeds.briefing.json"
# the run's time and the package version, wherever a page shows them
STAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:Z| UTC)")
VERSION = re.compile(r"reporter \d+\.\d+[^\s\"<]*")


def scrub(data: dict[str, Any]) -> str:
    data = dict(data, generated="<generated>", version="<version>")
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def scrub_text(text: str) -> str:
    return VERSION.sub("reporter <version>", STAMP.sub("<generated>", text))


def check(actual: str, gold: Path) -> None:
    """Compare with the gold file; on a mismatch write the actual output beside it and show a diff."""
    if os.environ.get("REPORTER_REGEN_GOLD"):
        gold.write_text(actual, encoding="utf-8")
    expected = gold.read_text(encoding="utf-8")
    if actual != expected:
        gold.with_name(gold.name + ".actual").write_text(actual, encoding="utf-8")
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "gold", "actual", n=2))
        raise AssertionError(f"seed output differs from {gold.name} (actual written beside it):\n{diff[:6000]}")


def test_seed_briefing_matches_gold(seed_json: dict[str, Any]) -> None:
    check(scrub(seed_json), GOLD)


def test_seed_html_matches_gold(seed_outputs: Path) -> None:
    check(
        scrub_text((seed_outputs / "briefing.html").read_text(encoding="utf-8")), GOLD.with_name("seeds.briefing.html")
    )


def test_seed_digest_matches_gold(seed_outputs: Path) -> None:
    check(scrub_text((seed_outputs / "briefing.md").read_text(encoding="utf-8")), GOLD.with_name("seeds.briefing.md"))
