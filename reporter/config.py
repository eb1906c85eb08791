"""Settings of a run: read from briefing.toml, then overridden by command-line flags."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from .errors import OutputError, UsageError
from .render import FORMATS
from .view import Paper
from .window import WindowSpec, check_last, check_week, parse_date

CONFIG_NAME = "briefing.toml"
REVIEWS_NAME = "reviews.toml"
FAIL_ON = ("conflict", "new-conflict", "variant")


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know; each field has a flag of `reporter build` and a key of briefing.toml."""

    sources: tuple[str, ...] = ("seeds",)
    references: tuple[str, ...] = ()
    title: str = "Source comparison briefing"
    notes: Path | None = None
    formats: tuple[str, ...] = FORMATS
    out: Path = Path("out")
    paper: Paper = "a4"
    window: WindowSpec = field(default_factory=WindowSpec)
    threshold: float | None = None  # event grouping cut; None keeps the tuned default
    together: tuple[tuple[str, ...], ...] = ()  # paths that must be one event
    apart: tuple[tuple[str, ...], ...] = ()  # paths that must be different events
    archive: Path | None = None  # None: <out>/archive.sqlite
    use_archive: bool = True
    reviews: Path | None = None  # None: reviews.toml beside the config, else in the output folder
    dated: bool = False  # write each run to <out>/<ISO week>/
    fail_on: str | None = None
    lock_timeout: float = 60.0  # seconds to wait for another run on the same output folder
    pdf_events: int | None = None  # events the PDF shows, the most significant; None: render.PDF_EVENTS
    pdf_sources: bool = False  # the PDF ends with every source text
    digest_facts: int | None = None  # disputed facts the Markdown digest lists; None: render.DIGEST_FACTS
    scheduler: str | None = None  # a Dask scheduler's address; None: this machine
    config: Path | None = None  # the file these settings came from
    from_file: frozenset[str] = frozenset()  # fields the config file set and no flag overrode

    @property
    def archive_path(self) -> Path:
        return self.archive or self.out / "archive.sqlite"

    @property
    def reviews_path(self) -> Path:
        """Return the reviews file: the one given, else reviews.toml beside the config, else in the output folder.

        Both `reporter build` and `reporter review` find it by this rule, so a verdict is
        read wherever either command runs: never relative to the working folder.
        """
        if self.reviews is not None:
            return self.reviews
        if self.config is not None:
            return self.config.parent / REVIEWS_NAME
        return self.out / REVIEWS_NAME


# key -> (field, parser); a parser takes the raw TOML value and the config folder
Parser = Callable[[Any, Path], Any]


def _string(value: Any, _: Path) -> str:
    return parse_text(value)


