"""A Dask cluster builds the same briefing as this machine."""

from __future__ import annotations

import json

import pytest

import reporter.pipeline as pipeline
from reporter.render import to_json

CORPUS = "tests/bench/quality/articles"


def build(scheduler: str | None = None) -> str:
    options = pipeline.BuildOptions(sources=[CORPUS], scheduler=scheduler)
    briefing = pipeline.build_briefing(options, warn=lambda _: None)
    data = to_json(briefing)
    data.pop("generated")
    return json.dumps(data, sort_keys=True)


def test_dask_cluster_gives_the_same_briefing(monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    # from the first article and the first pair, so the cluster does all of both stages
    monkeypatch.setattr(pipeline, "PARALLEL_ARTICLES", 0)
    monkeypatch.setattr(pipeline, "PARALLEL_PAIRS", 0)
    here = build()
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        on_cluster = build(scheduler=cluster.scheduler_address)
        assert cluster.scheduler is not None
        ran = set(cluster.scheduler.task_prefixes)
    assert on_cluster == here
    # the work really went through the cluster, named by stage
    assert {"sentences_of", "compare_event"} <= ran, ran
    assert '"severity": "conflict"' in here


def _scaled(item: int, common: dict[str, int]) -> int:
    return item * common["factor"]


def test_data_every_call_reads_reaches_the_cluster_as_its_value() -> None:
    distributed = pytest.importorskip("distributed")
    from reporter.workers import Workers

    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        assert Workers(cluster.scheduler_address).map(_scaled, list(range(10)), {"factor": 3}) == [
            3 * i for i in range(10)
        ]
