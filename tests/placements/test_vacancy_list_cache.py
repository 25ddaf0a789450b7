"""The vacancy list keeps its filter and pages in the cache: shared by everybody who sees the same
vacancies, forgotten when a vacancy or what its card shows changes, and it costs the same number
of queries with few and with many vacancies."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements.models import Case
from tests.placements.factories import CaseFactory, ExpertProfileFactory, advance

pytestmark = pytest.mark.django_db
LIST = reverse("placements:vacancy-list")


@pytest.fixture
def vacancy(case, sam):
    """A published vacancy, shown to visitors too."""
    vacancy = advance(case, Case.State.PUBLISHED, by=sam).vacancy
    vacancy.public = True
    vacancy.save(update_fields=["public"])
    return vacancy


def page(client, **query) -> str:
    return client.get(LIST, query).content.decode()


def test_a_newly_published_vacancy_is_listed_at_once(client, vacancy, partnership, sam, bob):
    client.force_login(bob)
    assert vacancy.title in page(client)
    other = CaseFactory(partnership=partnership, title="Water for Tsévié")

    advance(other, Case.State.PUBLISHED, by=sam)

    assert "Water for Tsévié" in page(client)


def test_a_renamed_host_commune_and_a_new_closing_date_show_at_once(client, vacancy):
    assert "Kpalimé" in page(client)
    commune = vacancy.case.eoi.host_communes.get()
    commune.name = "Kpalimé-Ville"
    commune.save(update_fields=["name"])
    vacancy.closing_date = vacancy.closing_date.replace(year=vacancy.closing_date.year + 1)
    vacancy.save(update_fields=["closing_date"])

    listing = page(client)

    assert "Kpalimé-Ville" in listing
    assert str(vacancy.closing_date.year) in listing


def test_a_vacancy_no_longer_public_leaves_the_visitors_list(client, vacancy):
    assert vacancy.title in page(client)
    vacancy.public = False
    vacancy.save(update_fields=["public"])

    listing = page(client)

    assert vacancy.title not in listing
    assert "One more vacancy is shown to people with an account." in listing


def test_each_person_is_told_what_concerns_them_whoever_came_before(client, vacancy, bob, erin):
    vacancy.public = False
    vacancy.save(update_fields=["public"])
    assert "One more vacancy is shown to people with an account." in page(client)

    client.force_login(bob)  # no expert profile
    for_bob = page(client)
    ExpertProfileFactory(user=erin)
    client.force_login(erin)
    for_erin = page(client)

    assert vacancy.title in for_bob and vacancy.title in for_erin
    assert "shown to people with an account" not in for_bob + for_erin
    assert "To apply for a vacancy you need an expert profile." in for_bob
    assert "you need an expert profile" not in for_erin
    # The page around the list is each person's own: their form token, their menu.
    assert "csrfmiddlewaretoken" in for_erin and "My expert profile" in for_erin


def test_the_filter_and_the_pages_are_kept_per_language_and_query(client, vacancy):
    english = page(client)
    french = client.get(LIST, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    filtered = page(client, language="es")

    assert "Filter the vacancies" in english and "Filter the vacancies" not in french
    assert vacancy.title in english and vacancy.title not in filtered
    assert "No vacancy matches your filters." in filtered


@pytest.mark.parametrize(
    "query", [{"language": "xx"}, {"page": "7"}, {"utm": "mail"}, {"theme": ["1", "2"]}]
)
def test_an_unusual_query_is_answered_but_not_kept(client, vacancy, query):
    page(client, **query)

    assert queries(client, **query) > 0


def queries(client, **query) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, query)
    assert response.status_code == 200
    return len(captured)


def test_a_kept_page_costs_a_visitor_no_query_and_an_account_one(client, vacancy, erin):
    page(client)
    assert queries(client) == 0
    ExpertProfileFactory(user=erin)
    client.force_login(erin)
    page(client)
    # Whether they have an expert profile (the user and their roles come from the cache).
    assert queries(client) == 1


def test_the_list_costs_the_same_queries_with_few_and_with_many_vacancies(
    client, vacancy, partnership, sam, bob
):
    client.force_login(bob)
    page(client, page="1")  # the session settles
    # With a query string that is not kept (an unknown parameter): the list is worked out each
    # time (the filter's choices, kept apart, were by the page before).
    few = [queries(client, language="fr", unknown=str(number)) for number in range(2)]
    for number in range(3):
        other = CaseFactory(partnership=partnership, title=f"Vacancy {number}")
        advance(other, Case.State.PUBLISHED, by=sam)
    page(client, page="1")
    many = [queries(client, language="fr", unknown=str(number)) for number in range(2)]

    assert few == many
    assert page(client).count('<article class="card') == 4
