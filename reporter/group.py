"""Group report articles that cover the same real-world event.

Each article becomes one vector made of three TF-IDF blocks: its words, the names
it mentions (capitalised spans, each word also by a spelling-tolerant key, since
sources transliterate "Kheibar" and "Khaybar") and its lead (title and opening
words, where news states the event itself). Cosine similarity between these
vectors, less a penalty when two dated articles lie weeks apart, is then read
relative to each article's best match, and average-link clustering cuts the
result at a distance threshold. Since most articles carry no date of their own,
a merge that is not tight is refused when the two groups' accounts differ: most
of each group's leads name a weekday, or most of its texts a latest year, and the
two lie apart (a strike called on a Monday and one on a Thursday, a flood of 2015
and one of 2019), or most of each group's leads give a figure that none of the
other's give (a blast that injured 5, one that killed 10).

To scale, similarities are computed in blocks of rows, each block only against
the articles dated within two months of it, and only pairs that could join are
kept; average-link clusters never cross the connected components of that graph,
so linkage runs exactly, component by component, on one code path for ten
articles or ten thousand. The threshold and weights were tuned on ECB+ with
tests/bench/tune_grouping.py.

What needs no other article (grouping_terms: the words counted, the capitalised words
names are found in, how a text capitalises its words, its account) is found article by
article, in the workers of a large run; what needs the corpus (which capitalised words
are names, the vocabulary and its weights, scoring and clustering) is done here.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

from .extract import is_stamp
from .model import Article, Event, GroupingTerms
from .text import (
    CALENDAR_WORDS,
    DOTTED_WORD,
    HONORIFICS,
    NAME_PARTICLES,
    POSSESSIVE,
    ROMANCE_ARTICLES,
    WEEKDAY_PATTERN,
    WEEKDAYS,
    translit_key,
)

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

# average-link cut on 1 - event similarity (0-1), on the ECB+ plateau (F1 >= 0.92 from 0.69 to 0.73)
GROUPING_CUT = 0.70
TEXT_WEIGHT, NAME_WEIGHT, LEAD_WEIGHT = 0.3, 0.4, 0.3  # shares of the squared cosine
LEAD_WORDS = 60  # title plus this many opening words form the lead
IDF_POWER = 2.0  # squares IDF: rare words and names (places, operations) decide the event
RELATIVE_SHARE = 0.5  # how much of the similarity is read relative to each article's best match
BEST_MATCH_FLOOR = 0.2  # an article whose best match is weaker than this is not boosted further
NEUTRAL_DAYS = 7  # same week: no penalty
FULL_PENALTY_DAYS = 60  # two months or more apart: a different event whatever the words say
DATE_PENALTY = 1.0  # subtracted from the cosine at FULL_PENALTY_DAYS and beyond
BLOCK_CELLS = 5_000_000  # similarity cells held in memory at once
MAX_COMPONENT = 4_000  # largest group clustered exactly; bigger ones are split at a tighter cut
# a merge looser than this is refused when the two groups' accounts disagree; tighter ones are
# the same story whatever a stray weekday says (ECB+ topics 1-29: F1 0.949 from 0.58 to 0.60,
# 0.947 up to 0.65, 0.939 without the rule)
SURE_DISTANCE = 0.6
AGREEING = 2  # members that must agree on a weekday, year or figure before a group is said to state it
WEEKDAY_GAP = 2  # days apart (either way round the week): one day is a follow-up, not another event
YEAR_GAP = 2  # years apart: one year is a story told at a new year, or a date line's year
ACCOUNT_WORDS = 40  # title plus this many opening words: where news says when and how much
TITLE_CHARS = 90
SHOWN_NAMES = 4

# capitalised by convention, never what tells one event from another
_CALENDAR = CALENDAR_WORDS | HONORIFICS
_CONNECTORS = NAME_PARTICLES | ROMANCE_ARTICLES  # a name goes on over these ("Gulf of Aden")
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+|\n+")
MIN_SOUND_LETTERS = 5  # a word needs this many letters to be matched by its sound
MIN_SOUND_KEY = 3  # and this many consonants in its key
_WEEKDAY = re.compile(rf"\b({WEEKDAY_PATTERN})\b", re.IGNORECASE)
# a year of 1900-2099 standing alone: not a decade ("1990s"), a count ("2000 people") or part of a figure
# (the digits come first and the look back after them: a third of the time of looking back at every character)
_YEAR = re.compile(r"((?:19|20)(?<![\w,.$£€-]..)\d\d)(?!\w|[,.]\d|\s+(?!years?\b)[a-z]+s\b)")
# a figure written in digits, not part of a clock time, a date written with slashes or a longer figure
_FIGURE = re.compile(r"(?<![\w.,:/$£€-])(\d+(?:\.\d+)?)(?![\w:/]|[.,]\d)")


@dataclass(frozen=True)
class _Corpus:
    """The sorted articles with their vectors, names and dates."""

    articles: tuple[Article, ...]
    vectors: sparse.csr_matrix  # one row per article; each row has norm at most 1
    names: tuple[Counter[str], ...]  # name key -> mentions, per article
    name_idf: dict[str, float]
    surface: dict[str, str]  # name key -> its most common written form
    days: np.ndarray  # publication date as a day number, NaN when undated
    season: np.ndarray  # day of the year of publication, known also from a dateline without a year
    accounts: tuple[_Account, ...]  # what each article says of when its event happened and how much

    @functools.cached_property
    def transposed(self) -> sparse.csr_matrix:
        """Return the vectors transposed, in the row format a product converts them to."""
        return self.vectors.T.tocsr()


def group_events(
    articles: Sequence[Article],
    threshold: float | None = None,
    together: Sequence[Sequence[str]] = (),
    apart: Sequence[Sequence[str]] = (),
    terms: Sequence[GroupingTerms] | None = None,
) -> list[Event]:
    """Group articles into events; the same input in any order gives the same events.

    `together` and `apart` are an analyst's overrides, groups of article ids: the
    articles of a `together` group end in one event; of an `apart` group, each in
    another (an article split off is kept on its own). `terms`, when given, holds
    grouping_terms(article) for each article, in the same order (found in workers).
    """
    cut = GROUPING_CUT if threshold is None else threshold
    if terms is None:
        terms = [grouping_terms(a) for a in articles]
    elif len(terms) != len(articles):
        raise ValueError(f"{len(terms)} sets of grouping terms for {len(articles)} articles")
    paired = sorted(zip(articles, terms, strict=True), key=lambda pair: (pair[0].id, pair[0].path))
    if not paired:
        return []
    ordered = tuple(a for a, _ in paired)
    corpus = _corpus(ordered, [t for _, t in paired])
    labels = _cluster(corpus, cut)
    labels, forced = _override(labels, {a.id: i for i, a in enumerate(ordered)}, together, apart)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(int(label), []).append(index)
    events = [_event(corpus, rows) for rows in members.values()]
    events = [_forced(e, forced) for e in events]
    return sorted(events, key=lambda e: (e.start is None, e.start or date.min, e.id))


def _override(
    labels: np.ndarray, row: dict[str, int], together: Sequence[Sequence[str]], apart: Sequence[Sequence[str]]
) -> tuple[np.ndarray, dict[str, str]]:
    """Apply the analyst's overrides to cluster labels; return them and what was forced, per article id."""
    labels = labels.copy()
    forced: dict[str, str] = {}
    for group in together:
        rows = [row[i] for i in group if i in row]
        if len(rows) > 1:
            labels[np.isin(labels, labels[rows])] = labels[rows[0]]
            forced.update({i: "put together by the configuration" for i in group if i in row})
    fresh = int(labels.max()) + 1 if len(labels) else 0
    for group in apart:
        rows = [row[i] for i in group if i in row]
        seen: set[int] = set()
        for r in rows:
            if int(labels[r]) in seen:
                labels[r] = fresh
                fresh += 1
                forced[next(i for i, n in row.items() if n == r)] = "kept apart by the configuration"
            seen.add(int(labels[r]))
    return labels, forced


