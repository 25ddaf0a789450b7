"""The matching page keeps what it shows below its title in the cache: each member of staff gets
their own form token and the forms they may use, and a change of what the ranking reads shows
at once."""

import re
from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import Theme
from experts.models import ExpertLanguage
from partnerships.models import RequiredLanguage
from placements import selectors
from placements.models import Application, Case
from tests.conftest import TOTP_SECRET
from tests.placements.factories import ExpertProfileFactory, advance

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


@pytest.fixture
def screening(case, sam):
    return advance(case, Case.State.SCREENING, by=sam)


@pytest.fixture
def eva():
    return ExpertProfileFactory(full_name="Eva Schmidt", nationalities=["DE"])


def url(case) -> str:
    return reverse("admin:placements_case_matching", args=[case.pk])


def page(user, case, **query) -> str:
    browser = Client()
    browser.force_login(user)
    response = browser.get(url(case), query)
    assert response.status_code == 200
    return response.content.decode()


def test_each_request_gets_its_own_form_token_and_it_works(screening, eva, sam):
    page(sam, screening)  # kept
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(sam)
    shown = browser.get(url(screening)).content.decode()
    # One token in every form of the tables (the admin's logout form has its own).
    tokens = set(TOKEN.findall(shown.split('id="ranked-title"')[1]))
    assert len(tokens) == 1 and "Shortlist Eva Schmidt" in shown
    act = reverse("admin:placements_case_matching_action", args=[screening.pk])
    response = browser.post(
        act, {"csrfmiddlewaretoken": tokens.pop(), "expert": eva.pk, "action": "shortlist"}
    )
    assert response.status_code == 302
    assert Application.objects.get(expert=eva).status == Application.Status.SHORTLISTED


def test_who_may_only_read_gets_no_forms_after_who_may_act_and_back(screening, eva, sam, cora):
    TOTP.activate(cora, TOTP_SECRET)
    assert "Shortlist Eva Schmidt" in page(sam, screening)
    read = page(cora, screening)
    assert "Eva Schmidt" in read and "Shortlist Eva Schmidt" not in read
    assert not TOKEN.search(read.split('id="ranked-title"')[1])
    assert "Shortlist Eva Schmidt" in page(sam, screening)


def test_each_query_string_is_kept_apart(screening, eva, sam):
    ExpertProfileFactory(full_name="Kofi Mensah", nationalities=["TG"])
    assert "Kofi Mensah" in page(sam, screening)
    assert "Kofi Mensah" not in page(sam, screening, nationality="DE")
    assert 'value="DE" selected' in page(sam, screening, nationality="DE")
    assert 'value="DE" selected' not in page(sam, screening)


def test_an_experts_change_shows_at_once(screening, eva, sam):
    assert "0 of 1 areas of expertise" in page(sam, screening)
    eva.expertise.set(Theme.objects.filter(code=Theme.Code.WASTE))
    assert "1 of 1 areas of expertise" in page(sam, screening)
    eva.full_name = "Eva Schmidt-Weber"
    eva.save()
    assert "Eva Schmidt-Weber" in page(sam, screening)
    eva.delete()
    assert "Eva Schmidt" not in page(sam, screening)


def test_a_language_shows_at_once(screening, eva, sam):
    RequiredLanguage.objects.create(eoi=screening.eoi, language="fr", level="B2")
    assert "✖ French at B2 or better" in page(sam, screening)
    language = ExpertLanguage.objects.create(expert=eva, language="fr", level="C1")
    assert "✔ French at B2 or better" in page(sam, screening)
    language.delete()
    assert "✖ French at B2 or better" in page(sam, screening)


def test_an_application_and_the_case_show_at_once(screening, eva, sam):
    assert "Shortlist Eva Schmidt" in page(sam, screening)
    browser = Client()
    browser.force_login(sam)
    act = reverse("admin:placements_case_matching_action", args=[screening.pk])
    browser.post(act, {"expert": eva.pk, "action": "shortlist"})
    assert "Take Eva Schmidt off the shortlist" in page(sam, screening)
    assert "Start: 04/05/2031" not in page(sam, screening)
    screening.planned_start = date(2031, 5, 4)
    screening.save()
    assert "Start: 04/05/2031" in page(sam, screening)


def test_a_theme_renews_the_version(screening, sam):
    before = selectors.matching_page_version()
    theme = Theme.objects.first()
    theme.save()
    assert selectors.matching_page_version() != before


def test_the_page_makes_as_many_queries_with_many_candidates_as_with_one(screening, eva, sam):
    """Rendered (the version renewed before each request) and shown from the cache: test_scale
    measures the page twice, so it counts what the cache shows."""
    browser = Client()
    browser.force_login(sam)
    browser.get(url(screening))

    def queries() -> tuple[int, int]:
        selectors.forget_matching_pages()
        with CaptureQueriesContext(connection) as rendered:
            browser.get(url(screening))
        with CaptureQueriesContext(connection) as kept:
            browser.get(url(screening))
        return len(rendered), len(kept)

    with_one = queries()
    act = reverse("admin:placements_case_matching_action", args=[screening.pk])
    for n in range(25):
        expert = ExpertProfileFactory(full_name=f"Expert {n:02d}", nationalities=["DE", "TG"])
        ExpertLanguage.objects.create(expert=expert, language="fr", level="C1")
        if n % 3 == 0:
            browser.post(act, {"expert": expert.pk, "action": "shortlist"})
    ExpertProfileFactory(full_name="Kofi Mensah", nationalities=["TG"])
    assert queries() == with_one == (9, 1)


def test_a_case_that_does_not_exist_is_not_found(sam):
    browser = Client()
    browser.force_login(sam)
    response = browser.get(reverse("admin:placements_case_matching", args=[999999]))
    assert response.status_code == 404


def test_the_version_read_at_once_is_the_version_read_one_by_one():
    first = selectors.matching_page_version()  # both versions created one by one
    assert selectors.matching_page_version() == first
    selectors.forget_vacancy_lists()
    assert selectors.matching_page_version() != first
