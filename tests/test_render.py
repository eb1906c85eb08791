"""The rendered briefing: JSON contract, self-contained escaped HTML, a real PDF."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pypdf import PdfReader

from reporter.model import Briefing
from reporter.pipeline import BuildOptions, build_briefing
from reporter.render import render_html, render_pdf, write_outputs

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


def test_html_is_self_contained(seed_outputs: Path) -> None:
    html = (seed_outputs / "briefing.html").read_text(encoding="utf-8")
    assert "<style>" in html
    assert not re.search(r"<(?:link|script|img|iframe)\b", html)
    assert "1928" in html and "<mark>1928</mark>" in html


def test_article_markup_is_escaped(tmp_path: Path) -> None:
    src = tmp_path / "evil.json"
    src.write_text(json.dumps({
        "title": "<script>alert(1)</script> Council votes",
        "outlet": '<img src="file:///etc/passwd">',
        "text": "The council met on Tuesday and <b>voted</b> for the bridge.",
    }), encoding="utf-8")  # fmt: skip
    briefing = build_briefing(BuildOptions(sources=[str(src)]), warn=lambda _: None)
    html = render_html(briefing)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Council votes" in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html


def test_pdf_fetches_no_file_or_network_resource(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib.request

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a URL was opened")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    pdf = render_pdf('<p>x</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">')
    assert pdf.startswith(b"%PDF")


def test_pdf_has_pages_and_the_flagged_values(seed_outputs: Path, seed_briefing: Briefing) -> None:
    reader = PdfReader(seed_outputs / "briefing.pdf")
    assert len(reader.pages) >= 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    for event in seed_briefing.events:
        assert event.title.split()[0] in text
    assert "1928" in text and "1828" in text


def test_outputs_are_replaced_whole(tmp_path: Path, seed_briefing: Briefing) -> None:
    (tmp_path / "briefing.json").write_text("old", encoding="utf-8")
    written = write_outputs(seed_briefing, tmp_path, ["json"])
    assert written == [tmp_path / "briefing.json"]
    assert json.loads((tmp_path / "briefing.json").read_text(encoding="utf-8"))["title"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.json"]  # no temporary file left
