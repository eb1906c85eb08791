"""Merge the engine's pairwise flags into disputed facts: one entry per slot of an event, with who says what.

The engine flags pairs of sources. A value that four sources state one way and one
source another is four flags about one fact; a reader needs it once. Flags of one
event and one kind whose sides share a value (the same normalised value of the same
counted unit) are one fact, transitively: A, B and C against D is one fact.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence

from .model import Briefing, Copying, Detail, Discrepancy, Fact, FactValue, Sentence, Severity, Side

CONTEXT_WORDS = 8  # words of the stating sentence kept before the blank, and half as many after
BLANK = "___"
# a past participle right after a counted noun says what happened to it: "people evacuated"
_PARTICIPLE = re.compile(r"^(?:were |was |have been |had been |been )?([a-z]+(?:ed|en|wn))\b")
_NOT_PARTICIPLES = frozenset({"said", "added", "noted", "stated", "reported", "seen", "been", "often", "when", "then"})
SLOT_BASE = {
    "number": "number",
    "year": "year",
    "date": "date",
    "time": "time of day",
    "name": "name",
    "quote": "quotation",
    "reference": "value checked against a reference note",
}

Key = tuple[str, str, str, str, str]  # (severity, event, kind, unit, normalised value): one value of one slot


def build_facts(briefing: Briefing) -> tuple[Fact, ...]:
    """Group the briefing's flags into facts, in the order of their first flag."""
    details = _details_index(briefing.sentences)
    copies = _copy_pairs(briefing.copying)
    references = {a.id for a in briefing.articles if a.role == "reference"}
    parent: dict[Key, Key] = {}

    def root(key: Key) -> Key:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    keys: dict[str, tuple[Key, Key]] = {}
    for d in briefing.discrepancies:
        a, b = _key(d, d.a, details), _key(d, d.b, details)
        keys[d.id] = (a, b)
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[Key, list[Discrepancy]] = defaultdict(list)
    for d in briefing.discrepancies:
        groups[root(keys[d.id][0])].append(d)
    return tuple(_fact(flags, details, copies, references) for flags in groups.values())


def _details_index(sents: dict[str, tuple[Sentence, ...]]) -> dict[tuple[str, str], tuple[Detail, ...]]:
    """Map (article, sentence text) to the details extracted from it."""
    return {(article, s.text): s.details for article, found in sents.items() for s in found if s.details}


def _unit(side: Side, details: dict[tuple[str, str], tuple[Detail, ...]]) -> str:
    """Return the counted noun or unit the engine found for the side's value, or ''."""
    for detail in details.get((side.article, side.sentence), ()):
        if detail.start <= side.start < detail.end or side.start <= detail.start < side.end:
            return detail.unit or ""
    return ""


def _key(d: Discrepancy, side: Side, details: dict[tuple[str, str], tuple[Detail, ...]]) -> Key:
    value = side.normalized or side.value.casefold()
    # a number's slot is its counted unit; names and quotes merge by value alone
    unit = _unit(side, details) if d.kind in ("number", "reference") else ""
    # flags join a fact of their own severity: a conflict's values are not mixed with the rival
    # values of flags under the confidence cut, which a reader would take as disputed too
    return (d.severity, d.event, d.kind, unit, value)


def _copy_pairs(copying: Sequence[Copying]) -> set[frozenset[str]]:
    """Pairs of sources that share a run of the same copy: one of them repeats the other."""
    return {frozenset((c.a, c.b)) for c in copying if c.share >= 0.5}


