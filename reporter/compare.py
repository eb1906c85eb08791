"""Compare the details of aligned sentences and report where sources disagree."""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

import snowballstemmer
from rapidfuzz import fuzz, process

from .align import content_words
from .extract import TITLES as _TITLES
from .extract import fold_name
from .model import Alignment, Article, Detail, Discrepancy, DiscrepancyKind, Sentence, Severity, Side

HEDGE_TOLERANCE = 0.10  # "about 5,000" is compatible with values within 10%
VALUE_KINDS: tuple[DiscrepancyKind, ...] = ("year", "number", "date")


_STEMMER = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def stems(text: str) -> list[str]:
    """Return the stems of a text's content words, hyphenated words split ("metre-high" -> metr, high)."""
    return [_stem(w) for w in content_words(text).replace("-", " ").split()]


class Context:
    """Weigh the words around a value by rarity, to tell whether two values fill the same slot."""

    WINDOW = 4  # content words on each side of a value

    def __init__(self, sentences: Iterable[Sentence]) -> None:
        df: Counter[str] = Counter()
        n = 0
        for sent in sentences:
            df.update(set(stems(sent.text)))
            n += 1
        self._idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
        self._default = math.log(n + 2)

    def words(self, text: str, d: Detail) -> set[str]:
        """Return the stems of the content words on each side of a value."""
        before = stems(text[: d.start])[-self.WINDOW :]
        after = stems(text[d.end :])[: self.WINDOW]
        return {w for w in before + after if not w.isdigit()}

    def slot_fit(self, ta: str, x: Detail, tb: str, y: Detail) -> float:
        """Score how surely two values fill one slot: their contexts, the word that governs them, their unit.

        "which opened in 1817" and "It opened in 1871" share little but "opened", the
        word right before each value; "41 berths" and "14 berths" share their noun.
        """
        fit = self.overlap(ta, x, tb, y)
        head_x = content_words(ta[: x.start]).split()[-1:]
        head_y = content_words(tb[: y.start]).split()[-1:]
        if head_x and head_x == head_y and not head_x[0].isdigit():
            fit += HEAD_BONUS
        if same_unit(x.unit, y.unit):
            fit += HEAD_BONUS
        return fit

    def overlap(self, ta: str, x: Detail, tb: str, y: Detail) -> float:
        """Return the rarity-weighted Jaccard overlap of the two values' contexts (0-1)."""
        wa, wb = self.words(ta, x), self.words(tb, y)
        union = sum(self._idf.get(w, self._default) for w in wa | wb)
        shared = sum(self._idf.get(w, self._default) for w in wa & wb)
        return shared / union if union else 0.0


HEAD_BONUS = 0.1  # the same governing word, or the same unit, says two values fill one slot
MIN_CONTEXT = 0.12  # below this, the two values most likely describe different things
STRONG_ALIGNMENT = 0.65  # sentences this alike state the same claim
PAIRED_ALIGNMENT = 0.45  # two reports' sentences paired one to one and this alike, too


def compare(
    alignment: Alignment,
    sa: Sentence,
    sb: Sentence,
    articles: dict[str, Article],
    context: Context,
    paired: bool = True,
) -> list[Discrepancy]:
    """List the discrepancies between two aligned sentences.

    `paired` says the sentences were paired one to one as the same claim; a
    looser candidate pair must show the same slot in the words around a value.
    """
    found: list[Discrepancy] = []
    art_a, art_b = articles[sa.article], articles[sb.article]
    reference = art_a.role == "reference" or art_b.role == "reference"
    if art_a.role == "reference" and art_b.role != "reference":
        sa, sb, art_a, art_b = sb, sa, art_b, art_a  # the report side is always `a`
    sure = paired and not reference
    for kind in VALUE_KINDS:
        da, db = _of_kind(sa, kind), _of_kind(sb, kind)
        for x, y, fit in _slot_pairs(kind, da, db, sa.text, sb.text, context, alignment.score, sure):
            quoted = (_in_quote(sa, x), _in_quote(sb, y))
            if all(quoted) or (not paired and any(quoted)):
                continue  # figures in quotations are judged with the quotations
            note = _note(kind, x, y, art_b if reference else None, sa.text, sb.text)
            score = _confidence(kind, x, y, alignment.score, fit)
            found.append(_make(alignment, "reference" if reference else kind, "conflict", sa, sb, x, y, note, score))
    return found


