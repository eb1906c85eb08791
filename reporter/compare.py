"""Compare the figures, years and dates of aligned sentences and report where sources disagree."""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TypeVar

import snowballstemmer
from rapidfuzz import fuzz

from .align import content_words, head_word
from .extract import NUMBER_WORD, TALLIES, is_stamp
from .model import VALUE_KINDS, Alignment, Article, Detail, Discrepancy, DiscrepancyKind, Sentence, Severity, Side
from .text import (
    LETTER_WORD,
    LIGHT_VERBS,
    PLACE_PREPOSITIONS,
    STOP_WORDS,
    WISH_VERBS,
    WORD,
    fold_name,
    is_noun,
    same_name,
    translit_key,
    verb_lemma,
    verb_lemmas,
)

T = TypeVar("T")
HEDGE_TOLERANCE = 0.05  # "about 5,000" allows values within 5%; "nearly 5,000" down to 10% under


_STEMMER = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def stems(text: str) -> list[str]:
    """Return the stems of a text's content words, hyphenated words split ("metre-high" -> metr, high)."""
    return [_stem(w) for w in content_words(text).replace("-", " ").split()]


class Context:
    """Weigh the words around a value by rarity, to tell whether two values fill the same slot."""

    WINDOW = 4  # content words on each side of a value

    def __init__(self, sentences: Iterable[Sentence]) -> None:
        self._sentences = tuple(sentences)
        df: Counter[str] = Counter()
        for sent in self._sentences:
            df.update(set(stems(sent.text)))
        n = len(self._sentences)
        self._idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
        self._default = math.log(n + 2)

    @functools.cached_property  # read only when two figures of an event may conflict
    def common_years(self) -> frozenset[str]:
        """Return the years most of the event's sources give: the event's own, not a background's."""
        by_article: dict[str, set[str]] = {}
        for sent in self._sentences:
            by_article.setdefault(sent.article, set()).update(_years_stated(sent))
        counts = Counter(y for years in by_article.values() for y in years)
        return frozenset(y for y, c in counts.items() if 2 * c > len(by_article))

    @functools.cached_property  # read only when two figures of an event may conflict
    def _by_place(self) -> dict[tuple[str, int], Sentence]:
        return {(s.article, s.index): s for s in self._sentences}

    def earlier_years(self, sent: Sentence) -> frozenset[str]:
        """Return the years the sentences just before one name, when it names none itself: the time
        a sentence like "He was sentenced to 12 years" speaks of after "ended with a July 1997 conviction"."""
        if _years_named(sent):
            return frozenset()
        for back in range(1, CARRY_BACK + 1):
            before = self._by_place.get((sent.article, sent.index - back))
            if before is None or stamped(before):
                break  # "Apr 12, 2013": a posting stamp dates the page, not the sentence after it
            years = _years_named(before)
            if years:
                return years
        return frozenset()

    @functools.cached_property  # read only when two values of an event may conflict
    def name_words(self) -> frozenset[str]:
        """Return the words the event's sources capitalise inside sentences more often than not: names."""
        # a sentence's first word is capitalised anyway
        words = [w for sent in self._sentences for w in LETTER_WORD.findall(sent.text)[1:]]
        # counted by Counter in one pass per side: a branch per word cost a thirtieth of the comparison
        capital = Counter([w.lower() for w in words if w[0].isupper()])
        lower = Counter([w.lower() for w in words if not w[0].isupper()])
        return frozenset(w for w, c in capital.items() if c > lower[w])

    def words(self, text: str, d: Detail) -> frozenset[str]:
        """Return the stems of the content words on each side of a value."""
        return _around(text, d.start, d.end, self.WINDOW)

    def slot_fit(self, ta: str, x: Detail, tb: str, y: Detail) -> float:
        """Score how surely two values fill one slot: their contexts, the word that governs them, their unit.

        "which opened in 1817" and "It opened in 1871" share little but "opened", the
        word right before each value; "41 berths" and "14 berths" share their noun.
        """
        fit = self.overlap(ta, x, tb, y)
        head_x = head_word(ta, x.start)
        if head_x is not None and head_x == head_word(tb, y.start):
            fit += HEAD_BONUS
        if same_unit(x.unit, y.unit):
            fit += HEAD_BONUS
        return fit

    def overlap(self, ta: str, x: Detail, tb: str, y: Detail) -> float:
        """Return the rarity-weighted Jaccard overlap of the two values' contexts (0-1)."""
        wa, wb = self.words(ta, x), self.words(tb, y)
        # fsum rounds once, so the sum does not depend on the order a set gives its words (the hash seed)
        union = math.fsum(self._idf.get(w, self._default) for w in wa | wb)
        shared = math.fsum(self._idf.get(w, self._default) for w in wa & wb)
        return shared / union if union else 0.0


@functools.lru_cache(maxsize=200_000)
def _around(text: str, start: int, end: int, window: int) -> frozenset[str]:
    # cached: a value is compared with the values of every source of its event
    before = _stems_before(text, start, window)
    after = _stems_after(text, end, window)
    return frozenset(w for w in before + after if not w.isdigit())


AROUND_REACH = 100  # characters read first on each side of a value for the words around it


def _word_stems(token: str) -> list[str]:
    """Return what stems() gives for one word as WORD finds it: none for a stop word, each part of a hyphenated one."""
    word = token.lower().strip("’'-")
    if not word or word in STOP_WORDS:
        return []
    return [_stem(part) for part in word.replace("-", " ").split()]


def _stems_before(text: str, start: int, window: int) -> list[str]:
    """Return stems(text[:start])[-window:], reading only the words near `start` when they hold enough.

    Stemming a whole prefix to keep its last few words cost a twentieth of the comparison.
    """
    low = start - AROUND_REACH
    if low > 0:
        # the first word may be the end of one cut by the window's edge
        found = [stem for token in WORD.findall(text, low, start)[1:] for stem in _word_stems(token)]
        if window and len(found) >= window:
            return found[-window:]
    return stems(text[:start])[-window:]


def _stems_after(text: str, end: int, window: int) -> list[str]:
    """Return stems(text[end:])[:window], reading only the words near `end` when they hold enough."""
    high = end + AROUND_REACH
    if high < len(text):
        # the last word may be the start of one cut by the window's edge
        found = [stem for token in WORD.findall(text, end, high)[:-1] for stem in _word_stems(token)]
        if len(found) >= window:
            return found[:window]
    return stems(text[end:])[:window]


HEAD_BONUS = 0.1  # the same governing word, or the same unit, says two values fill one slot
MIN_CONTEXT = 0.12  # below this, the two values most likely describe different things
STRONG_ALIGNMENT = 0.65  # sentences this alike state the same claim
PAIRED_ALIGNMENT = 0.45  # two reports' sentences paired one to one and this alike, too


