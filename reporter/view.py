"""Turn a Briefing into view models: every string, date, class and highlight the templates show."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from markupsafe import Markup

from .model import Article, Briefing, Discrepancy, Event, PastFlag, QuotePair, Review, Sentence, Side, Window
from .notes import Notes, ValueMark, render_markdown, render_marked, split_notes
from .wording import (
    Marked,
    Segment,
    confidence,
    confidence_text,
    date_range,
    excerpt,
    fmt_date,
    parse_diff,
    plural,
    safe_url,
    shorten,
    word_diff,
)

Paper = Literal["a4", "letter"]
PAGE_SIZES: dict[str, str] = {"a4": "A4", "letter": "letter"}  # CSS @page size keywords
TOP_CONFLICTS = 3  # conflicts named on the cover
SYNOPSIS_CLAIMS = 5  # agreed claims shown per event
AGREE_SCORE = 0.45  # alignment score from which two sentences say the same thing, for the synopsis
UNIQUE_SHOWN = 3  # claims shown per source under "Only in ..."; the rest are shaded in the source text
# files not read listed by name; past this a folder of junk (100,000 skipped files) made a PDF of
# thousands of pages, minutes and gigabytes: the rest is counted, and briefing.json lists every one
SKIPPED_SHOWN = 200
DIFF_MIN_SHARED = 0.35  # below this share of common words a word diff is noise, so it is summarised instead
RUNNING_HEADER = 60  # characters of an event heading that fit the PDF's running header on one line
KIND_LABELS = {
    "number": "number",
    "year": "year",
    "date": "date",
    "name": "name",
    "quote": "quote",
    "reference": "reference check",
}
KIND_ORDER = ("reference", "number", "date", "year", "name", "quote")
GRADE_LABELS = {
    "same": "same words",
    "partial": "one quotes part of the other",
    "reworded": "reworded",
    "contradicting": "contradicting",
}
CHANGE_VALUE = 60  # characters of a value shown in the list of changes
STATUS_LABELS = {"new": "new", "open": "still open"}
SEVERITY_LABELS = {"conflict": "conflicts", "variant": "variants", "none": "quotes not flagged"}


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
    label: str  # outlet, else file name
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
    """One source's side of a flag: its sentence, the value, and links to the source text."""

    source: str
    source_href: str
    marked: Marked
    excerpt: Marked  # a window of the sentence around the value
    value: str
    text_href: str  # the value marked in the source text


@dataclass(frozen=True)
class FlagView:
    """A discrepancy as shown in an event, on the cover and in the digest."""

    id: str
    href: str
    event: str
    event_title: str
    kind: str
    kind_label: str
    severity: str
    severity_label: str
    css: str
    confidence: str
    confidence_text: str
    note: str
    values: str
    a: SideView
    b: SideView
    diff: tuple[Segment, ...]
    diff_note: str  # said instead of the diff when the sentences share too few words
    status: str  # "new" or "still open" against the last briefing; "" without an archive
    review: str  # an analyst's verdict, when the flag was accepted


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
    severity: str  # conflict, variant or none: the filter's value
    flag: str  # confidence of the flag, or that it was not flagged
    flag_href: str  # the conflict entry this quote is shown under, when it is one
    a: SideView
    b: SideView
    diff: tuple[Segment, ...]


@dataclass(frozen=True)
class ClaimView:
    """A claim two or more independent sources report."""

    text: str
    href: str
    sources: str
    disputed: tuple[Link, ...]  # conflicts found in the sentences of this claim


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

    shown: bool  # the briefing has reference notes, or a flag to show
    checked: str
    notes: tuple[Link, ...]
    flags: tuple[FlagView, ...]
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
    synopsis: tuple[ClaimView, ...]
    synopsis_note: str
    conflicts: tuple[FlagView, ...]
    conflicts_note: str
    quotes: tuple[QuoteView, ...]
    variants: tuple[FlagView, ...]
    references: ReferenceView
    unique: tuple[UniqueView, ...]
    variants_heading: str
    source_count: int
    conflict_count: int
    variant_count: int


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
    summary: str
    new: tuple[ChangeItem, ...]
    still_open: tuple[ChangeItem, ...]
    resolved: tuple[ChangeItem, ...]
    gone: str
    dismissed: tuple[ChangeItem, ...]


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
    conflicts: tuple[FlagView, ...]  # every conflict, most important first
    top_conflicts: tuple[FlagView, ...]
    top_note: str
    events: tuple[EventView, ...]
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
    filter_severities: tuple[Option, ...]
    window: str  # the date window and what it left out; "" without one
    changes: ChangesView