def _forced(event: Event, forced: dict[str, str]) -> Event:
    """Say in an event's `why` when an override shaped it."""
    said = sorted({forced[a] for a in event.articles if a in forced})
    return replace(event, why="; ".join([event.why, *said])) if said else event


# --- names ----------------------------------------------------------------------------


def _fold(word: str) -> str:
    """Return the word lower-cased, without a possessive ending."""
    return POSSESSIVE.sub("", word).lower()


def _is_headline(words: list[str]) -> bool:
    # title-case lines capitalise common words, so they say nothing about casing
    return 3 <= len(words) <= 30 and sum([w[0].isupper() for w in words]) >= 0.6 * len(words)


def _tokenise(text: str) -> list[list[str]]:
    """Split a text into sentences of words."""
    return [words for sentence in _SENTENCE.split(text) if (words := DOTTED_WORD.findall(sentence))]


def _casing(sentences: list[list[str]]) -> dict[str, int]:
    """Count, per lower-cased word inside a text's sentences, the times it is capitalised less those it is not."""
    inside: list[str] = []  # counted at once: one Counter update per sentence cost a tenth of the grouping
    for words in sentences:
        if not _is_headline(words):
            inside += words[1:]
    balance: dict[str, int] = {}
    for word, count in Counter(inside).items():
        if word[0].isalpha():
            key = _fold(word)
            balance[key] = balance.get(key, 0) + (count if word[0].isupper() else -count)
    return balance