def compare(
    alignment: Alignment,
    sa: Sentence,
    sb: Sentence,
    articles: dict[str, Article],
    context: Context,
    paired: bool = True,
) -> list[Discrepancy]:
    """List the discrepancies between two aligned sentences.

    `paired` says the sentences were paired one to one as the same claim; a
    looser candidate pair must show the same slot in the words around a value.
    """
    found: list[Discrepancy] = []
    art_a, art_b = articles[sa.article], articles[sb.article]
    reference = art_a.role == "reference" or art_b.role == "reference"
    if art_a.role == "reference" and art_b.role != "reference":
        sa, sb, art_a, art_b = sb, sa, art_b, art_a  # the report side is always `a`
    sure = paired and not reference
    if stamped(sa) or stamped(sb):
        return found  # "Friday, Sep 10, 2010 | Updated 8:52 PM EDT": when a page was posted, not a fact of the event
    values_a, values_b = _values(sa), _values(sb)
    for kind in VALUE_KINDS:
        da, db = values_a.get(kind), values_b.get(kind)
        if not da or not db:
            continue  # a value is only compared with a value of its kind
        for x, y, fit in _slot_pairs(kind, da, db, sa.text, sb.text, context, alignment.score, sure):
            if different_subjects(sa, x, sb, y, context.name_words):
                continue  # the same measure of two subjects: both may be right
            if (
                kind == "number"
                and not reference  # a reference note dates its facts: "opened in 1898 with 14 berths"
                and (
                    _time_frame(sa, x, art_a, context) != _time_frame(sb, y, art_b, context)
                    or _spans(sa, x) != _spans(sb, y)
                    or _earlier_frames_apart(sa, art_a, sb, art_b, context)
                )
            ):
                continue  # "in 2005, at the age of 91, he told" / "died Thursday at the age of 95": two times
            if different_things(sa.text, x, sb.text, y):
                continue  # "a 36-yard field goal" / "the 16-yard line": two things measured alike
            if (
                kind == "number"
                and alignment.score < STRONG_ALIGNMENT
                and _one_of_many(sa.text, x)
                and _one_of_many(sb.text, y)
            ):
                continue  # "an 11-yard pass" / "a 7-yard touchdown pass": one of many of its kind each
            if kind == "number" and _distances_from_two_places(sa.text, x, sb.text, y):
                continue  # "50 miles north of here" / "15 miles north of Detroit": two distances
            if kind == "number" and wished(sa.text, x) != wished(sb.text, y):
                continue  # "needed nine points" / "scored 20 points": what is wanted against what was done
            if kind == "number" and _moments_apart(sa.text, x, sb.text, y, alignment.score):
                continue  # "with 48 seconds left" / "with 12 seconds left": two moments of one game
            if x.unit in TALLIES and alignment.score < STRONG_ALIGNMENT:
                continue  # "tied it at 13-13" / "led 20-13": a game has many scores, a season many records
            if (
                kind in ("year", "date")
                and alignment.score < STRONG_ALIGNMENT
                and different_acts(sa.text, x, sb.text, y)
            ):
                continue  # "founded the clinic in 1990" / "became president in 2002": two steps, two years
            if kind == "number" and alignment.score < STRONG_ALIGNMENT and different_counts(sa.text, x, sb.text, y):
                continue  # "caught five passes" / "completed 17 passes": two acts counted
            if kind == "time" and _as_of(sa.text, x) != _as_of(sb.text, y):
                continue  # "cast their ballots as of 4:00 p.m." / "began to vote at 8:00 am": when a count was taken
            if kind == "date" and report_day(sa.text, x) and report_day(sb.text, y):
                continue  # "announced today (20 October)" / "today (14 October)": two reports' own days
            if kind == "date" and _reported_in_time(sa.text, x, sb.text, y):
                continue  # "ITAR-TASS reported September 26" / "scheduled for December 15": no disagreement
            quoted = (_in_quote(sa, x), _in_quote(sb, y))
            if all(quoted) or (not paired and any(quoted)):
                continue  # figures in quotations are judged with the quotations
            note = _note(kind, x, y, art_b if reference else None, sa.text, sb.text)
            score = _confidence(kind, x, y, alignment.score, fit)
            found.append(
                make_discrepancy(alignment, "reference" if reference else kind, "conflict", sa, sb, x, y, note, score)
            )
    return found


def stated_anywhere(d: Discrepancy, sa: Sentence, other: Sequence[Sentence]) -> bool:
    """Tell whether the other article states, somewhere, a value agreeing with side `a` of a flag."""
    x = _detail_of(sa, d.a)
    return x is not None and any(_same(x.kind, x, y) for s in other for y in _of_kind(s, x.kind))


def both_stated(
    d: Discrepancy, sa: Sentence, sb: Sentence, all_a: Sequence[Sentence], all_b: Sequence[Sentence]
) -> bool:
    """Tell whether the reports give both values, or one states the other's value in a sentence closer to it.

    "31 magazines in five operations" against "12 magazines", when the first report also
    says "12 magazines" in a sentence nearer the second's: the two do not disagree, two
    of their sentences were set side by side. A headline that repeats the other report's
    figure, further from its sentence than the flagged one, leaves the flag standing.
    """
    x, y = _detail_of(sa, d.a), _detail_of(sb, d.b)
    if x is None or y is None:
        return False
    if _stated_in(x, all_b) and _stated_in(y, all_a):
        return True  # each report gives both values somewhere: "founded the clinic in 1990", "president in 2002"
    return _closer_agreeing(y, sb, sa, all_a) or _closer_agreeing(x, sa, sb, all_b)


def _stated_in(value: Detail, sents: Sequence[Sentence]) -> bool:
    return any(_states(value.kind, value, z) for s in sents for z in _of_kind(s, value.kind))


def _closer_agreeing(value: Detail, home: Sentence, flagged: Sentence, others: Sequence[Sentence]) -> bool:
    """Tell whether one of `others` states `value` (same measure) and is at least as alike `home` as `flagged` is."""
    bar = fuzz.token_set_ratio(home.text, flagged.text)
    return any(
        s is not flagged
        and any(_states(value.kind, value, z) for z in _of_kind(s, value.kind))
        and fuzz.token_set_ratio(home.text, s.text) >= bar
        for s in others
    )


def _detail_of(sent: Sentence, side: Side) -> Detail | None:
    return next(
        (v for k in VALUE_KINDS for v in _of_kind(sent, k) if v.start == side.start and v.text == side.value), None
    )


def _in_quote(sent: Sentence, d: Detail) -> bool:
    return any(q.kind == "quote" and q.start <= d.start and d.end <= q.end for q in sent.details)


def per_sentence(fn: Callable[[Sentence], T]) -> Callable[[Sentence], T]:
    """Cache what a function derives from a sentence, by the sentence object itself.

    Each sentence is compared with every source of its event, so what it holds is
    derived once; hashing a sentence and all its details for an lru_cache key
    would cost more than most of what is cached. The entry keeps its sentence
    alive, so an id is never reused while cached.
    """
    cache: dict[int, tuple[Sentence, T]] = {}

    @functools.wraps(fn)
    def cached(sent: Sentence) -> T:
        hit = cache.get(id(sent))
        if hit is not None and hit[0] is sent:
            return hit[1]
        if len(cache) >= PER_SENTENCE_CACHE:
            cache.clear()
        value = fn(sent)
        cache[id(sent)] = (sent, value)
        return value

    return cached


PER_SENTENCE_CACHE = 200_000
PER_ARTICLE_CACHE = 100_000  # articles


def per_article(fn: Callable[[Sequence[Sentence]], T]) -> Callable[[Sequence[Sentence]], T]:
    """Cache what a function derives from an article's sentences, by the sentence tuple itself.

    An article is set against every other source of its event, so what it holds is gathered
    once. Only a tuple is remembered (a list may change); the entry keeps its tuple alive,
    so an id is never reused while cached.
    """
    cache: dict[int, tuple[Sequence[Sentence], T]] = {}

    @functools.wraps(fn)
    def cached(sents: Sequence[Sentence]) -> T:
        remembered = isinstance(sents, tuple)
        hit = cache.get(id(sents)) if remembered else None
        if hit is not None and hit[0] is sents:
            return hit[1]
        if len(cache) >= PER_ARTICLE_CACHE:
            cache.clear()
        value = fn(sents)
        if remembered:
            cache[id(sents)] = (sents, value)
        return value

    return cached


@per_sentence
def stamped(sent: Sentence) -> bool:
    """Tell a sentence that is a posting stamp, a bare dateline (see extract.is_stamp) or a posting credit.

    "On behalf of Newman & Co. posted in Accidents on Friday, September 20, 2013": who put the
    page up and when; its names and dates are no facts of the event. Once per sentence.
    """
    return is_stamp(sent.text) or any(d.kind == "date" and posted_on(sent.text, d) for d in sent.details)


