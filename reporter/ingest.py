"""Find article files and read each into a RawArticle (text plus metadata)."""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from charset_normalizer import from_bytes
from markdown_it import MarkdownIt

from .errors import ArticleError, UsageError
from .model import RawArticle, Role
from .values import MAX_YEAR, MIN_YEAR, in_bounds, printable

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
}
# A news article is kilobytes, a saved page with its scripts and inline images a few
# megabytes; a file larger than this is not one article, and reading it would cost
# time and memory for nothing. Checked before the file is read.
MAX_BYTES = 20_000_000
# Comparing two articles costs time and memory with the product of their sentence
# counts; the longest news features are about 120,000 characters of text.
MAX_TEXT_CHARS = 300_000


@dataclass(frozen=True)
class Source:
    """A file to read, with the path shown to users and whether it is a reference."""

    file: Path
    path: str  # display path: relative to the cwd with POSIX separators, else as given
    reference: bool
    root_path: str = ""  # under the source root's name, whatever the cwd (see Article.root_path)


@dataclass(frozen=True)
class ReadResult:
    """What reading one file gave: articles, and failures keyed by display path."""

    articles: tuple[RawArticle, ...]
    failures: tuple[tuple[str, str], ...]


def display_path(file: Path, given: str, resolved: Path | None = None, cwd: Path | None = None) -> str:
    """Return the path as users should see it: cwd-relative POSIX when possible, on one printable line.

    `resolved` and `cwd`, when given, are the file's and the working folder's resolved paths,
    found once by a caller that shows many files (resolving them is most of the cost).
    """
    try:
        rel = (resolved or file.resolve()).relative_to(cwd or Path.cwd().resolve())
        return printable(rel.as_posix())
    except (ValueError, RuntimeError, OSError):  # outside the cwd, or a link loop (RuntimeError before 3.13)
        return printable(Path(given).as_posix())


def _check_given(given: str | os.PathLike[str]) -> None:
    """Raise UsageError for a path given to read that does not exist or cannot even be looked up
    ("File name too long" is an OSError from Path.exists, not False)."""
    try:
        there = Path(given).exists()
    except OSError as exc:
        raise UsageError(f"cannot look up {printable(os.fspath(given))}: {exc.strerror or exc}") from None
    if not there:
        raise UsageError(f"no such file or folder: {printable(os.fspath(given))}")


def discover(
    sources: Sequence[str | os.PathLike[str]],
    references: Sequence[str | os.PathLike[str]] = (),
    exclude: Iterable[Path] = (),
) -> tuple[list[Source], list[tuple[str, str]]]:
    """List article files under the given paths, recursively, in a stable order.

    Returns the files to read and (path, reason) pairs for files that are not
    articles. Raises UsageError for a path that does not exist.

    `exclude` holds what the run writes (the output folder, its files, the archive):
    never read, whether a folder among them sits inside a source folder or is one.
    Symbolic links are followed while they stay within the given folders; one that
    leads out of them or back into a folder it is in is skipped with the reason.
    """
    for given in [*sources, *references]:
        _check_given(given)
    excluded = {p.resolve() for p in exclude}
    ref_roots = [Path(r).resolve() for r in references]
    roots = tuple(Path(given).resolve() for given in [*sources, *references])
    found: dict[Path, Source] = {}
    through_links: set[Path] = set()  # files of `found` reached through a link; a direct path replaces them
    unsupported: list[tuple[str, str]] = []
    names = root_names([*sources, *references])
    cwd = _cwd()
    for given in [*sources, *references]:
        root = Path(given)
        unreadable: list[tuple[str, str]] = []
        files = sorted(_walk(root, roots, unreadable)) if root.is_dir() else [(root, False)]
        unsupported.extend(unreadable)
        if root.is_dir() and not files and not unreadable:
            unsupported.append((display_path(root, str(given)), "folder holds no files to read"))
        # an excluded folder inside this one (the output folder) is skipped; one around it is not
        below = {e for e in excluded if root.resolve() in e.parents}
        for file, linked in files:
            resolved = _real(file)
            if resolved is None:
                unsupported.append((_link_path(file), "symbolic link loop"))
                continue
            shown = display_path(file, str(file), resolved, cwd)
            if resolved in found and resolved in through_links and not linked:
                del found[resolved]  # the same file was reached through a link first: name it where it is
                through_links.discard(resolved)
            if resolved in excluded or resolved in found or not below.isdisjoint(resolved.parents):
                continue
            if file.suffix.lower() not in FORMATS:
                kind = printable(file.suffix or file.name)
                if not root.is_dir():
                    unsupported.append((shown, f"unsupported file type '{kind}'"))
                else:
                    unsupported.append((shown, f"not an article format ({printable(file.suffix) or 'no extension'})"))
                continue
            if linked and not _within(resolved, roots) and resolved.exists():
                # reading it would publish a file from elsewhere that nobody chose to compare
                unsupported.append((_link_path(file), "symbolic link to a file outside the source folders"))
                continue
            is_ref = any(resolved == r or r in resolved.parents for r in ref_roots)
            under = printable(file.relative_to(root).as_posix()) if root.is_dir() else ""  # a stable, encodable key
            found[resolved] = Source(file, shown, is_ref, "/".join(p for p in (names[str(given)], under) if p))
            if linked:
                through_links.add(resolved)
    ordered = sorted(found.values(), key=lambda s: s.path)
    return ordered, sorted(unsupported)


