"""Hostile input through the command line: one bad file never ends the run, names print on one line.

Each test is a reproduction a user or an attacker can type; the promise is a listed skip
or a one-line warning, the rest of the folder read, and no traceback.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reporter import pipeline
from reporter.extract import details
from reporter.values import figure, printable

from .test_faults import GOOD, OTHER, build


@pytest.fixture
def src(tmp_path: Path) -> Path:
    """A folder with one good article in it."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder


# --- figures and dates past their bounds -----------------------------------------------------


def test_figure_of_309_digits_is_no_value_and_its_article_is_read(src: Path, tmp_path: Path) -> None:
    (src / "a.txt").write_text("Officials said " + "9" * 309 + " people fled the town on Tuesday.\n")
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.err == []
    assert run.read == [str(src / "a.txt"), str(src / "good.txt")]


def test_year_one_with_a_weekday_reads_the_article_undated(src: Path, tmp_path: Path) -> None:
    (src / "a.md").write_text(f"---\ndate: 0001-01-01\n---\n{OTHER} They left on Sunday.\n", encoding="utf-8")
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.skipped == {}
    assert run.err == [f"reporter: warning: {src / 'a.md'}: date 0001-01-01 is out of range (years 1000 to 9990); "
                       "read as undated"]  # fmt: skip
    assert run.briefing is not None
    assert {Path(a["path"]).name: a["published"] for a in run.briefing["articles"]}["a.md"] is None


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("It cost 4,500 euros, up from 3.25 million.", ["4500", "3250000"]),
        ("It cost " + "9" * 16 + " euros.", []),  # past 15 digits: an identifier, not a figure
        ("It cost 1" + ",000" * 80 + " euros.", []),
        ("Between 5 and " + "9" * 400 + " fled.", []),
        ("About 9,999 trillion was lost.", []),
        ("They counted ninety million billion of them.", []),
    ],
)
def test_figures_past_their_bounds_are_no_values(text: str, values: list[str]) -> None:
    assert [d.value for d in details(text) if d.kind == "number"] == values


@pytest.mark.parametrize(
    "text",
    [
        "It happened on 0001-01-01 and 0000-12-31.",
        "It happened on May 5, 0001 and on 5 May 0999.",
        "Records from 9999-12-31 on Sunday.",
    ],
)
def test_dates_out_of_range_are_no_values_and_no_figures(text: str) -> None:
    found = details(text, published=date(1, 1, 1))  # a caller's date at the calendar's start
    assert [d for d in found if d.kind in ("number", "year")] == []
    assert all(d.value.startswith("weekday:") for d in found if d.kind == "date")


# pieces a figure, a date or a quotation is made of, so that random text hits the patterns' edges
PIECES = st.sampled_from(
    ["0", "9", "0001", "9999", "9" * 16, "1,000", ",", ".", "-", "–", " ", "to", "and", "May", "Monday", "on", "last",
     "million", "trillion", "%", "pm", '"', "“", "”", "'", "‘", "’", "Ann Lee", "he", "said", "st", "\n"]
)  # fmt: skip


EDGES = [date.min, date(1, 1, 3), date(9999, 12, 31), date(2024, 5, 8)]  # the calendar's ends, and a Wednesday


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(PIECES, max_size=40), published=st.sampled_from(EDGES) | st.dates())
def test_any_sentence_gives_details_without_failing(parts: list[str], published: date) -> None:
    text = "".join(parts)
    for d in details(text, published=published):
        assert 0 <= d.start <= d.end <= len(text)
        if d.kind == "number":
            assert all(abs(float(v)) <= 1e15 for v in d.value.replace(":", "-").split("-") if v)  # a tally is "65:53"


def test_figure_reads_digits_with_separators_and_scale() -> None:
    assert figure("4,500") == 4500.0
    assert figure("3", "25", 1_000_000) == 3_250_000.0
    assert figure("0" * 40 + "7") == 7.0  # leading zeros are not digits of the figure
    assert figure("9" * 16) is None
    assert figure("1", "0" * 16) is None


# --- one file's unforeseen failure ----------------------------------------------------------


