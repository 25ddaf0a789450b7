"""What partnerships shows on the dashboard (registered in apps.py)."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import roles
from portal.todo import Todo

from . import progress
from .models import Commune, ExpressionOfInterest, MembershipRequest
from .selectors import eois_visible_to

Status = ExpressionOfInterest.Status


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
                "eois": progress.label(
                    progress.with_parties(eois_visible_to(user)).order_by("-updated_at")[:5],
                    user,
                ),
            },
        )
    if roles.EXPERT not in names and not user.is_staff:
        return "partnerships/includes_dashboard_join.html", {}
    return None


def applicant_todos(user):
    """Commune staff: expressions of interest waiting for their commune's confirmation or for
    their answer to the programme team, and requests to join their communes."""
    own = progress.own_commune_ids(user)
    if not own:
        return []
    items = []
    eois = progress.with_parties(
        eois_visible_to(user).filter(status__in=(Status.DRAFT, Status.CHANGES_REQUESTED))
    ).order_by("updated_at")
    for eoi in eois:
        state = progress.progress_of(eoi, own)
        if eoi.status == Status.CHANGES_REQUESTED:
            items.append(
                Todo(
                    text=_("The programme team needs more information on “%(title)s”.")
                    % {"title": eoi},
                    url=eoi.get_absolute_url(),
                    action=_("Answer the request"),
                    since=eoi.updated_at,
                )
            )
        for commune in state.to_confirm if eoi.status == Status.DRAFT else ():
            items.append(
                Todo(
                    text=_("“%(title)s” is waiting for the confirmation of %(commune)s.")
                    % {"title": eoi, "commune": commune.name},
                    url=reverse("partnerships:eoi-review", args=[eoi.pk]),
                    action=_("Review and confirm"),
                    since=eoi.updated_at,
                )
            )
    pending = (
        MembershipRequest.objects.filter(status=MembershipRequest.Status.PENDING, commune__in=own)
        .values("commune", "commune__name")
        .annotate(n=Count("pk"))
        .order_by("commune__name")
    )
    for row in pending:
        items.append(
            Todo(
                text=ngettext(
                    "%(count)s person asks to join %(commune)s.",
                    "%(count)s people ask to join %(commune)s.",
                    row["n"],
                )
                % {"count": row["n"], "commune": row["commune__name"]},
                url=reverse("partnerships:commune-detail", args=[row["commune"]]),
                action=_("Confirm or refuse"),
            )
        )
    return items
