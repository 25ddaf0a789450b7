"""Who downloads which PDF: the case summary and the decision letter (staff and the communes of
the request), a report (whoever reads it), the portfolio (staff; large ones in the background,
private to whoever asked, deleted when they expire); the admin's actions and buttons."""

import os
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from experts.models import ExpertProfile
from placements import tasks
from placements.models import DocumentJob, Mission, MissionReport
from placements.reporting import plan_reports
from portal.pdf import RenderTimeout, time_limit
from tests.conftest import make_user
from tests.experts.factories import mission_for
from tests.partnerships.factories import PartnershipFactory
from tests.portal.pdfs import facts_of, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission(erin, alice, partnership):
    profile = ExpertProfile.objects.create(user=erin, full_name="Erin Eriksen", email=erin.email)
    mission = mission_for(profile, partnership=partnership, created_by=alice)
    plan_reports(mission)
    return mission


@pytest.fixture
def accepted(mission):
    report = mission.reports.order_by("number").first()
    MissionReport.objects.filter(pk=report.pk).update(status=MissionReport.Status.ACCEPTED)
    return report


def is_pdf(response) -> bool:
    return response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_visitor_is_sent_to_the_login_for_every_document(client, mission, accepted):
    for url in (
        reverse("placements:case-summary-pdf", args=[mission.case_id]),
        reverse("placements:decision-letter-pdf", args=[mission.case_id]),
        reverse("placements:report-pdf", args=[accepted.pk]),
        reverse("placements:portfolio"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_communes_of_the_request_download_its_summary_and_decision(
    client, alice, pierre, mission
):
    for person in (alice, pierre):
        client.force_login(person)
        summary = client.get(reverse("placements:case-summary-pdf", args=[mission.case_id]))
        letter = client.get(reverse("placements:decision-letter-pdf", args=[mission.case_id]))
        assert is_pdf(summary) and is_pdf(letter)
        assert summary["Content-Disposition"].startswith("attachment;")
    # Pierre reads French: the letter is in his language.
    assert "Votre demande d'expert·e a été approuvée" in text_of(letter.content)


def test_another_commune_and_the_expert_get_no_case_documents(client, bob, erin, mission):
    PartnershipFactory(name="Bonn – Kara")
    for person in (bob, erin):
        client.force_login(person)
        for name in ("placements:case-summary-pdf", "placements:decision-letter-pdf"):
            assert client.get(reverse(name, args=[mission.case_id])).status_code == 404


def test_every_staff_role_downloads_the_case_summary(client, staff, case):
    for user in staff.values():
        client.force_login(user)
        assert is_pdf(client.get(reverse("placements:case-summary-pdf", args=[case.pk])))


def test_there_is_no_decision_letter_before_the_decision(client, sam, case):
    client.force_login(sam)
    assert client.get(reverse("placements:decision-letter-pdf", args=[case.pk])).status_code == 404


def test_the_expert_and_the_communes_download_an_accepted_report(
    client, erin, alice, sam, frank_profile, mission, accepted
):
    url = reverse("placements:report-pdf", args=[accepted.pk])
    for person in (erin, alice, sam):
        client.force_login(person)
        response = client.get(url)
        assert is_pdf(response), person
    assert "Erin Eriksen" in text_of(response.content)
    client.force_login(frank_profile.user)
    assert client.get(url).status_code == 404


def test_the_communes_get_no_pdf_of_a_report_not_yet_accepted(client, alice, erin, mission):
    report = mission.reports.order_by("number").first()
    MissionReport.objects.filter(pk=report.pk).update(status=MissionReport.Status.SUBMITTED)
    url = reverse("placements:report-pdf", args=[report.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 404
    client.force_login(erin)
    assert is_pdf(client.get(url))


def test_a_report_not_yet_submitted_has_no_pdf(client, erin, mission):
    planned = mission.reports.order_by("number").last()
    client.force_login(erin)
    assert client.get(reverse("placements:report-pdf", args=[planned.pk])).status_code == 404


@pytest.fixture
def frank_profile(db):
    frank = make_user("frank@example.org", name="Frank")
    return ExpertProfile.objects.create(user=frank, full_name="Frank", email=frank.email)


def test_a_small_portfolio_downloads_at_once_for_staff(client, cora, staff, mission):
    client.force_login(cora)
    page = client.get(reverse("placements:portfolio"))
    response = client.post(reverse("placements:portfolio"), {"country": "TG"})

    assert page.status_code == 200
    assert is_pdf(response)
    assert facts_of(response.content)["tagged"]
    assert "Erin Eriksen" in text_of(response.content)


def test_applicants_and_experts_make_no_portfolio(client, alice, erin, mission):
    for person in (alice, erin):
        client.force_login(person)
        assert client.get(reverse("placements:portfolio")).status_code == 404
        assert client.post(reverse("placements:portfolio"), {}).status_code == 404


def test_a_wrong_period_keeps_the_input_and_says_why(client, sam, mission):
    client.force_login(sam)
    response = client.post(
        reverse("placements:portfolio"), {"period_from": "2026-05-01", "period_to": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "The end of the period comes before its start." in response.text
    assert 'value="2026-05-01"' in response.text


@override_settings(PDF_PORTFOLIO_ON_REQUEST=0)
def test_a_large_portfolio_is_made_in_the_background_for_the_one_who_asked(
    client, sam, cora, staff, mission, django_capture_on_commit_callbacks
):
    client.force_login(cora)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("placements:portfolio"), {})
    job = DocumentJob.objects.get(user=cora)

    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE and job.progress == 100 and job.pages >= 1
    page = client.get(job.get_absolute_url())
    assert reverse("placements:document-download", args=[job.pk]) in page.text
    assert 'http-equiv="refresh"' not in page.text
    download = client.get(reverse("placements:document-download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert not job.file.url.startswith("/static/")
    # Cora is told by email, in her language; nobody else may open the page or the file.
    assert any(job.get_absolute_url() in m.body for m in mail.outbox if cora.email in m.to)
    client.force_login(sam)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("placements:document-download", args=[job.pk])).status_code == 404


def test_a_job_still_running_refreshes_its_page_without_script(client, cora, staff):
    job = DocumentJob.objects.create(user=cora, kind="portfolio", language="en", progress=40)
    client.force_login(cora)
    page = client.get(job.get_absolute_url())
    assert '<meta http-equiv="refresh" content="3">' in page.text
    assert 'value="40"' in page.text
    assert "<script>" not in page.text
    assert client.get(reverse("placements:document-download", args=[job.pk])).status_code == 404


def test_expired_documents_are_deleted_with_their_files(cora, staff, mission):
    job = DocumentJob.objects.create(user=cora, kind="portfolio", language="en", status="done")
    job.file.save("p.pdf", ContentFile(b"%PDF"))
    path = job.file.path
    DocumentJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    fresh = DocumentJob.objects.create(user=cora, kind="portfolio", language="en")

    assert tasks.delete_expired_documents() == 1

    assert not DocumentJob.objects.filter(pk=job.pk).exists()
    assert DocumentJob.objects.filter(pk=fresh.pk).exists()
    assert not os.path.exists(path)


@override_settings(PDF_TASK_SECONDS=0.001)
def test_a_portfolio_that_takes_too_long_is_stopped_and_the_job_fails(cora, staff, mission):
    job = DocumentJob.objects.create(user=cora, kind="portfolio", language="en")

    assert tasks.render_portfolio(job.pk) == "failed"

    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FAILED
    assert "too long" in job.error
    assert not job.file


def test_the_time_limit_stops_a_real_render():
    with pytest.raises(RenderTimeout), time_limit(0.2):
        HTML(string="<p>Ελένη Παπαδοπούλου, Kpalimé.</p>" * 50000).write_pdf()


def test_the_admin_case_list_makes_case_summaries(client, sam, mission, case):
    client.force_login(sam)
    response = client.post(
        reverse("admin:placements_case_changelist"),
        {"action": "case_summaries_pdf", "_selected_action": [mission.case_id, case.pk]},
    )
    assert is_pdf(response)
    text = text_of(response.content)
    assert "Case summaries (2 cases)" in text


@pytest.mark.parametrize(
    ("model", "key", "described"),
    [("mission", "pk", "Missions selected"), ("case", "case_id", "Cases selected")],
)
def test_the_admin_mission_and_case_lists_make_a_portfolio(
    client, cora, staff, mission, model, key, described
):
    client.force_login(cora)
    response = client.post(
        reverse(f"admin:placements_{model}_changelist"),
        {"action": "portfolio_pdf", "_selected_action": [getattr(mission, key)]},
    )
    assert is_pdf(response)
    assert f"{described} in the admin" in text_of(response.content)


def test_the_pages_link_to_their_documents(client, sam, alice, mission, accepted):
    client.force_login(sam)
    case_page = client.get(reverse("admin:placements_case_change", args=[mission.case_id]))
    mission_admin = client.get(reverse("admin:placements_mission_change", args=[mission.pk]))
    summary = reverse("placements:case-summary-pdf", args=[mission.case_id])
    assert summary in case_page.text
    assert reverse("placements:decision-letter-pdf", args=[mission.case_id]) in case_page.text
    assert summary in mission_admin.text
    client.force_login(alice)
    eoi_page = client.get(mission.case.eoi.get_absolute_url())
    mission_page = client.get(mission.get_absolute_url())
    report_page = client.get(accepted.get_absolute_url())
    assert summary in eoi_page.text and summary in mission_page.text
    assert reverse("placements:report-pdf", args=[accepted.pk]) in mission_page.text
    assert reverse("placements:report-pdf", args=[accepted.pk]) in report_page.text
    assert Mission.objects.count() == 1


def test_a_portfolio_of_cases_is_for_staff_only(client, alice, erin, cora, staff, mission):
    for user in (alice, erin):
        client.force_login(user)
        assert client.post(reverse("placements:portfolio"), {"subject": "cases"}).status_code == 404
    client.logout()
    assert client.post(reverse("placements:portfolio"), {"subject": "cases"}).status_code == 302
    client.force_login(cora)
    response = client.post(reverse("placements:portfolio"), {"subject": "cases"})
    assert is_pdf(response)
    assert "Cases by country and deployment model" in text_of(response.content)


@override_settings(PDF_PORTFOLIO_ON_REQUEST=0)
def test_a_large_portfolio_of_cases_is_made_in_the_background_too(
    client, cora, staff, mission, django_capture_on_commit_callbacks
):
    client.force_login(cora)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("placements:portfolio"), {"subject": "cases"})
    job = DocumentJob.objects.get(user=cora)

    assert job.status == DocumentJob.Status.DONE and job.parameters == {"subject": "cases"}
    with job.file.open("rb") as handle:
        assert "Cases by country and deployment model" in text_of(handle.read())


def test_the_state_filter_of_missions_offers_no_state_before_a_mission(client, cora, staff):
    client.force_login(cora)
    refused = client.post(reverse("placements:portfolio"), {"state": "appraisal"})
    accepted = client.post(
        reverse("placements:portfolio"), {"subject": "cases", "state": "appraisal"}
    )

    assert refused.status_code == 400
    assert "A mission is in none of the states before it starts." in refused.text
    assert is_pdf(accepted)
