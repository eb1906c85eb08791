"""Weekly reruns: only the events that articles joined or changed are compared again.

A rerun takes every other event's comparison from the archive; its briefing must be
the one a cold run (no archive) writes over the same folder, and the changes since the
last briefing say where the grouping of the articles it held changed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from reporter import pipeline
from reporter.archive import PastBriefing
from reporter.event import Shared
from reporter.history import grouping_changes
from reporter.model import Article, Briefing, Event, EventComparison, GroupingChange

from .conftest import raw_rows, run

STORIES = {
    # event: sentences, with {n} where the outlets give different figures
    "bridge": (
        "The regional council of Lunesby approved the new bridge over the Lune river on Tuesday.",
        "The bridge will be 1,200 metres long and cost {n} million euros, the council said.",
        "Councillor Maren Holt said construction at Lunesby would start in spring.",
    ),
    "fire": (
        "A fire destroyed the Dunmore textile warehouse on Friday night, firefighters said.",
        "About {n} firefighters fought the blaze at the Dunmore warehouse for six hours.",
        "Fire chief Oskar Brandt said nobody was injured in Dunmore.",
    ),
    "transfer": (
        "Maravel Athletic signed the striker Tomas Quell from Ostrava Rovers on Monday.",
        "Maravel Athletic paid a fee of {n} million pounds for Quell, the club said.",
        "Quell scored twice for Ostrava Rovers in the cup final last season.",
    ),
    "quake": (
        "An earthquake of magnitude 6.1 struck the Corvanian town of Velika Brest on Wednesday.",
        "At least {n} people were hurt in Velika Brest, the Corvanian interior ministry said.",
        "Rescuers searched the rubble of Velika Brest through the night.",
    ),
}
OUTLETS = ("The Courier", "Daily Paper", "Evening Post")


def write(folder: Path, story: str, number: int, figure: int) -> Path:
    """Write the `number`th outlet's report of a story, giving `figure` where outlets differ."""
    folder.mkdir(parents=True, exist_ok=True)
    text = " ".join(STORIES[story]).format(n=figure)
    data = {"title": STORIES[story][0], "outlet": OUTLETS[number], "published": "2024-11-19", "text": text}
    path = folder / f"{story}-{number}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def first_week(folder: Path) -> None:
    for story, figures in (("bridge", (45, 54)), ("fire", (60, 80)), ("transfer", (12, 21))):
        for number, figure in enumerate(figures):
            write(folder, story, number, figure)


def grow(folder: Path) -> None:
    """Add a third report of the bridge and a new event of two reports."""
    write(folder, "bridge", 2, 50)
    write(folder, "quake", 0, 30)
    write(folder, "quake", 1, 40)


def build(src: Path, out: Path, *options: str) -> tuple[int, list[str]]:
    code, _, err = run("build", str(src), "--out", str(out), "--format", "json,html,md", "--quiet", *options)
    assert "Traceback" not in err
    return code, err.splitlines()


def comparable(out: Path) -> dict[str, Any]:
    """Return briefing.json without what two equal runs may differ in: the time, timings, changes."""
    data = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    for volatile in ("generated", "timings", "changes"):
        data.pop(volatile, None)
    for flag in data["discrepancies"]:
        flag.pop("status")  # new or still open: from the changes
    return data


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """Record the members of each event the pipeline compares (small runs compare in this process)."""
    calls: list[tuple[str, ...]] = []
    real: Callable[[Event, Shared], EventComparison] = pipeline.compare_event

    def counting(event: Event, shared: Shared) -> EventComparison:
        calls.append(tuple(sorted(Path(shared.by_id[a].path).stem for a in event.articles)))
        return real(event, shared)

    monkeypatch.setattr(pipeline, "compare_event", counting)
    return calls


@pytest.fixture
def week(tmp_path: Path, compared: list[tuple[str, ...]]) -> Path:
    """An output folder whose archive holds one run over three events of two reports each."""
    first_week(tmp_path / "in")
    out = tmp_path / "out"
    assert build(tmp_path / "in", out) == (0, [])
    events = json.loads((out / "briefing.json").read_text(encoding="utf-8"))["events"]
    assert len(events) == 3 and len(compared) == 3, "the stories must form three events"
    compared.clear()
    return out


