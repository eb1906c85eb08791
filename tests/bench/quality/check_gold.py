"""Consistency check for the labelled quality corpus.

For every entry in gold.json it verifies that the article exists, that
`value` occurs in `sentence`, and that `sentence` occurs in the article's
text (whitespace collapsed; Markdown markup and HTML tags removed; JSON
`text` fields read). It also checks event membership and minimum counts.

Run:  python tests/bench/quality/check_gold.py
Exit status is 0 when everything passes.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"

MIN_CONFLICTS_PER_KIND = 8
MIN_NON_DISCREPANCIES = 20
MIN_VARIANTS = 10
KINDS = ("number", "year", "date", "name", "quote", "reference")


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def split_front_matter(raw: str) -> tuple[dict[str, str], str]:
    meta: dict[str, str] = {}
    m = re.match(r"\A\s*---\s*\n(.*?)\n---\s*\n(.*)\Z", raw, re.S)
    if not m:
        return meta, raw
    for line in m.group(1).splitlines():
        if ":" in line:
            key, val = line.split(":", 1)
            meta[key.strip()] = val.strip().strip('"').strip("'")
    return meta, m.group(2)


def md_to_text(body: str) -> str:
    body = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", body)  # images
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)  # links
    body = re.sub(r"^\s{0,3}#{1,6}\s*", "", body, flags=re.M)  # headings
    body = re.sub(r"^\s*[-+]\s+", "", body, flags=re.M)  # bullets
    body = body.replace("*", "").replace("_", "").replace("`", "")
    return body


def html_to_text(raw: str) -> str:
    m = re.search(r"<article\b.*?</article>", raw, re.S | re.I)
    part = m.group(0) if m else raw
    part = re.sub(r"<(script|style)\b.*?</\1>", " ", part, flags=re.S | re.I)
    part = re.sub(r"<[^>]+>", " ", part)
    return html.unescape(part)


def article_text(ref: str) -> str:
    """Plain text of an article given its gold path (articles/x.ext or articles/x.jsonl#N)."""
    path_part, _, line_no = ref.partition("#")
    path = HERE / path_part
    if not path.is_file():
        raise FileNotFoundError(ref)
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        lines = [ln for ln in raw.splitlines() if ln.strip()]
        n = int(line_no)
        if not 1 <= n <= len(lines):
            raise FileNotFoundError(ref)
        text = json.loads(lines[n - 1])["text"]
    elif path.suffix == ".json":
        text = json.loads(raw)["text"]
    elif path.suffix == ".md":
        text = md_to_text(split_front_matter(raw)[1])
    elif path.suffix in (".html", ".htm"):
        text = html_to_text(raw)
    else:
        text = raw
    return collapse(text)


def is_reference(ref: str) -> bool:
    path = HERE / ref.partition("#")[0]
    if path.suffix != ".md":
        return False
    meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
    return meta.get("role") == "reference"


def main() -> int:
    gold = json.loads((HERE / "gold.json").read_text(encoding="utf-8"))
    errors: list[str] = []

    # events
    event_of: dict[str, str] = {}
    for ev in gold["events"]:
        for art in ev["articles"]:
            if art in event_of:
                errors.append(f"{art} is in two events ({event_of[art]}, {ev['id']})")
            event_of[art] = ev["id"]
            try:
                article_text(art)
            except FileNotFoundError:
                errors.append(f"event {ev['id']}: missing article {art}")
            if is_reference(art):
                errors.append(f"event {ev['id']}: reference note {art} listed as an event article")

    # every non-reference article on disk belongs to an event
    on_disk: list[str] = []
    for p in sorted(ARTICLES.iterdir()):
        rel = f"articles/{p.name}"
        if p.suffix == ".jsonl":
            n = sum(1 for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip())
            on_disk += [f"{rel}#{i}" for i in range(1, n + 1)]
        else:
            on_disk.append(rel)
    refs = [a for a in on_disk if is_reference(a)]
    for a in on_disk:
        if a not in refs and a not in event_of:
            errors.append(f"{a} is not assigned to any event")

    checked = 0
    for section in ("discrepancies", "non_discrepancies", "variants"):
        for i, entry in enumerate(gold[section]):
            label = f"{section}[{i}] ({entry['type']})"
            for key in ("a", "b"):
                s = entry[key]
                try:
                    text = article_text(s["article"])
                except FileNotFoundError:
                    errors.append(f"{label}.{key}: article not found: {s['article']}")
                    continue
                value, sentence = s["value"], collapse(s["sentence"])
                if value not in sentence:
                    errors.append(f"{label}.{key}: value {value!r} not in sentence {sentence!r}")
                if sentence not in text:
                    errors.append(f"{label}.{key}: sentence not found in {s['article']}: {sentence!r}")
                checked += 1
            a, b = entry["a"]["article"], entry["b"]["article"]
            if entry["type"] == "reference":
                if not is_reference(b):
                    errors.append(f"{label}: b is not a reference note: {b}")
                if a not in event_of:
                    errors.append(f"{label}: a is not an event article: {a}")
            elif not is_reference(b) and (event_of.get(a) is None or event_of.get(a) != event_of.get(b)):
                errors.append(f"{label}: a and b are not in the same event ({a}, {b})")

    counts = Counter(d["type"] for d in gold["discrepancies"])
    for kind in KINDS:
        if counts[kind] < MIN_CONFLICTS_PER_KIND:
            errors.append(f"only {counts[kind]} '{kind}' discrepancies (need {MIN_CONFLICTS_PER_KIND})")
    if len(gold["non_discrepancies"]) < MIN_NON_DISCREPANCIES:
        errors.append(f"only {len(gold['non_discrepancies'])} non-discrepancies")
    if len(gold["variants"]) < MIN_VARIANTS:
        errors.append(f"only {len(gold['variants'])} variants")

    formats = Counter((HERE / a.partition("#")[0]).suffix for a in event_of)
    print(f"events: {len(gold['events'])}, event articles: {len(event_of)}, reference notes: {len(refs)}")
    print("event articles by format: " + ", ".join(f"{k} {v}" for k, v in sorted(formats.items())))
    print("discrepancies: " + ", ".join(f"{k} {counts[k]}" for k in KINDS) + f" (total {sum(counts.values())})")
    print(f"non_discrepancies: {len(gold['non_discrepancies'])}, variants: {len(gold['variants'])}")
    print(f"sides checked: {checked}")
    if errors:
        print(f"FAILED with {len(errors)} problem(s):")
        for e in errors:
            print("  - " + e)
        return 1
    print("OK: all gold entries verified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
