"""Turn a Briefing into view models: every string, date, class and highlight the templates show."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from markupsafe import Markup

from .facts import build_facts, event_weight
from .model import (
    Agreement,
    Article,
    Briefing,
    Copying,
    Discrepancy,
    Event,
    Fact,
    FactValue,
    GroupingChange,
    PastFlag,
    QuotePair,
    Review,
    Sentence,
    Side,
    UniqueClaims,
    Window,
    against_reference,
)
from .notes import Notes, ValueMark, render_markdown, render_marked, split_notes
from .wording import (
    LEGEND,
    SHOWN_LEVELS,
    VARIANTS,
    Marked,
    Segment,
    confidence,
    confidence_text,
    date_range,
    excerpt,
    fmt_date,
    host,
    level,
    parse_diff,
    plural,
    safe_url,
    shorten,
    word_diff,
)

Paper = Literal["a4", "letter"]
PAGE_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}  # CSS @page size keywords
TOP_FACTS = 5  # disputed facts named on the cover
UNIQUE_SHOWN = 3  # claims shown per source under "Only in ..."; the rest are shaded in the source text
# files not read listed by name; past this a folder of junk (100,000 skipped files) made a PDF of
# thousands of pages, minutes and gigabytes: the rest is counted, and briefing.json lists every one
SKIPPED_SHOWN = 200
UNIQUE_SOURCES_PDF = 4  # sources whose own claims the PDF lists per event; the HTML lists them all
QUOTES_PDF = 4  # quotes compared that the PDF shows per event
DIFF_MIN_SHARED = 0.35  # below this share of common words a word diff is noise, so it is summarised instead
RUNNING_HEADER = 60  # characters of an event heading that fit the PDF's running header on one line
TITLE_NAME = 40  # characters of a title that name a source with no outlet or web address
SENTENCES_SHOWN = 3  # sentences shown per value of a fact; the others are counted
KIND_LABELS = {
    "number": "number",
    "year": "year",
    "date": "date",
    "time": "time of day",
    "name": "name",
    "quote": "quotation",
    "reference": "reference check",
}
KIND_ORDER = ("reference", "number", "date", "time", "year", "name", "quote")
GRADE_LABELS = {
    "same": "same words",
    "partial": "one quotes part of the other",
    "reworded": "reworded",
    "contradicting": "contradicting",
}
CHANGE_VALUE = 60  # characters of a value shown in the list of changes
STATUS_LABELS = {"new": "new", "open": "still open"}
SEVERITY_WORDS = {"conflict": "disputed", "variant": "spelled differently"}
LEVEL_OPTIONS = (("likely", "likely"), ("possible", "possible or likelier"), ("unlikely", "unlikely only"))


@dataclass(frozen=True)
class Link:
    """A piece of text and where it links to."""

    text: str
    href: str


@dataclass(frozen=True)
class Option:
    """One choice of a filter."""

    value: str
    label: str


@dataclass(frozen=True)
class Count:
    """A headline number and what it counts."""

    value: int
    label: str


@dataclass(frozen=True)
class SourceView:
    """An article as listed in tables and above its text."""

    id: str
    anchor: str  # id of the article's text in the appendix
    href: str
    label: str  # outlet, else web site, else title, else file name
    subtitle: str  # the title, where the label is not already it
    path: str
    title: str
    published: str
    url: str | None  # http(s) only: any other scheme is shown, never linked
    url_text: str
    words: int
    removed: str  # boilerplate taken out, in words
    role: str


@dataclass(frozen=True)
class SideView:
    """One source's sentence stating a value, and links to the source text."""

    source: str
    source_href: str
    marked: Marked
    excerpt: Marked  # a window of the sentence around the value
    value: str
    text_href: str  # the value marked in the source text


@dataclass(frozen=True)
class ValueView:
    """One value of a disputed fact and who states it."""

    value: str
    sources: str  # the sources' names, joined
    count: str  # "3 sources, 1 wire copy counted once"
    reference: bool
    spellings: str  # other ways the same value is written
    sentences: tuple[SideView, ...]
    more: str  # sentences not shown


@dataclass(frozen=True)
class FactView:
    """A disputed fact: one slot of an event, its values and who states each."""

    id: str
    href: str
    event: str
    event_title: str
    kind: str
    kind_label: str
    severity: str
    slot: str
    context: str
    level: str  # likely, possible, unlikely; "" for a name spelled differently
    css: str
    confidence: str  # "likely, 53%"
    confidence_text: str
    summary: str  # "1928 vs 1828"
    values: tuple[ValueView, ...]
    reference_note: str
    flag_ids: tuple[str, ...]  # the pairwise flags merged here: each is an anchor inside the entry
    merged: str  # how many pairwise flags the entry merges
    diff: tuple[Segment, ...]
    diff_legend: str  # which side of the diff is which source
    diff_note: str  # said instead of the diff when the sentences share too few words
    status: str  # "new" or "still open" against the last briefing; "" without an archive
    review: str  # an analyst's verdict, when a flag was accepted
    sources: str  # every source named, for the cover: "A, B vs C"


@dataclass(frozen=True)
class QuoteView:
    """The same speaker quoted by two sources, with the grade of how the words compare."""

    id: str
    event: str
    speaker: str
    grade: str
    grade_label: str
    reason: str
    css: str
    level: str
    flag: str  # confidence of the flag, or that it was not flagged
    flag_href: str  # the disputed fact this quote is listed under, when it is one
    a: SideView
    b: SideView
    diff: tuple[Segment, ...]
    diff_legend: str