_CONVERTED = re.compile(
    r"\d[^\d()]{0,25}\(\s*(?:about|around|some|approximately|roughly)?\s*[^\w\s(]{0,2}[A-Z]{0,3}[^\w\s(]{0,2}$"
)


def _of_kind(sent: Sentence, kind: str) -> tuple[Detail, ...]:
    """Return a sentence's details of one kind; a full date also states its year."""
    return _values(sent).get(kind, ())


@per_sentence
def _values(sent: Sentence) -> dict[str, tuple[Detail, ...]]:
    """Return a sentence's details by kind; a full date also states its year."""
    out: dict[str, list[Detail]] = {}
    for d in sent.details:
        converted = d.kind == "time" or (d.kind == "number" and (d.unit is None or unit_class(d.unit) != "count"))
        if converted and _CONVERTED.search(sent.text, max(0, d.start - 40), d.start):
            # "60 metres (200 feet)", "$US1 million ($1.52 million)", "4:30 a.m. (11.30 p.m. ET)": the same
            # figure converted; "36-3 (24 KOs)" counts something else
            continue
        out.setdefault(d.kind, []).append(d)
    for d in sent.details:
        if d.kind == "date" and re.match(r"\d{4}-", d.value):
            m = re.search(r"\b\d{4}\b", d.text)
            if m:
                out.setdefault("year", []).append(
                    Detail("year", m.group(0), d.start + m.start(), d.start + m.end(), m.group(0))
                )
    return {kind: tuple(found) for kind, found in out.items()}


# Units of measure: a figure in one is never compared with a figure in another or with
# a count of things. Each currency is a measure of its own: "£88m" and "€103m" for one
# haul are one sum converted, not two reports of it. Any other noun is a count ("troops", "soldiers", "vessels"),
# and counts in the same slot of the same claim are compared whatever noun they use.
_MEASURES = {
    "%": "%", "percent": "%", "per": "%", "metre": "m", "meter": "m", "m": "m", "kilometre": "km",
    "kilometer": "km", "km": "km", "mile": "mile", "foot": "ft", "feet": "ft", "centimetre": "cm",
    "cm": "cm", "millimetre": "mm", "mm": "mm", "kilogram": "kg", "kg": "kg", "gram": "g", "tonne": "t",
    "ton": "t", "pound": "pound", "gbp": "pound", "dollar": "usd", "usd": "usd", "euro": "eur", "eur": "eur",
    "rouble": "rub", "ruble": "rub", "yuan": "cny", "yen": "jpy", "rupee": "inr",
    "year": "year", "month": "month", "week": "week", "day": "day", "hour": "hour", "minute": "minute",
    "second": "second", "age": "age", "degree": "degree", "hectare": "area", "acre": "area", "litre": "volume",
    "liter": "volume", "barrel": "volume", "gallon": "volume", "magnitude": "magnitude",
    "square metre": "m2", "square meter": "m2", "square foot": "ft2", "square kilometre": "km2",
    "square kilometer": "km2", "square mile": "mi2", "cubic metre": "m3", "cubic meter": "m3", "cubic foot": "ft3",
    "tally": "tally", "record": "record",
}  # fmt: skip


def same_unit(a: str | None, b: str | None) -> bool:
    """Tell whether two units are one: the same noun, or two names of one measure ("kg", "kilogram")."""
    return a is not None and b is not None and (a == b or (a in _MEASURES and _MEASURES.get(a) == _MEASURES.get(b)))


def same_measure(x: Detail, y: Detail) -> bool:
    """Tell whether two figures are values of one measure: the same counted noun or unit, or neither names one.

    "14 points" and "16 rebounds", "26 pirates" and "five vessels" are two measures, however
    alike their sentences; a figure with a noun and a bare one are not known to be one.
    """
    if x.unit is None or y.unit is None:
        return x.unit is None and y.unit is None
    return same_unit(x.unit, y.unit) or _stem(x.unit) == _stem(y.unit)


def _synonym_counts(kind: str, x: Detail, y: Detail, similarity: float, text_a: str, text_b: str) -> bool:
    """Tell two counts of one thing under two nouns ("4,500 troops" / "5,400 soldiers") in sentences alike
    enough that the noun is all else that differs; in looser sentences two nouns are two measures. A
    figure written into a compound ("a .38-caliber revolver") qualifies its noun and counts nothing."""
    return (
        kind == "number"
        and similarity >= STRONG_ALIGNMENT
        and text_a[x.end : x.end + 1] != "-"
        and text_b[y.end : y.end + 1] != "-"
        and x.unit is not None
        and y.unit is not None
        and unit_class(x.unit) == unit_class(y.unit) == "count"
        and _same_order(x, y)
    )


def different_subjects(
    sa: Sentence, x: Detail, sb: Sentence, y: Detail, name_words: frozenset[str] = frozenset()
) -> bool:
    """Tell two values predicated of different subjects ("Green scored 14" / "Lawson scored 16").

    The subject is the last name before the value in its sentence, or for an age the person
    or the noun it qualifies ("a 66-year-old woman" / "the 36-year-old driver"). Two named
    subjects are one when they are one name or share a word of a name ("Farid Haddany" /
    "Farid Haddani"); a sentence may open with a name only if the event's sources write that
    word capitalised inside sentences (`name_words`), since "Police" or "Authorities" open
    sentences too.
    """
    if x.unit == "age" and y.unit == "age":
        person_x, person_y = _aged(sa, x), _aged(sb, y)
        if person_x and person_y and person_x[0] == person_y[0]:
            # "16-year-old Jermayne Timmons" / "10-year-old Kathina Thomas", "a 66-year-old woman" / "the
            # 36-year-old driver": an age written before its person is bound to it
            return not _one_subject(person_x[1], person_y[1])
    if x.kind == "number" and _different_places(sa, x, sb, y):
        return True  # "In Heraklion, 10,000 people marched" / "in Thessaloniki, where 20,000 people joined"
    subject_x, subject_y = _subject_of(sa, x, name_words), _subject_of(sb, y, name_words)
    if subject_x is None or subject_y is None or _one_subject(subject_x, subject_y):
        return False
    # the last name before a value is a guess at its subject: when either sentence names the
    # other's subject before its own value, both may speak of one person
    words_x, words_y = _name_words(subject_x), _name_words(subject_y)
    return not (words_x & _words_of(sb.text[: y.start]) or words_y & _words_of(sa.text[: x.start]))


_COMPOUND_HEAD = re.compile(r"(?:-[a-z]+)+\s+(?P<words>[a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)")


def _dating_years(sent: Sentence) -> tuple[Detail, ...]:
    """Return the years a sentence dates something in ("in 2005", "since 1997", "on May 3, 2004")."""
    return tuple(d for d in _values(sent).get("year", ()) if not d.value.endswith("s") and _dating(sent.text, d))


@per_sentence
def _years_stated(sent: Sentence) -> frozenset[str]:
    return frozenset(d.value[:4] for d in _dating_years(sent))


@per_sentence
def _years_named(sent: Sentence) -> frozenset[str]:
    """Return every year a sentence names, whether it dates a clause or qualifies a noun ("a July 1997 conviction").

    A year led by "since" is not counted: "the first strike since 2004" reaches up to the event.
    """
    return frozenset(
        d.value[:4]
        for d in _values(sent).get("year", ())
        if not d.value.endswith("s") and not _SINCE.search(sent.text, max(0, d.start - 20), d.start)
    )


_SINCE = re.compile(r"\bsince\s+(?:(?:early|late|mid)[- ])?(?:\w+\s+)?$", re.I)  # "since 2004", "since June 2004"


