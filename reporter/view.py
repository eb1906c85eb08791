"""Turn a Briefing into view models: every string the templates show, formatted here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from .model import Article, Briefing, Discrepancy, Event, Side


@dataclass(frozen=True)
class Marked:
    """A sentence cut around the value to highlight."""

    before: str
    value: str
    after: str


@dataclass(frozen=True)
class SourceView:
    id: str
    label: str  # outlet, else file name
    path: str
    title: str
    published: str
    url: str | None
    words: int
    removed: int
    role: str


@dataclass(frozen=True)
class SideView:
    source: str
    marked: Marked


@dataclass(frozen=True)
class FlagView:
    id: str
    kind: str
    severity: str
    confidence: str
    note: str
    a: SideView
    b: SideView


@dataclass(frozen=True)
class EventView:
    id: str
    title: str
    dates: str
    why: str
    sources: tuple[SourceView, ...]
    conflicts: tuple[FlagView, ...]
    variants: tuple[FlagView, ...]


@dataclass(frozen=True)
class BriefingView:
    title: str
    generated: str
    period: str
    counts: tuple[tuple[str, int], ...]
    events: tuple[EventView, ...]
    sources: tuple[SourceView, ...]
    references: tuple[SourceView, ...]
    skipped: tuple[tuple[str, str], ...]
    version: str


def fmt_date(value: date | None) -> str:
    """Format a date as '25 Nov 2024', or 'undated'."""
    return value.strftime("%d %b %Y").lstrip("0") if value else "undated"


def date_range(start: date | None, end: date | None) -> str:
    """Format a date range compactly."""
    if start is None:
        return "undated"
    if end is None or end == start:
        return fmt_date(start)
    return f"{fmt_date(start)} – {fmt_date(end)}"


def confidence(score: float) -> str:
    """Say a 0-1 score in plain words."""
    if score >= 0.75:
        return f"high ({score:.2f})"
    if score >= 0.5:
        return f"medium ({score:.2f})"
    return f"low ({score:.2f})"


def _source(article: Article) -> SourceView:
    label = article.outlet or article.path.rsplit("/", 1)[-1]
    return SourceView(
        id=article.id,
        label=label,
        path=article.path,
        title=article.title or "(no title)",
        published=fmt_date(article.published),
        url=article.url,
        words=article.words,
        removed=len(article.removed),
        role=article.role,
    )


def _side(side: Side, articles: dict[str, Article]) -> SideView:
    s = side.sentence
    return SideView(
        source=_source(articles[side.article]).label,
        marked=Marked(s[: side.start], s[side.start : side.end], s[side.end :]),
    )


def _flag(d: Discrepancy, articles: dict[str, Article]) -> FlagView:
    return FlagView(
        id=d.id,
        kind=d.kind,
        severity=d.severity,
        confidence=confidence(d.score),
        note=d.note,
        a=_side(d.a, articles),
        b=_side(d.b, articles),
    )


def _event(event: Event, briefing: Briefing, articles: dict[str, Article]) -> EventView:
    flags = [d for d in briefing.discrepancies if d.event == event.id]
    return EventView(
        id=event.id,
        title=event.title,
        dates=date_range(event.start, event.end),
        why=event.why,
        sources=tuple(_source(articles[a]) for a in event.articles),
        conflicts=tuple(_flag(d, articles) for d in flags if d.severity == "conflict"),
        variants=tuple(_flag(d, articles) for d in flags if d.severity == "variant"),
    )


def build_view(briefing: Briefing) -> BriefingView:
    """Build the view model the HTML and PDF templates render."""
    articles = {a.id: a for a in briefing.articles}
    severities = Counter(d.severity for d in briefing.discrepancies)
    dated = [a.published for a in briefing.articles if a.published and a.role == "report"]
    period = date_range(min(dated), max(dated)) if dated else "undated"
    return BriefingView(
        title=briefing.title,
        generated=briefing.generated.replace("T", " ").replace("Z", " UTC"),
        period=period,
        counts=(
            ("events", len(briefing.events)),
            ("sources", sum(1 for a in briefing.articles if a.role == "report")),
            ("conflicts", severities["conflict"]),
            ("variants", severities["variant"]),
        ),
        events=tuple(_event(e, briefing, articles) for e in briefing.events),
        sources=tuple(_source(a) for a in briefing.articles if a.role == "report"),
        references=tuple(_source(a) for a in briefing.articles if a.role == "reference"),
        skipped=tuple((s.path, s.reason) for s in briefing.skipped),
        version=briefing.version,
    )
