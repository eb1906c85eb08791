"""Compare the sources of one event: align their sentences, then flag where their details disagree.

`prepare` gathers, once per run, what every event's comparison reads (sentences, name
indexes, reference subjects); `compare_event` does the whole work of one event from it,
weighing words by their rarity among the event's own sentences, and returns an
`EventComparison`. An event's result so depends on its articles and the references
only, which lets the archive reuse it in a later run (see `comparison_key`). The
pipeline spreads the events over the workers and never looks inside one.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .align import (
    SAME_SENTENCE,
    Overlap,
    Vectors,
    Words,
    align,
    anchor_cells,
    anchored,
    heads,
    ranked_cells,
    shared_words,
    similarity_matrix,
    value_anchors,
)
from .compare import Context, both_stated, compare, stated_anywhere
from .coverage import SAME_CLAIM, copying_in_event, unique_claims
from .extract import details
from .model import VALUE_KINDS, Alignment, Article, Discrepancy, Event, EventComparison, Sentence, Side
from .names import NameIndex, name_conflicts, name_index, name_variants, namesake_conflicts, role_conflicts
from .quotes import pair_quotes, quote_discrepancies


@dataclass(frozen=True)
class Shared:
    """What the comparison of every event reads: gathered once over the whole run."""

    sents: dict[str, tuple[Sentence, ...]]
    by_id: dict[str, Article]
    names: dict[str, NameIndex]
    references: tuple[tuple[str, Callable[[str], bool]], ...]  # reference id, test for its subject
    subjects: dict[str, frozenset[str]]  # reference id -> the names it is about (found over the whole run)

    def part(self, events: Sequence[Event]) -> Shared:
        """Return what comparing these events reads: their articles' and the references' share of the run.

        A cluster's worker is sent this with its batch of events, not the whole run.
        """
        keep = [a for e in events for a in e.articles] + [ref for ref, _ in self.references]
        sents = {a: self.sents[a] for a in keep}
        return Shared(
            sents=sents,
            by_id={a: self.by_id[a] for a in keep},
            names=_NameIndexes(sents),
            references=self.references,
            subjects=self.subjects,
        )

    def weight(self, event: Event) -> int:
        """Return how many sentences comparing this event reads: what its share of a batch holds."""
        return sum(len(self.sents[a]) for a in event.articles)


@dataclass(frozen=True)
class _Fitted:
    """Word weights fitted for one event's comparison."""

    vectors: Vectors
    context: Context


def prepare(articles: Sequence[Article], sents: dict[str, tuple[Sentence, ...]]) -> Shared:
    """Gather once over the whole run what the comparison of every event reads."""
    rare = _rare_names(sents)
    subjects = {a.id: frozenset(_subject(a, sents[a.id], rare)) for a in articles if a.role == "reference"}
    return Shared(
        sents=sents,
        by_id={a.id: a for a in articles},
        names=_NameIndexes(sents),
        references=tuple((ref, NameIndex(set(names)).knows) for ref, names in subjects.items()),
        subjects=subjects,
    )