def _fact(
    flags: list[Discrepancy],
    details: dict[tuple[str, str], tuple[Detail, ...]],
    copies: set[frozenset[str]],
    references: set[str],
) -> Fact:
    first = flags[0]
    stated: dict[str, dict[str, Side]] = defaultdict(dict)  # normalised value -> article -> side
    for d in flags:
        for side in (d.a, d.b):
            stated[side.normalized or side.value.casefold()].setdefault(side.article, side)
    values = []
    reference_value: str | None = None
    for normalized, by_article in stated.items():
        sides = list(by_article.values())
        reports = [s.article for s in sides if s.article not in references]
        independent: list[str] = []
        copied: list[str] = []
        for article in reports:
            (copied if any(frozenset((article, o)) in copies for o in independent) else independent).append(article)
        is_reference = any(s.article in references for s in sides)
        if is_reference and reference_value is None:
            reference_value = next(s.value for s in sides if s.article in references)
        spellings = tuple(dict.fromkeys(s.value for s in sides))
        values.append(
            FactValue(
                value=sides[0].value,
                normalized=normalized,
                sources=tuple(independent),
                copies=tuple(copied),
                reference=is_reference,
                spellings=spellings if len(spellings) > 1 else (),
            )
        )
    values.sort(key=lambda v: (-len(v.sources) - len(v.copies), v.reference))
    conflict_scores = [d.score for d in flags if d.severity == "conflict"]
    possible_scores = [d.score for d in flags if d.severity == "possible"]
    # a fact is as sure as its surest flag: a conflict, else a conflict under the confidence cut
    severity: Severity = "conflict" if conflict_scores else "possible" if possible_scores else "variant"
    score = max(conflict_scores or possible_scores or [d.score for d in flags])
    ids = tuple(d.id for d in flags)
    return Fact(
        id="f-" + hashlib.sha1("|".join(ids).encode()).hexdigest()[:10],
        event=first.event,
        kind=first.kind,
        severity=severity,
        slot=_slot(first, details),
        context=_context(min((d.a for d in flags), key=lambda s: len(s.sentence))),
        values=tuple(values),
        reference=reference_value,
        flags=ids,
        score=round(score, 3),
    )


def _slot(d: Discrepancy, details: dict[tuple[str, str], tuple[Detail, ...]]) -> str:
    """Describe the slot in words from the counted noun around its values."""
    base = SLOT_BASE.get(d.kind, d.kind)
    if d.kind == "reference":
        # a reference check compares a year, a number or a date: say which
        base = "year" if re.fullmatch(r"1\d{3}|20\d{2}", d.a.normalized or d.a.value) else "value"
    if d.kind == "quote":
        speaker = re.match(r"(.+?)'s quotation", d.note)
        return f"quotation of {speaker.group(1)}" if speaker else base
    unit = _unit(d.a, details) or _unit(d.b, details)
    if d.kind in ("number", "reference") and unit:
        after = d.a.sentence[d.a.end :].lstrip(" ,")
        words = after.split(None, len(unit.split()))
        rest = " ".join(words[len(unit.split()) :]) if len(words) > len(unit.split()) else ""
        participle = _PARTICIPLE.match(rest.casefold())
        what = f"{unit} {participle.group(1)}" if participle and participle.group(1) not in _NOT_PARTICIPLES else unit
        return f"number of {what}"
    if d.kind in ("year", "date", "reference"):
        before = d.a.sentence[: d.a.start].split()[-3:]
        verb = next((w for w in reversed(before) if re.fullmatch(r"[a-z]+(?:ed|en|wn)", w)), None)
        if verb and verb not in _NOT_PARTICIPLES:
            return f"{base} {verb}"
    return base


def _context(side: Side) -> str:
    """Cut the sentence around the value, the value left blank, so the slot reads as a question."""
    before = side.sentence[: side.start].split(" ")
    after = side.sentence[side.end :].split(" ")
    # split on single spaces so the text keeps its own spacing; the last piece is what touches the value
    left = ("… " if len(before) > CONTEXT_WORDS + 1 else "") + " ".join(before[-CONTEXT_WORDS - 1 :])
    right = " ".join(after[: CONTEXT_WORDS // 2 + 1]) + (" …" if len(after) > CONTEXT_WORDS // 2 + 1 else "")
    return (left + BLANK + right).strip()


def event_weight(facts: Sequence[Fact]) -> float:
    """Say how much a reader should look at an event: its disputed facts weighted by their probability."""
    return sum(f.score for f in facts if f.severity != "variant")