CARRY_BACK = 2  # sentences back that a sentence naming no year of its own takes its time from

FRAME_REACH = 60  # characters from a year that dates a clause to a figure after it ("In 2005, at the age of 91")


def _time_frame(sent: Sentence, d: Detail, article: Article, context: Context) -> frozenset[str]:
    """Return the years other than the event's that a figure is given for: empty for the event itself.

    A year dates the figures just after it ("In 2005, at the age of 91, Felt told"), not those
    before it or far from it ("a mother of 12, was shot in 2011"); the event's years are those of
    its report's date and those most of its sources give; a year only qualifies ("a 2013 Toyota")
    unless a preposition dates something by it.
    """
    years = frozenset(y.value[:4] for y in _dating_years(sent) if 0 <= d.start - y.end <= FRAME_REACH)
    if not years:
        return years
    return years - _own_years(article, context)


def _own_years(article: Article, context: Context) -> frozenset[str]:
    """Return the years that are the event's own for a report: those most sources give, and its date's."""
    return context.common_years | ({str(article.published.year)} if article.published else frozenset())


def _earlier_frames_apart(sa: Sentence, art_a: Article, sb: Sentence, art_b: Article, context: Context) -> bool:
    """Tell two sentences that name no year and follow sentences about different years, one of them
    not the event's: "ended with a July 1997 conviction. He was sentenced to 12 years" against
    "acquitted in 1958. A year later, he was convicted ... Mr. Smith ... was sentenced to seven years"."""
    years_a, years_b = context.earlier_years(sa), context.earlier_years(sb)
    if not years_a or not years_b or years_a & years_b:
        return False
    return bool((years_a - _own_years(art_a, context)) | (years_b - _own_years(art_b, context)))


_SPANS = (
    # a total over a career or over several acts against one act's: "31 magazines in their five
    # operations so far" / "12 magazines during the operation", "now has 2,302 for his career"
    (
        "total",
        re.compile(r"\b(?:so far|to date|in all|in total|altogether|overall|all-time|career|now ha(?:s|ve))\b", re.I),
    ),
    # another season or year than the event's: "a drop of five points per game from last season"
    ("period", re.compile(r"\b(?<!this )(?:last|past|previous|next) (?:seasons?|years?)\b", re.I)),
    ("since", re.compile(r"\bsince\b", re.I)),  # "arrested three times since October" / "four times"
    # a rate against a count: "23 points and eight rebounds a game" / "grabbing seven rebounds"
    (
        "rate",
        re.compile(
            r"\b(?:a|an|per|each)\s+(?:game|match|season|year|month|week|day|night|hour|carry|attempt|head|capita)\b"
            r"(?!\s+(?:after|before|ago|earlier|later|of|in|and|or)\b)",
            re.I,
        ),
    ),
)


SPAN_REACH = 30  # characters from a span to the figure it qualifies ("five points per game from last season")


def _gap(d: Detail, m: re.Match[str]) -> int:
    return m.start() - d.end if d.end <= m.start() else abs(d.start - m.end())


def _spans(sent: Sentence, d: Detail) -> frozenset[str]:
    """Return the spans of time a figure counts over beyond the event itself (see _SPANS).

    A span read in a sentence's opening clause covers its every figure ("In their five operations
    so far, ... 14 rifles, 31 magazines"); elsewhere only the figure nearest to it, if near ("a 6
    percent rise this year and 3 percent next year": only the 3 is next year's).
    """
    found = set()
    figures = _values(sent).get("number", ())
    opening = sent.text.find(",")
    for name, pattern in _SPANS:
        for m in pattern.finditer(sent.text):
            opens = m.end() <= opening < d.start
            if opens or (_gap(d, m) <= SPAN_REACH and min(figures, key=lambda f: _gap(f, m)) is d):
                found.add(name)
    if d.unit in _TIME_NOUNS and _AS_ROLE.match(sent.text, d.end):
        found.add("role")  # "spent four seasons as the team's director": a time in one role, not all of it
    if _PART_OF.search(sent.text, max(0, d.start - 60), d.start):
        found.add("whole")  # "missing 10 of the Saints' 16 games": 16 counts the games there were, not those missed
    selected = _SELECTION.search(sent.text, max(0, d.start - 12), d.start)
    if selected:
        selector = _SELECTORS[selected.group(1).lower()]
        if selector != "last" or d.unit not in _TIME_NOUNS:
            found.add(selector)  # "for the past three years" is three years up to now, a duration
    return frozenset(found)


# the nouns a length of time is counted in
_TIME_NOUNS = frozenset({"year", "month", "week", "day", "hour", "minute", "decade", "season", "night", "term"})
_AS_ROLE = re.compile(r"\s+[a-z]+\s+as\s+(?:(?:the|a|an|his|her|their|its)\s+|(?-i:[A-Z]))", re.I)


# a figure that counts the whole a part is taken from: "three of the seven bullets", "10 of the Saints' 16 games",
# "6 of his team-high 8 rebounds"
_PART_OF = re.compile(
    rf"(?:\b\d[\d,.]*|\b(?:{NUMBER_WORD}|all|most|some|many))\s+"
    r"of\s+(?:the|his|her|their|its|our|my|your)\s+(?:(?-i:[A-Z])[\w.]*(?:['’]s?)?\s+)?(?:[a-z]+-[a-z]+\s+)?$",
    re.I,
)


# a figure that picks the first or the last few of a series counts those, not the series: "completed
# his first 17 passes" / "29 of 34 passes", "in each of the past five seasons" / "his first three seasons"
_SELECTION = re.compile(r"\b(first|opening|last|past|previous|final|next)\s+$", re.I)
_SELECTORS = {"first": "first", "opening": "first", "last": "last", "past": "last", "previous": "last",
              "final": "last", "next": "next"}  # fmt: skip


_AS_OF = re.compile(r"(?:\bas of|\b(?:at|by) this (?:point|hour|time)\s*\(?)\s*(?:about|around|some\s+)?$", re.I)


def _as_of(text: str, d: Detail) -> bool:
    """Tell a time at which a count or a state was reported ("as of 4:00 p.m.", "At this point (10:30 p.m.)")."""
    return _AS_OF.search(text, max(0, d.start - 24), d.start) is not None


_INDEFINITE = re.compile(r"\b(?:an?|another)\s+$", re.I)


def _one_of_many(text: str, d: Detail) -> bool:
    """Tell a figure written into a compound after an indefinite article: "an 11-yard pass", "a 13-play drive".

    An age or a magnitude qualifies its one person or quake: "a 92-year-old man", "a 6.4-magnitude quake".
    """
    return (
        d.unit not in ("age", "magnitude")
        and text[d.end : d.end + 1] == "-"
        and _INDEFINITE.search(text, max(0, d.start - 9), d.start) is not None
    )


_DISTANCE_FROM = re.compile(
    r"\s*(?:nautical\s+)?(?:miles?|km|kilomet(?:re|er)s?|met(?:re|er)s?|feet|foot|yards?)\s+"
    r"(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ward)?\s+)?(?:of|from)\s+(?:the\s+)?(?P<place>[A-Za-z][\w-]*)",
    re.I,
)


def _distances_from_two_places(text_a: str, x: Detail, text_b: str, y: Detail) -> bool:
    """Tell two distances measured from two places ("50 miles north of here" / "15 miles north of
    Detroit", "13 nautical miles from the Mysore" / "12 nautical miles from shore")."""
    from_x, from_y = _DISTANCE_FROM.match(text_a, x.end), _DISTANCE_FROM.match(text_b, y.end)
    if from_x is None or from_y is None:
        return False
    place_x, place_y = from_x.group("place").lower(), from_y.group("place").lower()
    return _stem(place_x) != _stem(place_y) and not _one_subject(place_x, place_y)