def parse_text(value: Any) -> str:
    """Return a non-empty string that can be written out (a title, an address); raise ValueError if it is not one."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # bytes that the terminal's encoding could not decode reach Python as lone surrogates
        raise ValueError("must be text: it holds bytes that are not UTF-8") from None
    return value


def _path(value: Any, base: Path) -> Path:
    return base / parse_path(value)


def _paths(value: Any, base: Path) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
        raise ValueError("must be a path or a list of paths")
    return tuple(str(base / i) if not Path(i).is_absolute() else i for i in map(parse_path, items))


def parse_path(value: Any) -> str:
    """Return a path as given, or raise ValueError when no file could have it (empty, or holding a NUL)."""
    if not isinstance(value, (str, Path)) or not str(value).strip():
        raise ValueError("must be a non-empty path")
    if "\x00" in str(value):  # a TOML "\u0000": every system call on it would fail
        raise ValueError("must be a path, and no path holds a NUL character")
    return str(value)


def _groups(value: Any, base: Path) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list) or not all(isinstance(g, list) and len(g) >= 2 for g in value):
        raise ValueError('must be a list of lists of two or more paths, e.g. [["a.md", "b.md"]]')
    return tuple(_paths(g, base) for g in value)


def _choice(*options: str) -> Parser:
    def parse(value: Any, _: Path) -> str:
        return parse_choice(value, options)

    return parse


def parse_choice(value: Any, options: Sequence[str]) -> str:
    """Return the option value names, in any case ('A4' is 'a4'), as flags and briefing.toml both accept."""
    folded = value.strip().lower() if isinstance(value, str) else ""
    if folded not in options:
        raise ValueError("must be one of " + ", ".join(repr(o) for o in options))
    return folded


MAX_SECONDS = 86_400.0  # a day: a wait longer than that is a mistake, not a plan


def parse_seconds(value: Any) -> float:
    """Return a number of seconds from 0 to MAX_SECONDS (a flag's text or a TOML number); reject nan and inf."""
    number = _number(value, float)
    if number is None or not math.isfinite(number) or not 0 <= number <= MAX_SECONDS:
        raise ValueError(f"must be a number of seconds from 0 to {MAX_SECONDS:g}")
    return number


MAX_COUNT = 1_000_000


def parse_count(value: Any) -> int:
    """Return a whole number from 1 to MAX_COUNT (a flag's text or a TOML integer)."""
    number = _number(value, int)
    if number is None or not 1 <= number <= MAX_COUNT:
        raise ValueError(f"must be a whole number from 1 to {MAX_COUNT:,}")
    return int(number)


def parse_fraction(value: Any) -> float:
    """Return a number strictly between 0 and 1."""
    number = _number(value, float)
    if number is None or not 0 < number < 1:  # nan compares false: rejected too
        raise ValueError("must be a number between 0 and 1")
    return number


def _number(value: Any, kind: type[int] | type[float]) -> float | None:
    """Return value as a number of that kind, or None; text is read only when short (no 10,000-digit ints)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 30:
            return None
        try:
            return kind(text)
        except ValueError:
            return None
    if isinstance(value, int) or (kind is float and isinstance(value, float)):
        return kind(value)
    return None


def _formats(value: Any, _: Path) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or any(i not in FORMATS for i in items):
        raise ValueError("must be a list drawn from " + ", ".join(repr(f) for f in FORMATS))
    return tuple(dict.fromkeys(items))


def _bool(value: Any, _: Path) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _fraction(value: Any, _: Path) -> float:
    return parse_fraction(value)


def _seconds(value: Any, _: Path) -> float:
    return parse_seconds(value)


def _count(value: Any, _: Path) -> int:
    return parse_count(value)


def _date(value: Any, _: Path) -> date:
    return parse_date(value)


TOP: dict[str, tuple[str, Parser]] = {
    "title": ("title", _string),
    "sources": ("sources", _paths),
    "references": ("references", _paths),
    "notes": ("notes", _path),
    "formats": ("formats", _formats),
    "out": ("out", _path),
    "paper": ("paper", _choice("a4", "letter")),
    "dated_folders": ("dated", _bool),
    "fail_on": ("fail_on", _choice(*FAIL_ON)),
    "reviews": ("reviews", _path),
    "lock_timeout": ("lock_timeout", _seconds),
    "pdf_events": ("pdf_events", _count),
    "pdf_sources": ("pdf_sources", _bool),
    "digest_facts": ("digest_facts", _count),
    "scheduler": ("scheduler", _string),
}
WINDOW: dict[str, tuple[str, Parser]] = {
    "since": ("since", _date),
    "until": ("until", _date),
    "week": ("week", lambda v, b: check_week(_string(v, b))),
    "last": ("last", lambda v, b: check_last(_string(v, b))),
    "as_of": ("as_of", _date),
}
GROUPING: dict[str, tuple[str, Parser]] = {
    "threshold": ("threshold", _fraction),
    "together": ("together", _groups),
    "apart": ("apart", _groups),
}
ARCHIVE: dict[str, tuple[str, Parser]] = {
    "path": ("archive", _path),
    "enabled": ("use_archive", _bool),
}
TABLES = {"window": WINDOW, "grouping": GROUPING, "archive": ARCHIVE}
# field of Settings -> its key in briefing.toml, to name the key in an error about its value
KEY_OF = {
    name: f"{table}.{key}" if table else key
    for table, keys in (("", TOP), *TABLES.items())
    for key, (name, _) in keys.items()
}


def find_config(given: Path | None) -> Path | None:
    """Return the config file to read: the one given, else briefing.toml in the working folder if any."""
    if given is not None:
        if not given.is_file():
            raise UsageError(f"config file not found: {given}")
        return given
    default = Path(CONFIG_NAME)
    return default if default.is_file() else None


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a file that cannot be read or parsed is a UsageError naming it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None


def load_settings(path: Path | None) -> Settings:
    """Read a briefing.toml into Settings; a wrong key or value raises UsageError naming both."""
    if path is None:
        return Settings()
    data = read_toml(path)
    values: dict[str, Any] = {}
    window: dict[str, Any] = {}
    for key, value in data.items():
        if key in TABLES:
            if not isinstance(value, dict):
                raise UsageError(f"{path}: [{key}] must be a table")
            target = window if key == "window" else values
            target.update(_parse_table(path, value, TABLES[key], prefix=f"{key}."))
        else:
            values.update(_parse_table(path, {key: value}, TOP, prefix=""))
    settings = Settings(**values, config=path, from_file=frozenset(values))
    if window:
        try:
            settings = replace(settings, window=WindowSpec(**window).checked())
        except ValueError as exc:
            raise UsageError(f"{path}: [window] {exc}") from None
    return settings


def _parse_table(
    path: Path, table: Mapping[str, Any], keys: dict[str, tuple[str, Parser]], prefix: str
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in keys:
            known = ", ".join(prefix + k for k in keys) if prefix else ", ".join([*keys, *(f"[{t}]" for t in TABLES)])
            raise UsageError(f"{path}: unknown key '{prefix}{key}' (known: {known})")
        name, parse = keys[key]
        try:
            out[name] = parse(value, path.parent)
        except ValueError as exc:
            raise UsageError(f"{path}: key '{prefix}{key}' {exc}") from None
    return out


def override(settings: Settings, **flags: Any) -> Settings:
    """Return settings with every flag that was given (not None) put over the file's value."""
    given = {k: v for k, v in flags.items() if v is not None}
    return replace(settings, **given, from_file=settings.from_file - set(given))


def check_paths(settings: Settings) -> None:
    """Raise an error naming the briefing.toml key when a path that the file gives cannot be used.

    A path given by a flag is checked where it is used, with the message the user
    expects for what they typed; one from the file would otherwise be reported
    without saying which line of briefing.toml to fix.
    """

    def where(name: str) -> str:
        return f"{settings.config}: key '{KEY_OF[name]}':"

    given = settings.from_file
    for name in ("sources", "references"):
        if name in given:
            for source in getattr(settings, name):
                if not Path(source).exists():
                    raise UsageError(f"{where(name)} no such file or folder: {source}")
    if "notes" in given and settings.notes is not None and not settings.notes.is_file():
        why = f"{settings.notes} is a folder, not a file" if settings.notes.is_dir() else f"not found: {settings.notes}"
        raise UsageError(f"{where('notes')} notes file {why}")
    if "reviews" in given and settings.reviews is not None and settings.reviews.is_dir():
        raise UsageError(f"{where('reviews')} {settings.reviews} is a folder, not a file")
    if "out" in given:
        blocker = next((p for p in (settings.out, *settings.out.parents) if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            raise OutputError(f"{where('out')} cannot write to {settings.out}: {blocker} is a file, not a folder")
    if "archive" in given and settings.archive is not None and settings.archive.is_dir():
        raise OutputError(f"{where('archive')} {settings.archive} is a folder, not a file")


EXAMPLE = """\
# briefing.toml: settings for `reporter build`; flags on the command line override them.
# Paths are relative to this file's folder.

title = "Weekly source comparison"
sources = ["articles"]            # files or folders of articles
# references = ["reference"]      # trusted notes: reports are checked against them
# notes = "notes.md"              # analyst notes, a "## <event title or id>" section per event
formats = ["html", "pdf", "json", "md"]
out = "out"
paper = "a4"                      # or "letter"
dated_folders = false             # true: write each run to out/<ISO week>/, e.g. out/2024-W48/
# fail_on = "new-conflict"        # exit 3 after writing: "conflict", "new-conflict" or "variant"
# reviews = "reviews.toml"        # flags marked reviewed with `reporter review`
lock_timeout = 60                 # seconds to wait while another run writes the same output folder
# pdf_events = 25                 # the PDF shows this many events, the most significant; HTML and JSON all
# pdf_sources = false             # true: the PDF ends with every source text (the HTML always has them)
# digest_facts = 20               # disputed facts the Markdown digest lists, surest first
# scheduler = "tcp://scheduler:8786"   # run articles and events on a Dask cluster

[window]                          # which articles count, by publication date; undated ones are kept
last = "7d"                       # the 7 days up to as_of (default: today)
# as_of = 2024-11-25
# week = "2024-W48"               # or an ISO week
# since = 2024-11-18              # or a range, either end optional
# until = 2024-11-24

[grouping]
# threshold = 0.70                # lower: bigger events; higher: more, smaller events
# together = [["articles/a.md", "articles/b.md"]]   # always one event
# apart = [["articles/c.txt", "articles/d.txt"]]    # never one event

[archive]
enabled = true                    # remember articles and flags between runs
# path = "out/archive.sqlite"     # default: archive.sqlite in the output folder
"""
