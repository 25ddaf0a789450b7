"""Factories of the experts app, files to upload, and the shortlist that opens an expert's CV to a
host commune."""

from datetime import date, timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import DeploymentType, Theme
from experts import services
from experts.models import ExpertLanguage, ExpertProfile, Position
from placements.models import Application, Case, Mission, Vacancy
from tests.partnerships.factories import PDF_BYTES, EOIFactory

# The smallest PNG there is: a 1×1 pixel.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile

    full_name = factory.Sequence(lambda n: f"Expert {n}")
    email = factory.Sequence(lambda n: f"expert{n}@example.org")


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertLanguage

    language = factory.Iterator(["de", "fr", "en", "es", "pt", "ar", "sw", "it", "nl", "pl", "ru"])
    level = ExpertLanguage.Level.C1


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    employer = factory.Sequence(lambda n: f"City of Example {n}")
    country = "DE"
    role = "Head of the environment department"
    start = date(2015, 1, 1)
    end = date(2020, 12, 31)


def pdf_file(name="cv.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_file(name="diploma.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def upload(profile, kind="cv", file=None):
    """A document uploaded the way the expert does it."""
    if file is None:
        file = pdf_file() if kind == "cv" else png_file()
    return services.add_document(profile=profile, kind=kind, file=file)


def complete(profile):
    """Fill in everything the completeness check asks for."""
    profile.nationalities = ["DE"]
    profile.country_of_residence = "DE"
    profile.years_municipal_experience = 12
    profile.earliest_availability = date(2027, 9, 1)
    profile.consent_to_be_found = True
    profile.save()
    profile.expertise.set(Theme.objects.filter(code=Theme.Code.WASTE))
    profile.open_to_models.set(DeploymentType.objects.filter(code=DeploymentType.Code.INTEGRATED))
    LanguageFactory(expert=profile, language="fr")
    PositionFactory(expert=profile)
    upload(profile, "cv")
    return profile


def case_for(partnership, *, created_by, state="shortlist_sent", on_case=False):
    """A case of the partnership, put straight into ``state``; its host communes are those of
    the expression of interest, or with ``on_case`` set on the case itself."""
    eoi = EOIFactory(partnership=partnership, created_by=created_by)
    case = Case(eoi=eoi)
    case._move_to(state)
    case.save()
    if on_case:
        case.host_communes.set(eoi.host_communes.all())
        eoi.host_communes.clear()
    return case


def shortlist(
    profile,
    *,
    partnership,
    created_by,
    status=Application.Status.SHORTLISTED,
    shared=True,
    shared_fields=None,
    on_case=False,
):
    """The expert's application to the vacancy of a new case of the partnership, on the
    shortlist sent to its host communes (``shared=False``: not sent)."""
    case = case_for(partnership, created_by=created_by, on_case=on_case)
    vacancy = Vacancy.objects.create(
        case=case,
        title="Waste management adviser in Kpalimé",
        tasks="Draft the waste strategy.",
        objectives="Collection in every district.",
        competence_profile="Environmental engineer.",
        **({"shared_fields": shared_fields} if shared_fields is not None else {}),
    )
    return Application.objects.create(
        vacancy=vacancy,
        expert=profile,
        motivation="I have run the waste services of a city for ten years.",
        status=status,
        shared_with_commune=shared,
    )


def mission_for(profile, *, partnership, created_by):
    """A mission the expert has been on: the case selected them and the mission ran."""
    case = case_for(partnership, created_by=created_by, state="active")
    Case.objects.filter(pk=case.pk).update(selected_expert=profile)
    start = date(2025, 1, 1)
    return Mission.objects.create(
        case=case, expert=profile, start=start, planned_end=start + timedelta(days=730)
    )
