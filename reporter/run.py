"""One run as the CLI does it: lock the output folder, build, review, compare with the archive, write, record."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from .archive import Archive
from .config import Settings
from .errors import FailOnMatched, OutputError
from .history import new_conflicts, past_flags, with_changes
from .model import Briefing, Window
from .pipeline import BuildOptions, Progress, Warn, build_briefing, no_progress
from .render import CURRENT, FORMATS, RUNS, RenderOptions, make_folder, render_pdf, write_outputs
from .review import apply_reviews, load_reviews
from .window import today, week_label
from .wording import plural
from .workers import collect_rarely

LOCK_NAME = ".reporter.lock"


@dataclass(frozen=True)
class RunResult:
    """What a run wrote, and the briefing it wrote."""

    briefing: Briefing
    out: Path
    written: tuple[Path, ...]


def output_folder(settings: Settings, window: Window | None = None) -> Path:
    """Return where this run writes: the output folder, or its ISO-week subfolder with dated folders."""
    if not settings.dated:
        return settings.out
    window = window or settings.window.resolve()
    if settings.window.week:
        label = settings.window.week.upper()
    else:
        label = week_label(window.until if window and window.until else settings.window.as_of or today())
    return settings.out / label


def written_paths(settings: Settings, out: Path) -> tuple[Path, ...]:
    """Return what runs write or read besides articles, none of which is ever read as one.

    The output folder may sit inside a source folder (then it is left out whole) or be
    one (then the briefings, the week folders and the archive in it are left out).
    """
    folders = [settings.out, out]
    if settings.dated and settings.out.is_dir():
        folders += [p for p in settings.out.iterdir() if _WEEK_FOLDER.fullmatch(p.name) and p.is_dir()]
    briefings = [folder / f"briefing.{fmt}" for folder in folders for fmt in FORMATS]
    published = [folder / name for folder in folders for name in (RUNS, CURRENT)]  # one run's set, see render
    archive = settings.archive_path
    sidecars = [archive.with_name(archive.name + end) for end in ("-journal", "-wal", "-shm")]
    given = (settings.notes, settings.config, settings.reviews_path, archive, *sidecars)
    return (*folders, *briefings, *published, *(p for p in given if p))


_WEEK_FOLDER = re.compile(r"\d{4}-W\d{2}")


def run(
    settings: Settings,
    warn: Warn,
    progress: Progress | None = None,
    notes: str | None = None,
    pdf: Callable[[str], bytes] = render_pdf,
    timings: bool = False,
) -> RunResult:
    """Build the briefing the settings describe and write it; raise ReporterError subclasses on failure."""
    window = settings.window.resolve()
    out = output_folder(settings, window)
    options = BuildOptions(
        sources=settings.sources,
        references=settings.references,
        title=settings.title,
        exclude=written_paths(settings, out),
        window=window,
        threshold=settings.threshold,
        together=settings.together,
        apart=settings.apart,
        scheduler=settings.scheduler,
    )
    created = not settings.out.exists()
    with (
        lock_folder(settings.out, settings.lock_timeout),
        _tidy_on_failure(settings, out, created),
        _archive_errors(settings.archive_path),
        collect_rarely(),
        contextlib.ExitStack() as stack,
    ):
        archive = None
        if settings.use_archive:
            archive = stack.enter_context(Archive(settings.archive_path, warn, timeout=settings.lock_timeout))
        briefing = build_briefing(options, warn=warn, cache=archive, progress=progress or no_progress)
        briefing = apply_reviews(briefing, load_reviews(settings.reviews_path))
        # the flags as the archive keeps them: compared with the last briefing's, then recorded
        flags = past_flags(briefing) if archive is not None else []
        if archive is not None:
            briefing = with_changes(briefing, archive.last_briefing(), flags)
        render = RenderOptions(paper=settings.paper, notes=notes, timings=timings, pdf_sources=settings.pdf_sources)
        if settings.pdf_events is not None:
            render = replace(render, pdf_events=settings.pdf_events)
        if settings.digest_facts is not None:
            render = replace(render, digest_facts=settings.digest_facts)
        written = write_outputs(briefing, out, settings.formats, render, warn=warn, pdf=pdf, progress=progress)
        # recorded after the outputs: a run that fails to write is not "the last briefing"
        if archive is not None:
            archive.record(briefing, flags)
    return RunResult(briefing, out, tuple(written))


def check_fail_on(fail_on: str | None, briefing: Briefing) -> None:
    """Raise FailOnMatched when the briefing holds what --fail-on names (dismissed flags never count)."""
    conflicts, variants = briefing.conflicts, briefing.variants
    if fail_on == "conflict" and conflicts:
        raise FailOnMatched(f"--fail-on conflict: the briefing lists {plural(conflicts, 'conflict')}")
    if fail_on == "new-conflict" and (new := len(new_conflicts(briefing))):
        raise FailOnMatched(
            f"--fail-on new-conflict: the briefing lists {plural(new, 'conflict')} new since the last one"
        )
    if fail_on == "variant" and conflicts + variants:
        raise FailOnMatched(
            f"--fail-on variant: the briefing lists {plural(conflicts, 'conflict')}, {plural(variants, 'variant')}"
        )


@contextlib.contextmanager
def lock_folder(folder: Path, timeout: float) -> Iterator[None]:
    """Hold the output folder for this run; wait up to `timeout` seconds for another run to finish.

    The lock is a file in the folder, removed when the run ends so that it never lands in
    what is published. A run that was waiting may so find itself holding a file no longer
    in the folder: it then locks the file that now stands there.
    """
    path = folder / LOCK_NAME
    deadline = time.monotonic() + timeout
    while True:
        make_folder(folder)
        fd = _open_lock(folder, path)
        try:
            _wait_for(fd, folder, timeout, deadline)
        except BaseException:
            os.close(fd)
            raise
        if _names(fd, path):
            break
        os.close(fd)  # the run before removed it as it ended: lock the one in the folder now
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        # removed while still held, so a run waiting on this file sees it gone and takes the next one
        if _names(fd, path):
            with contextlib.suppress(OSError):
                path.unlink()
        os.close(fd)


def _open_lock(folder: Path, path: Path) -> int:
    """Open (or create) the lock file, refusing anything but a plain file of our own."""
    # O_NOFOLLOW: a link planted as the lock must not lead the run to write elsewhere; no O_TRUNC:
    # the file is emptied only once it is known to be a lock file; O_NONBLOCK: a pipe never waits
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(
                f"cannot use output folder {folder}: {path} is a symbolic link, not a lock file"
            ) from None
        if exc.errno == errno.EISDIR:
            raise OutputError(f"cannot use output folder {folder}: {path} is a folder, not a lock file") from None
        raise OutputError(f"cannot use output folder {folder}: {exc.strerror}") from None
    info = os.fstat(fd)
    problem = None
    if not stat.S_ISREG(info.st_mode):
        problem = "is not a regular file"
    elif info.st_nlink != 1:
        problem = "has other names (hard links)"
    if problem:
        os.close(fd)
        raise OutputError(f"cannot use output folder {folder}: {path} {problem}, not a lock file")
    return fd


def _wait_for(fd: int, folder: Path, timeout: float, deadline: float) -> None:
    """Take the lock on fd, waiting until the deadline; raise OutputError naming the holder after it."""
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                held = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                holder = held if held.isdigit() else "?"
                raise OutputError(
                    f"another run (pid {holder}) is writing to {folder}; waited {timeout:g} s "
                    f"(lock_timeout in briefing.toml, --lock-timeout)"
                ) from None
            time.sleep(0.1)


def _names(fd: int, path: Path) -> bool:
    """Tell whether path still names the open file fd."""
    try:
        named = os.lstat(path)
    except OSError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


@contextlib.contextmanager
def _archive_errors(path: Path) -> Iterator[None]:
    """Report an SQLite failure (disk full, a locked or read-only file) as one line, not a traceback."""
    try:
        yield
    except sqlite3.Error as exc:
        raise OutputError(f"archive {path}: {exc}") from None


@contextlib.contextmanager
def _tidy_on_failure(settings: Settings, out: Path, created: bool) -> Iterator[None]:
    """When a run that created the output folder fails, take away what it made there (lock, empty archive)."""
    try:
        yield
    except BaseException:
        if created:
            made = [
                settings.out / LOCK_NAME,
                settings.archive_path,
                settings.archive_path.with_name(settings.archive_path.name + "-journal"),
            ]
            for path in made:
                if path.parent == settings.out:
                    path.unlink(missing_ok=True)
            # folders only when nothing else is in them: the run folders' one, a dated folder, the output folder
            for folder in (out / RUNS, out, settings.out):
                with contextlib.suppress(OSError):
                    folder.rmdir()
        raise
