"""Pair the sentences of two articles that state the same claim."""

from __future__ import annotations

import contextlib
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from .model import VALUE_KINDS, Alignment, Sentence
from .text import STOP_WORDS, WORD

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

SAME_SENTENCE = 30.0  # sentence similarity (0-100) below which two sentences rarely state the same claim


# Every sentence of a run is read here once to fit the TF-IDF vectors and again for each
# pair of its event's sources: the cache holds a whole 10,000-article run (~200,000
# sentences), which a smaller one would evict before the comparison reads it back.
@functools.lru_cache(maxsize=1 << 20)
def content_words(text: str) -> str:
    """Return the lower-cased content words of a sentence, in order."""
    words = (w.lower().strip("’'-") for w in WORD.findall(text))
    return " ".join(w for w in words if w and w not in STOP_WORDS)


@functools.lru_cache(maxsize=200_000)
def _sorted_words(text: str) -> str:
    """Return a sentence's content words sorted: token_sort_ratio is then a plain ratio of these."""
    return " ".join(sorted(content_words(text).split()))


@functools.lru_cache(maxsize=1 << 20)
def _distinct(words: str) -> str:
    """Return the distinct words of a content-word string, sorted, as token_set_ratio splits them."""
    return " ".join(sorted(set(words.split())))


class Overlap(NamedTuple):
    """The distinct content words every sentence of a shares with every sentence of b, and their letters."""

    words: np.ndarray  # how many distinct words the two sentences share
    letters: np.ndarray  # the letters of those words, summed


def shared_words(a: Sequence[Sentence], b: Sequence[Sentence]) -> Overlap:
    """Count the distinct content words every sentence of a shares with every sentence of b, and their letters."""
    vocabulary: dict[str, int] = {}
    a_words = _word_matrix(a, vocabulary)
    b_words = a_words if b is a else _word_matrix(b, vocabulary)  # an event's sentences against themselves
    width = max(1, len(vocabulary))
    a_words.resize((len(a), width))
    b_words.resize((len(b), width))
    # one product gives both: a's side counts a word as 2**20 plus its letters
    weights = _COUNT + np.fromiter((len(w) for w in vocabulary), dtype=np.int64, count=len(vocabulary))
    weighted = sparse.csr_matrix((weights[a_words.indices], a_words.indices, a_words.indptr), shape=a_words.shape)
    both = np.asarray((weighted @ b_words.T).toarray())
    return Overlap(both >> _COUNT_BITS, both & (_COUNT - 1))