def stated_anywhere(d: Discrepancy, sa: Sentence, other: Sequence[Sentence]) -> bool:
    """Tell whether the other article states, somewhere, a value agreeing with side `a` of a flag."""
    x = next((v for k in VALUE_KINDS for v in _of_kind(sa, k) if v.start == d.a.start and v.text == d.a.value), None)
    if x is None:
        return False
    return any(_same(x.kind, x, y) for s in other for y in _of_kind(s, x.kind))


def _in_quote(sent: Sentence, d: Detail) -> bool:
    return any(q.kind == "quote" and q.start <= d.start and d.end <= q.end for q in sent.details)


def _of_kind(sent: Sentence, kind: str) -> list[Detail]:
    """Return a sentence's details of one kind; a full date also states its year."""
    out = [d for d in sent.details if d.kind == kind]
    if kind == "year":
        for d in sent.details:
            if d.kind == "date" and re.match(r"\d{4}-", d.value):
                m = re.search(r"\b\d{4}\b", d.text)
                if m:
                    out.append(Detail("year", m.group(0), d.start + m.start(), d.start + m.end(), m.group(0)))
    return out


# Units of measure: a figure in one is never compared with a figure in another or with
# a count of things. Any other noun is a count ("troops", "soldiers", "vessels"),
# and counts in the same slot of the same claim are compared whatever noun they use.
_MEASURES = {
    "%": "%", "percent": "%", "per": "%", "metre": "m", "meter": "m", "m": "m", "kilometre": "km",
    "kilometer": "km", "km": "km", "mile": "mile", "foot": "ft", "feet": "ft", "centimetre": "cm",
    "cm": "cm", "millimetre": "mm", "mm": "mm", "kilogram": "kg", "kg": "kg", "gram": "g", "tonne": "t",
    "ton": "t", "pound": "money", "dollar": "money", "euro": "money", "usd": "money", "eur": "money",
    "rouble": "money", "ruble": "money", "yuan": "money", "yen": "money", "rupee": "money",
    "year": "year", "month": "month", "week": "week", "day": "day", "hour": "hour", "minute": "minute",
    "second": "second", "age": "age", "degree": "degree", "hectare": "area", "acre": "area", "litre": "volume",
    "liter": "volume", "barrel": "volume", "gallon": "volume", "magnitude": "magnitude",
}  # fmt: skip


def same_unit(a: str | None, b: str | None) -> bool:
    """Tell whether two units are one: the same noun, or two names of one measure ("kg", "kilogram")."""
    return a is not None and b is not None and (a == b or (a in _MEASURES and _MEASURES.get(a) == _MEASURES.get(b)))


def unit_class(unit: str | None) -> str:
    """Return the measure a unit belongs to, or 'count' for a counted noun."""
    if unit is None:
        return "count"
    return _MEASURES.get(unit, "count")


def _same(kind: str, x: Detail, y: Detail) -> bool:
    if kind == "number":
        return _numbers_agree(x, y)
    if kind == "date":
        return _dates_agree(x.value, y.value)
    return x.value == y.value


def _numbers_agree(x: Detail, y: Detail) -> bool:
    try:
        lo_x, hi_x = _bounds(x.value)
        lo_y, hi_y = _bounds(y.value)
    except ValueError:
        return x.value == y.value
    if lo_x <= hi_y and lo_y <= hi_x:
        return True  # equal values, or overlapping ranges
    if x.hedge or y.hedge:
        mid_x, mid_y = (lo_x + hi_x) / 2, (lo_y + hi_y) / 2
        return abs(mid_x - mid_y) <= HEDGE_TOLERANCE * max(abs(mid_x), abs(mid_y))
    return False


