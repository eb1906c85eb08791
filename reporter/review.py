"""Analysts' verdicts on flags, kept in a small TOML file next to the config (`reporter review`)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, cast

from .config import read_toml
from .errors import UsageError
from .history import flag_key, key_of, lasting_path
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
    if not path.exists():
        return []
    if not path.is_file():
        raise UsageError(f"{path}: cannot read reviews: it is a folder, not a file" if path.is_dir()
                         else f"{path}: cannot read reviews: not a regular file")  # fmt: skip
    return _parse(path, read_toml(path))


def _parse(path: Path, data: dict[str, Any]) -> list[Review]:
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
    paths = {a.id: lasting_path(a) for a in briefing.articles}
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
    except OSError as exc:
        raise UsageError(f"cannot read {briefing_json}: {exc.strerror or exc}") from None
    except ValueError as exc:  # not UTF-8, or not JSON
        raise UsageError(f"cannot read {briefing_json}: not a briefing.json: {exc}") from None
    flags = _flags(data, briefing_json)
    matches = [f for f in flags if f[0] == flag_id] or [f for f in flags if f[0].startswith(flag_id)]
    if not matches:
        raise UsageError(f"no flag {flag_id} in {briefing_json}")
    if len(matches) > 1:
        raise UsageError(f"{flag_id} is the start of {len(matches)} flag ids in {briefing_json}; give more of it")
    return matches[0]


def _flags(data: Any, where: Path) -> list[tuple[str, str]]:
    """Return the id and key of every flag of a briefing.json, shown or dismissed; raise UsageError on another shape."""

    def bad(what: str) -> UsageError:
        return UsageError(f"{where}: not a briefing.json written by reporter ({what})")

    def table(value: Any, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise bad(f"{what} must be an object")
        return value

    def items(value: Any, what: str) -> list[Any]:
        if not isinstance(value, list):
            raise bad(f"'{what}' must be a list")
        return value

    def text(value: Any, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise bad(f"{what} must be a non-empty string")
        return value

    data = table(data, "the file")
    paths: dict[str, str] = {}
    for n, article in enumerate(items(data.get("articles"), "articles"), 1):
        article = table(article, f"article {n}")
        paths[text(article.get("id"), f"article {n}'s id")] = text(article.get("path"), f"article {n}'s path")
    shown = [table(d, f"flag {n}") for n, d in enumerate(items(data.get("discrepancies"), "discrepancies"), 1)]
    dismissed = [table(d, f"dismissed {n}") for n, d in enumerate(items(data.get("dismissed", []), "dismissed"), 1)]
    flags = [*shown, *(table(d.get("flag"), f"dismissed {n}'s flag") for n, d in enumerate(dismissed, 1))]

    def side(d: dict[str, Any], name: str) -> tuple[str, str]:
        what = f"flag {d['id']}'s side {name}"
        s = table(d.get(name), what)
        article = text(s.get("article"), f"{what}'s article")
        if article not in paths:
            raise bad(f"{what} names article {article}, which the file does not list")
        return paths[article], text(s.get("normalized") or s.get("value"), f"{what}'s value")

    found = []
    for d in flags:
        flag_id = text(d.get("id"), "a flag's id")
        key = d.get("key")
        if not isinstance(key, str) or not key.strip():
            # a briefing.json of an earlier version: the key from the paths it shows
            key = flag_key(text(d.get("kind"), f"flag {flag_id}'s kind"), side(d, "a"), side(d, "b"))
        found.append((flag_id, key))
    return found


def record_verdict(briefing_json: Path, reviews: Path, flag_id: str, status: Verdict, reason: str) -> Review:
    """Find a flag of a written briefing and write the analyst's verdict on it to the reviews file."""
    check_text(reason, "the reason")
    full_id, key = find_flag(briefing_json, flag_id)
    review = Review(full_id, key, status, reason, today().isoformat())
    add_review(reviews, review)
    return review


def check_text(value: str, what: str) -> str:
    """Return a field of a verdict, or raise UsageError when the reviews file could not keep it."""
    if not value.strip():
        raise UsageError(f"{what} must not be empty")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # bytes that the terminal's encoding could not decode reach Python as lone surrogates
        raise UsageError(f"{what} must be text: it holds bytes that are not UTF-8") from None
    return value


def add_review(path: Path, review: Review) -> list[Review]:
    """Write a verdict into the reviews file (replacing any earlier one on the same flag); return them all.

    The text is read back with the reader of `reporter build` before it is written, so
    the file written is always one the next build accepts.
    """
    reviews = [r for r in load_reviews(path) if r.id != review.id and r.key != review.key]
    reviews.append(review)
    lines = [HEADER]
    for r in reviews:
        lines.append("[[review]]")
        for name in ("id", "key", "status", "reason", "reviewed"):
            value = getattr(r, name)
            if name != "reviewed" or value:  # the date is optional in a file edited by hand
                lines.append(f"{name} = {toml_string(check_text(value, f'the {name}'))}")
        lines.append("")
    text = "\n".join(lines)
    try:
        _parse(path, tomllib.loads(text))
    except (tomllib.TOMLDecodeError, UsageError) as exc:  # a bug in toml_string: never write such a file
        raise AssertionError(f"the reviews file would not read back: {exc}") from exc
    write_atomic({path: text.encode("utf-8")})
    return reviews


# TOML's basic strings may hold any character but these, which must be escaped
_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(value: str) -> str:
    """Return value as a TOML basic string: quotes, backslashes and every control character (DEL too) escaped."""
    out = []
    for ch in value:
        if ch in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
