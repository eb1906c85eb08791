"""Tell when two spellings of a name are one name: places by their codes, initials, plurals."""

from __future__ import annotations

import functools

from .extract import CONNECTORS, fold_name

MAX_ACRONYM = 6  # letters of the longest word read as initials ("NATO", "UNICEF")


@functools.lru_cache(maxsize=1)
def _place_table() -> dict[str, frozenset[str]]:
    """Map the folded names, postal codes and AP abbreviations of US states, and the names and codes
    of countries, to the keys of the places they name ("calif" and "california" -> us:CA).

    From maintained data packages (`us`, `pycountry`) rather than a hand list; a short form may
    name two places ("ga": Georgia the state, Gabon), so a form maps to a set of keys.
    """
    import pycountry  # imported on first need: their tables load in a few tenths of a second
    import us

    table: dict[str, set[str]] = {}
    for state in [*us.states.STATES_AND_TERRITORIES, us.states.DC]:
        for form in (state.name, state.abbr, state.ap_abbr):
            if form:
                table.setdefault(fold_name(form), set()).add("us:" + state.abbr)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name", "alpha_3"):
            form = getattr(country, attr, None)
            if form:
                table.setdefault(fold_name(form), set()).add("iso:" + country.alpha_3)
    return {form: frozenset(keys) for form, keys in table.items()}


def place_keys(value: str) -> frozenset[str]:
    """Return the keys of the places a folded name names, if it is a state or a country."""
    return _place_table().get(value, frozenset())


@functools.lru_cache(maxsize=1 << 16)
def same_name(a: str, b: str) -> bool:
    """Tell whether two folded names are one: one place, or one name with words written as initials.

    "calif" / "california", "us" / "united states", "mvp award" / "most valuable player award",
    "ak 47s" / "ak 47", "ko" / "kos": a short form stands for the long one, so it is not a rival name.
    """
    if a == b or place_keys(a) & place_keys(b):
        return True
    wa, wb = _plain(a.split()), _plain(b.split())
    if wa == wb:
        return True
    short, long = sorted((wa, wb), key=len)
    if not short or len(short) >= len(long):  # a "name" of connectors alone ("the") abbreviates nothing
        return False
    if _initials_of(tuple(short), tuple(long)):
        return True
    # a name found after a leading word it dropped ("[Most] Valuable Player Award"): its
    # acronym's first letter stands for that word
    first = short[0]
    return 3 <= len(first) <= MAX_ACRONYM and _initials_of((first[1:], *short[1:]), tuple(long))


def _plain(words: list[str]) -> list[str]:
    """Drop connectors and the plural of a code or a short word ("47s" -> "47", "kos" -> "ko")."""
    out = []
    for w in words:
        if w in CONNECTORS:
            continue
        if w.endswith("s") and len(w) > 2 and (any(c.isdigit() for c in w) or len(w) <= 4):
            w = w[:-1]
        out.append(w)
    return out


def _initials_of(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Tell whether `short` is `long` with runs of two or more of its words written as their initials."""
    if not short:
        return not long
    if not long:
        return False
    word = short[0]
    if word == long[0] and _initials_of(short[1:], long[1:]):
        return True
    n = len(word)
    return (
        2 <= n <= MAX_ACRONYM
        and n <= len(long)
        and "".join(w[0] for w in long[:n]) == word
        and _initials_of(short[1:], long[n:])
    )
