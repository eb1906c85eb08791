"""Compare two briefing.json files flag for flag, to show that a speed change changed no finding.

Usage:
  python tests/bench/same_flags.py BEFORE.json AFTER.json [BEFORE2.json AFTER2.json ...]

Every section of the briefing is compared but the build time and the stage timings. For each
pair it prints `same` or, per section that differs, how many entries only one side has (by
content) and a few of them; the exit status is 1 when any pair differs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

VOLATILE = ("generated", "timings")  # differ between any two runs


def load(path: Path) -> dict[str, Any]:
    """Return a briefing without its volatile keys."""
    briefing: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in briefing.items() if k not in VOLATILE}


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Return one line per section that differs, saying how many entries each side alone holds."""
    lines = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a == b:
            continue
        if isinstance(a, list) and isinstance(b, list):
            sa = [json.dumps(x, sort_keys=True) for x in a]
            sb = [json.dumps(x, sort_keys=True) for x in b]
            only_a, only_b = sorted(set(sa) - set(sb)), sorted(set(sb) - set(sa))
            order = " (same entries, other order)" if not only_a and not only_b else ""
            lines.append(f"{key}: {len(a)} -> {len(b)}, {len(only_a)} only before, {len(only_b)} only after{order}")
            lines += [f"  - {x[:300]}" for x in only_a[:3]] + [f"  + {x[:300]}" for x in only_b[:3]]
        else:
            lines.append(f"{key}: differs")
    return lines


def main(argv: list[str]) -> int:
    """Compare each pair of files given; return 1 if any differ."""
    if not argv or len(argv) % 2:
        sys.exit(__doc__)
    status = 0
    for before, after in zip(argv[::2], argv[1::2], strict=True):
        found = differences(load(Path(before)), load(Path(after)))
        print(f"{after}: " + ("same" if not found else "DIFFERENT"))
        print("\n".join(found)) if found else None
        status |= bool(found)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
