"""Disputed facts: the engine's pairwise flags merged per slot; agreement credited to the sources that state it."""

from __future__ import annotations

from typing import Any

from reporter.coverage import agreed_claims
from reporter.facts import build_facts
from reporter.model import Alignment, Article, Briefing, Copying, Detail, Discrepancy, Event, Sentence, Side

SENTENCE = "Officials said {n} people evacuated the town on Monday."


def _article(i: int, role: str = "report") -> Article:
    return Article(f"a{i}", f"in/{i}.txt", "txt", None, None, None, None, role, "text")  # type: ignore[arg-type]


def _side(article: str, n: str) -> Side:
    text = SENTENCE.format(n=n)
    start = text.index(n)
    return Side(article, text, n, start, start + len(n), n)


def _sentences(values: dict[str, str]) -> dict[str, tuple[Sentence, ...]]:
    out = {}
    for article, n in values.items():
        side = _side(article, n)
        detail = Detail("number", n, side.start, side.end, n, unit="people")
        out[article] = (Sentence(article, 0, side.sentence, (detail,)),)
    return out


def _briefing(flags: list[Discrepancy], values: dict[str, str], **more: Any) -> Briefing:
    articles = tuple(_article(int(a[1:])) for a in values)
    event = Event("e1", "Town evacuated", tuple(values), None, None, "")
    return Briefing("t", "", "", articles, (event,), tuple(flags), (), sentences=_sentences(values), **more)


def _conflict(n: int, a: str, b: str, values: dict[str, str], score: float) -> Discrepancy:
    return Discrepancy(f"d{n}", "e1", "number", "conflict", score, "", _side(a, values[a]), _side(b, values[b]))


def test_four_sources_against_one_are_one_fact_with_who_says_what() -> None:
    values = {"a1": "120", "a2": "120", "a3": "120", "a4": "120", "a5": "200"}
    flags = [_conflict(i, f"a{i}", "a5", values, 0.1 * i) for i in range(1, 5)]
    facts = build_facts(_briefing(flags, values))
    assert len(facts) == 1
    fact = facts[0]
    assert fact.slot == "number of people evacuated"
    assert [(v.value, v.sources) for v in fact.values] == [("120", ("a1", "a2", "a3", "a4")), ("200", ("a5",))]
    assert fact.flags == ("d1", "d2", "d3", "d4")
    assert fact.score == 0.4  # the surest of its flags
    assert fact.context == "Officials said ___ people evacuated the town …"


def test_wire_copies_are_counted_once_and_marked() -> None:
    values = {"a1": "120", "a2": "120", "a3": "200"}
    flags = [_conflict(1, "a1", "a3", values, 0.3), _conflict(2, "a2", "a3", values, 0.3)]
    copy = Copying("e1", "a1", "a2", 1, 1.0, ((0, 0, 1),))
    fact = build_facts(_briefing(flags, values, copying=(copy,)))[0]
    assert (fact.values[0].sources, fact.values[0].copies) == (("a1",), ("a2",))


def test_flags_that_share_no_value_are_separate_facts() -> None:
    values = {"a1": "120", "a2": "200", "a3": "7", "a4": "9"}
    flags = [_conflict(1, "a1", "a2", values, 0.3), _conflict(2, "a3", "a4", values, 0.3)]
    assert len(build_facts(_briefing(flags, values))) == 2


def test_a_flag_under_the_cut_does_not_add_its_value_to_a_conflict() -> None:
    values = {"a1": "120", "a2": "200", "a3": "7"}
    sure = _conflict(1, "a1", "a2", values, 0.6)
    unsure = Discrepancy("d2", "e1", "number", "possible", 0.02, "", _side("a1", "120"), _side("a3", "7"))
    facts = build_facts(_briefing([sure, unsure], values))
    conflict = next(f for f in facts if f.severity == "conflict")
    assert [v.value for v in conflict.values] == ["120", "200"]
    assert [f.severity for f in facts].count("possible") == 1


def test_agreement_credits_exactly_the_sources_whose_sentence_states_it() -> None:
    texts = ["The bridge opened in May after four years of work.", "The bridge opened in May.", "Rain fell."]
    sents = {f"a{i}": (Sentence(f"a{i}", 0, t),) for i, t in enumerate(texts, 1)}
    event = Event("e1", "Bridge", ("a1", "a2", "a3"), None, None, "")
    # a3's sentence aligns only weakly with a2's: a chain of look-alikes does not credit it
    alignments = (Alignment("e1", "a1", 0, "a2", 0, 0.8), Alignment("e1", "a2", 0, "a3", 0, 0.3))
    claims = agreed_claims((event,), sents, alignments, (), ())
    assert [(c.text, c.sources) for c in claims] == [("The bridge opened in May.", ("a1", "a2"))]


def test_a_disputed_claim_is_never_listed_as_agreed() -> None:
    values = {"a1": "120", "a2": "200"}
    sents = _sentences(values)
    event = Event("e1", "Town evacuated", ("a1", "a2"), None, None, "")
    flag = _conflict(1, "a1", "a2", values, 0.3)
    alignments = (Alignment("e1", "a1", 0, "a2", 0, 0.9),)
    assert agreed_claims((event,), sents, alignments, (), (flag,)) == ()
    assert len(agreed_claims((event,), sents, alignments, (), ())) == 1
