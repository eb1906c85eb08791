"""The command line: exit codes, messages, help."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from reporter import __version__

from .conftest import run


def test_build_with_no_source_reads_seeds(tmp_path: Path) -> None:
    code, _, err = run("build", "--out", str(tmp_path), "--format", "json")
    assert code == 0
    data = json.loads((tmp_path / "briefing.json").read_text(encoding="utf-8"))
    assert len([a for a in data["articles"] if a["role"] == "report"]) == 5
    assert "5 articles, 3 events" in err


def test_missing_source_is_a_one_line_usage_error(tmp_path: Path) -> None:
    code, _, err = run("build", str(tmp_path / "nope"), "--out", str(tmp_path))
    assert code == 2
    assert err == f"reporter: error: no such file or folder: {tmp_path / 'nope'}\n"


@pytest.mark.parametrize("flag", [(), ("--reference",)])
def test_a_path_too_long_to_look_up_is_a_one_line_usage_error(tmp_path: Path, flag: tuple[str, ...]) -> None:
    long = "x" * 300  # longer than a file name may be: looking it up raises, it is not merely missing
    code, _, err = run("build", *flag, long, "--out", str(tmp_path), "--format", "json")
    assert code == 2
    assert err == f"reporter: error: cannot look up {long}: File name too long\n"


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("build", "--format", "docx", "--out", str(tmp_path))
    assert code == 2
    assert err == "reporter: error: unknown format 'docx' (choose from html, pdf, json, md)\n"


def test_nothing_readable_exits_1_and_lists_skipped(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    code, _, err = run("build", str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 1
    lines = err.strip().split("\n")
    assert lines[0] == f"reporter: warning: skipped {tmp_path / 'empty.txt'}: empty file"
    assert lines[-1] == "reporter: error: no article could be read (1 skipped)"
    assert not (tmp_path / "out").exists()


def test_bad_file_is_skipped_and_listed_in_the_briefing(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text("The council approved the bridge on Tuesday after a long debate.", encoding="utf-8")
    (src / "bad.json").write_text("{oops", encoding="utf-8")
    code, _, err = run("build", str(src), "--out", str(tmp_path / "out"), "--format", "json")
    assert code == 0
    assert "reporter: warning: skipped" in err and "bad.json: malformed JSON" in err
    data = json.loads((tmp_path / "out" / "briefing.json").read_text(encoding="utf-8"))
    assert [s["reason"][:14] for s in data["skipped"]] == ["malformed JSON"]


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"reporter, version {__version__}"


@pytest.mark.parametrize("command", [[], ["build"]])
def test_every_command_has_help(command: list[str]) -> None:
    code, out, _ = run(*command, "--help")
    assert code == 0 and "Usage:" in out


def test_timings_only_on_request(tmp_path: Path) -> None:
    code, _, err = run("build", "--format", "json", "--out", str(tmp_path / "plain"), "--quiet")
    assert code == 0 and err == ""
    assert "timings" not in json.loads((tmp_path / "plain" / "briefing.json").read_text(encoding="utf-8"))
    code, _, err = run("build", "--format", "json", "--out", str(tmp_path / "timed"), "--quiet", "--timings")
    timings = json.loads((tmp_path / "timed" / "briefing.json").read_text(encoding="utf-8"))["timings"]
    assert code == 0 and set(timings) == {"read", "extract", "group", "prepare", "compare"}
    assert err.startswith("timings: read ")


def test_fail_on_conflict_exits_3_after_writing(tmp_path: Path) -> None:
    code, _, err = run("build", "--format", "json", "--out", str(tmp_path), "--quiet", "--fail-on", "conflict")
    assert code == 3
    assert err == "reporter: error: --fail-on conflict: the briefing lists 2 conflicts\n"
    assert (tmp_path / "briefing.json").is_file()  # written first: CI keeps the artifact


def test_fail_on_not_matched_exits_0(tmp_path: Path) -> None:
    src = tmp_path / "one.txt"
    src.write_text("The council approved the bridge on Tuesday after a long debate.", encoding="utf-8")
    code, _, _ = run("build", str(src), "--format", "json", "--out", str(tmp_path / "out"), "--fail-on", "variant")
    assert code == 0


def test_same_inputs_and_source_date_epoch_give_identical_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1732492800")
    outputs = []
    for name in ("one", "two"):
        code, _, _ = run("build", "--out", str(tmp_path / name), "--quiet")
        assert code == 0
        outputs.append({f: (tmp_path / name / f"briefing.{f}").read_bytes() for f in ("json", "html", "pdf", "md")})
    assert outputs[0] == outputs[1]
    assert b"2024-11-25T00:00:00Z" in outputs[0]["json"]


def test_unreachable_scheduler_is_a_one_line_error(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on: bound, never listening
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
        code, _, err = run("build", "--format", "json", "--out", str(tmp_path), "--scheduler", address)
    assert code == 1
    assert err.startswith(f"reporter: error: cannot reach the Dask scheduler at {address}: ")
    assert err.count("\n") == 1
    assert not (tmp_path / "briefing.json").exists()