def different_things(text_a: str, x: Detail, text_b: str, y: Detail) -> bool:
    """Tell two figures written into compounds that qualify different nouns ("a 36-yard field goal" /
    "the 16-yard line", "a 90-day stay" / "a 30-day program"): two things measured alike.

    A noun within the other ("quake" / "earthquake") or of one stem ("talk" / "talks") is one thing.
    """
    head_x, head_y = _compound_head(text_a, x), _compound_head(text_b, y)
    if not head_x or not head_y or head_x & head_y:
        return False
    return not any(u in v or v in u for u in head_x for v in head_y)


def _compound_head(text: str, d: Detail) -> frozenset[str]:
    """Return the stems of the words a figure's compound qualifies ("36-yard field goal" -> field, goal)."""
    m = _COMPOUND_HEAD.match(text, d.end)
    if not m:
        return frozenset()
    words = []
    for w in m.group("words").split():
        if w in STOP_WORDS:
            break
        words.append(_stem(w))
    return frozenset(words)


_IN_PLACE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$", re.I)
_TO_PLACE_AFTER = re.compile(r"^(?:\s*(?:%|percent|per cent|[a-z]+))?\s+(?:in|at)\s+(?:the\s+)?$")
PLACE_REACH = 40  # characters from a place led by "in" to the figure it localises ("In Heraklion, 10,000 people")


def _place_of(sent: Sentence, d: Detail) -> Detail | None:
    """Return the place a figure is given for: a name led by "in" or "at" right after it ("80 percent
    in Egypt") or just before it with no other name between ("In Heraklion, 10,000 people")."""
    entities = [e for e in sent.details if e.kind == "entity"]
    after = next((e for e in entities if e.start >= d.end), None)
    if after is not None and _TO_PLACE_AFTER.match(sent.text[d.end : after.start]):
        return after
    before = [e for e in entities if e.end <= d.start]
    if before and d.start - before[-1].end <= PLACE_REACH and _IN_PLACE.search(sent.text, 0, before[-1].start):
        return before[-1]
    return None


def _different_places(sa: Sentence, x: Detail, sb: Sentence, y: Detail) -> bool:
    """Tell two figures given for two places ("80 percent in Egypt" / "82 percent in India").

    Only figures: a date or a year at a place ("opened on March 14 at the Palace of Commerce" /
    "opened on Monday in Varos") dates one act wherever the sources say it happened.
    """
    place_x, place_y = _place_of(sa, x), _place_of(sb, y)
    return place_x is not None and place_y is not None and not _one_subject(place_x.value, place_y.value)


def _one_subject(a: str, b: str) -> bool:
    """Tell two subjects that may be one: one name, a shared word of a name, or one spelling of it."""
    if a == b or same_name(a, b):
        return True
    words_a, words_b = _name_words(a), _name_words(b)
    return bool(words_a & words_b) or any(translit_key(u) == translit_key(v) for u in words_a for v in words_b)


_AGE_BEFORE_NAME = re.compile(r"-(?:year|month)-old\s+(?:[a-z]+\s+){0,2}[A-Z]")
AGE_TO_NAME = 30  # characters from an age to the name it qualifies ("16-year-old suspect Jermayne ...")
_AGED_NOUN = re.compile(r"(?:-(?:year|month)s?-old|\s+(?:years?|months?)\s+old)\s+(?P<noun>[a-z]+)\b")
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")


def _name_after_age(sent: Sentence, d: Detail) -> Detail | None:
    """Return the name an age is written before ("the trial of 16-year-old Jermayne Timmons"), if any."""
    if d.unit != "age" or not _AGE_BEFORE_NAME.match(sent.text, d.end):
        return None
    return next((e for e in sent.details if e.kind == "entity" and d.end <= e.start <= d.end + AGE_TO_NAME), None)


def _aged(sent: Sentence, d: Detail) -> tuple[str, str] | None:
    """Return whom an age written before its person qualifies, as ("name", folded name) for
    "16-year-old Jermayne Timmons" or ("noun", stem) for "the 36-year-old driver"."""
    if _AGE_BEFORE_NAME.match(sent.text, d.end):
        name = _name_after_age(sent, d)
        if name is None:
            return None
        m = _NEXT_WORD.match(sent.text, name.end)
        if m and m.group(1) not in STOP_WORDS:
            return None  # "a 24-year-old Brooklyn resident": the name may qualify a noun, or a verb follow
        return ("name", name.value)
    m = _AGED_NOUN.match(sent.text, d.end)
    if not m or m.group("noun") in STOP_WORDS:
        return None
    return ("noun", _stem(m.group("noun")))


def _name_words(value: str) -> set[str]:
    return {w for w in value.split() if len(w) >= 4}


@functools.lru_cache(maxsize=65_536)
def _words_of(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.lower()))


def _subject_of(sent: Sentence, d: Detail, name_words: frozenset[str]) -> str | None:
    """Return the folded name a value is predicated of: the last name before it, else the person
    "He" or "She" opening the sentence stands for ("He has 53 catches" after "Marvin Harrison did not play")."""
    named = _subject_before(sent, d, name_words)
    if named is not None:
        return named.value
    return fold_name(sent.subject) if sent.subject else None


def _subject_before(sent: Sentence, d: Detail, name_words: frozenset[str] = frozenset()) -> Detail | None:
    named = _name_after_age(sent, d)
    if named is not None:
        return named  # "the trial of 16-year-old Jermayne Timmons": an age written before a name is that person's
    # a lone capitalised word opening the sentence may be a common word ("Police", "Authorities")
    before = [
        e
        for e in sent.details
        if e.kind == "entity"
        and e.end <= d.start
        and (" " in e.text.strip() or sent.text[: e.start].strip() or e.value in name_words)
        and not after_preposition(sent.text, e.start)
    ]
    return before[-1] if before else None


_LAST_WORD = re.compile(r"([a-z]+)\s*$")


_LAST_WORD_BUT_ARTICLE = re.compile(r"\b([a-z]+)\s+(?:the\s+)?$")


def after_preposition(text: str, start: int, through_article: bool = False) -> bool:
    """Tell a name led by a preposition ("on Cathedral Square"): a place or an object, not a subject.

    With `through_article`, "on the Riviera" counts too.
    """
    m = (_LAST_WORD_BUT_ARTICLE if through_article else _LAST_WORD).search(text, max(0, start - 20), start)
    return m is not None and m.group(1) in PLACE_PREPOSITIONS


def unit_class(unit: str | None) -> str:
    """Return the measure a unit belongs to, or 'count' for a counted noun."""
    if unit is None:
        return "count"
    return _MEASURES.get(unit, "count")


def _same(kind: str, x: Detail, y: Detail) -> bool:
    if kind == "number":
        return _numbers_agree(x, y)
    if kind == "date":
        return _dates_agree(x.value, y.value)
    if kind == "time":
        return _times_agree(x, y)
    return x.value == y.value


TIME_SLACK = 45  # minutes a hedged time allows: "shortly after 2 a.m." may be 2:40, "around 7 p.m." 6:30
TIME_ROUNDING = 5  # minutes any time allows: "3:30 a.m." is "3:33 a.m." rounded


def _minutes(d: Detail) -> int:
    hours, minutes = d.value.split()[0].split(":")
    return int(hours) * 60 + int(minutes)


def _zone(d: Detail) -> str:
    """Return a time's zone as written ("ET", "GMT"); "" for none or local time."""
    parts = d.value.split()
    return parts[1] if len(parts) > 1 and parts[1] != "local" else ""


