"""Sorting names the way readers of a language expect ("Lübeck" before "Ludwigshafen", "Écija"
among the E's), without ICU.

PyICU is not installed here, and Babel (CLDR data) does not collate. The portal's languages
(English, French, German, Spanish) sort letters with accents among their base letters at the
first level (German dictionary order, DIN 5007-1), with one exception kept here: Spanish sorts "ñ"
as a letter of its own after "n". Accents, then case, only break ties.
"""

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.utils.translation import get_language

T = TypeVar("T")

# A character after every letter: "n" followed by it sorts after "nz" and before "o".
_AFTER_LETTERS = "\U0010ffff"
# Letters a language sorts apart from their base letter, decomposed (NFKD) and casefolded.
_OWN_LETTERS = {"es": {"n\u0303": "n" + _AFTER_LETTERS}}


def collation_key(text: str, language: str | None = None) -> tuple[str, str, str]:
    """The key that sorts ``text`` for readers of ``language`` (default: the active language)."""
    language = (language or get_language() or "en")[:2]
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    for letter, replacement in _OWN_LETTERS.get(language, {}).items():
        decomposed = decomposed.replace(letter, replacement)
    primary = "".join(char for char in decomposed if not unicodedata.combining(char))
    return (primary, decomposed, str(text))


def sorted_by_name(
    items: Iterable[T], name: Callable[[T], str] = str, language: str | None = None
) -> list[T]:
    """``items`` sorted by ``name(item)`` in the order of ``language`` (default: the active
    one)."""
    language = language or get_language()
    return sorted(items, key=lambda item: collation_key(name(item), language))
