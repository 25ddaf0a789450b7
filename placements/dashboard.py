"""What placements shows on the dashboard (registered in apps.py)."""

from .selectors import upcoming_registrations_of


def events_panel(request):
    """Experts and commune staff: their upcoming support events; staff run them in the admin."""
    if request.user.is_staff:
        return None
    return "placements/includes_dashboard_events.html", {
        "registrations": list(upcoming_registrations_of(request.user))
    }
