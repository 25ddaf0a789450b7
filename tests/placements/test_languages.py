"""Pages speak their reader's language, whatever the language of the page that wrote the data:
profile snapshots keep codes and the shortlist names them for the host commune; the ranking
page names languages and countries; the reason the portal writes on a case's timeline is
translated when shown."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from catalogue.models import DeploymentType, Theme
from experts.models import ExpertLanguage
from partnerships.models import RequiredLanguage
from placements import services as recruitment
from placements.models import CHOSEN_BY_HOST_COMMUNE, Application, Case, CaseEvent
from tests.placements.factories import ExpertProfileFactory, advance, agree_profile
from tests.placements.helpers import logged_in

pytestmark = pytest.mark.django_db
NATIONAL = DeploymentType.Code.NATIONAL

SNAPSHOT_CODES = importlib.import_module("placements.migrations.0014_profile_snapshots_keep_codes")
REASONS_IN_ENGLISH = importlib.import_module("placements.migrations.0015_portal_reasons_in_english")


def kofi():
    """A Togolese expert in waste management and water who speaks French and Ewe."""
    profile = ExpertProfileFactory(
        full_name="Kofi Mensah", nationalities=["TG"], country_of_residence="TG"
    )
    profile.expertise.set(Theme.objects.filter(code__in=[Theme.Code.WASTE, Theme.Code.WATER]))
    ExpertLanguage.objects.create(expert=profile, language="fr", level="C1")
    ExpertLanguage.objects.create(expert=profile, language="ee", level="C2")
    profile.positions.create(
        employer="Mairie de Lomé", country="TG", role="Engineer", start=date(2015, 1, 1)
    )
    return profile


@pytest.fixture
def shortlisted(case, sam):
    """Kofi applied from a Spanish page and is on the shortlist sent to Kpalimé, which sees his
    nationality, languages, expertise and positions."""
    case = advance(case, Case.State.PUBLISHED, by=sam, model=NATIONAL)
    expert = kofi()
    with translation.override("es"):
        application = recruitment.apply(vacancy=case.vacancy, expert=expert, motivation="¡Hola!")
    case.vacancy.shared_fields = ["nationalities", "languages", "expertise", "positions"]
    case.vacancy.save(update_fields=["shared_fields"])
    case = advance(case, Case.State.SCREENING, by=sam, model=NATIONAL)
    recruitment.shortlist(case=case, expert=expert, by=sam)
    case = advance(case, Case.State.SHORTLIST_SENT, by=sam, model=NATIONAL)
    return case, Application.objects.get(pk=application.pk)


def test_a_snapshot_keeps_the_codes_of_languages_and_areas_of_expertise(shortlisted):
    _case, application = shortlisted
    snapshot = application.profile_snapshot
    assert snapshot["languages"] == [
        {"language": "ee", "level": "C2"},
        {"language": "fr", "level": "C1"},
    ]
    assert snapshot["expertise"] == ["waste", "water"]


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        (
            "fr",
            ["Éwé C2", "Français C1", "Eau", "Togo", "Engineer, Mairie de Lomé (Togo, 2015–…)"],
            ["Francés", "Agua", "ee C2"],
        ),
        ("de", ["Ewe C2", "Französisch C1", "Wasser", "Togo"], ["Francés", "Agua", "Éwé"]),
    ],
)
def test_the_host_commune_reads_the_shortlist_in_its_own_language(
    shortlisted, pierre, language, shown, not_shown
):
    case, _application = shortlisted
    pierre.language = language
    pierre.save(update_fields=["language"])
    page = logged_in(pierre).get(reverse("placements:shortlist", args=[case.pk]))
    text = page.content.decode()
    for words in shown:
        assert words in text
    for words in not_shown:
        assert words not in text


def test_the_migration_reads_old_snapshot_names_back_into_codes(shortlisted):
    _case, application = shortlisted
    old = {
        **application.profile_snapshot,
        "languages": ["Francés C1", "German B2", "Französisch A2", "Klingon C2"],
        "expertise": ["Agua", "Waste management and circular economy", "Anything"],
    }
    Application.objects.filter(pk=application.pk).update(profile_snapshot=old)
    SNAPSHOT_CODES.forwards(apps, None)
    application.refresh_from_db()
    assert application.profile_snapshot["languages"] == [
        {"language": "fr", "level": "C1"},
        {"language": "de", "level": "B2"},
        {"language": "fr", "level": "A2"},
        "Klingon C2",  # unknown: shown as it is
    ]
    assert application.profile_snapshot["expertise"] == ["water", "waste", "Anything"]
    with translation.override("fr"):
        assert application.profile_as_shown()["languages"] == [
            "Allemand B2",
            "Français A2",
            "Français C1",
            "Klingon C2",
        ]
    # Running it again changes nothing.
    SNAPSHOT_CODES.forwards(apps, None)
    assert Application.objects.get(pk=application.pk).profile_snapshot == (
        application.profile_snapshot
    )


def test_the_ranking_page_names_languages_and_countries(case, sam):
    RequiredLanguage.objects.create(eoi=case.eoi, language="ee", level="B1")
    case = agree_profile(case)
    case = advance(case, Case.State.SCREENING, by=sam)
    kofi()
    sam.language = "fr"
    sam.save(update_fields=["language"])
    page = logged_in(sam).get(reverse("admin:placements_case_matching", args=[case.pk]))
    text = page.content.decode()
    assert "Éwé au niveau B1 ou plus" in text
    assert "Éwé B1" in text  # what the case needs
    assert "ee au niveau" not in text and "ee B1" not in text
    assert "<small>Togo</small>" in text  # Kofi's nationality, not "TG"


def test_the_reason_written_when_the_host_commune_chooses_is_shown_in_the_readers_language(
    shortlisted, pierre, sam
):
    case, application = shortlisted
    case.case_officer = sam
    case.save(update_fields=["case_officer"])
    with translation.override("fr"):
        recruitment.choose_candidate(case=case, application=application, user=pierre)
    event = CaseEvent.objects.get(case=case, transition="select_candidate")
    assert event.reason == CHOSEN_BY_HOST_COMMUNE
    admin_page = logged_in(sam).get(reverse("admin:placements_case_change", args=[case.pk]))
    assert "Chosen by the host commune." in admin_page.content.decode()
    assert "Choisi·e" not in admin_page.content.decode()
    with translation.override("de"):
        assert event.reason_as_shown == translation.gettext(CHOSEN_BY_HOST_COMMUNE)
        assert event.reason_as_shown != CHOSEN_BY_HOST_COMMUNE


def test_the_case_officer_reads_the_reason_in_their_own_language(
    shortlisted, pierre, sam, mailoutbox, django_capture_on_commit_callbacks
):
    case, application = shortlisted
    case.case_officer = sam
    case.save(update_fields=["case_officer"])
    sam.language = "de"
    sam.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True), translation.override("fr"):
        recruitment.choose_candidate(case=case, application=application, user=pierre)
    with translation.override("de"):
        german = translation.gettext(CHOSEN_BY_HOST_COMMUNE)
    body = next(m.body for m in mailoutbox if sam.email in m.to)
    assert german in body and "Choisi·e" not in body


def test_the_migration_turns_stored_translations_of_the_reason_back_into_english(case, pierre):
    with translation.override("fr"):
        french = translation.gettext(CHOSEN_BY_HOST_COMMUNE)
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(case=case, transition="select_candidate", to_state="x", reason=french),
            CaseEvent(case=case, transition="decline", to_state="x", reason="Choisi·e ailleurs."),
        ]
    )
    REASONS_IN_ENGLISH.forwards(apps, None)
    reasons = set(CaseEvent.objects.filter(to_state="x").values_list("reason", flat=True))
    assert reasons == {CHOSEN_BY_HOST_COMMUNE, "Choisi·e ailleurs."}


def test_the_vacancy_filter_offers_the_languages_of_open_vacancies_in_the_readers_language(
    case, sam, erin
):
    RequiredLanguage.objects.create(eoi=case.eoi, language="ee", level="B1")
    advance(case, Case.State.PUBLISHED, by=sam)
    ExpertProfileFactory(user=erin, full_name="Erin Eriksen")
    erin.language = "fr"
    erin.save(update_fields=["language"])
    browser = logged_in(erin)
    page = browser.get(reverse("placements:vacancy-list")).content.decode()
    assert '<option value="ee">Éwé</option>' in page
    assert '<option value="sw">' not in page  # no open vacancy needs Swahili
    filtered = browser.get(reverse("placements:vacancy-list"), {"language": "ee"})
    assert case.eoi.title in filtered.content.decode()
