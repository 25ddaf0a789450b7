"""The expert profile as a PDF, rendered by portal.pdf like every document of the portal."""

from portal.pdf import Rendered, render_pdf

from . import services
from .models import ExpertDocument, ExpertProfile


def profile_pdf(profile: ExpertProfile) -> Rendered:
    """The profile with its languages, positions and documents (names only).

    Load the profile with ``ExpertProfile.objects.with_details()``: rendering then queries
    nothing more."""
    documents = list(profile.documents.all())
    percent, missing = services.completeness(profile)
    return render_pdf(
        "pdf/expert_profile.html",
        {
            "profile": profile,
            "cv": [d for d in documents if d.kind == ExpertDocument.Kind.CV],
            "certificates": [d for d in documents if d.kind == ExpertDocument.Kind.CERTIFICATE],
            "percent": percent,
            "missing": missing,
        },
        title=profile.full_name,
    )
