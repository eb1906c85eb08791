"""Details found in sentences: numbers with units, years, dates, names, quotes."""

from __future__ import annotations

from datetime import date

import pytest

from reporter.extract import details, sentences
from reporter.model import Article


def of(text: str, kind: str, published: date | None = None) -> list[tuple[str, str, str | None]]:
    return [(d.text, d.value, d.unit) for d in details(text, published) if d.kind == kind]


def test_number_words_and_hyphenated_units_agree() -> None:
    assert of('The four-day "Joint Aras Exercise" began.', "number") == [("four", "4", "day")]
    assert of("It will last four days.", "number") == [("four", "4", "day")]


def test_thousands_ranges_scales_and_hedges() -> None:
    assert of("About 4,500 troops took part.", "number") == [("4,500", "4500", "troop")]
    assert details("About 4,500 troops took part.")[0].hedge == "about"
    assert of("a population of 25 to 40 million strong", "number")[0][1] == "25000000-40000000"
    assert of("two thousand soldiers", "number") == [("two thousand", "2000", "soldier")]
    assert of("half a million people", "number") == [("half a million", "500000", "people")]


def test_years_decades_and_counts() -> None:
    assert of("Relations were established in the 1990s.", "year") == [("1990s", "1990s", None)]
    assert of("The gang was founded in the 1930's.", "year") == [("1930's", "1930s", None)]
    assert of("After 2008's election the party split.", "year") == [("2008", "2008", None)]  # a possessive
    assert of("the Treaty of Turkmenchay in 1928 with", "year") == [("1928", "1928", None)]
    assert of("Back in January 2012, the plot failed.", "year") == [("2012", "2012", None)]
    assert of("2000 troops crossed", "year") == []
    assert of("2000 troops crossed", "number")[0][2] == "troop"


def test_dates_absolute_and_relative_to_publication() -> None:
    pub = date(2024, 11, 25)  # a Monday
    assert of("Dana reported on November 24.", "date", pub) == [("November 24", "2024-11-24", None)]
    assert of("They were welcomed earlier on Sunday.", "date", pub) == [("earlier on Sunday", "2024-11-24", None)]
    assert of("It began on 25 November 2024.", "date")[0][1] == "2024-11-25"
    assert of("Talks resumed last Monday.", "date", pub)[0][1] == "2024-11-18"
    assert of("On Monday, November 25, it began.", "date")[0][1] == "--11-25"


def test_names_and_quotes_with_speakers() -> None:
    text = "“We will act,” ministry spokesman Saeed Khatibzadeh said in Tehran."
    names = [d.text for d in details(text) if d.kind == "entity"]
    assert "Saeed Khatibzadeh" in names and "Tehran" in names
    quotes = [(d.text, d.speaker) for d in details(text) if d.kind == "quote"]
    assert quotes == [("We will act,", "Saeed Khatibzadeh")]


def test_times_of_day_are_their_own_kind_with_zone_and_hedge() -> None:
    found = [
        (d.value, d.hedge) for d in details("He was stopped shortly after 2 a.m. and freed at 9pm.") if d.kind == "time"
    ]
    assert found == [("02:00", "shortly after"), ("21:00", None)]
    assert of("At 4:30 a.m. local time (11.30 p.m. ET) they struck.", "time") == [
        ("4:30 a.m. local time", "04:30 local", None),
        ("11.30 p.m. ET", "23:30 ET", None),
    ]
    assert of("He scored with 4:43 to play.", "time") == []  # a game clock is no time of day
    assert of("He scored with 4:43 to play.", "number") == []


def test_a_currency_symbol_is_the_unit_and_a_ratio_is_no_figure() -> None:
    assert of("Jewels worth £88m were taken.", "number") == [("88", "88000000", "pound")]
    assert of("Jewels worth €103m were taken.", "number") == [("103", "103000000", "euro")]
    assert of("He served 41 / 2 months, open 24/7.", "number") == []


def test_initials_stay_with_a_name_and_a_shouted_opening_is_none() -> None:
    assert [v for _, v, _ in of("Chargers general manager A.J. Butler said.", "entity")] == ["chargers", "aj butler"]
    assert [v for _, v, _ in of("He served in the U.S. Army.", "entity")] == ["us army"]
    assert of("A MAN has died in Millom.", "entity") == [("Millom", "millom", None)]


def test_telephone_numbers_are_not_figures() -> None:
    text = "Contact Surrey Police on 0845 125 2222 or Crimestoppers on 0800 555111, or call 800-555-0199."
    assert [d for d in details(text) if d.kind == "number"] == []
    assert [d.value for d in details("Police said 20 15-year-olds were held.") if d.kind == "number"][:1] == ["20"]


def test_square_and_cubic_units_are_two_words() -> None:
    units = [d.unit for d in details("The 15,800-square-metre hall, 170,000 square feet, holds 30 cubic metres.")]
    assert units[:3] == ["square metre", "square foot", "cubic metre"]


def test_a_record_in_brackets_is_not_a_range() -> None:
    # a record is a tally of its own, compared with records as a whole; a score is another
    found = [(d.value, d.unit) for d in details("Carter scored 13 for the Bulldogs (15-17).") if d.kind == "number"]
    assert found == [("13", None), ("15:17", "record")]
    found = [(d.value, d.unit) for d in details("They won 65-53 and improve to 58-3.") if d.kind == "number"]
    assert found == [("65:53", "tally"), ("58:3", "tally")]
    # a record may have more losses than wins
    found = [(d.value, d.unit) for d in details("The Sixers have a record of 9-14 this season.") if d.kind == "number"]
    assert found == [("9:14", "record")]
    assert [d.value for d in details("Children aged 15-17 were held.") if d.kind == "number"] == ["15-17"]


