"""Turn figures, dates and names written in input into bounded values, and names into one printable line.

Input is anybody's text: a figure of 309 digits, a year 1 or a file name holding a
newline must not end a run or forge a line of output. Past these bounds a figure or a
date is not a value at all (the text around it is still read); a name is shown with
escapes instead of the characters that would break a line or a terminal.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

# A float holds 15 significant digits exactly; a longer run of digits is an identifier
# (a phone or account number), not a count a news story would compare. Checked before
# conversion, so "9" * 309 never becomes infinity.
MAX_DIGITS = 15
MAX_FIGURE = 1e15  # after a scale word: "5 trillion" is 5e12, "9,999 trillion" is not a figure
# A publication or reported date is resolved by moving it a few days ("last Monday") or
# years ("November 25" in the year nearest the article's); these bounds leave room for
# that within Python's calendar (years 1 to 9999). A four-digit year below 1000 is a typo.
MIN_YEAR = 1000
MAX_YEAR = 9990


def figure(digits: str, decimals: str | None = None, scale: int = 1) -> float | None:
    """Return the value of a figure written in digits ("4,500", "3" "25", scale 1,000); None when out of bounds."""
    whole = digits.replace(",", "").lstrip("0")
    if len(whole) > MAX_DIGITS or (decimals is not None and len(decimals) > MAX_DIGITS):
        return None
    return bounded(float((whole or "0") + ("." + decimals if decimals else "")) * scale)


def bounded(value: float) -> float | None:
    """Return a figure's value, or None when it is too large to be a figure (or not finite)."""
    return value if -MAX_FIGURE <= value <= MAX_FIGURE else None


def calendar_date(year: int, month: int, day: int) -> date | None:
    """Return the date, or None when there is no such day or the year is out of bounds."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def in_bounds(day: date) -> bool:
    """Tell whether a date lies within the years that dates are read in."""
    return MIN_YEAR <= day.year <= MAX_YEAR


def shifted(day: date, days: int) -> date | None:
    """Return the date `days` later (earlier when negative), or None past the calendar's ends."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


# Characters that break a line or act on a terminal: C0 and C1 controls (newline, escape),
# the line and paragraph separators, the bidirectional controls that reorder what follows
# them, a byte-order mark, and lone surrogates (a byte that was not UTF-8 in a file name
# comes back from the system as one).
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """Return text on one printable line: controls as \\n, \\x1b or \\u202e, a byte that was not UTF-8 as \\xff.

    Everything else, backslashes included, stays as it is, so printing a printable text
    again changes nothing.
    """
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the byte that os.fsdecode kept as a surrogate
    if char in _SHORT:
        return _SHORT[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
