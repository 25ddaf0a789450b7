"""What partnerships shows on the dashboard (registered in apps.py)."""

from portal import roles

from .models import Commune
from .selectors import eois_visible_to


def applicant_panel(request):
    """Commune staff: their communes and latest expressions of interest; people without a role
    yet: how to join a commune."""
    user = request.user
    names = user.role_names()
    if roles.APPLICANT in names:
        return (
            "partnerships/includes_dashboard_applicant.html",
            {
                "communes": Commune.objects.of_member(user).order_by("name"),
                "eois": eois_visible_to(user).order_by("-updated_at")[:5],
            },
        )
    if roles.EXPERT not in names and not user.is_staff:
        return "partnerships/includes_dashboard_join.html", {}
    return None