def _name_test(casings: Sequence[dict[str, int]]) -> Callable[[str, bool], bool]:
    """Learn from the whole corpus which capitalised words are names.

    A word counts as a name when the corpus capitalises it inside sentences at least
    as often as it writes it in lower case; a sentence's first word must be seen
    capitalised inside sentences more often than not.
    """
    # scikit-learn is imported on first use, not with this module: see pipeline.engine_libraries
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    balance: Counter[str] = Counter()
    for casing in casings:
        balance.update(casing)
    verdicts: dict[tuple[str, bool], bool] = {}

    def is_name(word: str, first: bool) -> bool:
        verdict = verdicts.get((word, first))
        if verdict is None:
            key = _fold(word)
            verdict = (
                word[0].isalpha()
                and word[0].isupper()
                and len(key) > 1
                and key not in ENGLISH_STOP_WORDS
                and key not in _CALENDAR
                and (balance[key] > 0 if first else balance[key] >= 0)
            )
            verdicts[word, first] = verdict
        return verdict

    return is_name


def _capitals(sentences: list[list[str]]) -> tuple[tuple[str | None, ...], ...]:
    """Keep of tokenised sentences what names are found in: capitalised words and connectors, None for the rest.

    A run of other words only ends a name, so it is kept as one None; a sentence
    without a capitalised word holds no name and is left out.
    """
    out: list[tuple[str | None, ...]] = []
    for words in sentences:
        kept: list[str | None] = []
        capitalised = False
        for word in words:
            if word[0].isupper():
                kept.append(word)
                capitalised = True
            elif word.lower() in _CONNECTORS:
                kept.append(word)
            elif not kept or kept[-1] is not None:
                kept.append(None)
        if capitalised:
            out.append(tuple(kept))
    return tuple(out)


def _names(sentences: Sequence[Sequence[str | None]], is_name: Callable[[str, bool], bool]) -> list[tuple[str, str]]:
    """Find the names in sentences kept by _capitals as (key, written form): runs of capitalised words."""
    found: list[tuple[str, str]] = []
    for words in sentences:
        run: list[str] = []
        pending: list[str] = []  # a connector ("Gulf of Aden") waits for the next capitalised word
        for position, word in enumerate(words):
            if word is None:  # other words: they end a name
                if run:
                    _close(run, found)
                    run, pending = [], []
            elif word[0].isupper() and is_name(word, position == 0):
                run.extend(pending)
                run.append(word)
                pending = []
            elif run and not pending and word.lower() in _CONNECTORS:
                pending = [word]
            elif run:
                _close(run, found)
                run, pending = [], []
        _close(run, found)
    return found


def _close(run: list[str], found: list[tuple[str, str]]) -> None:
    """Add a finished run of capitalised words to the names found."""
    if not run:
        return
    written = POSSESSIVE.sub("", " ".join(run))
    found.append((written.lower(), written))


@lru_cache(maxsize=1 << 16)
def _sound(word: str) -> str | None:
    """Return a spelling-tolerant key for a long name word: "Kheibar" and "Khaybar" give "~hbr"."""
    if sum(c.isalpha() for c in word) < MIN_SOUND_LETTERS:  # short words would collide with too many others
        return None
    key = translit_key(word).replace(" ", "")
    return "~" + key if len(key) >= MIN_SOUND_KEY else None


def _name_terms(found: list[tuple[str, str]]) -> list[str]:
    """Return the terms a text's names contribute to its name vector."""
    terms: list[str] = []
    for key, _ in found:
        terms += _key_terms(key)
    return terms


@lru_cache(maxsize=1 << 18)  # a name is said in many articles: its terms are derived once
def _key_terms(key: str) -> tuple[str, ...]:
    """Return the terms one name contributes: itself, its words when it has several, and their sounds."""
    terms = [key]
    parts = [p for p in key.split() if p not in _CONNECTORS]
    if len(parts) > 1:  # "Vincent Jackson" also meets a later plain "Jackson"
        terms.extend(parts)
    # transliterations vary ("Qesra", "Kesra"), so each word also counts by its sound
    terms.extend(sound for p in parts if (sound := _sound(p)))
    return tuple(terms)


# --- vectors --------------------------------------------------------------------------


def _weighted(vectorizer: TfidfVectorizer, docs: Sequence[object]) -> sparse.csr_matrix:
    """Fit the vectorizer and return unit rows weighted by IDF to the power IDF_POWER."""
    from sklearn.preprocessing import normalize

    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # nothing to count in any document
        return sparse.csr_matrix((len(docs), 0))
    return normalize(matrix @ sparse.diags(vectorizer.idf_ ** (IDF_POWER - 1)))


