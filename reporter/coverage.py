"""Say what each source adds, what independent sources agree on, and how much of two sources is the same copy."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

from .align import content_words
from .model import Agreement, Alignment, Article, Copying, Discrepancy, Event, Sentence, Side, UniqueClaims

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
    long_enough = {a.id: _long_enough(sents[a.id]) for a in members[:-1]}  # once per source, not per pair
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
            block = scores[:, start : start + n]
            if n and (c := copying(event, a, b, sents[a.id], sents[b.id], block, long_enough[a.id])) is not None:
                found.append(c)
            start += n
    return found


def _long_enough(sents: Sequence[Sentence]) -> np.ndarray:
    """Mark the sentences long enough to count as copied."""
    return np.array([len(s.text.split()) >= MIN_COPY_WORDS for s in sents], dtype=bool)


def copying(
    event: str,
    a: Article,
    b: Article,
    sa: Sequence[Sentence],
    sb: Sequence[Sentence],
    scores: np.ndarray,
    long_enough: np.ndarray | None = None,
) -> Copying | None:
    """Measure the sentences two sources share near-verbatim, in runs; None when they share none.

    `scores` is the ratio of every sentence of a with every one of b, cut at COPY_RATIO;
    `long_enough`, when given, marks the sentences of a long enough to count (see _long_enough).
    """
    # each long enough sentence of a, with the first sentence of b it is a copy of
    copied = scores > 0
    if not copied.any():
        return None  # most pairs of sources share no copy at all
    rows = np.flatnonzero(copied.any(axis=1) & (_long_enough(sa) if long_enough is None else long_enough))
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


AGREE_SCORE = 0.45  # alignment score (0-1) from which two sentences say the same thing
AGREED_CLAIMS = 5  # claims kept per event, most widely stated first


def agreed_claims(
    events: Sequence[Event],
    sents: dict[str, tuple[Sentence, ...]],
    alignments: Sequence[Alignment],
    copies: Sequence[Copying],
    flags: Sequence[Discrepancy],
) -> tuple[Agreement, ...]:
    """List, per event, the claims two or more independent sources state, most widely stated first.

    A claim is one sentence and the sentences of other sources aligned with it
    directly (not through a chain of look-alikes), so each source credited has its
    own sentence saying it; a wire copy printed twice counts once; a sentence that
    holds a side of a conflict is disputed, so its claim is never listed as agreed.
    """
    by_event: dict[str, list[Alignment]] = defaultdict(list)
    for al in alignments:
        by_event[al.event].append(al)
    copied: set[tuple[str, int, str, int]] = set()
    for c in copies:
        for start_a, start_b, length in c.runs:
            for k in range(length):
                copied.add((c.a, start_a + k, c.b, start_b + k))
                copied.add((c.b, start_b + k, c.a, start_a + k))
    disputed = {
        node
        for d in flags
        if d.severity != "variant"  # a possible disagreement is no agreement either
        for side in (d.a, d.b)
        if (node := _sentence_of(sents, side)) is not None
    }
    out: list[Agreement] = []
    for event in events:
        if len(event.articles) > 1:
            out.extend(_event_claims(event, sents, by_event.get(event.id, ()), copied, disputed))
    return tuple(out)


Node = tuple[str, int]  # (article id, sentence index)


def _sentence_of(sents: dict[str, tuple[Sentence, ...]], side: Side) -> Node | None:
    """Find the sentence a flag's side stands in."""
    for s in sents.get(side.article, ()):
        if s.text == side.sentence or side.sentence in s.text or s.text in side.sentence:
            return (side.article, s.index)
    return None


def _event_claims(
    event: Event,
    sents: dict[str, tuple[Sentence, ...]],
    alignments: Sequence[Alignment],
    copied: set[tuple[str, int, str, int]],
    disputed: set[Node],
) -> list[Agreement]:
    members = set(event.articles)
    near: dict[Node, dict[str, tuple[float, Node]]] = defaultdict(dict)  # node -> other article -> best match
    for al in alignments:
        if al.a == al.b or not {al.a, al.b} <= members or al.score < AGREE_SCORE:
            continue
        if (al.a, al.a_index, al.b, al.b_index) in copied:
            continue  # wire copy printed twice is one source, not two
        a, b = (al.a, al.a_index), (al.b, al.b_index)
        for x, y in ((a, b), (b, a)):
            if al.score > near[x].get(y[0], (0.0, y))[0]:
                near[x][y[0]] = (al.score, y)
    order = {a: i for i, a in enumerate(event.articles)}
    ranked = []
    for node, partners in near.items():
        group = [node, *(n for _, n in partners.values())]
        if any(n in disputed for n in group):
            continue
        best = max(score for score, _ in partners.values())
        ranked.append((-len(group), -best, order.get(node[0], 0), node[1], group))
    ranked.sort(key=lambda r: r[:4])
    claims: list[Agreement] = []
    used: set[Node] = set()
    for *_, group in ranked:
        if used & set(group):
            continue  # the same claim seen from another of its sentences
        used |= set(group)
        texts = {n: sents[n[0]][n[1]].text for n in group}
        shortest = min(group, key=lambda n: (len(texts[n]), order.get(n[0], 0), n[1]))
        group.sort(key=lambda n: order.get(n[0], 0))
        claims.append(
            Agreement(
                event=event.id,
                text=texts[shortest],
                article=shortest[0],
                index=shortest[1],
                sources=tuple(n[0] for n in group),
                sentences=tuple(group),
            )
        )
        if len(claims) == AGREED_CLAIMS:
            break
    return claims
