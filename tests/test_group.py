"""Event grouping on small invented articles, and the B-cubed score used to tune it."""

from __future__ import annotations

import hashlib
import random
from datetime import date

import numpy as np
import pytest

from reporter.group import group_events
from reporter.model import Article, Event
from tests.bench.metrics import ari, bcubed, match_paths


def art(id: str, text: str, title: str | None = None, published: date | None = None) -> Article:
    return Article(
        id=id,
        path=f"articles/{id}.txt",
        format="txt",
        title=title,
        outlet=None,
        published=published,
        url=None,
        role="report",
        text=text,
    )


FIRE_1 = art(
    "fire-1",
    "A fire swept through three warehouses at the port of Velmora on Tuesday night, sending black "
    "smoke over the Dresk estuary.\n\nHarbour master Ana Prell said the blaze started in a store of "
    "palm oil at Quay 7 and spread before crews from the Velmora fire brigade arrived. No one was "
    "hurt, but about 40 containers were destroyed. Port operator Kallis Shipping halted loading "
    "until Thursday.",
    title="Fire guts warehouses at Velmora port",
)
FIRE_2 = art(
    "fire-2",
    "Loading resumed at Velmora port on Thursday, two days after a fire destroyed warehouses at "
    "Quay 7.\n\nKallis Shipping said 38 containers were lost in the blaze, which harbour master Ana "
    "Prell blamed on an electrical fault in a palm oil store. Firefighters from the Velmora brigade "
    "fought the flames for six hours as smoke drifted across the Dresk estuary.",
    title="Velmora port reopens after warehouse blaze",
)
CUP = art(
    "cup",
    "Orlen Rovers beat Castel United 2-1 after extra time to win the national cup at the Marrow "
    "Stadium on Saturday. Striker Teo Banic scored the winner in the 112th minute.\n\nCoach Ines "
    "Falk praised her players for keeping their nerve in front of 48,000 fans.",
    title="Orlen Rovers win cup final in extra time",
)

# the same two countries hold military drills three years apart, under different names
DRILL_2021_A = art(
    "drill-2021-a",
    "Iran began large military drills near its border with Azerbaijan on Friday. The army said the "
    "exercise, named Conquerors of Kheibar, involved tanks, artillery and helicopters around Jolfa "
    "in East Azerbaijan province.\n\nGeneral Kioumars Heydari said the drills tested long-range "
    "missiles. Baku called the timing surprising.",
)
DRILL_2021_B = art(
    "drill-2021-b",
    "Iranian ground forces staged the Conquerors of Khaybar war games close to the Azerbaijani "
    "frontier, with armoured units and helicopters deployed around Jolfa.\n\nArmy commander Kioumars "
    "Heydari said long-range missiles were fired during the drills. Azerbaijan's president Ilham "
    "Aliyev asked why Iran chose this moment.",
)
DRILL_2024_A = art(
    "drill-2024-a",
    "Iran's Revolutionary Guards and Azerbaijani special forces began a joint exercise called Aras "
    "near the border town of Aslanduz in Ardabil province.\n\nThe four-day drill focuses on "
    "counter-terrorism in mountain terrain along the Aras River, the IRGC said. Azerbaijani officers "
    "were welcomed at the Bileh Savar crossing.",
)
DRILL_2024_B = art(
    "drill-2024-b",
    "Azerbaijan and Iran opened the Aras joint military exercise at Aslanduz, in Ardabil province, "
    "on Monday.\n\nIRGC ground forces and Azerbaijani special forces will train for four days in "
    "counter-terrorism and border security near the Aras River. The Azerbaijani delegation crossed "
    "at Bilekh-Savar.",
)

STRIKE = (
    "Dockworkers at the port of Maravel walked out on Monday over pay, leaving container ships "
    "waiting in the bay. Union leader Stefan Rusko said the strike would last until Maravel "
    "Container Terminals improved its offer. Exporters warned of losses."
)


