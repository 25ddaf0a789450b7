"""Vocabularies that are lists in code, not rows: languages, CEFR levels, European countries."""

import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.db import models
from django.utils.translation import get_language

GERMANY = "DE"

# Languages an expert may speak or a post may need: every language CLDR names (Babel's data), so
# that the languages of partner countries (Ewe, Hausa, Amharic, Malagasy…) are there. The codes are
# those of BCP 47: ISO 639-1 where a language has two letters, else ISO 639-2/3 — the scheme of
# Django's list that the portal used before, whose codes are all among them.
NOT_A_LANGUAGE = frozenset({"und", "zxx", "mul", "mis"})  # unknown, none, several, uncoded
LANGUAGE_CODES = frozenset(
    code for code in Locale("en").languages if "_" not in code and code not in NOT_A_LANGUAGE
)


@cache
def _language_names(language: str) -> dict[str, str]:
    english = Locale("en").languages
    try:
        names = Locale.parse(language.replace("-", "_")).languages
    except (ValueError, UnknownLocaleError):
        names = {}
    # CLDR writes French and Spanish names in lower case, as in a sentence; in lists and after a
    # label they start with a capital, as Django's own language names do.
    return {code: _capitalised(names.get(code) or english[code]) for code in LANGUAGE_CODES}


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def alphabetical(name: str) -> str:
    """A sort key: accents and case do not count in the order (É of Éwé sorts with E)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _language_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _language_names(language)
    return tuple(sorted(names.items(), key=lambda item: (alphabetical(item[1]), item[0])))


def language_name(code: str) -> str:
    """The name of a language in the reader's language (the code itself when unknown)."""
    return _language_names(get_language() or settings.LANGUAGE_CODE).get(code, code)


def language_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) of every language, in the reader's language and alphabetical order: pass the
    function itself as choices, so that each page lists the names in its own language."""
    return _language_choices(get_language() or settings.LANGUAGE_CODE)


class CEFRLevel(models.TextChoices):
    """Levels of the Common European Framework of Reference for Languages, lowest first."""

    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


CEFR_LEVELS = [level.value for level in CEFRLevel]

# EU member states, the other EEA states and Switzerland: nationalities that count as European
# for integrated experts and technical assistants.
EU_EEA_CH = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH"
)
EUROPEAN_COUNTRIES = frozenset(EU_EEA_CH.split(" "))
