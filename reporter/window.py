"""Date windows: which reports a run covers, by publication date (`--since/--until/--week/--last`)."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from .model import Article, Window

_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$", re.I)
_LAST = re.compile(r"^(\d+)\s*([dw])$", re.I)


def parse_date(value: str) -> date:
    """Parse YYYY-MM-DD; raise ValueError saying what was expected."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"must be a date as YYYY-MM-DD, not '{value}'") from None


def parse_week(value: str) -> tuple[date, date]:
    """Return the Monday and Sunday of an ISO week such as 2024-W48."""
    match = _WEEK.match(value.strip())
    if not match:
        raise ValueError(f"must be an ISO week such as 2024-W48, not '{value}'")
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValueError(f"'{value}' is not a week of that year") from None
    return monday, monday + timedelta(days=6)


def parse_last(value: str) -> int:
    """Return the number of days in a span such as 7d or 2w."""
    match = _LAST.match(value.strip())
    if not match or int(match[1]) == 0:
        raise ValueError(f"must be a span such as 7d or 2w, not '{value}'")
    return int(match[1]) * (7 if match[2].lower() == "w" else 1)


def check_week(value: str) -> str:
    parse_week(value)
    return value


def check_last(value: str) -> str:
    parse_last(value)
    return value


def today() -> date:
    """Return today's date, or that of SOURCE_DATE_EPOCH so that runs are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class WindowSpec:
    """A date window as the user gave it; `resolve` turns it into dates."""

    since: date | None = None
    until: date | None = None
    week: str | None = None
    last: str | None = None
    as_of: date | None = None

    def merged(self, other: WindowSpec) -> WindowSpec:
        """Put the parts `other` gives over this one; a week or span given replaces a range, and back."""
        replaces = other.week or other.last or other.since or other.until
        base = WindowSpec(as_of=self.as_of) if replaces else self
        given = {k: v for k, v in vars(other).items() if v is not None}
        return replace(base, **given).checked()

    def checked(self) -> WindowSpec:
        """Return self, or raise ValueError when the parts contradict each other."""
        chosen = [name for name, on in (("week", self.week), ("last", self.last)) if on]
        if self.since or self.until:
            chosen.append("since/until")
        if len(chosen) > 1:
            raise ValueError(f"give one of week, last or since/until, not {' and '.join(chosen)}")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")
        return self

    def resolve(self) -> Window | None:
        """Return the window's first and last day (inclusive), or None when there is no window."""
        if self.week:
            since, until = parse_week(self.week)
            return Window(since, until, self.week.upper())
        if self.last:
            end = self.as_of or today()
            days = parse_last(self.last)
            return Window(end - timedelta(days=days - 1), end, f"{self.last} to {end.isoformat()}")
        if self.since or self.until:
            label = (
                f"{self.since.isoformat() if self.since else '…'} to {self.until.isoformat() if self.until else '…'}"
            )
            return Window(self.since, self.until, label)
        return None


def select(articles: Sequence[Article], window: Window | None) -> tuple[list[Article], Window | None]:
    """Keep the reports published inside the window, undated ones and every reference note.

    Returns the articles kept and the window with its counts filled in.
    """
    if window is None:
        return list(articles), None
    kept: list[Article] = []
    outside = undated = 0
    for article in articles:
        if article.role == "reference":
            kept.append(article)
        elif article.published is None:
            undated += 1
            kept.append(article)
        elif (window.since and article.published < window.since) or (window.until and article.published > window.until):
            outside += 1
        else:
            kept.append(article)
    return kept, replace(window, outside=outside, undated=undated)
