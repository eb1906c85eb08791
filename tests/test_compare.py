"""Discrepancies: the reference check, agreeing references, and same facts written differently."""

from __future__ import annotations

from pathlib import Path

import pytest

from reporter.compare import different_acts
from reporter.extract import details
from reporter.facts import build_facts
from reporter.model import Briefing, Sentence
from reporter.names import NameIndex, name_index, namesake_conflicts
from reporter.pipeline import BuildOptions, build_briefing

from .conftest import by_file

REPORT = (
    "Port of Velmar reopens after storm\n\n"
    "The Port of Velmar, which opened in 1962, reopened on Monday after a storm closed it for a week. "
    "About 4,500 workers returned to the docks.\n\n"
    "The harbour master said the cranes were undamaged."
)
OTHER = (
    "Velmar docks back at work\n\n"
    "Dock work resumed at the Port of Velmar on Monday, a week after the storm. "
    "Some 4,480 workers returned to the docks, the union said.\n\n"
    "Officials said the cranes had not been damaged."
)


def build(tmp_path: Path, reference: str | None) -> Briefing:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(OTHER, encoding="utf-8")
    refs = []
    if reference is not None:
        (tmp_path / "ref").mkdir()
        (tmp_path / "ref" / "velmar.md").write_text(reference, encoding="utf-8")
        refs = [str(tmp_path / "ref")]
    return build_briefing(BuildOptions(sources=[str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], references=refs),
                          warn=lambda _: None)  # fmt: skip


def test_seed_turkmenchay_year_flagged_against_reference(seed_briefing: Briefing) -> None:
    ids = by_file(seed_briefing)
    flags = [d for d in seed_briefing.discrepancies if d.kind == "reference"]
    assert len(flags) == 1
    flag = flags[0]
    assert flag.severity == "conflict"
    assert flag.a.article == ids["001"] and flag.a.value == "1928"
    assert flag.a.sentence[flag.a.start : flag.a.end] == "1928"
    assert flag.b.value == "1828" and flag.b.sentence[flag.b.start : flag.b.end] == "1828"
    assert "Turkmenchay" in flag.a.sentence
    assert "1828" in flag.note and "reference" in flag.note


def test_seed_same_facts_written_differently_are_not_conflicts(seed_briefing: Briefing) -> None:
    values = {(d.a.value, d.b.value) for d in seed_briefing.discrepancies if d.severity == "conflict"}
    assert ("four", "four") not in values
    assert not any("Sunday" in a or "Sunday" in b for a, b in values)


def test_reference_that_agrees_raises_nothing(tmp_path: Path) -> None:
    agreeing = (
        "---\ntitle: Velmar port facts\nrole: reference\n---\nThe Port of Velmar opened in 1962 on the estuary.\n"
    )
    briefing = build(tmp_path, agreeing)
    assert [d for d in briefing.discrepancies if d.kind == "reference"] == []


def test_reference_that_disagrees_is_a_conflict(tmp_path: Path) -> None:
    disagreeing = (
        "---\ntitle: Velmar port facts\nrole: reference\n---\nThe Port of Velmar opened in 1926 on the estuary.\n"
    )
    briefing = build(tmp_path, disagreeing)
    flags = [d for d in briefing.discrepancies if d.kind == "reference"]
    assert [(d.a.value, d.b.value, d.severity) for d in flags] == [("1962", "1926", "conflict")]
    assert all(a.id not in e.articles for e in briefing.events for a in briefing.articles if a.role == "reference")


def test_hedged_figure_close_to_exact_one_is_not_a_conflict(tmp_path: Path) -> None:
    briefing = build(tmp_path, None)
    assert len(briefing.events) == 1
    assert [d for d in briefing.discrepancies if d.kind == "number"] == []


def write(tmp_path: Path, **texts: str) -> list[str]:
    paths = []
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / f"{name}.txt"))
    return paths


def conflicts(briefing: Briefing) -> list[tuple[str, str, str]]:
    return sorted((d.kind, d.a.value, d.b.value) for d in briefing.discrepancies if d.severity == "conflict")


def test_seed_variants_and_not_conflicts(seed_briefing: Briefing) -> None:
    variants = {(d.a.value, d.b.value) for d in seed_briefing.discrepancies if d.severity == "variant"}
    assert ("Kheibar", "Khaybar") in variants
    assert ("Bileh Savar", "Bilekh-Savar") in variants
    kinds = [(d.kind, d.a.value, d.b.value) for d in seed_briefing.discrepancies if d.severity == "conflict"]
    assert ("date", "November 24", "Monday, November 25") in kinds
    assert len(kinds) == 2  # the Aras start date and Turkmenchay; nothing a careful reader would call the same fact


