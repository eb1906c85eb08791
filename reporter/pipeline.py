"""Run the stages in order: ingest, clean, extract, group, align, compare."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

import numpy as np

from . import __version__
from .align import (
    THRESHOLD,
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
from .clean import clean
from .compare import Context, compare, stated_anywhere
from .confidence import calibrated
from .coverage import SAME_CLAIM, agreed_claims, copying_in_event, unique_claims
from .errors import ArticleError, NothingToReadError
from .extract import details, sentences
from .group import group_events
from .ingest import Source, discover, read_bytes, read_source
from .language import foreign_language
from .model import (
    Alignment,
    Article,
    Briefing,
    Copying,
    Discrepancy,
    Event,
    FileOutcome,
    QuotePair,
    Sentence,
    Skipped,
    UniqueClaims,
    Window,
)
from .names import NameIndex, name_conflicts, name_index, name_variants, role_conflicts
from .quotes import pair_quotes, quote_discrepancies
from .values import printable
from .window import select, source_date_epoch
from .workers import Pending, Workers

log = logging.getLogger("reporter")
Warn = Callable[[str], None]


@dataclass(frozen=True)
class BuildOptions:
    """What to read and how to name the briefing."""

    sources: Sequence[str | os.PathLike[str]] = ("seeds",)
    references: Sequence[str | os.PathLike[str]] = ()
    title: str = "Source comparison briefing"
    exclude: Sequence[Path] = field(default_factory=tuple)
    window: Window | None = None  # publication dates of the reports to compare
    threshold: float | None = None  # event grouping cut; None keeps group.THRESHOLD
    together: Sequence[Sequence[str]] = ()  # paths of articles that must form one event
    apart: Sequence[Sequence[str]] = ()  # paths of articles that must not share an event
    scheduler: str | None = None  # address of a Dask scheduler to run articles and events on; None: this machine


class Cache(Protocol):
    """Where earlier runs' readings are kept (the archive); see archive.Archive."""

    def files(self, keys: Iterable[str]) -> dict[str, FileOutcome]: ...

    def store_files(self, outcomes: dict[str, FileOutcome]) -> None: ...

    def sentences(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[Sentence, ...]]: ...

    def store_sentences(self, items: dict[tuple[str, str], tuple[Sentence, ...]]) -> None: ...


Progress = Callable[[str, int, int], None]  # stage, done, total


def no_progress(stage: str, done: int, total: int) -> None:
    pass


