"""Compare the names two sources give: spellings of one name, and one role filled by two people."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence

from rapidfuzz import fuzz, process

from .align import content_words
from .compare import Context, after_preposition, make_discrepancy, per_article, per_sentence, stamped
from .extract import RANKS
from .extract import TITLES as _TITLES
from .model import Alignment, Detail, Discrepancy, Sentence
from .text import (
    CALENDAR_WORDS,
    CONNECTORS,
    MAX_ACRONYM,
    MAX_CONTRACTION,
    fold_name,
    is_noun,
    only_noun,
    place_keys,
    same_name,
    translit_key,
)


def name_index(sents: Sequence[Sentence]) -> NameIndex:
    """Index the names an article mentions."""
    return NameIndex(d.value for s in sents for d in s.details if d.kind == "entity")


class NameIndex:
    """The names one article mentions, indexed so "does it name X, part of X or a spelling of X" is quick."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = set(names)
        self._by_token: dict[str, list[frozenset[str]]] = {}
        for n in self.names:
            tokens = frozenset(set(n.split()) - CONNECTORS - _TITLES)
            for t in tokens:
                self._by_token.setdefault(t, []).append(tokens)
        self._bare = sorted({_bare_value(n) for n in self.names})
        self._by_key: dict[str, list[str]] = {}
        for b in self._bare:
            self._by_key.setdefault(translit_key(b), []).append(b)
        self._known: dict[str, bool] = {}  # every pair of an event asks about the same names again
        self._spellings: dict[str, list[str]] = {}
        self._unknown: dict[int, tuple[Sentence, list[tuple[Detail, frozenset[str]]]]] = {}
        self._initials: list[tuple[str, int, str]] | None = None
        self._place_keys: dict[str, list[str]] | None = None  # built on first need: most names are known at once
        # names by the first and last letters of their words, long words and short ones
        self._ends: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None
        self._joined = {n.replace(" ", "") for n in (*self.names, *self._bare)}  # "Del Giudice" as "DelGiudice"

    def knows(self, value: str) -> bool:
        """Tell whether the article mentions this name, part of it, or a spelling of it."""
        known = self._known.get(value)
        if known is None:
            known = self._known[value] = self._knows(value)
        return known

    def _knows(self, value: str) -> bool:
        if value in self.names:
            return True
        if value.replace(" ", "") in self._joined:
            return True  # "DelGiudice" / "Del Giudice": the same letters with a space or without
        tokens = set(value.split()) - CONNECTORS
        for t in tokens:
            for other in self._by_token.get(t, ()):
                if other <= tokens or tokens <= other:
                    return True
        if any(_is_variant(value, b) or _one_more_letter(value, b) for b in self.spellings(value)):
            return True
        return any(same_name(value, n) or _inner_form(value, n) for n in self._forms_of(value))

    def _forms_of(self, value: str) -> list[str]:
        """Return the article's names that may be a short or long form of value: those sharing a place key or a word."""
        if self._place_keys is None:
            self._place_keys = {}
            for n in self.names:
                for key in place_keys(n):
                    self._place_keys.setdefault(key, []).append(n)
        found = [n for key in place_keys(value) for n in self._place_keys.get(key, ())]
        if self._ends is None:  # a contraction keeps its word's first and last letters ("st" / "street")
            self._ends = ({}, {})
            for n in self.names:
                for w in set(n.split()):
                    if w.isalpha() and len(w) >= 2:
                        self._ends[len(w) <= MAX_CONTRACTION].setdefault(w[0] + w[-1], []).append(n)
        longer, shorter = self._ends
        for w in set(value.split()):
            if w.isalpha() and len(w) >= 2:
                found += shorter.get(w[0] + w[-1], ())
                if len(w) <= MAX_CONTRACTION:
                    found += longer.get(w[0] + w[-1], ())
        short = [w for w in value.split() if 2 <= len(w) <= MAX_ACRONYM]
        if short:
            if self._initials is None:  # once per article: every name's word count and initials
                self._initials = [
                    (n, len(n.split()), "".join(w[0] for w in n.split() if w not in CONNECTORS)) for n in self.names
                ]
            words = len(value.split())
            # only a longer name whose initials hold a short word (or all of it but the first
            # letter, see same_name) can be its long form: a substring test, not a parse per name
            found += [
                n
                for n, count, initials in self._initials
                if count > words and any(w in initials or (len(w) >= 3 and w[1:] in initials) for w in short)
            ]
        return found

    def unknown(self, sent: Sentence) -> list[tuple[Detail, frozenset[str]]]:
        """Return a sentence's names, titles stripped, that this article never mentions, with their role words.

        Cached by sentence: a sentence is aligned with several of this article's sentences.
        """
        hit = self._unknown.get(id(sent))
        if hit is not None and hit[0] is sent:
            return hit[1]
        found = [
            (bare, role)
            for d, bare, role in _names_with_roles(sent)
            if not self.knows(d.value) and not self.knows(bare.value)
        ]
        self._unknown[id(sent)] = (sent, found)  # the entry keeps its sentence alive: an id is not reused
        return found

    def spellings(self, value: str) -> list[str]:
        """Return the article's names that could be another spelling of value."""
        spelled = self._spellings.get(value)
        if spelled is None:  # asked again for each other source of the event that names value
            found = set(self._by_key.get(translit_key(value), ()))
            found.update(
                m[0] for m in process.extract(value, self._bare, scorer=fuzz.ratio, score_cutoff=80, limit=None)
            )
            spelled = self._spellings[value] = sorted(found)
        return spelled