@dataclass(frozen=True)
class ClaimView:
    """A claim two or more independent sources report."""

    text: str
    href: str
    sources: str


@dataclass(frozen=True)
class UniqueView:
    """What one source reports that the others of its event do not."""

    heading: str
    source_href: str
    items: tuple[Link, ...]
    more: str
    more_href: str


@dataclass(frozen=True)
class ReferenceView:
    """Which reference notes an event was checked against, and what they contradict."""

    shown: bool  # the briefing has reference notes, or a check to show
    checked: str
    notes: tuple[Link, ...]
    facts: tuple[FactView, ...]
    empty: str


@dataclass(frozen=True)
class EventView:
    """One event's section."""

    id: str
    href: str
    number: int
    heading: str
    running: str  # the heading cut short for the PDF's running header
    title: str
    dates: str
    why: str
    summary: str
    css: str
    sources: tuple[SourceView, ...]
    copies: tuple[str, ...]
    notes: Markup | None
    compared: bool  # two or more sources: the comparison sections apply
    single_note: str
    agreed: tuple[ClaimView, ...]
    agreed_note: str
    facts: tuple[FactView, ...]  # disputed facts of a level shown, surest first
    facts_note: str
    unlikely: tuple[FactView, ...]  # collapsed in the HTML, only counted in the PDF
    unlikely_note: str
    quotes: tuple[QuoteView, ...]
    quotes_pdf: tuple[QuoteView, ...]
    quotes_more: str  # what the PDF leaves out
    variants: tuple[FactView, ...]
    variants_heading: str
    references: ReferenceView
    unique: tuple[UniqueView, ...]
    unique_pdf: tuple[UniqueView, ...]
    unique_more: str
    source_count: int
    fact_count: int
    variant_count: int
    line: str  # the event in one line, for the digest


@dataclass(frozen=True)
class Piece:
    """A run of a source sentence; a flagged value carries its id and a link to its entry."""

    text: str
    id: str = ""
    href: str = ""
    css: str = ""
    title: str = ""


@dataclass(frozen=True)
class SentenceView:
    """A sentence of a source text, addressable by its id."""

    id: str
    css: str
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class TextView:
    """A source's cleaned text in the appendix."""

    source: SourceView
    heading: str
    meta: str
    paragraphs: tuple[tuple[SentenceView, ...], ...]
    markdown: Markup | None  # a Markdown article's body, shown instead of the sentences
    flagged: str


@dataclass(frozen=True)
class ChangeItem:
    """One line of the changes since the last briefing."""

    text: str
    detail: str
    href: str  # "" for a flag this briefing no longer holds


@dataclass(frozen=True)
class ChangesView:
    """The "changes since the last briefing" section, and the flags analysts dismissed."""

    shown: bool
    since: str
    summary: str  # counts the flags still open too: they are the briefing itself, not listed again here
    new: tuple[ChangeItem, ...]
    resolved: tuple[ChangeItem, ...]
    gone: str
    dismissed: tuple[ChangeItem, ...]
    grouping: tuple[ChangeItem, ...] = ()  # events that articles joined, that merged or split


@dataclass(frozen=True)
class BriefingView:
    """Everything the HTML, PDF and Markdown templates show."""

    title: str
    lang: str
    generated: str
    generated_iso: str
    generator: str
    description: str
    period: str
    version: str
    page_size: str
    counts: tuple[Count, ...]
    legend: str
    facts: tuple[FactView, ...]  # every disputed fact of a level shown, surest first
    top_facts: tuple[FactView, ...]
    top_note: str
    unlikely_note: str  # how many disputed facts are unlikely, and where they are
    events: tuple[EventView, ...]  # most to look at first
    texts: tuple[TextView, ...]
    sources: tuple[SourceView, ...]
    references: tuple[SourceView, ...]
    skipped: tuple[tuple[str, str], ...]  # the first SKIPPED_SHOWN files not read
    skipped_more: str  # how many more were not read, and where they are listed; empty when none
    notes: Markup | None
    notes_unmatched: str
    omitted: str  # what a shortened briefing (the PDF of a large run) leaves out, and where to find it
    filter_events: tuple[Option, ...]
    filter_kinds: tuple[Option, ...]
    filter_levels: tuple[Option, ...]
    window: str  # the date window and what it left out; "" without one
    changes: ChangesView


def _removed(article: Article) -> str:
    if not article.removed:
        return "none"
    gone = sum(len(r.text.split()) for r in article.removed)
    share = gone / max(gone + article.words, 1)
    return f"{plural(len(article.removed), 'line')}, {plural(gone, 'word')} ({share:.0%})"


def source_name(article: Article) -> str:
    """Name a source as a reader knows it: outlet, else web site, else title (shortened), else file name."""
    # a site name from a page's metadata is read into `outlet` already
    return (
        article.outlet
        or host(article.url)
        or (shorten(article.title, TITLE_NAME) if article.title else None)
        or article.path.rsplit("/", 1)[-1]
    )