def test_unforeseen_failure_in_one_file_is_a_listed_skip(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (src / "odd.txt").write_text(OTHER, encoding="utf-8")
    real_clean = pipeline.clean

    def clean(raw):  # type: ignore[no-untyped-def]
        if raw.path.endswith("odd.txt"):
            raise ZeroDivisionError("division by zero\nsecond line")
        return real_clean(raw)

    monkeypatch.setattr(pipeline, "clean", clean)
    run = build(src, out=tmp_path / "out")
    reason = "could not be read: ZeroDivisionError: division by zero second line (a fault in reporter)"
    assert run.code == 0 and run.read == [str(src / "good.txt")]
    assert run.skipped == {str(src / "odd.txt"): reason}
    assert run.err == [f"reporter: warning: skipped {src / 'odd.txt'}: {reason}"]


# --- file names --------------------------------------------------------------------------------


def test_file_name_not_utf8_is_listed_escaped(src: Path, tmp_path: Path) -> None:
    bad = os.fsdecode(b"x\xff.doc")
    (src / bad).touch()
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.read == [str(src / "good.txt")]
    assert run.skipped == {f"{src}/x\\xff.doc": "not an article format (.doc)"}
    assert run.err == [f"reporter: warning: skipped {src}/x\\xff.doc: not an article format (.doc)"]


def test_article_whose_name_is_not_utf8_is_read_under_its_escaped_name(src: Path, tmp_path: Path) -> None:
    (src / os.fsdecode(b"caf\xe9.txt")).write_text(OTHER, encoding="utf-8")
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.err == []
    assert run.read == [f"{src}/caf\\xe9.txt", str(src / "good.txt")]


def test_file_names_with_newlines_and_escapes_stay_on_one_line(src: Path, tmp_path: Path) -> None:
    (src / "a\nreporter: warning: forged.txt").touch()
    (src / "\x1b[31mred\u202e.txt").touch()
    run = build(src, out=tmp_path / "out")
    assert run.code == 0
    assert run.err == [
        f"reporter: warning: skipped {src}/\\x1b[31mred\\u202e.txt: empty file",
        f"reporter: warning: skipped {src}/a\\nreporter: warning: forged.txt: empty file",
    ]
    assert set(run.skipped) == {f"{src}/\\x1b[31mred\\u202e.txt", f"{src}/a\\nreporter: warning: forged.txt"}


def test_missing_path_with_a_control_character_is_named_escaped(tmp_path: Path) -> None:
    run = build(tmp_path / "no\x1b]0;title\x07", out=tmp_path / "out")
    assert run.code == 2
    assert run.err == [f"reporter: error: no such file or folder: {tmp_path}/no\\x1b]0;title\\x07"]


def test_printable_escapes_controls_and_stray_bytes_only_once() -> None:
    shown = printable("a\nb\tc\x1b[0m\x7f\x85\u2028\u202e" + os.fsdecode(b"\xff") + "é\\x")
    assert shown == "a\\nb\\tc\\x1b[0m\\x7f\\x85\\u2028\\u202e\\xffé\\x"
    assert printable(shown) == shown


# --- what a run writes is never read -----------------------------------------------------------


def test_output_folder_that_is_the_source_folder_is_not_read(tmp_path: Path) -> None:
    same = tmp_path / "same"
    same.mkdir()
    (same / "good.txt").write_text(GOOD, encoding="utf-8")
    (same / "other.txt").write_text(OTHER, encoding="utf-8")
    from click.testing import CliRunner

    from reporter.cli import main

    for _ in range(2):
        result = CliRunner().invoke(main, ["build", str(same), "--out", str(same), "--format", "html,json,md"])
        assert result.exit_code == 0, result.stderr
        assert "Traceback" not in result.stderr
    run = build(same, out=same)  # json only: the HTML and Markdown of the runs before lie beside it
    assert run.code == 0 and run.err == []
    assert run.read == [str(same / "good.txt"), str(same / "other.txt")]
    assert run.skipped == {}


def test_dated_output_folders_inside_the_source_folder_are_not_read(tmp_path: Path) -> None:
    same = tmp_path / "same"
    (same / "2020-W01").mkdir(parents=True)
    (same / "2020-W01" / "briefing.md").write_text(OTHER, encoding="utf-8")  # an older week's digest
    (same / "good.txt").write_text(GOOD, encoding="utf-8")
    from click.testing import CliRunner

    from reporter.cli import main

    args = ["build", str(same), "--out", str(same), "--format", "json", "--dated", "--week", "2024-W10"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith("1 article,")


# --- symbolic links -----------------------------------------------------------------------------


def test_linked_folder_within_the_sources_is_read(src: Path, tmp_path: Path) -> None:
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "other.txt").write_text(OTHER, encoding="utf-8")
    (src / "linked").symlink_to(tmp_path / "more")
    run = build(src, tmp_path / "more", out=tmp_path / "out")
    assert run.code == 0 and run.err == [] and run.skipped == {}
    assert sorted(run.read) == [str(tmp_path / "more" / "other.txt"), str(src / "good.txt")]


def test_linked_hidden_folder_within_the_source_folder_is_read(src: Path, tmp_path: Path) -> None:
    (src / ".store").mkdir()
    (src / ".store" / "other.txt").write_text(OTHER, encoding="utf-8")
    (src / "linked").symlink_to(src / ".store")
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.err == []
    assert sorted(run.read) == [str(src / "good.txt"), str(src / "linked" / "other.txt")]


def test_links_leading_out_of_the_sources_are_skipped_and_listed(src: Path, tmp_path: Path) -> None:
    secret = tmp_path / "private"
    secret.mkdir()
    (secret / "notes.txt").write_text(OTHER, encoding="utf-8")
    (src / "folder").symlink_to(secret)
    (src / "file.txt").symlink_to(secret / "notes.txt")
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.read == [str(src / "good.txt")]
    assert run.skipped == {
        str(src / "file.txt"): "symbolic link to a file outside the source folders",
        str(src / "folder"): "symbolic link to a folder outside the source folders",
    }
    assert len(run.err) == 2


def test_link_loops_are_skipped_and_listed(src: Path, tmp_path: Path) -> None:
    (src / "sub").mkdir()
    (src / "sub" / "up").symlink_to(src)
    (src / "a.txt").symlink_to(src / "b.txt")
    (src / "b.txt").symlink_to(src / "a.txt")
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.read == [str(src / "good.txt")]
    assert run.skipped == {
        str(src / "a.txt"): "symbolic link loop",
        str(src / "b.txt"): "symbolic link loop",
        str(src / "sub" / "up"): "symbolic link loop: it leads to a folder it is in",
    }


def test_links_between_folders_are_read_once(src: Path, tmp_path: Path) -> None:
    # x/to-y and y/to-x lead into each other: each folder is walked once, and no file is read twice
    for name in ("x", "y"):
        (src / name).mkdir()
    (src / "x" / "other.txt").write_text(OTHER, encoding="utf-8")
    (src / "x" / "to-y").symlink_to(src / "y")
    (src / "y" / "to-x").symlink_to(src / "x")
    (src / "copy.txt").symlink_to(src / "good.txt")
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.err == [] and run.skipped == {}
    assert sorted(run.read) == [str(src / "good.txt"), str(src / "x" / "other.txt")]


# --- HTML -----------------------------------------------------------------------------------------


def test_html_nested_too_deeply_says_why(src: Path, tmp_path: Path) -> None:
    page = "<html><body>" + "<div>" * 400 + f"<p>{OTHER}</p>" + "</div>" * 400 + "</body></html>"
    (src / "deep.html").write_text(page, encoding="utf-8")
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.read == [str(src / "good.txt")]
    assert run.skipped == {
        str(src / "deep.html"): "no article text found: the page nests elements deeper than 255 levels"
    }


# --- many files not read --------------------------------------------------------------------------


def test_long_skip_list_is_counted_in_html_and_listed_whole_in_json(src: Path, tmp_path: Path) -> None:
    for i in range(230):
        (src / f"junk{i:03d}.doc").touch()
    from click.testing import CliRunner

    from reporter.cli import main

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(src), "--out", str(out), "--format", "html,json", "--quiet"])
    assert result.exit_code == 0, result.stderr
    html = (out / "briefing.html").read_text(encoding="utf-8")
    assert html.count("not an article format (.doc)") == 200
    assert "… and 30 more files not read; briefing.json lists every one." in html
    assert len(json.loads((out / "briefing.json").read_text(encoding="utf-8"))["skipped"]) == 230
