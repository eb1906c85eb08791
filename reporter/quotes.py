"""Pair the quotations two sources give, by speaker then wording, and grade each pair."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .compare import discrepancy_id, per_article
from .extract import details as find_details
from .model import Detail, Discrepancy, Grade, QuotePair, Sentence, Severity, Side
from .text import WORD, fold_name, translit_key

MIN_SAME_SPEAKER = 45.0  # wording similarity (0-100) for two quotes of one speaker to be one quote
MIN_UNKNOWN_SPEAKER = 72.0  # without a speaker on one side, the wording alone must be close
SAME_REMARK = 75.0  # character similarity (0-100) two quotations need to be read as one remark that one source changed
MIN_WORDS = 4  # two or three quoted words are a name or a scare quote, not a quotation
_NEGATION = re.compile(r"\b(?:not|no|never|none|nothing|neither|nor|cannot|without)\b|n[’']t\b", re.I)
# a negation word that strengthens what follows rather than denying it ("nothing less than the future of
# Europe", "not only", "no doubt"): a quotation with it says the same as one without
_EMPHATIC = re.compile(r"\b(?:nothing|no|none) (?:less|more|other) than\b|\bnot only\b|\bno doubt\b", re.I)
_SUPERLATIVE = re.compile(r"\b(?:\w{3,}est|most|least|biggest|best|worst)\b", re.I)
_ONE_OF = re.compile(r"\bone of (?:the|our|their|its|his|her)\b", re.I)


@dataclass(frozen=True)
class _Quote:
    sentence: Sentence
    detail: Detail

    @functools.cached_property  # asked for each quotation of every other source of the event
    def speaker_key(self) -> str | None:
        speaker = self.detail.speaker
        if not speaker or speaker in ("he", "she", "they"):
            return None
        # "Saeed Khatibzadeh" and "Khatibzadeh" are one speaker, and so are "Rusko" and "Ruško"
        return fold_name(speaker.split()[-1])


def _same_speaker(a: str, b: str) -> bool:
    """Tell whether two surnames are one person's, spelled alike or transliterated ("Tolosa", "Tolossa")."""
    return a == b or translit_key(a) == translit_key(b) or fuzz.ratio(a, b) >= 85


@functools.lru_cache(maxsize=100_000)
def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower().replace("’", "'") for w in WORD.findall(text))