def test_counts_compared_across_nouns_but_not_across_units(tmp_path: Path) -> None:
    head = "date 2024-03-04 The drill near Velmar began on Monday with"
    a, b = write(
        tmp_path,
        a=f"{head} 4,500 troops along the river, officials in Velmar said after the drill began.",
        b=f"{head} 5,400 soldiers along the river, officials in Velmar said after the drill began.",
    )
    briefing = build_briefing(BuildOptions(sources=[a, b]), warn=lambda _: None)
    assert conflicts(briefing) == [("number", "4,500", "5,400")]
    c = write(tmp_path, c=f"{head} a convoy that drove 4,500 kilometres along the river, officials in Velmar said.")[0]
    briefing = build_briefing(BuildOptions(sources=[a, c]), warn=lambda _: None)
    assert [k for k in conflicts(briefing) if k[0] == "number"] == []
    # a figure written into a compound qualifies its noun: a calibre is no count of bullets
    one = "A revolver loaded with four bullets was reportedly recovered from the scene."
    other = "A loaded. 38-caliber revolver was recovered at the scene."
    assert pair(tmp_path, one, other, "number") == []


def test_same_title_different_person_is_a_name_conflict(tmp_path: Path) -> None:
    a, b = write(
        tmp_path,
        a="date 2024-02-06 The Halvard Bridge closed on Tuesday after cracks were found in its anchor plates. "
        "Transport Minister Lukas Berg said the closure would last six weeks.",
        b="date 2024-02-06 Cracks in the anchor plates closed the Halvard Bridge on Tuesday. "
        "Transport Minister Helena Strom said safety came first and the crossing would stay shut.",
    )
    briefing = build_briefing(BuildOptions(sources=[a, b]), warn=lambda _: None)
    assert ("name", "Lukas Berg", "Helena Strom") in conflicts(briefing)


def test_transliterated_names_are_variants_not_conflicts(tmp_path: Path) -> None:
    a, b = write(
        tmp_path,
        a="date 2023-05-09 Port workers in Maravel walked out on Monday, union leader Vera Sokol said at the gate.",
        b="date 2023-05-09 Port workers in Maravel walked out on Monday, union leader Wera Sokol said at the gate.",
    )
    briefing = build_briefing(BuildOptions(sources=[a, b]), warn=lambda _: None)
    assert conflicts(briefing) == []
    assert [(d.kind, d.severity) for d in briefing.discrepancies] == [("name", "variant")]


def test_one_of_many_plays_is_not_compared_with_another_in_loose_sentences(tmp_path: Path) -> None:
    one = (
        "That turned the ball over to Luck, who completed an 11-yard pass to Hilton to convert a third down "
        "before he and Wayne won it."
    )
    other = (
        "The Colts went on a 13-play drive from their own 27 and capped it off with a 7-yard touchdown pass to Wayne."
    )
    assert pair(tmp_path, one, other, "number") == []
    one = "Cleveland was 20-3, owner of an 11-game win streak and unbeaten at home this season."
    other = "The Sixers are on a three-game losing streak and last in the Atlantic Division this season."
    assert pair(tmp_path, one, other, "number") == []
    # an age or a magnitude qualifies its one person or quake
    one = (
        "A 92-year-old Vancouver man was charged on Saturday with murder in connection with the shooting, police said."
    )
    other = (
        "Police said the suspect, a 61-year-old Vancouver man, surrendered and was charged with first-degree murder."
    )
    assert pair(tmp_path, one, other, "number") == [("number", "92", "61")]


def test_distances_from_two_places_are_two_distances(tmp_path: Path) -> None:
    one = "Police found the car in Flint, about 50 miles north of here, two hours after the shooting."
    other = "Police found the car in Flint, about 50 miles north of Detroit, two hours after the shooting."
    assert pair(tmp_path, one, other.replace("50", "15")) == []
    assert pair(tmp_path, one.replace("of here", "of Detroit"), other.replace("50", "15")) == [("number", "50", "15")]


def test_two_ranges_agree_only_end_for_end(tmp_path: Path) -> None:
    one = "Between the ages of 13 and 25, the boss was arrested seven times on an array of charges, records show."
    other = "Between the ages of 17 and 25, the boss was arrested seven times on an array of charges, records show."
    assert pair(tmp_path, one, other) == [("number", "13 and 25", "17 and 25")]
    # a figure within a range agrees with it
    other = "Between the ages of 13 and 25, the boss was arrested 7 times on an array of charges, records show."
    assert pair(tmp_path, one, other) == []
    other = "At the age of 20, the boss was arrested seven times on an array of charges, records show."
    assert pair(tmp_path, one, other, "number") == []


def test_names_that_differ_in_a_whole_word_are_not_one_name_spelled_two_ways(tmp_path: Path) -> None:
    # two names listed together share all but one surname: another person, not another spelling
    a, b = write(
        tmp_path,
        a="date 2023-05-09\n\nThe host returns for a second year, producers Craig Zadan and Neil Meron announced.",
        b="date 2023-05-09\n\nThe host returns for a second year, producers Craig Village and Neil Meron announced.",
    )
    briefing = build_briefing(BuildOptions(sources=[a, b]), warn=lambda _: None)
    assert [d for d in briefing.discrepancies if d.severity == "variant"] == []


def test_wire_copy_is_measured_and_unique_claims_listed(tmp_path: Path) -> None:
    wire = (
        "The port of Maravel reopened on Tuesday after a three-day strike over pay and shift patterns. "
        "The union said members had accepted a 4 percent pay rise over two years. "
        "Ships that had waited at anchor began to berth on Tuesday afternoon."
    )
    a, b = write(
        tmp_path,
        a=f"date 2023-05-10 {wire} Local shops near the docks said trade had fallen by half during the strike.",
        b=f"date 2023-05-10 {wire}",
    )
    briefing = build_briefing(BuildOptions(sources=[a, b]), warn=lambda _: None)
    [copy] = briefing.copying
    assert copy.copied == 3 and copy.share == 1.0 and copy.runs == ((0, 0, 3),)
    [only] = briefing.unique
    assert only.texts == ("Local shops near the docks said trade had fallen by half during the strike.",)


