"""The expert's profile page: creating the profile (in German too), editing it with its languages
and positions, errors next to the fields, completeness, and the dashboard card and menu that lead
to it."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from catalogue.models import DeploymentType, Theme
from experts import services
from experts.forms import ExpertProfileForm, LanguageFormSet, PositionFormSet
from experts.models import ExpertProfile, Position
from portal import roles
from tests.conftest import make_user

from .factories import LanguageFactory
from .helpers import PROFILE, field_errors, german


def form_data(profile, **changes):
    """What the profile page sends as it shows ``profile`` now, with ``changes`` typed in."""
    data = {
        "full_name": profile.full_name,
        "nationalities": [c.code for c in profile.nationalities],
        "country_of_residence": profile.country_of_residence.code or "",
        "years_municipal_experience": profile.years_municipal_experience or "",
        "earliest_availability": "",
        "preferred_regions": profile.preferred_regions,
        "regions_worked_in": profile.regions_worked_in,
        "countries_worked_in": [c.code for c in profile.countries_worked_in],
        "keywords": profile.keywords,
        "expertise": [str(t.pk) for t in profile.expertise.all()],
        "open_to_models": [str(m.pk) for m in profile.open_to_models.all()],
        "languages-TOTAL_FORMS": "0",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "20",
        "positions-TOTAL_FORMS": "0",
        "positions-INITIAL_FORMS": "0",
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "30",
    }
    if profile.consent_to_be_found:
        data["consent_to_be_found"] = "on"
    data.update(changes)
    return data


def with_rows(data, prefix, rows):
    """Add new rows to a formset of the page."""
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    for number, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{number}-{name}"] = value
    return data


# --- Creating a profile ---------------------------------------------------------------------------


def test_a_registered_user_creates_their_expert_profile(client, db):
    nora = make_user("nora@example.org", name="Nora Neumann")
    client.force_login(nora)

    start = client.get(PROFILE)
    assert "Create my expert profile" in start.content.decode()
    response = client.post(reverse("experts:profile-create"))

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    profile = ExpertProfile.objects.get(user=nora)
    assert profile.full_name == "Nora Neumann"
    assert nora.groups.filter(name=roles.EXPERT).exists()
    page = client.get(PROFILE).content.decode()
    assert 'value="Nora Neumann"' in page
    assert "0% complete" in page


def test_creating_a_profile_twice_keeps_the_first(client, profile, erin):
    client.force_login(erin)

    response = client.post(reverse("experts:profile-create"))

    assert response.status_code == 302
    assert ExpertProfile.objects.filter(user=erin).count() == 1


def test_profile_creation_only_by_post(client, erin):
    client.force_login(erin)

    assert client.get(reverse("experts:profile-create")).status_code == 405


# --- Editing --------------------------------------------------------------------------------------


def test_the_expert_saves_the_whole_profile_with_languages_and_positions(client, profile, erin):
    client.force_login(erin)
    waste = Theme.objects.get(code=Theme.Code.WASTE)
    integrated = DeploymentType.objects.get(code=DeploymentType.Code.INTEGRATED)
    data = form_data(
        profile,
        nationalities=["DE", "FR"],
        country_of_residence="DE",
        years_municipal_experience="12",
        earliest_availability="2027-09-01",
        preferred_regions="West Africa",
        countries_worked_in=["TG", "GH"],
        expertise=[str(waste.pk)],
        open_to_models=[str(integrated.pk)],
        keywords="composting, GIS",
        consent_to_be_found="on",
    )
    with_rows(data, "languages", [{"language": "fr", "level": "C1"}, {"language": "", "level": ""}])
    with_rows(
        data,
        "positions",
        [
            {
                "employer": "Stadt Leipzig",
                "country": "DE",
                "role": "Head of waste services",
                "start": "2012-01-01",
                "end": "2024-06-30",
            }
        ],
    )

    response = client.post(PROFILE, data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    profile.refresh_from_db()
    assert [c.code for c in profile.nationalities] == ["FR", "DE"] or [
        c.code for c in profile.nationalities
    ] == ["DE", "FR"]
    assert profile.years_municipal_experience == 12
    assert str(profile.earliest_availability) == "2027-09-01"
    assert list(profile.expertise.all()) == [waste]
    assert list(profile.open_to_models.all()) == [integrated]
    assert [(lang.language, lang.level) for lang in profile.languages.all()] == [("fr", "C1")]
    assert [p.employer for p in profile.positions.all()] == ["Stadt Leipzig"]
    assert "Your profile has been saved." in client.get(PROFILE).content.decode()


def test_errors_show_next_to_the_fields_in_german_and_what_was_typed_stays(client, profile, erin):
    german(client).force_login(erin)
    data = form_data(
        profile,
        full_name="",
        keywords="Kompostierung, GIS",
        earliest_availability="bald",
        preferred_regions="Westafrika",
    )
    with_rows(data, "languages", [{"language": "fr", "level": ""}])
    with_rows(
        data,
        "positions",
        [
            {
                "employer": "Stadt Leipzig",
                "country": "DE",
                "role": "Leiterin Abfallwirtschaft",
                "start": "2020-01-01",
                "end": "2019-12-31",
            }
        ],
    )

    response = client.post(PROFILE, data)

    page = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="de">' in page
    assert field_errors(page, "full_name") == "Dieses Feld ist zwingend erforderlich."
    assert field_errors(page, "earliest_availability") == "Bitte ein gültiges Datum eingeben."
    assert field_errors(page, "languages-0-level") == "Dieses Feld ist zwingend erforderlich."
    with translation.override("de"):
        before_start = gettext("The end date must be on or after the start date.")
    assert before_start != "The end date must be on or after the start date."
    assert field_errors(page, "positions-0-end") == before_start
    assert response.context["positions"].forms[0].has_error("end", code="before_start")
    # What was typed is still there.
    assert 'value="Kompostierung, GIS"' in page
    assert 'value="bald"' in page
    assert 'value="Westafrika"' in page
    assert 'value="Stadt Leipzig"' in page
    assert 'value="Leiterin Abfallwirtschaft"' in page
    assert re.search(r'<option value="fr" selected>', page)
    # Nothing was saved.
    profile.refresh_from_db()
    assert profile.full_name == "Erin Eriksen"
    assert not profile.languages.exists()
    assert not Position.objects.filter(expert=profile).exists()


def test_a_position_that_ends_before_it_starts_is_refused_with_a_clear_error(client, profile, erin):
    client.force_login(erin)
    data = with_rows(
        form_data(profile),
        "positions",
        [
            {
                "employer": "Stadt Leipzig",
                "country": "DE",
                "role": "Engineer",
                "start": "2020-01-01",
                "end": "2019-12-31",
            }
        ],
    )

    page = client.post(PROFILE, data).content.decode()

    assert field_errors(page, "positions-0-end") == (
        "The end date must be on or after the start date."
    )


def test_a_language_given_twice_is_refused(client, profile, erin):
    client.force_login(erin)
    data = with_rows(
        form_data(profile),
        "languages",
        [{"language": "fr", "level": "C1"}, {"language": "fr", "level": "B2"}],
    )

    response = client.post(PROFILE, data)

    assert response.status_code == 400
    assert "duplicate" in " ".join(response.context["languages"].non_form_errors()).lower()
    assert not profile.languages.exists()


def test_existing_rows_can_be_changed_and_removed(client, profile, erin):
    french = LanguageFactory(expert=profile, language="fr", level="B1")
    spanish = LanguageFactory(expert=profile, language="es", level="A2")
    client.force_login(erin)
    data = form_data(profile)
    data.update(
        {
            "languages-TOTAL_FORMS": "2",
            "languages-INITIAL_FORMS": "2",
            "languages-0-id": str(french.pk),
            "languages-0-language": "fr",
            "languages-0-level": "C1",
            "languages-1-id": str(spanish.pk),
            "languages-1-language": "es",
            "languages-1-level": "A2",
            "languages-1-DELETE": "on",
        }
    )

    assert client.post(PROFILE, data).status_code == 302

    assert [(lang.language, lang.level) for lang in profile.languages.all()] == [("fr", "C1")]


def test_an_expert_cannot_edit_another_experts_rows(client, profile, erin, frank):
    franks = LanguageFactory(expert=frank.expert_profile, language="de")
    client.force_login(erin)
    data = form_data(profile)
    data.update(
        {
            "languages-TOTAL_FORMS": "1",
            "languages-INITIAL_FORMS": "1",
            "languages-0-id": str(franks.pk),
            "languages-0-language": "de",
            "languages-0-level": "A1",
        }
    )

    client.post(PROFILE, data)

    franks.refresh_from_db()
    assert (franks.expert, franks.level) == (frank.expert_profile, "C1")
    assert not profile.languages.exists()


def test_a_save_that_fails_halfway_leaves_the_profile_as_it_was(profile, monkeypatch):

    data = with_rows(
        form_data(profile, full_name="Erin E."), "languages", [{"language": "fr", "level": "C1"}]
    )
    form = ExpertProfileForm(data, instance=profile)
    languages = LanguageFormSet(data, instance=profile, prefix="languages")
    positions = PositionFormSet(data, instance=profile, prefix="positions")
    assert form.is_valid() and languages.is_valid() and positions.is_valid()

    def broken(self, commit=True):
        raise RuntimeError("disk full")

    monkeypatch.setattr(PositionFormSet, "save", broken)
    with pytest.raises(RuntimeError):
        services.save_profile(profile=profile, form=form, languages=languages, positions=positions)

    stored = ExpertProfile.objects.get(pk=profile.pk)
    assert stored.full_name == "Erin Eriksen"
    assert not stored.languages.exists()


def test_the_page_shows_completeness_and_what_is_missing(client, profile, erin):
    client.force_login(erin)

    page = client.get(PROFILE).content.decode()

    assert "0% complete" in page
    assert "Your CV" in page
    assert "At least one previous position" in page


# --- Dashboard ------------------------------------------------------------------------------------


def test_the_dashboard_shows_how_complete_the_profile_is(client, profile, erin):
    LanguageFactory(expert=profile)
    client.force_login(erin)

    page = client.get("/dashboard/").content.decode()

    assert "Your profile is 10% complete." in page
    assert "Your CV" in page
    assert f'href="{PROFILE}"' in page


def test_the_dashboard_offers_an_expert_without_profile_to_create_one(client, erin):
    client.force_login(erin)

    page = client.get("/dashboard/").content.decode()

    assert "Create my expert profile" in page


def test_the_menu_of_an_expert_leads_to_the_profile(client, profile, erin):
    client.force_login(erin)

    page = client.get("/dashboard/").content.decode()

    assert f'<a class="nav-link" href="{PROFILE}"' in page


def test_after_a_refused_save_the_completeness_is_that_of_the_saved_profile(client, profile, erin):
    client.force_login(erin)

    page = client.post(
        PROFILE, form_data(profile, full_name="", consent_to_be_found="on", nationalities=["DE"])
    ).content.decode()

    assert "0% complete" in page
    assert "Your consent to be found for missions" in page


def test_a_german_speaker_creates_the_profile_in_german(client, db):
    nora = make_user("nora@example.org", name="Nora Neumann")
    german(client).force_login(nora)

    start = client.get(PROFILE).content.decode()
    client.post(reverse("experts:profile-create"))
    page = client.get(PROFILE).content.decode()

    assert '<html lang="de">' in start
    assert "Ihr Profil als Fachkraft" in start
    assert "Vollständiger Name" in page
    assert ExpertProfile.objects.filter(user=nora).exists()


def test_nationalities_are_ticked_in_a_labelled_list_not_ctrl_clicked(client, profile, erin):
    profile.nationalities = ["TG", "DE"]
    profile.save()
    client.force_login(erin)

    page = client.get(PROFILE).content.decode()

    assert "Hold Ctrl" not in page
    assert '<select name="nationalities"' not in page
    fieldset = page[page.index('id="div_id_nationalities"') :]
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>\s*Nationalities", fieldset)
    boxes = re.findall(r'<input[^>]*name="nationalities"[^>]*>', fieldset)
    assert ['value="DE"' in b and "checked" in b for b in boxes[:2]] == [True, False]
    assert 'value="TG"' in boxes[1] and "checked" in boxes[1]
    assert 'data-searchable="multiple"' in fieldset


def test_the_country_and_language_pickers_are_searchable(client, profile, erin):
    client.force_login(erin)

    page = client.get(PROFILE).content.decode()

    for name in ("country_of_residence", "languages-0-language", "positions-0-country"):
        assert re.search(rf'<select name="{name}"[^>]*data-searchable="single"', page), name


# --- What the page keeps between requests (the fields' markup, its fixed texts) ------------------


def test_each_expert_sees_their_own_values_in_the_kept_markup(client, profile, erin, frank):
    LanguageFactory(expert=profile, language="fr", level="C1")
    client.force_login(erin)
    erins = client.get(PROFILE).content.decode()
    client.force_login(frank)
    franks = client.get(PROFILE).content.decode()

    assert 'value="Erin Eriksen"' in erins
    assert '<option value="fr" selected>' in erins
    assert '<option value="C1" selected>' in erins
    assert 'value="Frank Fischer"' in franks
    assert "Erin" not in franks.replace("erin@", "")
    assert '<option value="fr" selected>' not in franks
    assert '<option value="C1" selected>' not in franks


def test_after_the_page_was_shown_a_refused_save_shows_what_was_typed(client, profile, erin):
    client.force_login(erin)
    client.get(PROFILE)
    data = form_data(profile, full_name="", keywords="Typed <keywords>", preferred_regions="Andes")
    with_rows(data, "languages", [{"language": "sw", "level": "B2"}])

    response = client.post(PROFILE, data)

    page = response.content.decode()
    assert response.status_code == 400
    assert field_errors(page, "full_name") == "This field is required."
    assert 'value="Typed &lt;keywords&gt;"' in page
    assert 'value="Andes"' in page
    assert '<option value="sw" selected>' in page
    assert '<option value="B2" selected>' in page
    assert 'value="Erin Eriksen"' not in page


def test_the_page_follows_a_change_of_language(client, profile, erin):
    client.force_login(erin)
    english = client.get(PROFILE).content.decode()
    german_page = german(client).get(PROFILE).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english_again = client.get(PROFILE).content.decode()

    assert "Save my profile" in english
    assert "Save my profile" not in german_page
    assert '<html lang="de">' in german_page
    with translation.override("de"):
        assert gettext("Save my profile") in german_page
        assert capfirst(gettext("full name")) in german_page
    assert "Save my profile" in english_again
