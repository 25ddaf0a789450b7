"""The expert's pages cost as many queries with ten languages, positions and documents as with
one: templates never query, views fetch related rows in one go."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import LanguageFactory, PositionFactory, complete, png_file, upload

LANGUAGES = ["de", "fr", "en", "es", "pt", "ar", "sw", "it", "nl", "pl"]


def add_rows(profile, count):
    """``count`` languages, positions and certificates in all (one of each comes with
    complete())."""
    have = set(profile.languages.values_list("language", flat=True))
    for code in [c for c in LANGUAGES if c not in have][: count - len(have)]:
        LanguageFactory(expert=profile, language=code)
    for number in range(profile.positions.count(), count):
        PositionFactory(expert=profile, employer=f"Employer {number}")
    for number in range(profile.documents.filter(kind="certificate").count(), count):
        upload(profile, "certificate", png_file(f"certificate {number}.png"))


PAGES = [
    pytest.param(lambda p: reverse("experts:profile"), id="profile"),
    pytest.param(lambda p: reverse("experts:profile-detail", args=[p.pk]), id="profile-detail"),
    pytest.param(lambda p: reverse("experts:profile-pdf", args=[p.pk]), id="profile-pdf"),
    pytest.param(lambda p: reverse("experts:export-json"), id="export-json"),
    pytest.param(lambda p: "/dashboard/", id="dashboard"),
]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_costs_the_same_queries_for_ten_rows_as_for_one(
    client, profile, erin, url, django_assert_num_queries
):
    complete(profile)
    add_rows(profile, 1)
    client.force_login(erin)
    client.get(url(profile))
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(profile)).status_code == 200
    queries = len(one)

    add_rows(profile, 10)
    assert profile.languages.count() == profile.positions.count() == 10
    assert profile.documents.count() == 11

    # Read again first: what a page keeps in the cache (the profile page's content) is forgotten
    # when its rows change.
    client.get(url(profile))
    with django_assert_num_queries(queries):
        assert client.get(url(profile)).status_code == 200


def forget_kept_profile_page(profile):
    """A new version of the profile page's content, as any change of the profile gives."""
    profile.save(update_fields=["updated_at"])


@pytest.mark.parametrize("rows", [1, 10])
def test_the_profile_page_stays_under_a_fixed_number_of_queries(
    client, profile, erin, rows, django_assert_num_queries
):
    complete(profile)
    add_rows(profile, rows)
    client.force_login(erin)
    client.get(reverse("experts:profile"))

    # Kept in the cache: the profile's row alone (for the key), nothing else.
    with django_assert_num_queries(1):
        assert client.get(reverse("experts:profile")).status_code == 200

    # Rendered: the profile's row, then its five kinds of rows (the formsets use the languages
    # and positions read with it). The choices of themes and of
    # deployment models come from the cache (catalogue.selectors).
    forget_kept_profile_page(profile)
    with django_assert_num_queries(6):
        assert client.get(reverse("experts:profile")).status_code == 200
