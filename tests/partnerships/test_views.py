"""The pages of the partnerships app as the communes use them: the multi-step form, review and
confirmation, attachments, a session that ends while typing, messages, changes requested by the
programme, comparing versions and withdrawing."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Theme
from partnerships import services
from partnerships.forms import FORMS
from partnerships.models import Attachment, ExpressionOfInterest, RequiredLanguage
from partnerships.steps import STEPS
from placements import workflow
from portal import roles
from portal.middleware import SESSION_LAST_SEEN
from tests.conftest import PASSWORD, make_user

from .factories import PDF_BYTES, pdf_file, step_data

Status = ExpressionOfInterest.Status
LOGIN = "/accounts/login/"


def step_url(eoi, step):
    return reverse("partnerships:eoi-step", args=[eoi.pk, step])


def text(response):
    return response.content.decode()


def field_error(response, field, message):
    """Whether ``message`` is shown as the error of the form field ``field``."""
    pattern = rf'<[^>]+id="error_\d+_id_{field}"[^>]*>\s*<strong>{re.escape(message)}</strong>'
    return re.search(pattern, text(response)) is not None


@pytest.fixture
def alice_client(client_of, alice):
    return client_of(alice)


@pytest.fixture
def pierre_client(client_of, pierre):
    return client_of(pierre)


@pytest.fixture
def draft(alice, german, partnership):
    """A draft alice has just started: partnership and host chosen, nothing written yet."""
    return services.start_expression_of_interest(user=alice, commune=german)


def send_back(eoi, sam, message="How is the site financed?"):
    workflow.transition(case=eoi.case, name="request_information", by=sam, reason=message)
    eoi.refresh_from_db()


def submit(eoi, alice, pierre, german, partner):
    services.confirm(eoi=eoi, user=alice, commune=german)
    services.confirm(eoi=eoi, user=pierre, commune=partner)
    eoi.refresh_from_db()


# The multi-step form


@pytest.mark.parametrize("step", [step.slug for step in STEPS])
def test_every_step_of_the_form_opens_for_a_member(alice_client, draft, step):
    response = alice_client.get(step_url(draft, step))

    assert response.status_code == 200
    assert str(next(s.title for s in STEPS if s.slug == step)) in text(response)


def test_starting_a_draft_opens_its_first_step(alice_client, german, partnership):
    response = alice_client.post(reverse("partnerships:eoi-start"), {"commune": german.pk})

    eoi = ExpressionOfInterest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step_url(eoi, "communes")
    assert eoi.initiating_commune == german


def test_saving_a_draft_with_part_of_the_answers_keeps_them_for_later(alice, alice_client, draft):
    data = step_data(
        draft, "project", user=alice, problem_and_needs="Half the districts have no collection."
    )

    response = alice_client.post(step_url(draft, "project"), {**data, "save_draft": ""})

    assert response.status_code == 302
    assert response["Location"] == step_url(draft, "project")
    draft.refresh_from_db()
    assert draft.problem_and_needs == "Half the districts have no collection."
    assert draft.project_idea == ""
    page = alice_client.get(step_url(draft, "project"))
    assert "Half the districts have no collection." in text(page)
    assert "Your draft has been saved." in text(page)


INVALID = [
    pytest.param(
        "expert",
        "duration_months",
        "100",
        "The duration must be between 6 and 48 months.",
        id="duration",
    ),
    pytest.param(
        "expert",
        "years_of_experience",
        "99",
        "Please enter at most 50 years.",
        id="experience",
    ),
    pytest.param(
        "project",
        "theme_other",
        "",
        "Please name the other thematic field.",
        id="other-theme",
    ),
]


@pytest.mark.parametrize(("step", "field", "value", "error"), INVALID)
def test_a_step_with_an_invalid_answer_shows_the_error_at_the_field_and_keeps_the_typing(
    alice, alice_client, draft, step, field, value, error
):
    typed = {
        "expert": ("expert_tasks", "Plan the collection rounds with the districts."),
        "project": ("objectives", "Collection in every district within two years."),
    }[step]
    changes = {field: value, typed[0]: typed[1]}
    if field == "theme_other":
        changes["themes"] = [str(Theme.objects.get(code=Theme.Code.OTHER).pk)]

    response = alice_client.post(
        step_url(draft, step), {**step_data(draft, step, user=alice, **changes), "save_draft": ""}
    )

    assert response.status_code == 400
    assert field_error(response, field, error)
    assert typed[1] in text(response)
    assert "Nothing you typed has been lost." in text(response)
    draft.refresh_from_db()
    assert getattr(draft, typed[0]) == ""
    assert draft.revision == 1


def test_the_error_of_a_field_is_in_french_for_a_french_reader(alice, alice_client, draft):
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    data = step_data(draft, "expert", user=alice, duration_months="100")

    response = alice_client.post(step_url(draft, "expert"), {**data, "save_draft": ""})

    assert response.status_code == 400
    assert field_error(
        response, "duration_months", "La durée doit être comprise entre 6 et 48 mois."
    )
    assert "The duration must be between" not in text(response)


def test_save_and_continue_opens_the_next_step_and_after_the_last_the_review(
    alice, alice_client, draft
):
    data = step_data(draft, "communes", user=alice, title="Waste management in Kpalimé")

    response = alice_client.post(step_url(draft, "communes"), {**data, "save_continue": ""})

    assert response.status_code == 302
    assert response["Location"] == step_url(draft, "project")
    draft.refresh_from_db()
    data = step_data(draft, "contributions", user=alice, german_contribution="Staff time.")
    response = alice_client.post(step_url(draft, "contributions"), {**data, "save_continue": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:eoi-review", args=[draft.pk])


def test_saving_over_the_partners_newer_version_keeps_the_typing_and_explains_why(
    alice, alice_client, pierre, draft
):
    opened = step_data(draft, "project", user=alice, objectives="Alice's objectives")
    draft_now = ExpressionOfInterest.objects.get(pk=draft.pk)
    form_class = FORMS["project"]
    form = form_class(
        step_data(draft_now, "project", user=pierre, objectives="Pierre writes first"),
        instance=draft_now,
        user=pierre,
    )
    assert form.is_valid()
    services.save_step(eoi=draft_now, user=pierre, form=form, seen_revision=1)

    response = alice_client.post(step_url(draft, "project"), {**opened, "save_draft": ""})

    assert response.status_code == 400
    assert "Someone else saved this expression of interest" in text(response)
    assert "Alice&#x27;s objectives" in text(response)
    draft.refresh_from_db()
    assert draft.objectives == "Pierre writes first"


def test_the_review_lists_what_is_missing_and_offers_no_confirmation_yet(alice_client, draft):
    response = alice_client.get(reverse("partnerships:eoi-review", args=[draft.pk]))

    assert response.status_code == 200
    page = text(response)
    assert "Before your communes can confirm, please fill in:" in page
    assert f'<a href="{step_url(draft, "communes")}">Short title</a>' in page
    assert f'<a href="{step_url(draft, "project")}">The problem and the needs</a>' in page
    assert "Confirm this expression of interest" not in page


def test_the_whole_form_filled_in_and_confirmed_by_both_communes_is_submitted(
    alice,
    alice_client,
    pierre,
    pierre_client,
    partner,
    sam,
    draft,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    theme = Theme.objects.get(code=Theme.Code.WASTE)
    answers = {
        "communes": {"title": "Waste management in Kpalimé"},
        "project": {
            "themes": [str(theme.pk)],
            "sdgs": ["11", "12"],
            "problem_and_needs": "Half the districts have no collection.",
            "project_idea": "A municipal waste strategy.",
            "objectives": "Collection in every district.",
        },
        "expert": {
            "expert_tasks": "Plan the collection rounds.",
            "competence_skills": "Environmental engineering.",
            "deployment_advice_wanted": True,
            "intended_start": "2027-09-01",
            "duration_months": "24",
            "languages-TOTAL_FORMS": "1",
            "languages-0-language": "fr",
            "languages-0-level": "B2",
        },
        "principles": {
            "target_groups": "Residents of the unserved districts.",
            "inclusion": "A women's cooperative runs the composting site.",
            "transparency": "Monthly figures on the notice boards.",
            "cooperation": "Technical and finance departments meet monthly.",
        },
        "contributions": {
            "german_contribution": "Two colleagues for 20 days a year.",
            "partner_workplace": "An office in the technical department.",
            "consent_data_processing": True,
        },
    }
    for step, changes in answers.items():
        draft.refresh_from_db()
        data = step_data(draft, step, user=alice, **changes)
        response = alice_client.post(step_url(draft, step), {**data, "save_continue": ""})
        assert response.status_code == 302, (step, text(response))

    review = alice_client.get(reverse("partnerships:eoi-review", args=[draft.pk]))
    assert "Before your communes can confirm" not in text(review)
    assert "Confirm this expression of interest" in text(review)
    assert "French B2" in text(review)

    confirm = reverse("partnerships:eoi-confirm", args=[draft.pk])
    response = alice_client.post(confirm, {"commune": draft.initiating_commune.pk}, follow=True)
    assert "The expression of interest is submitted once your partner confirms too." in text(
        response
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        response = pierre_client.post(confirm, {"commune": partner.pk})

    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.versions.get().content["languages"] == ["French B2"]
    assert "sam@example.org" in {address for m in mailoutbox for address in m.to}
    assert "Submitted" in text(alice_client.get(draft.get_absolute_url()))


def test_confirming_an_incomplete_eoi_says_what_is_missing(alice_client, draft, german):
    response = alice_client.post(
        reverse("partnerships:eoi-confirm", args=[draft.pk]), {"commune": german.pk}, follow=True
    )

    assert "Please complete the form first:" in text(response)
    assert not draft.confirmations.exists()


def test_a_submitted_eoi_is_no_longer_editable_and_its_steps_lead_to_the_detail(
    alice, alice_client, pierre, german, partner, complete_eoi
):
    submit(complete_eoi, alice, pierre, german, partner)

    response = alice_client.get(step_url(complete_eoi, "project"))

    assert response.status_code == 302
    assert response["Location"] == complete_eoi.get_absolute_url()


# Attachments


def test_a_pdf_uploaded_on_the_contributions_step_is_listed_and_both_communes_can_download_it(
    alice_client, pierre_client, complete_eoi
):
    response = alice_client.post(
        reverse("partnerships:attachment-upload", args=[complete_eoi.pk]),
        {"file": pdf_file("budget-plan.pdf"), "description": "Budget"},
    )

    assert response.status_code == 302
    assert response["Location"] == step_url(complete_eoi, "contributions") + "#attachments"
    attachment = Attachment.objects.get()
    page = text(alice_client.get(step_url(complete_eoi, "contributions")))
    assert f'<a href="{attachment.get_absolute_url()}">budget-plan.pdf</a>' in page
    for browser in (alice_client, pierre_client):
        download = browser.get(attachment.get_absolute_url())
        assert download.status_code == 200
        assert download["Content-Disposition"] == 'attachment; filename="budget-plan.pdf"'
        assert download["Content-Type"] == "application/pdf"
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content) == PDF_BYTES


def test_an_uploaded_file_is_stored_under_a_random_name_out_of_reach_of_public_urls(
    alice_client, complete_eoi, media_root
):
    alice_client.post(
        reverse("partnerships:attachment-upload", args=[complete_eoi.pk]),
        {"file": pdf_file("budget-plan.pdf")},
    )

    attachment = Attachment.objects.get()
    assert re.fullmatch(r"eoi/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", attachment.file.name)
    path = Path(attachment.file.path)
    assert path.read_bytes() == PDF_BYTES
    assert path.is_relative_to(media_root)
    for folder in [*settings.STATICFILES_DIRS, settings.STATIC_ROOT]:
        if folder:
            assert not path.is_relative_to(folder)
    anonymous = Client()
    for prefix in {settings.MEDIA_URL or "/media/", "/media/", settings.STATIC_URL, "/"}:
        assert anonymous.get(prefix + attachment.file.name).status_code == 404
        assert alice_client.get(prefix + attachment.file.name).status_code == 404


def test_an_upload_that_is_not_what_its_name_says_is_refused_with_a_message(
    alice_client, complete_eoi
):
    fake = SimpleUploadedFile("budget.pdf", b"just some text", content_type="application/pdf")

    response = alice_client.post(
        reverse("partnerships:attachment-upload", args=[complete_eoi.pk]),
        {"file": fake},
        follow=True,
    )

    assert "This type of file is not accepted." in text(response)
    assert not Attachment.objects.exists()


def test_removing_an_attachment_takes_it_off_the_list(
    alice, alice_client, complete_eoi, django_capture_on_commit_callbacks
):
    attachment = services.add_attachment(eoi=complete_eoi, user=alice, file=pdf_file())
    path = Path(attachment.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("partnerships:attachment-delete", args=[complete_eoi.pk, attachment.pk])
        )

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not path.exists()
    assert "No file yet." in text(alice_client.get(step_url(complete_eoi, "contributions")))


# A session that ends while typing


def test_typing_sent_after_the_session_timed_out_comes_back_after_logging_in_again(
    alice, alice_client, draft
):
    alice_client.get(step_url(draft, "project"))
    session = alice_client.session
    idle = settings.SESSION_IDLE_LIMITS["user"] + timedelta(minutes=1)
    session[SESSION_LAST_SEEN] = (timezone.now() - idle).isoformat()
    session.save()
    data = step_data(draft, "project", user=alice, objectives="Typed before the timeout.")

    response = alice_client.post(step_url(draft, "project"), {**data, "save_draft": ""})

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    draft.refresh_from_db()
    assert draft.objectives == ""
    assert alice_client.get(step_url(draft, "project"))["Location"].startswith(LOGIN)

    logged_in = alice_client.post(LOGIN, {"login": "alice@example.org", "password": PASSWORD})
    assert logged_in.status_code == 302

    page = alice_client.get(step_url(draft, "project"))
    assert page.status_code == 200
    assert "Typed before the timeout." in text(page)
    assert "Your session had ended. We kept what you typed" in text(page)
    assert "Typed before the timeout." not in text(alice_client.get(step_url(draft, "project")))


def test_typing_sent_when_logged_out_comes_back_after_logging_in(alice, draft):
    browser = Client()
    data = step_data(draft, "principles", user=alice, inclusion="Typed while logged out.")

    response = browser.post(step_url(draft, "principles"), {**data, "save_draft": ""})

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    browser.post(LOGIN, {"login": "alice@example.org", "password": PASSWORD})
    page = browser.get(step_url(draft, "principles"))
    assert "Typed while logged out." in text(page)
    saved = browser.post(step_url(draft, "principles"), {**data, "save_draft": ""})
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.inclusion == "Typed while logged out."


# Messages, changes requested, versions, withdrawal


def test_a_message_of_one_commune_is_read_by_the_other(
    alice_client, pierre_client, complete_eoi, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("partnerships:eoi-comment", args=[complete_eoi.pk]),
            {"body": "Could you check the budget, Pierre?"},
        )

    assert response.status_code == 302
    assert response["Location"] == complete_eoi.get_absolute_url() + "#messages"
    page = text(pierre_client.get(complete_eoi.get_absolute_url()))
    assert "Could you check the budget, Pierre?" in page
    assert "Alice Albrecht" in page
    assert [m.to for m in mailoutbox] == [["pierre@example.org"]]


def test_an_empty_message_is_refused_with_the_form_shown_again(alice_client, complete_eoi):
    response = alice_client.post(
        reverse("partnerships:eoi-comment", args=[complete_eoi.pk]), {"body": ""}
    )

    assert response.status_code == 400
    assert field_error(response, "body", "This field is required.")
    assert not complete_eoi.comments.exists()


def test_only_staff_see_and_use_the_form_to_ask_for_more_information(
    alice, alice_client, pierre, german, partner, client_of, sam, complete_eoi
):
    submit(complete_eoi, alice, pierre, german, partner)
    sam_client = client_of(sam)
    url = request_information_url(complete_eoi)

    assert "Send back to the communes" in text(sam_client.get(complete_eoi.get_absolute_url()))
    assert "Send back to the communes" not in text(
        alice_client.get(complete_eoi.get_absolute_url())
    )
    assert alice_client.post(url, {"message": "Please add more."}).status_code == 404
    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.SUBMITTED

    response = sam_client.post(url, {"message": "How is the site financed after 2029?"})

    assert response.status_code == 302
    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.CHANGES_REQUESTED
    page = text(alice_client.get(complete_eoi.get_absolute_url()))
    assert "How is the site financed after 2029?" in page
    assert "More information requested" in page
    assert "Send back to the communes" not in text(sam_client.get(complete_eoi.get_absolute_url()))


def changed_rows(response):
    """The labels of the rows that the comparison marks as changed."""
    rows = re.findall(r'<tr class="table-warning"><th scope="row">(.*?) <span', text(response))
    return rows


def test_the_comparison_shows_what_changed_between_two_submitted_versions(
    alice, alice_client, pierre_client, german, partner, sam, complete_eoi
):
    RequiredLanguage.objects.create(eoi=complete_eoi, language="fr", level="B2")
    confirm = reverse("partnerships:eoi-confirm", args=[complete_eoi.pk])
    # Pierre reads the portal in French and confirms last the first time, alice the second.
    alice_client.post(confirm, {"commune": german.pk})
    pierre_client.post(confirm, {"commune": partner.pk})
    send_back(complete_eoi, sam)
    data = step_data(complete_eoi, "project", user=alice, objectives="Fees cover the costs.")
    alice_client.post(step_url(complete_eoi, "project"), {**data, "save_draft": ""})
    pierre_client.post(confirm, {"commune": partner.pk})
    alice_client.post(confirm, {"commune": german.pk})
    assert complete_eoi.versions.count() == 2

    response = alice_client.get(reverse("partnerships:eoi-compare", args=[complete_eoi.pk]))

    assert response.status_code == 200
    assert changed_rows(response) == ["Objectives"]
    page = text(response)
    assert "Collection in every district within two years." in page
    assert "Fees cover the costs." in page
    assert "Compare versions" in text(alice_client.get(complete_eoi.get_absolute_url()))
    french = pierre_client.get(reverse("partnerships:eoi-compare", args=[complete_eoi.pk]))
    assert french.status_code == 200
    assert len(changed_rows(french)) == 1


def test_an_eoi_with_a_single_version_has_nothing_to_compare_with_itself(
    alice, alice_client, pierre, german, partner, complete_eoi
):
    submit(complete_eoi, alice, pierre, german, partner)

    response = alice_client.get(reverse("partnerships:eoi-compare", args=[complete_eoi.pk]))

    assert response.status_code == 200
    assert changed_rows(response) == []


def test_a_commune_withdraws_its_eoi_with_a_reason(
    alice_client, complete_eoi, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("partnerships:eoi-withdraw", args=[complete_eoi.pk])
    assert alice_client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url, {"reason": "The council changed its plans."})

    assert response.status_code == 302
    assert response["Location"] == complete_eoi.get_absolute_url()
    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.WITHDRAWN
    page = text(alice_client.get(complete_eoi.get_absolute_url()))
    assert "Your communes have withdrawn this request." in page
    assert "The council changed its plans." in page
    assert reverse("partnerships:eoi-withdraw", args=[complete_eoi.pk]) not in page
    assert [m.to for m in mailoutbox] == [["pierre@example.org"]]


def test_a_decided_eoi_cannot_be_withdrawn_and_the_page_says_why(alice_client, complete_eoi):
    ExpressionOfInterest.objects.filter(pk=complete_eoi.pk).update(status=Status.DECIDED)

    response = alice_client.post(
        reverse("partnerships:eoi-withdraw", args=[complete_eoi.pk]), {"reason": ""}
    )

    assert response.status_code == 200
    assert "This expression of interest can no longer be withdrawn." in text(response)
    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.DECIDED


def request_information_url(eoi):
    return reverse("placements:request-information", args=[eoi.case.pk])


def test_a_request_for_information_goes_through_the_case_workflow_only(
    alice, pierre, german, partner, client_of, sam, complete_eoi
):
    """The workflow lets only SKEW ask for information, and only on a case in a state that
    allows it; no way around it when the case is missing (e.g. an EOI submitted before cases
    existed), nor for GIZ staff, whose role may edit expressions of interest in the admin."""
    submit(complete_eoi, alice, pierre, german, partner)
    giz = make_user("gustav@example.org", role=roles.GIZ, staff=True, mfa=True)
    url = request_information_url(complete_eoi)

    client_of(giz).post(url, {"message": "More, please."})
    complete_eoi.case.delete()
    complete_eoi = type(complete_eoi).objects.get(pk=complete_eoi.pk)
    for who in (giz, sam):
        client_of(who).post(url, {"message": "More, please."})

    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.SUBMITTED
    assert not complete_eoi.comments.exists()
    assert not complete_eoi.events.filter(kind="changes_requested").exists()
