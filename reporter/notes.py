"""Render Markdown safely: analyst notes split by event, and Markdown article bodies with marked values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from .model import Event

# Rendered Markdown sits inside an event or a source text, below the document's own h1-h3.
FIRST_HEADING_LEVEL = 4


@dataclass(frozen=True)
class Notes:
    """Analyst notes as HTML: the part for each event, and what matched no event."""

    general: Markup | None  # text before the first `##` heading, and sections that matched no event
    by_event: dict[str, Markup]  # event id -> HTML
    unmatched: tuple[str, ...]  # `##` headings that name no event


@dataclass(frozen=True)
class ValueMark:
    """A flagged value to mark in a Markdown body: which sentence, and where the mark links."""

    value: str
    sentence: str
    id: str
    href: str
    css: str


def markdown() -> MarkdownIt:
    """Return a CommonMark parser that keeps raw HTML as text and renders no images.

    An image would make the HTML briefing request its URL when opened, and WeasyPrint fetch it.
    """
    md = MarkdownIt("commonmark", {"html": False})
    md.disable("image")
    return md


def _demote(tokens: list[Token]) -> None:
    """Shift headings so a Markdown `#` becomes h4, keeping the document's outline intact."""
    for tok in tokens:
        if tok.type in ("heading_open", "heading_close"):
            level = min(int(tok.tag[1]) + FIRST_HEADING_LEVEL - 1, 6)
            tok.tag = f"h{level}"


def _render(md: MarkdownIt, tokens: list[Token]) -> Markup:
    _demote(tokens)
    # markdown-it escapes text and, with html off, any raw HTML in the source
    return Markup(md.renderer.render(tokens, md.options, {}))


def render_markdown(source: str) -> Markup:
    """Render Markdown to HTML: raw HTML escaped, no images, headings from h4 down."""
    md = markdown()
    return _render(md, md.parse(source))


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().strip("#").strip().casefold()


def split_notes(source: str, events: Sequence[Event]) -> Notes:
    """Split analyst notes at their `##` headings and give each event the section headed by its title or id."""
    md = markdown()
    tokens = md.parse(source)
    keys = {_key(e.title): e.id for e in events} | {_key(e.id): e.id for e in events}
    general: list[Token] = []
    sections: dict[str, list[Token]] = {}
    unmatched: list[str] = []
    current = general
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open" and tok.tag == "h2":
            heading = tokens[i + 1].content
            event_id = keys.get(_key(heading))
            if event_id is None:
                unmatched.append(heading)
                current = general
            else:
                current = sections.setdefault(event_id, [])
                i += 3  # the heading itself is the event's title: drop it
                continue
        current.append(tok)
        i += 1
    return Notes(
        general=_render(md, general) if general else None,
        by_event={event_id: _render(md, toks) for event_id, toks in sections.items()},
        unmatched=tuple(unmatched),
    )


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


def render_marked(source: str, marks: Sequence[ValueMark]) -> Markup | None:
    """Render a Markdown body with each flagged value wrapped in a link; None if a value cannot be placed."""
    md = markdown()
    tokens = md.parse(source)
    blocks = [t for t in tokens if t.type == "inline" and t.children]
    for mark in marks:
        wanted = _squash(mark.sentence)[:60]
        if not any(_place(block, mark) for block in blocks if wanted and wanted in _squash(block.content)):
            return None
    return _render(md, tokens)


def _place(block: Token, mark: ValueMark) -> bool:
    """Split the first text token holding the value into text, an opening link, the value, a closing link."""
    children = block.children or []
    for k, child in enumerate(children):
        if child.type != "text" or mark.value not in child.content:
            continue
        before, _, after = child.content.partition(mark.value)
        opening = Token("html_inline", "", 0)
        opening.content = str(Markup('<a class="{}" id="{}" href="{}"><mark>').format(mark.css, mark.id, mark.href))
        closing = Token("html_inline", "", 0)
        closing.content = "</mark></a>"
        pieces = []
        for text in (before, mark.value, after):
            piece = Token("text", "", 0)
            piece.content = text
            pieces.append(piece)
        # html_inline content is emitted verbatim, so the value text goes through the text renderer
        children[k : k + 1] = [pieces[0], opening, pieces[1], closing, pieces[2]]
        return True
    return False
