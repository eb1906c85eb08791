"""Settings, options and environment: every bad value is one line and an exit code, never a traceback."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import run
from .test_runs import BRIDGE, STADIUM, article, week_one


def one_error(err: str) -> str:
    """Return the message of stderr's one line 'reporter: error: …', failing on anything else."""
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("reporter: error: "), err
    return err[len("reporter: error: ") : -1]


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with two articles of one week, as the working folder."""
    monkeypatch.chdir(tmp_path)
    week_one(tmp_path / "in")
    return tmp_path


def config(folder: Path, text: str) -> None:
    (folder / "briefing.toml").write_text('sources = ["in"]\nformats = ["json"]\n' + text, encoding="utf-8")


# --- dates, spans, numbers -------------------------------------------------------------------


def test_a_date_and_time_in_the_window_is_a_one_line_error(desk: Path) -> None:
    config(desk, "[window]\nsince = 2024-01-01T10:00:00Z\n")
    code, _, err = run("build")
    assert code == 2
    assert one_error(err) == (
        "briefing.toml: key 'window.since' must be a date as YYYY-MM-DD, "
        "not a date and time (2024-01-01T10:00:00+00:00)"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--as-of", "0001-01-01", "--last", "7d"], "must be a date from 1000-01-01 to 9000-12-31, not 0001-01-01"),
        (["--last", "999999d"], "must be at most 36500 days (5214w), not '999999d'"),
        (["--last", "9" * 5000 + "d"], "must be a span such as 7d or 2w"),
        (["--week", "9999-W52"], "must be a week of the years 1000 to 9000, not '9999-W52'"),
        (["--since", "2024-02-30"], "'2024-02-30' is not a day of the calendar"),
        (["--until", "20241125"], "must be a date as YYYY-MM-DD, not '20241125'"),
    ],
)
def test_dates_and_spans_out_of_bounds_are_one_line_errors(desk: Path, args: list[str], expected: str) -> None:
    code, _, err = run("build", "in", "--format", "json", *args)
    assert code == 2
    assert expected in one_error(err)
    assert not (desk / "out").exists()


@pytest.mark.parametrize("epoch", ["253402300800", "99999999999999999", "1.5e9", "-1", "²"])
def test_a_bad_source_date_epoch_is_a_one_line_error(desk: Path, monkeypatch: pytest.MonkeyPatch, epoch: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    code, _, err = run("build", "in", "--format", "json")
    assert code == 2
    assert one_error(err).startswith("SOURCE_DATE_EPOCH must be a whole number of seconds from 0 to ")
    assert not (desk / "out").exists()


def test_the_last_second_source_date_epoch_allows_is_read(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "221845392000")  # 9000-01-01
    code, _, err = run("build", "in", "--format", "json", "--quiet")
    assert code == 0, err
    assert json.loads((desk / "out" / "briefing.json").read_text())["generated"] == "9000-01-01T00:00:00Z"


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e9", "soon"])
def test_a_lock_timeout_that_is_no_number_of_seconds_is_refused(desk: Path, value: str) -> None:
    code, _, err = run("build", "in", "--format", "json", "--lock-timeout", value)
    assert code == 2
    assert "must be a number of seconds from 0 to 86400" in one_error(err)


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "true", '"60s"'])
def test_a_lock_timeout_in_the_file_is_read_by_the_same_parser(desk: Path, value: str) -> None:
    config(desk, f"lock_timeout = {value}\n")
    code, _, err = run("build")
    assert code == 2
    assert one_error(err) == "briefing.toml: key 'lock_timeout' must be a number of seconds from 0 to 86400"


# --- usage errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # click words some of these differently from one version to the next: only their gist is fixed
        (["build", "--bogus"], ("--bogus", "(see 'reporter build --help')")),
        (["review"], ("Missing argument 'FLAG_ID'", "(see 'reporter review --help')")),
        (["nosuch"], ("No such command 'nosuch'", "(see 'reporter --help')")),
        (["build", "--paper", "a5"], ("'--paper'", "'a5' is not one of 'a4', 'letter'")),
        (["build", "--pdf-events", "0"], ("'--pdf-events'", "must be a whole number from 1 to 1,000,000")),
    ],
)
def test_usage_errors_are_one_line(args: list[str], expected: tuple[str, str]) -> None:
    code, out, err = run(*args)
    assert code == 2 and out == ""
    message = one_error(err)
    assert all(part in message for part in expected), message


def test_help_still_shows_usage() -> None:
    code, out, _ = run("build", "--help")
    assert code == 0 and out.startswith("Usage: reporter build [OPTIONS] [SOURCES]...")


@pytest.mark.parametrize("paper", ["A4", "Letter", "a4"])
def test_paper_is_read_in_any_case_in_the_file_as_on_the_command_line(desk: Path, paper: str) -> None:
    config(desk, f'paper = "{paper}"\nfail_on = "New-Conflict"\n')
    code, _, err = run("build", "--quiet")
    assert code == 3, err  # the file's fail_on was read: the first briefing's conflict is new
    code, _, err = run("build", "in", "--format", "json", "--paper", paper, "--fail-on", "CONFLICT", "--quiet")
    assert code == 3, err


# --- what a run says -------------------------------------------------------------------------


def test_a_window_that_leaves_no_report_exits_1_and_says_so(desk: Path) -> None:
    code, _, err = run("build", "in", "--week", "2024-W30")
    assert code == 1
    assert one_error(err) == "the window 2024-W30 leaves no report to compare (2 outside it)"
    assert not (desk / "out").exists()


def test_counts_of_one_are_singular(desk: Path) -> None:
    article(desk / "in", "stadium-a.json", "The Courier", "2024-11-19", STADIUM.format(seats="30,000"))
    code, _, err = run("build", "in", "--format", "json,md", "--fail-on", "variant")
    assert code == 3
    summary, fail = err.splitlines()
    assert summary.startswith("3 articles, 2 events, 1 conflict, 0 variants, 0 skipped -> ")
    assert fail == "reporter: error: --fail-on variant: the briefing lists 1 conflict, 0 variants"
    digest = (desk / "out" / "briefing.md").read_text(encoding="utf-8")
    assert "**1** likely or possible disagreement ·" in digest or "**1** unlikely one ·" in digest
    assert "**1** likely or possible disagreements" not in digest and "**1** unlikely ones" not in digest
    article(desk / "in", "bridge-c.json", "Third Paper", "2024-11-21", BRIDGE.format(cost=47))
    code, _, err = run("build", "in", "--format", "json", "--fail-on", "conflict")
    summary, fail = err.splitlines()
    assert summary.startswith("4 articles, 2 events, 2 conflicts, 0 variants, 1 new since the last briefing, ")
    assert fail == "reporter: error: --fail-on conflict: the briefing lists 2 conflicts"
    code, shown, _ = run("archive")
    assert code == 0
    assert "  4 files cached, 4 articles with extracted sentences\n  2 briefings recorded\n" in shown
    assert " 3 articles, 2 events, 1 conflict, 0 variants, 0 dismissed\n" in shown
    assert shown.endswith("  3 event comparisons stored, reused while their articles stay the same\n")


# --- paths from briefing.toml ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "code", "expected"),
    [
        ('out = "taken"', 1, "briefing.toml: key 'out': cannot write to taken: taken is a file, not a folder"),
        ('out = "taken/out"', 1, "briefing.toml: key 'out': cannot write to taken/out: taken is a file, not a folder"),
        ('references = ["missing"]', 2, "briefing.toml: key 'references': no such file or folder: missing"),
        ('notes = "notes.md"', 2, "briefing.toml: key 'notes': notes file not found: notes.md"),
        ('notes = "in"', 2, "briefing.toml: key 'notes': notes file in is a folder, not a file"),
        ('reviews = "in"', 2, "briefing.toml: key 'reviews': in is a folder, not a file"),
        ("[archive]\npath = 'in'", 1, "briefing.toml: key 'archive.path': in is a folder, not a file"),
    ],
)
def test_an_unusable_path_from_the_file_names_its_key(desk: Path, setting: str, code: int, expected: str) -> None:
    (desk / "taken").write_text("a file", encoding="utf-8")
    config(desk, setting + "\n")
    result, _, err = run("build")
    assert result == code
    assert one_error(err) == expected


def test_a_missing_source_from_the_file_names_its_key(desk: Path) -> None:
    (desk / "briefing.toml").write_text('sources = ["in", "gone"]\n', encoding="utf-8")
    code, _, err = run("build")
    assert code == 2
    assert one_error(err) == "briefing.toml: key 'sources': no such file or folder: gone"


def test_a_path_given_by_a_flag_keeps_its_plain_message(desk: Path) -> None:
    config(desk, 'out = "taken"\n')
    (desk / "taken").write_text("a file", encoding="utf-8")
    code, _, err = run("build", "--out", "taken")
    assert code == 1
    assert one_error(err) == "cannot write to taken: it is a file, not a folder"


# --- Ctrl-C ----------------------------------------------------------------------------------

# the CLI with the process pools on from two items, so that a small run has every kind of worker
POOLED = (
    "import sys; import reporter.pipeline as p; p.PARALLEL_FILES = p.PARALLEL_ARTICLES = p.PARALLEL_PAIRS = 2; "
    "from reporter.cli import main; main(prog_name='reporter')"
)


@pytest.mark.parametrize("delay", [0.1, 1.0])
def test_ctrl_c_ends_the_run_with_one_line_and_no_output(tmp_path: Path, delay: float) -> None:
    out = tmp_path / "out"
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "-c", POOLED, "build", "seeds", "--out", str(out)],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 30
    while process.poll() is None and not children.read_text().split() and time.monotonic() < deadline:
        time.sleep(0.01)  # until the PDF worker is forked
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: to every process of the run
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stdout, stderr.decode()) == (130, b"", "reporter: interrupted\n")
    assert not out.exists(), "the run made the output folder, and takes it away again"
    assert _running_in_group(process.pid) == [], "no worker of the run is left"


def _running_in_group(group: int) -> list[str]:
    """Return the commands of the processes of a process group still running (not exited and unreaped)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            name, rest = stat.read_text().rsplit(")", 1)
            state, _, pgid = rest.split()[:3]
            if int(pgid) == group and state != "Z":  # a zombie has exited: its parent, init here, reaps it
                found.append(name.split("(", 1)[1])
    return found
