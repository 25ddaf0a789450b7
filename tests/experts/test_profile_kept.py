"""The profile page's content kept in the cache (experts.selectors, "What the expert's profile
page keeps in the cache"): each expert sees only their own, in their language and time zone,
with a form token of their own that works; a change of anything the page shows is there on the
next visit, and an expert's change leaves the others' pages kept."""

import re
from datetime import UTC, date, datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext

from catalogue.models import DeploymentType, Theme
from experts.models import ExpertDocument, ExpertProfile

from .factories import LanguageFactory, PositionFactory, pdf_file, upload
from .helpers import PROFILE, german
from .test_profile_views import form_data


def queries_of(client) -> int:
    with CaptureQueriesContext(connection) as done:
        assert client.get(PROFILE).status_code == 200
    return len(done)


def test_two_experts_each_see_only_their_own_page_in_their_language(
    client_of, profile, erin, frank
):
    LanguageFactory(expert=profile, language="sw", level="C1")
    erins, franks = client_of(erin), client_of(frank)

    for _ in range(2):  # rendered, then kept
        erin_page = erins.get(PROFILE).content.decode()
        frank_page = franks.get(PROFILE).content.decode()
        assert 'value="Erin Eriksen"' in erin_page
        assert '<option value="sw" selected>' in erin_page
        assert 'value="Frank Fischer"' in frank_page
        assert "Erin Eriksen" not in frank_page
        assert '<option value="sw" selected>' not in frank_page
        frank_pk = ExpertProfile.objects.get(user=frank).pk
        assert reverse("experts:profile-detail", args=[frank_pk]) in frank_page
        assert reverse("experts:profile-detail", args=[frank_pk]) not in erin_page

    german_page = german(erins).get(PROFILE).content.decode()
    assert "Save my profile" not in german_page
    with translation.override("de"):
        assert gettext("Save my profile") in german_page
    assert 'value="Erin Eriksen"' in german_page
    assert "Save my profile" in franks.get(PROFILE).content.decode()


def test_each_request_gets_a_form_token_of_its_own_that_works(profile, erin):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(erin)
    second.force_login(erin)
    pages = [first.get(PROFILE).content.decode(), second.get(PROFILE).content.decode()]

    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page) for page in pages]
    # The profile form and the two uploads, as the forms of the page's frame (rendered for the
    # request): the request's own token in all of them.
    assert len(tokens[0]) == len(tokens[1]) > 3
    assert len(set(tokens[0])) == len(set(tokens[1])) == 1
    assert set(tokens[0]).isdisjoint(tokens[1])
    data = form_data(profile, keywords="Water supply", csrfmiddlewaretoken=tokens[1][0])
    assert second.post(PROFILE, data).status_code == 302
    assert 'value="Water supply"' in second.get(PROFILE).content.decode()


def test_a_saved_profile_shows_its_new_values_on_the_next_visit(client, profile, erin):
    client.force_login(erin)
    client.get(PROFILE)
    client.get(PROFILE)

    refused = client.post(PROFILE, form_data(profile, full_name="", keywords="Typed words"))
    assert refused.status_code == 400
    assert 'value="Typed words"' in refused.content.decode()
    assert 'value="Typed words"' not in client.get(PROFILE).content.decode()

    assert client.post(PROFILE, form_data(profile, keywords="Waste management")).status_code == 302
    assert 'value="Waste management"' in client.get(PROFILE).content.decode()


def test_every_kind_of_row_the_page_shows_is_there_on_the_next_visit(
    client, profile, erin, django_capture_on_commit_callbacks
):
    client.force_login(erin)
    client.get(PROFILE)

    LanguageFactory(expert=profile, language="sw", level="B2")
    assert '<option value="sw" selected>' in client.get(PROFILE).content.decode()

    position = PositionFactory(expert=profile, employer="Stadtwerke Kpalimé")
    assert "Stadtwerke Kpalimé" in client.get(PROFILE).content.decode()
    position.delete()
    assert "Stadtwerke Kpalimé" not in client.get(PROFILE).content.decode()

    upload(profile, "cv", pdf_file("my-cv.pdf"))
    assert "my-cv.pdf" in client.get(PROFILE).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ExpertDocument.objects.get(expert=profile).delete()
    assert "my-cv.pdf" not in client.get(PROFILE).content.decode()

    theme = Theme.objects.first()
    profile.expertise.add(theme)
    assert ticked(client.get(PROFILE), "expertise", theme.pk)
    model = DeploymentType.objects.first()
    profile.open_to_models.add(model)
    assert ticked(client.get(PROFILE), "open_to_models", model.pk)
    profile.open_to_models.clear()
    assert not ticked(client.get(PROFILE), "open_to_models", model.pk)


def ticked(response, name, pk) -> bool:
    page = response.content.decode()
    return bool(re.search(rf'<input[^>]*name="{name}" value="{pk}"[^>]*checked', page))


def test_a_change_of_the_themes_is_on_every_profile_page(client, profile, erin):
    client.force_login(erin)
    client.get(PROFILE)
    theme = Theme.objects.order_by("pk").last()
    pk = theme.pk
    theme.delete()

    assert f'name="expertise" value="{pk}"' not in client.get(PROFILE).content.decode()


def test_an_experts_change_leaves_the_others_pages_kept(client_of, profile, erin, frank):
    erins, franks = client_of(erin), client_of(frank)
    erins.get(PROFILE)
    franks.get(PROFILE)
    kept = queries_of(franks)

    LanguageFactory(expert=profile, language="sw", level="B2")

    assert queries_of(franks) == kept
    assert queries_of(erins) > kept


def test_the_upload_dates_are_in_the_experts_time_zone(client, profile, erin):
    document = upload(profile, "cv", pdf_file("my-cv.pdf"))
    uploaded = datetime(2026, 1, 1, 20, 0, tzinfo=UTC)  # 2 January in Tokyo
    ExpertDocument.objects.filter(pk=document.pk).update(uploaded_at=uploaded)
    client.force_login(erin)
    before = client.get(PROFILE).content.decode()  # kept in the default time zone

    erin.time_zone = "Asia/Tokyo"
    erin.save(update_fields=["time_zone"])
    page = client.get(PROFILE).content.decode()

    first, second = (
        formats.date_format(day, "SHORT_DATE_FORMAT")
        for day in (date(2026, 1, 1), date(2026, 1, 2))
    )
    assert f"{first})" in before
    assert f"{second})" in page
    assert f"{first})" not in page