def test_the_reference_check_of_the_treaty_year_is_the_surest_seed_conflict(seed_briefing: Briefing) -> None:
    # the briefing's order is the reader's: a check against the trusted reference note first
    conflicts = [d for d in seed_briefing.discrepancies if d.severity == "conflict"]
    assert (conflicts[0].kind, conflicts[0].a.value, conflicts[0].b.value) == ("reference", "1928", "1828")
    [first, *_] = [f for f in build_facts(seed_briefing) if f.severity == "conflict"]
    assert first.kind == "reference"


def pair(tmp_path: Path, a: str, b: str, kind: str | None = None) -> list[tuple[str, str, str]]:
    """Return the conflicts (kind, value a, value b) between two one-line reports of one day, of one kind if given."""
    paths = write(tmp_path, a=f"date 2010-05-05\n\n{a}", b=f"date 2010-05-05\n\n{b}")
    found = conflicts(build_briefing(BuildOptions(sources=paths, together=(tuple(paths),)), warn=lambda _: None))
    return [c for c in found if kind is None or c[0] == kind]


def test_times_conflict_within_one_zone_only(tmp_path: Path) -> None:
    a = "Jackson failed sobriety tests shortly after {} on state Route 52, the patrol officer said."
    assert pair(tmp_path, a.format("5 a.m."), a.format("2 a.m.")) == [("time", "5 a.m.", "2 a.m.")]
    assert pair(tmp_path, a.format("4:30 p.m. ET"), a.format("3:30 p.m.")) == []


def test_a_time_a_count_was_taken_is_not_the_time_of_an_act(tmp_path: Path) -> None:
    one = "Voters in the capital cast their ballots from 8:00 a.m. local time on Sunday, officials said."
    other = "Some 2.4 million voters in the capital cast their ballots as of 4:00 p.m. local time on Sunday, they said."
    assert pair(tmp_path, one, other, "time") == []
    other = "Voters in the capital cast their ballots from 9:00 a.m. local time on Sunday, officials said."
    assert pair(tmp_path, one, other, "time") == [("time", "8:00 a.m. local time", "9:00 a.m. local time")]


def test_sums_in_two_currencies_are_not_compared(tmp_path: Path) -> None:
    a = "The thieves stole jewels worth {} from the Carlton hotel, police said on Tuesday."
    assert pair(tmp_path, a.format("£88m"), a.format("€103m")) == []
    assert pair(tmp_path, a.format("£88m"), a.format("£103m")) == [("number", "88", "103")]


def test_a_figure_is_stated_only_by_a_figure_of_its_measure(tmp_path: Path) -> None:
    a = "Qeshm, a 1,500-square-kilometer island, lies {} kilometers south of Tehran, officials said."
    assert pair(tmp_path, a.format("1,500"), a.format("2,200")) == [("number", "1,500", "2,200")]


def test_a_value_both_reports_give_is_not_a_conflict(tmp_path: Path) -> None:
    one = "She founded the rural clinic in Alabama in 1990. In 2002 she became president of the association."
    other = "In 1990 she opened the clinic. She founded the rural clinic in Alabama in 2002, the paper said."
    assert pair(tmp_path, one, other, "year") == []


def test_one_given_name_with_two_surnames_is_a_name_conflict() -> None:
    def article(name: str, *texts: str) -> tuple[Sentence, ...]:
        return tuple(Sentence(name, i, t, details(t)) for i, t in enumerate(texts))

    a = article("a", "The receptionist was Madeline Youkilis, a mother of two.", "Youkilis was shot in the doorway.")
    b = article("b", "Madeline Kafoury had worked there for years.", "Police said Kafoury died at the scene.")
    found = namesake_conflicts("e", a, b, name_index(a), name_index(b))
    assert [(d.a.value, d.b.value) for d in found] == [("Madeline Youkilis", "Madeline Kafoury")]
    # a surname the other report also uses is one person named two ways, not two names for one
    c = article("c", "Madeline Kafoury had worked there for years.", "Youkilis and Kafoury were both shot.")
    assert namesake_conflicts("e", a, c, name_index(a), name_index(c)) == []


def test_a_time_rounded_to_a_few_minutes_is_the_same_time(tmp_path: Path) -> None:
    a = "Fire crews were called to the burning church at {} on Friday, the chief said."
    assert pair(tmp_path, a.format("3:33 a.m."), a.format("3:30 a.m.")) == []
    assert pair(tmp_path, a.format("3:50 a.m."), a.format("3:30 a.m.")) == [("time", "3:50 a.m.", "3:30 a.m.")]