def _times_agree(x: Detail, y: Detail) -> bool:
    """Tell two times of day that can be one: the same, or within the slack a hedge allows."""
    if _zone(x) != _zone(y):
        # "4:30 a.m. local time" and "11.30 p.m. ET", "4:30 p.m. ET" and "3:30 p.m." from an outlet in
        # another zone: one moment written two ways, or not known to be two; not compared
        return True
    gap = abs(_minutes(x) - _minutes(y))
    gap = min(gap, 24 * 60 - gap)
    return gap <= (TIME_SLACK if x.hedge or y.hedge else TIME_ROUNDING)


def _states(kind: str, x: Detail, y: Detail) -> bool:
    """Tell whether `y` states the value `x` gives: the same value, and for a figure not of another measure.

    "1,500 kilometres" is not stated by the "1,500" of a "1,500-square-kilometer island"; a
    bare figure may state a figure with a noun.
    """
    if not _same(kind, x, y):
        return False
    if kind == "date" and (x.value.startswith("weekday:") or y.value.startswith("weekday:")):
        return False  # a weekday no date resolved cannot be told from any date, so it states none
    return kind != "number" or x.unit is None or y.unit is None or same_measure(x, y)


def _numbers_agree(x: Detail, y: Detail) -> bool:
    try:
        lo_x, hi_x = interval(x)
        lo_y, hi_y = interval(y)
    except ValueError:
        return x.value == y.value
    if x.hedge is None and y.hedge is None and lo_x < hi_x and lo_y < hi_y:
        return (lo_x, hi_x) == (lo_y, hi_y)  # "between 13 and 25" / "from 17 to 25": two ranges, two statements
    return lo_x <= hi_y and lo_y <= hi_x  # equal values, a value within a range, or bounds that can meet


_AT_LEAST = frozenset({
    "more than", "over", "above", "at least", "upwards of", "greater than", "better than", "in excess of",
    "no less than", "not less than", "no fewer than", "not fewer than",
})  # fmt: skip
_AT_MOST = frozenset({
    "less than", "fewer than", "under", "below", "up to", "at most", "as many as", "as few as",
    "no more than", "not more than",
})  # fmt: skip
_JUST_UNDER = frozenset({"nearly", "almost", "close to"})


def interval(d: Detail) -> tuple[float, float]:
    """Return the values a figure allows: its range, widened by its hedge.

    "more than 100" is 100 and up, "up to 120" is 120 and down, so the two can meet; "about"
    allows a few per cent ("about 200" may be 190 or 210), so "approximately 350" and
    "approximately 525" cannot meet.
    """
    lo, hi = _bounds(d.value)
    hedge = d.hedge
    if hedge is None:
        return lo, hi
    if hedge in _AT_LEAST:
        return lo, math.inf
    if hedge in _AT_MOST:
        return -math.inf, hi
    size = max(abs(lo), abs(hi))
    # a hedge allows at least one unit from ten on: "about 10 minutes" may be nine
    slack = max(HEDGE_TOLERANCE * size, 1.0 if size >= 10 else 0.0)
    if hedge in _JUST_UNDER:
        return lo - 2 * slack, hi
    return lo - slack, hi + slack


def _same_order(x: Detail, y: Detail) -> bool:
    """Tell whether two figures are within a factor of 20: a misreport is rarely further off."""
    try:
        big, small = sorted((abs(_bounds(x.value)[1]), abs(_bounds(y.value)[1])), reverse=True)
    except ValueError:
        return True
    return small > 0 and big / small <= 20


@functools.lru_cache(maxsize=65_536)
def _bounds(value: str) -> tuple[float, float]:
    parts = [float(p) for p in value.split("-")]
    return min(parts), max(parts)


def _dates_agree(a: str, b: str) -> bool:
    if a.startswith("weekday:") or b.startswith("weekday:"):
        return True  # an unresolved weekday cannot be checked against a date
    if a.startswith("--") or b.startswith("--"):
        return a[-5:] == b[-5:]
    return a == b


def _comparable(kind: str, x: Detail, y: Detail) -> bool:
    """Tell whether two details fill the same slot of the claim."""
    if kind == "number":
        return same_measure(x, y) and _same_order(x, y)
    if kind == "date":
        return not (x.value.startswith("weekday:") or y.value.startswith("weekday:"))
    if kind == "time":
        return _zone(x) == _zone(y)
    # a decade and a year are not one value, nor a span of years ("the 2004-05 season") and one of its years
    return x.value.endswith("s") == y.value.endswith("s") and ("-" in x.value) == ("-" in y.value)


def _slot_pairs(
    kind: str,
    da: Sequence[Detail],
    db: Sequence[Detail],
    text_a: str,
    text_b: str,
    context: Context,
    similarity: float,
    paired: bool,
) -> list[tuple[Detail, Detail, float]]:
    """Pair each value of `a` that `b` does not state with the value of `b` in the same slot.

    A value counts as stated when any value on the other side agrees with it. The
    partner is the comparable value whose surrounding words fit best; with no clear
    fit nothing is reported, since guessing which figure goes with which makes false flags.
    When two sentences are paired one to one as the same claim (or are near
    paraphrases) and each has one such value left, the sentence itself is the
    context; for a figure, so is its counted noun.
    """
    if not _may_pair(kind, da, db, similarity, text_a, text_b):
        return []
    left_a = [x for x in da if not _stated_in_slot(kind, x, db, text_a, text_b, context)]
    left_b = [y for y in db if not _stated_in_slot(kind, y, da, text_b, text_a, context)]
    single = len(left_a) == 1 and len(left_b) == 1 and not _same(kind, left_a[0], left_b[0])
    sure = (paired and similarity >= PAIRED_ALIGNMENT) or similarity >= STRONG_ALIGNMENT
    if (
        sure
        and single
        and (
            _comparable(kind, left_a[0], left_b[0])
            or _synonym_counts(kind, left_a[0], left_b[0], similarity, text_a, text_b)
        )
        and not _other_event(kind, left_a[0], left_b[0], text_a, text_b, context, similarity)
    ):
        return [(left_a[0], left_b[0], 1.0)]
    pairs = []
    if sure and kind == "number":
        for x in left_a:
            mates = [z for z in left_a if same_measure(z, x)]
            partners = [y for y in left_b if same_measure(x, y) and _same_order(x, y) and not _same(kind, x, y)]
            if len(mates) == 1 and len(partners) == 1:
                pairs.append((x, partners[0], 1.0))
        return pairs
    for x in left_a:
        partners = [y for y in left_b if _comparable(kind, x, y) and not _same(kind, x, y)]
        scored = sorted(((context.slot_fit(text_a, x, text_b, y), i) for i, y in enumerate(partners)), reverse=True)
        if not scored or scored[0][0] < MIN_CONTEXT:
            continue
        best = partners[scored[0][1]]
        if context.overlap(text_a, x, text_b, best) < MIN_CONTEXT / 2:
            continue  # a shared unit or governing word alone ("620 km" / "38 km") does not make one slot
        rivals = [partners[i] for sc, i in scored[1:] if sc >= scored[0][0] * 0.8]
        if any(not _same(kind, r, best) for r in rivals):
            continue  # two different values fit about as well: ambiguous
        pairs.append((x, best, scored[0][0]))
    return pairs


def _may_pair(
    kind: str, da: Sequence[Detail], db: Sequence[Detail], similarity: float, text_a: str, text_b: str
) -> bool:
    """Tell whether any value of `a` and any of `b` could be paired by _slot_pairs: two values that differ
    and fill one slot (comparable, or counts of one thing under two nouns).

    Every pair _slot_pairs returns is such a pair, whatever the values stated on the other side; most
    aligned sentences give the same values or values of different measures, and asking which values
    each side states (the words around every value weighed) is wasted on them.
    """
    return any(
        not _same(kind, x, y) and (_comparable(kind, x, y) or _synonym_counts(kind, x, y, similarity, text_a, text_b))
        for x in da
        for y in db
    )


SLOT_MARGIN = 3.0  # how much better another value must fit a value's slot than the agreeing one, to be its rival