def grouping_terms(article: Article) -> GroupingTerms:
    """Find what grouping reads of one article on its own, apart from every other article.

    This is the per-article part of building the corpus (a worker's job in a large run):
    the words its TF-IDF counts, the capitalised words names are found in, how it
    capitalises its words, and its account.
    """
    text = f"{article.title}\n\n{article.text}" if article.title else article.text
    lead = " ".join(text.split(maxsplit=LEAD_WORDS)[:LEAD_WORDS])  # not the whole text split
    analyse = _word_analyzer()
    sentences = _tokenise(text)
    weekday, year, figures = _account_of(article, text)
    return GroupingTerms(
        words=" ".join(analyse(text)),  # the words it counts hold no space (see _word_analyzer)
        lead=" ".join(analyse(lead)),
        capitals=_capitals(sentences),
        casing=_casing(sentences),
        weekday=weekday,
        year=year,
        figures=figures,
    )


@lru_cache(maxsize=1)
def _word_analyzer() -> Callable[[str], list[str]]:
    """Return the function that splits a text into the words its TF-IDF counts: runs of two or more word characters."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyse: Callable[[str], list[str]] = TfidfVectorizer(stop_words="english").build_analyzer()
    return analyse


def _corpus(articles: tuple[Article, ...], terms: Sequence[GroupingTerms]) -> _Corpus:
    """Build the vectors, names and dates of the sorted articles from their grouping terms."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    is_name = _name_test([t.casing for t in terms])
    found = [_names(t.capitals, is_name) for t in terms]

    words = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, norm=None)
    text_block = _weighted(words, [t.words for t in terms])
    if text_block.shape[1]:
        lead_block = normalize(words.transform([t.lead for t in terms]) @ sparse.diags(words.idf_ ** (IDF_POWER - 1)))
    else:
        lead_block = sparse.csr_matrix((len(terms), 0))
    name_vectorizer = TfidfVectorizer(analyzer=_name_terms, sublinear_tf=True, norm=None)
    name_block = _weighted(name_vectorizer, found)
    blocks = [(text_block, TEXT_WEIGHT), (name_block, NAME_WEIGHT), (lead_block, LEAD_WEIGHT)]
    vectors = sparse.hstack([b * math.sqrt(w) for b, w in blocks], format="csr")

    vocabulary = getattr(name_vectorizer, "vocabulary_", {})
    name_idf = {key: float(name_vectorizer.idf_[i]) for key, i in vocabulary.items()}
    forms: dict[str, Counter[str]] = {}
    for article_found in found:
        for key, written in article_found:
            counts = forms.get(key)
            if counts is None:  # not setdefault: a Counter made for every mention cost more than the counting
                counts = forms[key] = Counter()
            counts[written] += 1
    surface = {k: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for k, c in forms.items()}
    days = np.array([a.published.toordinal() if a.published else np.nan for a in articles], dtype=float)
    season = np.array([_day_of_year(a) for a in articles], dtype=float)
    accounts = tuple(_account(t) for t in terms)
    return _Corpus(
        articles=articles,
        vectors=vectors,
        names=tuple(Counter(k for k, _ in f) for f in found),
        name_idf=name_idf,
        surface=surface,
        days=days,
        season=season,
        accounts=accounts,
    )


def _day_of_year(article: Article) -> float:
    """Return the day of the year the article was filed, from its date or a dateline's month and day."""
    if article.published is not None:
        return float(article.published.timetuple().tm_yday)
    if article.filed is not None:
        month, day = article.filed
        return float(date(2001, month, min(day, 28 if month == 2 else day)).timetuple().tm_yday)
    return np.nan


@dataclass(frozen=True)
class _Account:
    """What a group's members say of their event, each value with how many members say it.

    The weekday is the first one the lead names and the year the article's, else the
    latest its text names (it was written no earlier); the figures are those of the lead.
    """

    members: int
    weekdays: Counter[int]
    years: Counter[int]
    figures: Counter[str]

    def __add__(self, other: _Account) -> _Account:
        return _Account(
            self.members + other.members,
            self.weekdays + other.weekdays,
            self.years + other.years,
            self.figures + other.figures,
        )

    def differs(self, other: _Account) -> bool:
        """Tell whether two groups agree on weekdays or years that lie apart, or each on a figure of its own."""
        day, other_day = _agreed(self.weekdays), _agreed(other.weekdays)
        if (
            day is not None
            and other_day is not None
            and min((day - other_day) % 7, (other_day - day) % 7) >= WEEKDAY_GAP
        ):
            return True
        year, other_year = _agreed(self.years), _agreed(other.years)
        if year is not None and other_year is not None and abs(year - other_year) >= YEAR_GAP:
            return True
        # "a blast injures 5" against "a blast kills 10": each lead's figure, never in the other's
        return self._own_figure(other) and other._own_figure(self)

    def _own_figure(self, other: _Account) -> bool:
        """Tell whether most of this group's leads give a figure that none of the other's give."""
        return any(
            count >= AGREEING and 2 * count > self.members and figure not in other.figures
            for figure, count in self.figures.items()
        )