def test_values_of_two_subjects_are_not_compared(tmp_path: Path) -> None:
    # a name opening a sentence is a subject when the sources write it capitalised inside sentences
    one = "Vaughn finished with 16 points and nine rebounds in the win. Coach Mick Cronin praised Vaughn."
    other = "Hansbrough finished the game with 20 points and nine rebounds. Tyler Hansbrough broke the record."
    assert pair(tmp_path, one, other, "number") == []
    # an age bound to its person: two people, two ages
    one = "The driver allegedly hit a 66-year-old woman near the Bloomington parking lot and fled."
    other = "Police pulled the 36-year-old driver over near the Bloomington parking lot and arrested him."
    assert pair(tmp_path, one, other) == []


def test_he_opening_a_sentence_is_the_person_the_sentence_before_opened_with(tmp_path: Path) -> None:
    one = "Marvin Owens did not play on Sunday because of his hamstring. He has 53 catches for 605 yards this season."
    other = "Dale Parker had a fine game on Sunday in the win. He has 48 catches for 512 yards this season."
    assert pair(tmp_path, one, other, "number") == []
    # one person on both sides: the figures still conflict
    other = "Owens sat out on Sunday because of his hamstring. He has 53 catches for 650 yards this season."
    assert ("number", "605", "650") in pair(tmp_path, one, other, "number")
    # no person opens the sentence before: "He" is anyone, and the figures are compared
    other = "The game on Sunday was won in overtime by the home side. He has 48 catches for 512 yards this season."
    assert pair(tmp_path, one, other, "number") != []


SPAN_CASES = [
    # a figure just after a year other than the event's is background
    ("Mark Felt, the former FBI deputy director, died on Thursday at the age of 95 in Santa Rosa.",
     "Mark Felt, the former FBI deputy director, in 2005, at the age of 91, told Vanity Fair he was the source.",
     []),
    # a year after the figure dates another clause
    ("Zurana Horton, a mother of 12, was fatally shot in 2011 while picking up her daughter.",
     "Zurana Horton, a mother of 13, was shot and killed while picking up her daughter.",
     [("number", "12", "13")]),
    # a total over several acts is not one act's figure; two totals are compared
    ("In their five operations so far, the crew of the warship have seized 31 magazines and 14 rifles, he said.",
     "During the operation, the crew of the warship seized 12 magazines and 14 rifles, he said.",
     []),
    ("In their five operations so far, the crew of the warship have seized 31 magazines and 14 rifles, he said.",
     "In their five operations so far, the crew of the warship have seized 12 magazines and 14 rifles, he said.",
     [("number", "31", "12")]),
    # a count since a day against a count with no start
    ("Gray had been arrested three times since October on charges of grand larceny, police said.",
     "Gray had been arrested four times on charges of grand larceny, police said.",
     []),
    # a span far from the figure qualifies another clause
    ("Drivers and guards will receive a 6 percent pay rise this year, backdated to January, and more next year.",
     "Drivers and guards will receive a 6.5 percent pay rise this year, backdated to January.",
     [("number", "6 percent", "6.5 percent")]),
    # a final score against a final score; a game has many scores, and one during it is not the final one
    ("McDermott scored 23 points as the Bluejays beat Drake 65-53 in the quarterfinals on Friday.",
     "McDermott scored 23 points as the Bluejays beat Drake 75-53 in the quarterfinals on Friday.",
     [("number", "65-53", "75-53")]),
    # a sentence that names no year speaks of the year the sentences just before it name: two
    # sentences after two different years, one of them not the event's, are two times
    ("The boss won many cases, but his run ended with a July 1997 racketeering conviction. "
     "He was sentenced to 12 years in prison.",
     "The boss was acquitted of attempted murder in 1958. A year later, he was convicted of trafficking heroin. "
     "Mr. Costa, a superintendent of a tenement, was sentenced to seven years in prison.",
     []),
    ("The boss won many cases, but his run ended with a July 1997 racketeering conviction. "
     "He was sentenced to 12 years in prison.",
     "The boss was convicted of racketeering in 1997. He was sentenced to seven years in prison.",
     [("number", "12", "seven")]),
    # the first or last few of a series are not the series; the past few years are a duration
    ("The quarterback completed 29 of 34 passes for 364 yards as the Colts won at home on Sunday.",
     "The quarterback completed his first 17 passes as the Colts won at home on Sunday.",
     []),
    ("The Sixers are last in the division after losing eight of their last 10 games, the club said.",
     "The Sixers are last in the division after losing eight of their last 12 games, the club said.",
     [("number", "10", "12")]),
    ("The actress had been in hospital for the past three weeks with pneumonia, her agent said.",
     "The actress had been in hospital for four weeks with pneumonia, her agent said.",
     [("number", "three", "four")]),
    # a time in one role is not the whole time
    ("The new coach spent four seasons as the team's director of personnel before he was promoted, the club said.",
     "The new coach has spent 19 seasons with the team before he was promoted, the club said.",
     []),
    ("The new coach spent four seasons as the team's director of personnel before he was promoted, the club said.",
     "The new coach spent five seasons as the team's director of personnel before he was promoted, the club said.",
     [("number", "four", "five")]),
    # the whole a part is taken from is not the part
    ("The running back missed 10 of the Saints' 16 games with a sprained left ankle, the team said.",
     "The running back missed nine games with a sprained left ankle, the team said.",
     []),
    ("The running back missed 10 of the Saints' 16 games with a sprained left ankle, the team said.",
     "The running back missed 10 of the Saints' 17 games with a sprained left ankle, the team said.",
     [("number", "16", "17")]),
    # a year led by "since" reaches up to the event: it lends no earlier time
    ("It is the first strike at the port since 2004. Out in the bay, 42 ships were waiting at anchor, officials said.",
     "It is the first strike at the port since 2014. Out in the bay, 24 ships were waiting at anchor, officials said.",
     [("number", "42", "24")]),
    # a posting stamp dates the page, not the sentence after it
    ("The boss won many cases, but his run ended with a July 1997 racketeering conviction. "
     "He was sentenced to 12 years in prison.",
     "Mob Boss Sentenced In Racketeering Case\n\nApr 12, 2013\n\nHe was sentenced to seven years in prison.",
     [("number", "12", "seven")]),
    ("The Colts beat the Chiefs 20-13 at Arrowhead on Sunday as Andrew Luck threw for 205 yards.",
     "The Chiefs and Colts were tied 13-13 at Arrowhead on Sunday until Andrew Luck threw for the winning touchdown.",
     []),
]  # fmt: skip


