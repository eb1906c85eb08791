"""The Markdown digest at any size: the surest disputed facts, one line per event, under 64 KB."""

from __future__ import annotations

import re
import time
from pathlib import Path

from reporter.model import Alignment, Article, Briefing, Discrepancy, Event, Sentence, Side, UniqueClaims
from reporter.render import DIGEST_LIMIT, RenderOptions, render_markdown
from reporter.view import build_view

from .conftest import run


def large_briefing(events: int, aligned: int = 0) -> Briefing:
    """Build a briefing of many two-source events, each with one likely disagreement, and long titles.

    With `aligned`, each event also has that many sentence alignments and each source a claim of its own.
    """
    articles, evs, flags, sents, alignments, unique = [], [], [], {}, [], []
    for n in range(events):
        ids = (f"a{n}x", f"a{n}y")
        for i, value in zip(ids, ("120", "200"), strict=True):
            text = f"Officials said {value} people were evacuated from district {n}."
            articles.append(Article(i, f"in/{i}.txt", "txt", "T" * 300, None, None, None, "report", text))
            sents[i] = (Sentence(i, 0, text),)
        side = [Side(i, sents[i][0].text, v, 15, 18, v) for i, v in zip(ids, ("120", "200"), strict=True)]
        flags.append(Discrepancy(f"d{n}", f"e{n}", "number", "conflict", 0.6, "", side[0], side[1]))
        evs.append(Event(f"e{n}", "A long headline " * 20, ids, None, None, ""))
        alignments += [Alignment(f"e{n}", ids[0], 0, ids[1], 0, 0.3)] * aligned
        unique += [UniqueClaims(f"e{n}", i, (0,), (sents[i][0].text,)) for i in ids] if aligned else []
    return Briefing(
        "t", "2024-01-01T00:00:00Z", "0", tuple(articles), tuple(evs), tuple(flags), (), sentences=sents,
        alignments=tuple(alignments), unique=tuple(unique),
    )  # fmt: skip


def test_digest_of_a_large_briefing_stays_under_64_kb() -> None:
    digest = render_markdown(large_briefing(1500))
    assert len(digest.encode("utf-8")) <= DIGEST_LIMIT
    assert "more events in briefing.html" in digest  # what it leaves out is counted
    assert digest.rstrip().endswith("briefing.html (and briefing.pdf, briefing.json).")


def test_digest_lists_20_facts_unless_told_otherwise() -> None:
    briefing = large_briefing(40)
    facts = lambda text: re.findall(r"^\d+\. \*\*Number", text, re.M)  # noqa: E731
    assert len(facts(render_markdown(briefing))) == 20
    assert len(facts(render_markdown(briefing, RenderOptions(digest_facts=5)))) == 5


def test_digest_facts_flag_and_config_key(tmp_path: Path) -> None:
    code, _, err = run(
        "build", "seeds", "--format", "md", "--out", str(tmp_path / "a"), "--digest-facts", "1", "--quiet"
    )
    assert code == 0, err
    code, _, err = run("build", "seeds", "--format", "md", "--out", str(tmp_path / "b"), "--digest-facts", "0")
    assert code == 2 and "0 is not in the range x>=1" in err
    (tmp_path / "briefing.toml").write_text("digest_facts = 0\n", encoding="utf-8")
    code, _, err = run("build", "seeds", "--config", str(tmp_path / "briefing.toml"), "--out", str(tmp_path / "c"))
    assert code != 0 and "digest_facts" in err


def test_the_view_of_two_thousand_events_is_built_in_a_second_or_so() -> None:
    # each record is looked up through indexes built once: a scan per event made this 6 s
    briefing = large_briefing(2000, aligned=5)
    started = time.perf_counter()
    view = build_view(briefing)
    assert time.perf_counter() - started < 1.5
    assert len(view.events) == 2000