def _source(article: Article) -> SourceView:
    anchor = f"src-{article.id}"
    return SourceView(
        id=article.id,
        anchor=anchor,
        href=f"#{anchor}",
        label=(label := source_name(article)),
        subtitle="" if not article.title or label == shorten(article.title, TITLE_NAME) else article.title,
        path=article.path,
        title=article.title or "(no title)",
        published=fmt_date(article.published),
        url=safe_url(article.url),
        url_text=article.url or "",
        words=article.words,
        removed=_removed(article),
        role=article.role,
    )


def _sentence_id(article: str, index: int) -> str:
    return f"s-{article}-{index}"


def _mark_id(flag: Discrepancy, side: str) -> str:
    return f"v-{flag.id}-{side}"


class _Index:
    """The records of a briefing by the keys the view needs, each built once (linear in its size)."""

    def __init__(self, briefing: Briefing) -> None:
        self.briefing = briefing
        self.articles = {a.id: a for a in briefing.articles}
        self.names = {a.id: source_name(a) for a in briefing.articles}
        self.positions: dict[tuple[str, str], int] = {}
        for article, sents in briefing.sentences.items():
            for s in sents:
                self.positions.setdefault((article, s.text), s.index)
        self.whole_texts: set[str] = set()  # articles shown as rendered Markdown: no per-sentence anchors
        self.marked: set[str] = set()  # ids of the flagged values marked in the source texts
        self.flags = {d.id: d for d in briefing.discrepancies}
        self.facts: dict[str, list[Fact]] = defaultdict(list)
        for fact in build_facts(briefing):
            self.facts[fact.event].append(fact)
        self.fact_of = {flag: f.id for found in self.facts.values() for f in found for flag in f.flags}
        self.quotes: dict[str, list[QuotePair]] = defaultdict(list)
        self.quote_of: dict[tuple[str, Side, Side], QuotePair] = {}
        for q in briefing.quotes:
            self.quotes[q.event].append(q)
            self.quote_of.setdefault((q.event, q.a, q.b), q)
        self.unique: dict[str, list[UniqueClaims]] = defaultdict(list)
        for u in briefing.unique:
            self.unique[u.event].append(u)
        self.copying: dict[str, list[Copying]] = defaultdict(list)
        for c in briefing.copying:
            self.copying[c.event].append(c)
        self.agreed: dict[str, list[Agreement]] = defaultdict(list)
        for claim in briefing.agreed:
            self.agreed[claim.event].append(claim)
        refs = {a.id for a in briefing.articles if a.role == "reference"}
        self.has_references = bool(refs)
        self.references: dict[str, set[str]] = defaultdict(set)  # event -> reference notes aligned with it
        for al in briefing.alignments:
            for article in (al.a, al.b):
                if article in refs:
                    self.references[al.event].add(article)

    def locate(self, side: Side) -> int | None:
        """Return the index of the side's sentence in its article, or None if it is not there."""
        found = self.positions.get((side.article, side.sentence))
        if found is not None:
            return found
        for s in self.briefing.sentences.get(side.article, ()):
            if side.sentence in s.text or s.text in side.sentence:
                return s.index
        return None

    def label(self, article: str) -> str:
        """Name an article as the briefing does everywhere but the table of files."""
        return self.names.get(article, article)

    def sentence_href(self, article: str, index: int | None) -> str:
        """Link to a sentence in the source text, or to the whole text where sentences have no anchor."""
        if index is None or article in self.whole_texts:
            return f"#src-{article}"
        return f"#{_sentence_id(article, index)}"


def _side(side: Side, index: _Index, mark_id: str | None) -> SideView:
    s = side.sentence
    return SideView(
        source=index.label(side.article),
        source_href=f"#src-{side.article}",
        marked=Marked(s[: side.start], s[side.start : side.end], s[side.end :]),
        excerpt=excerpt(s, side.start, side.end),
        value=side.value,
        text_href=f"#{mark_id}" if mark_id in index.marked else index.sentence_href(side.article, index.locate(side)),
    )


def _diff_legend(a: str, b: str) -> str:
    return f"struck through: only in {a}; underlined: only in {b}"


