"""Strip boilerplate from an article's text, recovering title and date on the way.

The patterns describe kinds of boilerplate (embeds, captions, credits, tag lines,
interface words, bylines), never the strings of particular articles.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import date

from .errors import ArticleError
from .extract import details, is_stamp
from .ingest import parse_date_value
from .model import Article, RawArticle, Removed
from .text import LETTER_WORD, MONTH_PATTERN

DATE_IN_LINE = re.compile(
    rf"\b(?:{MONTH_PATTERN}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{MONTH_PATTERN}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b"
)
_DATE_TOKEN = re.compile(r"\A\s*date[:\s]\s*(\d{4}-\d{2}-\d{2})\s*", re.I)
_BYLINE = re.compile(r"^(?:by|written by|posted by|reporting by)\s+\S.{0,80}$", re.I)
# "VAROS, May 28 (Meridian) - ..." or "TEHRAN (Reuters) — ...": place, date, agency
_DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z .'’-]{{1,40}}),?\s*"
    rf"(?P<date>{MONTH_PATTERN}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{MONTH_PATTERN}(?:\s+\d{{4}})?)?"
    r"\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s+(?=[A-Z\"“‘'])"
)
_OUTLET_LINE = re.compile(r"^[/|•·]\s*(\S.{0,60})$")
_EMBED = re.compile(r"pic\.twitter\.com/\w+|\(@\w{1,30}\)\s+" + MONTH_PATTERN + r"\s+\d{1,2},\s+\d{4}")
_CREDIT = re.compile(
    r"^(?:image|images|photo|photos|picture|pictures|credit|credits|photograph|video|"
    r"illustration|graphic|source|file photo)\s*(?:credit)?\s*[:/|]",
    re.I,
)
_INPUTS = re.compile(
    r"^\(?\s*(?:with (?:inputs|additional reporting|agency inputs) from|additional reporting by|"
    r"reporting by|edited by|writing by)\b.{0,80}\)?\.?$",
    re.I,
)
_INTERFACE = re.compile(
    r"^(?:you may also like|you might also like|related(?: articles| stories| posts| news| coverage)?|"
    r"read more|read also|see also|more from .{1,40}|leave a (?:comment|reply)|comments?|"
    r"\d+ comments?|share(?: this(?: article| story| post)?)?(?: on .{1,20})?|advertisement|"
    r"sponsored(?: content)?|subscribe.{0,60}|sign up.{0,60}|follow us.{0,60}|click here.{0,60}|"
    r"tags?|topics?|(?:tags?|topics?|keywords?)\s*:.{0,200}|newsletter|print|email|"
    r"skip to (?:main )?content|back to top|loading\.*|menu|close|dismiss|accept(?: all)?(?: cookies)?)"
    r"\s*[:.!]?$",
    re.I,
)
_TERMINAL = re.compile(r"[.!?…]['\"”’)\]]*$")


def article_id(raw: RawArticle) -> str:
    """Derive a stable id from an article's content (never from run order)."""
    digest = hashlib.sha1(raw.text.strip().encode("utf-8")).hexdigest()
    return f"a-{digest[:10]}"


def clean(raw: RawArticle) -> Article:
    """Return the cleaned Article for a RawArticle; raise ArticleError if no text is left."""
    text, published, token_removed = _take_date_token(raw.text)
    paragraphs = _paragraphs(text)
    removed: list[Removed] = list(token_removed)
    outlet = raw.outlet
    kept: list[str] = []
    head_zone = 4  # bylines and datelines stand in the first few lines
    previous_removed_tags = False
    for i, para in enumerate(paragraphs):
        reason = _boilerplate_reason(para, i < head_zone, previous_removed_tags)
        if reason is None and kept and para == kept[-1]:
            reason = "repeated line"
        if reason is None:
            kept.append(para)
            previous_removed_tags = False
            continue
        previous_removed_tags = reason == "keyword/tag line"
        removed.append(Removed(para, reason))
        if reason == "byline" and published is None:
            published = _date_in(para)
        if reason == "site name line" and outlet is None:
            match = _OUTLET_LINE.match(para)
            outlet = match.group(1).strip() if match else None
    kept, trailing = _strip_trailing_interface(kept)
    filed: tuple[int, int] | None = None
    title = raw.title
    if raw.format == "txt":
        # "Last Updated: Monday, 28 November 2005, 02:24 GMT" above the headline is a stamp, not the title
        at = 1 if len(kept) > 2 and is_stamp(kept[0]) else 0
        if title is None and len(kept) > at + 1 and _looks_like_title(kept[at]):
            title = kept.pop(at)
            removed.append(Removed(title, "title"))
        if title is not None:
            # a repeated headline appears again, possibly not adjacent to the first
            while kept and kept[0] == title:
                removed.append(Removed(kept.pop(0), "repeated line"))
    if kept and (dateline := _DATELINE.match(kept[0])):
        # the dateline says where and when the story was filed; the sentence follows it
        removed.append(Removed(dateline.group(0).strip(), "dateline"))
        kept[0] = kept[0][dateline.end() :]
        if published is None and dateline.group("date"):
            published = _date_in(dateline.group("date"))
            filed = None if published else _month_day(dateline.group("date"))
    removed.extend(Removed(t, "interface words") for t in trailing)
    if published is None:
        published = raw.published
    body = "\n\n".join(kept).strip()
    if not body:
        raise ArticleError("no article text left after removing boilerplate")
    cleaned = replace(raw, text=body)
    return Article(
        id=article_id(raw),
        path=raw.path,
        format=raw.format,
        title=title,
        outlet=outlet,
        published=published,
        url=raw.url,
        role=raw.role,
        text=cleaned.text,
        removed=tuple(removed),
        markdown=raw.markdown,
        filed=filed if published is None else None,
    )