def groups(events: list[Event]) -> list[list[str]]:
    return sorted(sorted(e.articles) for e in events)


def test_articles_on_one_event_are_grouped() -> None:
    events = group_events([FIRE_1, FIRE_2, CUP])
    assert groups(events) == [["cup"], ["fire-1", "fire-2"]]
    fire = next(e for e in events if len(e.articles) == 2)
    assert "Velmora" in fire.why and "text similarity" in fire.why


def test_same_actors_different_events_stay_apart() -> None:
    events = group_events([DRILL_2021_A, DRILL_2024_A, DRILL_2021_B, DRILL_2024_B])
    assert groups(events) == [["drill-2021-a", "drill-2021-b"], ["drill-2024-a", "drill-2024-b"]]


def test_dated_articles_years_apart_stay_apart() -> None:
    old = art("strike-2019", STRIKE, published=date(2019, 6, 12))
    new = art("strike-2023", STRIKE.replace("Monday", "Tuesday"), published=date(2023, 5, 10))
    next_day = art("strike-2023-next", STRIKE + " Talks resume on Friday.", published=date(2023, 5, 11))
    assert groups(group_events([old, new, next_day])) == [
        ["strike-2019"],
        ["strike-2023", "strike-2023-next"],
    ]
    # without dates the same words make one event: the dates are what kept them apart
    undated = [art(a.id, a.text) for a in (old, new, next_day)]
    assert len(group_events(undated)) == 1


# two quakes on one island, days apart: the same places, told on a Sunday and on a Thursday
QUAKE_SMALL = [
    art(
        "quake-a1",
        "An earthquake of magnitude 5.6 shook Tessel island off the coast of Marovia on Sunday, injuring five "
        "people in the town of Dargo. The quake cracked walls of homes, the Marovian seismic institute said.",
        title="Quake shakes Tessel island, five hurt",
    ),
    art(
        "quake-a2",
        "A strong earthquake hit Tessel in the Marovian gulf on Sunday afternoon, hurting five people around "
        "Dargo. The seismic institute put its magnitude at 5.6; several houses were damaged.",
        title="Five injured as quake hits Tessel",
    ),
    art(
        "quake-a3",
        "Five people were hurt on Sunday when a 5.6 magnitude quake struck near Dargo on Tessel, Marovian "
        "state radio said. Some walls cracked.",
        title="Tessel quake injures five",
    ),
]
QUAKE_DEADLY = [
    art(
        "quake-b1",
        "Ten people were killed on Thursday when a powerful earthquake flattened seven villages on Tessel "
        "island near Dargo. Rescue teams from the mainland reached the island by ferry overnight.",
        title="Powerful earthquake kills ten on Tessel",
    ),
    art(
        "quake-b2",
        "Rescuers dug through rubble in seven flattened villages near Dargo on Thursday after a powerful "
        "earthquake killed ten people on Tessel island. Ferries carried tents and rescue teams from the mainland.",
        title="Ten dead in Tessel earthquake",
    ),
    art(
        "quake-b3",
        "A powerful earthquake killed ten people on Tessel island on Thursday and flattened seven villages "
        "around Dargo, rescue officials said. Ferries brought tents, food and rescue teams.",
        title="Deadly earthquake flattens Tessel villages",
    ),
]


def retold(articles: list[Article], old: str, new: str) -> list[Article]:
    return [art(a.id, a.text.replace(old, new), a.title) for a in articles]


