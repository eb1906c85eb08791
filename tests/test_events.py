"""The seed articles form exactly three events; references never join one."""

from __future__ import annotations

from reporter.model import Briefing

from .conftest import by_file


def test_seed_events_are_the_three_real_events(seed_briefing: Briefing) -> None:
    ids = by_file(seed_briefing)
    names = {v: k for k, v in ids.items()}
    groups = sorted(sorted(names[a] for a in e.articles) for e in seed_briefing.events)
    assert groups == [["000", "001"], ["002", "003"], ["004"]]


def test_events_have_title_dates_and_reason(seed_briefing: Briefing) -> None:
    for event in seed_briefing.events:
        assert event.title and len(event.title) <= 90
        assert event.why
    drills = next(e for e in seed_briefing.events if len(e.articles) == 2 and e.start and e.start.year == 2021)
    assert drills.start.isoformat() == "2021-10-02"  # type: ignore[union-attr]
    aras = next(e for e in seed_briefing.events if e.start and e.start.year == 2024)
    assert aras.start.isoformat() == "2024-11-25"  # type: ignore[union-attr]
