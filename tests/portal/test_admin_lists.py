"""The case list's rows (and the table around them), written by portal.admin_lists, are the rows
Django's admin renders; what it keeps in the cache of an unfiltered list follows the cases."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.contrib.auth.models import update_last_login
from django.core.cache import cache
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import SustainableDevelopmentGoal, Theme
from devtools import generator
from placements.admin_case_list import seconds_until_a_day_passes
from placements.models import Case
from portal.admin_lists import list_filters, result_list, result_rows, results_html
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def change_list(user, query=""):
    request = RequestFactory().get(f"/admin/placements/case/{query}")
    request.user = user
    model_admin = admin.site._registry[Case]
    cl = model_admin.get_changelist_instance(request)
    cl.formset = None
    return cl


def djangos_rows(cl):
    return ["".join(items_for_result(cl, case, None)) for case in cl.result_list]


def djangos_filters(cl):
    return [
        get_template(spec.template).render(
            {"title": spec.title, "choices": list(spec.choices(cl)), "spec": spec}
        )
        for spec in cl.filter_specs
    ]


def test_the_case_list_rows_and_filters_are_djangos(sam):
    generator.generate(cases=12, experts=10, seed=3)
    Case.objects.filter(pk__in=Case.objects.values("pk")[:4]).update(case_officer=sam)
    for language in ("en", "de"):
        for query in ("", "?state=screening&_facets=1", "?o=-3.5", "?o=2", "?q=a", "?mine=yes&p=1"):
            with translation.override(language):
                cl = change_list(sam, query)
                rows = result_rows(cl)
                assert rows, f"The list shows cases ({query})."
                assert rows == djangos_rows(cl), (language, query)
                djangos_results = get_template("admin/change_list_results.html").render(
                    result_list(cl)
                )
                assert results_html(cl) == djangos_results, (language, query)
                filters = list_filters(cl)
                assert all(f in filters for f in djangos_filters(cl)), (language, query)


def test_the_case_list_counts_the_cases_once_when_nothing_is_filtered(sam):
    generator.generate(cases=3, experts=5, seed=3)
    cl = change_list(sam)
    assert (cl.result_count, cl.full_result_count) == (3, 3)
    filtered = change_list(sam, "?state=closed")
    assert filtered.full_result_count == 3


def listing(client, query=""):
    """The admin case list, with the query string `query`."""
    response = client.get(reverse("admin:placements_case_changelist") + query)
    assert response.status_code == 200
    return response


def test_the_kept_count_date_hierarchy_and_host_countries_follow_the_cases(client, sam, db):
    """Kept in the cache for an unfiltered list, under the cases' version: a case added, moved to
    another year or given another host country shows at the next request; filtered lists are
    worked out afresh."""
    generator.generate(cases=3, experts=5, seed=3)
    client.force_login(sam)
    first = listing(client)
    assert first.context["cl"].result_count == 3
    years = {case.created_at.year for case in Case.objects.all()}
    case = Case.objects.first()
    commune = case.host_communes.first()

    case.created_at = case.created_at.replace(year=2019)
    case.save(update_fields=["created_at"])
    page = listing(client).content.decode()
    assert "created_at__year=2019" in page
    assert listing(client, "?state=closed").context["cl"].full_result_count == 3

    commune.country = "BJ"
    commune.save(update_fields=["country"])
    assert "?country=BJ" in listing(client).content.decode()

    other = Case.objects.exclude(pk=case.pk).first()
    other.delete()
    assert listing(client).context["cl"].result_count == 2
    assert years  # the generated cases had a year to show


def test_a_count_kept_too_low_never_shows_the_whole_table(sam, monkeypatch):
    """Rows inserted without signals (a bulk insert) leave the kept count behind: the list still
    shows one page at most."""
    generator.generate(cases=3, experts=5, seed=3)
    model_admin = admin.site._registry[Case]
    monkeypatch.setattr(model_admin, "list_per_page", 2)
    cl = change_list(sam)
    assert cl.result_count == 3
    key = f"admin-list-count:{Case._meta.label}:{model_admin.unfiltered_list_version()}"
    cache.set(key, 1)

    cl = change_list(sam)

    assert cl.result_count == 1
    assert len(list(cl.result_list)) == 2


def test_the_kept_filters_follow_the_cases_themes_sdgs_and_staff_accounts(client, sam, gina):
    """The unfiltered list's filters are kept (no filter is built to show them again); a theme
    or SDG removed, a staff account added or renamed, a case's new host country shows at the next
    request; a login changes nothing they show and keeps them."""
    generator.generate(cases=3, experts=5, seed=3)
    client.force_login(sam)

    def filters(query=""):
        response = listing(client, query)
        page = response.content.decode()
        return response.context["cl"], page[page.index('<nav id="changelist-filter"') :]

    cl, first = filters()
    assert cl.filter_specs and cl.kept_filters is None
    cl, again = filters()
    assert (cl.filter_specs, again) == ([], first), "Kept, and no filter built."
    assert "Gina Graf" in first

    theme = Theme.objects.filter(expressionofinterest__isnull=False).first()
    sdg = SustainableDevelopmentGoal.objects.first()
    assert f"eoi__themes__id__exact={theme.pk}" in first
    assert f"eoi__sdgs__id__exact={sdg.pk}" in first
    theme.delete()
    sdg.delete()
    _cl, shown = filters()
    assert f"eoi__themes__id__exact={theme.pk}" not in shown
    assert f"eoi__sdgs__id__exact={sdg.pk}" not in shown

    gina.full_name = "Gina Gross"
    gina.save()
    make_user("otto@example.org", staff=True, name="Otto Olsen")
    case = Case.objects.first()
    commune = case.host_communes.first()
    commune.country = "BJ"
    commune.save(update_fields=["country"])
    _cl, shown = filters()
    assert "Gina Gross" in shown and "Gina Graf" not in shown
    assert "Otto Olsen" in shown
    assert "?country=BJ" in shown

    update_last_login(None, gina)
    cl, after_login = filters()
    assert (cl.filter_specs, after_login) == ([], shown)
    # A filter chosen, a search or the counts: worked out afresh, never kept.
    for query in ("?state=closed", "?q=a", "?_facets=1"):
        cl, _shown = filters(query)
        assert cl.filter_specs and cl.filters_key is None, query


def test_the_kept_rows_follow_the_cases_their_eois_and_case_officers(client, sam, gina):
    """A page of the unfiltered list is kept rendered (its cases are not read again): a case's
    new title or case officer's new name shows at the next request; a filtered list is read."""
    generator.generate(cases=3, experts=5, seed=3)
    case = Case.objects.select_related("eoi").first()
    case.case_officer = gina
    case.save()
    client.force_login(sam)
    first = listing(client)
    assert first.context["cl"].kept_results is None
    again = listing(client)
    assert again.context["cl"].kept_results is not None
    assert tokenless(again) == tokenless(first)
    assert "0 of 3 selected" in again.content.decode()

    case.eoi.title = "A market hall for Natitingou"
    case.eoi.save()
    gina.full_name = "Gina Gross"
    gina.save()
    page = listing(client).content.decode()
    assert "A market hall for Natitingou" in page
    assert "Gina Gross" in page and "Gina Graf" not in page
    assert listing(client, "?state=closed").context["cl"].kept_results is None
    # The same page and order, written in another order: the links keep it as written.
    listing(client, "?o=2&p=1")
    assert "_changelist_filters=p%3D1%26o%3D2" in listing(client, "?p=1&o=2").content.decode()


def tokenless(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_kept_rows_last_until_a_day_in_state_passes():
    now = timezone.now()
    moments = [now - timedelta(days=3, hours=2), now - timedelta(hours=23, minutes=59, seconds=50)]
    assert seconds_until_a_day_passes(moments, now) == 10
    assert seconds_until_a_day_passes([now], now) == 24 * 60 * 60