def _stated_in_slot(kind: str, x: Detail, others: Sequence[Detail], text_x: str, text_o: str, context: Context) -> bool:
    """Tell whether the other sentence states `x` in its slot: a value agrees with it, and no differing
    value fits the words around `x` far better ("dragging her 20 feet" against "dragging her 10 feet
    ..., who was 20 feet away": the 20 is stated, but of another thing)."""
    agreeing = [y for y in others if _states(kind, x, y)]
    if not agreeing:
        return False
    rivals = [y for y in others if not _same(kind, x, y) and _comparable(kind, x, y)]
    if not rivals:
        return True
    best_agreeing = max(context.overlap(text_x, x, text_o, y) for y in agreeing)
    best_rival = max(context.overlap(text_x, x, text_o, y) for y in rivals)
    return not (best_rival >= MIN_CONTEXT and best_rival > SLOT_MARGIN * best_agreeing)


ACT_BEFORE, ACT_AFTER = 120, 60  # characters searched for the verb of a year or a date, before it, then after


def act_of(text: str, d: Detail) -> str | None:
    """Return the lemma of the verb that dates a year or a date: the nearest verb before it in its
    clause ("founded the clinic in Alabama in 1990"), else, for a sentence that opens with it, the
    first after it ("In 1957, Page disappeared"); light verbs ("was", "said") are passed over. Only
    a year or a date led by a preposition dates a verb: "the 2006 HBO movie" dates the movie."""
    led = _dating(text, d)
    if not led:
        return None
    # back to the start of the value's clause, within reach: "crossed the line in 2:06:41, taking 49
    # seconds off the mark set in 2006" does not date the crossing
    start = max(0, d.start - ACT_BEFORE, text.rfind(",", 0, led.start()) + 1, text.rfind(";", 0, led.start()) + 1)
    before = [lemma for m in _VERB_WORD.finditer(text, start, d.start) if (lemma := _act_verb(m.group(0)))]
    if before:
        return before[-1]
    if text[: led.start()].strip() and not _CLAUSE_OPENS.search(text, 0, led.start()):
        return None  # "the last renovation, in 2006, focused on ...": the verb after is the clause's, not the year's
    after = _VERB_WORD.finditer(text, d.end, d.end + ACT_AFTER)
    return next((lemma for m in after if (lemma := _act_verb(m.group(0)))), None)


def _act_verb(word: str) -> str | None:
    """Return the lemma of a word that can only be a verb and says what was done (not "was", "said")."""
    lemma = verb_lemma(word)
    return lemma if lemma is not None and lemma not in LIGHT_VERBS else None


_VERB_WORD = re.compile(r"\b[a-z]{3,}\b")  # verbs are written in lower case
# ", and in 1995 she was elected"; "According to her website, by 1951 she was appearing"
_CLAUSE_OPENS = re.compile(r"(?:[;:]|,\s+(?:and|but|while|when)|^according to [^,;]{1,60},)\s*$", re.I)
_DATING = re.compile(r"\b(?:in|on|since|until|by|from|during)\s+(?:(?:early|late|mid)[- ])?$", re.I)
# a season or a term led through its article: "through the end of the 2008-09 season"
_DATING_SPAN = re.compile(
    r"\b(?:in|since|until|through|from|during)\s+the\s+(?:(?:end|start|beginning|middle|rest)\s+of\s+the\s+)?$", re.I
)


def _dating(text: str, d: Detail) -> re.Match[str] | None:
    """Return the preposition that makes a year or a date date something ("in 2005", "since May 3")."""
    found = _DATING.search(text, max(0, d.start - 20), d.start)
    if found is None and d.kind == "year" and ("-" in d.value or d.value.endswith("s")):
        found = _DATING_SPAN.search(text, max(0, d.start - 40), d.start)  # "through the 2008-09 season", "in the 1960s"
    return found


def different_acts(text_a: str, x: Detail, text_b: str, y: Detail) -> bool:
    """Tell two years or dates that each date another act ("founded" / "became", "was killed" / "rioted").

    The verb found for a year is a guess, so the acts differ only when neither sentence has the
    other's verb anywhere ("on March 11, 2004 he overpowered" / "being tried in March 2005 when he
    overpowered" date one act).
    """
    act_x, act_y = act_of(text_a, x), act_of(text_b, y)
    if x.kind == "date":
        act_x, act_y = act_x or _dated_noun(text_a, x), act_y or _dated_noun(text_b, y)
    return _two_acts(act_x, text_a, act_y, text_b)


def _two_acts(act_x: str | None, text_a: str, act_y: str | None, text_b: str) -> bool:
    """Tell two acts apart: both known, different, and neither sentence has the other's verb anywhere
    (the verb found for a value is a guess)."""
    if act_x is None or act_y is None or act_x == act_y:
        return False
    return act_x not in _acts(text_b) and act_y not in _acts(text_a)


COUNT_REACH = 3  # words at most between a figure and the verb it counts for ("completed his first 17 passes")


def count_act(text: str, d: Detail) -> str | None:
    """Return the lemma of the verb a figure is the count of: a verb at most COUNT_REACH words
    before it in its clause ("caught five passes", "played in 10 games"), else, for a figure that
    opens its clause, one at most COUNT_REACH words after what it counts ("Ten people were
    killed"). Light verbs and words that may be nouns are passed over."""
    opens = [m.end() for m in _COUNT_CLAUSE.finditer(text, 0, d.start)]
    words = [m.group(0) for m in LETTER_WORD.finditer(text, opens[-1] if opens else 0, d.start)]
    if not words:  # the figure opens its clause: the verb comes after what it counts
        words = [m.group(0) for m in itertools.islice(LETTER_WORD.finditer(text, d.end), COUNT_REACH + 1)][::-1]
    # no verb near after words before it: "in the trial of two men ... mother of 12" counts no act
    return next((lemma for w in reversed(words[-COUNT_REACH - 1 :]) if (lemma := _act_verb(w))), None)


def _counted(d: Detail) -> bool:
    """Tell a figure that counts things (a whole number of a counted noun), not one that measures."""
    return unit_class(d.unit) == "count" and d.value.isdigit()


_COUNT_CLAUSE = re.compile(r"[,;:]|\b(?:and|but|or|while|when)\b")  # "three died and 27 were treated"


def different_counts(text_a: str, x: Detail, text_b: str, y: Detail) -> bool:
    """Tell two figures that count what two different acts did ("caught five passes" / "completed
    17 passes", "played in 10 games" / "missed four games"): only when neither sentence has the
    other's verb anywhere, as for years."""
    if not (_counted(x) and _counted(y)):
        return False  # "aimed a .357 caliber" / "pointed a .38 caliber", "closed down 3.9 percent" / "plunged 5.4"
    return _two_acts(count_act(text_a, x), text_a, count_act(text_b, y), text_b)


_DATED_NOUN = re.compile(r",?\s+(?:[a-z]+ed\s+)?([a-z]{4,})\b")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|its|his|her|their)\s+$")


def _dated_noun(text: str, d: Detail) -> str | None:
    """Return the noun a full date qualifies ("the June 20, 2005 attempted murder" -> "murder"), if any.

    Only after "the" or a possessive: a date written before a noun names that act. Its lemma as a
    verb if it has one ("murder"), so that "was murdered" in the other sentence is the same act."""
    if not _DETERMINER_BEFORE.search(text, max(0, d.start - 8), d.start):
        return None
    m = _DATED_NOUN.match(text, d.end)
    if not m or m.group(1) in STOP_WORDS or not is_noun(m.group(1)):
        return None
    return min(verb_lemmas(m.group(1)), default=m.group(1))


