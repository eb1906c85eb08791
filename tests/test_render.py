"""The rendered briefing: JSON contract, self-contained escaped HTML, a real PDF."""

from __future__ import annotations

import json
import re
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from reporter import render
from reporter.model import Briefing
from reporter.pipeline import BuildOptions, build_briefing
from reporter.render import RenderOptions, render_html, render_pdf, write_outputs

from .conftest import run

SCHEMA = json.loads((Path(__file__).parent.parent / "reporter" / "schema" / "briefing.schema.json").read_text())


def test_json_matches_the_schema(seed_json: dict[str, Any]) -> None:
    jsonschema.validate(seed_json, SCHEMA)


def test_json_references_are_articles_but_never_in_events(seed_json: dict[str, Any]) -> None:
    refs = {a["id"] for a in seed_json["articles"] if a["role"] == "reference"}
    assert [a["path"] for a in seed_json["articles"] if a["role"] == "reference"] == ["seeds/reference/turkmenchay.md"]
    assert not refs & {i for e in seed_json["events"] for i in e["articles"]}


def test_json_values_are_verbatim_with_offsets(seed_json: dict[str, Any]) -> None:
    assert seed_json["discrepancies"]
    for d in seed_json["discrepancies"]:
        for side in (d["a"], d["b"]):
            assert side["sentence"][side["start"] : side["end"]] == side["value"]


def test_ids_are_stable_across_runs_and_path_spellings() -> None:
    one = build_briefing(BuildOptions(sources=["seeds"]), warn=lambda _: None)
    two = build_briefing(BuildOptions(sources=["./seeds/"]), warn=lambda _: None)
    assert [a.id for a in one.articles] == [a.id for a in two.articles]
    assert [e.id for e in one.events] == [e.id for e in two.events]
    assert [d.id for d in one.discrepancies] == [d.id for d in two.discrepancies]


class _Tags(HTMLParser):
    """Collect every start tag and its attributes, as a browser would see them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_loads_nothing(html: str) -> None:
    """Assert that no element of the page would make a browser fetch or run anything from elsewhere."""
    tags = _Tags(html).tags
    assert not [t for t, _ in tags if t in ("link", "img", "iframe", "object", "embed", "video", "audio", "source")]
    assert not [a for _, a in tags if "src" in a or "srcset" in a or "style" in a]
    hrefs = [(a.get("href") or "").strip().lower() for _, a in tags]
    assert not [h for h in hrefs if h.startswith(("javascript:", "data:", "file:", "vbscript:"))]
    assert not re.search(r"url\(|@import", html)


def test_html_is_self_contained(seed_outputs: Path) -> None:
    html = (seed_outputs / "briefing.html").read_text(encoding="utf-8")
    assert "<style>" in html and "<mark>1928</mark>" in html
    assert_loads_nothing(html)
    # one small inline script, and a policy that forbids loading anything at all
    assert re.findall(r"<script[^>]*>", html) == ["<script>"]
    assert "default-src 'none'" in html and "script-src 'sha256-" in html


def test_article_markup_is_escaped(tmp_path: Path) -> None:
    src = tmp_path / "evil.json"
    src.write_text(json.dumps({
        "title": "<script>alert(1)</script> Council votes",
        "outlet": '<img src="file:///etc/passwd">',
        "url": "javascript:alert(1)",
        "text": "The council met on Tuesday and <b>voted</b> for the bridge.",
    }), encoding="utf-8")  # fmt: skip
    briefing = build_briefing(BuildOptions(sources=[str(src)]), warn=lambda _: None)
    html = render_html(briefing)
    assert html.count("<script>") == 1 and "alert(1)</script>" not in html  # only the filter script
    assert "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Council votes" in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert 'href="javascript:' not in html  # shown as text, never linked


HOSTILE_MD = """---
title: "Council votes <img src='file:///etc/passwd'>"
outlet: The Courier
date: 2024-03-05
---

The council met on Tuesday and <img src="file:///etc/passwd"> voted for the bridge.

