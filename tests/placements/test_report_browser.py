"""A mission report in a real headless Chromium: the expert writes it in French, saves a draft
and submits; staff return it with a comment; the expert revises and submits again; staff
accept; a member of the German commune reads it in German."""

from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from experts.models import ExpertProfile
from placements.models import Case, Indicator, Mission, MissionObjective, MissionReport
from placements.reporting import plan_reports
from portal.models import User
from tests.conftest import totp_code
from tests.experts.factories import mission_for
from tests.placements.test_recruitment_browser import log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def t(language, text):
    with translation.override(language):
        return gettext(text)


@pytest.fixture
def report(erin, alice, sam, partnership):
    User.objects.filter(pk=erin.pk).update(language="fr")
    User.objects.filter(pk=alice.pk).update(language="de")
    profile = ExpertProfile.objects.create(user=erin, full_name="Erin Eriksen", email=erin.email)
    mission = mission_for(profile, partnership=partnership, created_by=alice)
    Case.objects.filter(pk=mission.case_id).update(case_officer=sam)
    Mission.objects.filter(pk=mission.pk).update(
        start=date(2026, 10, 1), planned_end=date(2028, 10, 1)
    )
    objective = MissionObjective.objects.create(mission=mission, title="Eau potable partout")
    Indicator.objects.create(
        objective=objective, name="Ménages raccordés", unit="%", baseline=55, target=90
    )
    mission.refresh_from_db()
    plan_reports(mission, today=date(2026, 10, 1))
    return mission.reports.get(number=1)


def test_a_report_is_written_returned_revised_accepted_and_read(
    live_server, browser, report, erin, sam, alice
):
    base = live_server.url
    edit = f"{base}/reports/{report.pk}/edit/"

    expert = browser.new_context(locale="fr-FR").new_page()
    log_in(expert, base, erin.email)
    expert.goto(edit)
    expert.locator("textarea[name=activities]").fill("Cartographie des quartiers non desservis.")
    expert.get_by_role("button", name=t("fr", "Save draft")).click()
    expect(expert.locator(".alert-success")).to_contain_text(t("fr", "Your draft has been saved."))
    # The draft keeps what was typed.
    expect(expert.locator("textarea[name=activities]")).to_have_value(
        "Cartographie des quartiers non desservis."
    )
    expert.locator("textarea[name=results]").fill("Deux quartiers raccordés.")
    expert.locator("textarea[name=transparency]").fill("Résultats affichés à la mairie.")
    expert.locator("textarea[name=cooperation]").fill("Réunion mensuelle des services.")
    expert.locator("textarea[name=inclusion]").fill("Coopérative de femmes associée.")
    objective = report.mission.objectives.get()
    expert.locator(f"select[name=objective_{objective.pk}_status]").select_option("on_track")
    indicator = objective.indicators.get()
    expert.locator(f"input[name=indicator_{indicator.pk}]").fill("62")
    shot(expert, "report-edit-fr")
    expert.get_by_role("button", name=t("fr", "Save and submit")).click()
    expect(expert.locator(".alert-success")).to_contain_text(
        t("fr", "Your report has been submitted. Thank you!")
    )

    staff = browser.new_context(locale="en-GB").new_page()
    log_in(staff, base, sam.email, code=totp_code())
    staff.goto(f"{base}/reports/{report.pk}/")
    staff.get_by_label("Return it for revision").check()
    staff.locator("textarea[name=comment]").fill("Please add the costs of the connections.")
    staff.get_by_role("button", name="Send the review").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    report.refresh_from_db()
    assert report.status == MissionReport.Status.RETURNED

    expert.goto(f"{base}/reports/{report.pk}/")
    expect(expert.locator("#comments")).to_contain_text("Please add the costs of the connections.")
    expert.goto(edit)
    expert.locator("textarea[name=results]").fill("Deux quartiers raccordés ; coût 1 200 EUR.")
    expert.get_by_role("button", name=t("fr", "Save and submit")).click()
    expect(expert.locator(".alert-success")).to_be_visible()

    staff.goto(f"{base}/reports/{report.pk}/")
    staff.get_by_label("Accept the report").check()
    staff.get_by_role("button", name="Send the review").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    staff.goto(f"{base}/reports/{report.pk}/compare/")
    expect(staff.locator("tr.table-warning")).to_contain_text("1 200 EUR")
    shot(staff, "report-compare")

    commune = browser.new_context(locale="de-DE").new_page()
    log_in(commune, base, alice.email)
    commune.goto(f"{base}/missions/{report.mission.pk}/")
    commune.locator(f"a[href='/reports/{report.pk}/']").first.click()
    expect(commune.locator("main")).to_contain_text("coût 1 200 EUR")
    expect(commune.locator("main")).to_contain_text(t("de", "The three principles"))
    shot(commune, "report-read-de")
    report.refresh_from_db()
    assert report.status == MissionReport.Status.ACCEPTED
    assert report.versions.count() == 2