def _agreed(counts: Counter[int]) -> int | None:
    """Return the value most members state when they are at least AGREEING and more than half of them."""
    if not counts:
        return None
    value, count = max(counts.items(), key=lambda kv: kv[1])
    return value if count >= AGREEING and 2 * count > sum(counts.values()) else None


def _account_of(article: Article, text: str) -> tuple[int | None, int | None, tuple[str, ...]]:
    """Return what one article says of its event: its lead's weekday, its year and its lead's figures."""
    lead = " ".join(text.split(maxsplit=ACCOUNT_WORDS)[:ACCOUNT_WORDS])  # not the whole text split
    weekday = _WEEKDAY.search(lead)
    if article.published is not None:
        year: int | None = article.published.year
    else:  # only an undated article's text is searched for years: a tenth of the grouping at 10,000 articles
        year = max((int(y) for y in _YEAR.findall(text)), default=None)
    figures = sorted({f for f in _FIGURE.findall(lead) if not _YEAR.fullmatch(f)})
    return WEEKDAYS.index(weekday.group(1).lower()) if weekday else None, year, tuple(figures)


def _account(terms: GroupingTerms) -> _Account:
    """Return one article's account, from its grouping terms."""
    return _Account(
        members=1,
        weekdays=Counter([terms.weekday] if terms.weekday is not None else []),
        years=Counter([terms.year] if terms.year is not None else []),
        figures=Counter(terms.figures),
    )


# --- similarity and clustering ----------------------------------------------------------


def _penalty(days_a: np.ndarray, days_b: np.ndarray, season_a: np.ndarray, season_b: np.ndarray) -> np.ndarray:
    """Return the date penalty of every pair; zero where either article is undated.

    Where a year is missing on one side (a dateline gives only "Oct 15"), the days
    between the two dates of the year stand in: a piece filed on Oct 15 is not
    about the flood reported on March 6, whatever its year.
    """
    gap = np.abs(days_a[:, None] - days_b[None, :])
    around = np.abs(season_a[:, None] - season_b[None, :])
    around = np.minimum(around, 365 - around)
    gap = np.where(np.isnan(gap), around, gap)
    ramp = (gap - NEUTRAL_DAYS) / (FULL_PENALTY_DAYS - NEUTRAL_DAYS)
    ramp = np.clip(ramp, 0.0, 1.0)
    ramp[np.isnan(ramp)] = 0.0
    penalty: np.ndarray = DATE_PENALTY * ramp
    return penalty


