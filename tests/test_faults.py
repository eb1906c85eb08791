"""Bad input through the command line: each fault is one clear line on stderr, never a traceback.

A file that cannot be read is skipped, warned about and listed in briefing.json; the good
articles beside it are still read. Only a bad command line or output folder stops the run.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reporter.cli import main
from reporter.pipeline import BuildOptions, load_articles

from .conftest import raw_rows

GOOD = (
    "The regional council approved the new bridge on Tuesday after a long debate. "
    "The bridge will be 1,200 metres long and cost 45 million euros, the council said."
)
OTHER = (
    "Firefighters contained a blaze at the harbour warehouse on Friday night. "
    "Nobody was hurt, and the fire service said the cause was an electrical fault."
)


@dataclass
class Run:
    code: int
    err: list[str]  # stderr lines
    briefing: dict[str, Any] | None

    @property
    def skipped(self) -> dict[str, str]:
        assert self.briefing is not None
        return {s["path"]: s["reason"] for s in self.briefing["skipped"]}

    @property
    def read(self) -> list[str]:
        assert self.briefing is not None
        return [a["path"] for a in self.briefing["articles"]]


def build(*sources: Path | str, out: Path) -> Run:
    """Run `reporter build` in-process and check it never ends in a traceback."""
    result = CliRunner().invoke(main, ["build", *map(str, sources), "--out", str(out), "--format", "json", "--quiet"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    briefing = out / "briefing.json"
    data = json.loads(briefing.read_text(encoding="utf-8")) if briefing.is_file() else None
    return Run(result.exit_code, result.stderr.splitlines(), data)


@pytest.fixture
def src(tmp_path: Path) -> Path:
    """A folder with one good article in it."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    return folder


def assert_skipped(run: Run, path: Path, reason: str) -> None:
    """The good article is read; the bad file is warned about in one line and listed with its reason."""
    assert run.code == 0
    assert run.read == [str(path.parent / "good.txt")]
    assert run.err == [f"reporter: warning: skipped {path}: {reason}"]
    assert run.skipped == {str(path): reason}


# --- paths ----------------------------------------------------------------------------


def test_missing_path_stops_before_reading(src: Path, tmp_path: Path) -> None:
    run = build(src, tmp_path / "typo", out=tmp_path / "out")
    assert run.code == 2
    assert run.err == [f"reporter: error: no such file or folder: {tmp_path / 'typo'}"]
    assert not (tmp_path / "out").exists()


def test_empty_folder_alone_reads_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = build(tmp_path / "empty", out=tmp_path / "out")
    assert run.code == 1
    assert run.err == [
        f"reporter: warning: skipped {tmp_path / 'empty'}: folder holds no files to read",
        "reporter: error: no article could be read (1 skipped)",
    ]
    assert not (tmp_path / "out").exists()