def _fact(fact: Fact, index: _Index, events: dict[str, Event]) -> FactView:
    flags = [index.flags[i] for i in fact.flags if i in index.flags]
    sides: dict[tuple[str, str], tuple[Side, str]] = {}  # (normalised value, article) -> a side and its mark id
    for d in flags:
        for name, side in (("a", d.a), ("b", d.b)):
            sides.setdefault((side.normalized or side.value.casefold(), side.article), (side, _mark_id(d, name)))
    values = tuple(_value(v, sides, index) for v in fact.values)
    first = flags[0]
    quote = index.quote_of.get((first.event, first.a, first.b)) if first.kind == "quote" else None
    diff: tuple[Segment, ...] = ()
    diff_note = ""
    if (len(fact.values) == 2 and fact.severity != "variant") or quote is not None:
        if quote is not None:
            diff = parse_diff(quote.diff)
        else:
            diff, shared = word_diff(first.a.sentence, first.b.sentence)
            if shared < DIFF_MIN_SHARED:
                diff = ()
                diff_note = (
                    f"The two sentences are worded differently ({shared:.0%} of their words in common), "
                    "so only the values are compared."
                )
    is_variant = fact.severity == "variant"
    lvl = "" if is_variant else level(fact.score)
    changes = index.briefing.changes
    statuses = {changes.status.get(i, "") for i in fact.flags} if changes else set()
    status = "new" if "new" in statuses else "open" if "open" in statuses else ""
    reviews = [index.briefing.reviews[i] for i in fact.flags if i in index.briefing.reviews]
    reference_note = ""
    if fact.reference is not None:
        ref = next((v.article for v in (first.a, first.b) if v.value == fact.reference), None)
        note = index.articles[ref].title if ref else None
        reference_note = f"The reference note “{note}” says {fact.reference}." if note else ""
    report_values = [v for v in fact.values if v.sources or v.copies]
    return FactView(
        id=fact.id,
        href=f"#{fact.id}",
        event=fact.event,
        event_title=events[fact.event].title if fact.event in events else "",
        kind=fact.kind,
        kind_label=KIND_LABELS.get(fact.kind, fact.kind),
        severity=fact.severity,
        slot=fact.slot[0].upper() + fact.slot[1:],
        context=fact.context,
        level=lvl,
        css=f"fact {fact.severity} level-{lvl or 'none'} kind-{fact.kind}",
        confidence=VARIANTS.get(fact.kind, VARIANTS[""]).lower() if is_variant else confidence(fact.score),
        confidence_text=confidence_text(fact.score, fact.severity, fact.kind),
        summary=" vs ".join(shorten(v.value, CHANGE_VALUE) for v in fact.values),
        values=values,
        reference_note=reference_note,
        flag_ids=fact.flags,
        merged=f"Merged from {plural(len(fact.flags), 'pair')} of sources." if len(fact.flags) > 1 else "",
        diff=diff,
        diff_legend=_diff_legend(index.label(first.a.article), index.label(first.b.article)) if diff else "",
        diff_note=diff_note,
        status=STATUS_LABELS.get(status, ""),
        review="; ".join(_verdict(r) for r in reviews),
        sources=" vs ".join(v.sources for v in values if v.sources) if report_values else "",
    )


def _value(value: FactValue, sides: dict[tuple[str, str], tuple[Side, str]], index: _Index) -> ValueView:
    stating = [*value.sources, *value.copies]
    if value.reference:
        stating += [a for (v, a) in sides if v == value.normalized and a not in stating]
    shown = [sides[(value.normalized, a)] for a in stating if (value.normalized, a) in sides][:SENTENCES_SHOWN]
    count = [plural(len(value.sources), "source")] if value.sources else []
    if value.copies:
        count.append(f"{plural(len(value.copies), 'wire copy', 'wire copies')} counted once")
    if value.reference:
        count.append("reference note")
    names = [index.label(a) for a in value.sources]
    names += [f"{index.label(a)} (wire copy)" for a in value.copies]
    if value.reference and not names:
        names = [index.articles[a].title or index.label(a) for a in stating]
    more = len(stating) - len(shown)
    return ValueView(
        value=value.value,
        sources=_join(names),
        count=", ".join(count),
        reference=value.reference,
        spellings=", ".join(s for s in value.spellings if s != value.value),
        sentences=tuple(_side(side, index, mark) for side, mark in shown),
        more=f"and {plural(more, 'more source')}" if more > 0 else "",
    )


def _quote(q: QuotePair, n: int, flag: Discrepancy | None, index: _Index) -> QuoteView:
    in_facts = flag is not None and flag.severity != "variant"
    # a quote flagged as worded differently is listed only here: the flag's links land on it
    own_id = flag.id if flag is not None and not in_facts else f"q-{q.event}-{n}"
    a, b = index.label(q.a.article), index.label(q.b.article)
    return QuoteView(
        id=own_id,
        event=q.event,
        speaker=q.speaker or "Unnamed speaker",
        grade=q.grade,
        grade_label=GRADE_LABELS.get(q.grade, q.grade),
        reason=q.reason,
        css=f"quote grade-{q.grade}",
        level=level(flag.score) if in_facts and flag is not None else "",
        flag=confidence_text(flag.score, flag.severity, "quote")
        if flag is not None
        else "Not flagged: the words agree.",
        flag_href=f"#{index.fact_of[flag.id]}" if in_facts and flag is not None and flag.id in index.fact_of else "",
        a=_side(q.a, index, _mark_id(flag, "a") if flag is not None else None),
        b=_side(q.b, index, _mark_id(flag, "b") if flag is not None else None),
        diff=parse_diff(q.diff),
        diff_legend=_diff_legend(a, b),
    )


def _agreed(event: Event, index: _Index) -> tuple[ClaimView, ...]:
    return tuple(
        ClaimView(
            text=c.text,
            href=index.sentence_href(c.article, c.index),
            sources=_join([index.label(a) for a in c.sources]),
        )
        for c in index.agreed.get(event.id, ())
    )


def _unique(event: Event, index: _Index) -> tuple[UniqueView, ...]:
    views = []
    order = {a: i for i, a in enumerate(event.articles)}
    for u in sorted(index.unique.get(event.id, ()), key=lambda u: order.get(u.article, 0)):
        if not u.sentences:
            continue
        sents = index.briefing.sentences.get(u.article, ())
        richness = {i: len(sents[i].details) if i < len(sents) else 0 for i in u.sentences}
        # the sentences naming most details (numbers, names, dates) say most, so they are shown first
        shown = sorted(sorted(u.sentences, key=lambda i: -richness[i])[:UNIQUE_SHOWN])
        texts = dict(zip(u.sentences, u.texts, strict=False))
        rest = len(u.sentences) - len(shown)
        views.append(
            UniqueView(
                heading=f"Only in {index.label(u.article)}",
                source_href=f"#src-{u.article}",
                items=tuple(Link(texts.get(i, ""), index.sentence_href(u.article, i)) for i in shown),
                more=f"and {plural(rest, 'more sentence')}, shaded in its text" if rest else "",
                more_href=f"#src-{u.article}",
            )
        )
    return tuple(views)


