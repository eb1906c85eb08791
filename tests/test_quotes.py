"""Quotations: grading, word diffs, pairing by speaker."""

from __future__ import annotations

import pytest

from reporter.model import Briefing
from reporter.quotes import grade, word_diff

from .conftest import by_file


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("We will appeal this verdict.", "We will appeal this verdict.", "same"),
        ("But why now, and why on our border?", "why now", "partial"),
        ("We will appeal this verdict", "We will not appeal this verdict", "contradicting"),
        ("Rescue teams are searching four buildings", "Rescue teams are searching 14 buildings", "contradicting"),
        (
            "This is the largest walkout in our history",
            "This is one of the larger walkouts in our history",
            "contradicting",
        ),
        (  # an emphatic "nothing less than" denies nothing
            "The future of Europe and the future of Germany within Europe is at stake",
            "Nothing less than the future of Europe, and with that the future of Germany in Europe, is at stake",
            "reworded",
        ),
        (
            "The exercise aims to strengthen bilateral relations",
            "The drills are meant to deepen ties between us",
            "reworded",
        ),
    ],
)
def test_grades(a: str, b: str, expected: str) -> None:
    assert grade(a, b)[0] == expected


def test_word_diff_marks_removed_and_added_words() -> None:
    assert word_diff("we will appeal", "we will not appeal") == "we will {+not+} appeal"
    assert word_diff("four buildings", "14 buildings") == "[-four-] {+14+} buildings"


def test_seed_spokesman_quote_is_paired_by_speaker_and_not_a_conflict(seed_briefing: Briefing) -> None:
    ids = by_file(seed_briefing)
    pairs = [q for q in seed_briefing.quotes if {q.a.article, q.b.article} == {ids["000"], ids["001"]}]
    spokesman = [q for q in pairs if q.speaker and "Khatibzadeh" in q.speaker]
    assert len(spokesman) == 1
    pair = spokesman[0]
    assert "zionist regime near its international borders" in pair.a.value + pair.b.value
    assert pair.grade in ("reworded", "partial")
    assert pair.diff
    # Amirabdollahian says similar words in 000; he is another speaker, so not this quote
    assert not any("Amirabdollahian" in (q.speaker or "") for q in pairs)
    assert not [d for d in seed_briefing.discrepancies if d.kind == "quote" and d.severity == "conflict"]


def test_seed_why_now_is_a_partial_quote_across_sentences(seed_briefing: Briefing) -> None:
    # 000 spreads the quotation over three sentences and gives it to "the Azeri President ... he";
    # 001 names Aliyev. One source quotes part of the other: paired, graded partial, not flagged.
    partial = [q for q in seed_briefing.quotes if "Why now?" in (q.a.value, q.b.value)]
    assert len(partial) == 1
    assert partial[0].grade == "partial"
    assert "But why now, and why on our border?" in (partial[0].a.value, partial[0].b.value)
