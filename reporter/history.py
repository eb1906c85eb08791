"""Compare a briefing with the last one: which flags are new, still open, or resolved; how events changed."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from .archive import PastBriefing
from .model import Article, Briefing, Changes, Discrepancy, GroupingChange, PastFlag


def lasting_path(article: Article) -> str:
    """Return the path that keys an article across runs: under its source root's name, not as spelled."""
    return article.root_path or article.path


def flag_key(kind: str, a: tuple[str, str], b: tuple[str, str]) -> str:
    """Key a flag by what it says, not by where: its kind and each side's file and value.

    A flag id changes when anything in either article changes (ids hash the text);
    this key stays while the two files still disagree on the same values, so a verdict
    or an "open since last week" outlives a fixed typo elsewhere in the article.
    """
    sides = sorted([a, b])
    text = "|".join([kind, *(f"{path}={value}" for path, value in sides)])
    return "k-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def key_of(d: Discrepancy, paths: dict[str, str]) -> str:
    """Return the lasting key of a flag; `paths` maps article ids to their lasting paths."""
    return flag_key(
        d.kind,
        (paths[d.a.article], d.a.normalized or d.a.value),
        (paths[d.b.article], d.b.normalized or d.b.value),
    )


def past_flags(briefing: Briefing) -> list[PastFlag]:
    """Return the briefing's flags as the archive keeps them (with each file's lasting path)."""
    paths = {a.id: lasting_path(a) for a in briefing.articles}
    titles = {e.id: e.title for e in briefing.events}
    return [
        PastFlag(
            id=d.id,
            key=key_of(d, paths),
            kind=d.kind,
            severity=d.severity,
            event=titles.get(d.event, d.event),
            a_path=paths[d.a.article],
            a_value=d.a.value,
            b_path=paths[d.b.article],
            b_value=d.b.value,
            note=d.note,
        )
        for d in briefing.discrepancies
    ]


def with_changes(briefing: Briefing, previous: PastBriefing | None, current: Sequence[PastFlag]) -> Briefing:
    """Return the briefing with its changes since `previous` (unchanged when there is none).

    `current` is past_flags(briefing): computed once by the caller, which also records it.

    A flag is new when the last briefing did not hold its key, and still open when it
    did. A flag of the last briefing is resolved when both its files are in this
    briefing and it is gone (a source was corrected, or now agrees); flags whose files
    left the briefing (last week's articles) are only counted.
    """
    if previous is None:
        return briefing
    keys = {f.key for f in current}
    was = {f.key for f in previous.flags}
    dismissed = {review.key for _, review in briefing.dismissed}
    paths = {lasting_path(a): a.id for a in briefing.articles}
    resolved: list[PastFlag] = []
    gone = 0
    for flag in previous.flags:
        if flag.key in keys or flag.key in dismissed:
            continue
        if flag.a_path in paths and flag.b_path in paths:
            resolved.append(flag)
        else:
            gone += 1
    reports = [a for a in briefing.articles if a.role == "report"]
    was_read = previous.articles
    corrected = tuple(sorted(lasting_path(a) for a in briefing.articles if was_read.get(lasting_path(a), a.id) != a.id))
    changes = Changes(
        previous=previous.generated,
        previous_window=previous.window,
        status={f.id: ("open" if f.key in was else "new") for f in current},
        resolved=tuple(sorted(resolved, key=lambda f: (f.event, f.kind, f.id))),
        gone=gone,
        articles_new=sum(1 for a in reports if lasting_path(a) not in was_read),
        corrected=corrected,
        grouping=grouping_changes(briefing, previous),
    )
    return replace(briefing, changes=changes)


def grouping_changes(briefing: Briefing, previous: PastBriefing) -> tuple[GroupingChange, ...]:
    """Return how the events of the articles both briefings hold changed: articles joined, events merged or split.

    An event's id changes with every member it gains, so events are matched by their
    members, each known by its lasting path (a corrected article is still the one it was):
    an event continues a last one that has more than half of its kept articles in it.
    Continuing two or more, it merged them; continuing one, any other article in it joined
    it (a new one, or one that left another event); a last event whose articles are now
    in several events split. An event all of whose articles are new changes no grouping.
    """
    if not previous.events:
        return ()  # the last briefing was recorded before the archive kept its events
    paths = {a.id: lasting_path(a) for a in briefing.articles}
    now = {paths[a]: e.id for e in briefing.events for a in e.articles}
    kept = {path: event for path, event in previous.events.items() if path in now}  # where each was
    size = Counter(kept.values())
    order = {e.id: n for n, e in enumerate(briefing.events)}

    def titles(events: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(previous.titles.get(e, e) for e in events))

    found: list[GroupingChange] = []
    for event in briefing.events:
        members = [paths[a] for a in event.articles]
        share = Counter(kept[p] for p in members if p in kept)
        continued = {was for was, n in share.items() if 2 * n > size[was]}
        others = sum(1 for p in members if kept.get(p) not in continued)
        if len(continued) > 1:
            found.append(GroupingChange("merged", (event.id,), titles(continued), others))
        elif continued and others:
            found.append(GroupingChange("joined", (event.id,), titles(continued), others))
    spread: dict[str, set[str]] = {}
    for path, was in kept.items():
        spread.setdefault(was, set()).add(now[path])
    for was, into in spread.items():
        if len(into) > 1:
            found.append(GroupingChange("split", tuple(sorted(into, key=order.__getitem__)), titles([was]), 0))
    return tuple(sorted(found, key=lambda g: (order[g.events[0]], g.kind, g.before)))


def new_conflicts(briefing: Briefing) -> Sequence[Discrepancy]:
    """Return the conflicts the last briefing did not hold (all of them when there was none)."""
    status = briefing.changes.status if briefing.changes else {}
    return [d for d in briefing.discrepancies if d.severity == "conflict" and status.get(d.id, "new") == "new"]