def _same_order(x: Detail, y: Detail) -> bool:
    """Tell whether two figures are within a factor of 20: a misreport is rarely further off."""
    try:
        big, small = sorted((abs(_bounds(x.value)[1]), abs(_bounds(y.value)[1])), reverse=True)
    except ValueError:
        return True
    return small > 0 and big / small <= 20


def _bounds(value: str) -> tuple[float, float]:
    parts = [float(p) for p in value.split("-")]
    return min(parts), max(parts)


def _dates_agree(a: str, b: str) -> bool:
    if a.startswith("weekday:") or b.startswith("weekday:"):
        return True  # an unresolved weekday cannot be checked against a date
    if a.startswith("--") or b.startswith("--"):
        return a[-5:] == b[-5:]
    return a == b


def _comparable(kind: str, x: Detail, y: Detail) -> bool:
    """Tell whether two details fill the same slot of the claim."""
    if kind == "number":
        return unit_class(x.unit) == unit_class(y.unit) and _same_order(x, y)
    if kind == "date":
        return not (x.value.startswith("weekday:") or y.value.startswith("weekday:"))
    # a decade and a year are not one value
    return x.value.endswith("s") == y.value.endswith("s")


def _plain_overlap(
    context: Context, text_a: str, x: Detail, text_b: str, partners: list[Detail], scored: list[tuple[float, int]]
) -> bool:
    """Tell whether the best partner fits only through the governing-word and unit bonuses.

    True (reject) when the words around the two values share almost nothing: a
    shared unit alone ("620 km" / "38 km") does not make one slot.
    """
    y = partners[scored[0][1]]
    return context.overlap(text_a, x, text_b, y) < MIN_CONTEXT / 2


def _slot_pairs(
    kind: str,
    da: list[Detail],
    db: list[Detail],
    text_a: str,
    text_b: str,
    context: Context,
    similarity: float,
    paired: bool,
) -> list[tuple[Detail, Detail, float]]:
    """Pair each value of `a` that `b` does not state with the value of `b` in the same slot.

    A value counts as stated when any value on the other side agrees with it. The
    partner is the comparable value whose surrounding words fit best; with no clear
    fit nothing is reported, since guessing which figure goes with which makes false flags.
    When two sentences are paired one to one as the same claim (or are near
    paraphrases) and each has one such value left, the sentence itself is the
    context; for a figure, so is its counted noun.
    """
    left_a = [x for x in da if not any(_same(kind, x, y) for y in db)]
    left_b = [y for y in db if not any(_same(kind, x, y) for x in da)]
    single = len(left_a) == 1 and len(left_b) == 1
    sure = (paired and similarity >= PAIRED_ALIGNMENT) or similarity >= STRONG_ALIGNMENT
    if sure and single and _comparable(kind, left_a[0], left_b[0]):
        return [(left_a[0], left_b[0], 1.0)]
    pairs = []
    if sure and kind == "number":
        for x in left_a:
            for key in (lambda d: _MEASURES.get(d.unit or "", d.unit), lambda d: unit_class(d.unit)):
                mates = [z for z in left_a if key(z) == key(x)]
                partners = [y for y in left_b if key(y) == key(x)]
                if len(mates) == 1 and len(partners) == 1:
                    pairs.append((x, partners[0], 1.0))
                    break
        return pairs
    for x in da:
        if any(_same(kind, x, y) for y in db):
            continue
        partners = [y for y in db if _comparable(kind, x, y) and not any(_same(kind, z, y) for z in da)]
        scored = sorted(((context.slot_fit(text_a, x, text_b, y), i) for i, y in enumerate(partners)), reverse=True)
        if not scored or scored[0][0] < MIN_CONTEXT or _plain_overlap(context, text_a, x, text_b, partners, scored):
            continue
        best = partners[scored[0][1]]
        rivals = [partners[i] for sc, i in scored[1:] if sc >= scored[0][0] * 0.8]
        if any(not _same(kind, r, best) for r in rivals):
            continue  # two different values fit about as well: ambiguous
        pairs.append((x, best, scored[0][0]))
    return pairs


