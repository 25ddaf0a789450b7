"""The mission page and the report page keep what they show of the mission in the cache: each
reader is shown what they may read whoever came before, and a change shows at once."""

import time
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from experts.models import ExpertProfile
from placements.models import (
    Case,
    EventRegistration,
    Indicator,
    IndicatorValue,
    Mission,
    MissionObjective,
    MissionReport,
    ReportComment,
)
from placements.reporting import plan_reports
from tests.experts.factories import mission_for

from .factories import SupportEventFactory

pytestmark = pytest.mark.django_db


def page(user, url) -> str:
    browser = Client()
    browser.force_login(user)
    response = browser.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def mission(erin, alice, sam, partnership):
    profile = ExpertProfile.objects.create(user=erin, full_name="Erin Eriksen", email=erin.email)
    mission = mission_for(profile, partnership=partnership, created_by=alice)
    Case.objects.filter(pk=mission.case_id).update(case_officer=sam)
    Mission.objects.filter(pk=mission.pk).update(
        start=date(2026, 10, 1), planned_end=date(2028, 10, 1)
    )
    mission.refresh_from_db()
    plan_reports(mission, today=date(2026, 10, 1))
    return mission


def first_report(mission) -> MissionReport:
    return mission.reports.get(number=1)


def accept(report) -> None:
    report.status = MissionReport.Status.ACCEPTED
    report.activities = "Sorted the waste of three districts."
    report.save()


def test_each_reader_of_the_mission_page_sees_what_they_may_read_whoever_came_before(
    mission, erin, alice, pierre, sam
):
    report = first_report(mission)
    report.status = MissionReport.Status.SUBMITTED
    report.save()
    link = f'href="{report.get_absolute_url()}"'

    for_erin = page(erin, mission.get_absolute_url())
    for_alice = page(alice, mission.get_absolute_url())
    for_pierre = page(pierre, mission.get_absolute_url())
    for_sam = page(sam, mission.get_absolute_url())

    # The expert and staff read the submitted report; the communes only once it is accepted.
    assert link in for_erin and link in for_sam
    assert link not in for_alice and link not in for_pierre
    # The expert is told what to do with the reports due; the others read their status.
    assert "Waiting for you to write it" in for_erin
    assert "Waiting for you to write it" not in for_alice + for_sam
    assert "Not started" in for_alice
    # Each in their language: Pierre reads French.
    assert "Objectifs" in for_pierre and "Objectives" in for_alice
    # Each page around it is the reader's own: their form token.
    assert for_erin.count("csrfmiddlewaretoken") == for_alice.count("csrfmiddlewaretoken")
    assert for_erin != for_alice


def test_the_mission_page_shows_a_change_at_once(mission, erin, alice, sam, partnership):
    url = mission.get_absolute_url()
    before = page(erin, url)
    assert "Plastic recovered" not in before

    objective = MissionObjective.objects.create(mission=mission, title="Recycling started")
    indicator = Indicator.objects.create(
        objective=objective, name="Plastic recovered", unit="t", baseline=0, target=50
    )
    assert "Plastic recovered" in page(erin, url)

    report = first_report(mission)
    IndicatorValue.objects.create(report=report, indicator=indicator, value=12)
    accept(report)
    for_alice = page(alice, url)
    assert f'href="{report.get_absolute_url()}"' in for_alice
    assert "12" in for_alice

    commune = partnership.german_commune
    commune.name = "Leipzig-Mitte"
    commune.save()
    sam.full_name = "Samuel Sauer"
    sam.save()
    event = SupportEventFactory(title="Coaching on waste")
    EventRegistration.objects.create(event=event, user=erin)
    after = page(erin, url)
    assert "Leipzig-Mitte" in after
    assert "Samuel Sauer" in after
    assert after.count("Coaching on waste") == 2  # attended, and upcoming


def test_a_support_event_leaves_the_mission_page_once_it_has_ended(mission, erin):
    SupportEventFactory(
        title="Evening meeting",
        start=timezone.now() - timedelta(hours=1),
        end=timezone.now() + timedelta(seconds=1),
    )
    url = mission.get_absolute_url()
    assert "Evening meeting" in page(erin, url)

    # Nothing changed, the event only ended: the page was kept until then.
    time.sleep(2.5)

    assert "Evening meeting" not in page(erin, url)


def test_each_reader_of_the_report_page_gets_their_own_buttons_and_forms(mission, erin, alice, sam):
    report = first_report(mission)
    accept(report)

    for_erin = page(erin, report.get_absolute_url())
    for_alice = page(alice, report.get_absolute_url())

    assert "Sorted the waste of three districts." in for_erin
    assert "Sorted the waste of three districts." in for_alice
    # The communes comment on an accepted report; the expert reads the comments.
    assert "Send the comment" in for_alice and "Send the comment" not in for_erin
    report.status = MissionReport.Status.DRAFT
    report.save()
    assert "Write the report" in page(erin, report.get_absolute_url())
    assert "Write the report" not in page(sam, report.get_absolute_url())


def test_the_report_page_shows_a_change_at_once(mission, erin, alice):
    report = first_report(mission)
    accept(report)
    url = report.get_absolute_url()
    assert "No comment yet." in page(erin, url)

    ReportComment.objects.create(
        report=report, author=alice, kind=ReportComment.Kind.COMMENT, body="Well done, Erin."
    )
    report.results = "Two districts served every week."
    report.save()

    after = page(erin, url)
    assert "Well done, Erin." in after
    assert "Two districts served every week." in after
