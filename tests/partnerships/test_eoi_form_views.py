"""The multi-step form of an expression of interest as the communes use it: every step, errors at
the fields (in French too), a partner's newer version, review and confirmation by both communes,
and typing sent after the session ended that comes back after logging in again."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Theme
from partnerships import services
from partnerships.forms import FORMS
from partnerships.models import ExpressionOfInterest
from partnerships.steps import STEPS
from portal.middleware import SESSION_LAST_SEEN
from tests.conftest import PASSWORD

from .factories import step_data
from .helpers import Status, field_error, step_url, submit, text

LOGIN = "/accounts/login/"


@pytest.fixture
def draft(alice, german, partnership):
    """A draft alice has just started: partnership and host chosen, nothing written yet."""
    return services.start_expression_of_interest(user=alice, commune=german)


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
def test_a_step_with_an_invalid_answer_saves_the_valid_ones_and_shows_the_error_at_the_field(
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
    assert "The fields without errors have been saved" in text(response)
    draft.refresh_from_db()
    assert getattr(draft, typed[0]) == typed[1]
    assert draft.revision == 2
    # Reloading the step shows what was saved; the invalid answer was not.
    page = alice_client.get(step_url(draft, step))
    assert typed[1] in text(page)
    if field == "duration_months":
        assert draft.duration_months != 100
    # The page carries the new revision: saving again is not taken for someone else's change.
    valid = {"duration_months": "24", "years_of_experience": "10", "theme_other": "Tourism"}
    corrected = step_data(draft, step, user=alice, **{field: valid[field]})
    again = alice_client.post(step_url(draft, step), {**corrected, "save_draft": ""})
    assert again.status_code == 302


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
    unticked = alice_client.post(confirm, {"commune": draft.initiating_commune.pk})
    assert unticked.status_code == 400
    assert "Please tick the box to confirm." in text(unticked)
    assert not draft.confirmations.exists()
    response = alice_client.post(
        confirm, {"commune": draft.initiating_commune.pk, "final": "on"}, follow=True
    )
    assert "The expression of interest is submitted once your partner confirms too." in text(
        response
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        response = pierre_client.post(confirm, {"commune": partner.pk, "final": "on"})

    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.versions.get().content["languages"] == ["French B2"]
    assert "sam@example.org" in {address for m in mailoutbox for address in m.to}
    assert "Submitted" in text(alice_client.get(draft.get_absolute_url()))


def test_confirming_an_incomplete_eoi_says_what_is_missing(alice_client, draft, german):
    response = alice_client.post(
        reverse("partnerships:eoi-confirm", args=[draft.pk]),
        {"commune": german.pk, "final": "on"},
        follow=True,
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


# A refused step in a browser: Post/Redirect/Get, so that Back and Reload work

NAVIGATION = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}


def test_a_browser_sent_to_see_a_refused_step_gets_the_page_with_the_typing_and_the_errors(
    alice, alice_client, draft
):
    data = step_data(
        draft, "expert", user=alice, duration_months="100", expert_tasks="Plan the rounds."
    )

    response = alice_client.post(
        step_url(draft, "expert"), {**data, "save_draft": ""}, headers=NAVIGATION
    )

    assert response.status_code == 303
    address = response["Location"]
    assert address.startswith(step_url(draft, "expert") + "?refused=")
    for _reload in range(2):
        page = alice_client.get(address)
        assert page.status_code == 400
        assert field_error(page, "duration_months", "The duration must be between 6 and 48 months.")
        assert 'value="100"' in text(page)
        assert "The fields without errors have been saved" in text(page)


def test_the_page_of_a_refused_step_is_kept_for_its_session_only(
    alice, alice_client, client_of, draft
):
    data = step_data(draft, "expert", user=alice, duration_months="100")
    response = alice_client.post(
        step_url(draft, "expert"), {**data, "save_draft": ""}, headers=NAVIGATION
    )

    # Another browser of the same person, with the address: the step as it is saved.
    page = client_of(alice).get(response["Location"])

    assert page.status_code == 200
    assert 'value="100"' not in text(page)


def test_a_step_saved_in_a_browser_still_redirects_as_before(alice, alice_client, draft):
    data = step_data(draft, "communes", user=alice, title="Waste management")

    response = alice_client.post(
        step_url(draft, "communes"), {**data, "save_draft": ""}, headers=NAVIGATION
    )

    assert response.status_code == 302
    assert response["Location"] == step_url(draft, "communes")