@pytest.mark.parametrize(("one", "other", "expected"), SPAN_CASES)
def test_figures_are_compared_within_one_time_and_one_span(
    tmp_path: Path, one: str, other: str, expected: list[tuple[str, str, str]]
) -> None:
    assert pair(tmp_path, one, other, "number") == expected


def test_the_date_a_report_came_out_conflicts_only_when_it_comes_before_a_done_act(tmp_path: Path) -> None:
    said = "officials said"
    one = f"The elections in Turkmenistan will be held on December 15 with two parties for the first time, {said}."
    other = f"The elections in Turkmenistan will have two parties for the first time, {said}, TASS reported on "
    other += "September 26."
    assert pair(tmp_path, one, other, "date") == []  # what is to come, reported before it comes
    one = f"The elections in Turkmenistan were held on September 20 with two parties for the first time, {said}."
    assert pair(tmp_path, one, other, "date") == []  # reported after it was done
    one = f"The elections in Turkmenistan were held on September 28 with two parties for the first time, {said}."
    assert pair(tmp_path, one, other, "date") != []  # reported as done before it was done
    other = f"The elections in Turkmenistan were held on September 27 with two parties for the first time, {said}."
    assert pair(tmp_path, one, other, "date") != []


def test_a_value_stated_of_another_thing_does_not_hide_a_disagreement(tmp_path: Path) -> None:
    one = (
        "Instead, Carver gunned the engine and drove over Mills, hitting her and dragging her 20 feet as he sped away."
    )
    other = (
        "Instead, the driver gunned the engine and drove over Mills, hitting her and dragging her 10 feet as he sped "
        "away, said witness Ann Reed, who had just left the store with her two sons and was 20 feet away."
    )
    assert ("number", "20", "10") in pair(tmp_path, one, other, "number")


def test_a_weekday_states_no_date(tmp_path: Path) -> None:
    one = (
        "Felt insisted on remaining anonymous until May 27, 2005 when his family revealed his identity in Vanity Fair. "
    )
    one += "He died on Thursday."
    other = "It wasn't until May 30, 2005, that his family revealed his identity in Vanity Fair. He died on Thursday."
    paths = write(tmp_path, a=one, b=other)  # undated: "Thursday" stays a weekday
    found = conflicts(build_briefing(BuildOptions(sources=paths, together=(tuple(paths),)), warn=lambda _: None))
    assert ("date", "May 27, 2005", "May 30, 2005") in found


def test_one_subject_with_two_values_still_conflicts(tmp_path: Path) -> None:
    one = "Hansbrough finished the game with 20 points and nine rebounds. Tyler Hansbrough broke the record."
    other = "Hansbrough finished the game with 23 points and nine rebounds. Tyler Hansbrough broke the record."
    assert ("number", "20", "23") in pair(tmp_path, one, other)
    one = "Police pulled the 36-year-old driver over near the Bloomington parking lot and arrested him."
    other = "Police pulled the 38-year-old driver over near the Bloomington parking lot and arrested him."
    assert pair(tmp_path, one, other) == [("number", "36", "38")]


def test_years_of_two_acts_are_not_compared(tmp_path: Path) -> None:
    # the words around the years are alike, their verbs are not: founding and rebuilding
    one = "The doctor founded her rural clinic on the Gulf coast of Alabama in 1990, her colleagues recall."
    other = "Years later the doctor rebuilt her rural clinic on the Gulf coast of Alabama in 2006 after the storm."
    assert pair(tmp_path, one, other, "year") == []
    # near copies that give one act two years still conflict
    one = "Dr. Benjamin, a rural doctor on the Gulf coast, founded the Bayou La Batre clinic in 1990."
    other = "Dr. Benjamin, a rural doctor on the Gulf coast, opened the Bayou La Batre clinic in 1992."
    assert ("year", "1990", "1992") in pair(tmp_path, one, other)


def test_a_season_led_through_its_article_dates_its_verb(tmp_path: Path) -> None:
    one = "The coach has a guaranteed contract with the club through the end of the 2009-10 season."
    other = "His assistant, named on Monday, will remain in charge of the club through the end of the 2008-09 season."
    assert pair(tmp_path, one, other, "year") == []
    other = "The coach has a guaranteed contract with the club through the end of the 2008-09 season, he said."
    assert pair(tmp_path, one, other, "year") == [("year", "2009-10", "2008-09")]