_TRANSLIT = [
    (r"kh", "h"), (r"gh", "g"), (r"ph", "f"), (r"sh|sch|ch|tch", "s"), (r"zh", "j"), (r"w", "v"),
    (r"q", "k"), (r"c(?=[aou])", "k"), (r"[aeiouy]+", ""), (r"(.)\1", r"\1"), (r"[^a-z ]", " "),
]  # fmt: skip


_TRANSLIT_RE = [(re.compile(p), r) for p, r in _TRANSLIT]


@functools.lru_cache(maxsize=65536)
def translit_key(name: str) -> str:
    """Fold a name to a consonant skeleton so transliterations of it meet."""
    key = name.lower()
    for pattern, repl in _TRANSLIT_RE:
        key = pattern.sub(repl, key)
    return " ".join(sorted(key.split()))


def name_index(sents: Sequence[Sentence]) -> NameIndex:
    """Index the names an article mentions."""
    return NameIndex(d.value for s in sents for d in s.details if d.kind == "entity")


class NameIndex:
    """The names one article mentions, indexed so "does it name X, part of X or a spelling of X" is quick."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = set(names)
        self._by_token: dict[str, list[frozenset[str]]] = {}
        for n in self.names:
            tokens = frozenset(set(n.split()) - _CONNECTOR_WORDS - _TITLES)
            for t in tokens:
                self._by_token.setdefault(t, []).append(tokens)
        self._bare = sorted({_bare_value(n) for n in self.names})
        self._by_key: dict[str, list[str]] = {}
        for b in self._bare:
            self._by_key.setdefault(translit_key(b), []).append(b)

    def knows(self, value: str) -> bool:
        """Tell whether the article mentions this name, part of it, or a spelling of it."""
        if value in self.names:
            return True
        tokens = set(value.split()) - _CONNECTOR_WORDS
        for t in tokens:
            for other in self._by_token.get(t, ()):
                if other <= tokens or tokens <= other:
                    return True
        return any(_is_variant(value, b) for b in self.spellings(value))

    def spellings(self, value: str) -> list[str]:
        """Return the article's names that could be another spelling of value."""
        found = set(self._by_key.get(translit_key(value), ()))
        found.update(m[0] for m in process.extract(value, self._bare, scorer=fuzz.ratio, score_cutoff=80, limit=None))
        return sorted(found)


def name_variants(event: str, a: Sequence[Sentence], b: Sequence[Sentence]) -> list[Discrepancy]:
    """Report names that two sources of one event spell differently, once per pair of spellings."""
    first_a = _first_mentions(a)
    first_b = _first_mentions(b)
    index_b = NameIndex(first_b)
    found: dict[tuple[str, str], Discrepancy] = {}
    for va, (sa, x) in first_a.items():
        if va in first_b:
            continue
        for vb in index_b.spellings(va):
            if vb not in first_b or vb in first_a or not _is_variant(va, vb):
                continue
            sb, y = first_b[vb]
            x2, y2 = _trim_shared(x, y)
            key = (translit_key(x2.text), translit_key(y2.text))
            if key in found:
                continue
            similarity = fuzz.ratio(x2.value, y2.value) / 100
            note = f"same name spelled two ways: {x2.text} / {y2.text}"
            al = Alignment(event, sa.article, sa.index, sb.article, sb.index, similarity)
            found[key] = _make(al, "name", "variant", sa, sb, x2, y2, note, round(0.5 + similarity / 2, 3))
    return list(found.values())


def _first_mentions(sents: Sequence[Sentence]) -> dict[str, tuple[Sentence, Detail]]:
    out: dict[str, tuple[Sentence, Detail]] = {}
    for s in sents:
        for d in s.details:
            if d.kind == "entity" and d.value not in out:
                out[d.value] = (s, d)
    return out


