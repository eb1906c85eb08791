"""Fuzz reading and cleaning: whatever a file holds, it is read or skipped with a reason, never a crash."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporter.pipeline import BuildOptions, load_articles

NAMES = ["a.txt", "a.md", "a.json", "a.jsonl", "a.html"]
KEYS = ["text", "title", "outlet", "published", "date", "url", "role"]

# what breaks parsers: deep nesting, lone surrogates (valid in JSON escapes), huge numbers, impossible dates
nasty = st.one_of(
    st.integers(1, 3000).map(lambda n: "[" * n),
    st.integers(1, 3000).map(lambda n: "{a: " * n),
    st.sampled_from(["\ud800", "\\ud800", "9" * 5000, "2024-02-30", "0000-00-00", "!!python/object:x", "&a [*a]"]),
)
words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80)
prose = st.lists(
    st.one_of(words, nasty, st.sampled_from(["The council said on Monday.", "\n\n", "---", "date 2024-02-30", "By X"])),
    max_size=12,
).map(" ".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), words, prose)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words, inner, max_size=3)
)
articles = st.dictionaries(st.sampled_from(KEYS) | words, json_values, max_size=8)


def _front_matter(meta: dict[str, Any], body: str, closed: bool) -> str:
    lines = "\n".join(f"{k}: {v}" for k, v in meta.items())
    return f"---\n{lines}\n{'---' if closed else ''}\n{body}"


texts = st.one_of(
    prose,
    st.builds(_front_matter, articles, prose, st.booleans()),
    st.builds(json.dumps, articles),
    st.builds(json.dumps, json_values),
    st.integers(4000, 6000).map(lambda n: '{"text": "The council met.", "n": ' + "9" * n + "}"),
    st.builds(lambda n, a: "[" * n + json.dumps(a) + "]" * n, st.integers(0, 3000), articles),
    st.lists(st.builds(json.dumps, articles) | words, max_size=4).map("\n".join),
    st.builds(lambda t, b: f"<html><head><title>{t}</title></head><body><p>{b}</p></body></html>", words, prose),
)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1"])
contents = st.one_of(
    st.binary(max_size=3000),
    st.builds(
        lambda t, enc: t.encode(enc, errors="surrogatepass" if enc.startswith("utf-8") else "replace"), texts, encodings
    ),
    st.builds(lambda t, junk: t.encode("utf-8", errors="surrogatepass") + junk, texts, st.binary(max_size=20)),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(NAMES), content=contents)
def test_any_file_is_read_or_skipped_with_a_reason(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_bytes(content)
        warnings: list[str] = []
        read, skipped = load_articles(BuildOptions(sources=[folder]), warn=warnings.append)
    assert read or skipped
    assert all("\n" not in line for line in warnings)  # each warning is one line
    assert all(a.text.strip() for a in read)