def test_empty_folder_beside_good_articles_is_listed(src: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = build(src, tmp_path / "empty", out=tmp_path / "out")
    assert run.code == 0 and run.read == [str(src / "good.txt")]
    assert run.skipped == {str(tmp_path / "empty"): "folder holds no files to read"}


def test_unreadable_file_is_skipped(src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the tests run as root, whom chmod 000 does not stop; make opening fail as it would for a user
    bad = src / "locked.txt"
    bad.write_text(OTHER, encoding="utf-8")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == bad.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert_skipped(build(src, out=tmp_path / "out"), bad, "cannot read file: Permission denied")


def test_folder_that_cannot_be_listed_is_skipped(src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = src / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_text(OTHER, encoding="utf-8")
    real_scandir = os.scandir

    def refuse(path: Any = ".") -> Any:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    assert_skipped(build(src, out=tmp_path / "out"), locked, "cannot list folder: Permission denied")


def test_dangling_link_is_skipped(src: Path, tmp_path: Path) -> None:
    (src / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    assert_skipped(build(src, out=tmp_path / "out"), src / "gone.txt", "broken link: its target does not exist")


def test_pipe_named_like_an_article_is_not_opened(src: Path, tmp_path: Path) -> None:
    # opening a pipe would wait for a writer for ever
    os.mkfifo(src / "pipe.txt")
    assert_skipped(build(src, out=tmp_path / "out"), src / "pipe.txt", "not a regular file")


def test_folder_named_like_an_article_is_read_as_a_folder(src: Path, tmp_path: Path) -> None:
    (src / "inner.txt").mkdir()
    (src / "inner.txt" / "other.txt").write_text(OTHER, encoding="utf-8")
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.err == []
    assert run.read == [str(src / "good.txt"), str(src / "inner.txt" / "other.txt")]


# --- contents ---------------------------------------------------------------------------

NOT_AN_OBJECT = "JSON article must be an object with a 'text' key, not "
ONE_PER_LINE = "; a .jsonl file holds one article per line"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary file, not text"),
        ("broken.md", b"---\ntitle: [unclosed\n---\nThe body.\n", "malformed front matter at line 2"),
        (
            "open.md",
            b"---\ntitle: x\nThe body; the front matter never closes.\n",
            "malformed front matter: no closing '---'",
        ),
        ("list.md", b"---\n- a\n- b\n---\nThe body.\n", "malformed front matter: expected 'key: value' lines"),
        ("cut.json", b'{"title": "B", "text": "The coun', "malformed JSON at line 1, column 24: Unterminated string"),
        ("many.json", json.dumps([{"text": OTHER}]).encode(), NOT_AN_OBJECT + "a list" + ONE_PER_LINE),
        ("number.json", b"42", NOT_AN_OBJECT + "a number"),
        (
            "shape.json",
            json.dumps({"text": {"body": OTHER}}).encode(),
            "JSON article's 'text' must be a string, not an object",
        ),
        ("utf16.txt", b"\xff\xfeT\x00h\x00\x00\xd8", "invalid UTF-16 text"),
        ("deep.json", b"[" * 100_000, "malformed JSON: nested too deeply"),
        (
            "digits.json",
            b'{"text": "The council met.", "id": ' + b"9" * 5000 + b"}",
            "malformed JSON: a number too long to read",
        ),
        (
            "deep.md",
            b"---\ntitle: " + b"[" * 100_000 + b"\n---\nThe body.\n",
            "malformed front matter: nested too deeply",
        ),
        (
            "role.json",
            json.dumps({"text": OTHER, "role": ["x"]}).encode(),
            "role is not text (expected 'report' or 'reference')",
        ),
    ],
)
def test_unreadable_content_is_skipped(src: Path, tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    (src / name).write_bytes(content)
    assert_skipped(build(src, out=tmp_path / "out"), src / name, reason)


def test_json_lines_skip_bad_lines_only(src: Path, tmp_path: Path) -> None:
    lines = [json.dumps({"text": OTHER}), "[1, 2]", '{"text": ']
    (src / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.read == [str(src / "feed.jsonl#1"), str(src / "good.txt")]
    assert run.skipped == {
        f"{src / 'feed.jsonl'}#2": NOT_AN_OBJECT + "a list" + ONE_PER_LINE,
        f"{src / 'feed.jsonl'}#3": "malformed JSON at line 1, column 10: Expecting value",
    }
    assert len(run.err) == 2


ACCENTED = "The mayor of Zürich, José Müller, opened the new bridge on Tuesday; “a fine day”, he said — and it was."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("utf16-bom.txt", ACCENTED.encode("utf-16")),
        ("utf16-le.txt", ACCENTED.encode("utf-16-le")),
        ("utf32.txt", ACCENTED.encode("utf-32")),
        ("utf8-bom.txt", ACCENTED.encode("utf-8-sig")),
        ("cp1252.txt", ACCENTED.encode("cp1252")),
        ("latin1.txt", ACCENTED.replace("“", '"').replace("”", '"').replace("—", "-").encode("latin-1")),
    ],
)
def test_text_in_other_encodings_is_decoded(tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    articles, skipped = load_articles(BuildOptions(sources=[str(tmp_path)]), warn=lambda _: None)
    assert skipped == []
    assert "Zürich, José Müller" in articles[0].text


def test_utf8_with_stray_bytes_keeps_its_utf8_and_warns(src: Path, tmp_path: Path) -> None:
    # two files pasted together: the second half in Windows-1252
    (src / "mixed.txt").write_bytes(ACCENTED.encode("utf-8") + b"\n\n" + "Café crème for all.".encode("cp1252"))
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.skipped == {}
    assert run.err == [f"reporter: warning: {src / 'mixed.txt'}: 2 bytes not valid UTF-8, read as Windows-1252"]
    articles, _ = load_articles(BuildOptions(sources=[str(src / "mixed.txt")]), warn=lambda _: None)
    assert "Zürich, José Müller" in articles[0].text and "Café crème for all." in articles[0].text


def test_same_article_under_other_names_is_read_once(src: Path, tmp_path: Path) -> None:
    (src / "copy.txt").write_text(GOOD, encoding="utf-8")
    # the same text saved on another system: Windows line ends, Windows-1252, wrapped by hand
    (src / "saved.txt").write_bytes(GOOD.replace(" long and", "\r\nlong and").encode("cp1252"))
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.read == [str(src / "copy.txt")]
    assert run.skipped == {
        str(src / "good.txt"): f"duplicate of {src / 'copy.txt'}",
        str(src / "saved.txt"): f"duplicate of {src / 'copy.txt'}",
    }
    assert len(run.err) == 2


def test_impossible_or_structured_metadata_is_ignored_with_a_warning(src: Path, tmp_path: Path) -> None:
    # YAML aliases nest a list nine times nine times over: 43 million items if ever made a string
    laughs = "".join(
        f"{n}: &{n} [{', '.join([f'*{p}' if p else 'x'] * 9)}]\n"
        for p, n in zip(["", *"abcdef"], "abcdefg", strict=True)
    )
    (src / "dated.md").write_text(f"---\ndate: 2024-02-30\n{laughs}title: [*g, *g]\n---\n{OTHER}\n", encoding="utf-8")
    (src / "lone.json").write_text(json.dumps({"text": OTHER + " \ud800", "title": "Fire \udcff"}), encoding="utf-8")
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.skipped == {}
    assert sorted(run.err) == [
        f"reporter: warning: {src / 'dated.md'}: 'title' is not text; ignored",
        f"reporter: warning: {src / 'dated.md'}: unreadable date '2024-02-30'; read as undated",
    ]
    assert run.briefing is not None
    titles = {Path(a["path"]).name: a["title"] for a in run.briefing["articles"]}
    assert titles == {"dated.md": None, "good.txt": None, "lone.json": "Fire \ufffd"}


# --- language -------------------------------------------------------------------------------

FRENCH = (
    "Le conseil municipal a approuvé mardi soir la construction du nouveau pont sur la rivière, après un long "
    "débat. Le pont mesurera 1 200 mètres et coûtera 45 millions d'euros, selon le maire, qui a salué une "
    "décision historique pour la ville."
)


def test_article_not_in_english_is_skipped_with_its_language(src: Path, tmp_path: Path) -> None:
    (src / "pont.txt").write_text(FRENCH, encoding="utf-8")
    assert_skipped(build(src, out=tmp_path / "out"), src / "pont.txt", "not in English (detected: fr)")


@pytest.mark.parametrize(
    "text",
    [
        "Le pont est ouvert.",  # too short to tell: kept
        # English thick with foreign names, and none of the common words that mark English at a glance
        "Talks in Baku: Mammadov, Rezaei, Aliyeva, Qasimov, Hosseini, Jafarzadeh, Nasirli, Karimova met on Tuesday "
        "in Tabriz, Ganja, Lankaran; more talks are planned for March in Shusha, Ardabil, Astara, Julfa, Ordubad.",
    ],
)
def test_short_text_and_english_full_of_names_are_kept(tmp_path: Path, text: str) -> None:
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    articles, skipped = load_articles(BuildOptions(sources=[str(tmp_path)]), warn=lambda _: None)
    assert len(articles) == 1 and skipped == []


# --- size -----------------------------------------------------------------------------------


def test_huge_file_is_skipped_without_being_read(src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = src / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(52_400_000)  # sparse: no 50 MB written
    opened: list[str] = []
    real_open = Path.open

    def record(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", record)
    assert_skipped(build(src, out=tmp_path / "out"), huge, "too large (52.4 MB > 20 MB limit)")
    assert "huge.txt" not in opened


def test_text_too_long_for_an_article_is_skipped(src: Path, tmp_path: Path) -> None:
    (src / "book.txt").write_text((OTHER + "\n\n") * 2000, encoding="utf-8")  # about 300,000 characters
    run = build(src, out=tmp_path / "out")
    assert run.code == 0 and run.read == [str(src / "good.txt")]
    assert run.skipped[str(src / "book.txt")].startswith("text too long for an article (")
    assert run.skipped[str(src / "book.txt")].endswith(" characters > 300,000 limit)")


# --- output ---------------------------------------------------------------------------------


def build_to(src: Path, out: Path, *options: str) -> tuple[int, list[str]]:
    args = ["build", str(src), "--out", str(out), "--format", "html,json,md", "--quiet", *options]
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr.splitlines()


def test_output_folder_that_is_a_file(src: Path, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    code, err = build_to(src, tmp_path / "out")
    assert (code, err) == (1, [f"reporter: error: cannot write to {tmp_path / 'out'}: it is a file, not a folder"])
    assert (tmp_path / "out").read_text(encoding="utf-8") == "not a folder"


def test_output_folder_below_a_file(src: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    code, err = build_to(src, tmp_path / "file" / "out")
    message = f"reporter: error: cannot create output folder {tmp_path / 'file' / 'out'}: {tmp_path / 'file'} is a file"
    assert (code, err) == (1, [message])


def test_output_file_name_taken_by_a_folder_writes_nothing(src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "briefing.json").mkdir(parents=True)
    code, err = build_to(src, out)
    assert (code, err) == (1, [f"reporter: error: cannot write {out / 'briefing.json'}: a folder has that name"])
    assert sorted(p.name for p in out.glob("briefing*")) == ["briefing.json"]
    # the archive may hold the files it read, but no briefing: the next run compares with the last one written
    assert raw_rows(out / "archive.sqlite", "SELECT count(*) FROM briefings") == [(0,)]


FILES = ("briefing.json", "briefing.html", "briefing.md", "briefing.pdf")


def test_failed_write_leaves_the_previous_briefing_whole(
    src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert build_to(src, out, "--title", "First")[0] == 0
    before = _state(out)
    real_fsync, calls = os.fsync, []

    def disk_full(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the second of three files
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", disk_full)
    code, err = build_to(src, out, "--title", "Second")
    # the formats are written while the PDF renders, so which file meets the full disk varies
    written = [f"reporter: error: cannot write {out / name}: No space left on device" for name in FILES]
    assert code == 1 and len(err) == 1 and err[0] in written, err
    assert _state(out) == before  # no new file, no temporary file or run folder left


def _state(out: Path) -> dict[str, bytes | str]:
    """Every entry below out: a link's target, a file's bytes; for the archive, its briefings.

    The archive's caches may be touched by a run that then fails to write (each run marks the
    comparisons it took, to the second), which loses nothing; the history of briefings may not.
    """
    state: dict[str, bytes | str] = {}
    for folder, dirs, files in os.walk(out):
        for name in dirs + files:
            path = Path(folder, name)
            kind = os.readlink(path) if path.is_symlink() else path.read_bytes() if path.is_file() else "folder"
            if name == "archive.sqlite":
                with closing(sqlite3.connect(path)) as conn:
                    kind = repr(conn.execute("SELECT * FROM briefings ORDER BY 1").fetchall())
            state[str(path.relative_to(out))] = kind
    return state
