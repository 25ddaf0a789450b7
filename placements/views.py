from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .stats import dashboard_figures


@login_required
@require_GET
def staff_dashboard(request):
    """Cases per state, stage, model and country; time spent per state; longest waiting."""
    if not request.user.is_staff:
        raise Http404
    return render(request, "placements/staff_dashboard.html", dashboard_figures())
