"""Command line: parse arguments, call the library, turn errors into one-line messages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import FailOnMatched, ReporterError, UsageError
from .render import FORMATS, PDF_EVENTS, PdfRenderer, RenderOptions, parse_formats, render_pdf, write_outputs

NOTES_HELP = "Markdown analyst notes, a '## <event title or id>' section per event; never read as an article."


class _Group(click.Group):
    """Run a command, turning any ReporterError into 'reporter: error: …' and its exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ReporterError as exc:
            click.echo(f"reporter: error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="reporter")
def main() -> None:
    """Compare how news sources report the same events and flag where they disagree."""


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=str))
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write briefing.{html,pdf,json,md} to.")  # fmt: skip
@click.option("--format", "formats", default=",".join(FORMATS), show_default=True,
              help="Comma-separated output formats: html, pdf, json, md (a Markdown digest).")  # fmt: skip
@click.option("--reference", "references", multiple=True, type=click.Path(path_type=str),
              help="File or folder of trusted reference notes (repeatable).")  # fmt: skip
@click.option("--title", default="Source comparison briefing", show_default=True, help="Briefing title.")
@click.option("--notes", "notes_file", type=click.Path(dir_okay=False, path_type=Path),
              help=NOTES_HELP)  # fmt: skip
@click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False), default="a4", show_default=True,
              help="Paper size of the PDF.")  # fmt: skip
@click.option("--pdf-events", type=click.IntRange(min=1), default=PDF_EVENTS, show_default=True, metavar="N",
              help="The PDF shows the N most significant events; the HTML and JSON hold them all.")  # fmt: skip
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--timings", is_flag=True, help="Print seconds per stage, and add them to briefing.json.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Dask scheduler (tcp://host:8786) to run the per-article and per-event work on.")  # fmt: skip
@click.option("--fail-on", "fail_on", type=click.Choice(["conflict", "variant"]), default=None,
              help="After writing, exit 3 if the briefing holds a conflict (or, for variant, any flag).")  # fmt: skip
def build(sources: tuple[str, ...], out_dir: Path, formats: str, references: tuple[str, ...], title: str,
          notes_file: Path | None, paper: str, pdf_events: int, quiet: bool, timings: bool, scheduler: str | None,
          fail_on: str | None) -> None:  # fmt: skip
    """Build a briefing from SOURCES (files or folders; default: seeds/)."""
    chosen = parse_formats(formats)
    notes = _read_notes(notes_file) if notes_file else None
    # start the PDF worker before the comparison libraries load, so both load at once
    pdf = PdfRenderer() if "pdf" in chosen else None
    try:
        from .pipeline import BuildOptions, build_briefing

        options = BuildOptions(sources=sources or ("seeds",), references=references, title=title,
                               exclude=(notes_file,) if notes_file else (), scheduler=scheduler)  # fmt: skip
        warn = lambda line: click.echo(f"reporter: warning: {line}", err=True)  # noqa: E731
        briefing = build_briefing(options, warn=warn)
        render = RenderOptions(paper="letter" if paper.lower() == "letter" else "a4", notes=notes, timings=timings,
                               pdf_events=pdf_events)  # fmt: skip
        written = write_outputs(briefing, out_dir, chosen, render, warn=warn, pdf=pdf.render if pdf else render_pdf)
    finally:
        if pdf is not None:
            pdf.close()
    if timings:
        click.echo("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in briefing.timings.items()), err=True)
    conflicts = sum(1 for d in briefing.discrepancies if d.severity == "conflict")
    variants = len(briefing.discrepancies) - conflicts
    if not quiet:
        reports = sum(1 for a in briefing.articles if a.role == "report")
        click.echo(
            f"{reports} articles, {len(briefing.events)} events, {conflicts} conflicts, "
            f"{variants} variants, {len(briefing.skipped)} skipped -> " + ", ".join(str(p) for p in written),
            err=True,
        )
    _check_fail_on(fail_on, conflicts, variants)


def _check_fail_on(fail_on: str | None, conflicts: int, variants: int) -> None:
    """Raise FailOnMatched when the briefing holds what --fail-on names."""
    if fail_on == "conflict" and conflicts:
        raise FailOnMatched(f"--fail-on conflict: the briefing lists {conflicts} conflict(s)")
    if fail_on == "variant" and conflicts + variants:
        raise FailOnMatched(f"--fail-on variant: the briefing lists {conflicts} conflict(s), {variants} variant(s)")


def _read_notes(path: Path) -> str:
    """Read the analyst notes file, or raise UsageError saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"notes file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read notes file {path}: {getattr(exc, 'strerror', None) or exc}") from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