def _inner_form(value: str, name: str) -> bool:
    """Tell a short form of a run of a longer name's words ("medical assn" / "president of the medical
    association of the state of alabama", "aoraki mt cook" / "aoraki mount cook national park")."""
    words, longer = value.split(), [w for w in name.split() if w not in CONNECTORS]
    n = len(words)
    return 2 <= n < len(longer) and any(
        same_name(value, " ".join(longer[i : i + n])) for i in range(len(longer) - n + 1)
    )


def name_variants(event: str, a: Sequence[Sentence], b: Sequence[Sentence], index_b: NameIndex) -> list[Discrepancy]:
    """Report names that two sources of one event spell differently, once per pair of spellings.

    `index_b` is the name index of `b` (name_index(b)), built once per article.
    """
    first_a = _first_mentions(a)
    first_b = _first_mentions(b)
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
            found[key] = make_discrepancy(al, "name", "variant", sa, sb, x2, y2, note, round(0.5 + similarity / 2, 3))
    return list(found.values())


@per_article
def _first_mentions(sents: Sequence[Sentence]) -> Mapping[str, tuple[Sentence, Detail]]:
    """Return where an article first names each name, once per article: it meets every other source."""
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
    if a[0] == b[0] and (reordered or (close and _one_token_diff(a, b))):
        return True
    return _spelled_alike(a, b)


SPELLED_ALIKE = 80  # rapidfuzz ratio of two words that are one word spelled two ways ("Giannis" / "Yiannis")
JOINED_ALIKE = 94  # ... of two long names written without spaces ("Co-operation" / "Cooperation")
MIN_JOINED = 12  # letters a name needs before one letter in it may differ


def _spelled_alike(a: str, b: str) -> bool:
    """Tell one name spelled two ways word by word: every word close, initials left out.

    "Gurbanguly Berdimuhamedov" / "Kurbanguly Berdymukhamedov", "Philip H. Hickock" /
    "Philip Hickok", "Organisation for Security and Co-operation" / "Organization for Security
    and Cooperation". A short word differing in a letter is another name ("Rob" / "Bob").
    """
    wa, wb = [w for w in a.split() if len(w) > 1], [w for w in b.split() if len(w) > 1]
    if len(wa) >= 2 and len(wa) == len(wb):
        pairs = list(zip(wa, wb, strict=True))
        if all(u == v or (min(len(u), len(v)) >= 4 and fuzz.ratio(u, v) >= SPELLED_ALIKE) for u, v in pairs):
            return True
    ja, jb = "".join(wa), "".join(wb)
    return min(len(ja), len(jb)) >= MIN_JOINED and fuzz.ratio(ja, jb) >= JOINED_ALIKE


