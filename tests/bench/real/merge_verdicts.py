"""Add readers' verdicts to labels.json: python tests/bench/real/merge_verdicts.py FLAGS.json VERDICTS.json...

FLAGS.json is the `unjudged.json` that `make bench-real` wrote (the flags as the readers saw them);
each VERDICTS.json is a list of {key, verdict, cause, note}. A key already labelled keeps its
first verdict unless --replace is given.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

LABELS = Path(__file__).with_name("labels.json")
VERDICTS = ("real", "update", "false")
CAUSES = ("different-subject", "background", "not-a-value", "same-fact", "different-events", "list-member", "quote",
          "other")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("flags", type=Path)
    parser.add_argument("verdicts", type=Path, nargs="+")
    parser.add_argument("--round", type=int, required=True)
    parser.add_argument("--replace", action="store_true")
    args = parser.parse_args()
    flags = {f["key"]: f for f in json.loads(args.flags.read_text())}
    data = json.loads(LABELS.read_text()) if LABELS.exists() else {"labels": []}
    labels = {item["key"]: item for item in data["labels"]}
    added = 0
    for path in args.verdicts:
        for v in json.loads(path.read_text()):
            if v["verdict"] not in VERDICTS or (v["verdict"] == "false" and v.get("cause") not in CAUSES):
                raise SystemExit(f"{path}: bad verdict {v}")
            if v["key"] in labels and not args.replace:
                continue
            f = flags[v["key"]]
            labels[v["key"]] = {
                "key": v["key"], "split": f.get("split"), "kind": f["kind"], "a": f["a"], "b": f["b"],
                "verdict": v["verdict"], "cause": v.get("cause") if v["verdict"] == "false" else None,
                "note": v.get("note", ""), "round": args.round,
            }  # fmt: skip
            added += 1
    data["labels"] = sorted(labels.values(), key=lambda item: item["key"])
    LABELS.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(f"{added} verdicts added, {len(labels)} in all")


if __name__ == "__main__":
    main()