def _trim_shared(x: Detail, y: Detail) -> tuple[Detail, Detail]:
    """Cut the words two names share at either end, leaving the part spelled differently."""
    tx = [m for m in re.finditer(r"[\w’'-]+", x.text)]
    ty = [m for m in re.finditer(r"[\w’'-]+", y.text)]
    if sorted(m.group(0).lower() for m in tx) == sorted(m.group(0).lower() for m in ty):
        return x, y  # the same words in another order: the whole name is the variant
    i = 0
    while i < min(len(tx), len(ty)) - 1 and tx[i].group(0).lower() == ty[i].group(0).lower():
        i += 1
    j = 0
    while j < min(len(tx), len(ty)) - 1 - i and tx[-1 - j].group(0).lower() == ty[-1 - j].group(0).lower():
        j += 1
    return _sub(x, tx[i].start(), tx[len(tx) - 1 - j].end()), _sub(y, ty[i].start(), ty[len(ty) - 1 - j].end())


def _sub(d: Detail, start: int, end: int) -> Detail:
    text = d.text[start:end]
    return Detail(d.kind, text, d.start + start, d.start + end, fold_name(text))


def _is_variant(a: str, b: str) -> bool:
    """Decide with several signals: edit similarity, transliteration key, token order."""
    if a == b or len(a) < 4 or len(b) < 4:
        return False
    if a.startswith(b) or b.startswith(a):
        return False  # a derived form ("Azerbaijan", "Azerbaijanis"), not another spelling
    if re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False  # "Meridian-4" and "Meridian-5" are two things
    same_skeleton = translit_key(a) == translit_key(b)
    close = fuzz.ratio(a, b) >= 80
    reordered = sorted(a.split()) == sorted(b.split())
    # the skeleton folds the letters transliterations swap (Vera/Wera, Qesra/Kesra,
    # Kheibar/Khaybar); without it, the names must start alike and differ in one word
    if same_skeleton and fuzz.ratio(a, b) >= 60:
        return True
    return a[0] == b[0] and (reordered or (close and _one_token_diff(a, b)))


def _one_token_diff(a: str, b: str) -> bool:
    ta, tb = a.replace("-", " ").split(), b.replace("-", " ").split()
    return len(ta) == len(tb)


def _digits_differ(a: str, b: str) -> int:
    if len(a) != len(b):
        return -1
    return sum(1 for x, y in zip(a, b, strict=True) if x != y)


_REPORTED = re.compile(r"\b(?:reported|said|announced|stated|confirmed|told [\w ]{1,30}?|wrote)\s+(?:on\s+)?$", re.I)


def _note(kind: str, x: Detail, y: Detail, reference: Article | None, text_a: str = "", text_b: str = "") -> str:
    """Say in plain words what differs, and why it may matter."""
    differ = _digits_differ(x.value, y.value) if kind in ("year", "number") else -1
    if kind == "date":
        text = f"different dates: {x.text} ({x.value}) vs {y.text} ({y.value})"
        reported = [d for d, t in ((x, text_a), (y, text_b)) if _REPORTED.search(t[: d.start])]
        if reported:
            # "have launched ..., Dana reported on November 24": by that date it had begun
            d = reported[0]
            quoted = _phrase_before(text_a if d is x else text_b, d)
            text += f"; {d.text} is the date of a report ('{quoted}'), by which the event had already taken place"
        try:
            gap = abs((date.fromisoformat(x.value) - date.fromisoformat(y.value)).days)
        except ValueError:
            gap = None
        if gap == 1:
            text += "; one day apart, which may be a reporting-date or time-zone effect"
    elif differ == 1:
        text = f"one digit differs: {x.text} vs {y.text}"
    else:
        label = "years" if kind == "year" else "figures"
        text = f"different {label}: {x.text} vs {y.text}"
        if kind == "number" and x.unit:
            text += f" ({x.unit})"
    if reference is not None:
        name = reference.title or reference.path
        text += f"; the reference '{name}' says {y.text}"
    return text


def _phrase_before(text: str, d: Detail) -> str:
    """Return the few words ending with a value, as the note quotes them."""
    words = text[: d.end].split()
    return " ".join(words[-5:])


def _confidence(kind: str, x: Detail, y: Detail, align_score: float, fit: float) -> float:
    """Combine how sure the kind is, how alike the sentences are and how well the slots fit."""
    base = {"year": 0.9, "number": 0.8, "date": 0.75}[kind]
    if x.hedge or y.hedge:
        base -= 0.2
    return round(max(0.05, min(1.0, base * (0.4 + align_score / 2 + min(fit, 0.4) / 4))), 3)