def _references(event: Event, index: _Index, facts: tuple[FactView, ...]) -> ReferenceView:
    used = sorted(index.references.get(event.id, ()))
    notes = tuple(Link(index.articles[r].title or index.label(r), f"#src-{r}") for r in used)
    shown = bool(index.has_references or facts)
    if not notes:
        return ReferenceView(shown, "", (), facts, "" if facts else "No reference note covers this event.")
    checked = f"Checked against {plural(len(notes), 'reference note')}:"
    return ReferenceView(shown, checked, notes, facts, "" if facts else "No statement contradicts them.")


def _copies(event: Event, index: _Index) -> tuple[str, ...]:
    return tuple(
        f"{index.label(c.a)} and {index.label(c.b)} share {plural(c.copied, 'sentence')} of the same copy "
        f"({c.share:.0%} of the shorter text); those count once."
        for c in index.copying.get(event.id, ())
    )


def _facts_note(shown: Sequence[FactView], unlikely: Sequence[FactView], references: Sequence[FactView]) -> str:
    if shown:
        return ""
    said = "No source likely contradicts another" if unlikely else "No source contradicts another"
    return said + ("; a reference check below disagrees." if references else ".")


def _plain_why(why: str) -> str:
    """Say the grouping's reasons without the measure's name: how alike the wording is, as a share."""
    return re.sub(r"text similarity (\d(?:\.\d+)?)", lambda m: f"wording {float(m.group(1)):.0%} alike", why)


def _surest(facts: Iterable[Fact]) -> list[Fact]:
    """Order facts as the reader should meet them: checks against a trusted reference note, then the likeliest."""
    return sorted(
        facts,
        key=lambda f: (
            not against_reference(f),
            -f.score,
            KIND_ORDER.index(f.kind) if f.kind in KIND_ORDER else 99,
            f.id,
        ),
    )


def _event(
    number: int, event: Event, index: _Index, events: dict[str, Event], notes: Notes | None
) -> tuple[EventView, tuple[FactView, ...]]:
    facts = _surest(index.facts.get(event.id, ()))
    disputed = [f for f in facts if f.severity != "variant" and f.kind != "reference"]
    views = {f.id: _fact(f, index, events) for f in facts}
    shown = tuple(views[f.id] for f in disputed if level(f.score) in SHOWN_LEVELS)
    unlikely = tuple(views[f.id] for f in disputed if level(f.score) not in SHOWN_LEVELS)
    references = tuple(views[f.id] for f in facts if f.kind == "reference")
    quotes = index.quotes.get(event.id, [])
    quoted = {(q.a, q.b) for q in quotes}
    quote_flags = {(d.a, d.b): d for f in facts for i in f.flags if (d := index.flags[i]).kind == "quote"}
    variants = tuple(
        views[f.id]
        for f in facts
        if f.severity == "variant"
        and f.kind != "reference"
        and not (f.kind == "quote" and all((index.flags[i].a, index.flags[i].b) in quoted for i in f.flags))
    )
    compared = len(event.articles) > 1
    conflicts = [f for f in facts if f.severity != "variant"]
    summary = [plural(len(event.articles), "source"), plural(len(conflicts), "disputed fact")]
    if unlikely:
        summary[-1] += f" ({len(unlikely)} unlikely)"
    summary.append(plural(len(variants), "name spelled differently", "names spelled differently"))
    agreed = _agreed(event, index) if compared else ()
    quote_views = tuple(_quote(q, n, quote_flags.get((q.a, q.b)), index) for n, q in enumerate(quotes, 1))
    unique = _unique(event, index)
    unique_left = len(unique) - UNIQUE_SOURCES_PDF
    heading = f"{number}. {event.title}"
    view = EventView(
        id=event.id,
        href=f"#{event.id}",
        number=number,
        heading=heading,
        running=shorten(heading, RUNNING_HEADER),
        title=event.title,
        dates=date_range(event.start, event.end),
        why=f"Grouped because: {_plain_why(event.why)}" if compared else "A single source reports this event.",
        summary=" · ".join(summary),
        css="event" if compared else "event single",
        sources=tuple(_source(index.articles[a]) for a in event.articles if a in index.articles),
        copies=_copies(event, index),
        notes=notes.by_event.get(event.id) if notes else None,
        compared=compared,
        single_note="" if compared else "Only one source reports this event, so there is nothing to compare.",
        agreed=agreed,
        agreed_note="" if agreed else "No claim is stated by two independent sources without being disputed.",
        facts=shown,
        facts_note=_facts_note(shown, unlikely, references),
        unlikely=unlikely,
        unlikely_note=(
            f"{plural(len(unlikely), 'unlikely disagreement')}: most such flags are the same fact told two ways."
            if unlikely
            else ""
        ),
        quotes=quote_views,
        quotes_pdf=quote_views[:QUOTES_PDF],
        quotes_more=(
            f"and {plural(len(quote_views) - QUOTES_PDF, 'more quotation')} in the HTML briefing"
            if len(quote_views) > QUOTES_PDF
            else ""
        ),
        variants=variants,
        variants_heading="Same name, spelled differently",
        references=_references(event, index, references),
        unique=unique,
        unique_pdf=unique[:UNIQUE_SOURCES_PDF],
        unique_more=f"and {plural(unique_left, 'more source')} with claims of its own" if unique_left > 0 else "",
        source_count=len(event.articles),
        fact_count=len(conflicts),
        variant_count=len(variants),
        line=f"{event.title} ({date_range(event.start, event.end)}): " + ", ".join(summary),
    )
    return view, tuple(views[f.id] for f in conflicts)


