"""The archive's typed JSON: real readings come back equal, anything of another shape is refused."""

from __future__ import annotations

import dataclasses
import inspect
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reporter import codec, model
from reporter.ingest import discover
from reporter.model import Article, Briefing, Detail, FileOutcome, Removed, Sentence, Skipped
from reporter.pipeline import read_file

ROOT = Path(__file__).resolve().parent.parent
Sentences = tuple[Sentence, ...]


@pytest.fixture(scope="module")
def outcomes() -> list[FileOutcome]:
    """What reading each seed file gives, as the archive caches it."""
    files, _ = discover([str(ROOT / "seeds")], [], ())
    return [read_file(source) for source in files]


def test_seed_readings_round_trip(outcomes: list[FileOutcome], seed_briefing: Briefing) -> None:
    assert any(a.published for o in outcomes for a in o.articles) and any(o.articles[0].removed for o in outcomes)
    for outcome in outcomes:
        back = codec.loads(FileOutcome, codec.dumps(FileOutcome, outcome))
        assert back == outcome
        assert type(back.articles) is tuple and type(back.articles[0].published) in (date, type(None))
    sentences = list(seed_briefing.sentences.values())
    assert sum(len(s.details) for group in sentences for s in group) > 100
    for group in sentences:
        assert codec.loads(Sentences, codec.dumps(Sentences, group)) == group


def test_every_field_shape_round_trips() -> None:
    outcome = FileOutcome(
        articles=(
            Article(
                id="a-1", path="#2", format="jsonl", title=None, outlet="The Courier", published=date(2024, 2, 29),
                url=None, role="reference", text="Text \u2028 with \x00 and \U0001f600.",
                removed=(Removed("By a reporter", "byline"),), markdown="**b**", filed=(11, 25),
            ),
        ),
        skipped=(Skipped("#3", "empty file"),),
        problems=(("#1", "a date that cannot be read"),),
        text_keys=("k",),
    )  # fmt: skip
    assert codec.loads(FileOutcome, codec.dumps(FileOutcome, outcome)) == outcome


def test_every_dataclass_of_the_model_has_a_codec() -> None:
    # written over the type hints: a new field of a shape the codec does not know fails here, not in a run
    classes = [c for _, c in inspect.getmembers(model, inspect.isclass) if dataclasses.is_dataclass(c)]
    assert Briefing in classes and len(classes) > 15
    for cls in classes:
        codec.decoder(cls), codec.encoder(cls)


def _sentence() -> dict[str, Any]:
    detail = Detail("number", "45", 9, 11, "45", unit="euros")
    data: dict[str, Any] = json.loads(codec.dumps(Sentence, Sentence("a-1", 0, "It costs 45 euros.", (detail,))))
    return data


def _set(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = _sentence()
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (_set(("index",), "0"), "expected Sentence.index of type int, found str"),
        (_set(("index",), True), "expected Sentence.index of type int, found bool"),
        (_set(("index",), 1.0), "found float"),
        (_set(("text",), None), "found NoneType"),
        (_set(("details",), {}), "expected a list"),
        (
            _set(("details", 0, "kind"), "nonsense"),
            "expected one of ['date', 'entity', 'number', 'quote', 'time', 'year']",
        ),
        (_set(("details", 0, "unit"), 3), "expected Detail.unit of type"),
        (_set(("details", 0, "hedge"), KeyError), "expected a Detail object with fields"),
        (_set(("details", 0, "extra"), 1), "expected a Detail object with fields"),
        (_set(("details", 0), ["number", "45"]), "expected a Detail object"),
        ([], "expected a Sentence object"),
    ],
)
def test_anything_of_another_shape_is_refused(data: Any, why: str) -> None:
    with pytest.raises(codec.DecodeError) as caught:
        codec.loads(Sentence, json.dumps(data).encode())
    assert why in str(caught.value)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ('"2024-02-30"', "expected an ISO date"),
        ('"20240229"', "expected an ISO date"),
        ("20240229", "expected an ISO date"),
    ],
)
def test_dates_are_iso_dates_only(value: str, why: str) -> None:
    with pytest.raises(codec.DecodeError, match=why):
        codec.loads(date, value.encode())


@pytest.mark.parametrize(
    ("blob", "why"),
    [
        (b"\x80\x04K*.", "not JSON"),
        (b'"\\ud800"', "not JSON"),
        ("{}", "expected JSON bytes"),
        (b"[1, 2, 3]", "a list of 2"),
    ],
)
def test_what_is_not_json_of_the_type_is_refused(blob: Any, why: str) -> None:
    with pytest.raises(codec.DecodeError, match=why):
        codec.loads(tuple[int, int], blob)


def test_a_value_of_another_type_is_not_written() -> None:
    with pytest.raises(TypeError, match="expected tuple, found list"):
        codec.dumps(Sentence, Sentence("a-1", 0, "Text.", [Detail("year", "1928", 0, 4, "1928")]))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected one of"):
        codec.dumps(Detail, Detail("colour", "red", 0, 3, "red"))  # type: ignore[arg-type]