def _removed(article: Article) -> str:
    if not article.removed:
        return "none"
    gone = sum(len(r.text.split()) for r in article.removed)
    share = gone / max(gone + article.words, 1)
    return f"{plural(len(article.removed), 'line')}, {plural(gone, 'word')} ({share:.0%})"


def _label(article: Article) -> str:
    return article.outlet or article.path.rsplit("/", 1)[-1]


def _source(article: Article) -> SourceView:
    anchor = f"src-{article.id}"
    return SourceView(
        id=article.id,
        anchor=anchor,
        href=f"#{anchor}",
        label=_label(article),
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
    """Look up sentences and the records of a briefing by the keys the view needs."""

    def __init__(self, briefing: Briefing) -> None:
        self.briefing = briefing
        self.articles = {a.id: a for a in briefing.articles}
        self.positions: dict[tuple[str, str], int] = {}
        for article, sents in briefing.sentences.items():
            for s in sents:
                self.positions.setdefault((article, s.text), s.index)
        self.whole_texts: set[str] = set()  # articles shown as rendered Markdown: no per-sentence anchors
        self.marked: set[str] = set()  # ids of the flagged values marked in the source texts

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
        """Name an article as tables do: its outlet, else its file name."""
        found = self.articles.get(article)
        return _label(found) if found else article

    def sentence_href(self, article: str, index: int | None) -> str:
        """Link to a sentence in the source text, or to the whole text where sentences have no anchor."""
        if index is None or article in self.whole_texts:
            return f"#src-{article}"
        return f"#{_sentence_id(article, index)}"


def _side(side: Side, index: _Index, mark_id: str | None) -> SideView:
    s = side.sentence
    article = index.articles[side.article]
    return SideView(
        source=_label(article),
        source_href=f"#src-{article.id}",
        marked=Marked(s[: side.start], s[side.start : side.end], s[side.end :]),
        excerpt=excerpt(s, side.start, side.end),
        value=side.value,
        text_href=f"#{mark_id}" if mark_id in index.marked else index.sentence_href(side.article, index.locate(side)),
    )


def _quote_for(flag: Discrepancy, quotes: Sequence[QuotePair]) -> QuotePair | None:
    for q in quotes:
        if q.event == flag.event and q.a == flag.a and q.b == flag.b:
            return q
    return None


def _flag(d: Discrepancy, index: _Index, events: dict[str, Event]) -> FlagView:
    quote = _quote_for(d, index.briefing.quotes) if d.kind == "quote" else None
    note = d.note
    if quote is not None:
        diff = parse_diff(quote.diff)
        diff_note = ""
        note = note.split("; words: ", 1)[0]  # the words are shown as a diff below
    else:
        diff, shared = word_diff(d.a.sentence, d.b.sentence)
        diff_note = ""
        if shared < DIFF_MIN_SHARED:
            diff = ()
            diff_note = (
                f"The two sentences are worded differently ({shared:.0%} of their words in common), "
                "so only the values are compared."
            )
    return FlagView(
        id=d.id,
        href=f"#{d.id}",
        event=d.event,
        event_title=events[d.event].title if d.event in events else "",
        kind=d.kind,
        kind_label=KIND_LABELS.get(d.kind, d.kind),
        severity=d.severity,
        severity_label=d.severity,
        css=f"flag {d.severity} kind-{d.kind}",
        confidence=confidence(d.score),
        confidence_text=confidence_text(d.score, d.severity),
        note=note,
        values=f"{d.a.value} vs {d.b.value}",
        a=_side(d.a, index, _mark_id(d, "a")),
        b=_side(d.b, index, _mark_id(d, "b")),
        diff=diff,
        diff_note=diff_note,
        status=STATUS_LABELS.get(index.briefing.changes.status.get(d.id, ""), "") if index.briefing.changes else "",
        review=_verdict(index.briefing.reviews.get(d.id)),
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
        return ChangesView(bool(dismissed), "", "", (), (), (), "", dismissed)

    def item(d: Discrepancy) -> ChangeItem:
        title = events[d.event].title if d.event in events else ""
        return ChangeItem(
            text=f"{KIND_LABELS.get(d.kind, d.kind)} {d.severity}: {_values(d.a.value, d.b.value)}",
            detail=f"{title} · {index.label(d.a.article)} vs {index.label(d.b.article)}",
            href=f"#{d.id}",
        )

    def past(flag: PastFlag) -> ChangeItem:
        how = "a source was corrected" if {flag.a_path, flag.b_path} & set(changes.corrected) else "no longer found"
        return ChangeItem(
            text=f"{KIND_LABELS.get(flag.kind, flag.kind)} {flag.severity}: {_values(flag.a_value, flag.b_value)}",
            detail=f"{flag.event} · {_file_name(flag.a_path)} vs {_file_name(flag.b_path)} · {how}",
            href="",
        )

    new = tuple(item(d) for d in briefing.discrepancies if changes.status.get(d.id) == "new")
    still = tuple(item(d) for d in briefing.discrepancies if changes.status.get(d.id) == "open")
    generated = changes.previous.replace("T", " ").replace("Z", " UTC")
    window = f" (window {changes.previous_window})" if changes.previous_window else ""
    summary = [
        plural(len(new), "new flag"),
        f"{len(still)} still open",
        f"{len(changes.resolved)} resolved",
        plural(changes.articles_new, "new article"),
    ]
    if changes.corrected:
        summary.append(plural(len(changes.corrected), "corrected article"))
    return ChangesView(
        shown=True,
        since=f"Compared with the briefing generated {generated}{window}.",
        summary=", ".join(summary) + ".",
        new=new,
        still_open=still,
        resolved=tuple(past(f) for f in changes.resolved),
        gone=(
            f"{plural(changes.gone, 'flag')} of the last briefing concerned articles this one does not cover."
            if changes.gone
            else ""
        ),
        dismissed=dismissed,
    )


def _values(a: str, b: str) -> str:
    """Two values side by side, each cut short: a quotation is named, not reprinted, in a list of changes."""
    return f"{shorten(a, CHANGE_VALUE)} vs {shorten(b, CHANGE_VALUE)}"


def _file_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _quote(q: QuotePair, n: int, flag: Discrepancy | None, index: _Index) -> QuoteView:
    in_conflicts = flag is not None and flag.severity == "conflict"
    own_id = flag.id if flag is not None and not in_conflicts else f"q-{q.event}-{n}"
    return QuoteView(
        id=own_id,
        event=q.event,
        speaker=q.speaker or "Unnamed speaker",
        grade=q.grade,
        grade_label=GRADE_LABELS.get(q.grade, q.grade),
        reason=q.reason,
        css=f"quote grade-{q.grade}",
        severity=flag.severity if flag is not None else "none",
        flag=confidence_text(flag.score, flag.severity) if flag is not None else "Not flagged: the words agree.",
        flag_href=f"#{flag.id}" if in_conflicts and flag is not None else "",
        a=_side(q.a, index, _mark_id(flag, "a") if flag is not None else None),
        b=_side(q.b, index, _mark_id(flag, "b") if flag is not None else None),
        diff=parse_diff(q.diff),
    )


def _copied_pairs(event: Event, briefing: Briefing) -> set[tuple[str, int, str, int]]:
    """List the sentence pairs that are one wire copy run twice, in both orders."""
    pairs: set[tuple[str, int, str, int]] = set()
    for c in briefing.copying:
        if c.event != event.id:
            continue
        for start_a, start_b, length in c.runs:
            for k in range(length):
                pairs.add((c.a, start_a + k, c.b, start_b + k))
                pairs.add((c.b, start_b + k, c.a, start_a + k))
    return pairs


def _synopsis(event: Event, index: _Index, conflicts: Sequence[Discrepancy]) -> tuple[ClaimView, ...]:
    """Pick the claims two or more independent sources state, most widely reported first (extractive)."""
    members = set(event.articles)
    copied = _copied_pairs(event, index.briefing)
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    best: dict[tuple[str, int], float] = defaultdict(float)
    for al in index.briefing.alignments:
        if al.event != event.id or al.a == al.b or not {al.a, al.b} <= members:
            continue
        if (al.a, al.a_index, al.b, al.b_index) in copied:
            continue  # wire copy printed twice is one source, not two
        if al.score < AGREE_SCORE:
            continue  # paired as the likeliest counterpart, but too unalike to call agreement
        ra, rb = root((al.a, al.a_index)), root((al.b, al.b_index))
        if ra != rb:
            parent[ra] = rb
        best[(al.a, al.a_index)] = max(best[(al.a, al.a_index)], al.score)
        best[(al.b, al.b_index)] = max(best[(al.b, al.b_index)], al.score)
    clusters: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for node in list(parent):
        clusters[root(node)].append(node)
    disputed: dict[tuple[str, int], list[Discrepancy]] = defaultdict(list)
    for d in conflicts:
        for side in (d.a, d.b):
            at = index.locate(side)
            if at is not None:
                disputed[(side.article, at)].append(d)
    order = {a: i for i, a in enumerate(event.articles)}
    ranked = []
    for nodes in clusters.values():
        outlets = sorted({a for a, _ in nodes}, key=lambda a: order.get(a, 0))
        if len(outlets) < 2:
            continue
        score = max(best[n] for n in nodes)
        ranked.append((-len(outlets), -score, nodes, outlets))
    ranked.sort(key=lambda r: (r[0], r[1]))
    claims = []
    for _, _, nodes, outlets in ranked[:SYNOPSIS_CLAIMS]:
        texts = {n: index.briefing.sentences[n[0]][n[1]].text for n in nodes}
        shortest = min(nodes, key=lambda n: (len(texts[n]), order.get(n[0], 0), n[1]))
        flags = {d.id: d for n in nodes for d in disputed.get(n, [])}
        claims.append(
            ClaimView(
                text=texts[shortest],
                href=index.sentence_href(*shortest),
                sources=_join([_label(index.articles[a]) for a in outlets]),
                disputed=tuple(Link(f"{KIND_LABELS.get(d.kind, d.kind)} disputed", f"#{d.id}") for d in flags.values()),
            )
        )
    return tuple(claims)


def _join(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _unique(event: Event, index: _Index) -> tuple[UniqueView, ...]:
    views = []
    for article_id in event.articles:
        for u in index.briefing.unique:
            if u.event != event.id or u.article != article_id or not u.sentences:
                continue
            sents = index.briefing.sentences.get(article_id, ())
            richness = {i: len(sents[i].details) if i < len(sents) else 0 for i in u.sentences}
            # the sentences naming most details (numbers, names, dates) say most, so they are shown first
            shown = sorted(sorted(u.sentences, key=lambda i: -richness[i])[:UNIQUE_SHOWN])
            texts = dict(zip(u.sentences, u.texts, strict=False))
            rest = len(u.sentences) - len(shown)
            label = _label(index.articles[article_id])
            views.append(
                UniqueView(
                    heading=f"Only in {label}",
                    source_href=f"#src-{article_id}",
                    items=tuple(Link(texts.get(i, ""), index.sentence_href(article_id, i)) for i in shown),
                    more=f"and {plural(rest, 'more sentence')}, shaded in its text" if rest else "",
                    more_href=f"#src-{article_id}",
                )
            )
    return tuple(views)


def _references(event: Event, index: _Index, flags: tuple[FlagView, ...]) -> ReferenceView:
    refs = {a.id: a for a in index.briefing.articles if a.role == "reference"}
    used = sorted({al.b for al in index.briefing.alignments if al.event == event.id and al.b in refs})
    used += sorted({al.a for al in index.briefing.alignments if al.event == event.id and al.a in refs} - set(used))
    notes = tuple(Link(refs[r].title or _label(refs[r]), f"#src-{r}") for r in used)
    shown = bool(refs or flags)
    if not notes:
        return ReferenceView(shown, "", (), flags, "" if flags else "No reference note covers this event.")
    checked = f"Checked against {plural(len(notes), 'reference note')}:"
    return ReferenceView(shown, checked, notes, flags, "" if flags else "No statement contradicts them.")


def _copies(event: Event, index: _Index) -> tuple[str, ...]:
    lines = []
    for c in index.briefing.copying:
        if c.event == event.id:
            a, b = _label(index.articles[c.a]), _label(index.articles[c.b])
            lines.append(
                f"{a} and {b} share {plural(c.copied, 'sentence')} of the same copy "
                f"({c.share:.0%} of the shorter text); those count once in the synopsis."
            )
    return tuple(lines)


def _event(
    number: int,
    event: Event,
    index: _Index,
    events: dict[str, Event],
    notes: Notes | None,
) -> EventView:
    flags = [d for d in index.briefing.discrepancies if d.event == event.id]
    conflicts = [d for d in flags if d.severity == "conflict" and d.kind != "reference"]
    references = [d for d in flags if d.kind == "reference"]
    quote_flags = {(d.a, d.b): d for d in flags if d.kind == "quote"}
    quotes = [q for q in index.briefing.quotes if q.event == event.id]
    quoted = {(q.a, q.b) for q in quotes}
    variants = [
        d
        for d in flags
        if d.severity == "variant" and d.kind != "reference" and not (d.kind == "quote" and (d.a, d.b) in quoted)
    ]
    conflict_views = tuple(_flag(d, index, events) for d in conflicts)
    compared = len(event.articles) > 1
    all_conflicts = [d for d in flags if d.severity == "conflict"]
    summary = [plural(len(event.articles), "source")]
    summary.append(plural(len(all_conflicts), "conflict"))
    summary.append(plural(sum(d.severity == "variant" for d in flags), "variant"))
    synopsis = _synopsis(event, index, all_conflicts) if compared else ()
    return EventView(
        id=event.id,
        href=f"#{event.id}",
        number=number,
        heading=f"{number}. {event.title}",
        running=shorten(f"{number}. {event.title}", RUNNING_HEADER),
        title=event.title,
        dates=date_range(event.start, event.end),
        why=f"Grouped because: {event.why}" if compared else "A single source reports this event.",
        summary=" · ".join(summary),
        css="event" if compared else "event single",
        sources=tuple(_source(index.articles[a]) for a in event.articles if a in index.articles),
        copies=_copies(event, index),
        notes=notes.by_event.get(event.id) if notes else None,
        compared=compared,
        single_note="" if compared else "Only one source reports this event, so there is nothing to compare.",
        synopsis=synopsis,
        synopsis_note="" if synopsis else "No claim is stated by two independent sources.",
        conflicts=conflict_views,
        conflicts_note="" if conflict_views else "No conflicting details found.",
        quotes=tuple(_quote(q, n, quote_flags.get((q.a, q.b)), index) for n, q in enumerate(quotes, 1)),
        variants=tuple(_flag(d, index, events) for d in variants),
        references=_references(event, index, tuple(_flag(d, index, events) for d in references)),
        unique=_unique(event, index),
        variants_heading="Spelling variants" if all(d.kind == "name" for d in variants) else "Written differently",
        source_count=len(event.articles),
        conflict_count=len(all_conflicts),
        variant_count=len(flags) - len(all_conflicts),
    )


def _marks(index: _Index) -> dict[str, dict[int, list[tuple[int, int, Discrepancy, str]]]]:
    """Collect where each flagged value stands: article -> sentence -> (start, end, flag, side)."""
    found: dict[str, dict[int, list[tuple[int, int, Discrepancy, str]]]] = defaultdict(lambda: defaultdict(list))
    for d in index.briefing.discrepancies:
        if d.severity == "possible":
            continue  # below the confidence cut: counted, not marked in the texts
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
                title=f"{d.severity}: {kind}",
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


def significant_events(briefing: Briefing, limit: int) -> list[Event]:
    """Return the `limit` events a reader should see first, in briefing order.

    An event ranks by its conflicts (how many, then the surest), then by its
    sources: where sources disagree is what the briefing is for.
    """
    conflicts: dict[str, list[float]] = defaultdict(list)
    for d in briefing.discrepancies:
        if d.severity == "conflict":
            conflicts[d.event].append(d.score)
    ranked = sorted(
        range(len(briefing.events)),
        key=lambda i: (
            -len(conflicts[briefing.events[i].id]),
            -max(conflicts[briefing.events[i].id], default=0.0),
            -len(briefing.events[i].articles),
            i,
        ),
    )
    return [briefing.events[i] for i in sorted(ranked[: max(0, limit)])]


def build_view(
    briefing: Briefing, notes: str | None = None, paper: Paper = "a4", max_events: int | None = None
) -> BriefingView:
    """Build the view model the HTML, PDF and Markdown templates render.

    With `max_events`, only that many events (the most significant, see
    significant_events) and their sources are shown, and the view says how many
    more the full briefing holds; the counts still cover the whole briefing.
    """
    index = _Index(briefing)
    events = {e.id: e for e in briefing.events}
    shown = list(briefing.events)
    if max_events is not None and len(shown) > max_events:
        shown = significant_events(briefing, max_events)
    shown_ids = {e.id for e in shown}
    number = {e.id: n for n, e in enumerate(briefing.events, 1)}  # the same numbers as the full briefing
    in_shown = {a for e in shown for a in e.articles}
    split = split_notes(notes, briefing.events) if notes else None
    severities = Counter(d.severity for d in briefing.discrepancies)
    reports = [a for a in briefing.articles if a.role == "report"]
    dated = [a.published for a in reports if a.published]
    period = date_range(min(dated), max(dated)) if dated else "undated"
    marks = _marks(index)
    index.marked = {_mark_id(d, side) for found in marks.values() for at in found.values() for _, _, d, side in at}
    unique = {(u.article, i) for u in briefing.unique for i in u.sentences}
    ordered = [*(a for a in reports if a.id in in_shown), *(a for a in briefing.articles if a.role == "reference")]
    texts = tuple(_text(a, index, marks.get(a.id, {}), {i for art, i in unique if art == a.id}) for a in ordered)
    index.whole_texts = {t.source.id for t in texts if t.markdown is not None}
    event_views = tuple(_event(number[e.id], e, index, events, split) for e in shown)
    conflicts = sorted(
        (d for d in briefing.discrepancies if d.severity == "conflict"),
        key=lambda d: (-d.score, KIND_ORDER.index(d.kind) if d.kind in KIND_ORDER else 99, d.id),
    )
    conflict_views = tuple(_flag(d, index, events) for d in conflicts)
    kinds = sorted({d.kind for d in briefing.discrepancies} | ({"quote"} if briefing.quotes else set()),
                   key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else 99)  # fmt: skip
    entry_severities: set[str] = {d.severity for d in briefing.discrepancies}
    if any(q.severity == "none" for e in event_views for q in e.quotes):
        entry_severities.add("none")
    counts = (
        Count(len(briefing.events), "events" if len(briefing.events) != 1 else "event"),
        Count(len(reports), "sources" if len(reports) != 1 else "source"),
        Count(severities["conflict"], "conflicts" if severities["conflict"] != 1 else "conflict"),
        Count(severities["variant"], "variants" if severities["variant"] != 1 else "variant"),
        *(
            [Count(severities["possible"], "less likely conflicts, in briefing.json only")]
            if severities["possible"]
            else []
        ),
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
        conflicts=conflict_views,
        top_conflicts=tuple(f for f, d in zip(conflict_views, conflicts, strict=True) if d.event in shown_ids)[
            :TOP_CONFLICTS
        ],
        top_note="" if conflicts else "No source contradicts another.",
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
        filter_severities=tuple(
            Option(s, SEVERITY_LABELS[s]) for s in ("conflict", "variant", "none") if s in entry_severities
        ),
        window=_window(briefing.window),
        changes=_changes(briefing, index, events),
    )


def _omitted(briefing: Briefing, events: int, sources: int) -> str:
    """Say what a shortened view leaves out; empty when it shows everything."""
    total = len(briefing.events)
    if events >= total:
        return ""
    reports = sum(1 for a in briefing.articles if a.role == "report")
    return (
        f"This document shows the {plural(events, 'most significant event')} of {total:,} "
        f"(most conflicts first) and their {plural(sources, 'source')}. "
        f"briefing.html and briefing.json hold all {total:,} events, {reports:,} sources and every flag."
    )
