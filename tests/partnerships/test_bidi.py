"""Direction overrides (U+202A–U+202E, U+2066–U+2069) cannot reorder names and titles: typed,
they are refused with an explanation; in file names and email subjects, they are removed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from experts.forms import ExpertProfileForm
from partnerships import services
from partnerships.models import ExpressionOfInterest
from portal.models import OutgoingEmail
from portal.text import BIDI_CONTROLS, strip_bidi_controls
from tests.partnerships.factories import EOIFactory, step_data
from tests.portal.pdfs import pdf_bytes

pytestmark = pytest.mark.django_db

RLO = "\u202e"
SPOOFED = f"Budget {RLO}LTR"  # shows as "Budget RTL"


@pytest.mark.parametrize(
    "character",
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"],
)
def test_every_override_and_isolate_is_recognised(character):
    assert BIDI_CONTROLS.search(f"a{character}b")
    assert strip_bidi_controls(f"a{character}b") == "ab"


def test_right_to_left_text_and_its_marks_stay_allowed():
    assert not BIDI_CONTROLS.search("بلدية القيروان\u200f")


def test_an_eoi_title_with_an_override_is_refused_and_the_rest_is_kept(client, alice, partnership):
    eoi = EOIFactory(partnership=partnership, created_by=alice, title="Waste")
    alice.language = "fr"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    data = step_data(eoi, "communes", user=alice, title=SPOOFED)
    response = client.post(
        reverse("partnerships:eoi-step", args=[eoi.pk, "communes"]),
        data,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "caractères invisibles" in page
    assert SPOOFED in page  # what was typed is shown again, to be corrected
    assert ExpressionOfInterest.objects.get(pk=eoi.pk).title == "Waste"


def test_an_account_name_with_an_override_is_refused(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("account-settings"),
        {"full_name": f"Alice {RLO}trebla", "language": "en", "time_zone": "Europe/Berlin"},
    )
    assert "invisible characters that change the direction" in response.content.decode()
    alice.refresh_from_db()
    assert alice.full_name == "Alice Albrecht"


def test_an_expert_name_with_an_override_is_refused():
    form = ExpertProfileForm(data={"full_name": f"Eva {RLO}tdimhcS"})
    assert not form.is_valid()
    assert form.errors["full_name"][0].startswith("This text contains invisible characters")


def test_an_email_subject_never_carries_an_override(alice, pierre, german, partner, partnership):
    eoi = EOIFactory(partnership=partnership, created_by=alice)
    # Set directly, as an older row or an import would have it.
    ExpressionOfInterest.objects.filter(pk=eoi.pk).update(title=SPOOFED)
    eoi.refresh_from_db()
    services.add_comment(eoi=eoi, author=alice, body="Hello")
    subjects = list(OutgoingEmail.objects.values_list("subject", flat=True))
    assert subjects
    assert not any(BIDI_CONTROLS.search(subject) for subject in subjects)


def test_an_uploaded_file_name_loses_its_overrides(alice, partnership):

    eoi = EOIFactory(partnership=partnership, created_by=alice)
    upload = SimpleUploadedFile(f"invoice{RLO}fdp.pdf", pdf_bytes())
    attachment = services.add_attachment(eoi=eoi, user=alice, file=upload)
    assert attachment.original_name == "invoicefdp.pdf"
