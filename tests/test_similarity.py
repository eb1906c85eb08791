"""The vectorised sentence similarity gives rapidfuzz's own scores, and skips only what cannot matter."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from reporter.align import Words, content_words, shared_words, similarity_matrix, token_set_scores
from reporter.model import Sentence

# a small vocabulary, so sentences share words often; words of many lengths and some accents
VOCABULARY = "port crane ship harbour dock strike union talks wages overtime minister kö é-x a1 zz lorry".split()
texts = st.lists(st.lists(st.sampled_from(VOCABULARY), max_size=9).map(" ".join), min_size=1, max_size=6)


def _sentences(article: str, lines: list[str]) -> list[Sentence]:
    return [Sentence(article, i, text) for i, text in enumerate(lines)]


@settings(max_examples=150, deadline=None)
@given(texts, texts)
def test_token_set_scores_equal_rapidfuzz(a: list[str], b: list[str]) -> None:
    sa, sb = _sentences("a", a), _sentences("b", b)
    got = token_set_scores(Words(sa), Words(sb), shared_words(sa, sb))
    want = [[fuzz.token_set_ratio(content_words(x), content_words(y)) for y in b] for x in a]
    np.testing.assert_allclose(got, np.array(want, dtype=np.float32), rtol=0, atol=1e-4)


@settings(max_examples=150, deadline=None)
@given(texts, texts, st.floats(0, 100), st.data())
def test_cells_skipped_below_the_need_could_not_reach_it(
    a: list[str], b: list[str], need: float, data: st.DataObject
) -> None:
    sa, sb = _sentences("a", a), _sentences("b", b)
    wa, wb, shared = Words(sa), Words(sb), shared_words(sa, sb)
    exact = token_set_scores(wa, wb, shared)
    needs = np.full(exact.shape, need)
    needs[data.draw(st.integers(0, len(a) - 1)), data.draw(st.integers(0, len(b) - 1))] = -np.inf  # kept exact
    skipping = token_set_scores(wa, wb, shared, needs)
    scored = skipping == exact
    assert np.all(scored | (skipping <= exact))  # never more than the score
    assert np.all(scored | (exact < needs))  # a cell left unscored could not have reached its need
    assert np.all(scored[np.isneginf(needs)])


def test_a_floor_keeps_every_score_at_or_above_it_exact() -> None:
    from reporter.align import Vectors

    a = _sentences(
        "a",
        ["port strike union talks wages", "crane ship harbour", "minister dock lorry overtime",
         "wages strike union talks overtime minister dock"],
    )  # fmt: skip
    b = _sentences(
        "b",
        ["union talks wages strike port", "lorry zz", "ship crane harbour dock minister",
         "dock crane ship harbour lorry zz kö"],
    )  # fmt: skip
    vectors = Vectors([*a, *b])
    full = similarity_matrix(a, b, vectors)
    floored = similarity_matrix(a, b, vectors, floor=30.0)
    above = full >= 30.0
    assert above.any() and (~above).any()
    assert floored[3, 3] < full[3, 3] < 30.0  # one word shared of many: its token_set_ratio is skipped
    np.testing.assert_array_equal(floored[above], full[above])
    assert np.all(floored[~above] < 30.0) and np.all(floored <= full)
    kept = similarity_matrix(a, b, vectors, floor=30.0, exact=[(3, 3)])
    assert kept[3, 3] == full[3, 3]


# words of every sort a head word search meets: content words, stop words, hedges, figures, long words
HEAD_WORDS = [*VOCABULARY, "the", "of", "more", "than", "about", "46,200", "1,000-strong", "x" * 70, "-", "’s", "don't"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HEAD_WORDS), max_size=40), st.sampled_from([" ", ", ", " - ", "  "]), st.data())
def test_head_word_reads_backwards_as_it_would_read_the_whole_prefix(
    words: list[str], gap: str, data: st.DataObject
) -> None:
    from reporter.align import _HEDGES, head_word

    text = gap.join(words)
    start = data.draw(st.integers(0, len(text)))
    prefix = [w for w in content_words(text[:start]).split() if w not in _HEDGES]
    want = prefix[-1] if prefix and not prefix[-1][:1].isdigit() else None
    assert head_word(text, start) == want


# texts as the vectors read them: words of a small vocabulary (repeats likely), with capitals,
# apostrophes, hyphens and accents, some texts with no word at all
VECTOR_WORDS = [*VOCABULARY, "Port", "o'neill", "don’t", "re-run", "-", "ÉCOLE", "1,000"]
vector_texts = st.lists(st.lists(st.sampled_from(VECTOR_WORDS), max_size=12).map(" ".join), min_size=1, max_size=30)


@settings(max_examples=300, deadline=None)
@given(vector_texts)
def test_tfidf_gives_scikit_learns_floats_bit_for_bit(docs: list[str]) -> None:
    # the per-event vectors skip scikit-learn's bookkeeping: every stored float, and the order
    # of each row's words (which decides the sums of the cosines), must stay its own
    from sklearn.feature_extraction.text import TfidfVectorizer

    from reporter.align import TOKEN, _tfidf

    got = _tfidf(docs)
    if not any(TOKEN.findall(d) for d in docs):
        assert got is None
        return
    want = TfidfVectorizer(sublinear_tf=True, token_pattern=TOKEN.pattern, min_df=1).fit_transform(docs).tocsr()
    assert got is not None and got.shape == want.shape
    np.testing.assert_array_equal(got.indptr, want.indptr)
    np.testing.assert_array_equal(got.indices, want.indices)
    assert got.data.tobytes() == want.data.tobytes()
    assert (got @ got.T).toarray().tobytes() == (want @ want.T).toarray().tobytes()


def test_vectors_of_sentences_fitted_on_nothing_come_from_the_same_weights() -> None:
    from reporter.align import Vectors

    fitted = _sentences("a", ["port strike union talks", "crane ship harbour", "wages strike overtime"])
    vectors = Vectors(fitted)
    new = _sentences("b", ["union talks port strike", "ship zz"])  # not among the fitted sentences
    cosine = vectors.cosine(fitted, new)
    assert cosine[0, 0] == np.max(cosine) and 0.99 < cosine[0, 0] <= 1.0 + 1e-9
    assert cosine[2, 1] == 0.0
