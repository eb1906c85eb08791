"""Comparing events in a process pool gives exactly what one process gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reporter.pipeline as pipeline
from reporter.render import to_json

CORPUS = "tests/bench/quality/articles"


def build(monkeypatch: pytest.MonkeyPatch, parallel_from: int) -> str:
    monkeypatch.setattr(pipeline, "PARALLEL_PAIRS", parallel_from)
    briefing = pipeline.build_briefing(pipeline.BuildOptions(sources=[CORPUS]), warn=lambda _: None)
    data = to_json(briefing)
    data.pop("generated")
    return json.dumps(data, sort_keys=True)


def test_process_pool_gives_the_same_briefing(monkeypatch: pytest.MonkeyPatch) -> None:
    one_process = build(monkeypatch, 10**9)
    pool = build(monkeypatch, 0)
    assert pool == one_process
    assert '"severity": "conflict"' in pool  # the corpus has conflicts to compare


def test_grouping_terms_are_found_in_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    one_process = build(monkeypatch, 10**9)
    mapped: list[str] = []
    original = pipeline.Workers.map

    def spy(self: pipeline.Workers, fn, items, common, parallel=True, **kw):  # type: ignore[no-untyped-def]
        mapped.append(f"{fn.__name__} {parallel}")
        return original(self, fn, items, common, parallel, **kw)

    monkeypatch.setattr(pipeline.Workers, "map", spy)
    monkeypatch.setattr(pipeline, "PARALLEL_ARTICLES", 2)
    assert build(monkeypatch, 10**9) == one_process
    assert "_terms_of True" in mapped


def test_two_checks_flagging_the_same_values_give_one_flag() -> None:
    from reporter.model import Discrepancy, Side
    from reporter.pipeline import _ordered

    side = Side("a-1", "Said by General Ann Lee.", "Ann Lee", 11, 18, "ann lee")
    one = Discrepancy("d-1", "e-1", "name", "conflict", 0.7, "the same title, different people", side, side)
    two = Discrepancy("d-1", "e-1", "name", "conflict", 0.6, "different names in the same role", side, side)
    assert [d.note for d in _ordered([two, one])] == [one.note]  # the higher-scored check is kept


def _harbour_story(path: Path, dated: str | None, closing: str) -> None:
    front = f"---\ntitle: Flood closes the Maravel harbour\n{f'date: {dated}' + chr(10) if dated else ''}---\n"
    path.write_text(
        front + "The Maravel harbour was closed by a flood on November 25, the port authority of Maravel said. "
        f"Twelve ships waited outside the Maravel harbour wall {closing} the Tarvena river rose.\n",
        encoding="utf-8",
    )


def _dates_by_file(folder: Path) -> dict[str, list[str]]:
    briefing = pipeline.build_briefing(pipeline.BuildOptions(sources=[folder]), warn=lambda _: None)
    return {
        Path(a.path).name: [d.value for s in briefing.sentences[a.id] for d in s.details if d.kind == "date"]
        for a in briefing.articles
    }


def test_an_undated_article_borrows_its_events_date_and_stays_undated_alone(tmp_path: Path) -> None:
    # undated articles are split into sentences before the grouping, as if their event were undated:
    # one that joins a dated event must still read "November 25" in that event's year
    _harbour_story(tmp_path / "dated.md", "2023-11-26", "while")
    _harbour_story(tmp_path / "undated.md", None, "as")
    assert _dates_by_file(tmp_path) == {"dated.md": ["2023-11-25"], "undated.md": ["2023-11-25"]}
    (tmp_path / "dated.md").unlink()
    assert _dates_by_file(tmp_path) == {"undated.md": ["--11-25"]}


# a fresh interpreter reads the quality corpus, its reading pooled from `pooled_from` files, and
# says whether the comparison's word and place tables are loaded in it once the files are read
_TABLES_AFTER_READING = (
    "import sys; import reporter.pipeline as p, reporter.text as t; p.PARALLEL_FILES = int(sys.argv[1]); "
    "p.load_articles(p.BuildOptions(sources=[sys.argv[2]]), warn=lambda _: None); "
    "print('lemminflect' in sys.modules, t._place_table.cache_info().currsize)"
)


@pytest.mark.parametrize(("pooled_from", "loaded"), [(2, "True 1"), (10**9, "False 0")])
def test_tables_are_loaded_while_workers_read_so_later_workers_inherit_them(pooled_from: int, loaded: str) -> None:
    # every comparison worker loaded lemminflect's tables itself (0.3 s); a run whose reading
    # is pooled loads them here meanwhile, a small one still only when it compares
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", _TABLES_AFTER_READING, str(pooled_from), CORPUS],
        cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert done.stdout.split()[-2:] == loaded.split()
