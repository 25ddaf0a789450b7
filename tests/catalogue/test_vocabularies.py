"""The vocabularies in code: every language CLDR names, in the reader's language and order, the
themes and deployment models by their code, and the SDGs as each language abbreviates them."""

import pytest
from django.conf import global_settings
from django.utils import translation

from catalogue.models import DeploymentType, SustainableDevelopmentGoal, Theme
from catalogue.vocabularies import LANGUAGE_CODES, language_choices, language_name
from experts.forms import ExpertLanguageForm
from partnerships.forms import RequiredLanguageForm


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", {"ee": "Ewe", "ha": "Hausa", "am": "Amharic", "mg": "Malagasy", "fon": "Fon"}),
        ("fr", {"ee": "Éwé", "ha": "Haoussa", "am": "Amharique", "mg": "Malgache", "wo": "Wolof"}),
        (
            "de",
            {"ee": "Ewe", "ha": "Haussa", "am": "Amharisch", "mg": "Malagasy", "fr": "Französisch"},
        ),
        ("es", {"ee": "Ewé", "ha": "Hausa", "am": "Amárico", "mg": "Malgache", "de": "Alemán"}),
    ],
)
def test_the_languages_of_partner_countries_are_named_in_the_readers_language(language, names):
    with translation.override(language):
        choices = dict(language_choices())
        for code, name in names.items():
            assert choices[code] == name
            assert language_name(code) == name


def test_every_language_code_stored_before_is_still_a_language():
    # The portal offered Django's list (without regional variants); rows keep those codes.
    before = {code for code, _name in global_settings.LANGUAGES if "-" not in code}
    assert before <= LANGUAGE_CODES
    assert len(LANGUAGE_CODES) > 500
    assert {"und", "zxx", "mul"}.isdisjoint(LANGUAGE_CODES)


def test_languages_are_listed_in_the_alphabetical_order_of_the_readers_language():
    with translation.override("fr"):
        names = [name for _code, name in language_choices()]
        assert names.index("Allemand") < names.index("Anglais") < names.index("Éwé")
        assert names.index("Espagnol") < names.index("Éwé") < names.index("Français")
    with translation.override("de"):
        names = [name for _code, name in language_choices()]
        assert names.index("Deutsch") < names.index("Englisch") < names.index("Französisch")


@pytest.mark.parametrize("form_class", [ExpertLanguageForm, RequiredLanguageForm])
def test_the_language_selects_offer_the_names_of_the_page_language(form_class, db):
    with translation.override("fr"):
        french = str(form_class()["language"])
    with translation.override("de"):
        german = str(form_class()["language"])
    assert '<option value="ha">Haoussa</option>' in french
    assert '<option value="ha">Haussa</option>' in german
    form = form_class(data={"language": "mg", "level": "B1"})
    assert form.is_valid(), form.errors
    assert not form_class(data={"language": "xx", "level": "B1"}).is_valid()


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "SDG 11: Sustainable cities and communities"),
        ("fr", "ODD 11\u00a0: Villes et communautés durables"),
        ("de", "SDG 11: Nachhaltige Städte und Gemeinden"),
        ("es", "ODS 11: Ciudades y comunidades sostenibles"),
    ],
)
def test_the_sdgs_are_abbreviated_as_each_language_does(language, label, db):
    with translation.override(language):
        assert str(SustainableDevelopmentGoal(number=11)) == label


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "de", "es"])
def test_themes_and_deployment_models_read_as_their_translated_code(language):
    with translation.override(language):
        for row in [*Theme.objects.all(), *DeploymentType.objects.all()]:
            assert str(row) == str(row.get_code_display())
    assert str(Theme(code="unknown")) == "unknown"