def test_a_decade_led_through_its_article_dates_its_verb(tmp_path: Path) -> None:
    one = "Her pictures helped the sexual revolution that swept America in the 1960s, her biographer wrote."
    other = "Her pictures made her a figure of the sexual revolution that began in the 1950s, her biographer wrote."
    assert pair(tmp_path, one, other, "year") == []
    other = "Her pictures helped the sexual revolution that swept America in the 1950s, her biographer wrote."
    assert pair(tmp_path, one, other, "year") == [("year", "1960s", "1950s")]


def test_a_date_that_names_an_act_dates_that_act() -> None:
    one = (
        "The 35-year-old deputy was killed on June 24, while investigating an attack in which Ruiz shot a man in "
        "the back while doing yard work at a Palm Gardens home four days earlier."
    )
    other = (
        "Ruiz was also convicted of the June 20, 2005 attempted murder of a man shot in the back while doing yard "
        "work at a home in the 22000 block of Joliet Avenue in Palm Gardens, a shooting the jury called a street crime."
    )
    x, y = (next(d for d in details(t) if d.kind == "date") for t in (one, other))
    assert different_acts(one, x, other, y)  # a killing and an attempted murder
    # a date that names the act the other dates is the same act on two dates
    other = other.replace("attempted murder of a man shot", "killing of the deputy, shot")
    x, y = (next(d for d in details(t) if d.kind == "date") for t in (one, other))
    assert not different_acts(one, x, other, y)


def test_two_officers_of_one_rank_may_both_speak(tmp_path: Path) -> None:
    one = "Jackson was driving east on Route 52 when he was pulled over, Highway Patrol Officer Brad Baehr said."
    other = "Jackson failed sobriety tests at the station later that night, Highway Patrol Officer Ray Scheidnes said."
    assert pair(tmp_path, one, other, "name") == []
    # one statement given to two people of one rank is a disagreement on who made it
    other = "Jackson was driving east on Route 52 when he was pulled over, Highway Patrol Officer Ray Scheidnes said."
    assert pair(tmp_path, one, other, "name") != []


def test_a_figure_wanted_is_not_a_figure_done(tmp_path: Path) -> None:
    one = "The senior needed nine points in the game against Evansville on Thursday night to pass the record."
    other = "The senior scored 20 points in the game against Evansville on Thursday night to pass the record."
    assert pair(tmp_path, one, other) == []
    other = "The senior needed seven points in the game against Evansville on Thursday night to pass the record."
    assert pair(tmp_path, one, other) == [("number", "nine", "seven")]


def test_the_verb_of_a_year_is_read_in_its_clause(tmp_path: Path) -> None:
    one = "The winner crossed the line on the square in record time, taking a minute off the mark set in 2006."
    other = "The winner broke the previous record on the square, a mark set in 2016, pulling clear in the end."
    assert ("year", "2006", "2016") in pair(tmp_path, one, other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (  # whom a source spoke to, the outlet, fills no role of the event
            '"She has checked herself into the Promises Treatment Center," her rep told People.',
            '"She has checked herself into the Promises Treatment Center," her rep told UsMagazine.com.',
        ),
        (  # whose officials spoke is who the source was, not a role of the event filled twice
            "The two undersea cables were cut near Alexandria on Wednesday, Egyptian government officials said.",
            "The two undersea cables were cut near Alexandria on Wednesday, French government officials said.",
        ),
        (  # a short form of a street knows its long form
            "She was struck by a gray Toyota Camry heading north on 117th St. near 97th Ave. at about 7 p.m.",
            "She was struck by a gray Toyota Camry heading north on 117th Street near 97th Avenue at about 7 p.m.",
        ),
        (  # an offence, an outcome, a zone: short forms in capitals are no rival names
            "Subryan, 23, has been charged with vehicular manslaughter and leaving the scene, the DA said.",
            "Subryan, 23, has been charged with vehicular manslaughter and leaving the scene, and DWI.",
        ),
        (  # many landmarks are near a place: being near one does not deny being near another
            "The climber died after falling about 60m from a ridge near the Tasman Glacier on Friday, police said.",
            "The climber died after falling about 60m from a ridge near the Tasman Saddle Hut on Friday, police said.",
        ),
        (  # a word that opens a quotation is capitalised by its place, like a sentence's first word
            'A worker who had followed her into the plant yelled, "Hide, she has got a gun!" and ran.',
            'A worker who had followed her into the plant yelled, "Run, she has got a gun!" and ran.',
        ),
    ],
)
def test_names_that_fill_no_role(tmp_path: Path, one: str, other: str) -> None:
    assert pair(tmp_path, one, other, "name") == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Giannis Panagopoulos", "Yiannis Panagopoulos"),  # every word spelled a little differently
        ("Gurbanguly Berdimuhamedov", "Kurbanguly Berdymukhamedov"),
        ("Judge Philip H. Hickock", "Judge Philip Hickok"),  # an initial left out, a letter more
        ("the Organisation for Security and Co-operation", "the Organization for Security and Cooperation"),
    ],
)
def test_one_name_spelled_two_ways_word_by_word_is_no_conflict(tmp_path: Path, one: str, other: str) -> None:
    line = "The crowd outside parliament grew to thousands on Friday, said {}, who had called the strike."
    assert pair(tmp_path, line.format(one), line.format(other), "name") == []
    assert pair(tmp_path, line.format("Rob Jones"), line.format("Nick Jones"), "name") != []


