"""The words the stages read by: word patterns, stop words, the calendar, name folding, spelling keys.

One module for what every stage needs to know about English text, so that "a word", "a
month" or "one name spelled two ways" mean the same thing in cleaning, extraction,
grouping, alignment and comparison. It imports nothing from the other stages.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# --- words ----------------------------------------------------------------------------

WORD = re.compile(r"[\w’'-]+")  # a word with its inner apostrophes and hyphens ("Azerbaijan's", "four-day")
LETTER_WORD = re.compile(r"[^\W\d_][\w'’-]*")  # a word that starts with a letter (prose, not figures)
LETTERS = re.compile(r"[^\W\d_]+")  # a run of letters
# a word or a mark: quotes and brackets around a word are not part of it
TOKEN = re.compile(r"\w(?:[\w’'-]*\w)?|[^\w\s]")
# a word that may hold dots ("U.S.", "St.") but neither starts nor ends with a mark
DOTTED_WORD = re.compile(r"[^\W_](?:[\w’'.-]*[^\W_])?")
POSSESSIVE = re.compile(r"[’']s$")

# words that say nothing of what a sentence claims
STOP_WORDS = frozenset(
    """a an the and or but of in on at to for by with from as
    is are was were be been being has have had it its this that these those
    there their they he she his her we our you your i said says will would
    could should may might also not no into over after before than then which who whom
    what when where while about against between during since until up out""".split()
)

# prepositions that put a name in an adverbial ("on Cathedral Square", "in Alabama"), not as a subject
PLACE_PREPOSITIONS = frozenset(
    """in on at from to near into onto across along outside inside of over through
    toward towards around within off""".split()
)

# --- the calendar ---------------------------------------------------------------------

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
MONTHS = {name[:3]: number for number, name in enumerate(MONTH_NAMES, 1)}  # "jan" -> 1
# a month as printed: "Jan", "Jan.", "January", "Sept."
MONTH_PATTERN = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WEEKDAY_PATTERN = "(?:" + "|".join(w.capitalize() for w in WEEKDAYS) + ")"
CALENDAR_WORDS = frozenset(WEEKDAYS) | frozenset(MONTH_NAMES) | frozenset(MONTHS) | {"sept"}
CLOCK_WORDS = frozenset({"am", "pm", "a.m", "p.m", "gmt", "utc", "et", "pt", "edt", "est", "pdt", "pst", "bst", "cet"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr"})

# --- verbs ----------------------------------------------------------------------------

# verbs that carry no act of their own: auxiliaries and reporting verbs ("was founded", "said in 2005")
LIGHT_VERBS = frozenset({"be", "have", "do", "say", "tell", "accord", "add"})


# verbs that put a value out of what happened: what someone needs, wants, asks or expects
WISH_VERBS = frozenset({"need", "want", "seek", "hope", "expect", "plan", "require", "ask", "demand", "propose"})


@functools.lru_cache(maxsize=1 << 16)
def _lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """Return lemminflect's lemmas of a word by part of speech ({"VERB": ("need",), "NOUN": ...}).

    From lemminflect's tables (shipped in its package): irregular forms ("began", "chosen") need
    them. Imported on first need: the tables load in about 0.2 s.
    """
    from lemminflect import getAllLemmas

    return dict(getAllLemmas(word.lower()))


def load_tables() -> None:
    """Load the word and place tables (lemminflect's, `us`, `pycountry`) that comparing reads, once.

    Each process that compares would otherwise load them itself (about 0.3 s); loaded
    before the workers fork, every worker finds them already in memory.
    """
    _lemmas("be")
    _place_table()


def verb_lemmas(word: str) -> frozenset[str]:
    """Return every verb lemma a word may be a form of ("needs" -> {"need"}), whatever else it may be."""
    return frozenset(_lemmas(word).get("VERB", ()))


def is_noun(word: str) -> bool:
    """Tell a word that English uses as a common noun ("school", "glacier"; not "jenkin")."""
    return "NOUN" in _lemmas(word)


def only_noun(word: str) -> bool:
    """Tell a word that can only be a noun ("people" may be a verb; "officials" cannot), never a verb."""
    lemmas = _lemmas(word)
    return "NOUN" in lemmas and "VERB" not in lemmas and "AUX" not in lemmas


def verb_lemma(word: str) -> str | None:
    """Return the lemma of a verb form ("founded" -> "found", "began" -> "begin", "chosen" ->
    "choose"), or None for a word that is not one, or may be a noun ("set", "record", "films"):
    a word that is also a noun says too little about the act."""
    lemmas = _lemmas(word)
    verb = lemmas.get("VERB")
    if not verb or "NOUN" in lemmas:
        return None
    return verb[0]


# --- names ----------------------------------------------------------------------------

# lower-case words inside names: "Gulf of Aden", "Osama bin Laden", "Ludwig van Beethoven"
NAME_PARTICLES = frozenset({"of", "al", "bin", "de", "del", "der", "van", "von", "da"})
ROMANCE_ARTICLES = frozenset({"la", "le", "du", "el"})  # "Rio de la Plata", "Le Pen" written "le Pen"
# what may join the words of one name in a sentence ("Bank of America", "Procter and Gamble")
CONNECTORS = NAME_PARTICLES | {"the", "and", "for"}
# words that capitalised open a sentence or a clause rather than a name
OPENERS = CALENDAR_WORDS | frozenset(
    """the a an in on at of and but or for to by with as after before since during when while if it
    its this that these those there their they he she we i his her our meanwhile however although
    though also last earlier later according despite speaking like both each some many more most
    other such what why how who where yes no not one two back over under about today yesterday
    thank well certainly lastly clearly further furthermore indeed still even here then so""".split()
)

_INITIALS = re.compile(r"\b([A-Za-z])\.(?=[A-Za-z]\.)")


@functools.lru_cache(maxsize=200_000)
def fold_name(name: str) -> str:
    """Return a key that folds case, accents, punctuation and possessives of a name."""
    name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    name = re.sub(r"[’']s\b", "", name)
    name = _INITIALS.sub(r"\1", name)  # "A.J." is "aj", "U.S." is "us": initials run together
    return re.sub(r"[^\w]+", " ", name.lower()).strip()


# --- spelling ------------------------------------------------------------------------

_TRANSLIT = [
    (r"kh", "h"), (r"gh", "g"), (r"ph", "f"), (r"sh|sch|ch|tch", "s"), (r"zh", "j"), (r"w", "v"),
    (r"q", "k"), (r"c(?=[aou])", "k"), (r"[aeiouy]+", ""), (r"(.)\1", r"\1"), (r"[^a-z ]", " "),
]  # fmt: skip


_TRANSLIT_RE = [(re.compile(p), r) for p, r in _TRANSLIT]


@functools.lru_cache(maxsize=1 << 18)  # every name of every article of a large run, asked again per pair
def translit_key(name: str) -> str:
    """Fold a name to a consonant skeleton so transliterations of it meet.

    "Kheibar" and "Khaybar" give "hbr", "Ruško" and "Rusko" give "rsk": the one spelling key
    of the package, for names compared (names, quotes) and for names grouped (group).
    """
    key = "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c))
    for pattern, repl in _TRANSLIT_RE:
        key = pattern.sub(repl, key)
    return " ".join(sorted(key.split()))


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
    if (
        len(wa) == len(wb)
        and all(u == v or _contracted(u, v) or _contracted(v, u) or _initial(u, v) for u, v in zip(wa, wb, strict=True))
        and any(u == v or (len(u) > 1 and len(v) > 1) for u, v in zip(wa, wb, strict=True))
    ):
        return True  # "aoraki mt cook" / "aoraki mount cook", "st john" / "saint john", "w american blvd"
    short, long = sorted((wa, wb), key=len)
    if not short or len(short) >= len(long):  # a "name" of connectors alone ("the") abbreviates nothing
        return False
    if _initials_of(tuple(short), tuple(long)):
        return True
    # a name found after a leading word it dropped ("[Most] Valuable Player Award"): its
    # acronym's first letter stands for that word
    first = short[0]
    return 3 <= len(first) <= MAX_ACRONYM and _initials_of((first[1:], *short[1:]), tuple(long))


MAX_CONTRACTION = 4  # letters of the longest contraction ("mt", "sgt", "blvd")


def _contracted(short: str, long: str) -> bool:
    """Tell a contraction of a word, its first and last letters kept with some between ("mt" / "mount")."""
    if not 2 <= len(short) <= MAX_CONTRACTION or len(long) <= len(short) or not short.isalpha():
        return False
    if short[0] != long[0] or short[-1] != long[-1]:
        return False
    rest = iter(long[1:-1])
    return all(c in rest for c in short[1:-1])


def _initial(a: str, b: str) -> bool:
    """Tell a word written as its initial ("w" / "west")."""
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


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
