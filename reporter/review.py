"""Analysts' verdicts on flags, kept in a small TOML file next to the config (`reporter review`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, cast

from .config import read_toml
from .errors import UsageError
from .history import flag_key, key_of
from .model import Briefing, Review, Verdict
from .render import write_atomic
from .window import today

HEADER = """\
# Verdicts on flags, written by `reporter review ID --accept/--dismiss "reason"`.
# A dismissed flag stays out of later briefings and out of --fail-on; an accepted one is marked reviewed.
# A verdict matches its flag by id, or by key (the files and values it joins) when an edit changed the id.
"""


def load_reviews(path: Path) -> list[Review]:
    """Read the reviews file; a missing file holds no reviews, a broken one is a UsageError."""
    if not path.is_file():
        return []
    data = read_toml(path)
    unknown = set(data) - {"review"}
    if unknown:
        raise UsageError(f"{path}: unknown key '{sorted(unknown)[0]}' (known: [[review]])")
    items = data.get("review", [])
    if not isinstance(items, list):
        raise UsageError(f"{path}: 'review' must be an array of tables ([[review]])")
    return [_review(path, n, item) for n, item in enumerate(items, 1)]


def _review(path: Path, n: int, item: Any) -> Review:
    fields = {"id", "key", "status", "reason", "reviewed"}
    if not isinstance(item, dict):
        raise UsageError(f"{path}: review {n} must be a table")
    unknown = set(item) - fields
    if unknown:
        raise UsageError(f"{path}: review {n}: unknown key '{sorted(unknown)[0]}' (known: {', '.join(sorted(fields))})")
    for name in ("id", "key", "status", "reason"):
        if not isinstance(item.get(name), str) or not item[name].strip():
            raise UsageError(f"{path}: review {n}: key '{name}' must be a non-empty string")
    if item["status"] not in ("accepted", "dismissed"):
        raise UsageError(f"{path}: review {n}: key 'status' must be 'accepted' or 'dismissed'")
    reviewed = item.get("reviewed", "")
    return Review(
        id=item["id"],
        key=item["key"],
        status=cast(Verdict, item["status"]),
        reason=item["reason"],
        reviewed=reviewed.isoformat() if isinstance(reviewed, date) else str(reviewed),
    )


def apply_reviews(briefing: Briefing, reviews: Sequence[Review]) -> Briefing:
    """Leave dismissed flags out of the briefing (counted), and mark accepted ones."""
    if not reviews:
        return briefing
    by_id = {r.id: r for r in reviews}
    by_key = {r.key: r for r in reviews}
    paths = {a.id: a.path for a in briefing.articles}
    kept, dismissed, verdicts = [], [], {}
    for d in briefing.discrepancies:
        review = by_id.get(d.id) or by_key.get(key_of(d, paths))
        if review is None:
            kept.append(d)
        elif review.status == "dismissed":
            dismissed.append((d, review))
        else:
            kept.append(d)
            verdicts[d.id] = review
    return replace(briefing, discrepancies=tuple(kept), dismissed=tuple(dismissed), reviews=verdicts)


def find_flag(briefing_json: Path, flag_id: str) -> tuple[str, str]:
    """Return the full id and key of a flag of a written briefing.json; a prefix of the id will do."""
    try:
        data = json.loads(briefing_json.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no briefing at {briefing_json}: build one with --format json first") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {briefing_json}: {exc}") from None
    paths = {a["id"]: a["path"] for a in data.get("articles", [])}
    flags = [*data.get("discrepancies", []), *(d["flag"] for d in data.get("dismissed", []))]
    matches = [d for d in flags if d["id"] == flag_id] or [d for d in flags if d["id"].startswith(flag_id)]
    if not matches:
        raise UsageError(f"no flag {flag_id} in {briefing_json}")
    if len(matches) > 1:
        raise UsageError(f"{flag_id} is the start of {len(matches)} flag ids in {briefing_json}; give more of it")
    d = matches[0]

    def side(s: dict[str, Any]) -> tuple[str, str]:
        return paths[s["article"]], s.get("normalized") or s["value"]

    return d["id"], flag_key(d["kind"], side(d["a"]), side(d["b"]))


def record_verdict(briefing_json: Path, reviews: Path, flag_id: str, status: Verdict, reason: str) -> Review:
    """Find a flag of a written briefing and write the analyst's verdict on it to the reviews file."""
    full_id, key = find_flag(briefing_json, flag_id)
    review = Review(full_id, key, status, reason, today().isoformat())
    add_review(reviews, review)
    return review


def add_review(path: Path, review: Review) -> list[Review]:
    """Write a verdict into the reviews file (replacing any earlier one on the same flag); return them all."""
    reviews = [r for r in load_reviews(path) if r.id != review.id and r.key != review.key]
    reviews.append(review)
    lines = [HEADER]
    for r in reviews:
        lines.append("[[review]]")
        for name in ("id", "key", "status", "reason", "reviewed"):
            # a JSON string is a valid TOML basic string
            lines.append(f"{name} = {json.dumps(getattr(r, name), ensure_ascii=False)}")
        lines.append("")
    write_atomic({path: "\n".join(lines).encode("utf-8")})
    return reviews
