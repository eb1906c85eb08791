"""Split an article into sentences and find the details each sentence states."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from datetime import date

import blingfire
from text_to_num import text2num

from .model import Article, Detail, Sentence
from .text import (
    CALENDAR_WORDS,
    CLOCK_WORDS,
    CONNECTORS,
    MONTH_PATTERN,
    MONTHS,
    OPENERS,
    STOP_WORDS,
    TOKEN,
    WEEKDAY_PATTERN,
    WEEKDAYS,
    fold_name,
    is_noun,
)
from .values import MAX_YEAR, MIN_YEAR, bounded, figure, shifted

# --- sentences ------------------------------------------------------------------


def sentences(article: Article, reference: date | None = None) -> tuple[Sentence, ...]:
    """Split an article's text into sentences, each with its details.

    Relative dates resolve against the article's own date, else against
    `reference` (an undated article borrows the date of its event).
    """
    published = article.published or reference
    out: list[Sentence] = []
    for para in article.text.split("\n\n"):
        para = para.strip()
        if not para:
            continue
        for text in _rejoin_titles(blingfire.text_to_sentences(para).split("\n")):
            text = text.strip()
            if text:
                out.append(
                    Sentence(article.id, len(out), text, details(text, published, borrowed=article.published is None))
                )
    _resolve_pronoun_speakers(out)
    return tuple(out)


_LAST_ABBREVIATION = re.compile(r"(?:^|\s|[\"“'‘])([A-Z][a-z]{0,4})\.$")
_POST_NOMINALS = frozenset({"jr", "sr"})  # "Martin Luther King Jr." may end a sentence


def _title_abbreviation(word: str) -> bool:
    """Tell an abbreviated title that stands before a name ("Mr.", "Cpl.", "Gov.", "Const.")."""
    w = word.lower()
    if w in _POST_NOMINALS:
        return False
    if w in TITLES or not set(w) & set("aeiouy"):
        return True  # "Dr", "Mrs", "Sgt", "Msgr": no vowel, no word
    return len(w) >= 3 and any(t.startswith(w) for t in TITLES if len(t) > len(w))


def _rejoin_titles(parts: list[str]) -> list[str]:
    """Join what the segmenter cut after a title: "Mr." / "Gigante, who listed his profession ..."."""
    out: list[str] = []
    for part in parts:
        if out and part[:1].isupper():
            m = _LAST_ABBREVIATION.search(out[-1])
            if m and _title_abbreviation(m.group(1)):
                out[-1] = f"{out[-1]} {part}"
                continue
        out.append(part)
    return out


# --- numbers --------------------------------------------------------------------

_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
_UNITS = (
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety"
)
_NUMWORD = rf"(?:{_UNITS})(?:-(?:{_UNITS}))?"
NUMBER_WORD = _NUMWORD  # a number written as a word: "seven", "twenty-one"
_WORD_NUMBER = re.compile(
    rf"\b(?:half an?|a(?=\s+(?:hundred|thousand)\b)|{_NUMWORD})"
    rf"(?:\s+(?:and\s+)?(?:{_NUMWORD}|hundred|thousand|million|billion))*\b",
    re.I,
)
_DIGIT_NUMBER = re.compile(
    r"(?<![\w.,/:-])(?<!/\s)(?!\d{1,2}:\d\d)(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?(?![\d,]?\d|\s?/\s?\d)"
    r"(?:(?P<range>\s*(?:to|-|–|and)\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?))?"
    r"(?P<scale>\s+(?:thousand|million|billion|trillion)\b)?"
    r"(?P<pct>\s*(?:%|per ?cent\b))?"
)
_HEDGE = re.compile(
    r"(?:about|around|approximately|roughly|nearly|almost|some|over|(?:no|not) (?:more|less|fewer) than|"
    r"more than|less than|fewer than|greater than|better than|in excess of|at least|at most|up to|under|"
    r"above|below|close to|an estimated|estimated|upwards of|as many as|as few as)\s+$",
    re.I,
)
_UNIT_WORD = re.compile(r"[\s-]+(?:(?:[A-Z][\w-]*|[a-z]+-[a-z]+)\s+)?(?P<unit>[a-z][a-z-]*)")
_CLOCK = re.compile(
    r"\s*(?:in the (?:morning|afternoon|evening)|at night|o[’']clock|[ap]\.?m\b)"
    r"|\s*(?-i:GMT|UTC|[ECMP][SD]T|BST|CET)\b",
    re.I,
)  # "6 pm", "0241 GMT": a time of day, compared with times only
_NOT_UNIT = {
    "and", "or", "of", "to", "in", "on", "at", "by", "for", "from", "with", "the", "a", "an",
    "was", "were", "is", "are", "has", "have", "had", "will", "would", "that", "which", "who",
    "as", "than", "per", "percent", "cent", "after", "before", "since", "until", "when",
}  # fmt: skip
_RANGE_HIGH = re.compile(r"(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?\s*$")
_YEAR = re.compile(r"(?<![\w,.$£€-])(?P<year>1[5-9]\d\d|20\d\d)(?P<s>['’]?s)?(?!\w|[,.]\d)")
_YEAR_SPAN = re.compile(
    r"(?<![\w,.$£€-])(?P<first>1[5-9]\d\d|20\d\d)\s?[-–/]\s?(?P<last>\d\d(?:\d\d)?)(?![\w-]|[,.]\d)"
)
YEAR_SPAN_MAX = 50  # years a span may cover: "1999-2003", "2004-05"; "2004-1998" or "1990-95000" is none
_COUNT_NOUN_AFTER_YEAR = re.compile(r"\s+(?!years?\b)([a-z]+s)\b")


_HYPHEN_UNIT = re.compile(r"-(?P<unit>[a-z]+)")
_NOUN_AFTER_PARTICIPLE = re.compile(r"\s+(?P<noun>[a-z]{3,})\b(?!\s+(?:the|a|an|to|by|in|on|at)\b)")
_AGE = re.compile(r"(?:-year-old\b|\s+years?\s+old\b|-month-old\b)")
_CURRENCY_BEFORE = re.compile(r"[$£€]\s*$")
_CURRENCY = {"$": "dollar", "£": "pound", "€": "euro"}
_MONEY_SUFFIX = re.compile(r"(bn|m|k)\b", re.I)
_SUFFIX_SCALE = {"bn": 1_000_000_000, "m": 1_000_000, "k": 1_000}
_FRACTION = re.compile(r"\s+(\d)/(\d{1,2})\b")
_ATTACHED = re.compile(r"[A-Za-z]{1,4}\b")
_APPOSED_AGE = re.compile(r"\d{1,3}(?=\s*[,)])")
NAME_WINDOW = 40  # characters read back from an apposed age for the name it follows; a bound keeps reading linear
_NAME_BEFORE = re.compile(r"[A-Z][\w’'.-]+(?:,|\s+\()\s*$")


def _unit_after(text: str, end: int) -> str | None:
    """Return the counted noun or unit after a figure, singular: "4,500 troops" -> "troop"."""
    if _AGE.match(text, end):
        return "age"  # "a 71-year-old man" is an age, not a span of years
    attached = _ATTACHED.match(text, end)
    if attached:
        # "60m", "200ft", "120mph": a unit written onto the figure; "11th" is a rank, not a count
        unit = attached.group(0).lower()
        return "ordinal" if unit in ("st", "nd", "rd", "th") else unit
    # "48-metre-high", "four-day": the word joined to the figure is its unit
    match = _HYPHEN_UNIT.match(text, end) or _UNIT_WORD.match(text, end)
    if not match:
        return None
    unit = match.group("unit").lower().split("-")[0]
    if unit in _NOT_UNIT:
        return None
    # "47 confirmed cases": a participle before the noun describes it; the noun is the unit
    noun = _NOUN_AFTER_PARTICIPLE.match(text, match.end())
    if unit.endswith(("ed", "ing")) and noun and noun.group("noun").lower() not in _NOT_UNIT:
        unit = noun.group("noun").lower()
    elif unit.endswith("ed") and match.group(0)[:1] != "-":
        return None  # "a crowd of 46,200 watched": a verb follows the figure, which counts no noun of its own
    if unit in _UNIT_QUALIFIERS:
        # "15,800-square-metre", "170,000 square feet": the unit is the two words
        rest = _QUALIFIED_UNIT.match(text, match.start("unit") + len(unit))
        if rest:
            return f"{unit} {_singular(rest.group(1).lower())}"
    return _singular(unit)


_UNIT_QUALIFIERS = frozenset({"square", "cubic"})
_QUALIFIED_UNIT = re.compile(r"[\s-]+([a-z]+)")


def _singular(unit: str) -> str:
    if unit == "feet":
        return "foot"
    if unit.endswith("ies") and len(unit) > 4:
        return unit[:-3] + "y"
    if unit.endswith(("sses", "ches", "shes", "xes")) and len(unit) > 4:
        return unit[:-2]  # "passes", "matches", "boxes"
    if unit.endswith("s") and not unit.endswith("ss") and len(unit) > 3:
        return unit[:-1]
    return unit


def _hedge_before(text: str, start: int) -> str | None:
    before = text[max(0, start - 24) : start]
    before = _SYMBOL_AT_END.sub("", before)  # "at least $20 million": the hedge stands before the symbol
    if not before.rstrip()[-1:].isalpha() or before.rstrip() == before:
        return None  # every hedge is words and a space: "7 7 7" need not run the pattern at each figure
    match = _HEDGE.search(before)
    return match.group(0).strip().lower() if match else None


_SYMBOL_AT_END = re.compile(r"(?<=\s)(?:US|A|C|NZ|HK)?[$£€¥]\s?$")


_ZONES = "GMT|UTC|[ECMP][SD]T|[ECMP]T|BST|CET|CEST|IST"
_TIME = re.compile(
    rf"(?<![\w.,:/$£€-])(?P<h>\d{{1,2}})(?:[:.](?P<m>[0-5]\d))?\s*"
    rf"(?:(?P<ampm>[ap])\.?\s?m\b\.?|(?P<oclock>o[’']clock)\b)"
    rf"(?:\s*(?P<zone>(?-i:{_ZONES})\b|local time\b))?"
    rf"|(?<![\w.,:/-])(?P<h24>[01]?\d|2[0-3]):?(?P<m24>[0-5]\d)\s*(?P<zone24>(?-i:{_ZONES})\b|local time\b)",
    re.I,
)  # "shortly after 2 a.m.", "9.02 p.m. ET", "0241 GMT", "4 o'clock"; a game clock ("4:43 to play") is no time of day
_TIME_HEDGE = re.compile(
    r"\b(?:about|around|approximately|roughly|shortly|just|soon|some|nearly|almost|after|before|by|until|till|since)"
    r"(?:\s+(?:after|before))?\s+(?:at\s+)?$",
    re.I,
)


def _times(text: str, taken: _Spans) -> list[Detail]:
    """Find the times of day a sentence states, as minutes past midnight ("14:05"), with their zone."""
    found: list[Detail] = []
    for m in _TIME.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue
        if m.group("h24") is not None:
            hour, minute, zone = int(m.group("h24")), int(m.group("m24")), m.group("zone24")
        else:
            hour, minute, zone = int(m.group("h")), int(m.group("m") or 0), m.group("zone")
            if not 1 <= hour <= 12:
                continue  # "13.01 p.m." is no time of day
            if m.group("ampm"):
                hour = hour % 12 + (12 if m.group("ampm").lower() == "p" else 0)
        place = "local" if zone and zone.lower() == "local time" else (zone or "").upper()
        value = f"{hour:02d}:{minute:02d}" + (f" {place}" if place else "")
        hedge = _TIME_HEDGE.search(text, max(0, m.start() - 25), m.start())
        end = m.start() + len(m.group(0).rstrip())
        found.append(Detail("time", m.group(0).strip(), m.start(), end, value,
                            hedge=hedge.group(0).strip().lower() if hedge else None))  # fmt: skip
        taken.add(m.start(), end)
    return found


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


_GROUP_BEFORE = re.compile(r"\d{2,}[ -]\d{2,}[ -]$")
_GROUP_AROUND = re.compile(r"\d{2,}[ -]$")
_GROUP_AFTER = re.compile(r"[ -]\d{2,}\b")
_TRUNK_BEFORE = re.compile(r"(?<!\d)0\d{2,}[ -]$")


def _in_digit_run(text: str, start: int, end: int) -> bool:
    """Tell a group of three or more runs of digits set apart by spaces or hyphens, as telephone
    numbers are written ("0845 125 222", "800-555-0199"), or two after a trunk 0 ("0800 555111")."""
    if _GROUP_BEFORE.search(text, max(0, start - 12), start) or _TRUNK_BEFORE.search(text, max(0, start - 8), start):
        return True
    after = _GROUP_AFTER.match(text, end)
    if after is None:
        return False
    return (
        (text[start] == "0" and end - start >= 3)
        or _GROUP_AROUND.search(text, max(0, start - 8), start) is not None
        or _GROUP_AFTER.match(text, after.end()) is not None
    )


_NAMING_WORD = re.compile(r"(?<![\w.’'-])([A-Z][A-Za-z]*)\s+$")
_ORDINAL_NAME = re.compile(r"(?:st|nd|rd|th)\s+[A-Z]")
_JOINED_BEFORE = re.compile(r"[A-Za-z]-$")
_OF_TOTAL = re.compile(r"(?<=\d-of-)\d{1,4}\b")
_VERSION_BEFORE = re.compile(r"\bversions?\s+$", re.I)


TALLY = "tally"  # the unit of a score ("won 65-53")
RECORD = "record"  # the unit of a record of wins and losses ("the Colts (11-4)", "a record of 9-14")
TALLIES = frozenset({TALLY, RECORD})  # read whole, compared only with their own kind
MAX_TALLY = 1000  # "800-555-0199" is a telephone number
_GOES_ON = re.compile(r"[-–]\d")
_RECORD_AFTER = re.compile(r"\s+(?:record|mark)\b", re.I)  # "a 243-139 record"
_RECORD_BEFORE = re.compile(r"\b(?:record|mark)\s+(?:of|to|at|is|was|stands at)\s+$", re.I)  # "a record of 9-14"


def _numbered_name(text: str, start: int, end: int, unit: str | None = None) -> bool:
    """Tell a number that is part of a name or an address, not a figure of the event.

    That is a number set right after a capitalised word inside its sentence with no noun after it
    ("Internet Explorer 9", "state Route 94", "Interstate 805 just after"; "Iguodala 14.9 points"
    is a figure), a version ("version 6"), or an ordinal before a capitalised word ("97th Ave.",
    "the 82nd Airborne"). A month or a weekday before a number dates it; an abbreviation ("No. 2")
    ranks; a sentence's first word may be any word ("Police 10 ..."). A street's block ("the 12200
    block") stays a figure: reports of one shooting may give two.
    """
    if _ORDINAL_NAME.match(text, end) or _VERSION_BEFORE.search(text, max(0, start - 12), start):
        return True
    return (unit is None or not is_noun(unit)) and _named_by(text, start)


def _named_by(text: str, start: int) -> bool:
    """Tell a number set right after a capitalised word inside its sentence, not a month or a weekday."""
    m = _NAMING_WORD.search(text, max(0, start - 30), start)
    if not m or not text[: m.start()].strip() or text[: m.start()].rstrip().endswith((".", "!", "?", ":", '"', "“")):
        return False
    return m.group(1).lower() not in CALENDAR_WORDS


def _numbers(text: str, taken: _Spans) -> list[Detail]:
    found: list[Detail] = []
    for m in _DIGIT_NUMBER.finditer(text) if _DIGIT.search(text) else ():
        if taken.overlaps(m.start(), m.end()) or _CLOCK.match(text, m.end()):
            continue
        if _in_digit_run(text, m.start(), m.end()):
            continue  # "0845 125 2222": a telephone or an account number, not a figure
        scale = _SCALE[m.group("scale").strip().lower()] if m.group("scale") else 1
        money = (
            _MONEY_SUFFIX.match(text, m.end())
            if not m.group("scale") and _CURRENCY_BEFORE.search(text, max(0, m.start() - 3), m.start())
            else None
        )
        if money:
            scale = _SUFFIX_SCALE[money.group(1).lower()]  # "$22m", "£1.5bn": the letter is a scale, not metres
        value = figure(m.group("num"), m.group("dec"), scale)
        if value is None:
            continue  # "9" * 309 is not a figure
        fraction = _FRACTION.match(text, m.end()) if not m.group("dec") and not m.group("range") else None
        if fraction and int(fraction.group(2)) > 0:
            value += int(fraction.group(1)) / int(fraction.group(2)) * scale  # "4 1/2 months" is four and a half
            taken.add(m.end(), fraction.end())
        normalized = _fmt(value)
        if m.group("range"):
            high = _RANGE_HIGH.search(m.group("range"))
            high_value = figure(high.group("num"), high.group("dec"), scale) if high else None
            if high and high_value is None:
                continue
            score = high_value is not None and m.group("range")[:1] in "-–" and high_value <= value
            record = "-" in m.group(0) and (
                (text[m.start() - 1 : m.start()] == "(" and text[m.end() : m.end() + 1] == ")")
                or _RECORD_BEFORE.search(text, max(0, m.start() - 30), m.start()) is not None
                or _RECORD_AFTER.match(text, m.end()) is not None
            )
            if score or record:
                # "won 20-13", "improves to 58-3", "the Bulldogs (15-17)": a score or a record of wins and
                # losses, not a range of one value; a tally, compared only with tallies, as a whole
                tally = not m.group("scale") and not m.group("pct") and not _GOES_ON.match(text, m.end())
                if high_value is not None and tally and max(value, high_value) < MAX_TALLY:
                    kind = RECORD if record else TALLY  # a score is never compared with a record
                    found.append(Detail("number", m.group(0).strip(), m.start(), m.start() + len(m.group(0).rstrip()),
                                        f"{_fmt(value)}:{_fmt(high_value)}", unit=kind))  # fmt: skip
                continue
            if high_value is not None:
                normalized += "-" + _fmt(high_value)
        currency = _CURRENCY_BEFORE.search(text, max(0, m.start() - 3), m.start())
        if m.group("pct"):
            unit: str | None = "%"
        elif currency:
            unit = _CURRENCY[currency.group(0).strip()]  # "£88m worth of jewels" is a sum in pounds
        else:
            unit = _unit_after(text, money.end() if money else m.end())
        if not m.group("pct") and _numbered_name(text, m.start(), m.end(), unit):
            continue  # "Internet Explorer 9", "state Route 94", "97th Ave.": a number that names, not a figure
        apposed = unit is None and _APPOSED_AGE.match(text, m.start())
        if apposed and _NAME_BEFORE.search(text, max(0, m.start() - NAME_WINDOW), m.start()):
            unit = "age"  # "Lopez, 20, was found guilty": a figure set off after a name is an age
        found.append(
            Detail("number", m.group(0).strip(), m.start(), m.start() + len(m.group(0).rstrip()),
                   normalized, unit=unit, hedge=_hedge_before(text, m.start()))
        )  # fmt: skip
    for m in _OF_TOTAL.finditer(text):
        if not taken.overlaps(m.start(), m.end()):
            # "completed 29-of-34 passes": the total is a figure as in "29 of 34"
            found.append(Detail("number", m.group(0), m.start(), m.end(), _fmt(int(m.group(0))),
                                unit=_unit_after(text, m.end())))  # fmt: skip
    for m in _WORD_NUMBER.finditer(text):
        words = m.group(0)
        if taken.overlaps(m.start(), m.end()) or words.lower() in ("one", "zero"):
            continue  # a lone "one" is nearly always a pronoun ("one of the")
        if _JOINED_BEFORE.search(text, max(0, m.start() - 2), m.start()):
            continue  # "a pick-six", "a high-five": a word joined to the one before, not a count
        if _CLOCK.match(text, m.end()):
            continue  # "six in the morning" is a time of day, not a count
        word_value = _word_value(words)
        if word_value is None:
            continue
        found.append(
            Detail("number", words, m.start(), m.end(), _fmt(word_value),
                   unit=_unit_after(text, m.end()), hedge=_hedge_before(text, m.start()))
        )  # fmt: skip
    return _between(text, found)


_SCALE_WORD = re.compile(r"\b(?:" + "|".join(_SCALE) + r")\b", re.I)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+[$£€]?$", re.I)
_BETWEEN_AND = re.compile(r"\s+(?:(?P<scale>" + "|".join(_SCALE) + r")\s+)?and\s+[$£€]?$", re.I)


def _between(text: str, found: list[Detail]) -> list[Detail]:
    """Join "between $140 million and $150 million" (or "between $140 and $150 million") into one range.

    Read as two figures, each end was set against the other report's ends as a rival value.
    """
    numbers = sorted((d for d in found if d.unit not in TALLIES), key=lambda d: d.start)
    for low, high in itertools.pairwise(numbers):
        between = _BETWEEN_AND.match(text[low.end : high.start])
        if not between or not _BETWEEN_BEFORE.search(text, max(0, low.start - 12), low.start) or "-" in low.value:
            continue
        scale, high_scale = 1.0, _SCALE_WORD.search(high.text)
        if high_scale and not between.group("scale") and not _SCALE_WORD.search(low.text):
            scale = _SCALE[high_scale.group(0).lower()]  # "$140 and $150 million": the low end takes the high's
        lo, hi = float(low.value) * scale, float(high.value)
        if not lo < hi:
            continue
        joined = Detail("number", text[low.start : high.end], low.start, high.end, f"{_fmt(lo)}-{_fmt(hi)}",
                        unit=high.unit, hedge=low.hedge)  # fmt: skip
        return _between(text, [d for d in found if d is not low and d is not high] + [joined])
    return found


def _word_value(words: str) -> float | None:
    lowered = words.lower()
    if lowered.startswith("a "):
        lowered = "one " + lowered[2:]  # "more than a hundred people"
    factor = 1.0
    if lowered.startswith("half "):
        factor, lowered = 0.5, lowered.split(" ", 2)[-1]
        lowered = "one " + lowered if lowered in _SCALE else lowered
    try:
        return bounded(float(text2num(lowered.replace("-", " ").replace(" and ", " "), "en")) * factor)
    except ValueError:
        return None


# --- years and dates --------------------------------------------------------------

_MONTH_RE = rf"(?P<month>{MONTH_PATTERN})"
_WEEKDAY_RE = rf"(?P<weekday>{WEEKDAY_PATTERN})"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<iso>(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2}))\b"),
    re.compile(
        rf"(?:\b{_WEEKDAY_RE},?\s+)?\b{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}})\b)?"
    ),
    re.compile(
        rf"(?:\b{_WEEKDAY_RE},?\s+)?\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}(?:,?\s+(?P<year>\d{{4}})\b)?"
    ),
]
_DIGIT = re.compile(r"\d")  # every date, year and figure in digits has one
_RELATIVE_DAY = re.compile(rf"\b(?P<rel>last|this past|past|earlier on|late on|early on|on)?\s*{_WEEKDAY_RE}\b")


def _resolve_month_day(month: int, day: int, year: int | None, ref: date | None, weekday: int | None = None) -> str:
    """Give a month and day its year: the one nearest the reference date, matching the weekday if one is said."""
    if year is None and ref is not None:
        # "Monday, November 25" narrows the year to one where Nov 25 is a Monday
        span = range(ref.year - 6, ref.year + 7) if weekday is not None else range(ref.year - 1, ref.year + 2)
        candidates = []
        for y in span:
            try:
                candidate = date(y, month, day)
            except ValueError:
                continue
            if weekday is None or candidate.weekday() == weekday:
                candidates.append(candidate)
        if candidates:
            return min(candidates, key=lambda d: abs((d - ref).days)).isoformat()
    if year is None:
        return f"--{month:02d}-{day:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return f"{year}-{month:02d}-{day:02d}"


def _dates(text: str, published: date | None, own_date: date | None, taken: _Spans) -> list[Detail]:
    """Find the dates a sentence states; add the spans they take (and those of dates out of bounds) to `taken`."""
    found: list[Detail] = []
    # most sentences hold no figure and no weekday: skip the patterns that need one
    for pattern in _DATE_PATTERNS if _DIGIT.search(text) else ():
        for m in pattern.finditer(text):
            if taken.overlaps(m.start(), m.end()):
                continue
            groups = m.groupdict()
            written = groups["y"] if groups.get("iso") else groups.get("year")
            year = int(written) if written else None
            if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
                taken.add(m.start(), m.end())  # not a date, and its digits are no figures either
                continue
            if groups.get("iso"):
                value = groups["iso"]
            else:
                month = MONTHS[groups["month"][:3].lower()]
                day = int(groups["day"])
                if not 1 <= day <= 31:
                    continue
                weekday = WEEKDAYS.index(groups["weekday"].lower()) if groups.get("weekday") else None
                value = _resolve_month_day(month, day, year, published, weekday)
            taken.add(m.start(), m.end())
            found.append(Detail("date", m.group(0), m.start(), m.end(), value))
    for m in _RELATIVE_DAY.finditer(text) if "day" in text else ():
        if taken.overlaps(m.start("weekday"), m.end()):
            continue
        weekday = WEEKDAYS.index(m.group("weekday").lower())
        rel = (m.group("rel") or "").lower()
        # a bare weekday needs the article's own date: a borrowed one cannot say which week
        value = _resolve_weekday(weekday, rel, own_date)
        start = m.start("rel") if m.group("rel") else m.start("weekday")
        found.append(Detail("date", text[start : m.end()], start, m.end(), value))
    for d in found:
        taken.add(d.start, d.end)  # the weekdays' too: no year or figure is read inside a date
    return found


def _resolve_weekday(weekday: int, rel: str, published: date | None) -> str:
    """Resolve a weekday against the publication date: the latest such day not after it."""
    if published is None:
        return f"weekday:{WEEKDAYS[weekday]}"
    back = (published.weekday() - weekday) % 7
    if back == 0 and rel in ("last", "this past", "past"):
        back = 7
    day = shifted(published, -back)
    return day.isoformat() if day is not None else f"weekday:{WEEKDAYS[weekday]}"


def _years(text: str, taken: _Spans) -> list[Detail]:
    found = []
    for m in _YEAR_SPAN.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue
        first = int(m.group("first"))
        last = int(m.group("last")) if len(m.group("last")) == 4 else first // 100 * 100 + int(m.group("last"))
        if first < last <= first + YEAR_SPAN_MAX:
            # "the 2004-05 season", "(1999-2003)": one span of years, not its first year alone
            found.append(Detail("year", m.group(0), m.start(), m.end(), f"{first}-{last}"))
            taken.add(m.start(), m.end())
    for m in _YEAR.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue
        count = _COUNT_NOUN_AFTER_YEAR.match(text, m.end()) if not m.group("s") else None
        if count and count.group(1) not in STOP_WORDS and is_noun(count.group(1)):
            continue  # "2000 troops" is a count, not a year; "in 2008 was" is a year
        if not m.group("s") and _named_by(text, m.start()):
            continue  # "Windows Server 2008", "Euro 2012": a product's or an event's name, not a year
        decade = m.group("s") is not None
        if decade and m.group("s") != "s" and not m.group("year").endswith("0"):
            # "2008's election": a year's possessive; "the 1930's", like "the 1930s", is a decade
            found.append(Detail("year", m.group("year"), m.start(), m.start("s"), m.group("year")))
            continue
        value = m.group("year") + ("s" if decade else "")
        found.append(Detail("year", m.group(0), m.start(), m.end(), value))
    return found


# --- names and quotes ---------------------------------------------------------------


def _entities(text: str) -> list[Detail]:
    matches = list(TOKEN.finditer(text))
    words = [m.group(0) for m in matches]
    # a name starts at a capitalised word: most words are not, and are passed over at once
    capital = [w[:1].isupper() and w[:1].isalpha() for w in words]
    found: list[Detail] = []
    i, n = 0, len(words)
    while i < n:
        if not capital[i]:
            i += 1
            continue
        j = i + 1
        last = i
        while j < n:
            if capital[j]:
                last = j
            elif words[j] == "." and len(words[j - 1]) == 1 and capital[j - 1] and j + 1 < n and capital[j + 1]:
                pass  # "A.J. Smith", "John F. Kennedy": initials go on with the name
            elif words[j].lower() not in CONNECTORS:
                break
            j += 1
        first = i
        # a leading "A" is an article, unless it is an initial ("A.J. Smith")
        while (
            first <= last
            and words[first].lower() in OPENERS
            and (len(words[first]) > 1 or words[first + 1 : first + 2] != ["."])
        ):
            first += 1
        if first <= last:
            s, e = matches[first].start(), matches[last].end()
            name = text[s:e]
            # "A MAN has died", "THE WOMAN was named": a sentence opening shouted, not a name
            shouted = i == 0 and first > i and words[i].isupper() and name.isupper() and len(name) >= 3
            if len(name) > 1 and not name.isdigit() and not shouted:
                found.append(Detail("entity", name, s, e, fold_name(name)))
        i = last + 1
    return found


_QUOTE = re.compile(r"[“\"](?P<q>[^“”\"]{3,}?)[”\"]|(?<![\w])[‘'](?P<s>[^‘’']{3,}?)[’'](?![\w])")
_SAY = r"(?:said|says|added|told|asked|warned|stated|wrote|noted|declared|insisted|announced|explained)"
_SPEAKER_AFTER = re.compile(
    rf"^[\s,]*(?:(?P<pro>he|she|they)|(?:[\w’'-]+\s+){{0,6}}?(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*))\s+{_SAY}\b"
)
_SPEAKER_AFTER_INV = re.compile(
    rf"^[\s,]*{_SAY}\s+(?:[a-z][\w’'-]*\s+){{0,4}}(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)"
)
_SPEAKER_BEFORE = re.compile(
    rf"(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*),?\s+(?:has\s+|had\s+)?{_SAY}(?:\s+\w+){{0,3}}\s*[:,]?\s*$"
)


def _quotes(text: str) -> list[Detail]:
    found = []
    spans: list[tuple[int, int, int, int]] = []  # quote marks' start and end, inner start and end
    for m in _QUOTE.finditer(text):
        group = "q" if m.group("q") is not None else "s"
        spans.append((m.start(), m.end(), m.start(group), m.end(group)))
    # a quotation running over several sentences leaves a sentence with only its
    # closing mark ('But why now?" he said') or only its opening one
    first_open, last_close = text.find("“"), text.rfind("”")
    if last_close != -1 and (first_open == -1 or first_open > last_close):
        inner_start = len(text[:last_close]) - len(text[:last_close].lstrip())
        spans.insert(0, (inner_start, last_close + 1, inner_start, last_close))
    elif first_open != -1 and (last_close == -1 or last_close < first_open):
        spans.append((first_open, len(text), first_open + 1, len(text.rstrip())))
    for start, end, qs, qe in spans:
        inner = text[qs:qe]
        if len(inner.split()) < 2:
            continue  # a quoted single word is emphasis, not a quotation
        speaker = _speaker(text, start, end)
        found.append(Detail("quote", inner, qs, qe, fold_name(inner), speaker=speaker))
    return found


def _speaker(text: str, start: int, end: int) -> str | None:
    after = text[end : end + 120]
    m = _SPEAKER_AFTER_INV.match(after)
    if m:
        return m.group("name")
    m = _SPEAKER_AFTER.match(after)
    if m:
        return m.group("name") or m.group("pro").lower()
    m = _SPEAKER_BEFORE.search(text[max(0, start - 120) : start])
    if m and m.group("name").lower() not in OPENERS:
        return m.group("name")
    return None


# Titles written before a name; they say which role the name fills, so they are
# context for the name rather than part of it.
TITLES = {
    "president", "prime", "minister", "deputy", "governor", "mayor", "judge", "presiding", "chief",
    "general", "brigadier", "major", "colonel", "captain", "commander", "admiral", "sergeant",
    "lieutenant", "director", "chair", "chairman", "chairwoman", "secretary", "ambassador", "envoy",
    "spokesman", "spokeswoman", "spokesperson", "referee", "coach", "manager", "senator",
    "representative", "dr", "doctor", "professor", "prof", "mr", "mrs", "ms", "sir", "king", "queen",
    "prince", "princess", "sheikh", "ayatollah", "imam", "bishop", "pope", "inspector", "officer",
    "head", "leader", "foreign", "interior", "defence", "defense", "trade", "commerce", "finance",
    "health", "transport", "justice", "energy", "economy", "vice", "acting", "former", "elect",
}  # fmt: skip
# titles many people hold at once: two officers, two senators or two spokesmen may both speak (a
# case has one judge, a team one coach, a city one mayor)
RANKS = frozenset({
    "officer", "sergeant", "lieutenant", "captain", "inspector", "major", "colonel", "brigadier",
    "general", "commander", "admiral", "spokesman", "spokeswoman", "spokesperson", "deputy", "senator",
    "representative", "dr", "doctor", "professor", "prof", "mr", "mrs", "ms", "sir", "envoy",
    # a game has two coaches and many players of each position
    "coach", "receiver", "quarterback", "linebacker", "pitcher", "goalkeeper", "striker",
})  # fmt: skip
_ORG_WORDS = {
    "ministry", "republic", "corps", "forces", "union", "army", "guard", "council", "committee",
    "agency", "office", "department", "party", "bank", "court", "university", "news", "times",
    "post", "press", "organization", "organisation", "state", "states", "kingdom", "government",
    "authority", "company", "group", "association", "league", "club", "province", "city",
}  # fmt: skip
_PRONOUN_SAYS = re.compile(rf"^\s*(?:he|she)\s+{_SAY}\b", re.I)
_SPEECH_AFTER_NAME = re.compile(  # matched at the end of a name, so with no ^
    rf"\s*(?:,[^,]{{0,60}},\s*)?(?:has\s+|had\s+)?(?:{_SAY}|asserted|claimed|argued|said)\b"
)


def _person_names(sent: Sentence) -> list[Detail]:
    """Return the names in a sentence that look like people: two or more words, no organisation word.

    A title alone ("Azeri President") is a person too, but an unnamed one.
    """
    out = []
    for d in sent.details:
        words = d.text.split()
        if d.kind == "entity" and len(words) >= 2 and not {w.lower() for w in words} & _ORG_WORDS:
            out.append(d)
    return out


def _unnamed(d: Detail) -> bool:
    """Tell a title standing for a person ("Azeri President") from a name."""
    words = [w.lower().strip(".") for w in d.text.split()]
    return words[-1] in TITLES


_OPENS_WITH_PRONOUN = re.compile(r"\s*(?:He|She)\b")


def _resolve_pronoun_speakers(sents: list[Sentence]) -> None:
    """Name the speaker of a quotation attributed to "he"/"she" or to a title alone, and the
    person a sentence opening with "He" or "She" is about.

    "he said" takes the last person named before it; a quotation given to "a
    spokesperson" takes the person the next sentence names as saying something.
    """
    # each sentence's people, and what the next sentence says of its speaker, are worked out
    # once per sentence, not once per quotation: a sentence of thousands of quotations is linear
    people = [_person_names(s) for s in sents]
    last_person: str | None = None
    known: dict[str, str] = {}  # a word of a person's name -> the name last seen with it
    previous_subject: str | None = None
    for i, sent in enumerate(sents):
        new = []
        changed = False
        ends = [p.end for p in people[i]]  # names do not overlap: in order of their ends too
        quoted_end = len(sent.text.rstrip("”\"' ")) - 1
        following: tuple[str | None, str | None] | None = None
        for d in sent.details:
            if d.kind == "quote":
                speaker = d.speaker
                before = bisect.bisect_right(ends, d.start)  # the people named before the quotation
                if speaker in ("he", "she"):
                    latest = people[i][before - 1] if before else None
                    speaker = (None if _unnamed(latest) else latest.text) if latest else last_person
                elif speaker is None and i + 1 < len(sents):
                    nxt = sents[i + 1]
                    if following is None:
                        following = (
                            next((q.speaker for q in nxt.details if q.kind == "quote" and q.start <= 1), None),
                            next((p.text for p in people[i + 1] if _SPEECH_AFTER_NAME.match(nxt.text, p.end)), None),
                        )
                    continued, named = following
                    if continued not in (None, "he", "she", "they"):
                        speaker = continued  # the quotation goes on in the next sentence, attributed there
                    elif named:
                        speaker = named
                    elif _PRONOUN_SAYS.match(nxt.text) and d.end >= quoted_end:
                        speaker = last_person  # '"Why now?"' then 'he asked in an interview.'

                if speaker != d.speaker:
                    d = Detail(d.kind, d.text, d.start, d.end, d.value, speaker=speaker)
                    changed = True
            new.append(d)
        # "Harrison, who hadn't missed a game ..." then "He has 53 catches": a sentence that opens
        # with "He" or "She" is about the person the sentence before opened with, if it opened
        # with one (or with "He" too); any other antecedent is too much of a guess
        opens_with_pronoun = _OPENS_WITH_PRONOUN.match(sent.text) is not None
        subject = previous_subject if opens_with_pronoun else None
        first = next((d for d in sent.details if d.kind == "entity"), None)
        opener = None
        if first is not None and not sent.text[: first.start].strip():
            if first in people[i] and not _unnamed(first) and " and " not in first.text:
                opener = first.text
            elif first.text in known:
                opener = known[first.text]  # a surname alone names its person again
        previous_subject = subject if opens_with_pronoun else opener
        for name in people[i]:
            known.update((w, name.text) for w in name.text.split() if w[:1].isupper())
        names = people[i]
        if names:
            # "he" after "the Azeri President" is that unnamed person, not an earlier name
            last_person = None if _unnamed(names[-1]) else names[-1].text
        if changed or subject:
            sents[i] = Sentence(sent.article, sent.index, sent.text, tuple(new), subject=subject)


# --- all details ----------------------------------------------------------------------


_STAMP_WORD = re.compile(r"(?:^|[|•·–—-]\s*|\blast\s+)(?:updated|posted|published|modified|created|filed)\b[\s:]", re.I)
_STAMP_TOKEN = re.compile(r"[\w’'.:-]+")
_CALENDAR = CALENDAR_WORDS | CLOCK_WORDS | {"on", "at", "by"}
STAMP_LINE_WORDS = 12  # "Last updated at 13:42 GMT" is a stamp within a short line, not inside a sentence
STAMP_WORDS = 2  # a line with no more words than this besides its date and time is a stamp or a dateline


@functools.lru_cache(maxsize=200_000)  # asked of each sentence for every pair it is compared in
def is_stamp(text: str) -> bool:
    """Tell a posting or update stamp, or a bare dateline, from a sentence that states something.

    "Updated: May 24, 2004, 3:23 PM ET" and "August 5, 2012" say when the page was written;
    a report's own stamps differ from another report's without the sources disagreeing.
    """
    if not _DIGIT.search(text):
        return False
    if _STAMP_WORD.search(text) and len(text.split()) <= STAMP_LINE_WORDS:
        return True
    words = [w.strip(".:-").lower() for w in _STAMP_TOKEN.findall(text)]
    rest = [w for w in words if w and not _DIGIT.search(w) and w not in _CALENDAR]
    return len(rest) <= STAMP_WORDS and len(words) - len(rest) >= 2


class _Spans:
    """The parts of a sentence already read as a detail, kept merged and sorted.

    Asking whether a match overlaps one of them takes a binary search: scanning a list
    for each match made a sentence of 30,000 years take minutes.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Tell whether [start, end) shares a character with a span taken."""
        i = bisect.bisect_left(self.starts, end)  # the spans starting before `end`; the last ends latest
        return i > 0 and self.ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        """Take [start, end), merging it with the spans it touches."""
        i = bisect.bisect_left(self.starts, start)
        if i and self.ends[i - 1] >= start:
            i -= 1
            start = self.starts[i]
        j = i
        while j < len(self.starts) and self.starts[j] <= end:
            end = max(end, self.ends[j])
            j += 1
        self.starts[i:j] = [start]
        self.ends[i:j] = [end]


def details(text: str, published: date | None = None, borrowed: bool = False) -> tuple[Detail, ...]:
    """Find the dates, years, numbers, names and quotes a sentence states.

    `published` resolves relative dates; when it is `borrowed` from the article's
    event, it gives a month and day their year but leaves a bare weekday unresolved.
    """
    taken = _Spans()
    found = _dates(text, published, None if borrowed else published, taken)
    years = _years(text, taken) if _DIGIT.search(text) else []
    found += years
    for d in years:
        taken.add(d.start, d.end)
    if _DIGIT.search(text):
        found += _times(text, taken)
    found += _numbers(text, taken)
    found += _entities(text)
    found += _quotes(text)
    return tuple(sorted(found, key=lambda d: (d.start, d.kind)))