def test_a_posting_credit_states_no_fact(tmp_path: Path) -> None:
    one = "On behalf of Newman, Anzalone & Newman, LLP. posted in Hit and Run Accidents on Friday, September 20, 2013."
    other = "On behalf of Howard R. Sanders, Esq. posted in Pedestrian Accidents on Wednesday, September 18, 2013."
    assert pair(tmp_path, one, other) == []


def test_two_people_doing_different_things_in_no_shared_role_are_no_conflict(tmp_path: Path) -> None:
    one = (
        "Guests ran down the stairs to the basement of the Telus Garden tower in Vancouver on Friday, Ann Pinder said."
    )
    other = "Police kept everyone else inside the Telus Garden tower in Vancouver on Friday, Joe Christie recalled."
    assert pair(tmp_path, one, other, "name") == []
    # one statement credited to two people is a disagreement on who made it
    assert pair(tmp_path, one, one.replace("Ann Pinder", "Joe Christie"), "name") != []


def test_figures_in_compounds_of_different_nouns_are_two_things(tmp_path: Path) -> None:
    one = "Late in the second quarter the Colts moved into range for a 36-yard field goal and a 13-3 halftime lead."
    other = "Late in the second quarter the Colts were halted at the 16-yard line and settled for a 13-3 halftime lead."
    assert pair(tmp_path, one, other, "number") == []
    other = "Late in the second quarter the Colts moved into range for a 46-yard field goal and a 13-3 halftime lead."
    assert pair(tmp_path, one, other, "number") == [("number", "36", "46")]


def test_two_places_of_one_kind_fill_one_role_whatever_the_act(tmp_path: Path) -> None:
    one = "Health officials said the first case of the outbreak was confirmed in a pupil at Hollin Primary School."
    other = (
        "Health officials said the measles outbreak began at Ashby Primary School and has since reached twelve schools."
    )
    assert ("name", "Hollin Primary School", "Ashby Primary School") in pair(tmp_path, one, other)


def test_moments_on_a_game_clock_are_not_lengths_of_time(tmp_path: Path) -> None:
    one = "The Jaguars advanced from their 10 to the Colts 17 with 48 seconds left when Garrard spiked the ball."
    other = "The Jaguars were at the Colts 17 with 12 seconds left, and Garrard dropped back to pass."
    assert pair(tmp_path, one, other, "number") == []
    other = "The Jaguars advanced from their 10 to the Colts 17 with 38 seconds left when Garrard spiked the ball."
    assert pair(tmp_path, one, other, "number") == [("number", "48", "38")]
    # a moment is never a length of time
    other = "The Jaguars advanced from their 10 to the Colts 17 in 38 seconds before Garrard spiked the ball."
    assert pair(tmp_path, one, other, "number") == []


def test_figures_given_for_two_places_are_two_facts(tmp_path: Path) -> None:
    one = "Telephone and internet services in Egypt were down by 80 percent on Wednesday, Orange officials said."
    other = "Telephone and internet services were down by 82 percent in India on Wednesday, Orange officials said."
    assert pair(tmp_path, one, other, "number") == []
    other = "Telephone and internet services in Egypt were down by 70 percent on Wednesday, Orange officials said."
    assert pair(tmp_path, one, other, "number") == [("number", "80 percent", "70 percent")]


def test_a_date_at_two_places_is_still_one_act(tmp_path: Path) -> None:
    one = "The trade ministers opened the talks on March 14 at the Palace of Commerce, officials said."
    other = "The trade ministers opened the talks on March 12 in Varos, officials said."
    assert ("date", "March 14", "March 12") in pair(tmp_path, one, other)


def test_a_place_merely_mentioned_fills_no_role(tmp_path: Path) -> None:
    one = "The heist near Place Vendome is the latest in a spate of high-profile robberies in the resort of Cannes."
    other = "The heist near Place Vendome is the latest in a spate of high-profile robberies, most on the Riviera."
    assert pair(tmp_path, one, other, "name") == []
    # the kind of place named before "of" is a role: two villages are rival answers
    one = "The first cholera cases were reported in the village of Orvik, where families drew water from a well."
    other = "The first cholera cases were found in the village of Selmo, where families drew water from a well."
    assert ("name", "Orvik", "Selmo") in pair(tmp_path, one, other)


def test_a_short_form_of_a_run_of_a_longer_name_is_that_name() -> None:
    index = NameIndex(["president of the medical association of the state of alabama", "tasman saddle hut"])
    assert index.knows("medical assn")
    assert not index.knows("tasman glacier")


