"""Write a Briefing as HTML, PDF, JSON and a Markdown digest, each file written atomically."""

from __future__ import annotations

import base64
import contextlib
import errno
import functools
import glob
import hashlib
import logging
import multiprocessing
import os
import re
import secrets
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .errors import OutputError, UsageError
from .facts import build_facts
from .history import key_of, lasting_path
from .model import Briefing, Discrepancy, to_jsonable
from .view import BriefingView, Paper, build_view
from .workers import worker_signals

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

FORMATS = ("html", "pdf", "json", "md")
OUTPUT_NAMES = tuple(f"briefing.{fmt}" for fmt in FORMATS)
# one run's outputs are written to RUNS/<id>/ and shown through CURRENT, a link switched in one rename
RUNS = ".runs"
CURRENT = "current"
SCHEMA_VERSION = 3  # 3: facts[] (pairwise flags merged per slot) and agreed[]
FONT_DIR = Path(__file__).resolve().parent / "fonts"
# (file, CSS family, weight): the PDF embeds these, so it looks the same on every machine
FONT_FACES = (
    ("DejaVuSans.ttf", "Briefing Sans", "normal"),
    ("DejaVuSans-Bold.ttf", "Briefing Sans", "bold"),
    ("DejaVuSansMono.ttf", "Briefing Mono", "normal"),
)
# Markdown punctuation that could start markup (emphasis, links, tables, HTML) inside a line
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")

log = logging.getLogger("reporter")
Warn = Callable[[str], None]


PDF_EVENTS = 25
DIGEST_FACTS = 20
DIGEST_EVENTS = 150  # events listed in the digest, one line each: with the facts, it stays under DIGEST_LIMIT
DIGEST_LIMIT = 64 * 1024  # bytes: GitHub shows at most 1 MiB of job summaries, and a digest is read at a glance


@dataclass(frozen=True)
class RenderOptions:
    """How to present a briefing: paper size and the analyst's notes."""

    paper: Paper = "a4"
    notes: str | None = None  # Markdown; a `## <event title or id>` section per event
    timings: bool = False  # add wall seconds per stage to briefing.json (they differ run to run)
    pdf_events: int | None = PDF_EVENTS  # the PDF shows this many events, the most significant; None: all
    pdf_sources: bool = False  # the PDF ends with every source text, its values marked (the HTML always does)
    digest_facts: int = DIGEST_FACTS  # disputed facts the Markdown digest lists, surest first


def template_dir() -> Path:
    """Return the templates folder: inside the installed package, or beside the package in a checkout."""
    # a wheel installs templates/ as reporter/templates; an editable install and the
    # tests run from the checkout, where it stands at the top level
    installed = Path(__file__).resolve().parent / "templates"
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / "templates"


