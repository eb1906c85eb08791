"""Say what each source adds, and how much of two sources is the same copy."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

from .align import content_words
from .model import Article, Copying, Event, Sentence, UniqueClaims

MIN_CLAIM_WORDS = 5  # fewer content words than this is a fragment, not a claim
COPY_RATIO = 90.0  # rapidfuzz ratio (0-100) above which a sentence is the same copy
MIN_COPY_WORDS = 6
SAME_CLAIM = 35.0  # alignment score (0-100) from which two sentences may state the same claim


def unique_claims(
    event: Event, sents: dict[str, tuple[Sentence, ...]], best: dict[str, np.ndarray]
) -> list[UniqueClaims]:
    """List, per source of a multi-source event, the claims no other source of it states.

    `best[article][i]` is the highest alignment score of sentence i against any
    sentence of the event's other sources (not only its one-to-one partner: one
    source may split a claim in two), as the alignment stage computed it.
    """
    if len(event.articles) < 2:
        return []
    out = []
    for article in event.articles:
        scores = best.get(article)
        if scores is None:
            continue
        alone = [
            s
            for s in sents[article]
            if len(content_words(s.text).split()) >= MIN_CLAIM_WORDS and scores[s.index] < SAME_CLAIM
        ]
        if alone:
            out.append(UniqueClaims(event.id, article, tuple(s.index for s in alone), tuple(s.text for s in alone)))
    return out


def copying_in_event(event: str, members: Sequence[Article], sents: dict[str, tuple[Sentence, ...]]) -> list[Copying]:
    """Measure the copy shared by each pair of an event's sources (`members` in pair order), where there is one.

    Each source's sentences are compared with those of all the sources after it
    in one call, then the scores are cut per pair.
    """
    found = []
    for x, a in enumerate(members[:-1]):
        later = members[x + 1 :]
        texts_a = [s.text for s in sents[a.id]]
        texts_later = [s.text for b in later for s in sents[b.id]]
        if not texts_a or not texts_later:
            continue
        scores = process.cdist(texts_a, texts_later, scorer=fuzz.ratio, workers=1, score_cutoff=COPY_RATIO)
        start = 0
        for b in later:
            n = len(sents[b.id])
            if n and (c := copying(event, a, b, sents[a.id], sents[b.id], scores[:, start : start + n])) is not None:
                found.append(c)
            start += n
    return found


def copying(
    event: str, a: Article, b: Article, sa: Sequence[Sentence], sb: Sequence[Sentence], scores: np.ndarray
) -> Copying | None:
    """Measure the sentences two sources share near-verbatim, in runs; None when they share none.

    `scores` is the ratio of every sentence of a with every one of b, cut at COPY_RATIO.
    """
    # each long enough sentence of a, with the first sentence of b it is a copy of
    copied = scores > 0
    long_enough = np.array([len(s.text.split()) >= MIN_COPY_WORDS for s in sa])
    rows = np.flatnonzero(copied.any(axis=1) & long_enough)
    if not rows.size:
        return None
    copied_pairs = set(zip(rows.tolist(), copied[rows].argmax(axis=1).tolist(), strict=True))
    runs: list[tuple[int, int, int]] = []
    for i, j in sorted(copied_pairs):
        if runs and runs[-1][0] + runs[-1][2] == i and runs[-1][1] + runs[-1][2] == j:
            start_a, start_b, length = runs[-1]
            runs[-1] = (start_a, start_b, length + 1)
        else:
            runs.append((i, j, 1))
    share = len(copied_pairs) / min(len(sa), len(sb))
    return Copying(event, a.id, b.id, len(copied_pairs), round(share, 3), tuple(runs))
