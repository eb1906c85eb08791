"""Write a Briefing as JSON, HTML and PDF, each file written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .errors import OutputError, UsageError
from .model import Briefing, to_jsonable
from .view import build_view

FORMATS = ("html", "pdf", "json")
SCHEMA_VERSION = 1


def template_dir() -> Path:
    """Return the templates folder: shipped as reporter.templates, or beside the package in a checkout."""
    try:
        return Path(str(resources.files("reporter.templates")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "templates"


def environment() -> Environment:
    """Return the Jinja environment; autoescaping keeps article text from injecting markup."""
    return Environment(
        loader=FileSystemLoader(template_dir()),
        autoescape=select_autoescape(("html", "xml"), default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def to_json(briefing: Briefing) -> dict[str, Any]:
    """Serialise the briefing to the documented briefing.json structure."""
    return {
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
        "discrepancies": [to_jsonable(d) for d in briefing.discrepancies],
        "quotes": [to_jsonable(q) for q in briefing.quotes],
        "unique": [to_jsonable(u) for u in briefing.unique],
        "copying": [to_jsonable(c) for c in briefing.copying],
        "skipped": [to_jsonable(s) for s in briefing.skipped],
    }


def render_html(briefing: Briefing) -> str:
    """Render the briefing as one self-contained HTML document."""
    env = environment()
    css = (template_dir() / "style.css").read_text(encoding="utf-8")
    return env.get_template("briefing.html").render(view=build_view(briefing), css=css)


def render_pdf(html: str) -> bytes:
    """Render HTML to PDF with WeasyPrint, refusing every external resource."""
    from weasyprint import HTML  # heavy import; JSON-only runs never pay for it
    from weasyprint.urls import URLFetcher

    class LockedFetcher(URLFetcher):  # type: ignore[misc]
        """Fetch nothing: article text may name file:// or http:// URLs."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"external resource refused: {url[:80]}")

    pdf = HTML(string=html, base_url=None, url_fetcher=LockedFetcher()).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def parse_formats(value: str | Iterable[str]) -> tuple[str, ...]:
    """Parse 'html,pdf,json' into a tuple, rejecting unknown formats."""
    items = value.split(",") if isinstance(value, str) else list(value)
    formats = tuple(dict.fromkeys(i.strip().lower() for i in items if i.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"unknown format '{','.join(unknown) or value}' (choose from html, pdf, json)")
    return formats


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old file or the whole new one, never a part."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_outputs(briefing: Briefing, out_dir: Path, formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write the briefing in each format to out_dir; return the paths written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {out_dir}: {exc.strerror}") from None
    # render everything first, so a failure leaves earlier outputs untouched
    rendered: dict[str, bytes] = {}
    formats = tuple(formats)
    if "json" in formats:
        text = json.dumps(to_json(briefing), indent=2, ensure_ascii=False, sort_keys=False)
        rendered["json"] = (text + "\n").encode("utf-8")
    if "html" in formats or "pdf" in formats:
        html = render_html(briefing)
        if "html" in formats:
            rendered["html"] = html.encode("utf-8")
        if "pdf" in formats:
            rendered["pdf"] = render_pdf(html)
    written = []
    for fmt in FORMATS:
        if fmt in rendered:
            path = out_dir / f"briefing.{fmt}"
            try:
                write_atomic(path, rendered[fmt])
            except OSError as exc:
                raise OutputError(f"cannot write {path}: {exc.strerror}") from None
            written.append(path)
    return written
