"""Weekly runs: configuration, date windows, the archive, changes between briefings, reviewed flags."""

from __future__ import annotations

import fcntl
import io
import json
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from reporter import pipeline
from reporter.archive import SCHEMA
from reporter.cli import _ProgressLine
from reporter.run import LOCK_NAME

from .conftest import raw_rows, run

ROOT = Path(__file__).resolve().parent.parent

BRIDGE = (
    "The regional council approved the new bridge over the Lune river on Tuesday after a long debate. "
    "The bridge will be 1,200 metres long and cost {cost} million euros, the council said."
)
STADIUM = (
    "Engineers finished the roof of the Kestrel Park stadium in Norburgh on Thursday. "
    "The stadium will seat {seats} fans when it opens next spring, the club said."
)


def article(folder: Path, name: str, outlet: str, published: str | None, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {"title": text.split(".")[0], "outlet": outlet, "text": text}
    if published:
        data["published"] = published
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def week_one(folder: Path) -> None:
    article(folder, "bridge-a.json", "The Courier", "2024-11-19", BRIDGE.format(cost=45))
    article(folder, "bridge-b.json", "Daily Paper", "2024-11-20", BRIDGE.format(cost=54))


def week_two(folder: Path) -> None:
    article(folder, "stadium-a.json", "The Courier", "2024-11-26", STADIUM.format(seats="30,000"))
    article(folder, "stadium-b.json", "Daily Paper", "2024-11-27", STADIUM.format(seats="35,000"))


def briefing(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    return data


def conflicts(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in data["discrepancies"] if d["severity"] == "conflict"]


def values(flag: dict[str, Any]) -> set[str]:
    return {flag["a"]["value"], flag["b"]["value"]}


# --- configuration ---------------------------------------------------------------------------


def test_init_writes_an_example_that_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    week_one(tmp_path / "articles")
    code, _, err = run("init")
    assert code == 0, err
    text = (tmp_path / "briefing.toml").read_text(encoding="utf-8")
    assert "[window]" in text and "[grouping]" in text and "[archive]" in text
    # the example's window is the last 7 days: widen it to these articles' week
    code, _, err = run("build", "--format", "json", "--as-of", "2024-11-24", "--quiet")
    assert code == 0, err
    data = briefing(tmp_path / "out")
    assert data["title"] == "Weekly source comparison"
    assert data["window"]["since"] == "2024-11-18" and data["window"]["until"] == "2024-11-24"
    assert len(conflicts(data)) == 1
    code, _, err = run("init")
    assert code == 2 and "exists" in err and "--force" in err


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('titel = "x"', "unknown key 'titel'"),
        ('paper = "a3"', "key 'paper' must be one of 'a4', 'letter'"),
        ("[window]\nweek = 'W48'", "key 'window.week' must be an ISO week"),
        ("[window]\nweek = '2024-W48'\nlast = '7d'", "give one of week, last or since/until"),
        ("[grouping]\nthreshold = 2", "key 'grouping.threshold' must be a number between 0 and 1"),
        ("[archive]\nkeep = true", "unknown key 'archive.keep'"),
        ('formats = ["html", "docx"]', "key 'formats' must be a list drawn from"),
        ("title = ", "not valid TOML"),
    ],
)
def test_a_wrong_key_or_value_is_one_line_naming_key_and_file(tmp_path: Path, toml: str, expected: str) -> None:
    config = tmp_path / "briefing.toml"
    config.write_text(toml + "\n", encoding="utf-8")
    code, _, err = run("build", "--config", str(config), "--out", str(tmp_path / "out"))
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"reporter: error: {config}: ") and expected in err
    assert not (tmp_path / "out").exists()


def test_flags_override_the_file_and_paths_are_relative_to_it(tmp_path: Path) -> None:
    project = tmp_path / "desk"
    week_one(project / "articles")
    (project / "briefing.toml").write_text(
        'title = "From the file"\nsources = ["articles"]\nout = "briefings"\nformats = ["json"]\n'
        "[grouping]\napart = [['articles/bridge-a.json', 'articles/bridge-b.json']]\n",
        encoding="utf-8",
    )
    code, _, err = run("build", "--config", str(project / "briefing.toml"), "--quiet")
    assert code == 0, err
    data = briefing(project / "briefings")
    assert data["title"] == "From the file"
    assert len(data["events"]) == 2, "the configuration keeps the two articles apart"
    assert any("kept apart by the configuration" in e["why"] for e in data["events"])
    code, _, err = run("build", "--config", str(project / "briefing.toml"), "--title", "From the flag", "--quiet")
    assert code == 0, err
    assert briefing(project / "briefings")["title"] == "From the flag"


