"""Vacancies, applications and the host commune's shortlist in the portal: what each person may
see and do."""

import re

import pytest
from django.urls import reverse

from placements import services as recruitment
from placements.models import Application, Case, Vacancy
from portal import roles
from tests.conftest import asks_first, make_user
from tests.placements.factories import ExpertProfileFactory, advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin_profile(erin):
    return ExpertProfileFactory(user=erin, full_name="Erin Eriksen", email=erin.email)


@pytest.fixture
def published(case, sam):
    return advance(case, Case.State.PUBLISHED, by=sam)


def login(client, user):
    client.force_login(user)
    return client


def test_experts_see_published_vacancies_and_visitors_only_public_ones(
    client, published, erin_profile
):
    vacancy = published.vacancy
    assert client.get(reverse("placements:vacancy-list")).status_code == 200
    assert vacancy.title not in client.get(reverse("placements:vacancy-list")).content.decode()
    assert client.get(vacancy.get_absolute_url()).status_code == 404
    # Saved as the admin saves it: the list kept in the cache is forgotten.
    vacancy.public = True
    vacancy.save(update_fields=["public"])
    assert vacancy.title in client.get(reverse("placements:vacancy-list")).content.decode()
    login(client, erin_profile.user)
    vacancy.public = False
    vacancy.save(update_fields=["public"])
    page = client.get(reverse("placements:vacancy-list")).content.decode()
    assert vacancy.title in page
    assert client.get(vacancy.get_absolute_url()).status_code == 200


def test_a_drafted_or_closed_vacancy_is_not_listed(client, case, sam, erin_profile):
    drafted = advance(case, Case.State.VACANCY_DRAFTED, by=sam)
    login(client, erin_profile.user)
    assert client.get(drafted.vacancy.get_absolute_url()).status_code == 404


def test_vacancies_filter_by_theme_country_model_and_language(client, published, erin_profile):
    login(client, erin_profile.user)
    title = published.vacancy.title
    url = reverse("placements:vacancy-list")
    assert title in client.get(url, {"country": "TG"}).content.decode()
    assert title not in client.get(url, {"language": "es"}).content.decode()
    model = published.deployment_type.pk
    assert title in client.get(url, {"model": model}).content.decode()


def test_an_expert_applies_with_a_snapshot_and_sees_the_status(client, published, erin_profile):
    login(client, erin_profile.user)
    vacancy = published.vacancy
    response = client.post(
        reverse("placements:vacancy-apply", args=[vacancy.pk]),
        {"motivation": "Ich kenne Kpalimé seit zehn Jahren."},
    )
    assert response.status_code == 302
    application = Application.objects.get(vacancy=vacancy, expert=erin_profile)
    assert application.profile_snapshot["full_name"] == "Erin Eriksen"
    page = client.get(reverse("placements:my-applications")).content.decode()
    assert vacancy.title in page and "Applied" in page
    again = client.post(
        reverse("placements:vacancy-apply", args=[vacancy.pk]), {"motivation": "Twice."}
    )
    assert again.status_code == 400
    assert "already applied" in again.content.decode()