def _marks(index: _Index) -> dict[str, dict[int, list[tuple[int, int, Discrepancy, str]]]]:
    """Collect where each flagged value stands: article -> sentence -> (start, end, flag, side)."""
    found: dict[str, dict[int, list[tuple[int, int, Discrepancy, str]]]] = defaultdict(lambda: defaultdict(list))
    for d in index.briefing.discrepancies:
        for name, side in (("a", d.a), ("b", d.b)):
            at = index.locate(side)
            if at is None:
                continue
            text = index.briefing.sentences[side.article][at].text
            start = side.start if text == side.sentence else text.find(side.value)
            if start < 0:
                continue
            found[side.article][at].append((start, start + len(side.value), d, name))
    return found


def rank_events(briefing: Briefing, facts: dict[str, list[Fact]] | None = None) -> list[Event]:
    """Order events by how much a reader should look at them.

    Disputed facts weighted by their probability come first (those likely or
    possible before the unlikely ones), then independent sources (wire copies
    count once), then the briefing's own order.
    """
    if facts is None:
        facts = defaultdict(list)
        for f in build_facts(briefing):
            facts[f.event].append(f)
    copies: Counter[str] = Counter(c.event for c in briefing.copying if c.share >= 0.5)
    position = {e.id: i for i, e in enumerate(briefing.events)}
    return sorted(
        briefing.events,
        key=lambda e: (
            # a report that differs from a trusted reference note first (see model.against_reference)
            not any(against_reference(f) for f in facts.get(e.id, ())),
            # likely and possible disagreements first: many unlikely ones never outweigh one a reader should check
            -round(event_weight([f for f in facts.get(e.id, ()) if level(f.score) in SHOWN_LEVELS]), 6),
            -round(event_weight(facts.get(e.id, ())), 6),
            -(len(e.articles) - copies[e.id]),
            position[e.id],
        ),
    )


def significant_events(briefing: Briefing, limit: int) -> list[Event]:
    """Return the `limit` events a reader should see first, most to look at first (see rank_events)."""
    return rank_events(briefing)[: max(0, limit)]


def build_view(
    briefing: Briefing, notes: str | None = None, paper: Paper = "a4", max_events: int | None = None
) -> BriefingView:
    """Build the view model the HTML, PDF and Markdown templates render.

    Events come most to look at first (rank_events). With `max_events`, only that
    many of them and their sources are shown, and the view says how many more the
    full briefing holds; the counts still cover the whole briefing.
    """
    index = _Index(briefing)
    events = {e.id: e for e in briefing.events}
    ranked = rank_events(briefing, index.facts)
    shown = ranked if max_events is None else ranked[:max_events]
    in_shown = {a for e in shown for a in e.articles}
    split = split_notes(notes, briefing.events) if notes else None
    reports = [a for a in briefing.articles if a.role == "report"]
    dated = [a.published for a in reports if a.published]
    period = date_range(min(dated), max(dated)) if dated else "undated"
    marks = _marks(index)
    index.marked = {_mark_id(d, side) for found in marks.values() for at in found.values() for _, _, d, side in at}
    unique: dict[str, set[int]] = defaultdict(set)
    for u in briefing.unique:
        unique[u.article].update(u.sentences)
    ordered = [*(a for a in reports if a.id in in_shown), *(a for a in briefing.articles if a.role == "reference")]
    texts = tuple(_text(a, index, marks.get(a.id, {}), unique.get(a.id, set())) for a in ordered)
    index.whole_texts = {t.source.id for t in texts if t.markdown is not None}
    built = [_event(n, e, index, events, split) for n, e in enumerate(shown, 1)]
    event_views = tuple(v for v, _ in built)
    rank = {f.id: i for i, f in enumerate(_surest(f for found in index.facts.values() for f in found))}
    disputed = sorted((f for _, facts in built for f in facts if f.level in SHOWN_LEVELS), key=lambda f: rank[f.id])
    all_facts = [f for found in index.facts.values() for f in found]
    conflicts = [f for f in all_facts if f.severity != "variant"]
    unlikely = sum(1 for f in conflicts if level(f.score) not in SHOWN_LEVELS)
    variants = len(all_facts) - len(conflicts)
    kinds = sorted({f.kind for f in all_facts} | ({"quote"} if briefing.quotes else set()),
                   key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else 99)  # fmt: skip
    counts = (
        Count(len(briefing.events), "events" if len(briefing.events) != 1 else "event"),
        Count(len(reports), "sources" if len(reports) != 1 else "source"),
        Count(
            len(conflicts) - unlikely,
            "likely or possible disagreement" + ("s" if len(conflicts) - unlikely != 1 else ""),
        ),
        Count(unlikely, "unlikely ones" if unlikely != 1 else "unlikely one"),
        Count(variants, "names spelled differently" if variants != 1 else "name spelled differently"),
        *([Count(len(briefing.dismissed), "dismissed by an analyst")] if briefing.dismissed else []),
    )
    return BriefingView(
        title=briefing.title,
        lang="en",
        generated=briefing.generated.replace("T", " ").replace("Z", " UTC"),
        generated_iso=briefing.generated,
        generator=f"reporter {briefing.version}",
        description=", ".join(f"{c.value} {c.label}" for c in counts),
        period=period,
        version=briefing.version,
        page_size=PAGE_SIZES[paper],
        counts=counts,
        legend=LEGEND,
        facts=tuple(disputed),
        top_facts=tuple(disputed[:TOP_FACTS]),
        top_note="" if disputed else "No source likely contradicts another.",
        unlikely_note=(
            f"{plural(unlikely, 'unlikely disagreement')} (under 20%) not listed here; "
            "each event counts its own, and the HTML briefing lists them there, collapsed."
            if unlikely
            else ""
        ),
        events=event_views,
        texts=texts,
        sources=tuple(_source(a) for a in reports if a.id in in_shown),
        references=tuple(_source(a) for a in briefing.articles if a.role == "reference"),
        skipped=tuple((s.path, s.reason) for s in briefing.skipped[:SKIPPED_SHOWN]),
        skipped_more=(
            f"… and {len(briefing.skipped) - SKIPPED_SHOWN:,} more files not read; briefing.json lists every one."
            if len(briefing.skipped) > SKIPPED_SHOWN
            else ""
        ),
        notes=split.general if split else None,
        notes_unmatched=(
            "No event matches these headings: " + "; ".join(split.unmatched) + "." if split and split.unmatched else ""
        ),
        omitted=_omitted(briefing, len(shown), len(in_shown)),
        filter_events=tuple(Option(e.id, e.heading) for e in event_views),
        filter_kinds=tuple(Option(k, KIND_LABELS.get(k, k)) for k in kinds),
        filter_levels=tuple(Option(v, label) for v, label in LEVEL_OPTIONS),
        window=_window(briefing.window),
        changes=_changes(briefing, index, events),
    )