def word_diff(a: str, b: str) -> str:
    """Return a word-level diff: kept words plain, [-removed-] and {+added+}."""
    wa, wb = WORD.findall(a), WORD.findall(b)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=[w.lower() for w in wa], b=[w.lower() for w in wb], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(wa[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(wa[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(wb[j1:j2]) + "+}")
    return " ".join(out)


def grade(a: str, b: str) -> tuple[Grade, str]:
    """Grade two quotations: same, partial, reworded or contradicting, with the reason."""
    wa, wb = _words(a), _words(b)
    if wa == wb:
        return "same", "the same words"
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if _contains(long_, short):
        return "partial", "one source quotes part of the other's quotation"
    if len(short) < 0.6 * len(long_):
        # one source quotes a fragment: judge it against the part of the longer
        # quotation it matches, not against words it never quoted
        shorter, longer = (a, b) if len(wa) <= len(wb) else (b, a)
        window = fuzz.partial_ratio_alignment(shorter.lower(), longer.lower())
        if window is not None:
            part = longer[window.dest_start : window.dest_end]
            a, b = (shorter, part) if len(wa) <= len(wb) else (part, shorter)
    if fuzz.ratio(a.lower(), b.lower()) < SAME_REMARK:
        # two remarks of one speaker, or one remark translated twice: different words, not a contradiction
        return "reworded", "different words for the same statement"
    if _negations(a) % 2 != _negations(b) % 2:
        return "contradicting", "one quotation negates what the other says"
    numbers_a = _figures(a)
    numbers_b = _figures(b)
    if numbers_a != numbers_b and (numbers_a or numbers_b):
        return "contradicting", "the quotations give different figures"
    if _claim_rank(a) != _claim_rank(b):
        return "contradicting", "one quotation makes a superlative claim the other does not"
    if fuzz.partial_ratio(" ".join(short), " ".join(long_)) >= 97 and len(short) >= 3:
        return "partial", "one source quotes part of the other's quotation"
    return "reworded", "different words for the same statement"


def _negations(text: str) -> int:
    """Count the words that deny what a quotation says, emphatic ones ("nothing less than") left out."""
    return len(_NEGATION.findall(_EMPHATIC.sub(" ", text)))


def _figures(text: str) -> set[str]:
    """Return the figures a quotation states; a rank ("11th hour") is a word, not a figure."""
    return {d.value for d in find_details(text) if d.kind in ("number", "year") and d.unit != "ordinal"}


def _claim_rank(text: str) -> str:
    """Say how strong a claim of rank is: "the largest", "one of the largest", or none."""
    if not _SUPERLATIVE.search(text):
        return "none"
    return "one of" if _ONE_OF.search(text) else "the"


def _contains(long_: tuple[str, ...], short: tuple[str, ...]) -> bool:
    n = len(short)
    return n > 0 and any(long_[i : i + n] == short for i in range(len(long_) - n + 1))


@per_article
def _quotes(sents: Sequence[Sentence]) -> tuple[_Quote, ...]:
    """Return an article's quotations, once per article: it meets every other source of its event."""
    return tuple(_Quote(s, d) for s in sents for d in s.details if d.kind == "quote" and len(_words(d.text)) >= 2)


def pair_quotes(event: str, a: Sequence[Sentence], b: Sequence[Sentence]) -> list[QuotePair]:
    """Pair the quotations of two articles one to one, by speaker first, then by wording."""
    qa, qb = _quotes(a), _quotes(b)
    candidates: list[tuple[float, int, int]] = []
    if not qa or not qb:
        return []
    for i, x in enumerate(qa):
        for j, y in enumerate(qb):
            if x.speaker_key and y.speaker_key and not _same_speaker(x.speaker_key, y.speaker_key):
                continue  # two people saying similar things are not one quote
            wx, wy = _words(x.detail.text), _words(y.detail.text)
            if min(len(wx), len(wy)) < MIN_WORDS and not (_contains(wx, wy) or _contains(wy, wx)):
                continue  # a short quotation pairs only as part of a longer one ("Why now?")
            similarity = fuzz.token_set_ratio(x.detail.value, y.detail.value)
            known = x.speaker_key is not None and y.speaker_key is not None
            if similarity >= (MIN_SAME_SPEAKER if known else MIN_UNKNOWN_SPEAKER):
                candidates.append((similarity + (100 if known else 0), i, j))
    pairs: list[QuotePair] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        x, y = qa[i], qb[j]
        g, why = grade(x.detail.text, y.detail.text)
        speaker = x.detail.speaker if x.speaker_key else y.detail.speaker
        pairs.append(
            QuotePair(
                event=event,
                speaker=speaker if speaker not in ("he", "she", "they") else None,
                grade=g,
                reason=why,
                diff=word_diff(x.detail.text, y.detail.text),
                a=_side(x),
                b=_side(y),
            )
        )
    return sorted(pairs, key=lambda p: (p.a.article, p.a.start, p.b.article))


def _side(q: _Quote) -> Side:
    d = q.detail
    return Side(q.sentence.article, q.sentence.text, d.text, d.start, d.end, d.value)


def quote_discrepancies(pairs: Sequence[QuotePair]) -> list[Discrepancy]:
    """Report contradicting quotations as conflicts and reworded ones as variants."""
    out = []
    for p in pairs:
        if p.grade not in ("contradicting", "reworded"):
            continue
        severity: Severity = "conflict" if p.grade == "contradicting" else "variant"
        who = f"{p.speaker}'s" if p.speaker else "the"
        note = f"{who} quotation differs: {p.reason}; words: {p.diff}"

        score = 0.8 if p.grade == "contradicting" else 0.6
        if p.speaker is None:
            score -= 0.15  # paired on wording alone
        out.append(
            Discrepancy(
                id=discrepancy_id("quote", p.a.article, p.a.sentence, p.a.start, p.b.article, p.b.sentence, p.b.start),
                event=p.event,
                kind="quote",
                severity=severity,
                score=round(score, 3),
                note=note,
                a=p.a,
                b=p.b,
            )
        )
    return out