@functools.lru_cache(maxsize=65_536)
def _acts(text: str) -> frozenset[str]:
    return frozenset(lemma for m in _VERB_WORD.finditer(text) if (lemma := verb_lemma(m.group(0))))


_CLOCK_UNITS = frozenset({"second", "minute", "hour"})
_MOMENT_AFTER = re.compile(
    r"\s+(?:seconds?|minutes?|hours?)(?:,?\s+(?:and\s+)?\d+\s+(?:seconds?|minutes?))?"
    r"\s+(?:left|remaining|to go|to play|later|earlier)\b"
)


def _moment(text: str, d: Detail) -> bool:
    """Tell a time on a clock that runs down or on ("with 48 seconds left", "12 minutes, 31 seconds
    remaining", "23 seconds later"): when something happened, not how long it took."""
    return d.unit in _CLOCK_UNITS and _MOMENT_AFTER.match(text, d.end) is not None


def _moments_apart(text_a: str, x: Detail, text_b: str, y: Detail, similarity: float) -> bool:
    """Tell two figures that cannot be one moment: a moment against a length of time, or two moments
    in sentences less alike than one claim (a game has many moments, each with its own play)."""
    mx, my = _moment(text_a, x), _moment(text_b, y)
    return mx != my or (mx and similarity < STRONG_ALIGNMENT)


WISH_REACH = 3  # words before a figure read for a verb of wanting ("needed nine more points")


def wished(text: str, d: Detail) -> bool:
    """Tell a figure someone needs, wants, seeks or expects from one that was stated as done."""
    words = _VERB_WORD.findall(text, max(0, d.start - 40), d.start)[-WISH_REACH:]
    return any(verb_lemmas(w) & WISH_VERBS for w in words)


YEAR_CONTEXT = 0.06  # below this overlap of the words around two years, they date two different steps


def _other_event(
    kind: str, x: Detail, y: Detail, text_a: str, text_b: str, context: Context, similarity: float
) -> bool:
    """Tell two years or dates of two different steps in sentences only loosely alike.

    "founded her clinic in 1990" against "in 2002, she became president": a life or a case
    has many years, and two sentences about one person pair them; the words around each
    must share something, unless the sentences are near copies.
    """
    if kind not in ("year", "date") or similarity >= STRONG_ALIGNMENT:
        return False
    return context.overlap(text_a, x, text_b, y) < YEAR_CONTEXT


_REPORT_DAY = re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\s*[(,]\s*$", re.I)
_REPORTED = re.compile(r"\b(?:reported|said|announced|stated|confirmed|told [\w ]{1,30}?|wrote)\s+(?:on\s+)?$", re.I)
_BEFORE = 60  # characters read back from a date for the words that make it a report's


def _led_by(pattern: re.Pattern[str], text: str, d: Detail | Side) -> bool:
    """Tell whether the words just before a value end as `pattern` says (read back a bounded window)."""
    return pattern.search(text, max(0, d.start - _BEFORE), d.start) is not None


def report_day(text: str, d: Detail | Side) -> bool:
    """Tell a date given as the day a report was written ("announced today (20 October 2011)")."""
    return _led_by(_REPORT_DAY, text, d)


_POSTED = re.compile(r"\b(?:posted|published|updated)\b[^.;]{0,60}?\bon\s+$", re.I)


def posted_on(text: str, d: Detail | Side) -> bool:
    """Tell a date given as when a page was posted ("posted in Hit and Run Accidents on Friday, September 20")."""
    return _led_by(_POSTED, text, d)


def reported_on(text: str, d: Detail | Side) -> bool:
    """Tell a date given as when something was reported ("..., Dana reported on November 24")."""
    return _led_by(_REPORTED, text, d)


_FUTURE = re.compile(r"\b(?:will|shall|scheduled|set to|due to|plans? to|planned|expected to|to be held)\b", re.I)


def _reported_in_time(text_a: str, x: Detail, text_b: str, y: Detail) -> bool:
    """Tell a date a report came out that agrees with the other's date of the event: the report
    came on or after the event ("launched ..., Dana reported on November 24" / "began on November
    20"), or the other speaks of what is to come ("scheduled for December 15" / "ITAR-TASS reported
    September 26"). A report dated before the event it tells of as done still disagrees."""
    for text_r, r, text_o, o in ((text_a, x, text_b, y), (text_b, y, text_a, x)):
        if reported_on(text_r, r) and not reported_on(text_o, o):
            return _FUTURE.search(text_o) is not None or _on_or_after(r.value, o.value)
    return False


def _on_or_after(a: str, b: str) -> bool:
    """Tell whether date `a` is on or after `b` (ISO dates; "--MM-DD" ones by month and day; weekdays
    are never paired, see _comparable)."""
    if a.startswith("--") or b.startswith("--"):
        return a[-5:] >= b[-5:]
    return a >= b


def _digits_differ(a: str, b: str) -> int:
    if len(a) != len(b):
        return -1
    return sum(1 for x, y in zip(a, b, strict=True) if x != y)


def _note(kind: str, x: Detail, y: Detail, reference: Article | None, text_a: str = "", text_b: str = "") -> str:
    """Say in plain words what differs, and why it may matter."""
    differ = _digits_differ(x.value, y.value) if kind in ("year", "number") else -1
    if kind == "date":
        text = f"different dates: {x.text} ({x.value}) vs {y.text} ({y.value})"
        reported = [d for d, t in ((x, text_a), (y, text_b)) if reported_on(t, d)]
        if reported:
            # "have launched ..., Dana reported on November 24": by that date it had begun
            d = reported[0]
            quoted = _phrase_before(text_a if d is x else text_b, d)
            text += f"; {d.text} is the date of a report ('{quoted}'), by which the event had already taken place"
        try:
            gap = abs((date.fromisoformat(x.value) - date.fromisoformat(y.value)).days)
        except ValueError:
            gap = None
        if gap == 1:
            text += "; one day apart, which may be a reporting-date or time-zone effect"
    elif kind == "time":
        text = f"different times: {x.text} vs {y.text}"
    elif differ == 1:
        text = f"one digit differs: {x.text} vs {y.text}"
    else:
        label = "years" if kind == "year" else "figures"
        text = f"different {label}: {x.text} vs {y.text}"
        if kind == "number" and x.unit:
            text += f" ({x.unit})"
    if reference is not None:
        name = reference.title or reference.path
        text += f"; the reference '{name}' says {y.text}"
    return text


def _phrase_before(text: str, d: Detail) -> str:
    """Return the few words ending with a value, as the note quotes them."""
    words = text[: d.end].split()
    return " ".join(words[-5:])


def _confidence(kind: str, x: Detail, y: Detail, align_score: float, fit: float) -> float:
    """Combine how sure the kind is, how alike the sentences are and how well the slots fit."""
    base = {"year": 0.9, "number": 0.8, "date": 0.75, "time": 0.7}[kind]
    if x.hedge or y.hedge:
        base -= 0.2
    return round(max(0.05, min(1.0, base * (0.4 + align_score / 2 + min(fit, 0.4) / 4))), 3)


def discrepancy_id(*parts: object) -> str:
    """Derive a stable flag id from what it joins (never from run order)."""
    return "d-" + hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:10]


def make_discrepancy(
    alignment: Alignment,
    kind: DiscrepancyKind,
    severity: Severity,
    sa: Sentence,
    sb: Sentence,
    x: Detail,
    y: Detail,
    note: str,
    score: float,
) -> Discrepancy:
    return Discrepancy(
        id=discrepancy_id(kind, sa.article, sa.index, x.start, sb.article, sb.index, y.start),
        event=alignment.event,
        kind=kind,
        severity=severity,
        score=round(score, 3),
        note=note,
        a=Side(sa.article, sa.text, x.text, x.start, x.end, x.value),
        b=Side(sb.article, sb.text, y.text, y.start, y.end, y.value),
    )