# --- date windows ----------------------------------------------------------------------------


def test_a_week_window_leaves_other_weeks_out_and_keeps_undated(tmp_path: Path) -> None:
    week_one(tmp_path / "in")
    week_two(tmp_path / "in")
    article(tmp_path / "in", "undated.json", "Weekly Post", None, STADIUM.format(seats="about 30,000"))
    code, _, err = run("build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--format", "json",
                       "--week", "2024-W48", "--no-archive")  # fmt: skip
    assert code == 0, err
    data = briefing(tmp_path / "out")
    paths = {Path(a["path"]).name for a in data["articles"]}
    assert paths == {"stadium-a.json", "stadium-b.json", "undated.json"}
    assert data["window"] == {"since": "2024-11-25", "until": "2024-12-01", "label": "2024-W48", "outside": 2,
                              "undated": 1}  # fmt: skip
    assert "window 2024-W48: 2 outside, 1 undated" in err


def test_last_counts_back_from_as_of(tmp_path: Path) -> None:
    week_one(tmp_path / "in")
    week_two(tmp_path / "in")
    code, _, err = run("build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--format", "json",
                       "--last", "2d", "--as-of", "2024-11-20", "--no-archive")  # fmt: skip
    assert code == 0, err
    data = briefing(tmp_path / "out")
    assert {Path(a["path"]).name for a in data["articles"]} == {"bridge-a.json", "bridge-b.json"}
    assert (data["window"]["since"], data["window"]["until"]) == ("2024-11-19", "2024-11-20")


@pytest.mark.parametrize(
    "args",
    [("--week", "2024-W60"), ("--last", "seven days"), ("--since", "20 Nov"), ("--week", "2024-W48", "--last", "7d")],
)
def test_a_bad_window_is_a_usage_error(tmp_path: Path, args: tuple[str, ...]) -> None:
    code, _, err = run("build", "--out", str(tmp_path / "out"), *args)
    assert code == 2 and "Traceback" not in err


# --- the archive -------------------------------------------------------------------------------


def test_two_weekly_runs_show_the_archive_at_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    parsed: list[str] = []
    real = pipeline.read_file
    monkeypatch.setattr(pipeline, "read_file", lambda source: parsed.append(Path(source.path).name) or real(source))
    week_one(folder)
    code, _, err = run("build", str(folder), "--out", str(out), "--format", "json,md", "--fail-on", "new-conflict")
    assert code == 3, "the first briefing's conflict is new"
    first = briefing(out)
    assert first["changes"] is None
    assert sorted(parsed) == ["bridge-a.json", "bridge-b.json"]

    # a week later: two new articles, and one of last week's corrected
    parsed.clear()
    week_two(folder)
    corrected = BRIDGE.format(cost=45) + " An earlier version of this article gave the wrong cost."
    article(folder, "bridge-b.json", "Daily Paper", "2024-11-20", corrected)
    code, _, err = run("build", str(folder), "--out", str(out), "--format", "json,md")
    assert code == 0, err
    assert sorted(parsed) == ["bridge-b.json", "stadium-a.json", "stadium-b.json"], (
        "unchanged files come from the archive"
    )
    second = briefing(out)
    changes = second["changes"]
    assert changes["previous"] == first["generated"]
    assert [values(f) for f in conflicts(second)] == [{"30,000", "35,000"}]
    assert changes["status"][conflicts(second)[0]["id"]] == "new"
    assert [{f["a_value"], f["b_value"]} for f in changes["resolved"]] == [{"45 million", "54 million"}]
    assert [Path(p).name for p in changes["corrected"]] == ["bridge-b.json"]
    assert changes["articles_new"] == 2
    digest = (out / "briefing.md").read_text(encoding="utf-8")
    assert "## Changes since the last briefing" in digest and "a source was corrected" in digest
    assert "1 new flag, 0 still open, 1 resolved, 2 new articles, 1 corrected article." in digest

    # the same folder again: nothing is parsed, the conflict is still open
    parsed.clear()
    code, _, err = run("build", str(folder), "--out", str(out), "--format", "json", "--fail-on", "new-conflict")
    assert code == 0, err
    assert parsed == []
    third = briefing(out)
    assert set(third["changes"]["status"].values()) == {"open"}
    code, _, err = run("build", str(folder), "--out", str(out), "--format", "md", "--quiet")
    assert code == 0, err
    digest = (out / "briefing.md").read_text(encoding="utf-8")
    # a flag still open is counted, not listed again: it is in the briefing below
    assert "0 new flags, 1 still open, 0 resolved" in digest and "Still open:" not in digest
    code, shown, _ = run("archive", "--out", str(out))
    assert code == 0 and "4 briefings recorded" in shown
    assert "5 files cached" in shown, "both versions of the corrected file are kept"