def _similarity(corpus: _Corpus, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Return cosine similarity less the date penalty, rows by cols (distinct article indexes, sorted)."""
    vectors = corpus.vectors
    # against every article (undated runs), each block of rows meets the same transposed matrix: made once
    other = corpus.transposed if len(cols) == vectors.shape[0] else vectors[cols].T
    sims: np.ndarray = (vectors[rows] @ other).toarray()
    if np.count_nonzero(~np.isnan(corpus.season)) > 1:
        sims -= _penalty(corpus.days[rows], corpus.days[cols], corpus.season[rows], corpus.season[cols])
    return sims


def _adjusted(sims: np.ndarray, best_a: np.ndarray, best_b: np.ndarray) -> np.ndarray:
    """Blend each similarity with itself read relative to both articles' best matches.

    Tight families of look-alike stories (two arrests of players from one team) are
    pulled apart, while an article that is loosely written but clearly closest to
    one group still joins it. The best matches broadcast against sims.
    """
    relative = np.minimum(np.clip(sims, 0.0, None) / np.sqrt(best_a * best_b), 1.0)
    blended: np.ndarray = (1.0 - RELATIVE_SHARE) * sims + RELATIVE_SHARE * relative
    return blended


def _cluster(corpus: _Corpus, cut: float) -> np.ndarray:
    """Label each article with its cluster: exact average link, one component at a time."""
    if not 0.0 < cut < 1.0:
        raise ValueError(f"threshold must lie between 0 and 1, not {cut}")
    n = len(corpus.articles)
    pair_i, pair_j, pair_sim, best = _candidate_pairs(corpus, cut)
    weight = _adjusted(pair_sim, best[pair_i], best[pair_j])
    labels = np.zeros(n, dtype=int)
    next_label = 0
    for component in _components(n, pair_i, pair_j, weight, 1.0 - cut):
        if len(component) == 1:
            sub = np.zeros(1, dtype=int)
        else:
            own_best = best[component]
            adjusted = _adjusted(_similarity(corpus, component, component), own_best[:, None], own_best[None, :])
            distance = np.clip(1.0 - (adjusted + adjusted.T) / 2.0, 0.0, None)
            np.fill_diagonal(distance, 0.0)
            tree = linkage(squareform(distance, checks=False), method="average")
            sub = _cut_tree(tree, cut, [corpus.accounts[i] for i in component])
        labels[component] = sub + next_label
        next_label += int(sub.max()) + 1
    return labels


def _cut_tree(tree: np.ndarray, cut: float, accounts: list[_Account]) -> np.ndarray:
    """Label the leaves of an average-link tree cut at `cut`, refusing loose merges of groups whose accounts differ.

    A merge holds when it is no farther than the cut, both its parts hold, and either it
    is tighter than SURE_DISTANCE or the parts' accounts do not differ; when no account
    differs this is fcluster's distance criterion.
    """
    n = len(accounts)
    said = list(accounts)
    holds = [True] * n
    for left, right, distance, _ in tree:
        a, b = int(left), int(right)
        holds.append(
            distance <= cut and holds[a] and holds[b] and (distance < SURE_DISTANCE or not said[a].differs(said[b]))
        )
        said.append(said[a] + said[b])
    labels = np.full(n, -1, dtype=int)
    label = 0
    stack = [2 * n - 2]  # the root; a node that holds is one group, else its parts are looked at
    while stack:
        node = stack.pop()
        if node < n or holds[node]:
            leaves, below = [], [node]
            while below:
                k = below.pop()
                if k < n:
                    leaves.append(k)
                else:
                    below.extend((int(tree[k - n, 0]), int(tree[k - n, 1])))
            labels[leaves] = label
            label += 1
        else:
            stack.extend((int(tree[node - n, 0]), int(tree[node - n, 1])))
    return labels


def _candidate_pairs(corpus: _Corpus, cut: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return the pairs that could join at this cut with their similarity, and each best match.

    Only pairs whose similarity could reach the least that can count are scored (see
    _Screen), each exactly as a product of the whole vectors, so the pairs and best
    matches are those that scoring every pair would give.
    """
    n = len(corpus.articles)
    # since every best match counts as at least BEST_MATCH_FLOOR, an adjusted similarity
    # of 1 - cut needs at least this much plain similarity
    need = (1.0 - cut) / ((1.0 - RELATIVE_SHARE) + RELATIVE_SHARE / BEST_MATCH_FLOOR)
    blocks, unblocked = [], np.zeros(n, dtype=bool)
    for rows, cols in _dated_blocks(corpus):
        if len(cols) < n:
            blocks.append((rows, cols))
        else:  # no date narrows these articles' matches: only those the screen lets through are scored
            unblocked[rows] = True
    if unblocked.any():
        screen = _Screen.of(corpus.vectors, need)
        light = unblocked & ~screen.heavy
        blocks += _blocks(_near(screen, light), light, screen.heavy)
        heavy = np.flatnonzero(unblocked & screen.heavy)  # mostly common words: scored against all
        step = max(1, BLOCK_CELLS // n)
        blocks += [(heavy[k : k + step], np.arange(n)) for k in range(0, len(heavy), step)]
    found_i, found_j, found_sim = [], [], []
    best = np.full(n, BEST_MATCH_FLOOR)
    for rows, cols in blocks:
        sims = _similarity(corpus, rows, cols)
        sims[rows[:, None] == cols[None, :]] = -np.inf  # an article is not its own match
        best[rows] = np.maximum(best[rows], sims.max(axis=1))
        r, c = np.nonzero(sims >= need)
        keep = rows[r] < cols[c]  # each pair once: from the block of its first article
        found_i.append(rows[r[keep]])
        found_j.append(cols[c[keep]])
        found_sim.append(sims[r[keep], c[keep]])
    empty = np.zeros(0, dtype=int)
    return (
        np.concatenate([empty, *found_i]),
        np.concatenate([empty, *found_j]),
        np.concatenate([np.zeros(0), *found_sim]),
        best,
    )


SCREEN_MARGIN = 1e-6  # relative: far wider than the rounding of any product, so no pair is screened out wrongly


@dataclass(frozen=True)
class _Screen:
    """Split the vectors' terms into rare and common, to find the pairs worth scoring.

    A pair's similarity is its product over rare terms plus that over common ones, and the
    latter is at most the product of the two articles' norms over common terms. Common
    terms are chosen so that for most articles ("light") that norm is below the square
    root of `need`: two light articles that share no rare term then fall short of it, and
    only pairs that share one are looked at, through the short lists of rare terms. The
    few "heavy" articles are scored against all others. Written here rather than taken
    from a library because the scores must stay exactly those of the full product.
    """

    rare: sparse.csr_matrix  # the vectors over rare terms only
    common_norm: np.ndarray  # each article's norm over common terms
    heavy: np.ndarray  # articles whose common norm alone could reach `need` with another's
    need: float

    @classmethod
    def of(cls, vectors: sparse.csr_matrix, need: float) -> _Screen:
        """Choose the common terms that make screening cheapest and split the vectors by them."""
        n, m = vectors.shape
        df = np.bincount(vectors.indices, minlength=m)
        entry_df = df[vectors.indices]
        rows = np.repeat(np.arange(n), np.diff(vectors.indptr))
        squares = vectors.data**2
        # work of scoring an article against all: the lengths of its terms' lists
        full_cost = np.bincount(rows, weights=entry_df.astype(float), minlength=n)
        limit = math.sqrt(need * (1.0 - SCREEN_MARGIN))
        # an article is heavy while the split lies below the list length at which its norm
        # over the commonest terms first reaches the limit
        by_row = np.lexsort((-entry_df, rows))  # each article's terms, commonest first
        running = np.cumsum(squares[by_row])
        running -= np.concatenate([[0.0], running])[vectors.indptr[:-1]][rows[by_row]]
        crossing = np.flatnonzero(running >= limit * limit)
        first_rows, first = np.unique(rows[by_row][crossing], return_index=True)
        heavy_below = np.zeros(n)
        heavy_below[first_rows] = entry_df[by_row][crossing[first]]
        # the work of each split: products over rare terms, and scoring the heavy articles against all
        splits = np.unique(df)
        sorted_df = np.sort(df).astype(float)
        rare_work = np.concatenate([[0.0], np.cumsum(sorted_df**2)])[np.searchsorted(sorted_df, splits, side="right")]
        below = np.argsort(heavy_below)
        heavy_work = np.concatenate([np.cumsum(full_cost[below][::-1])[::-1], [0.0]])
        heavy_work = heavy_work[np.searchsorted(heavy_below[below], splits, side="right")]
        best_split = int(splits[np.argmin(rare_work + heavy_work)]) if len(splits) else 0
        common = entry_df > best_split
        norm = np.sqrt(np.bincount(rows, weights=np.where(common, squares, 0.0), minlength=n))
        rare = sparse.csr_matrix(
            (
                vectors.data[~common],
                vectors.indices[~common],
                np.concatenate([[0], np.cumsum(np.bincount(rows[~common], minlength=n))]),
            ),
            shape=(n, m),
        )
        return cls(rare=rare, common_norm=norm, heavy=norm >= limit, need=need)


def _dated_blocks(corpus: _Corpus) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield blocks of articles in date order, each with the articles it may pair with.

    Two dated articles FULL_PENALTY_DAYS or more apart lose the whole date penalty, which
    no cosine outweighs, so they are never paired: a block of dated articles meets only
    the articles dated near it and the undated ones; any other block meets all.
    """
    n = len(corpus.articles)
    days = corpus.days
    order = np.argsort(days, kind="stable")  # dated articles by date, then the undated (NaN sorts last)
    dated = int(np.count_nonzero(~np.isnan(days)))
    sorted_days, undated = days[order[:dated]], order[dated:]
    far_apart = DATE_PENALTY >= 1.0 and np.count_nonzero(~np.isnan(corpus.season)) > 1
    step = max(1, BLOCK_CELLS // n)
    for start in range(0, n, step):
        rows = np.sort(order[start : start + step])
        if far_apart and start + step <= dated:  # every row dated
            low = np.searchsorted(sorted_days, days[rows].min() - FULL_PENALTY_DAYS, side="right")
            high = np.searchsorted(sorted_days, days[rows].max() + FULL_PENALTY_DAYS, side="left")
            yield rows, np.sort(np.concatenate([order[low:high], undated]))
        else:
            yield rows, np.arange(n)


def _near(screen: _Screen, rows: np.ndarray) -> sparse.csr_matrix:
    """Return the pairs of the given light articles and any light one whose similarity could reach `need`."""
    n = len(rows)
    light = ~screen.heavy
    cols = np.flatnonzero(light)
    against = screen.rare[cols].T.tocsr()
    chosen = np.flatnonzero(rows)
    step = max(1, BLOCK_CELLS // n)
    found_i, found_j = [np.zeros(0, dtype=int)], [np.zeros(0, dtype=int)]
    for start in range(0, len(chosen), step):
        block = chosen[start : start + step]
        shared = (screen.rare[block] @ against).tocoo()
        r, c = block[shared.row], cols[shared.col]
        bound = shared.data + screen.common_norm[r] * screen.common_norm[c]
        keep = (bound >= screen.need * (1.0 - SCREEN_MARGIN)) & (r != c)
        found_i.append(r[keep])
        found_j.append(c[keep])
    i, j = np.concatenate(found_i), np.concatenate(found_j)
    pattern = sparse.csr_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    return (pattern + pattern.T).tocsr()


NEAR_BLOCK = 64  # light articles scored together: those next to each other share most candidates


def _blocks(near: sparse.csr_matrix, rows: np.ndarray, heavy: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return blocks of the given light articles with the articles to score them against.

    Articles are taken in reverse Cuthill-McKee order of the candidate graph, which puts
    articles with the same candidates side by side; each block meets its candidates and
    the heavy articles.
    """
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    n = near.shape[0]
    order = reverse_cuthill_mckee(near, symmetric_mode=True) if near.nnz else np.arange(n)
    order = order[rows[order]]
    heavy_rows = np.flatnonzero(heavy)
    blocks = []
    for start in range(0, len(order), NEAR_BLOCK):
        block = np.sort(order[start : start + NEAR_BLOCK])
        blocks.append((block, np.union1d(np.concatenate([block, near[block].indices]), heavy_rows)))
    return blocks


def _components(n: int, i: np.ndarray, j: np.ndarray, weight: np.ndarray, floor: float) -> list[np.ndarray]:
    """Split the articles into connected components of pairs weighing at least floor.

    A component too big to cluster exactly is split again at a stricter floor; this
    only happens when thousands of articles chain into one another.
    """
    keep = weight >= floor - 1e-12  # the linkage cut keeps distances equal to the threshold
    graph = sparse.coo_matrix((np.ones(int(keep.sum())), (i[keep], j[keep])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    order = np.argsort(labels, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)
    out: list[np.ndarray] = []
    for group in groups:
        if len(group) <= MAX_COMPONENT or floor >= 1.0:
            out.append(np.sort(group))
            continue
        group = np.sort(group)
        inside = np.isin(i, group) & np.isin(j, group)
        local_i, local_j = np.searchsorted(group, i[inside]), np.searchsorted(group, j[inside])
        parts = _components(len(group), local_i, local_j, weight[inside], floor + 0.05)
        out.extend(group[part] for part in parts)
    return out


# --- events ---------------------------------------------------------------------------


def _event(corpus: _Corpus, rows: list[int]) -> Event:
    """Describe one cluster as an Event: id, title, dates and why it holds together."""
    members = [corpus.articles[r] for r in rows]
    ids = sorted(a.id for a in members)
    event_id = "e-" + hashlib.sha1("\n".join(ids).encode("utf-8")).hexdigest()[:8]
    dates = sorted(a.published for a in members if a.published)
    vectors = corpus.vectors[rows]
    gram = (vectors @ vectors.T).toarray()
    closeness = gram.sum(axis=1) - gram.diagonal()  # summed similarity of each member to the others
    # a headline names the event better than an opening sentence: prefer titled members
    titled = np.array([a.title is not None for a in members])
    central = members[int(np.argmax(np.where(titled, closeness, -np.inf) if titled.any() else closeness))]
    if len(members) == 1:
        why = "single article"
    else:
        mean = float(closeness.sum()) / (len(members) * (len(members) - 1))
        shown = _shared_names(corpus, rows)
        names_part = f"shared names: {', '.join(shown)}" if shown else "no shared names"
        why = f"{names_part}; text similarity {mean:.2f}"
    return Event(
        id=event_id,
        title=_title(central),
        articles=tuple(ids),
        start=dates[0] if dates else None,
        end=dates[-1] if dates else None,
        why=why,
    )


def _shared_names(corpus: _Corpus, rows: list[int]) -> list[str]:
    """Return the written forms of the names most members share: widest spread, rarest, most said."""
    members: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    for r in rows:
        members.update(corpus.names[r].keys())
        mentions.update(corpus.names[r])
    needed = max(2, math.ceil(len(rows) / 2))
    ranked = sorted(
        (key for key, c in members.items() if c >= needed),
        key=lambda k: (-members[k], -corpus.name_idf.get(k, 0.0), -mentions[k], k),
    )
    shown: list[str] = []
    covered: set[str] = set()
    for key in ranked:
        words = set(key.split())
        if words <= covered:  # "Jackson" adds nothing after "Vincent Jackson"
            continue
        covered |= words
        longer = next((k for k, old in enumerate(shown) if set(old.split()) < words), None)
        if longer is not None:  # "Maravel Athletic" replaces a shown "Athletic"
            shown[longer] = key
        elif len(shown) < SHOWN_NAMES:
            shown.append(key)
    return [corpus.surface[key] for key in shown]


def _title(article: Article) -> str:
    """Return the article's title, else its first sentence of three words or more, shortened to fit."""
    sentences = [s for s in _SENTENCE.split(article.text) if s.strip()]
    # a dateline such as "April 27, 2009" is no title, nor a stamp ("Posted at 3:21 PM ET, 01 / 5 / 2011")
    wordy = (s for s in sentences if sum(1 for w in s.split() if any(c.isalpha() for c in w)) >= 3 and not is_stamp(s))
    title = article.title if article.title and not is_stamp(article.title) else None
    text = title or next(wordy, sentences[0] if sentences else article.id)
    return _shorten(" ".join(text.split()), TITLE_CHARS)


def _shorten(text: str, limit: int) -> str:
    """Cut a text to at most limit characters at a word boundary, marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"
