"""Boilerplate removal, title and date recovery on the seed articles."""

from __future__ import annotations

from datetime import date

from reporter.clean import clean
from reporter.model import Briefing, RawArticle


def article(briefing: Briefing, prefix: str):  # type: ignore[no-untyped-def]
    return next(a for a in briefing.articles if a.path.split("/")[-1].startswith(prefix))


def test_date_token_gives_published_and_leaves_the_text(seed_briefing: Briefing) -> None:
    a = article(seed_briefing, "000")
    assert a.published == date(2021, 10, 2)
    assert a.text.startswith("Iranian National Army has commenced")
    assert a.title is None  # its first line is a sentence, not a headline


def test_embeds_and_credits_removed_and_kept_for_the_reader(seed_briefing: Briefing) -> None:
    a = article(seed_briefing, "000")
    assert "pic.twitter.com" not in a.text
    assert "(With inputs from AP)" not in a.text and "Image:" not in a.text
    reasons = [r.reason for r in a.removed]
    assert reasons.count("social media embed") == 2
    assert any("pic.twitter.com/ZlvYM2xs79" in r.text for r in a.removed)


def test_byline_date_and_repeated_headline(seed_briefing: Briefing) -> None:
    a = article(seed_briefing, "002")
    assert a.title == "Azerbaijani and Iranian forces begin joint border exercises"
    assert a.published == date(2024, 11, 25)
    assert a.outlet == "bne IntelliNews"
    assert "By bne Tehran bureau" not in a.text
    assert a.title not in a.text
    assert not a.text.rstrip().endswith(("News", "Dismiss"))


def test_byline_first_line_is_not_a_title(seed_briefing: Briefing) -> None:
    a = article(seed_briefing, "003")
    assert a.title is None
    assert a.text.startswith("On Monday, November 25")
    assert "You may also like" not in a.text and "Leave a Comment" not in a.text


def test_tag_lines_and_captions_removed(seed_briefing: Briefing) -> None:
    a = article(seed_briefing, "004")
    assert a.title == "Iran Boosts Border Defense Against Armenia-Azerbaijan Conflict, Israel and ISIS"
    assert "iran, armenia, azerbaijan" not in a.text
    assert "Wikimedia" not in a.text and "surface-to-air missile system is fired" not in a.text
    assert "Mousavi" in a.text


def test_general_patterns_not_seed_strings() -> None:
    raw = RawArticle(
        path="x.txt",
        format="txt",
        text=(
            "Port strike ends after nine days\n\nBy Jane Roe, Staff Writer March 3, 2023\n\n"
            "Dock workers returned to work on Friday after a nine-day strike over pay.\n\n"
            "Workers cheer at the gate #strike pic.twitter.com/AbC123xyz — Local News (@localnews) March 3, 2023\n\n"
            "Photo: AFP\n\nport, strike, pay, dockers\n\nRead more\n\nShare this article\n\n"
            "The union said the deal raises wages by 4 percent.\n\nAdvertisement"
        ),
    )
    a = clean(raw)
    assert a.title == "Port strike ends after nine days"
    assert a.published == date(2023, 3, 3)
    assert a.text == (
        "Dock workers returned to work on Friday after a nine-day strike over pay.\n\n"
        "The union said the deal raises wages by 4 percent."
    )
    assert len(a.removed) == 8


def test_a_posting_stamp_above_the_headline_is_not_the_title() -> None:
    raw = RawArticle(
        path="x.txt",
        format="txt",
        text=(
            "Last Updated: Monday, 28 November 2005, 02:24 GMT\n\nTen dead in southern quake\n\n"
            "A powerful earthquake has hit the south of the country, killing at least 10 people.\n\n"
            "Officials said several villages were damaged."
        ),
    )
    assert clean(raw).title == "Ten dead in southern quake"