![map](http://127.0.0.1:9/map.png) and ![secret](file:///etc/passwd)

<iframe src="http://127.0.0.1:9/"></iframe> See [the plan](javascript:alert(1)).
"""

_AUDITED: list[tuple[str, tuple[Any, ...]]] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _AUDITED is not None and event in ("open", "socket.connect", "socket.getaddrinfo", "urllib.Request"):
        _AUDITED.append((event, args))


sys.addaudithook(_audit)  # hooks cannot be removed; this one records only inside `audited`


@pytest.fixture
def audited() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    global _AUDITED
    _AUDITED = []
    try:
        yield _AUDITED
    finally:
        _AUDITED = None


def _outside_reads(events: list[tuple[str, tuple[Any, ...]]]) -> list[object]:
    """List network events and reads of files named by the hostile input."""
    return [args for event, args in events if event != "open" or "passwd" in str(args[0])]


def test_markdown_article_cannot_embed_or_link_out(tmp_path: Path) -> None:
    (tmp_path / "hostile.md").write_text(HOSTILE_MD, encoding="utf-8")
    briefing = build_briefing(BuildOptions(sources=[str(tmp_path)]), warn=lambda _: None)
    assert briefing.articles[0].markdown
    html = render_html(briefing)
    assert_loads_nothing(html)
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt; voted" in html  # the raw HTML is shown as text
    assert "&lt;iframe src=" in html


def test_pdf_of_hostile_article_reads_no_file_and_opens_no_socket(
    tmp_path: Path, audited: list[tuple[str, tuple[Any, ...]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "hostile.md").write_text(HOSTILE_MD, encoding="utf-8")
    briefing = build_briefing(BuildOptions(sources=[str(tmp_path)]), warn=lambda _: None)
    html = render_html(briefing) + '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
    asked: list[str] = []
    served: list[str] = []
    make = render.locked_fetcher

    def spying() -> Any:
        fetcher = make()
        fetch = fetcher.fetch

        def record(url: str, headers: Any = None) -> Any:
            asked.append(url)
            response = fetch(url, headers)
            served.append(url)
            return response

        fetcher.fetch = record
        return fetcher

    monkeypatch.setattr(render, "locked_fetcher", spying)
    assert render_pdf(html).startswith(b"%PDF")
    assert "file:///etc/passwd" in asked and "http://127.0.0.1:9/x.png" in asked  # asked for, and refused
    assert served and set(served) <= set(render.asset_files())  # only the shipped fonts
    assert _outside_reads(audited) == []


def test_pdf_fetches_no_file_or_network_resource(
    audited: list[tuple[str, tuple[Any, ...]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import urllib.request

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a URL was opened")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    css = '@import url("http://127.0.0.1:9/a.css"); p { background: url(file:///etc/passwd) }'
    pdf = render_pdf(f'<style>{css}</style><p>x</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">')
    assert pdf.startswith(b"%PDF")
    assert _outside_reads(audited) == []


def test_locked_fetcher_serves_only_the_package_fonts() -> None:
    fetcher = render.locked_fetcher()
    fonts = list(render.asset_files())
    assert fonts and all(url.startswith("file://") and url.endswith(".ttf") for url in fonts)
    assert fetcher.fetch(fonts[0]).read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    font_dir = Path(render.asset_files()[fonts[0]]).parent
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/font.ttf",
        "data:text/plain,hello",
        (font_dir / ".." / "render.py").as_uri(),
        (font_dir / "LICENSE").as_uri(),
        fonts[0] + "?x=1",
    ):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_outputs_are_replaced_whole(tmp_path: Path, seed_briefing: Briefing) -> None:
    (tmp_path / "briefing.json").write_text("old", encoding="utf-8")
    written = write_outputs(seed_briefing, tmp_path, ["json"])
    assert written == [tmp_path / "briefing.json"]
    assert json.loads((tmp_path / "briefing.json").read_text(encoding="utf-8"))["title"]
    # no temporary file left; the old file is kept in the run folder before this one
    assert sorted(p.name for p in tmp_path.iterdir()) == [".runs", "briefing.json", "current"]
    assert sorted((p / "briefing.json").read_text(encoding="utf-8")[:3] for p in (tmp_path / ".runs").iterdir()) == [
        "old",
        "{\n ",
    ]


def test_pdf_of_a_large_run_shows_the_most_significant_events(tmp_path: Path, seed_briefing: Briefing) -> None:
    pages: list[str] = []

    def pdf(html: str) -> bytes:
        pages.append(html)
        return b"%PDF-1.7"

    write_outputs(seed_briefing, tmp_path, ("html", "pdf"), RenderOptions(pdf_events=1), pdf=pdf)
    full = (tmp_path / "briefing.html").read_text(encoding="utf-8")
    section = re.compile(r'<section class="event[^"]*" id="(e-[0-9a-f]+)"')
    assert len(section.findall(full)) == len(seed_briefing.events) == 3
    shown = section.findall(pages[0])
    assert len(shown) == 1
    # the event shown has the most conflicts, and the reader is told where the rest are
    conflicts = Counter(d.event for d in seed_briefing.discrepancies if d.severity == "conflict")
    assert conflicts[shown[0]] == max(conflicts.values()) > 0
    assert pages[0].count("shows the 1 most significant event of 3") == 1  # said on the cover, not again
    assert "briefing.html and briefing.json hold all 3 events" in pages[0]
    assert "most significant" not in full


# what briefing.json holds: str keys, article text of any kind, ids and offsets, scores rounded to 3 places
_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
_json_like = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(0, 1e6).map(lambda x: round(x, 3)),
        _text,
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_text, inner, max_size=4)),
    max_leaves=30,
)


@given(_json_like)
@settings(max_examples=300, deadline=None)
def test_json_bytes_are_those_of_the_standard_encoder(data: Any) -> None:
    # briefing.json was written with json.dumps; readers that diff two runs must see no change
    assert render.json_bytes(data) == (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def test_written_json_is_the_standard_encoding(seed_outputs: Path, seed_json: dict[str, Any]) -> None:
    expected = (json.dumps(seed_json, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    assert (seed_outputs / "briefing.json").read_bytes() == expected


def test_pdf_render_time_shows_in_timings_and_progress(tmp_path: Path, seed_briefing: Briefing) -> None:
    code, _, err = run("build", "seeds", "--format", "pdf", "--out", str(tmp_path / "timed"), "--quiet", "--timings")
    assert code == 0, err
    assert re.search(r"^timings: .*, render \d+\.\d\d s, render pdf \d+\.\d\d s$", err, re.M), err
    seen: list[tuple[str, int, int]] = []
    write_outputs(seed_briefing, tmp_path / "out", ("pdf",), progress=lambda *step: seen.append(step))
    assert seen == [("pdf", 0, 1), ("pdf", 1, 1)]


def test_other_formats_are_made_while_the_pdf_renders(
    tmp_path: Path, seed_briefing: Briefing, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the PDF worker renders on another core: the HTML and the digest must not wait for it first
    pdf_started = threading.Event()
    seen: list[bool] = []

    def pdf(html: str) -> bytes:
        pdf_started.set()
        return b"%PDF-1.7 stand-in"

    screen = render.html_from_view

    def html_from_view(*args: Any, **kwargs: Any) -> str:
        if not kwargs.get("pdf"):
            seen.append(pdf_started.wait(timeout=2))
        return screen(*args, **kwargs)

    monkeypatch.setattr(render, "html_from_view", html_from_view)
    write_outputs(seed_briefing, tmp_path, ("html", "pdf"), pdf=pdf)
    assert seen == [True]
    assert (tmp_path / "briefing.pdf").read_bytes() == b"%PDF-1.7 stand-in"
    assert "<html" in (tmp_path / "briefing.html").read_text(encoding="utf-8")


def test_pdf_leaves_source_texts_out_unless_asked(tmp_path: Path) -> None:
    code, _, err = run("build", "seeds", "--format", "pdf,html", "--out", str(tmp_path / "short"), "--quiet")
    assert code == 0, err
    short = PdfReader(tmp_path / "short" / "briefing.pdf")
    assert "Source texts" not in "".join(page.extract_text() for page in short.pages)
    assert 'id="texts"' in (tmp_path / "short" / "briefing.html").read_text(encoding="utf-8")  # the HTML keeps them
    (tmp_path / "briefing.toml").write_text("pdf_sources = true\n", encoding="utf-8")
    config = str(tmp_path / "briefing.toml")
    code, _, err = run("build", "seeds", "--config", config, "--format", "pdf", "--out", str(tmp_path / "long"))
    assert code == 0, err
    long = PdfReader(tmp_path / "long" / "briefing.pdf")
    assert "Source texts" in "".join(page.extract_text() for page in long.pages) and len(long.pages) > len(short.pages)
    code, _, err = run(
        "build", "seeds", "--config", config, "--no-pdf-sources", "--format", "pdf", "--out", str(tmp_path / "flag")
    )
    assert code == 0, err
    assert len(PdfReader(tmp_path / "flag" / "briefing.pdf").pages) == len(short.pages)


def _signal_masks(pid: int) -> tuple[int, int]:
    """Return the (caught, ignored) signal masks of a process, from /proc."""
    fields = dict(line.split(":\t") for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":\t" in line)
    return int(fields["SigCgt"], 16), int(fields["SigIgn"], 16)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads signal masks from /proc")
def test_the_pdf_worker_does_not_keep_the_command_line_s_signal_handlers() -> None:
    # forked from a run that turns SIGTERM into SystemExit, the worker must die of SIGTERM at once
    # and leave Ctrl-C to its parent, as the pool's workers do
    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    before = signal.signal(signal.SIGTERM, stop)
    try:
        renderer = render.PdfRenderer()
    finally:
        signal.signal(signal.SIGTERM, before)
    try:
        pid = renderer._proc.pid
        deadline = time.monotonic() + 10
        while (masks := _signal_masks(pid))[0] & (1 << (signal.SIGTERM - 1)) and time.monotonic() < deadline:
            time.sleep(0.01)
        caught, ignored = masks
        assert not caught & (1 << (signal.SIGTERM - 1))
        assert ignored & (1 << (signal.SIGINT - 1))
    finally:
        renderer.close()
