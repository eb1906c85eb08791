"""Command line: parse arguments, call the library, turn errors into one-line messages."""

from __future__ import annotations

import atexit
import contextlib
import gc
import signal
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

import click

from . import __version__
from .config import (
    CONFIG_NAME,
    EXAMPLE,
    FAIL_ON,
    KEY_OF,
    Settings,
    check_paths,
    find_config,
    load_settings,
    override,
    parse_count,
    parse_path,
    parse_seconds,
    parse_text,
)
from .errors import ReporterError, UsageError
from .render import DIGEST_FACTS, PDF_EVENTS, PdfRenderer, parse_formats, render_pdf
from .window import WindowSpec, check_last, check_week, parse_date, source_date_epoch
from .wording import plural
from .workers import collect_rarely, sigint_deferred

NOTES_HELP = "Markdown analyst notes, a '## <event title or id>' section per event; never read as an article."
EXIT_CODES = """\b
Exit codes: 0 written; 1 nothing could be read, the window leaves no report, or the
output could not be written; 2 bad usage or configuration; 3 written, and --fail-on
matched; 130 stopped by Ctrl-C."""


INTERRUPTED = 130  # the shell's code for a command ended by SIGINT (128 + 2)

# a run's objects (articles, sentences, caches) are all still alive when the command ends: the
# collection the interpreter makes as it exits, after the exit handlers, would walk every one
# of them (half a second after 1,000 articles) only to free what the process is giving back anyway
atexit.register(gc.freeze)


class _Group(click.Group):
    """Run a command; every error a user can cause is one line 'reporter: error: …' and its exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run as click does, but say a usage error in one line rather than click's usage block."""
        run: Any = super().main
        if not standalone_mode:
            return run(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            # the libraries a build imports make objects by the hundred thousand, all kept: the
            # garbage collector walking them every 700 new ones cost a tenth of a second a run
            with collect_rarely():
                code = run(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            _echo_error(exc.format_message() + hint)
            code = UsageError.exit_code
        except click.ClickException as exc:
            _echo_error(exc.format_message())
            code = exc.exit_code
        except click.Abort:  # Ctrl-C or end of input while click itself was reading
            click.echo("reporter: interrupted", err=True)
            code = INTERRUPTED
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ReporterError as exc:
            _echo_error(str(exc))
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            # the run's own cleanup (temporary files, the lock, the archive's transaction) has run
            click.echo("reporter: interrupted", err=True)
            ctx.exit(INTERRUPTED)


def one_line(text: str) -> str:
    """Return text as one printable line: control characters and undecodable bytes escaped.

    Paths, option values and reasons come from users and file systems; a newline in one
    would forge a second message, an escape sequence would reach the terminal raw, and a
    byte that is not UTF-8 (a surrogate here) could not be written at all.
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte os.fsdecode could not decode
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif unicodedata.category(ch) in ("Zs", "Zl", "Zp"):
            out.append(" ")
        else:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)


def _echo_error(message: str) -> None:
    click.echo(f"reporter: error: {one_line(message)}", err=True)


@click.group(cls=_Group, name="reporter")
@click.version_option(__version__, prog_name="reporter")
def main() -> None:
    """Compare how news sources report the same events and flag where they disagree."""


def _checked(check: Callable[[str], Any]) -> Any:
    """Make an option callback of a parser shared with briefing.toml, so both accept the same values."""

    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
        try:
            return check(value) if value is not None else None
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return callback


_date = _checked(parse_date)


class _Path(click.Path):
    """A path option or argument, read by the same parser as a path of briefing.toml."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            parse_path(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        return super().convert(value, param, ctx)


CONFIG_OPTION = click.option(
    "--config", "config_file", type=_Path(dir_okay=False, path_type=Path),
    help=f"Settings file (default: ./{CONFIG_NAME} when there is one); flags override it.",
)  # fmt: skip


@main.command(epilog=EXIT_CODES)
@click.argument("sources", nargs=-1, type=_Path(path_type=str))
@CONFIG_OPTION
@click.option("--out", "out_dir", type=_Path(path_type=Path),
              help="Folder to write briefing.{html,pdf,json,md} to.  [default: out]")  # fmt: skip
@click.option("--format", "formats", help="Comma-separated output formats: html, pdf, json, md (a Markdown digest).")
@click.option("--reference", "references", multiple=True, type=_Path(path_type=str),
              help="File or folder of trusted reference notes (repeatable).")  # fmt: skip
@click.option("--title", callback=_checked(parse_text), help="Briefing title.")
@click.option("--notes", "notes_file", type=_Path(dir_okay=False, path_type=Path), help=NOTES_HELP)
@click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False), help="Paper size of the PDF.")
@click.option("--since", callback=_date, help="Leave out reports published before this date (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Leave out reports published after this date.")
@click.option("--week", callback=_checked(check_week), help="Only reports of this ISO week, e.g. 2024-W48.")
@click.option("--last", callback=_checked(check_last), help="Only reports of the last N days (7d) or weeks (2w).")
@click.option("--as-of", "as_of", callback=_date, help="The day --last counts back from.  [default: today]")
@click.option("--archive", "archive", type=_Path(dir_okay=False, path_type=Path),
              help="Archive file.  [default: OUT/archive.sqlite]")  # fmt: skip