def test_figures_counting_what_two_acts_did_are_two_facts(tmp_path: Path) -> None:
    one = "The running back played in 10 games for the club this season, the coach said on Monday."
    other = "The running back missed four games with the club this season after surgery, the coach said."
    assert pair(tmp_path, one, other) == []
    other = "The running back played in four games with the club this season after surgery, the coach said."
    assert pair(tmp_path, one, other) == [("number", "10", "four")]
    # the verb of a figure is read in its own clause: "died and 27 were treated" counts the treated
    one = "Officials said on Monday that three people died and 27 people were treated in hospital after the quake."
    other = "Officials said on Monday that 3 people were killed and 72 people were treated in hospital."
    assert pair(tmp_path, one, other) == [("number", "27", "72")]
    # a figure that measures rather than counts keeps its conflict whatever the verbs
    one = "Markets reacted with alarm on Monday as the country's stocks closed down 3.9 percent by the evening."
    other = "Markets reacted to the violence with alarm as the country's stocks plunged 5.4 percent on Monday."
    assert pair(tmp_path, one, other) == [("number", "3.9 percent", "5.4 percent")]


def test_a_hundred_is_a_figure(tmp_path: Path) -> None:
    one = "More than a hundred people joined the vigil in the park where the boy was shot 11 times on Saturday."
    other = "More than 100 people joined the vigil in the park where the boy was shot several times on Saturday."
    assert pair(tmp_path, one, other) == []
    values = [d.value for d in details(one) if d.kind == "number"]
    assert values == ["100", "11"]


def test_a_rate_is_compared_only_with_a_rate(tmp_path: Path) -> None:
    one = "The forward, who averaged eight rebounds a game this season, grabbed the ball at the end of the game."
    other = "The forward, who grabbed seven rebounds this season, took the ball at the end of the game."
    assert pair(tmp_path, one, other) == []
    other = "The forward, who averaged seven rebounds a game this season, took the ball at the end of the game."
    assert pair(tmp_path, one, other) == [("number", "eight", "seven")]
    # "a day after" dates a figure, it makes no rate
    one = "The storm killed 12 people a day after it reached the coast, officials said on Friday."
    other = "The storm killed 18 people after it reached the coast, officials said on Friday."
    assert pair(tmp_path, one, other) == [("number", "12", "18")]


def test_a_span_of_years_is_not_one_of_its_years(tmp_path: Path) -> None:
    one = "The coach took the club to the playoffs for the first time since the 2004-05 season, the owner said."
    other = "The coach took the club to the playoffs for the first time since 2005, the owner said on Monday."
    assert pair(tmp_path, one, other) == []
    other = "The coach took the club to the playoffs for the first time since the 2003-04 season, the owner said."
    assert pair(tmp_path, one, other) == [("year", "2004-05", "2003-04")]


def test_a_hedge_allows_at_least_one_unit_from_ten_on(tmp_path: Path) -> None:
    one = "The woman was escorted out of the plant and stayed outside for about 10 minutes before coming back."
    other = "The woman was escorted out of the plant and stayed outside for nine minutes before coming back."
    assert pair(tmp_path, one, other) == []
    other = "The woman was escorted out of the plant and stayed outside for eight minutes before coming back."
    assert pair(tmp_path, one, other) == [("number", "10", "eight")]


def test_an_attribution_opening_a_sentence_leaves_the_verb_after_the_year(tmp_path: Path) -> None:
    one = "According to her official website, by 1951 the model was appearing in the men's magazines of the day."
    other = "The model earned a degree in education from the college in 1944, according to her official website."
    assert pair(tmp_path, one, other) == []
    other = "According to her official website, by 1953 the model was appearing in the men's magazines of the day."
    assert pair(tmp_path, one, other) == [("year", "1951", "1953")]


def test_a_score_is_not_a_record(tmp_path: Path) -> None:
    one = "The visiting side secured the fifth seed in the playoffs with a 31-24 victory over the hosts on Thursday."
    other = "The visiting side (11-4) secured the fifth seed in the playoffs with the win over the hosts on Thursday."
    assert pair(tmp_path, one, other) == []
    # a record written before "record" and one written after "a mark of" are one measure
    one = "He had a 243-139 record in the city, the fourth-highest win total in the club's history."
    other = "He recorded a mark of 162-139 in the city, the fourth-highest win total in the club's history."
    assert pair(tmp_path, one, other) == [("number", "243-139", "162-139")]


def test_two_names_sharing_only_an_act_in_loosely_alike_sentences_fill_no_role(tmp_path: Path) -> None:
    one = "The Boston Mariners also have expressed interest in the free agent."
    other = "Denver and Austin have expressed interest in the free agent first baseman."
    assert pair(tmp_path, one, other, "name") == []


def test_two_coaches_each_doing_something_else_may_both_be_right(tmp_path: Path) -> None:
    one = "Coach Jack Dorrin had already decided to go for two points and the victory if the team scored."
    other = "Coach Brad Milton said the decision had nothing to do with the victory and the way the team scored."
    assert pair(tmp_path, one, other, "name") == []
    # one statement given to two coaches is a disagreement on who made it
    other = "Coach Brad Milton had already decided to go for two points and the victory if the team scored."
    assert pair(tmp_path, one, other, "name") != []


def test_no_more_than_is_an_upper_bound(tmp_path: Path) -> None:
    one = "Officials said no more than 10 people were hurt when the roof of the station collapsed on Monday."
    other = "Officials said 8 people were hurt when the roof of the station collapsed on Monday."
    assert pair(tmp_path, one, other) == []
    other = "Officials said 14 people were hurt when the roof of the station collapsed on Monday."
    assert pair(tmp_path, one, other) == [("number", "10", "14")]
