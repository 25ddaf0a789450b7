"""The generator's tables (names, places, languages, texts: devtools/data/*.json), the marks of
generated rows, and the small helpers that draw from the tables."""

import json
import random
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.utils.text import slugify

MARKER_DOMAIN = "generated.example"
EMAIL_SUFFIX = f"@{MARKER_DOMAIN}"
# Case events lie within the last three years (counted back from the start of yesterday, so
# that they do whatever the time of day).
WINDOW_DAYS = 3 * 365 - 1
MONTH_DAYS = 30.44

DATA = Path(__file__).resolve().parent.parent / "data"


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# Names, places, languages and texts live in devtools/data/*.json; the code below only picks
# from them.
_PEOPLE = _load("people.json")
_RAW_NAMES = _PEOPLE["raw_names"]
EUROPEAN_NAME_GROUP = _PEOPLE["european_name_group"]
EUROPEAN_WEIGHTS = _PEOPLE["european_weights"]
FUNCTIONS = _PEOPLE["functions"]
STAFF = _PEOPLE["staff"]
DEPARTMENTS = _PEOPLE["departments"]
ROLES = _PEOPLE["roles"]
ORGANISATIONS = _PEOPLE["organisations"]
_PLACES = _load("places.json")
GERMAN_CITIES = _PLACES["german_cities"]
LAND_WEIGHTS = _PLACES["land_weights"]
STEMS = _PLACES["stems"]
ENDINGS = _PLACES["endings"]
PREFIXES = _PLACES["prefixes"]
GERMAN_TOWN_NAMES = _PLACES["german_town_names"]
COUNTRIES = _PLACES["countries"]
EUROPEAN_TOWN_HALLS = _PLACES["european_town_halls"]
WORLD_REGIONS = _PLACES["world_regions"]
ROMAN = _PLACES["roman"]
_LANGUAGES = _load("languages.json")
EXTRA_LANGUAGES = _LANGUAGES["extra_languages"]
VARIANTS = _LANGUAGES["variants"]
LANGUAGE_NAMES = _LANGUAGES["language_names"]
FIRST_LANGUAGE = _LANGUAGES["first_language"]
CEFR_WEIGHTS = _LANGUAGES["cefr_weights"]
_TEXTS = _load("texts.json")
THEME_TEXTS = _TEXTS["theme_texts"]
TEXTS = _TEXTS["texts"]
REASONS = _TEXTS["reasons"]
KEYWORDS = _TEXTS["keywords"]
GENERAL_KEYWORDS = _TEXTS["general_keywords"]
MOTIVATION = _TEXTS["motivation"]
SCREENING_NOTES = _TEXTS["screening_notes"]
INTERVIEW_NOTES = _TEXTS["interview_notes"]

# Compound names are written with "_" above to keep them one word in the lists.
NAMES = {
    group: tuple(
        None if part is None else [name.replace("_", " ") for name in part.split()]
        for part in parts
    )
    for group, parts in _RAW_NAMES.items()
}


# --- Drawing from the tables ---------------------------------------------------------------------


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def sample(rng: random.Random, items: list, weights: list, k: int) -> list:
    """Up to k different items, drawn by weight."""
    items, weights, chosen = list(items), list(weights), []
    while items and len(chosen) < k:
        index = rng.choices(range(len(items)), weights=weights)[0]
        chosen.append(items.pop(index))
        weights.pop(index)
    return chosen


UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "'": ""})


def email_part(name: str) -> str:
    return slugify(name.lower().translate(UMLAUTS)).replace("-", "")


def first_of_month_after(day: date) -> date:
    return (day.replace(day=1) + relativedelta(months=1)) if day.day > 1 else day
