"""Discrepancies: the reference check, agreeing references, and same facts written differently."""

from __future__ import annotations

from pathlib import Path

from reporter.model import Briefing
from reporter.pipeline import BuildOptions, build_briefing

from .conftest import by_file

REPORT = (
    "Port of Velmar reopens after storm\n\n"
    "The Port of Velmar, which opened in 1962, reopened on Monday after a storm closed it for a week. "
    "About 4,500 workers returned to the docks.\n\n"
    "The harbour master said the cranes were undamaged."
)
OTHER = (
    "Velmar docks back at work\n\n"
    "Dock work resumed at the Port of Velmar on Monday, a week after the storm. "
    "Some 4,480 workers returned to the docks, the union said.\n\n"
    "Officials said the cranes had not been damaged."
)


def build(tmp_path: Path, reference: str | None) -> Briefing:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER, encoding="utf-8")
    refs = []
    if reference is not None:
        (tmp_path / "ref").mkdir()
        (tmp_path / "ref" / "velmar.md").write_text(reference, encoding="utf-8")
        refs = [str(tmp_path / "ref")]
    return build_briefing(BuildOptions(sources=[str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], references=refs),
                          warn=lambda _: None)  # fmt: skip


def test_seed_turkmenchay_year_flagged_against_reference(seed_briefing: Briefing) -> None:
    ids = by_file(seed_briefing)
    flags = [d for d in seed_briefing.discrepancies if d.kind == "reference"]
    assert len(flags) == 1
    flag = flags[0]
    assert flag.severity == "conflict"
    assert flag.a.article == ids["001"] and flag.a.value == "1928"
    assert flag.a.sentence[flag.a.start : flag.a.end] == "1928"
    assert flag.b.value == "1828" and flag.b.sentence[flag.b.start : flag.b.end] == "1828"
    assert "Turkmenchay" in flag.a.sentence
    assert "1828" in flag.note and "reference" in flag.note


def test_seed_same_facts_written_differently_are_not_conflicts(seed_briefing: Briefing) -> None:
    values = {(d.a.value, d.b.value) for d in seed_briefing.discrepancies if d.severity == "conflict"}
    assert ("four", "four") not in values
    assert not any("Sunday" in a or "Sunday" in b for a, b in values)


def test_reference_that_agrees_raises_nothing(tmp_path: Path) -> None:
    agreeing = (
        "---\ntitle: Velmar port facts\nrole: reference\n---\nThe Port of Velmar opened in 1962 on the estuary.\n"
    )
    briefing = build(tmp_path, agreeing)
    assert [d for d in briefing.discrepancies if d.kind == "reference"] == []


def test_reference_that_disagrees_is_a_conflict(tmp_path: Path) -> None:
    disagreeing = (
        "---\ntitle: Velmar port facts\nrole: reference\n---\nThe Port of Velmar opened in 1926 on the estuary.\n"
    )
    briefing = build(tmp_path, disagreeing)
    flags = [d for d in briefing.discrepancies if d.kind == "reference"]
    assert [(d.a.value, d.b.value, d.severity) for d in flags] == [("1962", "1926", "conflict")]
    assert all(a.id not in e.articles for e in briefing.events for a in briefing.articles if a.role == "reference")


def test_hedged_figure_close_to_exact_one_is_not_a_conflict(tmp_path: Path) -> None:
    briefing = build(tmp_path, None)
    assert len(briefing.events) == 1
    assert [d for d in briefing.discrepancies if d.kind == "number"] == []