@functools.cache  # one per process: its templates are compiled once, not for the HTML and again for the PDF
def environment() -> Environment:
    """Return the Jinja environment; autoescaping keeps article text from injecting markup."""
    return Environment(
        loader=FileSystemLoader(template_dir()),
        autoescape=select_autoescape(("html", "xml"), default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def escape_markdown(value: object) -> str:
    """Escape a value for Markdown: one line, no emphasis, link, table cell or HTML it could open."""
    text = re.sub(r"\s+", " ", "" if value is None else str(value))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


@functools.cache
def markdown_environment() -> Environment:
    """Return the Jinja environment of the Markdown digest: every value goes through escape_markdown."""
    return Environment(
        loader=FileSystemLoader(template_dir()),
        autoescape=False,
        finalize=escape_markdown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def to_json(briefing: Briefing, timings: bool = False) -> dict[str, Any]:
    """Serialise the briefing to the documented briefing.json structure."""
    paths = {a.id: lasting_path(a) for a in briefing.articles}  # for each flag's lasting key
    data = {
        "schema_version": SCHEMA_VERSION,
        "title": briefing.title,
        "generated": briefing.generated,
        "version": briefing.version,
        "articles": [
            {
                "id": a.id,
                "path": a.path,
                "format": a.format,
                "title": a.title,
                "outlet": a.outlet,
                "published": a.published.isoformat() if a.published else None,
                "url": a.url,
                "role": a.role,
                "words": a.words,
                "removed": {
                    "count": len(a.removed),
                    "lines": [to_jsonable(r) for r in a.removed],
                },
            }
            for a in briefing.articles
        ],
        "events": [to_jsonable(e) for e in briefing.events],
        "discrepancies": [_flag_json(briefing, d, paths) for d in briefing.discrepancies],
        "facts": [to_jsonable(f) for f in build_facts(briefing)],
        "agreed": [to_jsonable(a) for a in briefing.agreed],
        "quotes": [to_jsonable(q) for q in briefing.quotes],
        "unique": [to_jsonable(u) for u in briefing.unique],
        "copying": [to_jsonable(c) for c in briefing.copying],
        "skipped": [to_jsonable(s) for s in briefing.skipped],
        "window": to_jsonable(briefing.window),
        "changes": to_jsonable(briefing.changes),
        "dismissed": [
            {"flag": {**to_jsonable(d), "key": key_of(d, paths)}, "review": to_jsonable(r)}
            for d, r in briefing.dismissed
        ],
    }
    if timings:
        data["timings"] = dict(briefing.timings)
    return data


def json_bytes(data: Any) -> bytes:
    """Return data as briefing.json's bytes: UTF-8, keys in order, two-space indent, a final newline."""
    # json.dumps with an indent runs in pure Python (seconds for a large run); orjson's C encoder
    # writes the same bytes for this data: str keys, no NaN, floats rounded to 3 places (the
    # one difference, exponents below 1e-4, cannot occur), non-ASCII and U+2028 unescaped
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE, default=_plain_float)


def _plain_float(value: Any) -> float:
    """Write a float subclass (numpy's float64) as the float it is, as json.dumps does."""
    if isinstance(value, float):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _flag_json(briefing: Briefing, d: Discrepancy, paths: dict[str, str]) -> dict[str, Any]:
    """A flag, with its lasting key, whether it is new since the last briefing and an analyst's verdict."""
    data: dict[str, Any] = to_jsonable(d)
    data["key"] = key_of(d, paths)  # what `reporter review` records, read back from this file
    data["status"] = briefing.changes.status.get(d.id) if briefing.changes else None
    review = briefing.reviews.get(d.id)
    data["review"] = to_jsonable(review) if review else None
    return data


def _script() -> tuple[Markup, Markup]:
    """Return the filter script and its CSP hash, so the page may run it and nothing else."""
    code = (template_dir() / "filter.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
    return Markup(code), Markup(f"'sha256-{digest}'")  # our own file and a base64 digest, never article text


def html_from_view(view: BriefingView, pdf: bool = False, texts: bool = True) -> str:
    """Render a view model as one self-contained HTML document.

    `pdf` lays it out for reading on paper (events open, the surest entries only);
    `texts` ends it with every source text, its flagged values marked.
    """
    script, script_hash = _script()
    template = environment().get_template("briefing.html")
    return template.render(view=view, script=script, script_hash=script_hash, pdf=pdf, texts=texts)


def render_html(briefing: Briefing, options: RenderOptions | None = None) -> str:
    """Render the briefing as one self-contained HTML document."""
    options = options or RenderOptions()
    return html_from_view(build_view(briefing, notes=options.notes, paper=options.paper))


def markdown_from_view(view: BriefingView, facts: int = DIGEST_FACTS) -> str:
    """Render a view model as the Markdown digest: counts, the surest disputed facts, one line per event."""
    template = markdown_environment().get_template("digest.md")
    events = view.events[:DIGEST_EVENTS]
    text = template.render(
        view=view, facts=view.facts[: max(0, facts)], events=events, more=len(view.events) - len(events)
    )
    while len(text.encode("utf-8")) > DIGEST_LIMIT and (facts > 0 or len(events) > 0):
        # long values and titles: give up lines until it fits, saying how many are left out
        facts, events = (facts - 1, events) if facts > len(events) // 10 else (facts, events[: len(events) * 3 // 4])
        text = template.render(view=view, facts=view.facts[:facts], events=events, more=len(view.events) - len(events))
    return text


def render_markdown(briefing: Briefing, options: RenderOptions | None = None) -> str:
    """Render the briefing as a short Markdown digest for CI job summaries and chat."""
    options = options or RenderOptions()
    view = build_view(briefing, notes=options.notes, paper=options.paper)
    return markdown_from_view(view, options.digest_facts)


def asset_files() -> dict[str, Path]:
    """Map the file: URL of each asset the PDF may load (the shipped fonts) to its path."""
    return {(FONT_DIR / name).as_uri(): FONT_DIR / name for name, _, _ in FONT_FACES}


def font_css() -> str:
    """Return the PDF's @font-face rules for the shipped fonts, and make them the document's fonts."""
    faces = [
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; src: url("{url}"); }}'
        for (name, family, weight), url in zip(FONT_FACES, asset_files(), strict=True)
    ]
    return "\n".join(
        [
            *faces,
            'html { font-family: "Briefing Sans", "DejaVu Sans", sans-serif; }',
            '.path, .url, code, pre { font-family: "Briefing Mono", "DejaVu Sans Mono", monospace; }',
        ]
    )


def locked_fetcher() -> URLFetcher:
    """Return a WeasyPrint URL fetcher that serves the package's fonts and refuses every other URL.

    Article text may name file:// or http:// URLs; none of them is ever read or requested.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = asset_files()

    class LockedFetcher(URLFetcher):  # type: ignore[misc]
        """Fetch only the shipped fonts, by exact URL, straight from the package folder."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = allowed.get(url)
            if path is None:
                raise ValueError(f"resource refused: {url[:80]}")
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": "font/ttf"})

    return LockedFetcher()


def render_pdf(html: str) -> bytes:
    """Render HTML to a tagged PDF (PDF/UA-1) with the shipped fonts embedded, fetching nothing else."""
    from weasyprint import CSS, HTML  # heavy import; JSON-only runs never pay for it
    from weasyprint.text.fonts import FontConfiguration

    fetcher = locked_fetcher()
    font_config = FontConfiguration()  # without it WeasyPrint ignores @font-face
    fonts = CSS(string=font_css(), url_fetcher=fetcher, font_config=font_config)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[fonts], font_config=font_config, pdf_variant="pdf/ua-1")
    assert pdf is not None
    return bytes(pdf)