def test_an_empty_motivation_letter_is_refused_and_nothing_is_saved(
    client, published, erin_profile
):
    login(client, erin_profile.user)
    response = client.post(
        reverse("placements:vacancy-apply", args=[published.vacancy.pk]), {"motivation": ""}
    )
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_a_user_without_expert_profile_is_sent_to_create_one(client, published, alice):
    Vacancy.objects.filter(pk=published.vacancy.pk).update(public=True)
    login(client, alice)
    response = client.post(
        reverse("placements:vacancy-apply", args=[published.vacancy.pk]), {"motivation": "Hello"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("experts:profile")


def test_an_expert_withdraws_only_their_own_application(client, published, erin_profile):
    application = recruitment.apply(
        vacancy=published.vacancy, expert=erin_profile, motivation="Yes"
    )
    other = make_user("otto@example.org", role=roles.EXPERT)
    ExpertProfileFactory(user=other)
    login(client, other)
    url = reverse("placements:application-withdraw", args=[application.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    login(client, erin_profile.user)
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_withdrawing_an_application_asks_first_and_one_click_withdraws_nothing(
    client, published, erin_profile
):
    application = recruitment.apply(
        vacancy=published.vacancy, expert=erin_profile, motivation="Yes"
    )
    login(client, erin_profile.user)
    url = reverse("placements:application-withdraw", args=[application.pk])

    asks_first(client, url, "Withdraw my application")

    application.refresh_from_db()
    assert application.status == Application.Status.APPLIED


def test_my_applications_shows_only_mine(client, published, erin_profile):
    recruitment.apply(vacancy=published.vacancy, expert=erin_profile, motivation="Yes")
    other = make_user("otto@example.org", role=roles.EXPERT)
    ExpertProfileFactory(user=other)
    login(client, other)
    assert (
        published.vacancy.title
        not in client.get(reverse("placements:my-applications")).content.decode()
    )


@pytest.fixture
def shortlist_sent(case, sam, erin_profile):
    case = advance(case, Case.State.SCREENING, by=sam)
    recruitment.apply(vacancy=case.vacancy, expert=erin_profile, motivation="Je parle français.")
    recruitment.shortlist(case=case, expert=erin_profile, by=sam)
    return advance(case, Case.State.SHORTLIST_SENT, by=sam)


def test_the_host_commune_sees_the_shared_fields_and_chooses(
    client, shortlist_sent, pierre, erin_profile, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, pierre)
    url = reverse("placements:shortlist", args=[shortlist_sent.pk])
    page = client.get(url).content.decode()
    assert "Erin Eriksen" in page and "Je parle français." in page
    application = Application.objects.get(expert=erin_profile)
    choose = reverse("placements:shortlist-choose", args=[shortlist_sent.pk, application.pk])
    assert choose in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(choose, {"confirm": "yes"})
    assert response.status_code == 302
    case = Case.objects.get(pk=shortlist_sent.pk)
    assert case.state == Case.State.CANDIDATE_SELECTED
    assert case.selected_expert == erin_profile and case.host_commune_chose_expert
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED


def test_fields_staff_did_not_share_stay_hidden(client, shortlist_sent, pierre):
    Vacancy.objects.filter(case=shortlist_sent).update(shared_fields=["languages"])
    login(client, pierre)
    page = client.get(reverse("placements:shortlist", args=[shortlist_sent.pk])).content.decode()
    assert "Je parle français." not in page


@pytest.mark.parametrize("who", ["anonymous", "bob", "erin", "alice"])
def test_only_the_host_commune_sees_the_shortlist(
    client, shortlist_sent, who, bob, erin_profile, alice
):
    """Alice is a member of the German commune, not of the host commune."""
    url = reverse("placements:shortlist", args=[shortlist_sent.pk])
    application = Application.objects.get()
    choose = reverse("placements:shortlist-choose", args=[shortlist_sent.pk, application.pk])
    if who != "anonymous":
        login(client, {"bob": bob, "erin": erin_profile.user, "alice": alice}[who])
    response = client.get(url)
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    assert response.status_code == 404
    assert client.get(choose).status_code == 404
    assert client.post(choose, {"confirm": "yes"}).status_code == 404
    assert Case.objects.get(pk=shortlist_sent.pk).state == Case.State.SHORTLIST_SENT


def test_choosing_a_candidate_asks_first_and_one_click_chooses_nobody(
    client, shortlist_sent, pierre, erin_profile
):
    login(client, pierre)
    application = Application.objects.get(expert=erin_profile)
    choose = reverse("placements:shortlist-choose", args=[shortlist_sent.pk, application.pk])

    # Pierre reads French.
    asks_first(client, choose, "Choisir Erin Eriksen ?", "Cette action est irréversible.")

    assert Case.objects.get(pk=shortlist_sent.pk).state == Case.State.SHORTLIST_SENT
    application.refresh_from_db()
    assert application.status == Application.Status.SHORTLISTED


def test_the_confirmation_page_of_a_candidate_already_decided_says_so(
    client, shortlist_sent, pierre, erin_profile
):
    application = Application.objects.get(expert=erin_profile)
    case = recruitment.choose_candidate(case=shortlist_sent, application=application, user=pierre)
    login(client, pierre)
    choose = reverse("placements:shortlist-choose", args=[shortlist_sent.pk, application.pk])

    response = client.get(choose, follow=True)

    assert response.redirect_chain[-1][0] == reverse("placements:shortlist", args=[case.pk])
    # Pierre reads French.
    assert "Cette personne ne peut plus être choisie." in response.content.decode()
    assert 'name="confirm"' not in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "alice", "erin", "sam"])
def test_only_staff_see_the_dashboard(client, who, alice, erin, sam):
    url = reverse("placements:staff-dashboard")
    if who != "anonymous":
        login(client, {"alice": alice, "erin": erin, "sam": sam}[who])
    response = client.get(url)
    expected = {"anonymous": 302, "alice": 404, "erin": 404, "sam": 200}[who]
    assert response.status_code == expected


def test_the_vacancy_filters_pick_country_and_language_from_searchable_lists(client, db):
    page = client.get(reverse("placements:vacancy-list")).content.decode()

    for name in ("country", "language"):
        assert re.search(rf'<select name="{name}"[^>]*data-searchable="single"', page), name
