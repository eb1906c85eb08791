"""Clustering scores shared by the benchmarks: B-cubed and the adjusted Rand index.

Clusters are collections of item ids. Items the prediction leaves out count as
singletons, so a grouping that drops articles is not rewarded for it.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

Clusters = Iterable[Collection[str]]


def labels(clusters: Clusters) -> dict[str, int]:
    """Map each item to the index of its cluster; raise ValueError if an item is in two."""
    out: dict[str, int] = {}
    for index, cluster in enumerate(clusters):
        for item in cluster:
            if item in out:
                raise ValueError(f"{item} is in more than one cluster")
            out[item] = index
    return out


def _aligned(pred_clusters: Clusters, gold_clusters: Clusters) -> tuple[list[str], list[object], list[object]]:
    """Return the gold items with their predicted and gold labels; unpredicted items get their own."""
    pred = labels(pred_clusters)
    gold = labels(gold_clusters)
    items = sorted(gold)
    return items, [pred.get(i, ("alone", i)) for i in items], [gold[i] for i in items]


def bcubed(pred_clusters: Clusters, gold_clusters: Clusters) -> tuple[float, float, float]:
    """Return B-cubed precision, recall and F1 over the items of the gold clusters."""
    items, pred, gold = _aligned(pred_clusters, gold_clusters)
    if not items:
        return 0.0, 0.0, 0.0
    pred_size: dict[object, int] = {}
    gold_size: dict[object, int] = {}
    both: dict[tuple[object, object], int] = {}
    for p, g in zip(pred, gold, strict=True):
        pred_size[p] = pred_size.get(p, 0) + 1
        gold_size[g] = gold_size.get(g, 0) + 1
        both[p, g] = both.get((p, g), 0) + 1
    # every item in the same (pred, gold) cell shares its precision and recall
    precision = sum(n * n / pred_size[p] for (p, _), n in both.items()) / len(items)
    recall = sum(n * n / gold_size[g] for (_, g), n in both.items()) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def ari(pred_clusters: Clusters, gold_clusters: Clusters) -> float:
    """Return the adjusted Rand index over the items of the gold clusters."""
    _, pred, gold = _aligned(pred_clusters, gold_clusters)
    names = {p: k for k, p in enumerate(dict.fromkeys(pred))}
    return float(adjusted_rand_score(gold, [names[p] for p in pred]))


def gold_events(path: str | Path) -> dict[str, list[str]]:
    """Read a gold file ({"events": [{"id", "articles": [paths]}]}) as event id -> article paths."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {str(e["id"]): [str(a) for a in e["articles"]] for e in data["events"]}


def match_paths(article_paths: Mapping[str, str], gold_paths: Iterable[str]) -> dict[str, str]:
    """Map gold paths to article ids by path suffix ('../x/articles/a.txt' ends with 'articles/a.txt').

    A gold path that matches no article, or more than one, is left out.
    """
    by_name: dict[str, list[tuple[str, str]]] = {}
    for aid, path in article_paths.items():
        path = "/" + path.replace("\\", "/")
        by_name.setdefault(path.rsplit("/", 1)[-1], []).append((aid, path))
    out: dict[str, str] = {}
    for gold in gold_paths:
        tail = "/" + gold.replace("\\", "/").removeprefix("./")
        hits = [aid for aid, path in by_name.get(tail.rsplit("/", 1)[-1], []) if path.endswith(tail)]
        if len(hits) == 1:
            out[gold] = hits[0]
    return out


def table(rows: Sequence[tuple[str, float]]) -> str:
    """Format (name, value) rows as a small aligned table."""
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value:.3f}" for name, value in rows)
