"""Say things as a reader of the briefing sees them: dates, counts, confidence, excerpts, word diffs."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

EXCERPT_CONTEXT = 80  # characters kept either side of a value in excerpts
# a conflict's score is the calibrated probability that the sources really disagree; most
# flags on real news score below 0.2, the surest 0.3-0.9: three levels fit that scale
LEVELS = ((0.5, "likely"), (0.2, "possible"), (0.0, "unlikely"))
SHOWN_LEVELS = ("likely", "possible")  # below these a flag is collapsed in the HTML and left out of the PDF
LEVEL_WORDS = {
    "likely": "likely a real disagreement",
    "possible": "possibly a real disagreement; check both sentences",
    "unlikely": "unlikely: probably the same fact told two ways",
}
LEGEND = (
    "Confidence says how likely the sources really disagree: likely (50% or more), "
    "possible (20–50%), unlikely (under 20%: most of these are the same fact told two ways)."
)
VARIANT_WORDS = "same name, spelled differently"
VARIANTS = {  # what a variant is, by kind: the same thing written two ways, never a disagreement
    "name": "Same name, spelled differently",
    "quote": "Same quotation, worded differently",
    "": "Same fact, written differently",
}


@dataclass(frozen=True)
class Segment:
    """A run of text and how to show it: '' as is, 'del' only in the first text, 'ins' only in the second."""

    text: str
    op: str = ""


@dataclass(frozen=True)
class Marked:
    """A sentence cut around the value to highlight."""

    before: str
    value: str
    after: str


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


def plural(n: int, word: str, many: str | None = None) -> str:
    """Say '1 source' or '3 sources'."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def shorten(text: str, limit: int) -> str:
    """Cut text to at most limit characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:-–") + "…"


def level(score: float) -> str:
    """Name the level of a probability that the sources really disagree."""
    return next(name for floor, name in LEVELS if score >= floor)


def confidence(score: float) -> str:
    """Say a probability as its level and percentage: 'likely, 53%'."""
    return f"{level(score)}, {score:.0%}"


def confidence_text(score: float, severity: str, kind: str = "") -> str:
    """Say what a flag's score means for a reader; a variant is no disagreement, so it gets no probability."""
    if severity == "variant":
        return VARIANTS.get(kind, VARIANTS[""])
    words = LEVEL_WORDS[level(score)]
    return f"{words[0].upper()}{words[1:]} ({score:.0%} likely that the sources really disagree)"


def host(url: str | None) -> str | None:
    """Return a URL's host without 'www.', or None when it has none."""
    if not url:
        return None
    try:
        name = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return name.removeprefix("www.") if name else None


def safe_url(url: str | None) -> str | None:
    """Return the URL if it is a web address; a javascript: or file: URL from an article is never linked."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def excerpt(sentence: str, start: int, end: int, context: int = EXCERPT_CONTEXT) -> Marked:
    """Cut a sentence to a window around [start:end], at word boundaries, with ellipses."""
    left = max(0, start - context)
    if left > 0:
        space = sentence.find(" ", left)
        left = space + 1 if 0 <= space < start else left
    right = min(len(sentence), end + context)
    if right < len(sentence):
        space = sentence.rfind(" ", end, right)
        right = space if space > end else right
    return Marked(
        ("…" if left > 0 else "") + sentence[left:start],
        sentence[start:end],
        sentence[end:right] + ("…" if right < len(sentence) else ""),
    )


def word_diff(a: str, b: str) -> tuple[tuple[Segment, ...], float]:
    """Diff two sentences word by word; return the segments and the share of words in common."""
    wa, wb = a.split(), b.split()
    matcher = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False)
    segments: list[Segment] = []
    shared = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment(" ".join(wa[i1:i2])))
            shared += i2 - i1
            continue
        if i2 > i1:
            segments.append(Segment(" ".join(wa[i1:i2]), "del"))
        if j2 > j1:
            segments.append(Segment(" ".join(wb[j1:j2]), "ins"))
    spaced: list[Segment] = []
    for seg in segments:
        if spaced:
            spaced.append(Segment(" "))
        spaced.append(seg)
    return tuple(spaced), shared / max(len(wa), len(wb), 1)


def parse_diff(diff: str) -> tuple[Segment, ...]:
    """Turn a 'kept [-removed-] {+added+}' word diff into segments."""
    segments: list[Segment] = []
    pos = 0
    for match in re.finditer(r"\[-(.*?)-\]|\{\+(.*?)\+\}", diff):
        if match.start() > pos:
            segments.append(Segment(diff[pos : match.start()]))
        if match.group(1) is not None:
            segments.append(Segment(match.group(1), "del"))
        else:
            segments.append(Segment(match.group(2), "ins"))
        pos = match.end()
    if pos < len(diff):
        segments.append(Segment(diff[pos:]))
    return tuple(segments)
