"""The timeline of an expression of interest speaks its reader's language: a submission notes the
version's number, not a text translated for whoever confirmed last."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from partnerships.models import EOIEvent

from .helpers import submit

pytestmark = pytest.mark.django_db

NOTES_KEEP_NUMBERS = importlib.import_module(
    "partnerships.migrations.0008_submitted_event_notes_keep_numbers"
)


def test_a_submission_confirmed_from_a_german_page_reads_in_spanish_on_a_spanish_page(
    alice, alice_client, pierre, german, partner, complete_eoi
):
    with translation.override("de"):
        submit(complete_eoi, alice, pierre, german, partner)
    event = EOIEvent.objects.get(eoi=complete_eoi, kind=EOIEvent.Kind.SUBMITTED)
    assert event.note == "1"
    alice.language = "es"
    alice.save(update_fields=["language"])
    page = alice_client.get(complete_eoi.get_absolute_url()).content.decode()
    assert "Versión 1" in page
    assert "Fassung 1" not in page


def test_the_migration_turns_stored_version_notes_back_into_numbers(
    alice, pierre, german, partner, complete_eoi
):
    submit(complete_eoi, alice, pierre, german, partner)
    event = EOIEvent.objects.get(eoi=complete_eoi, kind=EOIEvent.Kind.SUBMITTED)
    others = [
        EOIEvent(eoi=complete_eoi, kind=EOIEvent.Kind.SUBMITTED, note=note)
        for note in ("Fassung 2", "Versión 3", "Version 4", "Fassung zwei")
    ]
    EOIEvent.objects.bulk_create(others)
    EOIEvent.objects.filter(pk=event.pk).update(note="Version 1")
    NOTES_KEEP_NUMBERS.forwards(apps, None)
    notes = list(
        EOIEvent.objects.filter(eoi=complete_eoi, kind=EOIEvent.Kind.SUBMITTED)
        .order_by("pk")
        .values_list("note", flat=True)
    )
    assert notes == ["1", "2", "3", "4", "Fassung zwei"]