def _make(
    alignment: Alignment,
    kind: DiscrepancyKind,
    severity: Severity,
    sa: Sentence,
    sb: Sentence,
    x: Detail,
    y: Detail,
    note: str,
    score: float,
) -> Discrepancy:
    key = f"{kind}|{sa.article}|{sa.index}|{x.start}|{sb.article}|{sb.index}|{y.start}"
    return Discrepancy(
        id="d-" + hashlib.sha1(key.encode()).hexdigest()[:10],
        event=alignment.event,
        kind=kind,
        severity=severity,
        score=round(score, 3),
        note=note,
        a=Side(sa.article, sa.text, x.text, x.start, x.end, x.value),
        b=Side(sb.article, sb.text, y.text, y.start, y.end, y.value),
    )


MIN_NAME_CONTEXT = 0.15


def name_conflicts(
    alignment: Alignment,
    sa: Sentence,
    sb: Sentence,
    names_a: NameIndex,
    names_b: NameIndex,
    context: Context,
) -> list[Discrepancy]:
    """Flag the same role filled by different names in two sentences stating one claim.

    A name counts only when the other article never mentions it (nor a spelling or
    a part of it). The two must stand in the same slot: the same title or role
    words before them ("Governor", "election commission chair", "the village of"),
    or shared words around them ("head of the Emergency Authority").
    """
    if alignment.score < WEAK_NAME_ALIGNMENT:
        return []
    left_a = _unknown_names(sa, names_b)
    left_b = _unknown_names(sb, names_a)
    found = []
    for x, role_x in left_a:
        scored = sorted(
            (
                (context.overlap(sa.text, x, sb.text, y) + _role_fit(x, role_x, y, role_y), i)
                for i, (y, role_y) in enumerate(left_b)
                if _same_shape(x, y) and (alignment.score >= NAME_ALIGNMENT or role_x & role_y)
            ),
            reverse=True,
        )
        if not scored or scored[0][0] < MIN_NAME_CONTEXT:
            continue
        if len(scored) > 1 and scored[1][0] >= 0.8 * scored[0][0]:
            continue  # two names fit about as well: which one fills the role is unclear
        y = left_b[scored[0][1]][0]
        note = f"different names in the same role: {x.text} vs {y.text}"
        score = round(min(0.95, 0.3 + scored[0][0] / 2 + alignment.score / 4), 3)
        found.append(_make(alignment, "name", "conflict", sa, sb, x, y, note, score))
    return found


NAME_ALIGNMENT = 0.35  # sentences less alike than this rarely name one role...
WEAK_NAME_ALIGNMENT = 0.25  # ...unless the same role words stand before both names ("mediator")
ROLE_BONUS = 0.3  # the same title or role words before both names


def _role_fit(x: Detail, role_x: set[str], y: Detail, role_y: set[str]) -> float:
    """Score the signs that two names fill one role: the same role words before them, the same kind of place.

    "Hollin Primary School" and "Ashby Primary School" are two schools: the same
    trailing words, a different name.
    """
    fit = ROLE_BONUS if role_x & role_y else 0.0
    wx, wy = x.value.split(), y.value.split()
    if len(wx) >= 2 and len(wy) >= 2 and wx[-1] == wy[-1] and wx[0] != wy[0]:
        fit += ROLE_BONUS
    return fit


def _unknown_names(sent: Sentence, other: NameIndex) -> list[tuple[Detail, set[str]]]:
    """Return the sentence's names, titles stripped, that the other article never mentions, with their role words."""
    out = []
    for d in sent.details:
        if d.kind == "entity" and _sentence_initial_word(sent.text, d):
            continue  # "Talks collapsed", "Extra clinics": capitalised by position, not a name
        if d.kind == "entity" and not other.knows(d.value):
            bare = _bare(d)
            if bare is not None and not other.knows(bare.value):
                out.append((bare, _role_words(sent.text, bare)))
    return out