def _take_date_token(text: str) -> tuple[str, date | None, list[Removed]]:
    match = _DATE_TOKEN.match(text)
    if not match:
        return text, None, []
    try:
        published = parse_date_value(match.group(1))
    except ArticleError:
        return text, None, []
    return text[match.end() :], published, [Removed(match.group(0).strip(), "date token")]


def _paragraphs(text: str) -> list[str]:
    """Split into paragraphs: blank-line separated blocks, or lines when there are none."""
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    out: list[str] = []
    for block in blocks:
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        # a short line inside a block stands alone (headline, byline, site name, tag
        # line); a block of long lines is one paragraph wrapped by hand
        if len(lines) > 1 and any(len(ln) < 60 for ln in lines[:-1]):
            out.extend(lines)
        else:
            out.append(" ".join(lines))
    return [re.sub(r"[ \t]+", " ", p) for p in out]


def _boilerplate_reason(para: str, in_head: bool, after_tags: bool) -> str | None:
    words = LETTER_WORD.findall(para)
    if _EMBED.search(para):
        return "social media embed"
    if _CREDIT.match(para) and len(words) <= 25:
        return "photo credit"
    if _INPUTS.match(para):
        return "agency credit"
    if _INTERFACE.match(para):
        return "interface words"
    if in_head and _BYLINE.match(para):
        return "byline"
    if in_head and _OUTLET_LINE.match(para):
        return "site name line"
    if _is_tag_line(para):
        return "keyword/tag line"
    if _is_caption(para, after_tags):
        return "photo caption"
    return None


def _is_tag_line(para: str) -> bool:
    """Tell a keyword line: several short lower-case comma-separated items, no sentence."""
    items = [i.strip() for i in para.split(",")]
    if len(items) < 3 or _TERMINAL.search(para):
        return False
    return all(0 < len(i.split()) <= 3 and i == i.lower() for i in items)


def _is_caption(para: str, after_tags: bool) -> bool:
    """Tell a photo caption: sentences ending in a bare credit, no closing punctuation."""
    if _TERMINAL.search(para):
        return False
    tail = re.split(r"(?<=[.!?])\s+", para)[-1]
    tail_words = tail.split()
    credit_like = 0 < len(tail_words) <= 6 and all(w[:1].isupper() for w in tail_words)
    return credit_like and (after_tags or para.count(". ") >= 1)


def _strip_trailing_interface(kept: list[str]) -> tuple[list[str], list[str]]:
    """Drop stray interface words (short unpunctuated lines) at the end of the text."""
    trailing: list[str] = []
    while kept and len(kept[-1].split()) <= 3 and not _TERMINAL.search(kept[-1]):
        trailing.insert(0, kept.pop())
    return kept, trailing


def _looks_like_title(line: str) -> bool:
    """Tell a headline: one short line, not a full sentence ending with a period."""
    words = line.split()
    if not 3 <= len(words) <= 20 or len(line) > 160:
        return False
    return line[:1].isupper() and not line.endswith((".", ",", ";", ":"))


def _month_day(text: str) -> tuple[int, int] | None:
    """Return (month, day) of a date written without a year ("Oct 15", "15 October"), or None."""
    for d in details(text):
        if d.kind == "date" and d.value.startswith("--"):
            month, day = d.value[2:].split("-")
            return int(month), int(day)
    return None


def _date_in(line: str) -> date | None:
    match = DATE_IN_LINE.search(line)
    if not match:
        return None
    try:
        return parse_date_value(match.group(0))
    except ArticleError:
        return None
