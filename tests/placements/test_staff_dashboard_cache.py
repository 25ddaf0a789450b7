"""The staff dashboard keeps its rendered figures in the cache: the same for every member of staff
who reads the same language in the same time zone, forgotten as soon as a case, its expression of
interest, its communes or a deployment model changes, and without anything of the person who
asked first."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import DeploymentType
from placements.models import Case
from placements.selectors import vacancy_list_version
from tests.conftest import TOTP_SECRET
from tests.placements.factories import CaseFactory, advance

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("placements:staff-dashboard")


def dashboard(client) -> str:
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_case_and_a_new_state_show_at_once(client, case, partnership, sam):
    client.force_login(sam)
    assert "1 case in all." in dashboard(client)

    CaseFactory(partnership=partnership, title="Water for Tsévié")
    assert "2 cases in all." in dashboard(client)

    advance(case, Case.State.ELIGIBILITY_CHECK, by=sam)
    assert "Waste management in Kpalimé" in dashboard(client)


def test_a_host_country_changed_shows_at_once(client, case, sam):
    client.force_login(sam)
    assert "Togo" in dashboard(client)
    for commune in case.eoi.host_communes.all():
        commune.country = "BJ"
        commune.save(update_fields=["country"])

    page = dashboard(client)

    assert "Benin" in page
    assert "Togo" not in page


def test_a_changed_deployment_model_forgets_what_is_kept(db):
    before = vacancy_list_version()
    model = DeploymentType.objects.first()

    model.save()

    assert vacancy_list_version() != before


def test_the_kept_figures_hold_nothing_of_the_first_reader(client, case, sam, sven):
    TOTP.activate(sven, TOTP_SECRET)
    client.force_login(sam)
    dashboard(client)
    client.force_login(sven)

    page = dashboard(client)

    assert "Waste management in Kpalimé" in page
    assert sam.full_name not in page and sam.email not in page


def test_the_figures_are_kept_per_language(client, case, sam):
    client.force_login(sam)
    assert "Open the case list" in dashboard(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    page = dashboard(client)

    assert "Open the case list" not in page
    assert "Ouvrir la liste des dossiers" in page


def test_kept_figures_cost_no_query(client, case, sam):
    client.force_login(sam)
    dashboard(client)

    with CaptureQueriesContext(connection) as captured:
        dashboard(client)

    assert len(captured) == 0, [q["sql"] for q in captured]
