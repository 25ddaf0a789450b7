"""The mission page (with its reports, objectives, communes and events, for each of its readers),
the report page staff review, and the report form cost the same number of queries with few and
with many rows."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from experts.models import ExpertProfile
from placements.models import (
    CaseEvent,
    EventRegistration,
    Indicator,
    IndicatorValue,
    Mission,
    MissionObjective,
    MissionReport,
    ObjectiveProgress,
    ReportComment,
)
from placements.reporting import plan_reports
from placements.selectors import forget_mission_pages
from tests.experts.factories import mission_for
from tests.partnerships.factories import CommuneFactory, PartnershipFactory

from .factories import SupportEventFactory

pytestmark = pytest.mark.django_db
FEW, MANY = 2, 12


@pytest.fixture
def mission(erin, alice, partnership):
    profile = ExpertProfile.objects.create(user=erin, full_name="Erin", email=erin.email)
    mission = mission_for(profile, partnership=partnership, created_by=alice)
    Mission.objects.filter(pk=mission.pk).update(
        start=date(2020, 1, 1), planned_end=date(2021, 1, 1)
    )
    mission.refresh_from_db()
    return mission


def add_rows(mission, count):
    """Objectives with indicators, reports with progress, values and comments."""
    Mission.objects.filter(pk=mission.pk).update(
        planned_end=date(2020, 1, 1).replace(year=2020 + count)
    )
    mission.refresh_from_db()
    for number in range(count):
        objective = MissionObjective.objects.create(mission=mission, title=f"Objective {number}")
        Indicator.objects.create(objective=objective, name=f"I{number}", baseline=0, target=10)
    plan_reports(mission, today=date(2019, 1, 1))
    for report in mission.reports.all():
        for objective in mission.objectives.all():
            ObjectiveProgress.objects.get_or_create(
                report=report, objective=objective, defaults={"status": "on_track"}
            )
            for indicator in objective.indicators.all():
                IndicatorValue.objects.get_or_create(
                    report=report, indicator=indicator, defaults={"value": 5}
                )
        ReportComment.objects.create(report=report, kind="comment", body="Good")
    MissionReport.objects.filter(mission=mission).update(status="submitted")


def count(user, url) -> tuple[int, int]:
    """The queries of a request that renders what the page keeps in the cache, and of the next,
    which shows it from there."""
    browser = Client()
    browser.force_login(user)
    browser.get(url)
    forget_mission_pages()
    with CaptureQueriesContext(connection) as rendered:
        assert browser.get(url).status_code == 200
    with CaptureQueriesContext(connection) as kept:
        assert browser.get(url).status_code == 200
    return len(rendered), len(kept)


@pytest.mark.parametrize("page", ["mission", "report", "report-edit"])
def test_a_page_costs_the_same_queries_for_few_and_many_rows(mission, erin, sam, page):
    def url():
        report = mission.reports.order_by("number").first()
        if page == "mission":
            return mission.get_absolute_url()
        if page == "report":
            return report.get_absolute_url()
        MissionReport.objects.filter(pk=report.pk).update(status="draft")
        return reverse("placements:report-edit", args=[report.pk])

    viewer = erin if page == "report-edit" else sam
    add_rows(mission, FEW)
    few = count(viewer, url())
    add_rows(mission, MANY - FEW)
    many = count(viewer, url())

    assert few == many


def add_parties_and_events(mission, count):
    """More communes on both sides (a partnership each, host communes on the case), more of the
    case's history and more support events, upcoming and attended."""
    case = mission.case
    for number in range(count):
        german = CommuneFactory(name=f"Stadt {number}", country="DE")
        abroad = CommuneFactory(name=f"Town {number}", abroad=True)
        case.eoi.partnerships.add(
            PartnershipFactory(name=f"Partnership {number}", german_commune=german, partner=abroad)
        )
        case.host_communes.add(abroad)
        CaseEvent.objects.create(
            case=case, transition="extend", from_state="active", to_state="active", reason="Why"
        )
        event = SupportEventFactory()
        EventRegistration.objects.create(event=event, user=mission.expert.user)


@pytest.mark.parametrize("viewer", ["erin", "alice", "pierre", "sam"])
@pytest.mark.parametrize("page", ["mission", "report"])
def test_a_page_costs_the_same_queries_for_every_reader_and_many_rows(
    mission, viewer, page, request
):
    """As the expert, a member of the German commune, of the host commune and staff: more
    reports, objectives, communes, events of the case and support events ask no more queries."""
    user = request.getfixturevalue(viewer)

    def add(count):
        add_rows(mission, count)
        add_parties_and_events(mission, count)
        # Accepted: every viewer reads them (and the communes may comment).
        MissionReport.objects.filter(mission=mission).update(status="accepted")

    def url():
        if page == "mission":
            return mission.get_absolute_url()
        return mission.reports.order_by("number").first().get_absolute_url()

    add(FEW)
    few = count(user, url())
    add(MANY - FEW)
    many = count(user, url())

    assert few == many
    rendered, kept = many
    # The communes are read once (they were read per partnership, twice on the mission page:
    # 18 to 26 queries here with few rows, 10 to 20 more with many).
    assert rendered <= 16
    # Kept: who may see the page (the user's communes, the mission or report), the communes
    # on the case when the reader is one of them.
    assert kept <= 5


@pytest.mark.parametrize("viewer", ["erin", "alice", "sam"])
def test_the_mission_list_costs_the_same_queries_for_few_and_many_missions(
    mission, erin, alice, partnership, viewer, request
):
    user = request.getfixturevalue(viewer)
    url = reverse("placements:mission-list")
    few = count(user, url)
    for _ in range(4):
        mission_for(mission.expert, partnership=partnership, created_by=alice)

    browser = Client()
    browser.force_login(user)
    response = browser.get(url)
    assert len(response.context["missions"]) == 5
    assert count(user, url) == few