def test_flags_of_articles_that_left_the_window_are_counted_not_resolved(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    week_one(folder)
    week_two(folder)
    assert run("build", str(folder), "--out", str(out), "--format", "json", "--week", "2024-W47")[0] == 0
    assert run("build", str(folder), "--out", str(out), "--format", "json", "--week", "2024-W48")[0] == 0
    changes = briefing(out)["changes"]
    assert changes["resolved"] == [] and changes["gone"] == 1
    assert changes["previous_window"] == "2024-W47"


def test_an_archive_of_another_schema_is_moved_aside_not_misread(tmp_path: Path) -> None:
    week_one(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    with sqlite3.connect(out / "archive.sqlite") as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA + 1),))
    conn.close()
    code, _, err = run("build", str(tmp_path / "in"), "--out", str(out), "--format", "json")
    assert code == 0, err
    assert "written by a newer reporter" in err and "archive.sqlite.old" in err
    assert (out / "archive.sqlite.old").exists()
    assert briefing(out)["changes"] is None
    (out / "archive.sqlite").write_bytes(b"this is not a database" * 100)
    code, _, err = run("build", str(tmp_path / "in"), "--out", str(out), "--format", "json")
    assert code == 0, err
    assert "cannot be read" in err and "Traceback" not in err


def test_cached_readings_of_other_code_are_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    week_one(tmp_path / "in")
    out = tmp_path / "out"
    assert run("build", str(tmp_path / "in"), "--out", str(out), "--format", "json")[0] == 0
    monkeypatch.setattr("reporter.archive.code_fingerprint", lambda: "other-code")
    code, _, err = run("build", str(tmp_path / "in"), "--out", str(out), "--format", "json")
    assert code == 0, err
    assert "cached file(s) were read by reporter" in err
    assert briefing(out)["changes"] is not None, "the history of flags is kept"


def test_no_archive_writes_none(tmp_path: Path) -> None:
    week_one(tmp_path / "in")
    assert (
        run("build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--format", "json", "--no-archive")[0] == 0
    )
    assert not (tmp_path / "out" / "archive.sqlite").exists()
    code, _, err = run("archive", "--out", str(tmp_path / "out"))
    assert code == 2 and "no archive at" in err


def test_dated_folders_keep_each_week(tmp_path: Path) -> None:
    week_one(tmp_path / "in")
    week_two(tmp_path / "in")
    for week in ("2024-W47", "2024-W48"):
        code, _, err = run("build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--format", "json",
                           "--week", week, "--dated")  # fmt: skip
        assert code == 0, err
    assert (tmp_path / "out" / "2024-W47" / "briefing.json").exists()
    assert (tmp_path / "out" / "2024-W48" / "briefing.json").exists()
    assert (tmp_path / "out" / "archive.sqlite").exists(), "one archive for all weeks"