def cold(src: Path, out: Path) -> dict[str, Any]:
    assert build(src, out, "--no-archive") == (0, [])
    return comparable(out)


def test_a_rerun_after_adding_articles_compares_only_their_events_and_equals_a_cold_run(
    week: Path, tmp_path: Path, compared: list[tuple[str, ...]]
) -> None:
    grow(tmp_path / "in")
    assert build(tmp_path / "in", week) == (0, [])
    assert sorted(compared) == [("bridge-0", "bridge-1", "bridge-2"), ("quake-0", "quake-1")]
    rerun = comparable(week)
    assert rerun == cold(tmp_path / "in", tmp_path / "cold")
    assert {f["kind"] for f in rerun["discrepancies"]} >= {"number"}, "flags of reused events are kept"
    assert len(rerun["events"]) == 4


def test_a_changed_article_has_its_event_compared_again(
    week: Path, tmp_path: Path, compared: list[tuple[str, ...]]
) -> None:
    write(tmp_path / "in", "fire", 1, 90)  # a corrected figure
    assert build(tmp_path / "in", week) == (0, [])
    assert compared == [("fire-0", "fire-1")]
    rerun = comparable(week)
    assert rerun == cold(tmp_path / "in", tmp_path / "cold")
    assert any({f["a"]["value"], f["b"]["value"]} == {"60", "90"} for f in rerun["discrepancies"])


def test_an_unreadable_stored_comparison_is_compared_again_with_one_warning(
    week: Path, tmp_path: Path, compared: list[tuple[str, ...]]
) -> None:
    archive = week / "archive.sqlite"
    with closing(sqlite3.connect(archive)) as conn, conn:
        (key,) = conn.execute("SELECT key FROM comparisons ORDER BY key LIMIT 1").fetchone()
        conn.execute("UPDATE comparisons SET result = ? WHERE key = ?", (b'{"alignments": 7}', key))
    assert build(tmp_path / "in", week) == (
        0,
        [
            f"reporter: warning: archive {archive}: 1 stored event comparison could not be read; "
            "its event is compared again"
        ],
    )
    assert len(compared) == 1
    assert comparable(week) == cold(tmp_path / "in", tmp_path / "cold")
    assert not (week / "archive.sqlite.old").exists(), "one bad comparison is no damaged archive"
    # the row was replaced: the next run takes it
    compared.clear()
    assert build(tmp_path / "in", week) == (0, [])
    assert compared == []


def test_a_stored_comparison_that_is_another_events_is_compared_again(
    week: Path, tmp_path: Path, compared: list[tuple[str, ...]]
) -> None:
    # what a stale or planted row looks like: under one event's key, another event's comparison
    archive = week / "archive.sqlite"
    rows = raw_rows(archive, "SELECT key, members, result FROM comparisons ORDER BY key")
    with closing(sqlite3.connect(archive)) as conn, conn:
        conn.execute("UPDATE comparisons SET result = ? WHERE key = ?", (rows[1][2], rows[0][0]))
        conn.execute("UPDATE comparisons SET members = ? WHERE key = ?", (rows[1][1], rows[2][0]))
    assert build(tmp_path / "in", week) == (0, [])
    assert len(compared) == 2
    assert comparable(week) == cold(tmp_path / "in", tmp_path / "cold")


def test_the_grouping_change_is_shown_in_the_changes_since_the_last_briefing(week: Path, tmp_path: Path) -> None:
    grow(tmp_path / "in")
    assert build(tmp_path / "in", week) == (0, [])
    data = json.loads((week / "briefing.json").read_text(encoding="utf-8"))
    bridge = next(e for e in data["events"] if len(e["articles"]) == 3)
    assert data["changes"]["grouping"] == [
        {"kind": "joined", "events": [bridge["id"]], "before": [bridge["title"]], "articles": 1}
    ]
    html = (week / "briefing.html").read_text(encoding="utf-8")
    changes = html[html.index('id="changes"') :]
    assert f"1 article joined the event “{bridge['title']}”" in changes
    assert "1 grouping change" in changes
    digest = (week / "briefing.md").read_text(encoding="utf-8")
    assert f"- Events: **1 article joined the event “{bridge['title']}”**" in digest