def comparison_key(event: Event, shared: Shared, contents: Mapping[str, str], code: str) -> str | None:
    """Key all that an event's comparison reads: its members and the references as read, and the code.

    `contents` holds a hash of each article as read (its text, path, date, role...), and `code`
    the code that reads and compares them; None when an article has no such hash (never reused).
    The references' subjects are found over the whole run, so they are part of the key.
    """
    parts = [code, event.id]
    for article in [*sorted(event.articles), *sorted(shared.subjects)]:
        if article not in contents:
            return None
        parts.append(contents[article])
    parts += [f"{ref}={'|'.join(sorted(names))}" for ref, names in sorted(shared.subjects.items())]
    return hashlib.sha1("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def fits(result: EventComparison, event: Event, shared: Shared) -> bool:
    """Tell whether a stored comparison can be this event's: every part names the event and its sentences."""
    sents = shared.sents
    known = {*event.articles, *shared.subjects}
    texts = {a: {t.text for t in sents[a]} for a in known}

    def sentence(article: str, index: int) -> bool:
        return article in known and 0 <= index < len(sents[article])

    def side(s: Side) -> bool:
        return s.article in known and s.sentence in texts[s.article]

    return (
        all(
            al.event == event.id and sentence(al.a, al.a_index) and sentence(al.b, al.b_index)
            for al in result.alignments
        )
        and all(d.event == event.id and side(d.a) and side(d.b) for d in result.discrepancies)
        and all(q.event == event.id and side(q.a) and side(q.b) for q in result.quotes)
        and all(u.event == event.id and all(sentence(u.article, i) for i in u.sentences) for u in result.unique)
        and all(c.event == event.id and c.a in known and c.b in known for c in result.copying)
    )


class _NameIndexes(dict[str, NameIndex]):
    """Each article's name index, built when first asked for.

    An article is compared in one event, so its index is built by the worker that
    compares that event, on every core at once, rather than for all articles here.
    """

    def __init__(self, sents: dict[str, tuple[Sentence, ...]]) -> None:
        super().__init__()
        self._sents = sents

    def __missing__(self, article: str) -> NameIndex:
        index = self[article] = name_index(self._sents[article])
        return index


def compare_event(event: Event, shared: Shared) -> EventComparison:
    """Align and compare the sources of one event, and check them against each reference note."""
    sents, by_id, names = shared.sents, shared.by_id, shared.names
    members = sorted(event.articles, key=lambda i: by_id[i].path)
    pairs = [(event.id, a, b) for a, b in itertools.combinations(members, 2)]  # in path order
    best: dict[str, np.ndarray] = {}  # per sentence, its best score against the event's other sources
    # word weights are fitted on the event's own sentences and the references' (which every
    # event is checked against), never on the rest of the run: an event's result so depends on
    # its articles alone, and the archive can reuse it while other events come and go
    own = [s for a in [*members, *(ref for ref, _ in shared.references)] for s in sents[a]]
    fitted = _Fitted(Vectors(own), Context(own))
    alignments, loose = _align_event(event, members, shared, fitted, best)
    quotes = [q for e, a, b in pairs for q in pair_quotes(e, sents[a], sents[b])]
    discrepancies = [
        *_compare_aligned(alignments, loose, shared, fitted.context),
        *quote_discrepancies(quotes),
        *[v for e, a, b in pairs for v in name_variants(e, sents[a], sents[b], names[b])],
        *[r for e, a, b in pairs for r in role_conflicts(e, sents[a], sents[b], names[a], names[b])],
        *[r for e, a, b in pairs for r in namesake_conflicts(e, sents[a], sents[b], names[a], names[b])],
    ]
    copies = copying_in_event(event.id, [by_id[a] for a in members], sents)
    return EventComparison(
        alignments=tuple(alignments),
        discrepancies=tuple(discrepancies),
        quotes=tuple(quotes),
        unique=tuple(unique_claims(event, sents, best)),
        copying=tuple(copies),
    )


def _align_event(
    event: Event,
    members: Sequence[str],
    shared: Shared,
    fitted: _Fitted,
    best: dict[str, np.ndarray],
) -> tuple[list[Alignment], list[Alignment]]:
    """Align the sentences of each pair of the event's sources, and of each source with each reference.

    `members` are the event's sources in path order; each is paired with every source after it.

    Returns the alignments proper (one to one, and reference anchors) and the loose
    ones: a sentence's second-best partner, which may hold the claim when one-to-one
    pairing gave its best partner away, and pairs whose values hang on one rare word.
    """
    sents, vectors = shared.sents, fitted.vectors
    anchors = {a: heads(sents[a]) for a in event.articles}  # once per article, not per pair
    # every sentence of the event, its sources in path order: the cosine and
    # the shared words of each sentence with every other come from one sparse product each, and
    # each source is scored against all the sources after it at once, then sliced per pair
    span: dict[str, slice] = {}
    stacked: list[Sentence] = []
    for article in members:
        span[article] = slice(len(stacked), len(stacked) + len(sents[article]))
        stacked += sents[article]
    every = Words(stacked)
    forms = {a: every[span[a]] for a in members}
    empty = np.zeros((0, 0))
    gram, words = (
        (vectors.cosine(stacked, stacked), shared_words(stacked, stacked))
        if len(members) > 1
        else (empty, Overlap(empty, empty))
    )
    alignments: list[Alignment] = []
    loose: list[Alignment] = []
    e = event.id
    for x, a in enumerate(members[:-1]):
        after = members[x + 1 :]
        later = slice(span[after[0]].start, len(stacked))
        # below the alignment threshold a score is only told apart from higher ones (unique
        # claims ask for more), except between sentences anchored by a value, whose alignment
        # keeps it
        exact = [(i, j + span[c].start - later.start) for c in after for i, j in anchor_cells(anchors[a], anchors[c])]
        block = similarity_matrix(
            sents[a],
            stacked[later],
            vectors,
            cosine=gram[span[a], later],
            shared=Overlap(words.words[span[a], later], words.letters[span[a], later]),
            words=(forms[a], every[later]),
            # a score below the floor may come out too low: alignment and unique claims only ask
            # whether a score reaches SAME_SENTENCE or SAME_CLAIM
            floor=min(SAME_SENTENCE, SAME_CLAIM),
            exact=exact,
        )
        if block.size:
            # each sentence's best score against the sources after it, and theirs against it: two
            # reductions over the whole block, not two per pair of sources
            _keep_best(best, a, block.max(axis=1))
            column_best = block.max(axis=0)
            for b in after:
                if len(sents[b]):
                    _keep_best(best, b, column_best[span[b].start - later.start : span[b].stop - later.start])
        for b in after:
            scores = block[:, span[b].start - later.start : span[b].stop - later.start]
            ranked = ranked_cells(scores, SAME_SENTENCE, forms[a].wordy, forms[b].wordy)
            strict = align(e, sents[a], sents[b], scores, ranked)
            taken = {(al.a_index, al.b_index) for al in strict}
            alignments += strict
            candidates = [
                *align(e, sents[a], sents[b], scores, ranked, one_to_one=False),
                *value_anchors(e, sents[a], sents[b], scores, anchors[a], anchors[b]),
            ]
            for al in candidates:
                if (al.a_index, al.b_index) not in taken:
                    taken.add((al.a_index, al.b_index))
                    loose.append(al)
    # a reference is checked against every report that names its subject, whatever its event
    for ref, subject in shared.references:
        for a in sorted(event.articles):
            alignments += anchored(event.id, sents[a], sents[ref], vectors, subject)
    return alignments, loose


def _keep_best(best: dict[str, np.ndarray], article: str, scores: np.ndarray) -> None:
    """Raise each sentence's best score in `best` to these scores of it, where they are higher."""
    best[article] = np.maximum(best[article], scores) if article in best else scores


def _compare_aligned(
    alignments: Sequence[Alignment], loose: Sequence[Alignment], shared: Shared, context: Context
) -> list[Discrepancy]:
    """Compare the details of every aligned pair of sentences; loose pairs only where the words around agree."""
    sents, by_id, names = shared.sents, shared.by_id, shared.names
    found: dict[tuple[str, str, int, str], Discrepancy] = {}
    paired = {(al.a, al.a_index, al.b, al.b_index) for al in alignments if by_id[al.b].role == "report"}
    kinds: dict[int, frozenset[str]] = {}  # by id of sentence: the value kinds it may state
    for al in [*alignments, *loose]:
        sa, sb = sents[al.a][al.a_index], sents[al.b][al.b_index]
        flags: list[Discrepancy] = []
        # most aligned pairs state no value of one kind, and compare could find nothing in them
        if _kinds(sa, kinds) & _kinds(sb, kinds):
            is_paired = (al.a, al.a_index, al.b, al.b_index) in paired
            flags = compare(al, sa, sb, by_id, context, paired=is_paired)
            if not is_paired:
                # a loose pair never flags a value the other article agrees with somewhere
                flags = [d for d in flags if not stated_anywhere(d, sa, sents[al.b])]
            if by_id[al.b].role == "report":
                flags = [d for d in flags if not both_stated(d, sa, sb, sents[al.a], sents[al.b])]
        if by_id[al.a].role == by_id[al.b].role == "report":
            flags += name_conflicts(al, sa, sb, names[al.a], names[al.b], context)
        for d in flags:
            # one value of a report is flagged once, against its best-fitting counterpart
            key = (d.a.article, d.a.sentence, d.a.start, d.severity)
            if key not in found or d.score > found[key].score:
                found[key] = d
    return list(found.values())


def _kinds(sent: Sentence, seen: dict[int, frozenset[str]]) -> frozenset[str]:
    """Return the value kinds a sentence may state (a full date states a year too), remembered in `seen`."""
    found = seen.get(id(sent))
    if found is None:
        found = seen[id(sent)] = frozenset(
            k for d in sent.details if d.kind in VALUE_KINDS for k in (d.kind, "year" if d.kind == "date" else d.kind)
        )
    return found


def _rare_names(sents: dict[str, tuple[Sentence, ...]]) -> Callable[[str], bool]:
    """Return a test for names that few articles mention: those that can anchor a fact."""
    df: Counter[str] = Counter()
    for group in sents.values():
        df.update({d.value for s in group for d in s.details if d.kind == "entity"})
    limit = max(4, int(0.25 * len(sents)))  # a subject; "Iran" in a folder about Iran is not one
    return lambda name: 0 < df[name] <= limit


def _subject(ref: Article, sents: Sequence[Sentence], rare: Callable[[str], bool]) -> set[str]:
    """Return the names a reference note is about: those of its title it repeats, else its rare names."""
    named = {d.value for s in sents for d in s.details if d.kind == "entity"}
    titled = {d.value for d in details(ref.title or "") if d.kind == "entity"} & named
    return titled or {n for n in named if rare(n)}
