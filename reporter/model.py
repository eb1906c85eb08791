"""Typed records passed between the pipeline stages; briefing.json serialises them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Role = Literal["report", "reference"]
DetailKind = Literal["number", "year", "date", "time", "entity", "quote"]
DiscrepancyKind = Literal["number", "year", "date", "time", "name", "quote", "reference"]
Severity = Literal["conflict", "possible", "variant"]  # possible: a conflict below the confidence cut
VALUE_KINDS: tuple[DiscrepancyKind, ...] = ("year", "number", "date", "time")  # details compared as values
Grade = Literal["same", "partial", "reworded", "contradicting"]
Verdict = Literal["accepted", "dismissed"]


@dataclass(frozen=True)
class RawArticle:
    """One article as read from disk, before boilerplate is removed."""

    path: str
    format: str  # txt, md, html, json
    text: str  # plain text, paragraphs separated by blank lines
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    url: str | None = None
    role: Role = "report"
    markdown: str | None = None  # the Markdown body of a .md article, for display
    problems: tuple[str, ...] = ()  # what was wrong but did not stop the article being read


@dataclass(frozen=True)
class Removed:
    """A line taken out of an article's text, and why."""

    text: str
    reason: str


@dataclass(frozen=True)
class Article:
    """A cleaned article: the unit that is grouped and compared."""

    id: str
    path: str
    format: str
    title: str | None
    outlet: str | None
    published: date | None
    url: str | None
    role: Role
    text: str
    removed: tuple[Removed, ...] = ()
    markdown: str | None = None
    filed: tuple[int, int] | None = None  # (month, day) of a dateline that gives no year
    # the path under its source root's name (seeds/a.txt), the same however the root was spelled
    # and wherever the run started: flags and the archive's history are keyed by it; "" for path
    root_path: str = ""

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class GroupingTerms:
    """What grouping reads of one article on its own, found in the workers before the corpus is put together."""

    # the text's words as its TF-IDF counts them (lower-cased, no stop words), one space apart:
    # one string crosses from a worker several times faster than a tuple of its words
    words: str
    lead: str  # the same of its title and opening words
    # each sentence's capitalised words and name connectors in order, None for any run of other words
    capitals: tuple[tuple[str | None, ...], ...]
    # per lower-cased word inside sentences that are not headlines: times capitalised less times not
    casing: dict[str, int]
    weekday: int | None  # the first weekday its lead names, Monday 0
    year: int | None  # its year of publication, else the latest year an undated text names
    figures: tuple[str, ...]  # the figures its lead gives, each once


@dataclass(frozen=True)
class Detail:
    """A comparable detail found in a sentence, with its verbatim span."""

    kind: DetailKind
    text: str  # verbatim
    start: int
    end: int
    value: str  # normalised form used for comparison
    unit: str | None = None  # counted noun or unit of a number
    speaker: str | None = None  # speaker of a quote, where stated
    hedge: str | None = None  # "about", "more than"...: the value is approximate


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article and the details it states."""

    article: str  # article id
    index: int
    text: str
    details: tuple[Detail, ...] = ()
    # for a sentence that opens with "He" or "She": the person the sentence before opened with, if any
    subject: str | None = None


@dataclass(frozen=True)
class Event:
    """A group of articles that cover the same real-world event."""

    id: str
    title: str
    articles: tuple[str, ...]
    start: date | None
    end: date | None
    why: str


@dataclass(frozen=True)
class Alignment:
    """Two sentences from different articles that state the same claim."""

    event: str
    a: str  # article id
    a_index: int
    b: str
    b_index: int
    score: float  # 0-1 similarity


@dataclass(frozen=True)
class Side:
    """One side of a discrepancy: where the value stands in its sentence."""

    article: str
    sentence: str
    value: str
    start: int
    end: int
    normalized: str | None = None


@dataclass(frozen=True)
class Discrepancy:
    """Two sources disagreeing (conflict) or writing one fact two ways (variant)."""

    id: str
    event: str
    kind: DiscrepancyKind
    severity: Severity
    score: float
    note: str
    a: Side
    b: Side


@dataclass(frozen=True)
class QuotePair:
    """The same speaker quoted by two sources, graded by how the words compare."""

    event: str
    speaker: str | None
    grade: Grade
    reason: str
    diff: str  # word-level: kept words, [-removed-], {+added+}
    a: Side
    b: Side


@dataclass(frozen=True)
class UniqueClaims:
    """What one source of an event reports that none of the others does."""

    event: str
    article: str
    sentences: tuple[int, ...]  # indices into the article's sentences
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Copying:
    """How much of two sources' text is the same copy (wire copy run twice)."""

    event: str
    a: str
    b: str
    copied: int  # sentences of `a` repeated near-verbatim in `b`
    share: float  # copied / sentences of the shorter article
    runs: tuple[tuple[int, int, int], ...]  # (first sentence in a, first in b, length) of copied runs


@dataclass(frozen=True)
class Agreement:
    """A claim two or more independent sources of an event state, and exactly the sources that state it."""

    event: str
    text: str  # the shortest wording of the claim among the sources
    article: str  # the article that wording is from
    index: int  # its sentence index
    sources: tuple[str, ...]  # article ids whose own sentence states the claim, wire copies counted once
    sentences: tuple[tuple[str, int], ...]  # (article, sentence index) of each source's wording


@dataclass(frozen=True)
class FactValue:
    """One value stated for a disputed fact, with the sources that state it."""

    value: str  # as the first source writes it
    normalized: str
    sources: tuple[str, ...]  # article ids of independent sources stating it
    copies: tuple[str, ...] = ()  # article ids that state it in a wire copy of one of `sources` (counted once)
    reference: bool = False  # a reference note states this value
    spellings: tuple[str, ...] = ()  # every way the sources write it, when they differ (names)