def test_undated_groups_told_on_days_or_years_apart_stay_apart() -> None:
    small, deadly = ["quake-a1", "quake-a2", "quake-a3"], ["quake-b1", "quake-b2", "quake-b3"]
    others = [FIRE_1, FIRE_2, CUP]
    assert groups(group_events([*QUAKE_SMALL, *QUAKE_DEADLY, *others])) == [
        ["cup"],
        ["fire-1", "fire-2"],
        small,
        deadly,
    ]
    # the same words told on one day, or on the next day, make one event: the weekdays kept them apart
    for day in ("Sunday", "Monday"):
        together = group_events([*QUAKE_SMALL, *retold(QUAKE_DEADLY, "Thursday", day), *others])
        assert [*small, *deadly] in groups(together)
    # the latest years the texts name do the same, when they lie more than a year apart
    for year, apart in ((2019, True), (2022, False)):
        told = [
            *retold(QUAKE_SMALL, "on Sunday", f"in May {year}"),
            *retold(QUAKE_DEADLY, "on Thursday", "in May 2023"),
        ]
        found = groups(group_events([*told, *others]))
        assert (small in found and deadly in found) if apart else [*small, *deadly] in found


def test_undated_groups_whose_leads_give_figures_of_their_own_stay_apart() -> None:
    small, deadly = ["quake-a1", "quake-a2", "quake-a3"], ["quake-b1", "quake-b2", "quake-b3"]
    on_sunday = retold(QUAKE_DEADLY, "Thursday", "Sunday")  # one day: only the figures tell them apart
    counted = [
        art(a.id, a.text.replace("Ten people", "10 people").replace("ten people", "10 people")) for a in on_sunday
    ]
    found = groups(group_events([*QUAKE_SMALL, *counted, FIRE_1, FIRE_2, CUP]))
    assert small in found and deadly in found
    # a figure the other group also gives is no sign of another event
    shared = [art(a.id, a.text.replace("powerful earthquake", "powerful 5.6 earthquake")) for a in counted]
    assert [*small, *deadly] in groups(group_events([*QUAKE_SMALL, *shared, FIRE_1, FIRE_2, CUP]))


def test_output_does_not_depend_on_input_order() -> None:
    articles = [FIRE_1, FIRE_2, CUP, DRILL_2021_A, DRILL_2021_B, DRILL_2024_A, DRILL_2024_B]
    expected = group_events(articles)
    for seed in range(5):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        assert group_events(shuffled) == expected


def test_event_fields_and_order() -> None:
    dated = [
        art("fire-1", FIRE_1.text, FIRE_1.title, date(2024, 3, 5)),
        art("fire-2", FIRE_2.text, FIRE_2.title, date(2024, 3, 7)),
    ]
    cup = art("cup", CUP.text, CUP.title, date(2023, 5, 28))
    events = group_events([*dated, cup, DRILL_2021_A])
    assert [e.articles for e in events] == [("cup",), ("fire-1", "fire-2"), ("drill-2021-a",)]  # undated last
    fire = events[1]
    assert fire.id == "e-" + hashlib.sha1(b"fire-1\nfire-2").hexdigest()[:8]
    assert (fire.start, fire.end) == (date(2024, 3, 5), date(2024, 3, 7))
    assert fire.title in {FIRE_1.title, FIRE_2.title}
    assert events[2].start is None and events[2].end is None


def test_single_article_is_its_own_event() -> None:
    (event,) = group_events([DRILL_2021_A])
    assert event.why == "single article"
    assert event.articles == ("drill-2021-a",)
    # untitled: the first sentence, cut at a word boundary
    assert event.title.startswith("Iran began large military drills")
    assert len(event.title) <= 90


def test_no_articles_no_events() -> None:
    assert group_events([]) == []


def test_threshold_must_be_a_distance() -> None:
    with pytest.raises(ValueError):
        group_events([FIRE_1, FIRE_2], threshold=1.5)


def test_bcubed_on_a_hand_computed_example() -> None:
    # a, b: precision 2/3, recall 1; c: 1/3, 1/2; d: 1, 1/2
    p, r, f1 = bcubed([["a", "b", "c"], ["d"]], [["a", "b"], ["c", "d"]])
    assert p == pytest.approx(2 / 3)
    assert r == pytest.approx(3 / 4)
    assert f1 == pytest.approx(12 / 17)
    assert bcubed([["a", "b"], ["c"]], [["a", "b"], ["c"]]) == (1.0, 1.0, 1.0)
    assert ari([["a", "b"], ["c"]], [["a", "b"], ["c"]]) == pytest.approx(1.0)


