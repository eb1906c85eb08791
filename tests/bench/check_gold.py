#!/usr/bin/env python3
"""Consistency check for a labelled benchmark corpus (tests/bench/quality, tests/bench/heldout).

Verifies, for every entry of gold.json, that the article exists, that
``value`` occurs in ``sentence`` and that ``sentence`` occurs in the
article's text (after collapsing whitespace; Markdown markup is stripped
for .md, tags for .html, the ``text`` field is read for .json/.jsonl).
Also checks that every report article belongs to exactly one event,
that reference notes belong to none, the per-format structure, word
counts and the minimum counts promised in README.md.

Usage:  python tests/bench/check_gold.py CORPUS_DIR   (exit status 0 when everything passes)
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

# the corpus folder (holding articles/ and gold.json) is the one argument
ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/bench/quality").resolve()
ARTICLES = ROOT / "articles"

MIN_REPORTS = 26
MIN_EVENTS = 8
MIN_REFERENCES = 3
MIN_PER_FORMAT = 4
MIN_PER_DISCREPANCY_TYPE = 8
MIN_NON_DISCREPANCIES = 20
MIN_VARIANTS = 10
DISCREPANCY_TYPES = ("number", "year", "date", "name", "quote", "reference")
WORDS_MIN, WORDS_MAX = 150, 600

errors: list[str] = []


def err(msg: str) -> None:
    errors.append(msg)


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ----------------------------------------------------------------- readers
def split_front_matter(raw: str) -> tuple[dict, str]:
    meta: dict = {}
    if not raw.startswith("---"):
        return meta, raw
    end = raw.find("\n---", 3)
    if end < 0:
        return meta, raw
    for line in raw[3:end].strip().splitlines():
        if ":" in line:
            key, val = line.split(":", 1)
            meta[key.strip()] = val.strip().strip('"').strip("'")
    body = raw[end + 4 :]
    return meta, body


def strip_markdown(body: str) -> str:
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", body)  # images
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links
    text = re.sub(r"^\s{0,3}#{1,6}\s*", "", text, flags=re.M)  # headings
    text = re.sub(r"^\s{0,3}>\s?", "", text, flags=re.M)  # quotes
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text, flags=re.S)  # strong
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text, flags=re.S)
    text = re.sub(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)", r"\1", text, flags=re.S)
    text = text.replace("`", "")
    return text


class _HTMLText(HTMLParser):
    SKIP = frozenset({"script", "style", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.tags: Counter = Counter()
        self.meta: dict = {}
        self.in_article = 0
        self.article_p = 0
        self.article_parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        a = dict(attrs)
        if tag == "meta" and a.get("property"):
            self.meta[a["property"]] = a.get("content", "")
        if tag in self.SKIP:
            self.skip += 1
        if tag == "article":
            self.in_article += 1
        if tag == "p" and self.in_article:
            self.article_p += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        if tag == "article" and self.in_article:
            self.in_article -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)
            if self.in_article:
                self.article_parts.append(data)


def parse_html(raw: str) -> _HTMLText:
    p = _HTMLText()
    p.feed(raw)
    p.close()
    return p


def load_article(ref: str) -> tuple[str, str, dict]:
    """Return (plain text, body text for word counts, metadata) for an article reference."""
    path_part, _, line_no = ref.partition("#")
    path = ROOT / path_part
    if not path.is_file():
        raise FileNotFoundError(ref)
    raw = path.read_text(encoding="utf-8")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        if not line_no:
            raise ValueError(f"{ref}: a .jsonl article needs #N (1-based line number)")
        lines = list(raw.splitlines())
        n = int(line_no)
        if not 1 <= n <= len(lines) or not lines[n - 1].strip():
            raise ValueError(f"{ref}: no article on line {n}")
        obj = json.loads(lines[n - 1])
        return obj["text"], obj["text"], obj
    if suffix == ".json":
        obj = json.loads(raw)
        return obj["text"], obj["text"], obj
    if suffix == ".md":
        meta, body = split_front_matter(raw)
        text = strip_markdown(body)
        return text, text, meta
    if suffix in (".html", ".htm"):
        p = parse_html(raw)
        return html.unescape("".join(p.parts)), " ".join(p.article_parts), {"_parser": p}
    return raw, raw, {}


# ----------------------------------------------------------------- inventory
def inventory() -> tuple[list[str], list[str]]:
    reports, references = [], []
    for path in sorted(ARTICLES.iterdir()):
        rel = path.relative_to(ROOT).as_posix()
        if path.suffix == ".jsonl":
            lines = path.read_text(encoding="utf-8").splitlines()
            for i, line in enumerate(lines, 1):
                if line.strip():
                    reports.append(f"{rel}#{i}")
            continue
        if path.suffix == ".md":
            meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
            if meta.get("role") == "reference":
                references.append(rel)
                continue
        reports.append(rel)
    return reports, references


def fmt_of(ref: str) -> str:
    suffix = Path(ref.partition("#")[0]).suffix.lstrip(".")
    return "json" if suffix == "jsonl" else suffix


# ----------------------------------------------------------------- checks
def check_structure(reports: list[str], references: list[str]) -> None:
    for ref in reports + references:
        path = ROOT / ref.partition("#")[0]
        raw = path.read_text(encoding="utf-8")
        suffix = path.suffix
        if suffix == ".md":
            meta, _ = split_front_matter(raw)
            # a reference note needs only its title; a report, where and when it ran
            for key in ("title",) if ref in references else ("title", "outlet", "date", "url"):
                if key not in meta:
                    err(f"{ref}: front matter lacks {key!r}")
            if "date" in meta and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(meta["date"])):
                err(f"{ref}: date is not YYYY-MM-DD")
        elif suffix == ".html":
            p = parse_html(raw)
            for prop in ("og:site_name", "article:published_time"):
                if prop not in p.meta:
                    err(f"{ref}: missing <meta property={prop!r}>")
            for tag in ("title", "nav", "header", "article", "h1", "aside", "footer"):
                if not p.tags[tag]:
                    err(f"{ref}: missing <{tag}>")
            if p.article_p < 5:
                err(f"{ref}: <article> has only {p.article_p} <p>")
            low = raw.lower()
            if "cookie" not in low or ("©" not in raw and "&copy;" not in low):
                err(f"{ref}: footer lacks copyright/cookie text")
        elif suffix in (".json", ".jsonl"):
            objs = (
                [json.loads(raw)]
                if suffix == ".json"
                else [json.loads(line) for line in raw.splitlines() if line.strip()]
            )
            for obj in objs:
                missing = {"title", "outlet", "published", "url", "text"} - set(obj)
                if missing:
                    err(f"{ref}: json object lacks {sorted(missing)}")
    for ref in references:
        meta, _ = split_front_matter((ROOT / ref).read_text(encoding="utf-8"))
        if meta.get("role") != "reference" or not meta.get("title"):
            err(f"{ref}: reference note needs role: reference and a title")


def check_words(reports: list[str]) -> dict:
    counts = {}
    for ref in reports:
        _, body, _ = load_article(ref)
        n = len(re.findall(r"[A-Za-zÀ-ÿ0-9][\w'’.,:-]*", body))
        counts[ref] = n
        if not WORDS_MIN <= n <= WORDS_MAX:
            err(f"{ref}: {n} words, outside {WORDS_MIN}-{WORDS_MAX}")
    return counts


def check_entry(kind: str, i: int, entry: dict, event_of: dict, references: list[str]) -> None:
    label = f"{kind}[{i}]"
    etype = entry.get("type")
    if kind == "variants" and etype != "name":
        err(f"{label}: variants must have type 'name'")
    if etype not in DISCREPANCY_TYPES:
        err(f"{label}: unknown type {etype!r}")
    for side in ("a", "b"):
        s = entry.get(side)
        if not isinstance(s, dict) or not {"article", "value", "sentence"} <= set(s):
            err(f"{label}.{side}: needs article, value, sentence")
            continue
        try:
            text, _, _ = load_article(s["article"])
        except Exception as exc:
            err(f"{label}.{side}: cannot read {s['article']}: {exc}")
            continue
        value, sentence = collapse(s["value"]), collapse(s["sentence"])
        if not value or value not in sentence:
            err(f"{label}.{side}: value {value!r} not in sentence {sentence!r}")
        if sentence not in collapse(text):
            err(f"{label}.{side}: sentence not found in {s['article']}: {sentence!r}")
    a, b = entry.get("a", {}), entry.get("b", {})
    art_a, art_b = a.get("article"), b.get("article")
    if art_a == art_b:
        err(f"{label}: a and b are the same article")
    if etype == "reference" or (kind == "non_discrepancies" and art_b in references):
        # a reference check, flagged or (as a non-discrepancy) agreeing
        if art_b not in references:
            err(f"{label}: b of a reference entry must be a reference note")
        if art_a not in event_of:
            err(f"{label}: a of a reference entry must be a report")
    else:
        if art_a not in event_of or art_b not in event_of:
            err(f"{label}: both articles must be reports in an event")
        elif event_of[art_a] != event_of[art_b]:
            err(f"{label}: {art_a} and {art_b} are in different events")


def main() -> int:
    gold = json.loads((ROOT / "gold.json").read_text(encoding="utf-8"))
    reports, references = inventory()

    # events
    event_of: dict = {}
    seen = Counter()
    for ev in gold["events"]:
        if not {"id", "title", "articles"} <= set(ev):
            err(f"event {ev!r} lacks id/title/articles")
        if not 2 <= len(ev["articles"]) <= 4:
            err(f"event {ev['id']}: {len(ev['articles'])} articles (want 2-4)")
        for art in ev["articles"]:
            seen[art] += 1
            event_of[art] = ev["id"]
    for art in reports:
        if seen[art] != 1:
            err(f"report {art} is in {seen[art]} events (want exactly 1)")
    for art in seen:
        if art not in reports:
            err(f"event member {art} is not a report article (missing or a reference note)")

    check_structure(reports, references)
    words = check_words(reports)

    for kind in ("discrepancies", "non_discrepancies", "variants"):
        for i, entry in enumerate(gold[kind]):
            check_entry(kind, i, entry, event_of, references)

    # minimum counts
    formats = Counter(fmt_of(r) for r in reports)
    jsonl_files = Counter(r.partition("#")[0] for r in reports if "#" in r)
    by_type = Counter(d["type"] for d in gold["discrepancies"])
    if len(reports) < MIN_REPORTS:
        err(f"only {len(reports)} report articles (min {MIN_REPORTS})")
    if len(gold["events"]) < MIN_EVENTS:
        err(f"only {len(gold['events'])} events (min {MIN_EVENTS})")
    if len(references) < MIN_REFERENCES:
        err(f"only {len(references)} reference notes (min {MIN_REFERENCES})")
    for f in ("txt", "md", "html", "json"):
        if formats[f] < MIN_PER_FORMAT:
            err(f"only {formats[f]} .{f} reports (min {MIN_PER_FORMAT})")
    if not any(n >= 2 for n in jsonl_files.values()):
        err("no .jsonl file with 2+ articles")
    for t in DISCREPANCY_TYPES:
        if by_type[t] < MIN_PER_DISCREPANCY_TYPE:
            err(f"only {by_type[t]} {t} discrepancies (min {MIN_PER_DISCREPANCY_TYPE})")
    if len(gold["non_discrepancies"]) < MIN_NON_DISCREPANCIES:
        err(f"only {len(gold['non_discrepancies'])} non-discrepancies")
    if len(gold["variants"]) < MIN_VARIANTS:
        err(f"only {len(gold['variants'])} variants")

    print(f"reports: {len(reports)}  references: {len(references)}  events: {len(gold['events'])}")
    print(
        "reports per format: "
        + ", ".join(f"{k}={formats[k]}" for k in ("txt", "md", "html", "json"))
        + f" (of which jsonl: {sum(jsonl_files.values())})"
    )
    print(
        "discrepancies: "
        + ", ".join(f"{t}={by_type[t]}" for t in DISCREPANCY_TYPES)
        + f" (total {len(gold['discrepancies'])})"
    )
    print(f"non_discrepancies: {len(gold['non_discrepancies'])}  variants: {len(gold['variants'])}")
    print(f"words per report: min {min(words.values())}, max {max(words.values())}")
    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  - " + e)
        return 1
    print("\nOK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
