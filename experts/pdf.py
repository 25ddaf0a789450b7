"""The expert profile as a PDF: a template rendered to HTML, handed to WeasyPrint."""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from . import services
from .models import ExpertDocument, ExpertProfile


def profile_pdf(profile: ExpertProfile) -> bytes:
    """The profile with its languages, positions and documents (names only), as PDF bytes.

    Load the profile with ``ExpertProfile.objects.with_details()``: rendering then queries
    nothing more."""
    documents = list(profile.documents.all())
    percent, missing = services.completeness(profile)
    html = render_to_string(
        "pdf/expert_profile.html",
        {
            "profile": profile,
            "cv": [d for d in documents if d.kind == ExpertDocument.Kind.CV],
            "certificates": [d for d in documents if d.kind == ExpertDocument.Kind.CERTIFICATE],
            "percent": percent,
            "missing": missing,
            "generated_at": timezone.now(),
        },
    )
    # Everything the page needs is in the template: WeasyPrint fetches nothing, neither from the
    # network nor from the disk.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
