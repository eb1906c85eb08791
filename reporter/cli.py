"""Command line: parse arguments, call the library, turn errors into one-line messages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import ReporterError
from .pipeline import BuildOptions, build_briefing
from .render import parse_formats, write_outputs


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
              help="Folder to write briefing.{html,pdf,json} to.")  # fmt: skip
@click.option("--format", "formats", default="html,pdf,json", show_default=True,
              help="Comma-separated output formats: html, pdf, json.")  # fmt: skip
@click.option("--reference", "references", multiple=True, type=click.Path(path_type=str),
              help="File or folder of trusted reference notes (repeatable).")  # fmt: skip
@click.option("--title", default="Source comparison briefing", show_default=True, help="Briefing title.")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
def build(sources: tuple[str, ...], out_dir: Path, formats: str, references: tuple[str, ...], title: str,
          quiet: bool) -> None:  # fmt: skip
    """Build a briefing from SOURCES (files or folders; default: seeds/)."""
    chosen = parse_formats(formats)
    options = BuildOptions(sources=sources or ("seeds",), references=references, title=title)
    briefing = build_briefing(options, warn=lambda line: click.echo(f"reporter: warning: {line}", err=True))
    written = write_outputs(briefing, out_dir, chosen)
    if not quiet:
        conflicts = sum(1 for d in briefing.discrepancies if d.severity == "conflict")
        variants = len(briefing.discrepancies) - conflicts
        reports = sum(1 for a in briefing.articles if a.role == "report")
        click.echo(
            f"{reports} articles, {len(briefing.events)} events, {conflicts} conflicts, "
            f"{variants} variants, {len(briefing.skipped)} skipped -> " + ", ".join(str(p) for p in written),
            err=True,
        )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
