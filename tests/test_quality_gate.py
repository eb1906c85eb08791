"""Quality gate: the labelled corpora and a slice of real news against pinned floors.

A change that lowers precision or recall below a floor fails CI. Raising a floor after an
improvement is welcome; lowering one is an explicit, reviewed edit of this file. The full
measurements are `make bench-quality` and `make bench-real`.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parent / "bench"
sys.path.insert(0, str(BENCH))

import eval_quality  # noqa: E402
import real  # noqa: E402

from reporter.pipeline import BuildOptions, build_briefing  # noqa: E402
from reporter.render import to_json  # noqa: E402

FLOORS = {
    # corpus: (precision, recall), as measured when pinned: quality 1.00 / 0.90, heldout 0.89 / 0.73.
    # heldout's recall floor was lowered from 0.75 when conflicts under the confidence cut became
    # "possible": its precision rose from 0.81 to 0.89, and the two conflicts lost were one found
    # by chance (74 cases against "seven in ten") and 6,800 members against 8,400 drivers and guards.
    # quality's recall floor was lowered from 0.88 when word rarity became per event (so that an
    # event's stored comparison can be reused on a rerun): one date conflict ("on Friday" /
    # "on Saturday") fell under the confidence cut; measured then 0.98 / 0.88 (51 of 58).
    "quality": (0.95, 0.86),
    "heldout": (0.85, 0.71),
}
REAL_TOPICS = frozenset({1, 3, 4, 5, 6})  # a slice of ECB+ dev that builds in a few seconds
REAL_RECALL_FLOOR = (
    0.8  # planted changes found in that slice when pinned: 0.90 (18/20; 19/21 before clock times left the plants)
)
# the slice's conflicts that readers judged (tests/bench/real/labels.json), when pinned: 10
# conflicts, 9 judged, 4 real and 5 false (lowered from 15 false when the act, rank and bound
# rules of rounds 18-19 removed four of them, then from 11 when the frame, selection, whole,
# distance, one-of-many and role-span rules of round 20 removed six more); a change that brings
# back flags judged false, or loses the real ones, fails
REAL_JUDGED_FALSE_CEILING = 5
REAL_JUDGED_REAL_FLOOR = 4


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_labelled_corpus_keeps_its_floors(corpus: str) -> None:
    res = eval_quality.evaluate(BENCH / corpus)
    precision, recall = FLOORS[corpus]
    assert res["overall"]["precision"] >= precision, res["false"]
    assert res["overall"]["recall"] >= recall, res["missed"]
    assert res["wrong"]["non_discrepancies"][0] == 0
    assert res["wrong"]["variants"][0] == 0


@pytest.mark.skipif(not (real.ECB / "gold.json").exists(), reason="ECB+ dev corpus not beside the repository")
def test_planted_changes_in_real_news_are_found(tmp_path: Path) -> None:
    corpus = real.load(real.ECB)
    keep = {n for n, e in corpus.event_of.items() if real.topic(e) in REAL_TOPICS}
    corpus.texts = {n: t for n, t in corpus.texts.items() if n in keep}
    corpus.events = {e: names for e, names in corpus.events.items() if real.topic(e) in REAL_TOPICS}
    texts, plants = real.plant(corpus, random.Random(real.SEED))
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    briefing = to_json(build_briefing(BuildOptions(sources=[tmp_path]), warn=lambda _: None))
    flags, facts = real.conflicts(briefing), real.conflict_facts(briefing)
    found = [p for p in plants if real.plant_found(p, flags, facts, set(corpus.events[p["event"]]) - {p["article"]})]
    assert len(plants) >= 20  # the slice must keep enough plants to measure
    assert len(found) / len(plants) >= REAL_RECALL_FLOOR, [p for p in plants if p not in found]


@pytest.mark.skipif(not (real.ECB / "gold.json").exists(), reason="ECB+ dev corpus not beside the repository")
def test_flags_judged_on_real_news_stay_judged() -> None:
    corpus = real.load(real.ECB)
    keep = sorted(n for n, e in corpus.event_of.items() if real.topic(e) in REAL_TOPICS)
    briefing = to_json(
        build_briefing(BuildOptions(sources=[real.ECB / "articles" / n for n in keep]), warn=lambda _: None)
    )
    labels = real.load_labels()
    judged = [(labels[f["key"]]["verdict"], f) for f in real.conflicts(briefing) if f["key"] in labels]
    false = [f for v, f in judged if v not in real.TRUE_VERDICTS]
    assert len(false) <= REAL_JUDGED_FALSE_CEILING, false
    assert len(judged) - len(false) >= REAL_JUDGED_REAL_FLOOR, judged