def test_bcubed_counts_missing_items_as_singletons() -> None:
    p, r, _ = bcubed([["a", "b"]], [["a", "b", "c"]])
    assert p == pytest.approx(1.0)
    assert r == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)


def test_paths_match_by_suffix() -> None:
    found = match_paths(
        {"x1": "../shared/bench/ecbplus-dev/articles/a.txt", "x2": "other/articles/b.txt"},
        ["articles/a.txt", "articles/b.txt", "articles/c.txt"],
    )
    assert found == {"articles/a.txt": "x1", "articles/b.txt": "x2"}


def test_screened_pairs_are_those_of_scoring_every_pair() -> None:
    from reporter import group

    rng = random.Random(7)
    common = ["police", "said", "city", "people", "report", "officials", "week", "fire"]
    rare = [f"Zor{c}{d}" for c in "abcdefgh" for d in "xyz"]
    articles = [
        art(
            f"a{k}",
            " ".join(rng.choice(common) if rng.random() < 0.7 else rng.choice(rare) for _ in range(40)) + ".",
        )
        for k in range(60)
    ]
    ordered = tuple(sorted(articles, key=lambda a: (a.id, a.path)))
    corpus = group._corpus(ordered, [group.grouping_terms(a) for a in ordered])
    for cut in (0.5, 0.7, 0.9):
        i, j, sims, best = group._candidate_pairs(corpus, cut)
        need = (1.0 - cut) / ((1.0 - group.RELATIVE_SHARE) + group.RELATIVE_SHARE / group.BEST_MATCH_FLOOR)
        full = (corpus.vectors @ corpus.vectors.T).toarray()
        np.fill_diagonal(full, -np.inf)
        want_i, want_j = np.nonzero(np.triu(full >= need, 1))
        assert sorted(zip(i.tolist(), j.tolist(), strict=True)) == list(
            zip(want_i.tolist(), want_j.tolist(), strict=True)
        )
        assert np.allclose(sorted(sims), sorted(full[want_i, want_j]), rtol=0, atol=1e-12)
        assert np.allclose(best, np.maximum(group.BEST_MATCH_FLOOR, full.max(axis=1)), rtol=0, atol=1e-12)


def test_undated_year_is_the_latest_standing_alone() -> None:
    from reporter import group

    text = "In 1998 and 2003, 2004 soldiers saw the 1990s; a 12005 code, 2001.5 too."
    _, year, _ = group._account_of(art("a", "x"), text)
    assert year == 2003


def test_terms_found_apart_give_the_same_events() -> None:
    import pickle

    from reporter.group import grouping_terms

    articles = [*QUAKE_SMALL, *QUAKE_DEADLY, FIRE_1, FIRE_2, CUP, DRILL_2021_A, DRILL_2024_A]
    # as a worker would hand them back: through pickle, in the order of the articles given
    terms = pickle.loads(pickle.dumps([grouping_terms(a) for a in articles]))
    assert group_events(articles, terms=terms) == group_events(articles)
    with pytest.raises(ValueError, match="2 sets of grouping terms for 3 articles"):
        group_events([FIRE_1, FIRE_2, CUP], terms=terms[:2])


def test_names_are_found_in_the_capitalised_words_kept_as_in_whole_sentences() -> None:
    from reporter import group

    pool = ["Gulf", "of", "Aden", "the", "De", "la", "Rosa", "Bank's", "storm", "In", "and", "US", "said", "x"]
    rng = random.Random(5)
    is_name = lambda word, first: not first or word != "In"  # noqa: E731
    for _ in range(500):
        sentences = [[rng.choice(pool) for _ in range(rng.randint(1, 9))] for _ in range(3)]
        assert group._names(group._capitals(sentences), is_name) == group._names(sentences, is_name)
