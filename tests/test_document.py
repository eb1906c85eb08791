"""The briefing document as a reader gets it: the PDF's text, outline, links and pages; the HTML's anchors;
analyst notes; the Markdown digest."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import Destination

from reporter.coverage import agreed_claims
from reporter.facts import build_facts
from reporter.model import Alignment, Article, Briefing, Copying, Discrepancy, Event, Sentence, Side
from reporter.notes import render_markdown, split_notes
from reporter.render import FORMATS, RenderOptions, escape_markdown, parse_formats, render_html, write_outputs
from reporter.render import render_markdown as render_digest
from reporter.view import build_view, rank_events

from .conftest import run


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def pdf(seed_outputs: Path) -> PdfReader:
    return PdfReader(seed_outputs / "briefing.pdf")


@pytest.fixture(scope="module")
def sources_pdf(seed_briefing: Briefing, tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    out = tmp_path_factory.mktemp("with-sources")
    write_outputs(seed_briefing, out, ("pdf",), RenderOptions(pdf_sources=True))
    return PdfReader(out / "briefing.pdf")


@pytest.fixture(scope="module")
def pages(pdf: PdfReader) -> list[str]:
    return [squash(page.extract_text()) for page in pdf.pages]


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """Flatten the PDF outline to (level, title, page index)."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                assert isinstance(item, Destination)
                found.append((level, str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return found


def test_pdf_outline_has_every_event_most_to_look_at_first(pdf: PdfReader, seed_briefing: Briefing) -> None:
    marks = outline(pdf)
    top = [title for level, title, _ in marks if level == 1]
    headings = [f"{n}. {e.title}" for n, e in enumerate(rank_events(seed_briefing), 1)]
    assert top == [*headings, "Sources and files"]  # the source texts are left out by default
    assert [title for level, title, _ in marks if level == 2] == []
    # the reference check of the Turkmenchay year is the surest disputed fact: its event leads
    assert top[0] == "1. Iran flexes muscles against Azerbaijan claiming US-Israel presence"


def test_pdf_with_sources_ends_with_every_source_text(sources_pdf: PdfReader, seed_briefing: Briefing) -> None:
    marks = outline(sources_pdf)
    top = [title for level, title, _ in marks if level == 1]
    assert top[-2:] == ["Source texts", "Sources and files"]
    texts = [title for level, title, _ in marks if level == 2]
    assert len(texts) == len(seed_briefing.articles)
    assert all(t.startswith("Reference note") or "—" in t for t in texts)


def test_pdf_bookmarks_and_contents_point_at_the_right_pages(
    pdf: PdfReader, pages: list[str], seed_briefing: Briefing
) -> None:
    starts = {title: page for level, title, page in outline(pdf) if level == 1}
    for n, event in enumerate(rank_events(seed_briefing), 1):
        heading = f"{n}. {event.title}"
        assert squash(heading) in pages[starts[heading]]
        # the contents on the cover give the same page number (CSS target-counter)
        listed = re.search(re.escape(squash(heading)) + r" \.{3,} (\d+)\b", pages[0])
        assert listed, f"no page number for {heading!r} in the contents"
        assert int(listed.group(1)) == starts[heading] + 1


def test_pdf_text_holds_every_event_and_the_values_of_likely_disagreements(
    pages: list[str], seed_briefing: Briefing
) -> None:
    text = " ".join(pages)
    for event in seed_briefing.events:
        assert squash(event.title) in text
    facts = build_facts(seed_briefing)
    shown = [f for f in facts if f.severity == "variant" or f.score >= 0.2]
    assert shown
    for fact in shown:
        for value in fact.values:
            assert squash(value.value) in text, fact.id
    assert "Year: 1928 vs 1828" in text  # the cover's surest disputed fact
    assert "likely, 52%" in text.lower() and "how likely the sources really disagree" in text
    assert "Monday, November 25" in text.split("Disputed facts", 1)[1]  # likely too: listed
    assert "similarity" not in text and "synopsis" not in text


def _links(reader: PdfReader) -> list[str]:
    targets: list[str] = []
    for page in reader.pages:
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annot:
                targets.append(str(annot["/Dest"]))
            else:  # an external link: only ever a web address
                assert str(annot["/A"]["/URI"]).startswith(("http://", "https://"))
    return targets


def test_pdf_internal_links_resolve(pdf: PdfReader, seed_briefing: Briefing) -> None:
    targets = _links(pdf)
    assert targets and set(targets) <= set(pdf.named_destinations)
    assert {e.id for e in seed_briefing.events} <= set(targets)  # the contents


def test_pdf_with_sources_links_values_both_ways(sources_pdf: PdfReader, seed_briefing: Briefing) -> None:
    targets = _links(sources_pdf)
    assert targets and set(targets) <= set(sources_pdf.named_destinations)
    for fact in build_facts(seed_briefing):
        if fact.severity == "conflict" and fact.score < 0.2:
            continue  # left out of the PDF's body
        for flag in fact.flags:
            # the value in the source text links back to the entry, and the entry to the value
            assert flag in targets
            assert {f"v-{flag}-a", f"v-{flag}-b"} <= set(targets), flag


def test_no_pdf_page_is_blank(pages: list[str], seed_briefing: Briefing) -> None:
    furniture = [seed_briefing.title, "Source texts", "Sources and files"]
    furniture += [squash(f"{n}. {e.title}") for n, e in enumerate(seed_briefing.events, 1)]
    for i, text in enumerate(pages):
        assert f"page {i + 1} of {len(pages)}" in text
        body = text.replace(f"page {i + 1} of {len(pages)}", "")
        for line in furniture:
            body = body.replace(line, "")
        assert len(body.strip()) > 200, f"page {i + 1} holds almost nothing: {body!r}"


def test_pdf_running_header_names_the_briefing(pages: list[str], seed_briefing: Briefing) -> None:
    assert all(seed_briefing.title in text for text in pages[1:])


def test_pdf_is_tagged_with_title_language_and_embedded_fonts(pdf: PdfReader, seed_briefing: Briefing) -> None:
    assert pdf.metadata is not None and pdf.metadata.title == seed_briefing.title
    assert str(pdf.metadata.get("/Creator", "")).startswith("reporter ")
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    fonts = {}
    for page in pdf.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descendant = descendant.get_object()
                fonts[str(descendant["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
    assert fonts and all("DejaVu" in name for name in fonts)
    assert all("/FontFile2" in descriptor for descriptor in fonts.values())  # embedded, not referenced
    mediabox = pdf.pages[0].mediabox
    assert (round(float(mediabox.width)), round(float(mediabox.height))) == (595, 842)  # A4 by default


def article_json(folder: Path, name: str, title: str, text: str) -> Path:
    path = folder / name
    path.write_text(json.dumps({"title": title, "outlet": "The Courier", "published": "2024-03-05", "text": text}))
    return path


BRIDGE = (
    "The regional council approved the new bridge on Tuesday after a long debate. "
    "The bridge will be 1,200 metres long and cost 45 million euros."
)


LONG_URL = "https://example.org/" + "a-very-long-path-segment/" * 12 + "?q=" + "x" * 80
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3


def test_long_urls_and_words_wrap_inside_the_page(tmp_path: Path) -> None:
    text = f"{BRIDGE} The plans at {LONG_URL} name the {LONG_WORD} compound."
    for name, outlet, cost in (("a.json", "The Courier", "45"), ("b.json", "Daily Paper", "54")):
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps({"title": "Council approves the bridge", "outlet": outlet, "url": LONG_URL,
                                    "published": "2024-03-05", "text": text.replace("45", cost)}))  # fmt: skip
    code, _, err = run("build", str(tmp_path / "in"), "--out", str(tmp_path), "--format", "pdf")
    assert code == 0, err
    assert shutil.which("pdftoppm"), "pdftoppm missing: `make test` installs poppler-utils"
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-png", str(tmp_path / "briefing.pdf"), str(tmp_path / "p")],
                   check=True)  # fmt: skip
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert pngs
    for png in pngs:
        with Image.open(png) as page:
            gray = page.convert("L")
            strip = gray.crop((gray.width - gray.width * 12 // 210, 0, gray.width, gray.height))  # 12 of 16 mm
            darkest = strip.getextrema()[0]
        assert isinstance(darkest, int) and darkest > 235, f"{png.name}: ink in the right margin"


def test_letter_paper_on_request(tmp_path: Path) -> None:
    article_json(tmp_path, "a.json", "Council approves the bridge", BRIDGE)
    code, _, err = run("build", str(tmp_path), "--out", str(tmp_path / "out"), "--format", "pdf", "--paper", "letter")
    assert code == 0, err
    box = PdfReader(tmp_path / "out" / "briefing.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


NOTES = """Read with care: the council has not published the minutes.

## Council approves the bridge

The **cost** was confirmed by phone. <script>alert(1)</script> <img src="file:///etc/passwd">

## A heading that names no event

Kept, but not in an event.
"""


def test_notes_go_into_their_event_and_are_never_read_as_an_article(tmp_path: Path) -> None:
    article_json(tmp_path, "a.json", "Council approves the bridge", BRIDGE)
    notes = tmp_path / "notes.md"  # inside the source folder on purpose
    notes.write_text(NOTES, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run("build", str(tmp_path), "--out", str(out), "--format", "html,json", "--notes", str(notes))
    assert code == 0, err
    data = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    assert [Path(a["path"]).name for a in data["articles"]] == ["a.json"]
    assert not data["skipped"]
    html = (out / "briefing.html").read_text(encoding="utf-8")
    event = html[html.index(f'id="{data["events"][0]["id"]}"') : html.index('id="texts"')]
    assert "The <strong>cost</strong> was confirmed by phone." in event
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in event and "<img" not in html
    assert "Read with care" in html[: html.index(f'id="{data["events"][0]["id"]}"')]
    assert "reporter: warning: notes: No event matches these headings: A heading that names no event." in err


def test_a_missing_notes_file_or_unknown_paper_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("build", "--notes", str(tmp_path / "nope.md"), "--out", str(tmp_path))
    assert (code, err) == (2, f"reporter: error: notes file not found: {tmp_path / 'nope.md'}\n")
    code, _, err = run("build", "--paper", "a3", "--out", str(tmp_path))
    assert code == 2 and "'a3' is not one of 'a4', 'letter'" in err


def test_notes_match_event_titles_and_ids_whatever_the_case() -> None:
    events = [
        Event("e-1", "Bridge vote", ("a",), None, None, "single article"),
        Event("e-2", "Flood on the Aras", ("b",), None, None, "single article"),
    ]
    notes = split_notes("Intro\n\n## bridge  VOTE\n\nText A\n\n## e-2\n\nText B\n\n## Nope\n\nText C\n", events)
    assert "Text A" in notes.by_event["e-1"] and "Text B" in notes.by_event["e-2"]
    assert notes.general is not None and "Intro" in notes.general and "Text C" in notes.general
    assert notes.unmatched == ("Nope",)
    # the event's own heading is dropped; other headings sit below the document's h3
    assert "<h2>" not in notes.by_event["e-1"] and "<h5>Nope</h5>" in notes.general


def test_markdown_renders_escaped_with_no_images() -> None:
    html = render_markdown("# Title\n\n<b>raw</b> ![x](http://127.0.0.1:9/x.png) [ok](https://example.org)")
    assert "<h4>Title</h4>" in html and "&lt;b&gt;raw&lt;/b&gt;" in html
    assert "<img" not in html and '<a href="https://example.org">ok</a>' in html


def test_markdown_article_is_shown_rendered_in_its_text(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: Council approves the bridge\noutlet: The Courier\ndate: 2024-03-05\n---\n\n"
        "The regional council approved the **new bridge** on Tuesday after a long debate.\n",
        encoding="utf-8",
    )
    code, _, err = run("build", str(tmp_path), "--out", str(tmp_path / "out"), "--format", "html")
    assert code == 0, err
    html = (tmp_path / "out" / "briefing.html").read_text(encoding="utf-8")
    assert "approved the <strong>new bridge</strong> on Tuesday" in html[html.index('id="texts"') :]


class _Anchors(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.links: dict[str, list[str]] = {}  # id of a link element -> its target
        self.hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids[str(a["id"])] += 1
        href = a.get("href") or ""
        if href.startswith("#"):
            self.hrefs.append(href[1:])
            if a.get("id"):
                self.links.setdefault(str(a["id"]), []).append(href[1:])


def test_html_anchors_are_unique_and_every_flag_links_both_ways(seed_outputs: Path, seed_briefing: Briefing) -> None:
    anchors = _Anchors((seed_outputs / "briefing.html").read_text(encoding="utf-8"))
    assert [i for i, n in anchors.ids.items() if n > 1] == []
    assert set(anchors.hrefs) <= set(anchors.ids), set(anchors.hrefs) - set(anchors.ids)
    for d in seed_briefing.discrepancies:
        assert d.id in anchors.ids
        for side in ("a", "b"):
            assert anchors.links[f"v-{d.id}-{side}"] == [d.id]  # the marked value links to its entry
            assert f"v-{d.id}-{side}" in anchors.hrefs  # and the entry links to it


def _article(id_: str, outlet: str, text: str) -> Article:
    return Article(id_, f"{id_}.txt", "txt", None, outlet, date(2024, 3, 5), None, "report", text)


BRIDGE_TEXTS = {
    "a": ["The bridge opened on Monday.", "Wire copy sentence shared by two papers."],
    "b": ["On Monday the bridge opened.", "Wire copy sentence shared by two papers."],
    "c": ["The new bridge opened Monday morning."],
}


def bridge_briefing(*flags: Discrepancy) -> Briefing:
    """Build a three-source briefing by hand: two sources print the same wire copy."""
    texts = BRIDGE_TEXTS
    articles = tuple(_article(k, k.upper() + " Daily", " ".join(v)) for k, v in texts.items())
    sentences = {k: tuple(Sentence(k, i, t) for i, t in enumerate(v)) for k, v in texts.items()}
    event = Event("e-1", "Bridge opens", ("a", "b", "c"), date(2024, 3, 5), date(2024, 3, 5), "shared names")
    alignments = (
        Alignment("e-1", "a", 0, "b", 0, 0.8),
        Alignment("e-1", "b", 0, "c", 0, 0.6),
        Alignment("e-1", "a", 1, "b", 1, 0.99),  # the same wire copy: not two sources
    )
    copying = (Copying("e-1", "a", "b", 1, 0.5, ((1, 1, 1),)),)
    return Briefing(
        title="t", generated="2024-03-06T00:00:00Z", version="0", articles=articles, events=(event,),
        discrepancies=flags, skipped=(), sentences=sentences, alignments=alignments, copying=copying,
        agreed=agreed_claims((event,), sentences, alignments, copying, flags),
    )  # fmt: skip


MONDAY = Discrepancy(
    "d-1", "e-1", "date", "conflict", 0.9, "different days",
    Side("a", BRIDGE_TEXTS["a"][0], "Monday", 22, 28), Side("c", BRIDGE_TEXTS["c"][0], "Monday", 24, 30),
)  # fmt: skip


def test_agreement_credits_every_independent_source_and_never_a_disputed_claim() -> None:
    claims = build_view(bridge_briefing()).events[0].agreed
    assert [c.sources for c in claims] == ["A Daily, B Daily and C Daily"]
    assert claims[0].text == "The bridge opened on Monday."  # the shortest wording
    # the day is disputed: the claim is under disputed facts, not also under agreement
    assert build_view(bridge_briefing(MONDAY)).events[0].agreed == ()


def test_a_value_missing_from_the_text_still_links_somewhere() -> None:
    lost = Discrepancy(
        "d-2", "e-1", "number", "conflict", 0.7, "different counts",
        Side("a", "A sentence the text does not hold: 12 lanes.", "12", 40, 42), MONDAY.b,
    )  # fmt: skip
    anchors = _Anchors(render_html(bridge_briefing(MONDAY, lost)))
    assert set(anchors.hrefs) <= set(anchors.ids)
    assert "v-d-2-a" not in anchors.ids and "v-d-2-b" in anchors.ids


def test_digest_has_the_counts_the_surest_facts_and_a_line_per_event(
    seed_outputs: Path, seed_briefing: Briefing
) -> None:
    digest = (seed_outputs / "briefing.md").read_text(encoding="utf-8")
    assert digest.startswith(f"# {seed_briefing.title}\n")
    assert f"**{len(seed_briefing.events)}** events" in digest
    assert "**2** likely or possible disagreements · **0** unlikely ones" in digest
    assert "1. **Year: 1928 vs 1828** (likely, 52%" in digest  # the surest first
    assert "2. **Date: November 24 vs Monday, November 25** (" in digest
    for n, event in enumerate(rank_events(seed_briefing), 1):
        assert f"\n{n}. {escape_markdown(event.title)} (" in digest
    assert digest.rstrip().endswith("briefing.html (and briefing.pdf, briefing.json).")


def test_digest_escapes_markup_from_articles(tmp_path: Path) -> None:
    from reporter.pipeline import BuildOptions, build_briefing

    title = "Council <img src=x onerror=alert(1)> votes | *twice* [here](javascript:x)"
    article_json(tmp_path, "a.json", title, BRIDGE)
    digest = render_digest(build_briefing(BuildOptions(sources=[str(tmp_path)]), warn=lambda _: None))
    assert not re.search(r"(?<!\\)<img", digest) and not re.search(r"(?<!\\)\]\(javascript", digest)
    assert r"Council \<img src=x onerror=alert(1)\> votes \| \*twice\* \[here\](javascript:x)" in digest


def test_md_is_a_default_format(seed_outputs: Path) -> None:
    assert "md" in FORMATS and parse_formats("md,html") == ("md", "html")
    assert sorted(p.name for p in seed_outputs.glob("briefing.*")) == [f"briefing.{f}" for f in sorted(FORMATS)]