def _word_matrix(sents: Sequence[Sentence], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """Mark the distinct content words of each sentence, numbering new words in `vocabulary`."""
    per_sentence = [_distinct(content_words(s.text)).split() for s in sents]
    cols = [vocabulary.setdefault(w, len(vocabulary)) for words in per_sentence for w in words]
    rows = np.repeat(np.arange(len(sents)), [len(words) for words in per_sentence])
    data = np.ones(len(cols), dtype=np.int64)
    return sparse.csr_matrix(
        (data, (rows, np.array(cols, dtype=np.int64))), shape=(len(sents), max(1, len(vocabulary)))
    )


_COUNT_BITS = 20  # a sentence has fewer letters than this many bits count (articles are capped far below)
_COUNT = 1 << _COUNT_BITS


class Words:
    """The content words of a list of sentences in the forms the similarity reads, derived once.

    An article meets every other source of its event: deriving these per pair
    cost more than some of the scoring itself.
    """

    def __init__(self, sents: Sequence[Sentence]) -> None:
        self.distinct = np.array([_distinct(content_words(s.text)) for s in sents], dtype=object)
        self.sizes = np.array([len(w.split()) for w in self.distinct], dtype=np.int64)
        self.lengths = np.array([len(w) for w in self.distinct], dtype=np.float64)
        self.sorted = [_sorted_words(s.text) for s in sents]
        self.wordy = _wordy(sents)
        # without a repeated word a sentence's distinct words are its sorted words
        self.repeats = np.array([d != w for d, w in zip(self.distinct, self.sorted, strict=True)], dtype=bool)

    def __getitem__(self, part: slice) -> Words:
        """Return the words of a run of the sentences, without deriving them again."""
        out = Words(())
        out.distinct, out.sizes, out.lengths = self.distinct[part], self.sizes[part], self.lengths[part]
        out.sorted, out.wordy, out.repeats = self.sorted[part], self.wordy[part], self.repeats[part]
        return out


def token_set_scores(
    wa: Words, wb: Words, shared: Overlap, need: np.ndarray | None = None, sort_scores: np.ndarray | None = None
) -> np.ndarray:
    """Return rapidfuzz's token_set_ratio of every sentence of wa with every one of wb.

    token_set_ratio is the dearest part of alignment, yet most pairs of sentences
    share no word, and then it equals the plain ratio of the two sorted sets of
    words; when one sentence's words are all in the other it is 100. Only the
    other pairs go to token_set_ratio itself. `shared` is shared_words(a, b).

    `need`, when given, is the score each cell needs to matter: a cell whose
    score cannot reach it (see _token_set_bound) is not scored and holds 0, a
    lower bound of its score.

    `sort_scores`, when given, is the plain ratio of the sorted words (see
    similarity_matrix): for two sentences without a repeated word it is the ratio of
    their distinct words, so only rows and columns with one are scored again.
    """
    size_a, size_b = wa.sizes[:, None], wb.sizes[None, :]
    if sort_scores is None:
        out: np.ndarray = process.cdist(wa.distinct, wb.distinct, scorer=fuzz.ratio, workers=1, dtype=np.float32)
    else:
        out = sort_scores.copy()
        rows_a, cols_b = np.flatnonzero(wa.repeats), np.flatnonzero(wb.repeats)
        if rows_a.size:
            out[rows_a] = process.cdist(
                wa.distinct[rows_a], wb.distinct, scorer=fuzz.ratio, workers=1, dtype=np.float32
            )
        if cols_b.size:
            out[:, cols_b] = process.cdist(
                wa.distinct, wb.distinct[cols_b], scorer=fuzz.ratio, workers=1, dtype=np.float32
            )
    within = (shared.words > 0) & ((shared.words == size_a) | (shared.words == size_b))
    out[within] = 100.0
    rows, cols = np.nonzero((shared.words > 0) & ~within)
    if rows.size and need is not None:
        short = _token_set_bound(wa, wb, shared, out, rows, cols) < need[rows, cols]
        out[rows[short], cols[short]] = 0.0
        rows, cols = rows[~short], cols[~short]
    if rows.size:
        # token_set_ratio reads only the set of words, so the distinct sorted words give the
        # same score, with less to split and sort for each pair
        out[rows, cols] = process.cpdist(
            wa.distinct[rows].tolist(),
            wb.distinct[cols].tolist(),
            scorer=fuzz.token_set_ratio,
            workers=1,
            dtype=np.float32,
        )
    out[(size_a == 0) | (size_b == 0)] = 0.0  # token_set_ratio gives nothing for a sentence without words
    return out


def _token_set_bound(
    wa: Words, wb: Words, shared: Overlap, ratio: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Bound token_set_ratio from above for cells where the sentences share some words, but not all of either.

    token_set_ratio is the best of three ratios over the shared words S (joined by
    spaces) and the words only a has, A', or only b has, B'. Two follow from lengths
    alone: S against S + A' is 200·|S| / (|S| + |a|), and likewise for b. The third
    is S + A' against S + B', whose distance is the indel distance of A' and B'; it
    is at least |A'| + |B'| less twice their longest common subsequence, which is at
    most the shorter of them and at most that of the whole sorted word sets, read
    from their plain `ratio`. Lengths are in characters, as rapidfuzz counts them.
    """
    len_a, len_b = wa.lengths[rows], wb.lengths[cols]
    sect = shared.letters[rows, cols] + shared.words[rows, cols] - 1  # the shared words joined by spaces
    only_a, only_b = len_a - sect - 1, len_b - sect - 1
    common = np.ceil(ratio[rows, cols] * (len_a + len_b) / 200 + _SLACK)  # float32 ratio: round up, with slack
    common = np.minimum(common, np.minimum(only_a, only_b))
    by_sect = 200 * sect / (sect + np.minimum(len_a, len_b))
    by_rest = 100 * (1 - (only_a + only_b - 2 * common) / (len_a + len_b))
    bound: np.ndarray = np.maximum(by_sect, by_rest) + _SLACK
    return bound


_SLACK = 0.01  # kept on the safe side of rounding in the bound


class Vectors:
    """TF-IDF vectors of sentences' content words, fitted once on every sentence of a run."""

    def __init__(self, sentences: Iterable[Sentence]) -> None:
        sents = list(sentences)
        self._texts = [content_words(s.text) for s in sents] or ["empty"]
        self._fitted: TfidfVectorizer | None = None
        matrix = _tfidf(self._texts)
        if matrix is None:  # no word at all: scikit-learn says so
            with _unchecked():
                matrix = self._vectorizer().fit_transform(self._texts).tocsr()
        self._matrix: sparse.csr_matrix = matrix
        self._row = {(s.article, s.index): i for i, s in enumerate(sents)}

    def _vectorizer(self) -> TfidfVectorizer:
        """Return scikit-learn's vectorizer fitted on the same texts: what transforms sentences fitted on nothing."""
        if self._fitted is None:
            # imported on first use, not with this module: see pipeline.engine_libraries
            from sklearn.feature_extraction.text import TfidfVectorizer

            self._fitted = TfidfVectorizer(sublinear_tf=True, token_pattern=TOKEN.pattern, min_df=1)
            with _unchecked():
                self._fitted.fit(self._texts)
        return self._fitted

    def part(self, sents: Sequence[Sentence]) -> Vectors:
        """Return the same vectors for these sentences only (the fitted words kept)."""
        out = Vectors.__new__(Vectors)
        rows = [self._row[(s.article, s.index)] for s in sents]
        out._texts, out._fitted, out._matrix = self._texts, self._fitted, self._matrix[rows]
        out._row = {(s.article, s.index): i for i, s in enumerate(sents)}
        return out

    def _rows(self, sents: Sequence[Sentence]) -> Any:
        rows = [self._row.get((s.article, s.index)) for s in sents]
        if all(r is not None for r in rows):
            return self._matrix[rows]
        vectorizer = self._vectorizer()
        with _unchecked():
            return vectorizer.transform([content_words(s.text) for s in sents])

    def cosine(self, a: Sequence[Sentence], b: Sequence[Sentence]) -> np.ndarray:
        """Return the cosine similarity of every sentence of a with every sentence of b."""
        return np.asarray((self._rows(a) @ self._rows(b).T).todense())


TOKEN = re.compile(r"[\w’'-]+")  # the words of a content-word string, as the vectors count them


def _tfidf(texts: Sequence[str]) -> sparse.csr_matrix | None:
    """Return scikit-learn's TfidfVectorizer(sublinear_tf=True).fit_transform(texts), the same floats, or
    None when the texts hold no word.

    Fitted once per event: scikit-learn's own bookkeeping around the counting cost as much
    as the counting at 10,000 articles. Each step is the one scikit-learn takes, in its
    order (a row's words in the order they were first met in the texts, then numbered
    alphabetically; the same numpy operations on the same arrays), so every float is its
    float; `tests/test_similarity.py` holds it to that.
    """
    from sklearn.preprocessing import normalize

    vocabulary: dict[str, int] = {}
    rows = [Counter([vocabulary.setdefault(w, len(vocabulary)) for w in TOKEN.findall(t.lower())]) for t in texts]
    if not vocabulary:
        return None
    numbered = np.empty(len(vocabulary), dtype=np.int64)
    for new, word in enumerate(sorted(vocabulary)):
        numbered[vocabulary[word]] = new
    first_met = [sorted(row) for row in rows]
    indices = numbered.take(np.fromiter((k for keys in first_met for k in keys), dtype=np.int64))
    counts = np.fromiter(
        (row[k] for row, keys in zip(rows, first_met, strict=True) for k in keys), dtype=np.float64, count=len(indices)
    )
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(row) for row in rows], out=indptr[1:])
    df = np.bincount(indices, minlength=len(vocabulary)).astype(np.float64) + 1.0  # smoothed, as one more text
    idf = np.full_like(df, fill_value=len(rows) + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    np.log(counts, out=counts)  # sublinear term frequency
    counts += 1.0
    counts *= idf[indices]
    matrix = sparse.csr_matrix((counts, indices, indptr), shape=(len(rows), len(vocabulary)))
    normalized: sparse.csr_matrix = normalize(matrix, norm="l2", copy=False)
    return normalized


def _unchecked() -> contextlib.AbstractContextManager[None]:
    """Skip scikit-learn's checks of its parameters and input, which are ours and always valid.

    The vectors are fitted once per event: at 10,000 articles the checks (of arguments,
    dataframe types, finite values) cost as much as the fitting itself.
    """
    from sklearn import config_context

    unchecked: contextlib.AbstractContextManager[None] = config_context(
        assume_finite=True, skip_parameter_validation=True
    )
    return unchecked


def similarity_matrix(
    a: Sequence[Sentence],
    b: Sequence[Sentence],
    vectors: Vectors,
    cosine: np.ndarray | None = None,
    shared: Overlap | None = None,
    words: tuple[Words, Words] | None = None,
    floor: float | None = None,
    exact: Iterable[tuple[int, int]] = (),
) -> np.ndarray:
    """Score every sentence of a against every sentence of b (0-100), vectorised.

    Two views of the same claim: rapidfuzz's token ratios see shared wording
    (token_set forgives a sentence that says more; token_sort keeps a short
    sentence from matching any long one containing its few words), and the
    TF-IDF cosine weighs shared rare words such as names over common ones.
    `cosine` and `shared`, when given, are vectors.cosine(a, b) and shared_words(a, b)
    computed beforehand (for a whole event at once), and `words` Words(a), Words(b).
    One thread per call: events already run on every core.

    With a `floor`, only scores at the floor or above are exact: a cell that
    cannot reach it may hold less than its score (never more), which saves most
    token_set_ratio calls. The cells in `exact` are exact whatever their score.
    """
    if not a or not b:
        return np.zeros((len(a), len(b)))
    wa, wb = words if words is not None else (Words(a), Words(b))
    cos = vectors.cosine(a, b) if cosine is None else cosine
    # token_sort_ratio sorts both sentences' words for every cell; sorting each sentence once
    # and taking the plain ratio gives the same scores several times faster
    sort_scores = process.cdist(wa.sorted, wb.sorted, scorer=fuzz.ratio, workers=1, dtype=np.float32)
    need = None
    if floor is not None:
        # the token_set score a cell needs to reach the floor, given its other two scores
        need = (floor - LEXICAL * SORT_WEIGHT * sort_scores - COSINE_WEIGHT * cos) / (LEXICAL * SET_WEIGHT)
        for i, j in exact:
            need[i, j] = -np.inf
    set_scores = token_set_scores(wa, wb, shared_words(a, b) if shared is None else shared, need, sort_scores)
    lexical = SET_WEIGHT * set_scores + SORT_WEIGHT * sort_scores
    return LEXICAL * lexical + COSINE_WEIGHT * cos


SET_WEIGHT, SORT_WEIGHT = 0.6, 0.4  # the two token ratios in the lexical score
LEXICAL, COSINE_WEIGHT = 0.5, 50.0  # the lexical score (0-100) and the cosine (0-1) in the whole


def align(
    event: str,
    a: Sequence[Sentence],
    b: Sequence[Sentence],
    scores: np.ndarray,
    ranked: np.ndarray,
    one_to_one: bool = True,
    per_sentence: int = 2,
) -> list[Alignment]:
    """Pair sentences above the threshold, best pairs first.

    `scores` is similarity_matrix(a, b) and `ranked` its cells worth pairing, best
    first (ranked_cells), computed once for several calls on one matrix. One to one
    between two reports; otherwise each sentence of `a` keeps its `per_sentence`
    best partners in `b` (a reference note may spread one claim over several sentences).
    """
    if scores.size == 0:
        return []
    pairs: list[Alignment] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    counts: dict[int, int] = {}
    height, width = scores.shape
    # the cells' scores read as one list, not one numpy lookup per cell: this runs for every pair of sources
    for flat, score in zip(ranked.tolist(), scores.ravel()[ranked].tolist(), strict=True):
        if one_to_one and (len(used_a) == height or len(used_b) == width):
            break  # every sentence of one side is taken: no later cell can pair
        i, j = divmod(flat, width)
        if one_to_one:
            if i in used_a or j in used_b:
                continue
            used_a.add(i)
            used_b.add(j)
        else:
            if counts.get(i, 0) >= per_sentence:
                continue
            counts[i] = counts.get(i, 0) + 1
        pairs.append(Alignment(event, a[i].article, a[i].index, b[j].article, b[j].index, round(score / 100, 3)))
    return sorted(pairs, key=lambda p: (p.a_index, p.b_index))


def ranked_cells(scores: np.ndarray, threshold: float, wordy_a: np.ndarray, wordy_b: np.ndarray) -> np.ndarray:
    """Return the flat indexes of the cells that may pair, best first.

    Only cells at the threshold or above can pair, and only between sentences with
    words enough to state a claim (`wordy_a`, `wordy_b`, as from Words): sorting just
    those (stably, so equal scores keep the order of the whole matrix) saves sorting
    the many weak cells.
    """
    above = np.flatnonzero((scores >= threshold) & wordy_a[:, None] & wordy_b[None, :])
    ranked: np.ndarray = above[np.argsort(-scores.ravel()[above], kind="stable")]
    return ranked


MIN_PAIR_WORDS = 3  # content words a sentence needs to be paired as stating a claim


def _wordy(sents: Sequence[Sentence]) -> np.ndarray:
    """Mark the sentences with content words enough to state a claim."""
    return np.array([len(content_words(s.text).split()) >= MIN_PAIR_WORDS for s in sents], dtype=bool)


def anchored(
    event: str,
    a: Sequence[Sentence],
    b: Sequence[Sentence],
    vectors: Vectors,
    subject: Callable[[str], bool],
) -> list[Alignment]:
    """Pair every sentence of a with every sentence of b when a names b's subject.

    A reference note spreads facts over short sentences worded unlike any report
    ("It opened in 1871"), so sentence similarity cannot pair them; a report that
    names the note's subject ("Port of Maravel") is about it, and the words around
    each value decide which values to compare.
    """
    if not any(d.kind == "entity" and subject(d.value) for s in a for d in s.details):
        return []
    with_values_a = [s for s in a if any(d.kind in VALUE_KINDS for d in s.details)]
    with_values_b = [s for s in b if any(d.kind in VALUE_KINDS for d in s.details)]
    if not with_values_a or not with_values_b:
        return []
    scores = similarity_matrix(with_values_a, with_values_b, vectors)
    return [
        Alignment(event, sa.article, sa.index, sb.article, sb.index, round(float(scores[i, j]) / 100, 3))
        for i, sa in enumerate(with_values_a)
        for j, sb in enumerate(with_values_b)
    ]


def head_word(text: str, start: int) -> str | None:
    """Return the content word right before a position: the word a value hangs on ("crowd of 46,200").

    Read backwards from a few words before the position, not from the start of
    the sentence; the whole prefix is read only when those few hold no content
    word, or when the word found might be cut by the window's edge.
    """
    low = max(0, start - _HEAD_WINDOW)
    while True:
        tokens = WORD.findall(text, low, start)
        for k in range(len(tokens) - 1, -1, -1):
            word = tokens[k].lower().strip("’'-")
            if not word or word in STOP_WORDS or word in _HEDGES:
                continue
            if k == 0 and low > 0:
                break  # the window's first token may be part of a longer word
            return None if word[:1].isdigit() else word
        if low == 0:
            return None
        low = 0


_HEAD_WINDOW = 60  # characters before a value read first for its head word


# hedges qualify a value ("more than 60"); they say nothing of what it counts
_HEDGES = frozenset(
    "more less fewer about around nearly almost some least most roughly approximately estimated just only".split()
)


Heads = dict[tuple[str, str], int]  # (kind, head word) -> the one sentence where a value hangs on it


def value_anchors(
    event: str, a: Sequence[Sentence], b: Sequence[Sentence], scores: np.ndarray, heads_a: Heads, heads_b: Heads
) -> list[Alignment]:
    """Pair sentences holding values of one kind that hang on the same rare word, however unalike the sentences.

    "A crowd of 46,200 watched the match" and "A crowd of 42,600 attended" share
    too few words to align, yet say the same thing about the crowd. The word must
    stand in only that one sentence of each article ("port" in every sentence of a
    port story anchors nothing). `heads_a`, `heads_b` come from heads(a), heads(b).
    """
    return [
        Alignment(event, a[i].article, a[i].index, b[j].article, b[j].index, round(float(scores[i, j]) / 100, 3))
        for i, j in anchor_cells(heads_a, heads_b)
    ]


def anchor_cells(heads_a: Heads, heads_b: Heads) -> list[tuple[int, int]]:
    """Return the pairs of sentences (i of a, j of b) whose values hang on the same rare word, in its order."""
    # asked for every pair of an event's sources: most share no head word, and only the shared ones are sorted
    return [(heads_a[key], heads_b[key]) for key in sorted(heads_a.keys() & heads_b.keys())]


def heads(sents: Sequence[Sentence]) -> Heads:
    """Map (kind, head word) to the one sentence where a value of that kind hangs on that word."""
    wanted = [
        (d.kind, head, i)
        for i, s in enumerate(sents)
        for d in s.details
        if d.kind in VALUE_KINDS and (head := head_word(s.text, d.start))
    ]
    if not wanted:
        return {}
    # only the head words are looked for in the other sentences, not every word of the article
    words = {head for _, head, _ in wanted}
    where: dict[str, set[int]] = {}
    for i, s in enumerate(sents):
        for w in words.intersection(content_words(s.text).split()):
            where.setdefault(w, set()).add(i)
    return {(kind, head): i for kind, head, i in wanted if where.get(head) == {i}}