def _sentence_initial_word(text: str, d: Detail) -> bool:
    """Tell a single capitalised word that opens the sentence (a name only by chance)."""
    return " " not in d.text and not text[: d.start].strip(" “\"‘'(")


def _role_words(text: str, d: Detail) -> set[str]:
    """Return the word right before a name that says its role: "mediator Henrik Sorel", "Judge Ana Lopes"."""
    before = re.findall(r"[\w’'-]+", text[: d.start].lower())
    while before and before[-1] in ("the", "a", "an"):
        before.pop()
    if not before or not content_words(before[-1]) or not before[-1].isalpha():
        return set()  # "volunteers from the Courier": "from" says nothing of a role
    return {before[-1]}


def _bare(d: Detail) -> Detail | None:
    """Strip the title from a name ("Tarvenian Deputy Commerce Minister Oskar Lenz" -> "Oskar Lenz").

    Returns None when nothing but a title is left.
    """
    words = list(re.finditer(r"[\w’'-]+", d.text))
    titles = [i for i, w in enumerate(words) if w.group(0).lower().rstrip(".") in _TITLES]
    if not titles:
        return d
    first = titles[-1] + 1
    if first >= len(words):
        return None
    return _sub(d, words[first].start(), len(d.text))


def _bare_value(name: str) -> str:
    """Return a folded name without its title words."""
    words = name.split()
    titles = [i for i, w in enumerate(words) if w in _TITLES]
    return " ".join(words[titles[-1] + 1 :]) if titles and titles[-1] + 1 < len(words) else name


def role_conflicts(event: str, a: Sequence[Sentence], b: Sequence[Sentence]) -> list[Discrepancy]:
    """Flag one titled role filled by different people in two sources of an event.

    "Transport Minister Lukas Berg" in one source and "Transport Minister Helena
    Strom" in the other, wherever in the articles they stand, when neither source
    mentions the other's person.
    """
    names_a, names_b = name_index(a), name_index(b)
    roles_b = _titled(b, names_a)
    found: dict[tuple[str, str], Discrepancy] = {}
    for sa, x, title_x in _titled(a, names_b):
        matches = [(sb, y) for sb, y, title_y in roles_b if _same_title(title_x, title_y)]
        people = {y.value for _, y in matches}
        if len(people) != 1:
            continue  # nobody, or several people, hold that title in the other source
        sb, y = matches[0]
        key = (x.value, y.value)
        if key in found:
            continue
        al = Alignment(event, sa.article, sa.index, sb.article, sb.index, 0.0)
        note = f"the same title, different people: {' '.join(title_x)} {x.text} vs {y.text}"
        found[key] = _make(al, "name", "conflict", sa, sb, x, y, note, 0.7)
    return list(found.values())


def _titled(sents: Sequence[Sentence], other: NameIndex) -> list[tuple[Sentence, Detail, tuple[str, ...]]]:
    """Return the people named with a title that the other article never mentions, with the title."""
    out = []
    for s in sents:
        for d in s.details:
            if d.kind != "entity" or other.knows(d.value):
                continue
            bare = _bare(d)
            if bare is None or bare is d or len(bare.text.split()) < 2 or other.knows(bare.value):
                continue
            words = [w.lower() for w in re.findall(r"[\w’'-]+", d.text[: bare.start - d.start])]
            title = tuple(w for w in words if w in _TITLES)
            if title:
                out.append((s, bare, title))
    return out


def _same_title(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    """Tell whether two titles name one office: the same head word, no clashing qualifier."""
    if x[-1] != y[-1]:
        return False
    qualifiers_x, qualifiers_y = set(x[:-1]), set(y[:-1])
    return not qualifiers_x or not qualifiers_y or qualifiers_x == qualifiers_y


_CONNECTOR_WORDS = {"of", "the", "al", "bin", "de", "del", "van", "von", "der", "and", "for", "da"}


def _same_shape(x: Detail, y: Detail) -> bool:
    """Two people's names, or two one-word place names: not a person against a place."""
    return (len(x.text.split()) >= 2) == (len(y.text.split()) >= 2)
