"""Reviewed flags: what `reporter review` writes the next build reads; what it cannot read is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run
from .test_runs import briefing, conflicts, week_one
from .test_settings import one_error


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Build two disagreeing articles in tmp_path (the working folder); return the conflict's id."""
    monkeypatch.chdir(tmp_path)
    week_one(tmp_path / "in")
    assert run("build", "in", "--format", "json", "--quiet")[0] == 0
    flag: str = conflicts(briefing(tmp_path / "out"))[0]["id"]
    return flag


# --- what review writes ----------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["a\x7fb", 'say "no"\\', "tab\tand\nnewline", "\x1b[31mred\x1b[0m", "日本語 ✓"])
def test_any_reason_review_writes_is_read_by_the_next_build(built: str, tmp_path: Path, reason: str) -> None:
    code, _, err = run("review", built, "--dismiss", reason)
    assert code == 0, err
    assert err.count("\n") == 1 and "\x1b" not in err and "\x7f" not in err
    code, _, err = run("build", "in", "--format", "json", "--fail-on", "conflict")
    assert code == 0, err
    dismissed = briefing(tmp_path / "out")["dismissed"]
    assert [(d["flag"]["id"], d["review"]["reason"]) for d in dismissed] == [(built, reason.strip())]


def test_a_reason_of_bytes_that_are_not_utf8_is_a_one_line_error(built: str, tmp_path: Path) -> None:
    code, _, err = run("review", built, "--dismiss", "caf\udce9")  # $'caf\xe9' from a UTF-8 terminal
    assert code == 2
    assert one_error(err) == "the reason must be text: it holds bytes that are not UTF-8"
    assert not (tmp_path / "out" / "reviews.toml").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[]", "the file must be an object"),
        ("{}", "'articles' must be a list"),
        ('{"articles": [], "discrepancies": [{"id": 1}]}', "a flag's id must be a non-empty string"),
        ('{"articles": [{"id": "a-1"}], "discrepancies": []}', "article 1's path must be a non-empty string"),
        (
            '{"articles": [], "discrepancies": [{"id": "d-1", "kind": "number", "a": {"article": "a-1"}}]}',
            "flag d-1's side a names article a-1, which the file does not list",
        ),
        (
            '{"articles": [], "discrepancies": [], "dismissed": [{"review": {}}]}',
            "dismissed 1's flag must be an object",
        ),
    ],
)
def test_a_briefing_json_of_another_shape_is_a_one_line_error(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "briefing.json").write_text(content, encoding="utf-8")
    code, _, err = run("review", "d-1", "--dismiss", "x", "--out", str(tmp_path / "out"))
    assert code == 2
    where = tmp_path / "out" / "briefing.json"
    assert one_error(err) == f"{where}: not a briefing.json written by reporter ({expected})"


def test_a_reviews_file_that_is_a_folder_is_an_error_not_ignored(built: str, tmp_path: Path) -> None:
    (tmp_path / "out" / "reviews.toml").mkdir()
    code, _, err = run("build", "in", "--format", "json")
    assert code == 2
    assert one_error(err) == "out/reviews.toml: cannot read reviews: it is a folder, not a file"
    code, _, err = run("review", built, "--accept", "checked")
    assert code == 2
    assert one_error(err) == "out/reviews.toml: cannot read reviews: it is a folder, not a file"
