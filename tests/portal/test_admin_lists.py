"""The case list's rows, written by portal.admin_lists, are the rows Django's admin renders."""

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation

from devtools import generator
from placements.models import Case
from portal.admin_lists import list_filters, result_rows

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
        for query in ("", "?state=screening&_facets=1", "?o=-3.5", "?q=a", "?mine=yes&p=1"):
            with translation.override(language):
                cl = change_list(sam, query)
                rows = result_rows(cl)
                assert rows, f"The list shows cases ({query})."
                assert rows == djangos_rows(cl), (language, query)
                filters = list_filters(cl)
                assert all(f in filters for f in djangos_filters(cl)), (language, query)


def test_the_case_list_counts_the_cases_once_when_nothing_is_filtered(sam):
    generator.generate(cases=3, experts=5, seed=3)
    cl = change_list(sam)
    assert (cl.result_count, cl.full_result_count) == (3, 3)
    filtered = change_list(sam, "?state=closed")
    assert filtered.full_result_count == 3
