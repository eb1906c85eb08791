"""Reviewed flags and history: what `reporter review` writes the next build reads, wherever either runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reporter.ingest import discover

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


# --- where reviews and history live ----------------------------------------------------------


def test_review_and_build_find_the_reviews_file_wherever_they_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk, elsewhere = tmp_path / "desk", tmp_path / "elsewhere"
    elsewhere.mkdir()
    week_one(desk / "in")
    out = desk / "out"
    monkeypatch.chdir(desk)
    assert run("build", "in", "--out", "out", "--format", "json", "--quiet")[0] == 0
    flag = conflicts(briefing(out))[0]["id"]
    monkeypatch.chdir(elsewhere)
    code, _, err = run("review", flag, "--dismiss", "a typo", "--out", str(out))
    assert code == 0, err
    assert err == f"{flag}: dismissed (a typo) -> {out / 'reviews.toml'}\n"
    assert list(elsewhere.iterdir()) == []
    monkeypatch.chdir(tmp_path)
    code, _, err = run("build", "desk/in", "--out", "desk/out", "--format", "json", "--fail-on", "conflict")
    assert code == 0, err
    assert [d["flag"]["id"] for d in briefing(out)["dismissed"]] == [flag]


def test_with_a_config_the_reviews_file_sits_beside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    desk = tmp_path / "desk"
    week_one(desk / "in")
    (desk / "briefing.toml").write_text('sources = ["in"]\nout = "out"\nformats = ["json"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = str(desk / "briefing.toml")
    assert run("build", "--config", config, "--quiet")[0] == 0
    flag = conflicts(briefing(desk / "out"))[0]["id"]
    assert run("review", flag, "--dismiss", "a typo", "--config", config)[0] == 0
    assert (desk / "reviews.toml").is_file() and not (desk / "out" / "reviews.toml").exists()
    monkeypatch.chdir(desk)
    code, _, err = run("build", "--fail-on", "conflict")
    assert code == 0, err


def test_history_does_not_change_with_how_the_sources_are_spelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk, elsewhere = tmp_path / "desk", tmp_path / "elsewhere"
    elsewhere.mkdir()
    week_one(desk / "in")
    out = str(desk / "out")
    spellings = [(desk, "in"), (desk, str(desk / "in")), (elsewhere, "../desk/in"), (elsewhere, str(desk / "in"))]
    for n, (folder, source) in enumerate(spellings):
        monkeypatch.chdir(folder)
        code, _, err = run("build", source, "--out", out, "--format", "json", "--fail-on", "new-conflict")
        if n == 0:
            assert code == 3, "the first briefing's conflict is new"
            keys = {d["id"]: d.get("key") for d in briefing(desk / "out")["discrepancies"]}
            continue
        assert code == 0, (source, err)
        assert ", 0 new since the last briefing, 0 resolved, " in err, source
        data = briefing(desk / "out")
        assert {d["id"]: d.get("key") for d in data["discrepancies"]} == keys
        assert data["changes"]["articles_new"] == 0 and data["changes"]["corrected"] == []


def test_a_verdict_holds_however_the_sources_are_spelled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    desk, elsewhere = tmp_path / "desk", tmp_path / "elsewhere"
    elsewhere.mkdir()
    week_one(desk / "in")
    out = str(desk / "out")
    monkeypatch.chdir(elsewhere)
    assert run("build", "../desk/in", "--out", out, "--format", "json", "--no-archive", "--quiet")[0] == 0
    flag = conflicts(briefing(desk / "out"))[0]
    assert run("review", flag["id"], "--dismiss", "a typo", "--out", out)[0] == 0
    reviews = (desk / "out" / "reviews.toml").read_text(encoding="utf-8")
    assert f'key = "{flag["key"]}"' in reviews
    # the id changes with any edit of the article; the key (file under its root, values) does not
    text = json.loads((desk / "in" / "bridge-b.json").read_text())
    text["text"] += " The council meets again next month."
    (desk / "in" / "bridge-b.json").write_text(json.dumps(text), encoding="utf-8")
    monkeypatch.chdir(desk)
    code, _, err = run("build", str(desk / "in"), "--out", "out", "--format", "json", "--no-archive")
    assert code == 0, err
    dismissed = briefing(desk / "out")["dismissed"]
    assert len(dismissed) == 1 and dismissed[0]["flag"]["id"] != flag["id"]
    assert dismissed[0]["flag"]["key"] == flag["key"]


def test_each_file_is_keyed_under_its_root_name_and_two_roots_of_one_name_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for desk in ("a", "b"):
        week_one(tmp_path / desk / "in")
    monkeypatch.chdir(tmp_path / "a")
    one = {s.root_path for s in discover(["in"])[0]}
    assert one == {"in/bridge-a.json", "in/bridge-b.json"}
    assert {s.root_path for s in discover([str(tmp_path / "a" / "in")])[0]} == one
    assert {s.root_path for s in discover(["../a/in/"])[0]} == one
    both = {s.root_path for s in discover(["in", "../b/in"])[0]}
    assert both == {f"{tmp_path / desk / 'in' / name}" for desk in "ab" for name in ("bridge-a.json", "bridge-b.json")}
