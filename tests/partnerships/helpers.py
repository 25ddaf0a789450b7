"""Helpers of the partnerships tests: saving a step of an expression of interest as a member would,
both communes confirming it, programme staff sending it back, the addressees of the mails sent, and
reading a page (the address of a step of the form, its text, the error shown at a field)."""

import re

from django.urls import reverse

from partnerships import services
from partnerships.forms import FORMS
from partnerships.models import ExpressionOfInterest
from placements import workflow

from .factories import step_data

Status = ExpressionOfInterest.Status
PREFIX = "[Experts for Partners] "


def save(eoi, user, step="project", *, seen_revision=None, **changes):
    """Save one step as ``user`` would from a page opened at ``seen_revision`` (default: now)."""
    eoi = ExpressionOfInterest.objects.get(pk=eoi.pk)
    form = FORMS[step](step_data(eoi, step, user=user, **changes), instance=eoi, user=user)
    assert form.is_valid(), form.errors
    return services.save_step(
        eoi=eoi,
        user=user,
        form=form,
        seen_revision=eoi.revision if seen_revision is None else seen_revision,
    )


def submit(eoi, alice, pierre, german=None, partner=None):
    """Alice confirms for the initiating commune and pierre for the host commune (unless other
    communes are given), which submits ``eoi``."""
    services.confirm(eoi=eoi, user=alice, commune=german or eoi.initiating_commune)
    partner = partner or eoi.host_communes.get()
    assert services.confirm(eoi=eoi, user=pierre, commune=partner)
    eoi.refresh_from_db()


def send_back(eoi, sam, message="How is the site financed?"):
    """Programme staff ask for more information the way the portal does once a case is open."""
    workflow.transition(case=eoi.case, name="request_information", by=sam, reason=message)
    eoi.refresh_from_db()


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def step_url(eoi, step):
    return reverse("partnerships:eoi-step", args=[eoi.pk, step])


def text(response):
    return response.content.decode()


def field_error(response, field, message):
    """Whether ``message`` is shown as the error of the form field ``field``."""
    pattern = rf'<[^>]+id="error_\d+_id_{field}"[^>]*>\s*<strong>{re.escape(message)}</strong>'
    return re.search(pattern, text(response)) is not None