def generated_at() -> str:
    """Return the build time, honouring SOURCE_DATE_EPOCH for reproducible output."""
    moment = source_date_epoch() or datetime.now(tz=UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def load_articles(
    options: BuildOptions, warn: Warn = log.warning, cache: Cache | None = None, progress: Progress = no_progress
) -> tuple[list[Article], list[Skipped]]:
    """Read and clean every article; unreadable files are skipped with their reason.

    With a cache, a file whose bytes were read before is not parsed again.
    """
    files, unsupported = discover(options.sources, options.references, options.exclude)
    skipped = [Skipped(path, reason) for path, reason in unsupported]
    # without a cache no key is needed: hashing would read every file once more
    keys = {source.path: _file_key(source) for source in files} if cache else {}
    cached = cache.files(k for k in keys.values() if k) if cache else {}
    outcomes = {s.path: cached[k] for s in files if (k := keys.get(s.path)) and k in cached}
    unread = [s for s in files if s.path not in outcomes]
    progress("read", len(outcomes), len(files))
    # the files' own folders are read here, never on a cluster, whose workers may not see them
    read = Workers().map(
        _read_one,
        unread,
        None,
        parallel=len(unread) >= PARALLEL_FILES,
        done=lambda n: progress("read", len(outcomes) + n, len(files)),
    )
    fresh: dict[str, FileOutcome] = {}
    for source, outcome in zip(unread, read, strict=True):
        outcomes[source.path] = outcome
        if key := keys.get(source.path):
            fresh[key] = outcome
    articles: list[Article] = []
    seen: dict[str, str] = {}
    for source in files:
        outcome = outcomes[source.path]
        for suffix, problem in outcome.problems:
            warn(f"{source.path}{suffix}: {problem}")
        skipped.extend(replace(s, path=source.path + s.path) for s in outcome.skipped)
        for cleaned, text_key in zip(outcome.articles, outcome.text_keys, strict=True):
            article = replace(cleaned, path=source.path + cleaned.path, root_path=source.root_path + cleaned.path)
            # the same text saved twice, whatever its line breaks, names or encoding, is one source
            if text_key in seen:
                skipped.append(Skipped(article.path, f"duplicate of {seen[text_key]}"))
                continue
            seen[text_key] = article.path
            articles.append(article)
    if cache and fresh:
        cache.store_files(fresh)
    for item in skipped:
        warn(f"skipped {item.path}: {item.reason}")
    return articles, sorted(skipped, key=lambda s: s.path)


def _file_key(source: Source) -> str | None:
    """Key a file by the hash of its bytes, its format and role; None when it cannot be read (never cached).

    A file the archive does not hold is read once more by read_file, in a worker: cheap next to
    parsing it, and cheaper than sending its bytes to the worker.
    """
    try:
        data = read_bytes(source.file)  # the same checks as reading it: no pipe, nothing too large
    except ArticleError:
        return None
    role = "reference" if source.reference else "report"
    return f"{hashlib.sha1(data).hexdigest()}:{source.file.suffix.lower()}:{role}"


PARALLEL_FILES = 300  # from this many files to read, read and clean them in a process pool


def _read_one(source: Source, _: None) -> FileOutcome:
    return read_file(source)


def read_file(source: Source) -> FileOutcome:
    """Read and clean the articles of one file; paths in the outcome are relative to the file's.

    A file that makes reading fail in a way no check foresaw is skipped, its reason naming
    the failure, so that one file never ends the run: the rest is read, and the fault shows.
    """
    try:
        return _read_file(source)
    except ArticleError as exc:
        return FileOutcome((), (Skipped("", str(exc)),), ())
    except Exception as exc:  # the per-file boundary: see the docstring
        what = printable(" ".join(str(exc).split())[:200])
        reason = f"could not be read: {type(exc).__name__}{': ' + what if what else ''} (a fault in reporter)"
        return FileOutcome((), (Skipped("", reason),), ())


def _read_file(source: Source) -> FileOutcome:
    base = len(source.path)
    result = read_source(source)
    skipped = [Skipped(path[base:], reason) for path, reason in result.failures]
    problems: list[tuple[str, str]] = []
    articles: list[Article] = []
    text_keys: list[str] = []
    for raw in result.articles:
        problems.extend((raw.path[base:], problem) for problem in raw.problems)
        try:
            article = clean(raw)
        except ArticleError as exc:
            skipped.append(Skipped(raw.path[base:], str(exc)))
            continue
        if (language := foreign_language(article.text)) is not None:
            # aligning it against English text would pair nothing, or pair names only
            skipped.append(Skipped(raw.path[base:], f"not in English (detected: {language})"))
            continue
        articles.append(replace(article, path=article.path[base:]))
        # duplicates are found by the text as read, not as cleaned: a copy that adds a headline stays a source
        text_keys.append(hashlib.sha1(" ".join(raw.text.split()).encode("utf-8", "surrogatepass")).hexdigest())
    return FileOutcome(tuple(articles), tuple(skipped), tuple(problems), tuple(text_keys))


def build_briefing(
    options: BuildOptions, warn: Warn = log.warning, cache: Cache | None = None, progress: Progress = no_progress
) -> Briefing:
    """Build the briefing data for the given sources; raise NothingToReadError if none can be read."""
    clock = _Stopwatch()
    workers = Workers(options.scheduler)
    with clock("read"):
        read, skipped = load_articles(options, warn, cache, progress)
        articles, window = select(read, options.window)
    if not read:
        raise NothingToReadError("no article could be read" + (f" ({len(skipped)} skipped)" if skipped else ""))
    if not any(a.role == "report" for a in articles) and window is not None:
        # an empty briefing would read "No source contradicts another" as if the week were checked
        raise NothingToReadError(f"the window {window.label} leaves no report to compare ({window.outside} outside it)")
    # a dated article's sentences do not depend on its event: the workers split them while
    # this process groups the articles; an undated one borrows its event's date to resolve
    # "November 25", so its sentences wait for the grouping
    with clock("extract"):
        early = _start_sentences([a for a in articles if a.published is not None], {}, cache, workers)
        progress("extract", 0, len(articles))
    with early:
        with clock("group"):
            reports = [a for a in articles if a.role == "report"]
            progress("group", 0, len(reports))
            events = group_events(
                reports,
                threshold=options.threshold,
                together=_ids(options.together, reports, "together", warn),
                apart=_ids(options.apart, reports, "apart", warn),
            )
            progress("group", len(reports), len(reports))
        with clock("extract"):
            event_end = {a: e.end for e in events for a in e.articles}
            with _start_sentences([a for a in articles if a.published is None], event_end, cache, workers) as late:
                found = {**early.result(), **late.result()}
            sents = {a.id: found[a.id] for a in articles}
            progress("extract", len(articles), len(articles))
    with clock("prepare"):
        progress("prepare", 0, len(articles))
        shared = _shared(articles, sents)
        progress("prepare", len(articles), len(articles))
    with clock("compare"):
        progress("compare", 0, len(events))  # events are spread over the workers: counted when all are done
        results = _compare_events(events, shared, workers)
        progress("compare", len(events), len(events))
        flags = tuple(_ordered([d for r in results for d in r.discrepancies]))
        alignments = tuple(al for r in results for al in r.alignments)
        copying = tuple(c for r in results for c in r.copying)
        agreed = agreed_claims(events, sents, alignments, copying, flags)
    return Briefing(
        title=options.title,
        generated=generated_at(),
        version=__version__,
        articles=tuple(sorted(articles, key=lambda a: a.path)),
        events=tuple(events),
        discrepancies=flags,
        skipped=tuple(skipped),
        sentences=sents,
        alignments=alignments,
        quotes=tuple(q for r in results for q in r.quotes),
        unique=tuple(u for r in results for u in r.unique),
        copying=copying,
        timings=clock.seconds,
        window=window,
        agreed=agreed,
    )


def _start_sentences(
    articles: Sequence[Article], event_end: dict[str, date | None], cache: Cache | None, workers: Workers
) -> _Sentences:
    """Start splitting articles into sentences with their details: what the cache holds is taken, the rest extracted."""

    def reference(article: Article) -> str:
        # only an undated article's sentences depend on the date it borrows
        end = event_end.get(article.id)
        return end.isoformat() if article.published is None and end else ""

    wanted = {a.id: (a.id, reference(a)) for a in articles}
    cached = cache.sentences(wanted.values()) if cache else {}
    missing = [a for a in articles if wanted[a.id] not in cached]
    items = [(a, event_end.get(a.id)) for a in missing]
    pending = workers.start(_sentences_of, items, None, parallel=len(items) >= PARALLEL_ARTICLES)
    return _Sentences(wanted, cached, [a.id for a in missing], pending, cache)


@dataclass
class _Sentences:
    """Articles' sentences being found: those the cache held, and the workers' share under way."""

    wanted: dict[str, tuple[str, str]]  # article id -> its cache key
    cached: dict[tuple[str, str], tuple[Sentence, ...]]
    missing: list[str]  # ids of the articles being extracted
    pending: Pending[tuple[Sentence, ...]]
    cache: Cache | None

    def result(self) -> dict[str, tuple[Sentence, ...]]:
        """Wait for the extraction; store what it found in the cache; return sentences by article id."""
        fresh = dict(zip(self.missing, self.pending.result(), strict=True))
        if self.cache and fresh:
            self.cache.store_sentences({self.wanted[a]: s for a, s in fresh.items()})
        return {a: fresh[a] if a in fresh else self.cached[key] for a, key in self.wanted.items()}

    def __enter__(self) -> _Sentences:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pending.__exit__(*exc)


def _ids(groups: Sequence[Sequence[str]], articles: Sequence[Article], what: str, warn: Warn) -> list[list[str]]:
    """Turn groups of paths from the configuration into groups of article ids; warn about unknown paths."""
    if not groups:
        return []  # resolving every article's path costs a second at 10,000 articles
    by_path = {Path(a.path).resolve(): a.id for a in articles}
    out: list[list[str]] = []
    for group in groups:
        ids = []
        for path in group:
            found = by_path.get(Path(path).resolve())
            if found is None:
                warn(f"grouping.{what}: {path} is not among this run's reports; ignored")
            else:
                ids.append(found)
        if len(ids) >= 2:
            out.append(ids)
    return out


class _Stopwatch:
    """Add up wall time per stage, for the benchmarks and --timings."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self.seconds[stage] = round(self.seconds.get(stage, 0.0) + elapsed, 3)


@dataclass(frozen=True)
class Shared:
    """What the comparison of every event reads: fitted once over the whole run."""

    sents: dict[str, tuple[Sentence, ...]]
    by_id: dict[str, Article]
    vectors: Vectors
    context: Context
    names: dict[str, NameIndex]
    references: tuple[tuple[str, Callable[[str], bool]], ...]  # reference id, test for its subject


@dataclass(frozen=True)
class EventComparison:
    """All that comparing the sources of one event found."""

    alignments: tuple[Alignment, ...]
    discrepancies: tuple[Discrepancy, ...]
    quotes: tuple[QuotePair, ...]
    unique: tuple[UniqueClaims, ...]
    copying: tuple[Copying, ...]


def _shared(articles: Sequence[Article], sents: dict[str, tuple[Sentence, ...]]) -> Shared:
    all_sents = [s for group in sents.values() for s in group]
    rare = _rare_names(sents)
    return Shared(
        sents=sents,
        by_id={a.id: a for a in articles},
        vectors=Vectors(all_sents),
        context=Context(all_sents),
        names=_NameIndexes(sents),
        references=tuple(
            (a.id, NameIndex(_subject(a, sents[a.id], rare)).knows) for a in articles if a.role == "reference"
        ),
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


PARALLEL_ARTICLES = 300  # from this many articles, find sentences and details in a process pool
PARALLEL_PAIRS = 400  # from this many article pairs, compare events in a process pool


def _sentences_of(item: tuple[Article, date | None], _: None) -> tuple[Sentence, ...]:
    article, reference = item
    return sentences(article, reference=reference)


def _compare_events(events: Sequence[Event], shared: Shared, workers: Workers) -> list[EventComparison]:
    """Compare every event's sources, spread over the workers when the run is large."""
    pairs = sum(len(e.articles) * (len(e.articles) - 1) // 2 for e in events)
    # the largest events first, so no worker is left with a big one at the end
    order = sorted(range(len(events)), key=lambda i: -len(events[i].articles))
    done = workers.map(compare_event, [events[i] for i in order], shared, parallel=pairs >= PARALLEL_PAIRS)
    by_position = dict(zip(order, done, strict=True))
    return [by_position[i] for i in range(len(events))]


def compare_event(event: Event, shared: Shared) -> EventComparison:
    """Align and compare the sources of one event, and check them against each reference note."""
    sents, by_id, names = shared.sents, shared.by_id, shared.names
    members = sorted(event.articles, key=lambda i: by_id[i].path)
    pairs = [(event.id, a, b) for a, b in itertools.combinations(members, 2)]  # in path order
    best: dict[str, np.ndarray] = {}  # per sentence, its best score against the event's other sources
    alignments, loose = _align_event(event, members, shared, best)
    quotes = [q for e, a, b in pairs for q in pair_quotes(e, sents[a], sents[b])]
    discrepancies = [
        *_compare_aligned(alignments, loose, shared),
        *quote_discrepancies(quotes),
        *[v for e, a, b in pairs for v in name_variants(e, sents[a], sents[b], names[b])],
        *[r for e, a, b in pairs for r in role_conflicts(e, sents[a], sents[b], names[a], names[b])],
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
    best: dict[str, np.ndarray],
) -> tuple[list[Alignment], list[Alignment]]:
    """Align the sentences of each pair of the event's sources, and of each source with each reference.

    `members` are the event's sources in path order; each is paired with every source after it.

    Returns the alignments proper (one to one, and reference anchors) and the loose
    ones: a sentence's second-best partner, which may hold the claim when one-to-one
    pairing gave its best partner away, and pairs whose values hang on one rare word.
    """
    sents, vectors = shared.sents, shared.vectors
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
            # whether a score reaches THRESHOLD or SAME_CLAIM
            floor=min(THRESHOLD, SAME_CLAIM),
            exact=exact,
        )
        for b in after:
            scores = block[:, span[b].start - later.start : span[b].stop - later.start]
            if scores.size:
                for art, row_best in ((a, scores.max(axis=1)), (b, scores.max(axis=0))):
                    best[art] = np.maximum(best[art], row_best) if art in best else row_best
            ranked = ranked_cells(scores, THRESHOLD, forms[a].wordy, forms[b].wordy)
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


def _compare_aligned(alignments: Sequence[Alignment], loose: Sequence[Alignment], shared: Shared) -> list[Discrepancy]:
    """Compare the details of every aligned pair of sentences; loose pairs only where the words around agree."""
    sents, by_id, context, names = shared.sents, shared.by_id, shared.context, shared.names
    found: dict[tuple[str, str, int, str], Discrepancy] = {}
    paired = {(al.a, al.a_index, al.b, al.b_index) for al in alignments if by_id[al.b].role == "report"}
    for al in [*alignments, *loose]:
        sa, sb = sents[al.a][al.a_index], sents[al.b][al.b_index]
        is_paired = (al.a, al.a_index, al.b, al.b_index) in paired
        flags = compare(al, sa, sb, by_id, context, paired=is_paired)
        if not is_paired:
            # a loose pair never flags a value the other article agrees with somewhere
            flags = [d for d in flags if not stated_anywhere(d, sa, sents[al.b])]
        if by_id[al.a].role == by_id[al.b].role == "report":
            flags += name_conflicts(al, sa, sb, names[al.a], names[al.b], context)
        for d in flags:
            # one value of a report is flagged once, against its best-fitting counterpart
            key = (d.a.article, d.a.sentence, d.a.start, d.severity)
            if key not in found or d.score > found[key].score:
                found[key] = d
    return list(found.values())


def _ordered(found: Sequence[Discrepancy]) -> list[Discrepancy]:
    """Sort conflicts first, then by how sure the tool is; two checks that flag the same values keep one flag."""
    ranked = sorted((calibrated(d) for d in found), key=lambda d: (d.severity != "conflict", -d.score, d.id))
    first: dict[str, Discrepancy] = {}
    for d in ranked:
        first.setdefault(d.id, d)
    return list(first.values())


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
