"""Tell whether an article is written in English: the comparison reads English only."""

from __future__ import annotations

import functools
from typing import Any

from .text import LETTERS

SAMPLE_CHARS = 3000  # an article's opening says its language, and bounds the time per article
MIN_WORDS = 20  # fewer words than this are too few to tell a language by: such text is kept
MIN_CONFIDENCE = 0.9  # below this the identifier is unsure, and the text is kept
# Loading the identifier's model costs about 0.5 s and 100 MB, more than reading a
# folder of articles; English prose has these words on almost every line, so text
# with enough of them is English without asking the model. They are English words
# that are not common words of other languages.
_ENGLISH_WORDS = frozenset("the and that with from this which were have been their they said would there".split())
_ENGLISH_SHARE = 0.05


def foreign_language(text: str) -> str | None:
    """Return the code of the language a text is written in ("fr") when it is surely not English, else None."""
    sample = text[:SAMPLE_CHARS]
    words = [w.lower() for w in LETTERS.findall(sample)]
    if len(words) < MIN_WORDS:
        return None
    if sum(w in _ENGLISH_WORDS for w in words) >= _ENGLISH_SHARE * len(words):
        return None
    language, confidence = _identifier().classify(sample)
    # "zxx" is the model's class for text in no language (numbers, markup, identifiers)
    if language in ("en", "zxx") or confidence < MIN_CONFIDENCE:
        return None
    return str(language)


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # loads numpy arrays; only when needed

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
