"""Run the stages in order: ingest, clean, extract, group, align, compare."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from . import __version__, codec
from .archive import code_fingerprint
from .clean import clean
from .confidence import calibrated
from .coverage import agreed_claims
from .errors import ArticleError, NothingToReadError
from .event import Shared, compare_event, comparison_key, fits, prepare
from .extract import sentences
from .group import group_events, grouping_terms
from .ingest import Source, discover, read_bytes, read_source
from .language import foreign_language
from .model import (
    Article,
    Briefing,
    Discrepancy,
    Event,
    EventComparison,
    FileOutcome,
    GroupingTerms,
    Sentence,
    Skipped,
    Window,
    against_reference,
)
from .text import load_tables
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
    threshold: float | None = None  # event grouping cut; None keeps group.GROUPING_CUT
    together: Sequence[Sequence[str]] = ()  # paths of articles that must form one event
    apart: Sequence[Sequence[str]] = ()  # paths of articles that must not share an event
    scheduler: str | None = None  # address of a Dask scheduler to run articles and events on; None: this machine


class Cache(Protocol):
    """Where earlier runs' readings are kept (the archive); see archive.Archive."""

    def files(self, keys: Iterable[str]) -> dict[str, FileOutcome]: ...

    def store_files(self, outcomes: dict[str, FileOutcome]) -> None: ...

    def sentences(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[Sentence, ...]]: ...

    def store_sentences(self, items: dict[tuple[str, str], tuple[Sentence, ...]]) -> None: ...

    def comparisons(self, keys: Iterable[str]) -> dict[str, tuple[tuple[str, ...], EventComparison]]: ...

    def store_comparisons(self, items: dict[str, tuple[Event, EventComparison]], taken: Iterable[str] = ()) -> None: ...


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
        meanwhile=_engine_and_tables if len(unread) >= PARALLEL_FILES else engine_libraries,
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


def engine_libraries() -> None:
    """Import the libraries that grouping and comparison fit their word weights with (scikit-learn).

    Their import takes about a second, most of a small run's start: it is made while the
    workers read the files, which need none of it, rather than before they start.
    """
    import sklearn.feature_extraction.text
    import sklearn.preprocessing  # noqa: F401


def _engine_and_tables() -> None:
    """Import the engine's libraries and load the tables comparison reads, while workers read the files.

    The extraction and comparison workers are forked after the reading, so they inherit the
    tables instead of each loading its own; a run that reads few files (a small or cached
    one) loads them only if it compares anything, as before.
    """
    engine_libraries()
    load_tables()


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
    # what grouping reads of each article alone is found first, on every core; then the
    # workers split the articles into sentences while this process groups them. An
    # undated article borrows its event's date to resolve "November 25": it is split as if
    # its event were undated too, which holds in a folder of undated articles, and split
    # again after the grouping only if its event turns out dated
    with clock("group"):
        reports = [a for a in articles if a.role == "report"]
        progress("group", 0, len(reports))
        terms = workers.map(_terms_of, reports, None, parallel=len(reports) >= PARALLEL_ARTICLES)
    with clock("extract"):
        early = _start_sentences(articles, {}, cache, workers)
        progress("extract", 0, len(articles))
    with early:
        with clock("group"):
            events = group_events(
                reports,
                threshold=options.threshold,
                together=_ids(options.together, reports, "together", warn),
                apart=_ids(options.apart, reports, "apart", warn),
                terms=terms,
            )
            progress("group", len(reports), len(reports))
        with clock("extract"):
            event_end: dict[str, date | None] = {a: e.end for e in events for a in e.articles if e.end is not None}
            borrowing = [a for a in articles if a.published is None and a.id in event_end]
            with _start_sentences(borrowing, event_end, cache, workers) as late:
                found = {**early.result(), **late.result()}
            sents = {a.id: found[a.id] for a in articles}
            progress("extract", len(articles), len(articles))
    with clock("prepare"):
        progress("prepare", 0, len(articles))
        shared = prepare(articles, sents)
        progress("prepare", len(articles), len(articles))
    with clock("compare"):
        progress("compare", 0, len(events))  # events are spread over the workers: counted when all are done
        results = _compare_events(events, shared, workers, cache)
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


PARALLEL_ARTICLES = 300  # from this many articles, find sentences and details in a process pool
PARALLEL_PAIRS = 400  # from this many article pairs, compare events in a process pool


def _terms_of(article: Article, _: None) -> GroupingTerms:
    return grouping_terms(article)


def _sentences_of(item: tuple[Article, date | None], _: None) -> tuple[Sentence, ...]:
    article, reference = item
    return sentences(article, reference=reference)


def _compare_events(
    events: Sequence[Event], shared: Shared, workers: Workers, cache: Cache | None = None
) -> list[EventComparison]:
    """Compare every event's sources, spread over the workers when the run is large.

    With a cache, an event whose articles, references and code are those of a stored
    comparison takes it (an event's comparison reads nothing else, see event.py); a stored
    one that does not fit its event is passed over, and the event compared again.
    """
    keys = _comparison_keys(events, shared) if cache else {}
    stored = cache.comparisons(k for k in keys.values() if k) if cache else {}
    found: dict[int, EventComparison] = {}
    for i, event in enumerate(events):
        key = keys.get(event.id)
        if key in stored and stored[key][0] == event.articles and fits(stored[key][1], event, shared):
            found[i] = stored[key][1]
    reused = [k for i in found if (k := keys.get(events[i].id))]
    todo = [i for i in range(len(events)) if i not in found]
    pairs = sum(len(events[i].articles) * (len(events[i].articles) - 1) // 2 for i in todo)
    # the largest events first, so no worker is left with a big one at the end
    order = sorted(todo, key=lambda i: -len(events[i].articles))
    done = workers.map(compare_event, [events[i] for i in order], shared, parallel=pairs >= PARALLEL_PAIRS)
    found.update(zip(order, done, strict=True))
    if cache:
        fresh = {k: (events[i], found[i]) for i in order if (k := keys.get(events[i].id))}
        cache.store_comparisons(fresh, reused)
    log.info("compared %d of %d events; the archive held the others", len(order), len(events))
    return [found[i] for i in range(len(events))]


def _comparison_keys(events: Sequence[Event], shared: Shared) -> dict[str, str | None]:
    """Key each event's comparison by what it reads; see event.comparison_key."""
    code = ":".join([code_fingerprint(), *(f"{lib} {_version(lib)}" for lib in _ENGINE_LIBRARIES)])
    contents: dict[str, str] = {}
    for article in shared.by_id.values():
        try:
            contents[article.id] = hashlib.sha1(codec.dumps(Article, article)).hexdigest()
        except TypeError:  # text JSON cannot hold (a lone surrogate): its events are always compared
            continue
    return {e.id: comparison_key(e, shared, contents, code) for e in events}


# libraries whose scores a comparison holds: another version may score otherwise
_ENGINE_LIBRARIES = ("numpy", "scipy", "scikit-learn", "rapidfuzz")


def _version(library: str) -> str:
    try:
        return importlib.metadata.version(library)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _ordered(found: Sequence[Discrepancy]) -> list[Discrepancy]:
    """Sort conflicts first, then by how sure the tool is; two checks that flag the same values keep one flag."""
    ranked = sorted(
        (calibrated(d) for d in found),
        key=lambda d: (d.severity != "conflict", not against_reference(d), -d.score, d.id),
    )
    first: dict[str, Discrepancy] = {}
    for d in ranked:
        first.setdefault(d.id, d)
    return list(first.values())
