"""The staff's busiest pages make as many queries with 5,000 cases as with 10 (issue: "Query
counts of the admin case list, the case page and the dashboard are asserted in tests and stay the
same with 10 and with 5,000 cases").

Ten generated cases are measured, 4,990 more (and 2,000 more experts) are generated, and the same
pages, the same case pages included, are measured again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devtools import generator, loadbench
from placements.models import Case
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.scale]

S = Case.State
# The ten cases of this seed include one in screening and some in a mission.
SEED = 20
IN_MISSION = (S.ACTIVE, S.EXTENSION_REQUESTED, S.CLOSING, S.CLOSED)
CASE_LIST = "admin:placements_case_changelist"


def measure(client, urls: dict[str, str]) -> tuple[dict[str, int], dict[str, int]]:
    """Queries per page, and rows per case list."""
    queries, rows = {}, {}
    for name, url in urls.items():
        # A first request fills what is cached per process (content types, permissions).
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, f"{name}: HTTP {response.status_code}"
        queries[name] = len(captured)
        if "cl" in response.context:
            rows[name] = len(response.context["cl"].result_list)
    return queries, rows


def test_staff_pages_make_as_many_queries_with_5000_cases_as_with_10(client):
    ada = make_user("ada@example.org", staff=True, superuser=True, mfa=True, name="Ada Admin")
    client.force_login(ada)
    generator.generate(cases=10, experts=40, seed=SEED)
    cases = list(Case.objects.prefetch_related("events", "host_communes"))
    in_mission = [c for c in cases if c.state in IN_MISSION]
    screening = [c for c in cases if c.state == S.SCREENING]
    assert in_mission and screening, f"Seed {SEED} no longer gives the cases this test needs."
    late = max(in_mission, key=lambda c: len(c.events.all()))
    screening = screening[0]
    country = screening.host_communes.all()[0].country.code
    Case.objects.filter(pk__in=[late.pk, screening.pk]).update(case_officer=ada)

    case_list = reverse(CASE_LIST)
    urls = {
        "case list": case_list,
        "case list, submitted": f"{case_list}?state=submitted",
        "case list, request stage": f"{case_list}?stage=request",
        "case list, my cases": f"{case_list}?mine=yes",
        "case list, search": f"{case_list}?q=a",
        "case list, host country": f"{case_list}?country={country}",
        "case page": reverse("admin:placements_case_change", args=[late.pk]),
        # Its change form is kept in the cache on the second request: a popup's is rendered
        # on every request.
        "case page, rendered": reverse("admin:placements_case_change", args=[late.pk])
        + "?_popup=1",
        "staff dashboard": reverse("placements:staff-dashboard"),
        "matching page": reverse("admin:placements_case_matching", args=[screening.pk]),
    }
    queries_with_10, rows_with_10 = measure(client, urls)

    # Fewer communes than the default one per case keep the test quick; what grows is the cases.
    generator.generate(cases=4990, experts=2000, communes=1000, seed=SEED + 1)
    mine = Case.objects.exclude(pk__in=[late.pk, screening.pk]).values("pk")[:200]
    Case.objects.filter(pk__in=mine).update(case_officer=ada)
    assert Case.objects.count() == 5000
    queries_with_5000, rows_with_5000 = measure(client, urls)

    # Every list shows rows both times, and a full page the second time: an N+1 would show.
    assert all(rows_with_10.values()), rows_with_10
    assert rows_with_5000["case list"] == 50
    assert rows_with_5000["case list, my cases"] == 50
    assert queries_with_5000 == queries_with_10


def test_every_benchmarked_page_makes_as_many_queries_with_5000_cases_as_with_40():
    """The pages `manage.py benchmark` drives, each as the user of its role (chosen and logged
    in by the benchmark's own code), with 40 and with 5,000 cases (40: enough for every list to
    show rows, published vacancies included, so that an N+1 would show)."""
    generator.generate(cases=40, experts=80, seed=SEED, missions=2)

    def queries_per_page():
        return {page.name: loadbench.count_queries(page) for page in loadbench.pages()}

    with_40 = queries_per_page()
    generator.generate(cases=4960, experts=2000, communes=1000, seed=SEED + 1)
    with_5000 = queries_per_page()

    assert with_5000 == with_40
    # Being logged in costs no query before the view: the session and the user come from the
    # cache, and nothing is written.
    assert with_40["bare view, anonymous"] == 0
    assert with_40["bare view, logged in"] == 0