def test_a_run_on_an_archive_of_schema_2_keeps_its_history(week: Path, tmp_path: Path) -> None:
    from .test_archive import as_schema

    archive = week / "archive.sqlite"
    as_schema(archive, 2)
    grow(tmp_path / "in")
    code, err = build(tmp_path / "in", week)
    assert (code, err) == (0, [f"reporter: warning: archive {archive}: migrated from schema 2 to 3"])
    changes = json.loads((week / "briefing.json").read_text(encoding="utf-8"))["changes"]
    assert changes["articles_new"] == 3 and changes["grouping"] == [], "the last briefing's events were not kept"


def _article(name: str) -> Article:
    return Article(name, f"in/{name}.txt", "text", None, None, None, None, "report", name)


def _briefing(events: dict[str, list[str]], titles: dict[str, str]) -> Briefing:
    names = sorted({a for members in events.values() for a in members})
    return Briefing(
        title="",
        generated="",
        version="",
        articles=tuple(_article(n) for n in names),
        events=tuple(Event(e, titles[e], tuple(m), None, None, "") for e, m in events.items()),
        discrepancies=(),
        skipped=(),
    )


def _past(events: dict[str, list[str]], titles: dict[str, str]) -> PastBriefing:
    paths = {f"in/{a}.txt": e for e, members in events.items() for a in members}
    return PastBriefing(1, "", None, {p: Path(p).stem for p in paths}, (), paths, titles)


def test_grouping_changes_name_joined_merged_and_split_events() -> None:
    titles = {"p1": "Bridge", "p2": "Fire", "p3": "Cup", "e1": "Bridge and fire", "e2": "Cup final", "e3": "Cup news"}
    before = _past({"p1": ["a", "b"], "p2": ["c", "d"], "p3": ["e", "f", "g"]}, titles)
    now = _briefing({"e1": ["a", "b", "c", "d", "x"], "e2": ["e", "f", "y"], "e3": ["g", "z"]}, titles)
    assert grouping_changes(now, before) == (
        GroupingChange("merged", ("e1",), ("Bridge", "Fire"), 1),
        GroupingChange("joined", ("e2",), ("Cup",), 1),
        GroupingChange("split", ("e2", "e3"), ("Cup",), 0),
    )
    # one article that moves to another event: it joined that one, and its own event split
    moved = _briefing({"e1": ["a", "b", "c"], "p2": ["d"], "p3": ["e", "f", "g"]}, titles | {"e1": "Bridge"})
    assert grouping_changes(moved, before) == (
        GroupingChange("joined", ("e1",), ("Bridge",), 1),
        GroupingChange("split", ("e1", "p2"), ("Fire",), 0),
    )
    same = _briefing({"p1": ["a", "b"], "p2": ["c", "d"], "p3": ["e", "f", "g"], "n": ["x"]}, titles | {"n": "New"})
    assert grouping_changes(same, before) == (), "a new event of new articles changes no grouping"


def test_comparisons_no_run_took_for_two_months_are_dropped(
    week: Path, tmp_path: Path, compared: list[tuple[str, ...]]
) -> None:
    archive = week / "archive.sqlite"
    with closing(sqlite3.connect(archive)) as conn, conn:
        conn.execute("UPDATE comparisons SET used = '2000-01-01T00:00:00Z'")
        conn.execute("INSERT INTO comparisons SELECT 'gone', event, members, result, used FROM comparisons LIMIT 1")
    assert build(tmp_path / "in", week) == (0, [])
    assert compared == [], "an old comparison is still taken while its articles stay the same"
    keys = {key for (key,) in raw_rows(archive, "SELECT key FROM comparisons")}
    assert len(keys) == 3 and "gone" not in keys