def _verdict(review: Review | None) -> str:
    if review is None:
        return ""
    when = f" on {fmt_date(date.fromisoformat(review.reviewed))}" if _is_iso(review.reviewed) else ""
    return f"Reviewed{when}: {review.status}, “{review.reason}”"


def _is_iso(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _window(window: Window | None) -> str:
    """Say which publication dates the briefing covers and what the window left out."""
    if window is None:
        return ""
    span = date_range(window.since, window.until) if window.since and window.until else window.label
    parts = [f"Reports published {span}" if window.since and window.until else f"Window {span}"]
    parts.append(f"{plural(window.outside, 'report')} outside it left out")
    if window.undated:
        parts.append(f"{plural(window.undated, 'undated report')} kept")
    return "; ".join(parts) + "."


def _changes(briefing: Briefing, index: _Index, events: dict[str, Event]) -> ChangesView:
    """Build the changes section: new, still open and resolved flags, and dismissed ones."""
    dismissed = tuple(
        ChangeItem(
            text=f"{KIND_LABELS.get(d.kind, d.kind)}: {_values(d.a.value, d.b.value)}",
            detail=f"{index.label(d.a.article)} vs {index.label(d.b.article)} · {review.reason}",
            href="",
        )
        for d, review in briefing.dismissed
    )
    changes = briefing.changes
    if changes is None:
        return ChangesView(bool(dismissed), "", "", (), (), "", dismissed)

    def item(d: Discrepancy) -> ChangeItem:
        title = events[d.event].title if d.event in events else ""
        return ChangeItem(
            text=f"{KIND_LABELS.get(d.kind, d.kind)} {SEVERITY_WORDS.get(d.severity, d.severity)}: "
            f"{_values(d.a.value, d.b.value)}",
            detail=f"{title} · {index.label(d.a.article)} vs {index.label(d.b.article)}",
            href=f"#{d.id}",
        )

    def past(flag: PastFlag) -> ChangeItem:
        how = "a source was corrected" if {flag.a_path, flag.b_path} & set(changes.corrected) else "no longer found"
        return ChangeItem(
            text=f"{KIND_LABELS.get(flag.kind, flag.kind)} {SEVERITY_WORDS.get(flag.severity, flag.severity)}: "
            f"{_values(flag.a_value, flag.b_value)}",
            detail=f"{flag.event} · {_file_name(flag.a_path)} vs {_file_name(flag.b_path)} · {how}",
            href="",
        )

    new = tuple(item(d) for d in briefing.discrepancies if changes.status.get(d.id) == "new")
    still = sum(1 for d in briefing.discrepancies if changes.status.get(d.id) == "open")
    generated = changes.previous.replace("T", " ").replace("Z", " UTC")
    window = f" (window {changes.previous_window})" if changes.previous_window else ""
    summary = [
        plural(len(new), "new flag"),
        f"{still} still open",
        f"{len(changes.resolved)} resolved",
        plural(changes.articles_new, "new article"),
    ]
    if changes.corrected:
        summary.append(plural(len(changes.corrected), "corrected article"))
    if changes.grouping:
        summary.append(plural(len(changes.grouping), "grouping change"))
    return ChangesView(
        shown=True,
        since=f"Compared with the briefing generated {generated}{window}.",
        summary=", ".join(summary) + ".",
        new=new,
        resolved=tuple(past(f) for f in changes.resolved),
        gone=(
            f"{plural(changes.gone, 'flag')} of the last briefing concerned articles this one does not cover."
            if changes.gone
            else ""
        ),
        dismissed=dismissed,
        grouping=tuple(_grouping(g, events) for g in changes.grouping),
    )


def _grouping(change: GroupingChange, events: dict[str, Event]) -> ChangeItem:
    """Say in one line how the last briefing's grouping of articles changed."""
    before = " and ".join(f"“{t}”" for t in change.before)
    now = [events[e].title if e in events else e for e in change.events]
    new = f" with {plural(change.articles, 'new article')}" if change.articles else ""
    if change.kind == "joined":
        text = f"{plural(change.articles, 'article')} joined the event “{now[0]}”"
        detail = f"it was “{change.before[0]}”" if change.before[0] != now[0] else "an event of the last briefing"
    elif change.kind == "merged":
        text = f"Events {before} merged"
        detail = f"now “{now[0]}”{new}"
    else:
        text = f"Event {before} split into {len(now)} events"
        detail = " · ".join(f"“{t}”" for t in now)
    return ChangeItem(text=text, detail=detail, href=f"#{change.events[0]}" if change.events[0] in events else "")


def _values(a: str, b: str) -> str:
    """Two values side by side, each cut short: a quotation is named, not reprinted, in a list of changes."""
    return f"{shorten(a, CHANGE_VALUE)} vs {shorten(b, CHANGE_VALUE)}"


def _file_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _join(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _pieces(text: str, marks: Iterable[tuple[int, int, Discrepancy, str]]) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    pos = 0
    for start, end, d, side in sorted(marks, key=lambda m: (m[0], -m[1])):
        kind = KIND_LABELS.get(d.kind, d.kind)
        if start < pos:
            # overlaps a value already marked: keep its id as an empty anchor so links to it still land
            pieces.append(Piece("", id=_mark_id(d, side), href=f"#{d.id}", css=f"anchor {d.severity}"))
            continue
        if start > pos:
            pieces.append(Piece(text[pos:start]))
        pieces.append(
            Piece(
                text[start:end],
                id=_mark_id(d, side),
                href=f"#{d.id}",
                css=f"flagged {d.severity}",
                title=f"{kind}: {SEVERITY_WORDS.get(d.severity, d.severity)}",
            )
        )
        pos = end
    if pos < len(text):
        pieces.append(Piece(text[pos:]))
    return tuple(pieces)


def _paragraphs(article: Article, sents: Sequence[Sentence]) -> list[list[Sentence]]:
    """Regroup sentences into the article's paragraphs (blank lines in its cleaned text)."""
    paragraphs: list[list[Sentence]] = [[]]
    pos = 0
    for s in sents:
        at = article.text.find(s.text, pos)
        if at >= 0:
            if paragraphs[-1] and re.search(r"\n\s*\n", article.text[pos:at]):
                paragraphs.append([])
            pos = at + len(s.text)
        paragraphs[-1].append(s)
    return [p for p in paragraphs if p]


def _text(
    article: Article,
    index: _Index,
    marks: dict[int, list[tuple[int, int, Discrepancy, str]]],
    unique: set[int],
) -> TextView:
    source = _source(article)
    sents = index.briefing.sentences.get(article.id, ())
    markdown = None
    if article.markdown:
        value_marks = [
            ValueMark(
                d.a.value if side == "a" else d.b.value,
                sents[at].text,
                _mark_id(d, side),
                f"#{d.id}",
                f"flagged {d.severity}",
            )
            for at, found in sorted(marks.items())
            for _, _, d, side in found
        ]
        markdown = render_marked(article.markdown, value_marks) if value_marks else render_markdown(article.markdown)
    paragraphs = tuple(
        tuple(
            SentenceView(
                id=_sentence_id(article.id, s.index),
                css="s unique" if s.index in unique else "s",
                pieces=_pieces(s.text, marks.get(s.index, ())),
            )
            for s in para
        )
        for para in _paragraphs(article, sents)
    )
    meta = [source.published, plural(article.words, "word"), f"boilerplate removed: {source.removed}"]
    count = sum(len(v) for v in marks.values())
    return TextView(
        source=source,
        heading=f"{source.label} — {source.title}" if source.label != source.title else source.label,
        meta=" · ".join(meta),
        paragraphs=paragraphs,
        markdown=markdown,
        flagged=plural(count, "flagged value") if count else "",
    )


def _omitted(briefing: Briefing, events: int, sources: int) -> str:
    """Say what a shortened view leaves out; empty when it shows everything."""
    total = len(briefing.events)
    if events >= total:
        return ""
    reports = sum(1 for a in briefing.articles if a.role == "report")
    return (
        f"This document shows the {plural(events, 'most significant event')} of {total:,} "
        f"(most to look at first) and their {plural(sources, 'source')}. "
        f"briefing.html and briefing.json hold all {total:,} events, {reports:,} sources and every flag."
    )