def root_names(roots: Sequence[str | os.PathLike[str]]) -> dict[str, str]:
    """Name each source root by its own name: 'seeds', '/home/me/seeds' and '../seeds' are all 'seeds'.

    The name is taken from the path as given, made absolute without following links
    ('.' is the working folder's name); two different roots of one name are told apart
    by their full paths.
    """
    full = {str(r): Path(os.path.abspath(r)) for r in roots}
    resolved: dict[str, set[Path]] = {}
    for given, path in full.items():
        resolved.setdefault(path.name, set()).add(Path(given).resolve())
    return {r: path.name if len(resolved[path.name]) == 1 else path.as_posix() for r, path in full.items()}


def _cwd() -> Path | None:
    """Return the working folder resolved, or None when it is gone (paths are then shown as given)."""
    try:
        return Path.cwd().resolve()
    except OSError:
        return None


def _real(path: Path) -> Path | None:
    """Return the path with every link resolved, or None for a link loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a loop, later ones OSError
        return None


def _link_path(link: Path) -> str:
    """Return a link's display path: where the link is, not where it leads."""
    folder = display_path(link.parent, str(link.parent))
    return printable(link.name) if folder == "." else f"{folder}/{printable(link.name)}"


def _within(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


def _walk(root: Path, roots: Sequence[Path], skipped: list[tuple[str, str]]) -> Iterator[tuple[Path, bool]]:
    """Yield the files in a folder and its subfolders, hidden ones (.git, .DS_Store) left out.

    Each comes with whether it was reached through a link: it is one, or lies in a linked folder.

    A linked folder is walked when it leads to a folder within the source folders (`roots`)
    that has not been walked yet; one that leads outside them, or to a folder it is in (a
    loop), is added to `skipped` with the reason. A folder that cannot be listed is too.
    """
    walked: set[Path] = set()
    pending = [(root, False)]
    while pending:
        folder, linked = pending.pop()
        real = _real(folder)
        if real is None or real in walked:
            continue
        walked.add(real)
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            # say so rather than drop its files unseen
            skipped.append((display_path(folder, str(folder)), f"cannot list folder: {exc.strerror or exc}"))
            continue
        inner: list[tuple[Path, bool]] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            try:
                is_folder = entry.is_dir()  # follows a link
            except OSError:
                is_folder = False
            if not is_folder:
                yield path, linked or entry.is_symlink()
            elif not entry.is_symlink():
                inner.append((path, linked))
            elif (reason := _folder_link_problem(path, real, roots)) is not None:
                skipped.append((_link_path(path), reason))
            else:
                inner.append((path, True))  # walked unless its target was already
        pending.extend(reversed(inner))


def _folder_link_problem(link: Path, parent: Path, roots: Sequence[Path]) -> str | None:
    """Say why a linked folder is not walked, or return None when it is."""
    target = _real(link)
    if target is None:
        return "symbolic link loop"
    if target == parent or target in parent.parents:
        return "symbolic link loop: it leads to a folder it is in"
    if not _within(target, roots):
        return "symbolic link to a folder outside the source folders"
    return None


def read_source(source: Source) -> ReadResult:
    """Read one file into articles; a broken file raises ArticleError."""
    fmt = FORMATS[source.file.suffix.lower()]
    text, note = decode(read_bytes(source.file))
    if not text.strip():
        raise ArticleError("empty file")
    role: Role = "reference" if source.reference else "report"
    if fmt == "jsonl":
        result = _read_jsonl(text, source.path, role)
    elif fmt == "json":
        result = ReadResult((_from_mapping(_load_json(text), source.path, role),), ())
    elif fmt == "md":
        result = ReadResult((_read_markdown(text, source.path, role),), ())
    elif fmt == "html":
        result = ReadResult((_read_html(text, source.path, role),), ())
    else:
        result = ReadResult((RawArticle(path=source.path, format="txt", text=text, role=role),), ())
    articles: list[RawArticle] = []
    failures = list(result.failures)
    for raw in result.articles:
        if len(raw.text) > MAX_TEXT_CHARS:
            size = f"{len(raw.text):,} characters > {MAX_TEXT_CHARS:,} limit"
            failures.append((raw.path, f"text too long for an article ({size})"))
        else:
            articles.append(replace(raw, problems=(note, *raw.problems)) if note else raw)
    if not articles and len(failures) == 1 and failures[0][0] == source.path:
        raise ArticleError(failures[0][1])  # a one-article file is skipped like any unreadable file
    return ReadResult(tuple(articles), tuple(failures))


def read_bytes(file: Path) -> bytes:
    """Return the bytes of a regular file no larger than MAX_BYTES; raise ArticleError saying why not."""
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            # a pipe or a device can block or never end
            raise ArticleError("not a regular file")
        if info.st_size > MAX_BYTES:
            raise ArticleError(_too_large(info.st_size))
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # the file may have grown since stat
    except FileNotFoundError as exc:
        if file.is_symlink():
            raise ArticleError("broken link: its target does not exist") from exc
        raise ArticleError("cannot read file: it no longer exists") from exc
    except OSError as exc:
        raise ArticleError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:
        raise ArticleError(_too_large(None))
    return data


def _too_large(size: int | None) -> str:
    limit = f"{MAX_BYTES / 1e6:g} MB limit"
    return f"too large ({size / 1e6:.1f} MB > {limit})" if size is not None else f"too large (over the {limit})"


_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ESCAPED = re.compile("[\udc80-\udcff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode bytes to text; return it with a note when part of it had to be guessed.

    UTF-8 (with or without a byte-order mark) and UTF-16/32 with a mark are read as
    such. Text that is UTF-8 with a few stray bytes (two files pasted together, a
    truncated last character) keeps its UTF-8 and reads the stray bytes as
    Windows-1252; text with no UTF-8 at all is decoded by detection.
    Raise ArticleError for binary data.
    """
    note = None
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise ArticleError(f"invalid {encoding.upper()} text") from None
    elif b"\x00" in data[:8192]:
        text = _decode_wide(data)
    else:
        text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
        stray = len(_ESCAPED.findall(text))
        if stray and _has_utf8(text):
            text = _ESCAPED.sub(lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252", "replace"), text)
            note = f"{stray} byte{'s' if stray > 1 else ''} not valid UTF-8, read as Windows-1252"
        elif stray:
            text = _detect(data)
    if _control_share(text) > 0.05:
        raise ArticleError("binary file, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n"), note


def _has_utf8(text: str) -> bool:
    """Tell whether surrogate-escaped text holds any valid non-ASCII UTF-8 character."""
    return any(ord(ch) > 127 and not 0xDC80 <= ord(ch) <= 0xDCFF for ch in text)


def _decode_wide(data: bytes) -> str:
    """Decode UTF-16/32 text written without a byte-order mark; anything else with NUL bytes is binary."""
    best = from_bytes(data).best()
    if best is None or not best.encoding.startswith(("utf_16", "utf_32")):
        raise ArticleError("binary file, not text")
    return str(best)


def _detect(data: bytes) -> str:
    """Decode legacy 8-bit text by detection, preferring Windows-1252 among equally good guesses.

    Western news text is most often Windows-1252; a few accented names leave the
    detector many equal choices (cp775, cp1250…), and it may pick one that turns
    'ü' into '³'.
    """
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise ArticleError("binary file or unknown text encoding")
    if any(m.chaos <= best.chaos and "cp1252" in m.could_be_from_charset for m in matches):
        return data.decode("cp1252", errors="replace")
    return str(best)


def _control_share(text: str) -> float:
    sample = text[:8192]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters but tab, line feed, form feed, return


# --- JSON ---------------------------------------------------------------------


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        # json's messages end in "starting at" for the position it reports separately
        what = re.sub(r"\s+(?:starting )?at$", "", exc.msg)
        raise ArticleError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {what}") from None
    except RecursionError:
        raise ArticleError("malformed JSON: nested too deeply") from None
    except ValueError:  # a number of thousands of digits, past Python's integer conversion limit
        raise ArticleError("malformed JSON: a number too long to read") from None


def _read_jsonl(text: str, path: str, role: Role) -> ReadResult:
    articles: list[RawArticle] = []
    failures: list[tuple[str, str]] = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        item_path = f"{path}#{n}"
        try:
            articles.append(_from_mapping(_load_json(line), item_path, role))
        except ArticleError as exc:
            failures.append((item_path, str(exc)))
    if not articles and not failures:
        raise ArticleError("empty file")
    return ReadResult(tuple(articles), tuple(failures))


_JSON_KINDS: dict[type, str] = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


def _from_mapping(obj: Any, path: str, role: Role) -> RawArticle:
    if not isinstance(obj, dict):
        found = _JSON_KINDS.get(type(obj), "a value")
        hint = "; a .jsonl file holds one article per line" if isinstance(obj, list) else ""
        raise ArticleError(f"JSON article must be an object with a 'text' key, not {found}{hint}")
    text = obj.get("text")
    if text is not None and not isinstance(text, str):
        raise ArticleError(f"JSON article's 'text' must be a string, not {_JSON_KINDS.get(type(text), 'a value')}")
    if not text or not text.strip():
        raise ArticleError("JSON article has no 'text'")
    meta = _Metadata(obj, date_keys=("published", "date"))
    return RawArticle(
        path=path,
        format="json",
        text=_valid_unicode(text).replace("\r\n", "\n"),
        title=meta.text("title"),
        outlet=meta.text("outlet"),
        published=meta.published(),
        url=meta.text("url"),
        role=_role(obj.get("role"), role),
        problems=tuple(meta.problems),
    )


class _Metadata:
    """Read the metadata fields of a JSON article or front matter, noting what had to be ignored."""

    def __init__(self, fields: dict[Any, Any], date_keys: tuple[str, str]) -> None:
        self.fields = fields
        self.date_keys = date_keys
        self.problems: list[str] = []

    def text(self, key: str) -> str | None:
        """Return a field as text; a list or mapping (where one line is expected) is ignored."""
        value = self.fields.get(key)
        if isinstance(value, list | dict):
            # YAML aliases can make such a value huge; never turn it into a string
            self.problems.append(f"'{key}' is not text; ignored")
            return None
        return _opt_str(value)

    def published(self) -> date | None:
        """Return the first date field present; an unreadable one leaves the article undated."""
        key = next((k for k in self.date_keys if k in self.fields), self.date_keys[0])
        value = self.fields.get(key)
        if isinstance(value, list | dict):
            self.problems.append(f"'{key}' is not a date; read as undated")
            return None
        try:
            return parse_date_value(value)
        except ArticleError as exc:
            self.problems.append(f"{exc}; read as undated")
            return None


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    text = _valid_unicode(str(value)).strip()
    return text or None


def _valid_unicode(text: str) -> str:
    """Replace lone surrogates, which JSON and YAML escapes ("\\ud800") can hold but UTF-8 cannot."""
    return _SURROGATE.sub("\ufffd", text)


def _role(value: Any, default: Role) -> Role:
    if default == "reference":
        return "reference"
    if value is None:
        return default
    given = str(value).strip().lower() if isinstance(value, str) else None
    if given in ("report", "reference"):
        return "reference" if given == "reference" else "report"
    shown = f"unknown role {_quoted(value)}" if isinstance(value, str) else "role is not text"
    raise ArticleError(f"{shown} (expected 'report' or 'reference')")


def _quoted(value: str, limit: int = 60) -> str:
    """Quote a value for a one-line message: whitespace folded, long values cut."""
    text = " ".join(value.split())
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"


def parse_date_value(value: Any) -> date | None:
    """Turn a metadata date (date, datetime or string in a common form) into a date.

    Raise ArticleError for text that is no date, or a date outside the years dates are read in.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _in_bounds(value.date())
    if isinstance(value, date):
        return _in_bounds(value)
    text = str(value).strip()
    try:
        return _in_bounds(date.fromisoformat(text[:10]))
    except ValueError:
        pass
    parsed = None
    if len(text) <= 100:  # a date is a few words; dateparser's time grows with the text
        import dateparser  # slow to import; only needed for unusual date strings

        try:
            parsed = dateparser.parse(text, languages=["en"], settings={"STRICT_PARSING": True})
        except (ValueError, OverflowError):  # a year or day out of range
            parsed = None
    if parsed is None:
        raise ArticleError(f"unreadable date {_quoted(text)}")
    return _in_bounds(parsed.date())


def _in_bounds(day: date) -> date:
    """Return the date, or raise ArticleError when its year is outside the years dates are read in."""
    if not in_bounds(day):
        raise ArticleError(f"date {day.isoformat()} is out of range (years {MIN_YEAR} to {MAX_YEAR})")
    return day


# --- Markdown -------------------------------------------------------------------


class _FrontMatterLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML has no type hints here
    """Load front matter safely, leaving dates as strings.

    parse_date_value reads them like any other date, so an impossible one
    ("2024-02-30") leaves the article undated with a warning instead of failing YAML.
    """


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_md = MarkdownIt("commonmark")


def _read_markdown(text: str, path: str, role: Role) -> RawArticle:
    meta: dict[str, Any] = {}
    body = text
    if text.startswith("---"):
        match = _FRONT_MATTER.match(text)
        if not match:
            raise ArticleError("malformed front matter: no closing '---'")
        try:
            loaded = yaml.load(match.group(1), Loader=_FrontMatterLoader)  # a SafeLoader
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 2}" if mark is not None else ""
            raise ArticleError(f"malformed front matter{where}") from None
        except RecursionError:
            raise ArticleError("malformed front matter: nested too deeply") from None
        except ValueError:  # a value YAML parses but Python cannot hold (a number of thousands of digits)
            raise ArticleError("malformed front matter: a value too large to read") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ArticleError("malformed front matter: expected 'key: value' lines")
        meta = loaded or {}
        body = text[match.end() :]
    plain = markdown_to_text(body)
    if not plain.strip():
        raise ArticleError("no text after the front matter")
    fields = _Metadata(meta, date_keys=("date", "published"))
    return RawArticle(
        path=path,
        format="md",
        text=plain,
        title=fields.text("title"),
        outlet=fields.text("outlet"),
        published=fields.published(),
        url=fields.text("url"),
        role=_role(meta.get("role"), role),
        markdown=body,
        problems=tuple(fields.problems),
    )


def markdown_to_text(body: str) -> str:
    """Return the text of a Markdown body, one paragraph per block, without markup."""
    blocks: list[str] = []
    for token in _md.parse(body):
        if token.type == "inline":
            parts: list[str] = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            block = "".join(parts).strip()
            if block:
                blocks.append(block)
        elif token.type in ("code_block", "fence"):
            continue  # code is not a claim
    return "\n\n".join(blocks)


# --- HTML -----------------------------------------------------------------------


def _read_html(text: str, path: str, role: Role) -> RawArticle:
    import trafilatura  # heavy import; only pay for it when there is HTML

    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, include_tables=False)
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        if _too_deep(text):
            raise ArticleError(f"no article text found: the page nests elements deeper than {HTML_DEPTH} levels")
        raise ArticleError("no article text found in the page")
    title = _opt_str(getattr(doc, "title", None))
    lines = [ln.strip() for ln in body.split("\n") if ln.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]  # the extractor repeats the headline as the first line
    published: date | None
    try:
        published = parse_date_value(getattr(doc, "date", None))
    except ArticleError:
        published = None
    return RawArticle(
        path=path,
        format="html",
        text="\n\n".join(lines),
        title=title,
        outlet=_opt_str(getattr(doc, "sitename", None)),
        published=published,
        url=_opt_str(getattr(doc, "url", None)),
        role=role,
    )


HTML_DEPTH = 255  # libxml2's limit without XML_PARSE_HUGE: deeper elements are dropped, text and all


def _too_deep(page: str) -> bool:
    """Tell whether the HTML parser stopped at its depth limit: the page lost what lay deeper."""
    from lxml import etree  # trafilatura's parser; asked again only for a page that gave no text

    parser = etree.HTMLParser(recover=True)
    try:
        etree.fromstring(page, parser)
    except (etree.LxmlError, ValueError):
        return False
    return any("Excessive depth" in entry.message for entry in parser.error_log)
