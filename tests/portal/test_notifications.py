"""Notification preferences: every email template has a category, optional categories can be
switched off on the settings page, mandatory ones never."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from portal.models import OutgoingEmail
from portal.notifications import (
    CATEGORIES,
    CATEGORY_BY_CODE,
    MANDATORY,
    OPTIONAL,
    TEMPLATE_CATEGORIES,
    category_of,
    wants_email,
)
from portal.services import send_notification

EMAIL_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "email"


def templates_in_folder() -> set[str]:
    return {
        re.sub(r"_(subject|body)\.txt$", "", path.name) for path in EMAIL_TEMPLATES.glob("*.txt")
    }


def test_every_email_template_has_a_category_and_every_category_named_exists():
    assert templates_in_folder() == set(TEMPLATE_CATEGORIES)
    assert set(TEMPLATE_CATEGORIES.values()) <= set(CATEGORY_BY_CODE)
    assert len(CATEGORY_BY_CODE) == len(CATEGORIES)


def test_decisions_invitations_and_deadlines_are_mandatory_and_messages_optional():
    mandatory = {
        "eoi_decided",
        "eoi_changes_requested",
        "membership_requested",
        "membership_confirmed",
        "membership_refused",
        "shortlist_sent",
        "invitation",
        "expert_claim",
        "test_email",
        # A report waits for the case officer's review; the review is the expert's decision.
        "report_submitted",
        "report_reviewed",
        "event_place_available",
        "report_due",
        "report_overdue",
        "extension_waiting",
        # Someone asked for the document; it is deleted after a while.
        "document_ready",
    }
    for template in TEMPLATE_CATEGORIES:
        assert category_of(template).mandatory == (template in mandatory), template
    assert "deadlines" in {c.code for c in MANDATORY}


def test_a_template_without_a_category_is_refused_before_anything_is_sent(alice):
    with pytest.raises(LookupError, match="no_such_template"):
        send_notification(recipient=alice, template="no_such_template", context={})

    assert not OutgoingEmail.objects.exists()


def test_an_optional_category_switched_off_sends_nothing(alice, mailoutbox):
    alice.email_opt_outs = ["mission_ending", "eoi_comment"]

    assert not wants_email(alice, "eoi_comment")
    assert wants_email(alice, "case_transition")
    assert send_notification(recipient=alice, template="eoi_comment", context={}) is None
    assert not OutgoingEmail.objects.exists()


def test_a_mandatory_category_cannot_be_switched_off_even_in_the_database(alice):
    alice.email_opt_outs = [c.code for c in CATEGORIES]

    assert all(wants_email(alice, t) for t, c in TEMPLATE_CATEGORIES.items() if c == "account")
    assert not any(
        wants_email(alice, t) for t, c in TEMPLATE_CATEGORIES.items() if c == "eoi_comment"
    )
    email = send_notification(recipient=alice, template="test_email", context={})
    assert email == OutgoingEmail.objects.get()


# The settings page


def settings_form(**checked):
    data = {"full_name": "Alice Albrecht", "language": "en", "time_zone": "Europe/Berlin"}
    data.update({f"email_{code}": "on" for code, on in checked.items() if on})
    return data


def test_the_settings_page_lists_optional_categories_ticked_and_mandatory_ones_locked(
    client, alice
):
    alice.email_opt_outs = ["eoi_comment"]
    alice.save(update_fields=["email_opt_outs"])
    client.force_login(alice)

    html = client.get("/account/settings/").content.decode()

    assert "<legend" in html and "Emails" in html
    for category in OPTIONAL:
        box = re.search(rf'<input[^>]*name="email_{category.code}"[^>]*>', html).group(0)
        assert "disabled" not in box
        assert ("checked" in box) == (category.code != "eoi_comment"), category.code
    for category in MANDATORY:
        box = re.search(rf'<input[^>]*name="email_{category.code}"[^>]*>', html).group(0)
        assert "disabled" in box and "checked" in box
        assert str(category.help_text) in html


def test_unticking_an_optional_category_saves_it_with_the_rest_of_the_settings(client, alice):
    client.force_login(alice)
    ticked = {c.code: c.code not in ("case_transition", "mission_ending") for c in OPTIONAL}

    response = client.post("/account/settings/", settings_form(**ticked))

    assert response["Location"] == "/account/settings/"
    alice.refresh_from_db()
    assert sorted(alice.email_opt_outs) == ["case_transition", "mission_ending"]


def test_a_mandatory_category_posted_as_off_stays_on(client, alice):
    client.force_login(alice)

    # Nothing ticked: every optional category goes off, the mandatory ones cannot.
    client.post("/account/settings/", settings_form())

    alice.refresh_from_db()
    assert sorted(alice.email_opt_outs) == sorted(c.code for c in OPTIONAL)
    assert wants_email(alice, "eoi_decided")


def test_ticking_a_category_again_switches_it_back_on(client, alice):
    alice.email_opt_outs = ["eoi_comment"]
    alice.save(update_fields=["email_opt_outs"])
    client.force_login(alice)

    client.post("/account/settings/", settings_form(**{c.code: True for c in OPTIONAL}))

    alice.refresh_from_db()
    assert alice.email_opt_outs == []


def test_the_settings_form_shows_its_errors_in_the_users_language_and_saves_nothing(client, alice):
    alice.language = "fr"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    data = settings_form(eoi_comment=False) | {"time_zone": "Mars/Olympus", "language": "fr"}

    response = client.post("/account/settings/", data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Sélectionnez un choix valide" in html
    assert "Rappels de fin de mission" in html
    alice.refresh_from_db()
    assert alice.email_opt_outs == []


def test_the_data_export_lists_the_categories_switched_off(client, alice):
    alice.email_opt_outs = ["eoi_comment"]
    alice.save(update_fields=["email_opt_outs"])
    client.force_login(alice)

    data = client.get("/account/export/").json()

    assert data["account"]["email_notifications_switched_off"] == ["eoi_comment"]
