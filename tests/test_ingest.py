"""Reading each input format, and skipping what cannot be read with a reason."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from reporter.errors import UsageError
from reporter.pipeline import BuildOptions, load_articles

BODY = (
    "The regional council approved the new bridge on Tuesday after a long debate. "
    "The bridge will be 1,200 metres long and cost 45 million euros."
)


def load(tmp_path: Path, *names: str) -> tuple[dict[str, object], dict[str, str]]:
    articles, skipped = load_articles(BuildOptions(sources=[str(tmp_path / n) for n in names] or [str(tmp_path)]),
                                      warn=lambda _: None)  # fmt: skip
    return {Path(a.path.split("#")[0]).name + ("#" + a.path.split("#")[1] if "#" in a.path else ""): a
            for a in articles}, {Path(s.path).name: s.reason for s in skipped}  # fmt: skip


def test_markdown_front_matter_and_body_text_without_markup(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: Bridge approved\noutlet: The Courier\ndate: 2024-03-05\nurl: https://example.org/b\n---\n"
        "# Heading\n\nThe *regional* council approved the [new bridge](https://example.org) on Tuesday.\n",
        encoding="utf-8",
    )
    arts, skipped = load(tmp_path)
    a = arts["a.md"]
    assert (a.title, a.outlet, a.published, a.url, a.role) == (  # type: ignore[attr-defined]
        "Bridge approved",
        "The Courier",
        date(2024, 3, 5),
        "https://example.org/b",
        "report",
    )
    assert "The regional council approved the new bridge on Tuesday." in a.text  # type: ignore[attr-defined]
    assert "*" not in a.text and "](" not in a.text  # type: ignore[attr-defined]
    assert not skipped


def test_markdown_role_reference(tmp_path: Path) -> None:
    (tmp_path / "ref.md").write_text("---\ntitle: Note\nrole: reference\n---\n" + BODY, encoding="utf-8")
    arts, _ = load(tmp_path)
    assert arts["ref.md"].role == "reference"  # type: ignore[attr-defined]


def test_html_page_main_text_and_metadata(tmp_path: Path) -> None:
    paras = "".join(f"<p>{BODY} Paragraph {i} adds detail about the council vote and the river.</p>" for i in range(5))
    (tmp_path / "page.html").write_text(
        "<html><head><title>Bridge approved | The Courier</title>"
        '<meta property="og:site_name" content="The Courier">'
        '<meta property="og:title" content="Bridge approved">'
        '<meta property="article:published_time" content="2024-03-05T09:00:00Z"></head><body>'
        '<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>'
        f"<article><h1>Bridge approved</h1>{paras}</article>"
        "<footer>Copyright 2024 The Courier. All rights reserved. Cookie settings.</footer></body></html>",
        encoding="utf-8",
    )
    arts, _ = load(tmp_path)
    a = arts["page.html"]
    assert a.title == "Bridge approved"  # type: ignore[attr-defined]
    assert a.outlet == "The Courier"  # type: ignore[attr-defined]
    assert a.published == date(2024, 3, 5)  # type: ignore[attr-defined]
    assert "1,200 metres" in a.text and "Copyright" not in a.text and "Sport" not in a.text  # type: ignore[attr-defined]


def test_json_and_jsonl_with_line_paths(tmp_path: Path) -> None:
    item = {"title": "Bridge", "outlet": "Wire", "published": "2024-03-05", "url": None, "text": BODY}
    (tmp_path / "one.json").write_text(json.dumps(item), encoding="utf-8")
    lines = [
        json.dumps({**item, "text": BODY + " First."}),
        "{not json",
        "",
        json.dumps({**item, "text": BODY + " Third."}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    arts, skipped = load(tmp_path)
    assert arts["one.json"].outlet == "Wire"  # type: ignore[attr-defined]
    assert {"feed.jsonl#1", "feed.jsonl#4"} <= set(arts)
    assert skipped["feed.jsonl#2"].startswith("malformed JSON")


def test_non_utf8_text_is_decoded_by_detection(tmp_path: Path) -> None:
    # English with accented names: French text would be skipped as not in English
    text = "The régional council of Besançon approved the bridge after a long débat on its coût élevé. " * 3
    (tmp_path / "latin.txt").write_bytes(("Headline of the day\n\n" + text).encode("cp1252"))
    arts, skipped = load(tmp_path)
    assert "régional council of Besançon" in arts["latin.txt"].text  # type: ignore[attr-defined]
    assert not skipped


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"  \n", "empty file"),
        ("binary.txt", b"\x00\x01\x02PNG\x00" * 50, "binary file, not text"),
        ("bad.md", b"---\ntitle: [unclosed\n---\nBody text here.", "malformed front matter"),
        ("open.md", b"---\ntitle: x\nBody text with no closing fence.", "malformed front matter: no closing '---'"),
        ("bad.json", b'{"title": "x", ', "malformed JSON"),
        ("notext.json", b'{"title": "x"}', "JSON article has no 'text'"),
        ("photo.png", b"\x89PNG", "not an article format (.png)"),
    ],
)
def test_unreadable_files_are_skipped_with_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    arts, skipped = load(tmp_path)
    assert "good.txt" in arts
    assert skipped[name].startswith(reason)


def test_exact_duplicate_keeps_the_path_that_sorts_first(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    arts, skipped = load(tmp_path)
    assert list(arts) == ["a.txt"]
    assert skipped["b.txt"].startswith("duplicate of") and skipped["b.txt"].endswith("a.txt")


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or folder"):
        load_articles(BuildOptions(sources=[str(tmp_path / "nope")]))


@pytest.mark.parametrize("given", ["seeds", "./seeds/", "seeds/../seeds"])
def test_paths_are_relative_posix_whatever_the_spelling(given: str) -> None:
    arts, _ = load_articles(BuildOptions(sources=[given]), warn=lambda _: None)
    assert "seeds/000_0e32130202fc79cc.txt" in {a.path for a in arts}


def test_unreadable_metadata_date_keeps_the_article_undated(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: Bridge\ndate: not a date\n---\n" + BODY, encoding="utf-8")
    warnings: list[str] = []
    articles, skipped = load_articles(BuildOptions(sources=[str(tmp_path)]), warn=warnings.append)
    assert [a.published for a in articles] == [None] and skipped == []
    assert warnings == [f"{tmp_path / 'a.md'}: unreadable date 'not a date'; read as undated"]


def test_control_share_counts_control_characters_but_layout_ones() -> None:
    from reporter.ingest import _control_share

    assert _control_share("") == 0.0
    assert _control_share("a\tb\nc\rd\fe") == 0.0  # tab, line feed, return, form feed lay text out
    assert _control_share("\x00\x08\x0b\x0e\x1f") == 1.0
    assert _control_share("ab\x01d") == 0.25
    assert _control_share(" \x7f") == 0.0  # DEL and above are not counted
