"""Shared fixtures: the seed briefing is built once per test session."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reporter.cli import main
from reporter.model import Briefing
from reporter.pipeline import BuildOptions, build_briefing
from reporter.render import write_outputs

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # paths in the briefing are relative to the working directory, as for a user
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="session")
def seed_briefing() -> Briefing:
    os.chdir(ROOT)
    return build_briefing(BuildOptions(sources=["seeds"]), warn=lambda _: None)


@pytest.fixture(scope="session")
def seed_outputs(seed_briefing: Briefing, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("out")
    write_outputs(seed_briefing, out)
    yield out


@pytest.fixture(scope="session")
def seed_json(seed_outputs: Path) -> dict[str, Any]:
    return json.loads((seed_outputs / "briefing.json").read_text(encoding="utf-8"))


def run(*args: str) -> tuple[int, str, str]:
    """Run the CLI in this process; return its exit code, stdout and stderr."""
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def raw_rows(path: Path, sql: str) -> list[Any]:
    """Run a read-only query on an archive file."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def by_file(briefing: Briefing) -> dict[str, str]:
    """Map seed file prefixes ('000') to article ids."""
    return {Path(a.path).name[:3]: a.id for a in briefing.articles}