def test_an_abbreviated_month_is_not_a_name() -> None:
    text = "Repairs should finish by Dec. 31, according to Bloomberg, and A.J. Smith agreed."
    assert [d.text for d in details(text) if d.kind == "entity"] == ["Repairs", "Bloomberg", "A.J. Smith"]


def _figures(text: str) -> list[str]:
    return [d.text for d in details(text) if d.kind == "number"]


def test_numbers_that_name_are_not_figures() -> None:
    # model and version numbers, numbered roads and ordinal street names are parts of names
    assert _figures("Attacks hit users of Internet Explorer 8 and of version 6 on state Route 94.") == []
    assert _figures("She was struck near 27th Street and 97th Ave. by a car.") == []
    # a month, an abbreviation, a sentence's first word or a percentage keep the figure
    assert _figures("On March 3 the No. 2 seed won 12 games.") == ["2", "12"]
    assert _figures("Police 10 said Obama 52% led.") == ["10", "52%"]
    # a noun after the number makes it a figure of the name before it; another word does not
    assert _figures("Andre Iguodala 14.9 points, near Interstate 805 just after dawn.") == ["14.9"]
    # a street's block is a figure two reports may give differently
    assert _figures("He was shot in the 12200 block of 223rd Street.") == ["12200"]


def test_a_total_after_of_is_a_figure() -> None:
    found = [(d.text, d.unit) for d in details("Manning completed 29-of-34 passes.") if d.kind == "number"]
    assert found == [("29", None), ("34", "pass")]


def test_a_year_in_a_name_is_no_year_and_a_verb_after_a_year_is_no_count() -> None:
    years = [
        d.text for d in details("It affects Windows 2000 and Server 2003, as reported in May 2008.") if d.kind == "year"
    ]
    assert years == ["2008"]
    assert [
        (d.kind, d.text) for d in details("In 2008 this was cold, and 2000 troops left.") if d.kind != "entity"
    ] == [
        ("year", "2008"),
        ("number", "2000"),
    ]


def test_a_number_word_joined_to_the_word_before_is_no_count() -> None:
    text = "He returned an interception for a pick-six, and twenty-five fans saw the four-day event."
    assert [d.text for d in details(text) if d.kind == "number"] == ["twenty-five", "four"]


def test_between_two_figures_is_one_range() -> None:
    def ranges(text: str) -> list[tuple[str, str | None]]:
        return [(d.value, d.unit) for d in details(text) if d.kind == "number"]

    assert ranges("They offered a deal worth between $140 million and $150 million.") == [
        ("140000000-150000000", "dollar")
    ]
    assert ranges("They made an offer between $140 and $150 million.") == [("140000000-150000000", "dollar")]
    assert ranges("Between 20 and 30 people died.") == [("20-30", "people")]


def test_a_span_of_years_is_one_value() -> None:
    def years(text: str) -> list[str]:
        return [d.value for d in details(text) if d.kind in ("year", "number")]

    assert years("He led the club to the playoffs for the first time since the 2004-05 season.") == ["2004-2005"]
    assert years("He was director of personnel (1999-2003) before his promotion.") == ["1999-2003"]
    assert years("Between 2003 and 2005 he led the club.") == ["2003", "2005"]
    assert years("The 2004-1998 figures were lost.") == ["2004"]  # no span ends before it starts


def test_a_hedge_before_a_currency_symbol_hedges_the_sum() -> None:
    def hedges(text: str) -> list[tuple[str, str | None]]:
        return [(d.value, d.hedge) for d in details(text) if d.kind == "number"]

    assert hedges("He is seeking at least $20 million per season.") == [("20000000", "at least")]
    assert hedges("Thieves took more than £5,000 and about US$ 3 billion in bonds.") == [
        ("5000", "more than"),
        ("3000000000", "about"),
    ]
    assert hedges("The $40 fee was waived.") == [("40", None)]


def test_bounds_said_in_other_words_are_bounds() -> None:
    def hedges(text: str) -> list[tuple[str, str | None]]:
        return [(d.value, d.hedge) for d in details(text) if d.kind == "number"]

    assert hedges("No more than 10 people were hurt.") == [("10", "no more than")]  # at most, not "more than"
    assert hedges("Losses in excess of 500 jobs and greater than 40 stores.") == [
        ("500", "in excess of"),
        ("40", "greater than"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A year later, he was convicted. Mr. Costa, who listed his profession as a clerk, was sentenced.",
         ["A year later, he was convicted.", "Mr. Costa, who listed his profession as a clerk, was sentenced."]),
        ("A year later, the clinic reopened. Dr. Benton, who runs it, said so.",
         ["A year later, the clinic reopened.", "Dr. Benton, who runs it, said so."]),
        # a title after a name ends a sentence
        ("The speech was given by Martin Luther King Jr. He spoke for an hour.",
         ["The speech was given by Martin Luther King Jr.", "He spoke for an hour."]),
        ("I said no. Yes.", ["I said no.", "Yes."]),
    ],
)  # fmt: skip
def test_a_sentence_is_not_cut_after_a_title(text: str, expected: list[str]) -> None:
    article = Article(
        id="a", path="a", format="text", title=None, outlet=None, published=None, url=None, role="report", text=text
    )
    assert [s.text for s in sentences(article)] == expected
