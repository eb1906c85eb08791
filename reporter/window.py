"""Date windows: which reports a run covers, by publication date (`--since/--until/--week/--last`).

Every date and span a user gives, on the command line, in briefing.toml or in
SOURCE_DATE_EPOCH, is read by the parsers here. They bound what they accept so that
the arithmetic of a window (a span back from a day, the Sunday of a week) can never
leave the calendar Python can represent.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from .errors import UsageError
from .model import Article, Window

FIRST_DAY = date(1000, 1, 1)
LAST_DAY = date(9000, 12, 31)
MAX_DAYS = 36_500  # a span of --last: a hundred years, far beyond any archive of news
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
LAST_EPOCH = int((datetime.combine(LAST_DAY, datetime.max.time(), tzinfo=UTC) - _EPOCH).total_seconds())

# ASCII digits only: \d would take other scripts' digits, and int() of thousands of digits raises
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_WEEK = re.compile(r"^([0-9]{4})-?W([0-9]{2})$", re.I)
_LAST = re.compile(r"^([0-9]{1,9})\s*([dw])$", re.I)
_SECONDS = re.compile(r"^[0-9]{1,15}$")


def shown(value: object, limit: int = 40) -> str:
    """Return a value as an error message quotes it: cut short when long."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_date(value: str | date) -> date:
    """Parse YYYY-MM-DD (or take a date) between FIRST_DAY and LAST_DAY; raise ValueError saying what was expected."""
    if isinstance(value, datetime):  # TOML's 2024-01-01T10:00:00Z is a datetime, a kind of date
        raise ValueError(f"must be a date as YYYY-MM-DD, not a date and time ({value.isoformat()})")
    if isinstance(value, date):
        day = value
    else:
        match = _DATE.match(value.strip()) if isinstance(value, str) else None
        if match is None:
            raise ValueError(f"must be a date as YYYY-MM-DD, not '{shown(value)}'")
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise ValueError(f"'{shown(value)}' is not a day of the calendar") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"must be a date from {FIRST_DAY} to {LAST_DAY}, not {day.isoformat()}")
    return day


def parse_week(value: str) -> tuple[date, date]:
    """Return the Monday and Sunday of an ISO week such as 2024-W48."""
    match = _WEEK.match(value.strip())
    if not match:
        raise ValueError(f"must be an ISO week such as 2024-W48, not '{shown(value)}'")
    year = int(match[1])
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise ValueError(f"must be a week of the years {FIRST_DAY.year} to {LAST_DAY.year}, not '{shown(value)}'")
    try:
        monday = date.fromisocalendar(year, int(match[2]), 1)
    except ValueError:
        raise ValueError(f"'{shown(value)}' is not a week of that year") from None
    return monday, monday + timedelta(days=6)


def parse_last(value: str) -> int:
    """Return the number of days in a span such as 7d or 2w, at most MAX_DAYS."""
    match = _LAST.match(value.strip())
    if not match or int(match[1]) == 0:
        raise ValueError(f"must be a span such as 7d or 2w, not '{shown(value)}'")
    days = int(match[1]) * (7 if match[2].lower() == "w" else 1)
    if days > MAX_DAYS:
        raise ValueError(f"must be at most {MAX_DAYS} days ({MAX_DAYS // 7}w), not '{shown(value)}'")
    return days


def check_week(value: str) -> str:
    parse_week(value)
    return value.strip()


def check_last(value: str) -> str:
    parse_last(value)
    return value.strip()


def source_date_epoch() -> datetime | None:
    """Return the moment SOURCE_DATE_EPOCH names (None when unset or empty); raise UsageError when it names none.

    The reproducible-builds convention: a whole number of seconds since 1970-01-01 UTC.
    A malformed value stops the run rather than be ignored, so that a build meant to be
    reproducible never silently takes the clock's time.
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not _SECONDS.match(raw) or int(raw) > LAST_EPOCH:
        raise UsageError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds from 0 to {LAST_EPOCH} "
            f"(1970-01-01 to {LAST_DAY} UTC), not '{shown(raw)}'"
        )
    return _EPOCH + timedelta(seconds=int(raw))


def today() -> date:
    """Return today's date, or that of SOURCE_DATE_EPOCH so that runs are reproducible."""
    moment = source_date_epoch()
    return moment.date() if moment else date.today()


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