class PdfRenderer:
    """Render the PDF in a child process that loads WeasyPrint while the parent builds the briefing.

    WeasyPrint takes about 0.6 s to import and the comparison libraries about 1.5 s;
    forked before either is loaded, the two load side by side on two cores. Where
    fork is not available, render in this process.
    """

    def __init__(self) -> None:
        self._conn: Any = None
        self._proc: Any = None
        if "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            self._conn, child = ctx.Pipe()
            self._proc = ctx.Process(target=_serve_pdf, args=(child, self._conn), daemon=True)
            self._proc.start()
            child.close()

    def render(self, html: str) -> bytes:
        """Return the PDF for the HTML."""
        if self._proc is None:
            return render_pdf(html)
        self._conn.send(html)
        ok, payload = self._conn.recv()
        self.close()
        if not ok:
            raise RuntimeError(f"PDF rendering failed in the worker process:\n{payload}")
        return bytes(payload)

    def close(self) -> None:
        """Stop the worker if it still runs."""
        if self._proc is not None:
            self._conn.close()
            self._proc.join(timeout=0.2)  # after a render it is exiting already
            if self._proc.is_alive():
                # still importing WeasyPrint for a run that ended early (a bad path): nothing to wait for
                self._proc.terminate()
                self._proc.join()
            self._proc = None


def _serve_pdf(conn: Any, parent_end: Any) -> None:
    """Load WeasyPrint, then render the one HTML document the parent sends."""
    # the fork copied the parent's end of the pipe: close it, so that a parent killed mid-run
    # ends this worker too (recv sees the pipe closed), and an early error needs no wait for join
    parent_end.close()
    worker_signals()  # the parent's Ctrl-C and SIGTERM handlers are not this worker's
    import weasyprint  # noqa: F401  (loaded now, while the parent works)

    try:
        html = conn.recv()
    except EOFError:
        return  # the parent needed no PDF after all
    try:
        try:
            result: tuple[bool, bytes | str] = (True, render_pdf(html))
        except Exception:  # a bug: hand the traceback to the parent, which raises it
            result = (False, traceback.format_exc())
        conn.send(result)
    except OSError:
        pass  # the parent is gone (killed or stopped): nobody wants the PDF
    finally:
        conn.close()


