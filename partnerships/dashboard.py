"""What partnerships shows on the dashboard (registered in apps.py)."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from portal import roles, sqlcache
from portal.kept import keep_with_version
from portal.todo import Todo

from . import progress
from .models import ExpressionOfInterest, MembershipRequest
from .policies import own_commune_ids, own_communes, reads_eois
from .selectors import (
    EOI_PAGE_SECONDS,
    eoi_of_communes,
    eois_visible_to,
    read_under_eoi_pages_version,
)

Status = ExpressionOfInterest.Status
# The statuses in which an expression of interest waits for the communes.
WAITING = (Status.DRAFT, Status.CHANGES_REQUESTED)
LATEST = 5


def _waiting_or_latest(visible):
    latest = visible.order_by("-updated_at").values("pk")[:LATEST]
    return progress.listed(visible.filter(Q(status__in=WAITING) | Q(pk__in=latest))).order_by(
        "-updated_at"
    )


def _waiting_or_latest_of_communes(own):
    # The same for a member of the communes `own`, for progress.read_listed.
    return _waiting_or_latest(ExpressionOfInterest.objects.filter(pk__in=eoi_of_communes(own)))


def _dashboard_eois(user) -> list[ExpressionOfInterest]:
    """The EOIs of the dashboard, labelled for the user (progress.label): those waiting for the
    communes (the to-do list) and the latest ones (the panel), newest first, in one fetch."""
    if reads_eois(user):
        eois = _waiting_or_latest(eois_visible_to(user))
    else:
        eois = progress.read_listed(_waiting_or_latest_of_communes, sorted(own_commune_ids(user)))
    eois = progress.label(eois, user)
    # The dashboard asks the to-do list first, then the panels: the panel of the same request
    # takes these (see applicant_panel).
    user._latest_eois = eois[:LATEST]
    return eois


# --- What a commune member's dashboard keeps in the cache ----------------------------------------
# The to-do items and the panel of partnerships are the same for every member of the same
# communes: kept per communes, language and time zone under the EOI pages' version (selectors,
# "What the EOI pages keep in the cache"), whose signals cover what they show (EOIs, their
# parties and confirmations, communes, requests to join; placements connects the cases, whose
# state gives the words of submitted EOIs). Rendered without the request.


def _kept_for_member(user) -> dict | None:
    """The to-do items and the panel's HTML of a member of communes who does not read every EOI
    (None for others)."""
    own = sorted(own_commune_ids(user))
    kept = None
    if own and not reads_eois(user):
        key = ":".join(
            [
                "applicant-dashboard",
                ",".join(str(pk) for pk in own),
                get_language() or "",
                timezone.get_current_timezone_name(),
            ]
        )
        # The version with it, read before the EOIs: a change committed meanwhile renews it
        # once more.
        version, kept = read_under_eoi_pages_version(key)
        if kept is None:
            eois = _dashboard_eois(user)
            kept = {
                "todos": _todos(eois, own),
                "panel": render_to_string(
                    "partnerships/includes_dashboard_applicant.html",
                    {"panel": {"communes": own_communes(user), "eois": eois[:LATEST]}},
                ),
            }
            keep_with_version(key, version, kept, EOI_PAGE_SECONDS)
    return kept


def applicant_panel(request):
    """Commune staff: their communes and latest expressions of interest; people without a role
    yet: how to join a commune."""
    user = request.user
    names = user.role_names()
    # The to-do list of the same request read it already (see applicant_todos).
    kept = getattr(user, "_kept_for_member", None)
    if kept is not None:
        del user._kept_for_member
    if roles.APPLICANT in names and (kept := kept or _kept_for_member(user)) is not None:
        # Our own HTML, rendered with autoescaping (the cache holds it as a plain string).
        return "partnerships/includes_dashboard_kept.html", {"html": mark_safe(kept["panel"])}
    if roles.APPLICANT in names:
        latest = getattr(user, "_latest_eois", None)
        if latest is None:
            # Without the to-do list's (a member of no commune): the latest alone.
            eois = progress.listed(eois_visible_to(user)).order_by("-updated_at")[:LATEST]
            latest = progress.label(eois, user)
        else:
            del user._latest_eois
        return (
            "partnerships/includes_dashboard_applicant.html",
            {
                "communes": own_communes(user),
                "eois": latest,
            },
        )
    if roles.EXPERT not in names and not user.is_staff:
        return "partnerships/includes_dashboard_join.html", {}
    return None


def _pending_requests(own):
    return (
        MembershipRequest.objects.filter(status=MembershipRequest.Status.PENDING, commune__in=own)
        .values("commune", "commune__name")
        .annotate(n=Count("pk"))
        .order_by("commune__name")
    )


def applicant_todos(user):
    """Commune staff: expressions of interest waiting for their commune's confirmation or for
    their answer to the programme team, and requests to join their communes."""
    own = own_commune_ids(user)
    if not own:
        return []
    kept = _kept_for_member(user)
    if kept is not None:
        # The dashboard asks the to-do list first, then the panels: the panel of the same
        # request takes it (see applicant_panel).
        user._kept_for_member = kept
        return kept["todos"]
    return _todos(_dashboard_eois(user), own)


def _todos(eois, own) -> list[Todo]:
    """The to-do items of a member of the communes `own`, from the dashboard's EOIs."""
    items = []
    waiting = [eoi for eoi in eois if eoi.status in WAITING]
    for eoi in sorted(waiting, key=lambda eoi: eoi.updated_at):
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
        for commune in eoi.progress.to_confirm if eoi.status == Status.DRAFT else ():
            items.append(
                Todo(
                    text=_("“%(title)s” is waiting for the confirmation of %(commune)s.")
                    % {"title": eoi, "commune": commune.name},
                    url=reverse("partnerships:eoi-review", args=[eoi.pk]),
                    action=_("Review and confirm"),
                    since=eoi.updated_at,
                )
            )
    pending = sqlcache.rows(_pending_requests, sorted(own))
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
