"""The archive as a file from elsewhere: it holds data, never code, and any damage means a new archive.

CI restores the archive from a shared cache, so these tests write into it what an attacker
or a broken disk could: a pickle that runs code, blobs and rows of the wrong shape, pages of
garbage. Each run still writes its briefing, warns in one line, keeps the bad file as
archive.sqlite.old and starts a new archive.
"""

from __future__ import annotations

import json
import pickle
import random
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from .conftest import raw_rows, run

BRIDGE = (
    "The regional council approved the new bridge over the Lune river on Tuesday after a long debate. "
    "The bridge will be 1,200 metres long and cost {cost} million euros, the council said."
)


class Payload:
    """Unpickled, it creates a file: what a crafted archive would do with os.system."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.marker), "w"))


def articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, outlet, cost in (("a.json", "The Courier", 45), ("b.json", "Daily Paper", 54)):
        text = BRIDGE.format(cost=cost)
        data = {"title": text.split(".")[0], "outlet": outlet, "published": "2024-11-19", "text": text}
        (folder / name).write_text(json.dumps(data), encoding="utf-8")
    return folder


def build(src: Path, out: Path, *options: str) -> tuple[int, list[str]]:
    code, _, err = run("build", str(src), "--out", str(out), "--format", "json", "--quiet", *options)
    assert "Traceback" not in err
    return code, err.splitlines()


def change(archive: Path, sql: str, *params: object) -> None:
    with closing(sqlite3.connect(archive)) as conn, conn:
        assert conn.execute(sql, params).rowcount != 0, sql


def as_schema(archive: Path, schema: int) -> None:
    """Make an archive of this schema look as one of an older schema did (its tables, its number)."""
    with closing(sqlite3.connect(archive)) as conn, conn:
        # schema 3 added the events' comparisons and each briefing's events
        conn.execute("DROP TABLE comparisons")
        conn.execute("DROP TABLE briefing_events")
        conn.execute("ALTER TABLE briefing_articles DROP COLUMN event")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(schema),))


def assert_rebuilt(out: Path, code: int, err: list[str], why: str) -> None:
    """The run wrote its briefing, warned once, kept the bad file and started a new archive."""
    archive, kept = out / "archive.sqlite", out / "archive.sqlite.old"
    assert code == 0, err
    assert len(err) == 1, err
    prefix, suffix = f"reporter: warning: archive {archive}: ", f"; started a new one, the old file is kept as {kept}"
    assert err[0].startswith(prefix) and err[0].endswith(suffix), err[0]
    assert why in err[0][len(prefix) : -len(suffix)], err[0]
    assert kept.is_file()
    assert len(json.loads((out / "briefing.json").read_text(encoding="utf-8"))["articles"]) == 2
    assert raw_rows(archive, "PRAGMA integrity_check") == [("ok",)]
    # the next run uses the new archive without a word, and its readings are JSON
    assert build(out.parent / "in", out) == (0, [])
    assert [json.loads(blob)["articles"][0]["outlet"] for (blob,) in raw_rows(archive, "SELECT outcome FROM files")]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """An output folder with the archive of one run over two articles."""
    out = tmp_path / "out"
    assert build(articles(tmp_path / "in"), out) == (0, [])
    return out


@pytest.mark.parametrize(("table", "column"), [("files", "outcome"), ("sentences", "data")])
def test_a_crafted_pickle_in_the_archive_runs_nothing(built: Path, tmp_path: Path, table: str, column: str) -> None:
    marker = tmp_path / "PWNED"
    change(built / "archive.sqlite", f"UPDATE {table} SET {column} = ?", pickle.dumps(Payload(marker)))
    code, err = build(tmp_path / "in", built)
    assert not marker.exists(), "the archive ran code"
    assert_rebuilt(built, code, err, "it is damaged (")


@pytest.mark.parametrize(
    ("blob", "why"),
    [
        (b"\x80\x04\x95garbage", "file cache: not JSON"),
        (pickle.dumps(42), "file cache: not JSON"),
        (b'{"articles": 1}', "file cache: expected a FileOutcome object"),
        (b"[]", "file cache: expected a FileOutcome object"),
        ("text, not a blob", "table files: expected bytes"),
    ],
)
def test_a_cached_reading_of_the_wrong_shape_is_damage(built: Path, tmp_path: Path, blob: object, why: str) -> None:
    change(built / "archive.sqlite", "UPDATE files SET outcome = ?", blob)
    assert_rebuilt(built, *build(tmp_path / "in", built), why)


def test_a_cached_reading_with_a_wrong_field_is_damage(built: Path, tmp_path: Path) -> None:
    archive = built / "archive.sqlite"
    (blob,) = raw_rows(archive, "SELECT outcome FROM files LIMIT 1")[0]
    outcome = json.loads(blob)
    outcome["articles"][0]["role"] = "oracle"  # outside the Literal
    change(archive, "UPDATE files SET outcome = ?", json.dumps(outcome).encode())
    assert_rebuilt(built, *build(tmp_path / "in", built), "expected one of ['reference', 'report']")


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        # SQLite keeps a BLOB in any column, whatever type the column declares
        ("UPDATE flags SET kind = 'bogus'", "table flags: expected one of"),
        ("UPDATE flags SET a_path = x'07'", "table flags: expected PastFlag.a_path of type str, found bytes"),
        ("UPDATE briefings SET generated = x'00'", "table briefings: expected str"),
        ("UPDATE briefing_articles SET article = x'00'", "table briefing_articles: expected str"),
        ("UPDATE flags SET note = CAST(x'80ff' AS TEXT)", "it is damaged (Could not decode to UTF-8 column 'note'"),
    ],
)
def test_a_history_row_of_the_wrong_type_is_damage(built: Path, tmp_path: Path, sql: str, why: str) -> None:
    change(built / "archive.sqlite", sql)
    assert_rebuilt(built, *build(tmp_path / "in", built), why)


def _garble(archive: Path, first_page: int) -> None:
    """Overwrite every page from first_page (1-based) on with garbage; the header page stays."""
    size = raw_rows(archive, "PRAGMA page_size")[0][0]
    data = bytearray(archive.read_bytes())
    noise = random.Random(first_page).randbytes(len(data))
    data[(first_page - 1) * size :] = noise[(first_page - 1) * size :]
    archive.write_bytes(bytes(data))


def test_an_archive_whose_later_pages_are_garbage_is_moved_aside(built: Path, tmp_path: Path) -> None:
    archive = built / "archive.sqlite"
    # from the file cache's first page on: opening reads the header and meta and finds nothing wrong
    first = min(page for (page,) in raw_rows(archive, "SELECT rootpage FROM sqlite_master WHERE name = 'files'"))
    _garble(archive, first)
    assert_rebuilt(built, *build(tmp_path / "in", built), "it is damaged (database disk image is malformed)")


def test_an_archive_with_only_its_header_intact_is_moved_aside(built: Path, tmp_path: Path) -> None:
    _garble(built / "archive.sqlite", 2)
    assert_rebuilt(built, *build(tmp_path / "in", built), "database disk image is malformed")


def test_tables_that_are_not_the_archives_are_damage(built: Path, tmp_path: Path) -> None:
    change(built / "archive.sqlite", "DROP TABLE sentences")
    assert_rebuilt(built, *build(tmp_path / "in", built), "it cannot be read (table sentences is not as")


def test_a_planted_trigger_is_damage(built: Path, tmp_path: Path) -> None:
    change(
        built / "archive.sqlite",
        "CREATE TRIGGER spy AFTER INSERT ON flags BEGIN UPDATE meta SET value = 'x' WHERE key = 'version'; END",
    )
    assert_rebuilt(
        built, *build(tmp_path / "in", built), "it cannot be read (a trigger this schema does not make: spy)"
    )


def test_a_busy_archive_is_an_error_not_damage(built: Path, tmp_path: Path) -> None:
    archive = built / "archive.sqlite"
    with closing(sqlite3.connect(archive, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")  # another run on a shared --archive, mid-write
        code, err = build(tmp_path / "in", built, "--lock-timeout", "0.2")
    assert (code, err) == (1, [f"reporter: error: archive {archive}: database is locked"])
    assert not (built / "archive.sqlite.old").exists(), "a busy archive is not moved aside"


def test_an_archive_of_pickles_keeps_its_history_and_drops_them_unread(built: Path, tmp_path: Path) -> None:
    # what an archive of schema 1 looked like: readings as pickles
    marker = tmp_path / "PWNED"
    archive = built / "archive.sqlite"
    as_schema(archive, 1)
    change(archive, "UPDATE files SET outcome = ?", pickle.dumps(Payload(marker)))
    change(archive, "UPDATE sentences SET data = ?", pickle.dumps(Payload(marker)))
    code, err = build(tmp_path / "in", built)
    assert not marker.exists(), "the archive ran code"
    assert (code, err) == (
        0,
        [
            f"reporter: warning: archive {archive}: migrated from schema 1 to 2",
            f"reporter: warning: archive {archive}: migrated from schema 2 to 3",
        ],
    )
    assert json.loads((built / "briefing.json").read_text(encoding="utf-8"))["changes"] is not None, "history kept"
    assert raw_rows(archive, "SELECT value FROM meta WHERE key = 'schema'") == [("3",)]
    assert all(blob.startswith(b"{") for (blob,) in raw_rows(archive, "SELECT outcome FROM files"))


def test_a_version_from_the_archive_reaches_the_terminal_only_when_printable(built: Path, tmp_path: Path) -> None:
    archive = built / "archive.sqlite"
    change(archive, "UPDATE meta SET value = 'other code' WHERE key = 'code'")
    change(archive, "UPDATE meta SET value = ? WHERE key = 'version'", "0.1\n\x1b[2Jreporter: warning: forged")
    assert build(tmp_path / "in", built) == (
        0,
        [f"reporter: warning: archive {archive}: its 2 cached file(s) were read by reporter ? (another build); "
         "they are read again"],
    )  # fmt: skip
