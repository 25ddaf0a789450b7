"""Vocabularies that are lists in code, not rows: languages, CEFR levels, European countries."""

from django.conf import global_settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GERMANY = "DE"

# Languages an expert may need (Django's list of ~100, with translated names), without variants.
# Django marks these names with gettext_noop; its own catalogue translates them.
WORLD_LANGUAGES = sorted(
    ((code, _(name)) for code, name in global_settings.LANGUAGES if "-" not in code),
    key=lambda item: item[0],
)


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