@click.option("--no-archive", is_flag=True, default=None, help="Neither read nor write the archive.")
@click.option("--reviews", type=_Path(dir_okay=False, path_type=Path),
              help="File of reviewed flags.  [default: reviews.toml beside the config, else in OUT]")  # fmt: skip
@click.option("--dated/--not-dated", default=None, help="Write to OUT/<ISO week>/ instead of OUT/.")
@click.option("--fail-on", "fail_on", type=click.Choice(FAIL_ON, case_sensitive=False),
              help="After writing, exit 3 if the briefing holds a conflict, a conflict new since the last "
                   "briefing, or any flag (variant).")  # fmt: skip
@click.option("--lock-timeout", callback=_checked(parse_seconds), metavar="SECONDS",
              help="Seconds to wait for another run on OUT.")  # fmt: skip
@click.option("--pdf-events", callback=_checked(parse_count), metavar="N",
              help=f"The PDF shows the N most significant events.  [default: {PDF_EVENTS}]")  # fmt: skip
@click.option("--pdf-sources/--no-pdf-sources", default=None,
              help="End the PDF with every source text, its values marked (the HTML always has them).")  # fmt: skip
@click.option("--digest-facts", type=click.IntRange(min=1), metavar="N",
              help=f"The Markdown digest lists the N surest disputed facts.  [default: {DIGEST_FACTS}]")  # fmt: skip
@click.option("--scheduler", metavar="ADDRESS", callback=_checked(parse_text),
              help="Dask scheduler (tcp://host:8786) to run the per-article and per-event work on.")  # fmt: skip