def _one_more_letter(a: str, b: str) -> bool:
    """Tell one name from a longer spelling of it by a letter or two at its end ("Rait" / "Raite")."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and 0 < len(long) - len(short) <= 2 and " " not in long[len(short) :]


ONE_WORD_ALIKE = 50  # rapidfuzz ratio of the words two spellings of one name differ in ("Savar" / "Savvar")


def _one_token_diff(a: str, b: str) -> bool:
    """Tell two names of as many words whose differing words are spelled alike: "Craig Zadan and Neil
    Meron" / "Craig Village and Neil Meron" share all but a surname, which is another person's."""
    ta, tb = a.replace("-", " ").split(), b.replace("-", " ").split()
    if len(ta) != len(tb):
        return False
    return all(
        u == v or fuzz.ratio(u, v) >= ONE_WORD_ALIKE or translit_key(u) == translit_key(v)
        for u, v in zip(ta, tb, strict=True)
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
    with_roles_a, with_roles_b = _names_with_roles(sa), _names_with_roles(sb)
    if not with_roles_a or not with_roles_b or stamped(sa) or stamped(sb):
        return []  # a stamp's "PM EDT" is no name
    # asking which names the other article knows costs more than telling that no two could fill one role
    if alignment.score >= NAME_ALIGNMENT:
        if not _shapes(sa) & _shapes(sb):
            return []
    elif not any(_same_shape(x, y) and rx & ry for _, x, rx in with_roles_a for _, y, ry in with_roles_b):
        return []
    left_a = names_b.unknown(sa)
    left_b = names_a.unknown(sb) if left_a else []
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
        y, role_y = left_b[scored[0][1]]
        # two names of people in sentences only loosely alike: one act shared by chance ("said",
        # "expressed interest") is no role; a title or role word both hold is
        loose_people = _is_person(x) and _is_person(y) and alignment.score < ONE_ACT_ALIGNMENT
        if _two_holders(role_x & role_y, sa, sb) or not (
            role_x & role_y or _same_kind(x, y, noun=True) or (_same_act(sa, sb) and not loose_people)
        ):
            continue  # two people each doing or saying something else, in no shared role: both may be right
        note = f"different names in the same role: {x.text} vs {y.text}"
        score = round(min(0.95, 0.3 + scored[0][0] / 2 + alignment.score / 4), 3)
        found.append(make_discrepancy(alignment, "name", "conflict", sa, sb, x, y, note, score))
    return found


@per_sentence
def _shapes(sent: Sentence) -> frozenset[bool]:
    """Return the shapes (see _same_shape) of the names of a sentence that may fill a role."""
    return frozenset(_is_person(bare) for _, bare, _ in _names_with_roles(sent))


ONE_ACT_ALIGNMENT = 0.6  # below this, two people's names need a role in common, not only an act
NAME_ALIGNMENT = 0.35  # sentences less alike than this rarely name one role...
WEAK_NAME_ALIGNMENT = 0.25  # ...unless the same role words stand before both names ("mediator")
_NEAR = re.compile(r"\b(?:near|nearby|beside|outside|close to)\s+(?:the\s+)?$", re.I)
ROLE_BONUS = 0.3  # the same title or role words before both names


def _role_fit(x: Detail, role_x: frozenset[str], y: Detail, role_y: frozenset[str]) -> float:
    """Score the signs that two names fill one role: the same role words before them, the same kind of place."""
    return (ROLE_BONUS if role_x & role_y else 0.0) + (ROLE_BONUS if _same_kind(x, y) else 0.0)


def _same_kind(x: Detail, y: Detail, noun: bool = False) -> bool:
    """Tell two names of one kind of thing: "Hollin Primary School" and "Ashby Primary School" are two
    schools, the same trailing words and a different name. With `noun`, the trailing word must be a
    common noun that says the kind ("school", not the surname of "Katie Jenkin" / "Kathryn Jenkin")."""
    wx, wy = x.value.split(), y.value.split()
    return len(wx) >= 2 and len(wy) >= 2 and wx[-1] == wy[-1] and wx[0] != wy[0] and (not noun or is_noun(wx[-1]))


@per_sentence
def _names_with_roles(sent: Sentence) -> tuple[tuple[Detail, Detail, frozenset[str]], ...]:
    """Return each name of a sentence that may fill a role: as written, without its title, and its role words.

    Cached: a sentence is compared with every source of its event.
    """
    out = []
    for d in sent.details:
        if d.kind != "entity" or _sentence_initial_word(sent.text, d):
            continue  # "Talks collapsed", "Extra clinics": capitalised by position, not a name
        if _acronym(d.text):
            continue  # "DWI", "TKO", "PST", "N.Y.": an offence, an outcome, a zone or a short form, no rival name
        noun = _NEXT_LOWER.match(sent.text, d.end)
        if noun and only_noun(noun.group(1)):
            continue  # "a pinup of US people", "the Obama administration": a name qualifying a noun fills no role
        if _TOLD.search(sent.text, max(0, d.start - 12), d.start) and _CLAUSE_END.match(sent.text, d.end):
            continue  # "her rep told People.": whom a source spoke to, the outlet, fills no role of the event
        bare = _bare(d)
        if bare is None:
            continue
        if _NEAR.search(sent.text, max(0, bare.start - 16), bare.start):
            continue  # "a ridge near the Tasman Glacier" / "near the Tasman Saddle Hut": many landmarks are near
        role = frozenset(_role_words(sent.text, bare))
        if not role and " " not in bare.text and after_preposition(sent.text, bare.start, through_article=True):
            continue  # "on the Riviera", "in Heraklion": a place mentioned, no role of the event
        out.append((d, bare, role))
    return tuple(out)


_NEXT_LOWER = re.compile(r" ([a-z]{3,})\b")
_CLAUSE_BREAK = re.compile(r"([\w’'-]+)[,;:]\s*$")  # "the general manager, A.J. Smith": a role after all
_ACRONYM_WORD = re.compile(r"(?:[A-Z]\.?){2,6}(?:s|['’]s)?")


def _acronym(name: str) -> bool:
    """Tell a name written only in capitals and initials ("DWI", "N.Y", "KOs", "GI's")."""
    return all(_ACRONYM_WORD.fullmatch(w) for w in name.split())


_TOLD = re.compile(r"\btold\s+(?:the\s+)?$")
_CLAUSE_END = re.compile(r"(?:\.[a-z]{2,4})?\s*(?:[.,;!?]|$)")  # "told UsMagazine.com."


def _sentence_initial_word(text: str, d: Detail) -> bool:
    """Tell a single capitalised word that opens the sentence or a quotation in it (a name only by
    chance): 'yelled, "Hide, she's got a gun!"' names no one called Hide."""
    if " " in d.text:
        return False
    before = text[: d.start]
    if not before.strip(" “\"‘'("):
        return True
    opened = before.rstrip()
    return opened[-1:] in '“"‘' and (len(opened) == 1 or not opened[-2].isalnum())


def _role_words(text: str, d: Detail) -> set[str]:
    """Return the word right before a name that says its role: "mediator Henrik Sorel", "Judge Ana Lopes"."""
    broken = _CLAUSE_BREAK.search(text, max(0, d.start - 40), d.start)
    if broken and (not broken.group(1).islower() or broken.group(1) in CALENDAR_WORDS):
        return set()  # "in Vancouver on Friday, Ann Pinder said": a name or a day before a comma is no role of hers
    before = re.findall(r"[\w’'-]+", text[: d.start].lower())
    while before and before[-1] in ("the", "a", "an"):
        before.pop()
    if len(before) >= 2 and before[-1] == "of" and content_words(before[-2]) and before[-2].isalpha():
        return {before[-2]}  # "the village of Orvik": the noun before "of" says what kind of place fills the role
    if not before or not content_words(before[-1]) or not before[-1].isalpha():
        return set()  # "volunteers from the Courier": "from" says nothing of a role
    return {before[-1]}


@functools.lru_cache(maxsize=100_000)
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


def role_conflicts(
    event: str, a: Sequence[Sentence], b: Sequence[Sentence], names_a: NameIndex, names_b: NameIndex
) -> list[Discrepancy]:
    """Flag one titled role filled by different people in two sources of an event.

    "Transport Minister Lukas Berg" in one source and "Transport Minister Helena
    Strom" in the other, wherever in the articles they stand, when neither source
    mentions the other's person. `names_a`, `names_b` are the articles' name indexes.
    """
    roles_b = _titled(b, names_a)
    if not roles_b:
        return []  # nothing to set a's titled people against: asking which b knows would be wasted
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
        if _two_holders({title_x[-1]}, sa, sb):
            continue
        al = Alignment(event, sa.article, sa.index, sb.article, sb.index, 0.0)
        note = f"the same title, different people: {' '.join(title_x)} {x.text} vs {y.text}"
        found[key] = make_discrepancy(al, "name", "conflict", sa, sb, x, y, note, 0.7)
    return list(found.values())


def namesake_conflicts(
    event: str, a: Sequence[Sentence], b: Sequence[Sentence], names_a: NameIndex, names_b: NameIndex
) -> list[Discrepancy]:
    """Flag one person given two surnames by two sources of an event ("Madeline Kafoury" / "Madeline Youkilis").

    Both sources name a person with the same given name, each only under its own surname,
    and neither mentions the other's surname at all. A name counts as a person's only when
    its article also calls them by the surname alone, as reports name a person in full once
    and by surname after; places and organisations are not named so ("New York", "San Diego").
    Each source must have one person of that given name.
    """
    people_a, people_b = _people(a), _people(b)
    found: list[Discrepancy] = []
    for given, (sa, x, surname_x) in people_a.items():
        other = people_b.get(given)
        if other is None:
            continue
        sb, y, surname_y = other
        if surname_x == surname_y or names_b.knows(surname_x) or names_a.knows(surname_y):
            continue
        if _is_variant(x.value, y.value) or _one_more_letter(surname_x, surname_y):
            continue  # two spellings of one name are a variant, reported as such
        al = Alignment(event, sa.article, sa.index, sb.article, sb.index, 0.0)
        note = f"the same given name, different surnames: {x.text} vs {y.text}"
        found.append(make_discrepancy(al, "name", "conflict", sa, sb, x, y, note, 0.6))
    return found


@per_article
def _people(sents: Sequence[Sentence]) -> Mapping[str, tuple[Sentence, Detail, str]]:
    """Return the people an article names in full and by surname alone, by given name (one person each).

    Each is the first full mention, with its surname; a given name two people share is left out.
    """
    alone = {d.value for s in sents for d in s.details if d.kind == "entity" and " " not in d.value}
    full: dict[str, tuple[Sentence, Detail, str]] = {}
    shared: set[str] = set()
    for s in sents:
        for d in s.details:
            if d.kind != "entity":
                continue
            bare = _bare(d)
            if bare is None:
                continue
            words = bare.value.split()
            if not 2 <= len(words) <= 3 or not all(w.isalpha() and len(w) >= 2 for w in words):
                continue
            given, surname = words[0], words[-1]
            if surname not in alone or given in alone or given in CONNECTORS or place_keys(bare.value):
                continue
            seen = full.get(given)
            if seen is None:
                full[given] = (s, bare, surname)
            elif seen[2] != surname:
                shared.add(given)
    return {g: v for g, v in full.items() if g not in shared}


def _titled(sents: Sequence[Sentence], other: NameIndex) -> list[tuple[Sentence, Detail, tuple[str, ...]]]:
    """Return the people named with a title that the other article never mentions, with the title."""
    return [
        (s, bare, title)
        for s, d, bare, title in _titled_people(sents)
        if not other.knows(d.value) and not other.knows(bare.value)
    ]


TitledPerson = tuple[Sentence, Detail, Detail, tuple[str, ...]]  # sentence, name as written, without title, title


@per_article
def _titled_people(sents: Sequence[Sentence]) -> tuple[TitledPerson, ...]:
    """Return the people an article names with a title, once per article: it meets every other source."""
    return tuple((s, d, bare, title) for s in sents for d, bare, title in _titled_names(s))


@per_sentence
def _titled_names(sent: Sentence) -> tuple[tuple[Detail, Detail, tuple[str, ...]], ...]:
    """Return the people a sentence names with a title: the name as written, without the title, and the title."""
    out = []
    for d in sent.details:
        if d.kind != "entity":
            continue
        bare = _bare(d)
        if bare is None or bare is d or len(bare.text.split()) < 2:
            continue
        words = [w.lower() for w in re.findall(r"[\w’'-]+", d.text[: bare.start - d.start])]
        title = tuple(w for w in words if w in _TITLES)
        if title:
            out.append((d, bare, title))
    return tuple(out)


SAME_ACT = 0.5  # share of the shorter sentence's other words the longer one has, for one act


def _two_holders(title: Iterable[str], sa: Sentence, sb: Sentence) -> bool:
    """Tell two people of one rank each quoted on something else: both may have spoken.

    `title` is the title or role words the two names share; a rank many people hold at once
    (extract.RANKS) names one person only when both sentences ascribe one act to them.
    """
    words = set(title)
    return bool(words) and words <= RANKS and not _same_act(sa, sb)


def _same_act(sa: Sentence, sb: Sentence) -> bool:
    """Tell whether two sentences ascribe one act to the people they name: the same words but the names.

    "We're aware of the issue," general manager A.J. Smith said / ... A.J. Butler said: one
    statement, two names. "Jackson was driving east ..., Officer Brad Baehr said" / "Jackson
    failed sobriety tests ..., Officer Ray Scheidnes said": two statements, two officers.
    """
    words_a, words_b = _act_words(sa), _act_words(sb)
    shorter = min(len(words_a), len(words_b))
    return shorter > 0 and len(words_a & words_b) >= SAME_ACT * shorter


@per_sentence
def _act_words(sent: Sentence) -> frozenset[str]:
    """Return a sentence's content words but its names and titles: what it says someone did or said."""
    named = {w for d in sent.details if d.kind == "entity" for w in content_words(d.text).split()}
    return frozenset(set(content_words(sent.text).split()) - named - _TITLES)


def _same_title(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    """Tell whether two titles name one office: the same head word, no clashing qualifier."""
    if x[-1] != y[-1]:
        return False
    qualifiers_x, qualifiers_y = set(x[:-1]), set(y[:-1])
    return not qualifiers_x or not qualifiers_y or qualifiers_x == qualifiers_y


def _same_shape(x: Detail, y: Detail) -> bool:
    """Two people's names, or two one-word place names: not a person against a place."""
    return _is_person(x) == _is_person(y)


def _is_person(d: Detail) -> bool:
    """Tell a name of two words or more (a person's) from a one-word name (a place's)."""
    return len(d.text.split()) >= 2
