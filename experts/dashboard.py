"""What experts shows on the dashboard (registered in apps.py)."""

from portal import roles

from .models import ExpertProfile
from .services import completeness


def expert_panel(request):
    """Experts: how complete their profile is, or how to create one."""
    if roles.EXPERT not in request.user.role_names():
        return None
    profile = ExpertProfile.objects.with_details().filter(user=request.user).first()
    context = {"profile": profile}
    if profile is not None:
        context["percent"], context["missing"] = completeness(profile)
    return "experts/includes_dashboard.html", context