@click.option("--quiet", is_flag=True, help="Print warnings and errors only.")
@click.option("--timings", is_flag=True, help="Print seconds per stage, and add them to briefing.json.")
def build(sources: tuple[str, ...], config_file: Path | None, out_dir: Path | None, formats: str | None,
          references: tuple[str, ...], title: str | None, notes_file: Path | None, paper: str | None,
          since: date | None, until: date | None, week: str | None, last: str | None, as_of: date | None,
          archive: Path | None, no_archive: bool | None, reviews: Path | None, dated: bool | None,
          fail_on: str | None, lock_timeout: float | None, pdf_events: int | None, pdf_sources: bool | None,
          digest_facts: int | None, scheduler: str | None, quiet: bool, timings: bool) -> None:  # fmt: skip
    """Build a briefing from SOURCES (files or folders; default: the config's sources, else seeds/)."""
    source_date_epoch()  # a malformed value stops the run now, not after the work
    settings = load_settings(find_config(config_file))
    try:
        window = settings.window.merged(WindowSpec(since=since, until=until, week=week, last=last, as_of=as_of))
    except ValueError as exc:
        raise UsageError(f"date window: {exc}") from None
    settings = override(
        settings,
        sources=sources or None,
        references=references or None,
        out=out_dir,
        formats=parse_formats(formats) if formats else None,
        title=title,
        notes=notes_file,
        paper=paper.lower() if paper else None,
        window=window,
        archive=archive,
        use_archive=False if no_archive else None,
        reviews=reviews,
        dated=dated,
        fail_on=fail_on,
        lock_timeout=lock_timeout,
        pdf_events=pdf_events,
        pdf_sources=pdf_sources,
        digest_facts=digest_facts,
        scheduler=scheduler,
    )
    check_paths(settings)
    notes = _read_notes(settings) if settings.notes else None
    with _stop_cleanly():
        result = _run(settings, notes, quiet, timings)
    briefing = result.briefing
    if timings:
        click.echo("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in briefing.timings.items()), err=True)
    if not quiet:
        click.echo(_summary(result), err=True)
    from .run import check_fail_on

    check_fail_on(settings.fail_on, briefing)


def _run(settings: Settings, notes: str | None, quiet: bool, timings: bool) -> Any:
    """Run the build with the PDF worker and the progress line; return the run's result."""
    # start the PDF worker before the comparison libraries load, so both load at once
    with sigint_deferred():
        pdf = PdfRenderer() if "pdf" in settings.formats else None
    progress = _ProgressLine(sys.stderr) if not quiet and sys.stderr.isatty() else None
    try:
        from .run import run

        warn = lambda line: _echo_warning(line, progress)  # noqa: E731
        return run(settings, warn, progress=progress, notes=notes,
                   pdf=pdf.render if pdf else render_pdf, timings=timings)  # fmt: skip
    finally:
        if progress:
            progress.clear()
        if pdf is not None:
            pdf.close()


def _summary(result: Any) -> str:
    """One line: what was read, found and written."""
    b = result.briefing
    parts = [plural(b.reports, "article"), plural(len(b.events), "event"),
             plural(b.conflicts, "conflict"), plural(b.variants, "variant")]  # fmt: skip
    if b.changes:
        new = sum(1 for s in b.changes.status.values() if s == "new")
        parts.append(f"{new} new since the last briefing, {len(b.changes.resolved)} resolved")
    if b.dismissed:
        parts.append(f"{len(b.dismissed)} dismissed")
    if b.window:
        parts.append(f"window {b.window.label}: {b.window.outside} outside, {b.window.undated} undated")
    parts.append(f"{len(b.skipped)} skipped")
    return one_line(", ".join(parts) + " -> " + ", ".join(str(p) for p in result.written))


@main.command()
@click.option("--force", is_flag=True, help=f"Overwrite an existing {CONFIG_NAME}.")
@click.argument("path", required=False, type=_Path(dir_okay=False, path_type=Path))
def init(path: Path | None, force: bool) -> None:
    """Write a commented example briefing.toml (to PATH, default ./briefing.toml)."""
    target = path or Path(CONFIG_NAME)
    if target.exists() and not force:
        raise UsageError(f"{target} exists; use --force to overwrite it")
    try:
        target.write_text(EXAMPLE, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror}") from None
    click.echo(one_line(f"wrote {target}; edit it, then run: reporter build"), err=True)


@main.command()
@click.argument("flag_id")
@CONFIG_OPTION
@click.option("--accept", "accept", metavar="REASON", help="Mark the flag a real disagreement, with a short reason.")
@click.option("--dismiss", "dismiss", metavar="REASON", help="Leave the flag out of later briefings, with a reason.")
@click.option("--out", "out_dir", type=_Path(file_okay=False, path_type=Path),
              help="Folder of the briefing.json holding the flag.  [default: the config's, else out]")  # fmt: skip
@click.option("--reviews", type=_Path(dir_okay=False, path_type=Path),
              help="File of reviewed flags.  [default: reviews.toml beside the config, else in OUT]")  # fmt: skip
def review(flag_id: str, config_file: Path | None, accept: str | None, dismiss: str | None,
           out_dir: Path | None, reviews: Path | None) -> None:  # fmt: skip
    """Record a verdict on flag FLAG_ID (as shown in the briefing; a unique prefix will do)."""
    from .model import Verdict
    from .review import record_verdict
    from .run import output_folder

    if (accept is None) == (dismiss is None):
        raise UsageError("give one of --accept REASON or --dismiss REASON")
    reason = (accept if accept is not None else dismiss or "").strip()
    settings = override(load_settings(find_config(config_file)), out=out_dir, reviews=reviews)
    status: Verdict = "accepted" if accept is not None else "dismissed"
    path = settings.reviews_path
    review = record_verdict(output_folder(settings) / "briefing.json", path, flag_id, status, reason)
    click.echo(one_line(f"{review.id}: {status} ({reason}) -> {path}"), err=True)


@main.command("archive")
@CONFIG_OPTION
@click.option("--archive", "archive", type=_Path(dir_okay=False, path_type=Path), help="Archive file.")
@click.option("--out", "out_dir", type=_Path(file_okay=False, path_type=Path), help="Output folder.")
def archive_command(config_file: Path | None, archive: Path | None, out_dir: Path | None) -> None:
    """Show what the archive holds: cached articles and the briefings recorded."""
    from .archive import open_existing

    settings = override(load_settings(find_config(config_file)), archive=archive, out=out_dir)
    with open_existing(settings.archive_path, lambda line: _echo_warning(line, None)) as db:
        s = db.summary()
        click.echo(one_line(f"archive {s.path} (schema {s.schema}, reporter {s.version})"))
        click.echo(f"  {plural(s.files, 'file')} cached, {plural(s.articles, 'article')} with extracted sentences")
        click.echo(f"  {plural(len(s.briefings), 'briefing')} recorded")
        for number, generated, window, articles, events, conflicts, variants, dismissed in s.briefings:
            shown = f" window {window}," if window else ""
            counts = [plural(articles, "article"), plural(events, "event"),
                      plural(conflicts, "conflict"), plural(variants, "variant")]  # fmt: skip
            click.echo(f"  #{number} {generated}{shown} {', '.join(counts)}, {dismissed} dismissed")
        click.echo(f"  {plural(s.comparisons, 'event comparison')} stored, reused while their articles stay the same")


class _ProgressLine:
    """A progress line on a terminal: stage and count, redrawn at most ten times a second."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.shown = 0.0
        self.width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.shown < 0.1:
            return
        self.shown = now
        filled = int(20 * done / total) if total else 20
        line = f"{stage:<8} [{'#' * filled}{'.' * (20 - filled)}] {done}/{total}"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def _echo_warning(line: str, progress: _ProgressLine | None) -> None:
    if progress:
        progress.clear()
    click.echo(f"reporter: warning: {one_line(line)}", err=True)


@contextlib.contextmanager
def _stop_cleanly() -> Iterator[None]:
    """Turn SIGTERM into SystemExit and Ctrl-C into one KeyboardInterrupt while a run works.

    Either way the run removes its temporary files and rolls back; a second Ctrl-C is
    ignored so that it cannot cut that cleanup short. The handlers before are restored.
    """

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    def interrupt(signum: int, frame: object) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, stop), signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before[0])
        signal.signal(signal.SIGINT, before[1])


def _read_notes(settings: Settings) -> str:
    """Read the analyst notes file, or raise UsageError saying why it cannot be read."""
    path = settings.notes
    assert path is not None
    where = f"{settings.config}: key '{KEY_OF['notes']}': " if "notes" in settings.from_file else ""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{where}notes file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{where}cannot read notes file {path}: {getattr(exc, 'strerror', None) or exc}") from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