@dataclass(frozen=True)
class Fact:
    """One slot of one event (the same measure of the same subject) and everything the sources state for it.

    The engine's pairwise flags about the slot are merged here: a value stated by
    sources A, B and C against D is one fact, not three flags.
    """

    id: str
    event: str
    kind: DiscrepancyKind
    severity: Severity  # conflict when any of its flags is one
    slot: str  # the slot in words: "number of people evacuated", "year"
    context: str  # a sentence stating it, the value left blank: "The treaty was signed in ___."
    values: tuple[FactValue, ...]  # most sources first
    reference: str | None  # the reference note's value, when one states it
    flags: tuple[str, ...]  # ids of the pairwise discrepancies merged into this fact
    score: float  # probability that the sources really disagree: the surest of its conflict flags


@dataclass(frozen=True)
class Skipped:
    """A file that was not read, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class FileOutcome:
    """What reading and cleaning one file gave; paths are suffixes of the file's path ('' or '#3')."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
    problems: tuple[tuple[str, str], ...]  # (path suffix, what was wrong but did not stop it)
    text_keys: tuple[str, ...] = ()  # per article, a hash of its text as read, to find the same text twice


@dataclass(frozen=True)
class Window:
    """The publication dates a briefing covers (inclusive), and what fell outside."""

    since: date | None
    until: date | None
    label: str
    outside: int = 0  # reports left out: published before or after the window
    undated: int = 0  # reports kept although their date is unknown


@dataclass(frozen=True)
class Review:
    """An analyst's verdict on a flag: accepted (a real disagreement) or dismissed (not one)."""

    id: str
    key: str  # the flag's lasting key (see history.flag_key), so a verdict outlives small edits
    status: Verdict
    reason: str
    reviewed: str  # ISO date


@dataclass(frozen=True)
class PastFlag:
    """A flag of an earlier briefing, as the archive remembers it."""

    id: str
    key: str
    kind: DiscrepancyKind
    severity: Severity
    event: str  # event title
    a_path: str
    a_value: str
    b_path: str
    b_value: str
    note: str


@dataclass(frozen=True)
class EventComparison:
    """All that comparing the sources of one event found."""

    alignments: tuple[Alignment, ...]
    discrepancies: tuple[Discrepancy, ...]
    quotes: tuple[QuotePair, ...]
    unique: tuple[UniqueClaims, ...]
    copying: tuple[Copying, ...]


@dataclass(frozen=True)
class GroupingChange:
    """How the grouping of articles the last briefing held changed in this one."""

    kind: Literal["joined", "merged", "split"]
    events: tuple[str, ...]  # ids of this briefing's events it concerns (one unless split)
    before: tuple[str, ...]  # titles of the last briefing's events it concerns (one unless merged)
    articles: int  # articles in the event from none of the events it continues: new, or moved (0 for split)


@dataclass(frozen=True)
class Changes:
    """How this briefing's flags compare with the last briefing in the archive."""

    previous: str  # generated timestamp of the last briefing
    previous_window: str | None
    status: dict[str, str]  # flag id -> "new" or "open" (still open)
    resolved: tuple[PastFlag, ...]  # flags gone although their sources are still read
    gone: int  # flags whose sources all left this briefing (another week's articles)
    articles_new: int  # reports whose path the last briefing did not hold
    corrected: tuple[str, ...]  # lasting paths (Article.root_path) the last briefing held with other content
    grouping: tuple[GroupingChange, ...] = ()  # events that articles joined, that merged or split


@dataclass(frozen=True)
class Briefing:
    """Everything a renderer needs; knows nothing of HTML or PDF."""

    title: str
    generated: str  # ISO timestamp
    version: str
    articles: tuple[Article, ...]
    events: tuple[Event, ...]
    discrepancies: tuple[Discrepancy, ...]
    skipped: tuple[Skipped, ...]
    sentences: dict[str, tuple[Sentence, ...]] = field(default_factory=dict)
    alignments: tuple[Alignment, ...] = ()
    quotes: tuple[QuotePair, ...] = ()
    unique: tuple[UniqueClaims, ...] = ()
    copying: tuple[Copying, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per stage; not in briefing.json
    window: Window | None = None
    changes: Changes | None = None
    reviews: dict[str, Review] = field(default_factory=dict)  # flag id -> verdict, for flags shown
    dismissed: tuple[tuple[Discrepancy, Review], ...] = ()  # flags left out by an analyst's verdict
    agreed: tuple[Agreement, ...] = ()  # claims two or more independent sources state, per event

    @property
    def reports(self) -> int:
        """How many articles are reports (not reference notes)."""
        return sum(1 for a in self.articles if a.role == "report")

    @property
    def conflicts(self) -> int:
        return sum(1 for d in self.discrepancies if d.severity == "conflict")

    @property
    def variants(self) -> int:
        return len(self.discrepancies) - self.conflicts


_PLAIN = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass's field names, looked up once per class


def to_jsonable(obj: Any) -> Any:
    """Convert dataclasses, dates and tuples to plain JSON values."""
    # called for every value of a briefing (millions at 10,000 articles): the commonest cases first
    kind = type(obj)
    if kind in _PLAIN:
        return obj
    names = _FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(kind):
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    if names is not None:
        return {name: to_jsonable(getattr(obj, name)) for name in names}
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    return obj


def against_reference(item: Discrepancy | Fact) -> bool:
    """Tell a conflict with a trusted reference note: flags, facts and events lead with these.

    The note is trusted, so a report that differs from it is wrong (or the note is); its score
    is the rule's, while pairs of reports have a fitted probability, so the two are not ranked
    on one scale.
    """
    return item.severity == "conflict" and item.kind == "reference"