def test_same_archive_state_and_epoch_give_identical_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1732492800")
    week_one(tmp_path / "in")
    out = tmp_path / "out"
    assert run("build", str(tmp_path / "in"), "--out", str(out), "--format", "json")[0] == 0
    saved = (out / "archive.sqlite").read_bytes()
    outputs = []
    for _ in range(2):
        (out / "archive.sqlite").write_bytes(saved)
        assert run("build", str(tmp_path / "in"), "--out", str(out), "--quiet")[0] == 0
        outputs.append({f: (out / f"briefing.{f}").read_bytes() for f in ("json", "html", "pdf", "md")})
    assert outputs[0] == outputs[1]
    assert b'"previous": "2024-11-25T00:00:00Z"' in outputs[0]["json"]


# --- reviewed flags ----------------------------------------------------------------------------


def test_a_dismissed_flag_leaves_the_briefing_and_fail_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    week_one(tmp_path / "in")
    code, _, _ = run("build", "in", "--format", "json", "--fail-on", "conflict", "--quiet")
    assert code == 3
    flag = conflicts(briefing(tmp_path / "out"))[0]["id"]
    code, _, err = run("review", flag[:6], "--dismiss", "same figure, the second is a typo")
    assert code == 0, err
    reviews = tmp_path / "out" / "reviews.toml"  # no config: beside the archive, in the output folder
    assert 'reason = "same figure, the second is a typo"' in reviews.read_text(encoding="utf-8")
    code, _, err = run("build", "in", "--format", "json,html", "--fail-on", "conflict")
    assert code == 0, err
    data = briefing(tmp_path / "out")
    assert conflicts(data) == []
    assert [d["flag"]["id"] for d in data["dismissed"]] == [flag]
    assert "1 dismissed" in err
    html = (tmp_path / "out" / "briefing.html").read_text(encoding="utf-8")
    assert "Dismissed by an analyst" in html and "the second is a typo" in html


def test_an_accepted_flag_is_marked_and_still_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    week_one(tmp_path / "in")
    assert run("build", "in", "--format", "json", "--quiet")[0] == 0
    flag = conflicts(briefing(tmp_path / "out"))[0]["id"]
    assert run("review", flag, "--accept", "checked with both desks")[0] == 0
    code, _, _ = run("build", "in", "--format", "json", "--fail-on", "conflict", "--quiet")
    assert code == 3
    review = conflicts(briefing(tmp_path / "out"))[0]["review"]
    assert review["status"] == "accepted" and review["reason"] == "checked with both desks"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("d-0000000000", "--dismiss", "x"), "no flag d-0000000000"),
        (("d-", "--dismiss", "x", "--accept", "y"), "give one of --accept"),
        (("d-", "--dismiss", "  "), "must not be empty"),
    ],
)
def test_review_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: Any, expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    week_one(tmp_path / "in")
    article(tmp_path / "in", "bridge-c.json", "Third Paper", "2024-11-20", BRIDGE.format(cost=47))
    assert run("build", "in", "--format", "json", "--quiet")[0] == 0
    code, _, err = run("review", *args)
    assert code == 2 and expected in err and err.count("\n") == 1


def test_a_broken_reviews_file_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    week_one(tmp_path / "in")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "reviews.toml").write_text('[[review]]\nid = "d-1"\nstatus = "maybe"\n', encoding="utf-8")
    code, _, err = run("build", "in", "--format", "json")
    assert code == 2 and "reviews.toml: review 1" in err and "Traceback" not in err


# --- faults during a run ---------------------------------------------------------------------


