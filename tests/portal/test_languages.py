"""Pages speak one language: allauth's messages in the language of the page they appear on, and
English pages write dates the British way (the format of the portal's English)."""

from datetime import UTC, date, datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import formats, translation

from placements.forms import MatchingFilterForm
from tests.conftest import PASSWORD
from tests.placements.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Connexion avec Alice Albrecht réussie."),
        ("de", "Erfolgreich als Alice Albrecht angemeldet."),
    ],
)
def test_the_login_message_speaks_the_users_language_like_the_page_after_it(
    client, alice, language, message
):
    alice.language = language
    alice.save(update_fields=["language"])
    # The browser asks for English: the login page is English, the pages after it are not.
    response = client.post(
        "/accounts/login/",
        {"login": alice.email, "password": PASSWORD},
        headers={"accept-language": "en"},
        follow=True,
    )
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert message in page
    assert "Successfully signed in" not in page


def test_a_language_picked_in_the_browser_wins_over_the_users_own(client, alice):
    alice.language = "fr"
    alice.save(update_fields=["language"])
    client.cookies["django_language"] = "de"
    response = client.post(
        "/accounts/login/", {"login": alice.email, "password": PASSWORD}, follow=True
    )
    assert "Erfolgreich als Alice Albrecht angemeldet." in response.content.decode()


@pytest.mark.parametrize(
    ("language", "short", "long", "short_datetime"),
    [
        ("en", "01/12/2026", "1 Dec 2026", "01/12/2026 14:30"),
        ("de", "01.12.2026", "1. Dezember 2026", "01.12.2026 14:30"),
        ("fr", "01/12/2026", "1 décembre 2026", "01/12/2026 14:30"),
    ],
)
def test_dates_are_written_in_the_format_of_the_page_language(
    language, short, long, short_datetime
):
    with translation.override(language):
        assert formats.date_format(date(2026, 12, 1), "SHORT_DATE_FORMAT") == short
        assert formats.date_format(date(2026, 12, 1), "DATE_FORMAT") == long
        moment = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == short_datetime


def test_an_english_page_shows_the_first_of_december_day_first(client, sam):
    expert = ExpertProfileFactory(earliest_availability=date(2026, 12, 1))
    client.force_login(sam)
    page = client.get(reverse("experts:profile-detail", args=[expert.pk])).content.decode()
    assert "01/12/2026" in page
    assert "12/01/2026" not in page


def test_english_date_fields_read_dates_day_first_and_in_iso():
    field = forms.DateField()
    with translation.override("en"):
        assert field.clean("01/12/2026") == date(2026, 12, 1)
        assert field.clean("2026-12-01") == date(2026, 12, 1)


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_a_date_input_keeps_the_iso_date_the_browser_needs(language):
    with translation.override(language):
        form = MatchingFilterForm(initial={"available_by": date(2026, 12, 1)})
        assert 'value="2026-12-01"' in str(form["available_by"])
