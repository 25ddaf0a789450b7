"""The matching row of an expert (what the ranking reads) follows every change of the profile,
its languages and its areas of expertise, however they are written: it is kept by the
database, so saves, queryset updates, bulk inserts and deletions all count."""

from datetime import date

import pytest
from django_countries import countries

from catalogue.models import Theme
from catalogue.vocabularies import EUROPEAN_COUNTRIES
from experts import services
from experts.models import ExpertLanguage, ExpertProfile, MatchingProfile

from .factories import ExpertProfileFactory, LanguageFactory, mission_for

pytestmark = pytest.mark.django_db


def row(profile) -> MatchingProfile:
    return MatchingProfile.objects.get(expert=profile)


def themes(*codes) -> str:
    keys = sorted(Theme.objects.filter(code__in=codes).values_list("pk", flat=True))
    return "".join(f",{key}" for key in keys) + "," if keys else ""


def items(text: str) -> set[str]:
    return set(filter(None, text.split(",")))


def test_a_new_expert_gets_a_row_with_what_the_ranking_reads():
    profile = ExpertProfileFactory(
        full_name="Eva Perfect",
        nationalities=["TG", "DE"],
        countries_worked_in=["BJ", "TG"],
        earliest_availability=date(2027, 6, 1),
        years_municipal_experience=12,
        consent_to_be_found=True,
    )
    matching = row(profile)
    assert matching.full_name == "Eva Perfect"
    assert matching.european and matching.consent_to_be_found and not matching.anonymised
    assert matching.nationalities.startswith(",") and matching.nationalities.endswith(",")
    assert items(matching.nationalities) == {"DE", "TG"}
    assert items(matching.countries_worked_in) == {"BJ", "TG"}
    assert matching.earliest_availability == date(2027, 6, 1)
    assert matching.years_municipal_experience == 12
    assert (matching.themes, matching.languages) == ("", "")


def test_the_row_follows_a_saved_and_an_updated_profile():
    profile = ExpertProfileFactory(nationalities=["TG"], consent_to_be_found=True)
    assert not row(profile).european

    profile.full_name = "Kofi Mensah"
    profile.nationalities = ["TG", "FR"]
    profile.countries_worked_in = ["SN"]
    profile.earliest_availability = date(2028, 1, 1)
    profile.save()
    matching = row(profile)
    assert (matching.full_name, matching.european) == ("Kofi Mensah", True)
    assert items(matching.countries_worked_in) == {"SN"}
    assert matching.earliest_availability == date(2028, 1, 1)

    ExpertProfile.objects.filter(pk=profile.pk).update(
        consent_to_be_found=False, years_municipal_experience=3, nationalities="TG"
    )
    matching = row(profile)
    assert not matching.consent_to_be_found and not matching.european
    assert matching.years_municipal_experience == 3


def test_the_row_follows_the_languages_added_changed_and_removed():
    profile = ExpertProfileFactory()
    french = LanguageFactory(expert=profile, language="fr", level="B1")
    ExpertLanguage.objects.bulk_create(
        [ExpertLanguage(expert=profile, language=code, level="C2") for code in ("de", "en")]
    )
    assert items(row(profile).languages) == {"fr:B1", "de:C2", "en:C2"}

    french.level = "C1"
    french.save()
    ExpertLanguage.objects.filter(expert=profile, language="en").update(level="A2")
    assert items(row(profile).languages) == {"fr:C1", "de:C2", "en:A2"}

    french.delete()
    assert items(row(profile).languages) == {"de:C2", "en:A2"}
    profile.languages.all().delete()
    assert row(profile).languages == ""


def test_the_row_follows_the_areas_of_expertise_set_added_and_removed():
    profile = ExpertProfileFactory()
    profile.expertise.set(Theme.objects.filter(code__in=[Theme.Code.WASTE, Theme.Code.WATER]))
    assert items(row(profile).themes) == items(themes(Theme.Code.WASTE, Theme.Code.WATER))

    profile.expertise.remove(Theme.objects.get(code=Theme.Code.WATER))
    profile.expertise.add(Theme.objects.get(code=Theme.Code.WASTE))  # already there: ignored
    assert row(profile).themes == themes(Theme.Code.WASTE)

    profile.expertise.clear()
    assert row(profile).themes == ""


def test_a_deleted_expert_takes_its_row_along():
    profile = ExpertProfileFactory()
    LanguageFactory(expert=profile, language="fr")
    profile.expertise.set(Theme.objects.all()[:2])
    pk = profile.pk

    profile.delete()

    assert not MatchingProfile.objects.filter(pk=pk).exists()


def test_an_anonymised_expert_keeps_a_row_that_says_so(
    profile, partnership, alice, django_capture_on_commit_callbacks
):
    profile.consent_to_be_found = True
    profile.save()
    profile.expertise.set(Theme.objects.all()[:1])
    LanguageFactory(expert=profile, language="fr")
    mission_for(profile, partnership=partnership, created_by=alice)

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_expert(profile=profile)

    matching = row(profile)
    assert matching.anonymised and not matching.consent_to_be_found
    assert (matching.themes, matching.languages) == ("", "")
    assert items(matching.countries_worked_in) == set()
    assert matching.full_name == f"Anonymised expert #{profile.pk}"


def test_european_means_the_countries_of_the_catalogue():
    """The triggers hold their own copy of the list (migration 0010): it must be the same."""
    codes = [code for code, _name in countries]
    ExpertProfile.objects.bulk_create(
        [ExpertProfile(full_name=code, nationalities=[code]) for code in codes]
    )
    european = set(
        MatchingProfile.objects.filter(european=True).values_list("full_name", flat=True)
    )
    assert european == EUROPEAN_COUNTRIES