def test_a_second_run_on_the_same_folder_waits_then_fails_cleanly(tmp_path: Path) -> None:
    week_one(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK_NAME, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("4242")
        held.flush()
        started = time.monotonic()
        code, _, err = run(
            "build", str(tmp_path / "in"), "--out", str(out), "--format", "json", "--lock-timeout", "0.5"
        )
        assert time.monotonic() - started >= 0.5, "it waited"
        assert code == 1
        assert err == f"reporter: error: another run (pid 4242) is writing to {out}; waited 0.5 s " \
                      "(lock_timeout in briefing.toml, --lock-timeout)\n"  # fmt: skip
        assert not (out / "briefing.json").exists()
    code, _, err = run("build", str(tmp_path / "in"), "--out", str(out), "--format", "json", "--lock-timeout", "0.5")
    assert code == 0, err


def _complete(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".json":
        json.loads(data)
        return True
    if path.suffix == ".pdf":
        return data.rstrip().endswith(b"%%EOF")
    if path.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    return bool(data)


def test_a_killed_run_leaves_whole_files_and_a_consistent_archive(tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "reporter.cli", "build", "seeds", "--out", str(out), "--quiet"]
    assert subprocess.run(command, cwd=ROOT, capture_output=True).returncode == 0
    before = {p.name: p.read_bytes() for p in out.glob("briefing.*")}
    # killed outright while comparing, then stopped (SIGTERM) while writing
    for signum, delay in ((signal.SIGKILL, 1.2), (signal.SIGTERM, 2.0)):
        process = subprocess.Popen([*command, "--title", "Second"], cwd=ROOT, stderr=subprocess.PIPE)
        time.sleep(delay)
        process.send_signal(signum)
        _, err = process.communicate(timeout=60)  # also proves no orphaned worker holds the pipe open
        assert b"Traceback" not in err
        for path in out.glob("briefing.*"):
            assert _complete(path), f"{path.name} is half-written"
            assert path.read_bytes() == before[path.name] or b"Second" in path.read_bytes() or path.suffix == ".pdf"
        if signum == signal.SIGTERM:
            assert not list(out.glob(".briefing.*")), "a stopped run removes its temporary files"
            runs = [sorted(p.name for p in run.iterdir()) for run in (out / ".runs").iterdir()]
            assert all(len(names) == 4 for names in runs), f"a stopped run leaves no half-written run folder: {runs}"
        assert raw_rows(out / "archive.sqlite", "PRAGMA integrity_check") == [("ok",)]
    # the next run clears what a killed one left, and the archive still reads; out/ shows its set only
    assert subprocess.run([*command, "--format", "json"], cwd=ROOT, capture_output=True).returncode == 0
    assert not list(out.glob(".briefing.*"))
    assert sorted(p.name for p in out.iterdir()) == [".runs", "archive.sqlite", "briefing.json", "current"]


def test_progress_is_drawn_on_a_terminal_only(tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    line = _ProgressLine(screen)
    line("read", 1, 4)
    line("read", 4, 4)
    line.clear()
    assert "read     [#####...............] 1/4" in screen.getvalue()
    assert "4/4" in screen.getvalue() and screen.getvalue().endswith("\r")
    # CliRunner's stderr is not a terminal: the summary line and nothing else
    week_one(tmp_path / "in")
    code, _, err = run("build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--format", "json")
    assert code == 0 and "\r" not in err and err.count("\n") == 1


def test_the_ci_example_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workflow = yaml.safe_load((ROOT / "docs" / "github-actions-briefing.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["briefing"]["steps"]
    command = next(s["run"] for s in steps if str(s.get("run", "")).startswith("reporter build"))
    uploaded = next(s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    cached = next(s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/cache/save"))
    monkeypatch.chdir(tmp_path)
    assert run("init")[0] == 0
    today = date.today()
    article(tmp_path / "articles", "a.json", "The Courier", today.isoformat(), BRIDGE.format(cost=45))
    article(tmp_path / "articles", "b.json", "Daily Paper", today.isoformat(), BRIDGE.format(cost=54))
    code, _, err = run(*shlex.split(command)[1:])
    assert code == 3 and "--fail-on new-conflict" in err, "a new conflict stops the job"
    assert all((tmp_path / p).is_file() for p in uploaded.split()), "the briefing is there to upload"
    assert (tmp_path / cached).is_file()
    assert run(*shlex.split(command)[1:])[0] == 0, "the same conflict a week later is not new"


def test_every_stage_reports_progress(tmp_path: Path) -> None:
    from reporter.pipeline import BuildOptions, build_briefing

    week_one(tmp_path / "in")
    seen: list[tuple[str, int, int]] = []
    build_briefing(BuildOptions(sources=[str(tmp_path / "in")]), warn=lambda _: None,
                   progress=lambda *step: seen.append(step))  # fmt: skip
    stages = list(dict.fromkeys(stage for stage, _, _ in seen))
    # dated articles are split into sentences while grouping runs: extract starts before group
    assert sorted(stages) == ["compare", "extract", "group", "prepare", "read"]
    assert stages[0] == "read" and stages[-1] == "compare"
    assert all(any(s == stage and done == total for s, done, total in seen) for stage in stages), "each stage ends"