def parse_formats(value: str | Iterable[str]) -> tuple[str, ...]:
    """Parse 'html,pdf,json,md' into a tuple, rejecting unknown formats."""
    items = value.split(",") if isinstance(value, str) else list(value)
    formats = tuple(dict.fromkeys(i.strip().lower() for i in items if i.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"unknown format '{','.join(unknown) or value}' (choose from {', '.join(FORMATS)})")
    return formats


def write_atomic(files: Mapping[Path, bytes]) -> None:
    """Write files, each one whole: written to a temporary file beside it, then renamed into place.

    The renames come only when every file is written, but they are one after another:
    for a set that readers must see whole, use publish. Raise OutputError saying which file failed.
    """
    for path in files:
        if path.is_dir():
            raise OutputError(f"cannot write {path}: a folder has that name")
    umask = _umask()
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def publish(
    out_dir: Path, files: Mapping[str, bytes], owned: Iterable[str] = (), warn: Warn = log.warning
) -> list[Path]:
    """Publish one run's files in out_dir so that a reader sees the last set or the whole new one.

    The files are written into a new run folder, out_dir/.runs/<id>/. Each name in out_dir
    is a symbolic link `name -> current/name`, made once, and `current -> .runs/<id>` is
    switched by a single rename: every name changes at the same instant, and a run killed
    at any point leaves the old set or the new one. Names of `owned` (all the names a run
    may publish) that the new set lacks are removed after the switch; run folders other
    than the new and the previous one are deleted. Where out_dir cannot hold symbolic
    links, the files are renamed into place one by one, with a warning.

    Return the paths in out_dir. The caller keeps other runs out of out_dir meanwhile (run.lock_folder).
    """
    make_folder(out_dir)
    names = tuple(dict.fromkeys([*files, *owned]))
    for name in names:
        path = out_dir / name
        if path.is_dir() and not path.is_symlink():
            raise OutputError(f"cannot write {path}: a folder has that name")
    current = out_dir / CURRENT
    if current.exists() and not current.is_symlink():
        raise OutputError(f"cannot publish to {out_dir}: {current} is not the link reporter keeps there; move it away")
    if not _holds_links(out_dir):
        warn(
            f"{out_dir} cannot hold symbolic links: the outputs are renamed into place one by one, "
            "so a run killed meanwhile may leave old and new files side by side"
        )
        write_atomic({out_dir / name: data for name, data in files.items()})
        return [out_dir / name for name in files]
    runs = out_dir / RUNS
    _remove_stale_links(out_dir, names)
    made = _write_run(out_dir, files)
    try:
        previous = _current_run(out_dir) or _adopt_plain_files(out_dir, names)
        for name in names:
            path = out_dir / name
            # a plain file of an earlier run becomes a link too: after the switch no old file stands beside the set
            if name in files or (path.is_file() and not path.is_symlink()):
                _link(path, f"{CURRENT}/{name}")
        _fsync_folder(out_dir)  # the links are on disk before the switch that makes them point at the new set
        _link(current, f"{RUNS}/{made.name}")  # the switch: from here every name shows the new set
    except BaseException as exc:  # a failure, or SIGTERM: the new set is not shown, so it goes
        if _current_run(out_dir) != made.name:
            shutil.rmtree(made, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot publish to {out_dir}: {exc.strerror or exc}") from None
        raise
    with contextlib.suppress(OSError):
        _fsync_folder(out_dir)
    for name in names:
        path = out_dir / name
        if name not in files and path.is_symlink() and os.readlink(path) == f"{CURRENT}/{name}":
            path.unlink(missing_ok=True)  # not part of the new set: a dangling link until now
    for folder in runs.iterdir():
        if folder.name not in (made.name, previous):
            shutil.rmtree(folder, ignore_errors=True)  # killed runs' folders, and older sets
    return [out_dir / name for name in files]


def _remove_stale_links(out_dir: Path, names: Iterable[str]) -> None:
    """Delete the temporary files and links a killed run left (named as write_atomic and _link name them)."""
    for name in (*names, CURRENT):
        for part in out_dir.glob(f".{glob.escape(name)}.*.tmp"):
            part.unlink(missing_ok=True)


def _holds_links(folder: Path) -> bool:
    """Tell whether the folder's file system can hold symbolic links (FAT and some shares cannot)."""
    probe = folder / f".{CURRENT}.{secrets.token_hex(4)}.tmp"
    try:
        os.symlink(".", probe)
    except OSError as exc:
        if exc.errno in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS):
            return False
        raise OutputError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    probe.unlink()
    return True


def _current_run(out_dir: Path) -> str | None:
    """Return the name of the run folder `current` points to, when it is one."""
    try:
        target = os.readlink(out_dir / CURRENT)
    except OSError:
        return None
    head, _, name = target.partition("/")
    return name if head == RUNS and name and "/" not in name and (out_dir / RUNS / name).is_dir() else None


def _new_run_folder(out_dir: Path) -> Path:
    """Make an empty run folder, readable as the outputs are (mkdtemp makes it 0700)."""
    runs = out_dir / RUNS
    runs.mkdir(exist_ok=True)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(tempfile.mkdtemp(prefix=f"{stamp}-", dir=runs))
    os.chmod(folder, 0o777 & ~_umask())
    return folder


def _write_run(out_dir: Path, files: Mapping[str, bytes]) -> Path:
    """Write the files into a new run folder, each flushed to disk; raise OutputError naming the one that failed."""
    umask = _umask()
    folder: Path | None = None
    name = next(iter(files))
    try:
        folder = _new_run_folder(out_dir)
        for name, data in files.items():
            with open(folder / name, "xb") as handle:
                os.chmod(handle.fileno(), 0o666 & ~umask)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        _fsync_folder(folder)
    except BaseException as exc:  # a failure, or SIGTERM: no half-written run folder stays
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {out_dir / name}: {exc.strerror or exc}") from None
        raise
    return folder


def _adopt_plain_files(out_dir: Path, names: Iterable[str]) -> str | None:
    """Put the plain files an older reporter left in out_dir into a run folder and make it current.

    Each name is then turned into a link to the same content, so until the switch readers
    see the old set whole. Return the run folder's name, or None when there were none.
    """
    plain = [n for n in names if (out_dir / n).is_file() and not (out_dir / n).is_symlink()]
    if not plain:
        return None
    folder = _new_run_folder(out_dir)
    for name in plain:
        try:
            os.link(out_dir / name, folder / name)
        except OSError:  # a file system without hard links
            shutil.copy2(out_dir / name, folder / name)
    _fsync_folder(folder)
    _link(out_dir / CURRENT, f"{RUNS}/{folder.name}")
    _fsync_folder(out_dir)
    return folder.name


def _link(path: Path, target: str) -> None:
    """Make path a symbolic link to target, replacing what stood there in one rename."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    os.symlink(target, tmp)
    try:
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so a rename made after it never lands before the files it names."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_folder(out_dir: Path) -> None:
    """Create the output folder, or raise OutputError saying why it cannot be."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"cannot write to {out_dir}: it is a file, not a folder")
    blocker = next((p for p in out_dir.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise OutputError(f"cannot create output folder {out_dir}: {blocker} is a file")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {out_dir}: {exc.strerror or exc}") from None


def _pdf_html(briefing: Briefing, options: RenderOptions, view: BriefingView) -> str:
    """Return the HTML the PDF is made from: laid out for paper, and for a large run only its surest events."""
    if options.pdf_events is not None and len(briefing.events) > options.pdf_events:
        # a thousand events would make a PDF nobody pages through; the HTML and JSON keep them all
        view = build_view(briefing, notes=options.notes, paper=options.paper, max_events=options.pdf_events)
    return html_from_view(view, pdf=True, texts=options.pdf_sources)


def write_outputs(
    briefing: Briefing,
    out_dir: Path,
    formats: Iterable[str] = FORMATS,
    options: RenderOptions | None = None,
    warn: Warn = log.warning,
    pdf: Callable[[str], bytes] = render_pdf,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Path]:
    """Write the briefing in each format to out_dir; return the paths written.

    `pdf` renders HTML to PDF bytes; it is called in a thread of its own while this
    one renders the other formats, so a PdfRenderer's `render`, which waits on its
    worker process, overlaps them. `progress` is told (stage, done, total) as the
    rendering goes.
    """
    options = options or RenderOptions()
    make_folder(out_dir)
    # render everything first, so a failure leaves earlier outputs untouched
    rendered: dict[str, bytes] = {}
    formats = tuple(formats)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf") as pool:
        job: Future[bytes] | None = None
        view = None
        if {"html", "pdf", "md"} & set(formats):
            started = time.perf_counter()
            view = build_view(briefing, notes=options.notes, paper=options.paper)
            if view.notes_unmatched:
                warn(f"notes: {view.notes_unmatched}")
            render_seconds = time.perf_counter() - started
        if "pdf" in formats:
            assert view is not None
            if progress:
                progress("pdf", 0, 1)
            # the PDF goes first: it takes longest, and the other formats are made meanwhile
            pdf_started = time.perf_counter()
            job = pool.submit(pdf, _pdf_html(briefing, options, view))
        if "json" in formats:  # its timings are those of the stages before rendering, as they always were
            rendered["json"] = json_bytes(to_json(briefing, options.timings))
        if view is not None:
            started = time.perf_counter()
            if "md" in formats:
                rendered["md"] = markdown_from_view(view, options.digest_facts).encode("utf-8")
            if "html" in formats:
                rendered["html"] = html_from_view(view).encode("utf-8")
            briefing.timings["render"] = render_seconds + time.perf_counter() - started  # shown by --timings
        if job is not None:
            rendered["pdf"] = job.result()
            briefing.timings["render pdf"] = time.perf_counter() - pdf_started  # its HTML to its bytes
            if progress:
                progress("pdf", 1, 1)
    files = {f"briefing.{fmt}": rendered[fmt] for fmt in FORMATS if fmt in rendered}
    return publish(out_dir, files, owned=OUTPUT_NAMES, warn=warn)
