"""Reading an article takes time in proportion to its length, whatever it is made of.

An article of 30,000 years once took 51 s to read, because each year was checked against
every date and year before it. Timing a size and four times that size tells a linear
reader (about 8 times slower for 8 times the text) from a quadratic one (about 64 times) on
any machine, where
an absolute limit would fail on a slow or busy one. tests/bench/adversarial.py times the
same shapes, and more, at the full 300,000 characters.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from reporter.clean import clean
from reporter.extract import sentences
from reporter.model import RawArticle
from reporter.names import name_index

SIZE = 5_000  # characters
GROWTH = 8  # the larger text is this many times longer
LIMIT = 20.0  # eight times the text may take at most twenty times as long; a quadratic reader takes about 64


def _filled(unit: str) -> Callable[[int], str]:
    return lambda size: "Officials said the record reads " + unit * (size // len(unit)) + " and nothing more."


SHAPES = {
    "years": _filled("1999 "),
    "iso dates": _filled("2024-05-06 "),
    "month days": _filled("May 5, 2024 "),
    "day months": _filled("5 May 2024 "),
    "weekdays": _filled("on Monday "),
    "figures": _filled("7 "),
    "ranges": _filled("1 to 2 "),
    "quoted words": _filled('"a b" '),
    "single quotes": _filled("‘a b’ "),
    "quotes with speakers": _filled('"We will stay," said Ann Lee. '),
    "quotes given to he": _filled('Ann Lee spoke. "We will stay," he said '),
    "capitalised words": _filled("Abc "),
    "names": _filled("Ann Lee and Bob Ray "),
}


def _read(text: str) -> None:
    article = clean(RawArticle(path="a.txt", format="txt", text=text))
    name_index(sentences(article))


def _seconds(text: str) -> float:
    """Return the least of three timings of reading the text: the one least disturbed by other work."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        _read(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("shape", SHAPES)
def test_reading_time_grows_linearly(shape: str) -> None:
    make = SHAPES[shape]
    _read(make(SIZE))  # warm caches and lazy imports
    small, large = _seconds(make(SIZE)), _seconds(make(GROWTH * SIZE))
    ratio = large / max(small, 1e-4)
    assert ratio < LIMIT, f"{shape}: {GROWTH}x the text took {ratio:.1f}x the time ({small:.4f} s, then {large:.4f} s)"
