"""What placements shows on the dashboard (registered in apps.py): the person's support events,
and what needs their action (shortlists to choose from, reports to write, events to register
for; for programme staff, cases waiting on them and reports to review)."""

from datetime import timedelta

from django.db.models import Count, Q, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerships.policies import own_commune_ids
from portal import kept, sqlcache
from portal.todo import Todo

from . import policies
from .models import Case, EventRegistration, MissionReport, SupportEvent
from .selectors import read_under_mission_pages_version, upcoming_registrations_of

# Events starting within this time are offered to those who may register and have not: the
# soonest EVENTS_LISTED by name, the others counted in one item (a to-do list of thirty events
# would hide everything else on it).
EVENTS_AHEAD = timedelta(days=30)
EVENTS_LISTED = 3


# --- What a person's dashboard keeps of placements ---------------------------------------------
# The shortlists sent to the person's communes, the events open to them and their places at
# events are kept per person, communes and profile under the mission pages' version (selectors),
# whose signals cover them all (cases and their hosts, the hosts and titles of EOIs, support
# events, registrations); whether there is an expert profile comes with the cached user. The time
# now is applied again to what is kept, so an event leaves the lists when it starts or ends; one
# that enters the next EVENTS_AHEAD is offered within ROWS_SECONDS.
ROWS_SECONDS = 60


def _rows(user) -> dict:
    """The rows of a person (not staff) that todos and events_panel show, read once per
    request (the dashboard asks the to-do items first, then the panels)."""
    if hasattr(user, "_placements_dashboard_rows"):
        return user._placements_dashboard_rows
    own = sorted(own_commune_ids(user))
    expert = policies.has_expert_profile(user)
    key = ":".join(["placements-dashboard", str(user.pk), ",".join(map(str, own)), str(expert)])
    current, rows = read_under_mission_pages_version(key)
    now = timezone.now()
    if rows is None:
        events = _events_open(user, own, expert, now)
        rows = {
            "shortlists": sqlcache.rows(_shortlists_of_communes, own) if own else [],
            "events": events,
            "more_events": events[0].open_in_all - len(events) if events else 0,
            "registrations": upcoming_registrations_of(user),
        }
        kept.keep_with_version(key, current, rows, ROWS_SECONDS)
    user._placements_dashboard_rows = {
        "shortlists": rows["shortlists"],
        "events": [event for event in rows["events"] if event.start > now],
        "more_events": rows["more_events"],
        "registrations": [r for r in rows["registrations"] if r.event.end >= now],
    }
    return user._placements_dashboard_rows


def events_panel(request):
    """Experts and commune staff: their upcoming support events; staff run them in the admin."""
    user = request.user
    if user.is_staff:
        return None
    registrations = _rows(user)["registrations"] if policies.is_active(user) else []
    return "placements/includes_dashboard_events.html", {"registrations": registrations}


def todos(user):
    """What placements asks of this person now."""
    if not policies.is_active(user):
        return []
    if user.is_staff:
        return _staff_todos(user)
    rows = _rows(user)
    return [
        *_shortlists(rows["shortlists"]),
        *_reports_to_write(user),
        *_events_to_register(rows["events"], rows["more_events"]),
    ]


def _hosted_cases(own):
    """The keys of the cases hosted by one of the communes `own`: those recorded on the case,
    else the expression of interest's (policies.hosts_of). Read from the communes' side, rather
    than joining every case (EXPLAIN: 20-29 ms with 5,000 cases, growing with them)."""
    recorded = Case.host_communes.through.objects.filter(commune__in=own).order_by()
    named = Case.objects.filter(eoi__host_communes__in=own, host_communes__isnull=True).order_by()
    return recorded.values("case_id").union(named.values("pk"))


def _shortlists_of_communes(own):
    return (
        Case.objects.filter(
            state=Case.State.SHORTLIST_SENT,
            pk__in=_hosted_cases(own),
        )
        .select_related("eoi")
        .only("state_changed_at", "eoi__title")
        .order_by("state_changed_at")
    )


def _shortlists(cases):
    return [
        Todo(
            text=_("The programme team has sent you candidates for “%(title)s”.")
            % {"title": case.eoi},
            url=reverse("placements:shortlist", args=[case.pk]),
            action=_("Choose a candidate"),
            since=case.state_changed_at,
        )
        for case in cases
    ]


def _reports_to_write(user):
    """The expert's reports from the day the first reminder goes out (the same reports the
    reminder emails are about: MissionReport.objects.due_soon)."""
    if not policies.has_expert_profile(user):
        # Missions are an expert profile's: without one there is nothing to ask.
        return []
    reports = (
        MissionReport.objects.due_soon(timezone.localdate())
        .filter(mission__expert__user=user)
        .select_related("mission__case__eoi")
        .order_by("due_date")
    )
    return [
        Todo(
            text=(
                _("“%(title)s”: %(report)s was returned to you for revision.")
                if report.status == MissionReport.Status.RETURNED
                else _("“%(title)s”: %(report)s is due on %(date)s.")
            )
            % {
                "report": report,
                "title": report.mission.case.eoi,
                "date": date_format(report.due_date, "DATE_FORMAT"),
            },
            url=reverse("placements:report-edit", args=[report.pk]),
            action=_("Write the report"),
            due=report.due_date,
        )
        for report in reports
    ]


def _events_open_to(keys):
    # keys: the user, the time now, the end of the time ahead, then the audiences.
    user, start, until, audiences = keys[0], keys[1], keys[2], keys[3:]
    return (
        SupportEvent.objects.published()
        .filter(audience__in=audiences, start__gt=start, start__lte=until)
        .exclude(pk__in=EventRegistration.objects.active().filter(user=user).values("event_id"))
        # How many there are in all, counted before the slice.
        .annotate(open_in_all=Window(Count("pk")))
        .order_by("start")[:EVENTS_LISTED]
    )


def _events_open(user, own, expert, now) -> list[SupportEvent]:
    """The first EVENTS_LISTED events open to the person that start within EVENTS_AHEAD and
    that they have not registered for, each with how many there are in all (open_in_all)."""
    audiences = []
    if expert:
        audiences += [SupportEvent.Audience.EXPERTS, SupportEvent.Audience.BOTH]
    if own:
        audiences += [SupportEvent.Audience.COMMUNES, SupportEvent.Audience.BOTH]
    if not audiences:
        return []
    return sqlcache.rows(
        _events_open_to, [user.pk, now, now + EVENTS_AHEAD, *sorted({a.value for a in audiences})]
    )


def _events_to_register(events, more: int):
    items = [
        Todo(
            text=_("Registration is open: %(title)s, %(date)s.")
            % {
                "title": event.title,
                "date": date_format(timezone.localtime(event.start), "DATE_FORMAT"),
            },
            url=event.get_absolute_url(),
            action=_("Register"),
        )
        for event in events
    ]
    # The soonest few are listed; the others are one item that leads to the list of events.
    if more > 0:
        items.append(
            Todo(
                text=ngettext(
                    "%(count)s more support event is open for registration.",
                    "%(count)s more support events are open for registration.",
                    more,
                )
                % {"count": more},
                url=reverse("placements:event-list"),
                action=_("See the support events"),
            )
        )
    return items


def _staff_todos(user):
    items = []
    if policies.recruits(user):
        waiting = Case.objects.filter(state__in=Case.WAITING_ON_PROGRAMME)
        for case in (
            waiting.filter(case_officer=user).select_related("eoi").order_by("state_changed_at")
        ):
            items.append(
                Todo(
                    text=_("“%(title)s” is waiting for you: %(state)s.")
                    % {"title": case.eoi, "state": case.get_state_display()},
                    url=case.get_absolute_url(),
                    action=_("Open the case"),
                    since=case.state_changed_at,
                )
            )
        unassigned = waiting.filter(case_officer__isnull=True).count()
        if unassigned:
            items.append(
                Todo(
                    text=ngettext(
                        "%(count)s case waiting for the programme team has no case officer yet.",
                        "%(count)s cases waiting for the programme team have no case officer yet.",
                        unassigned,
                    )
                    % {"count": unassigned},
                    url=reverse("admin:placements_case_changelist") + "?mine=none",
                    action=_("Take a case on"),
                )
            )
    if policies.reviews_reports(user):
        reports = (
            MissionReport.objects.filter(status=MissionReport.Status.SUBMITTED)
            .filter(
                Q(mission__case__case_officer=user) | Q(mission__case__case_officer__isnull=True)
            )
            .select_related("mission__case__eoi", "mission__expert")
            .order_by("submitted_at")
        )
        for report in reports:
            items.append(
                Todo(
                    text=_("%(expert)s has submitted “%(title)s”: %(report)s.")
                    % {
                        "expert": report.mission.expert.full_name,
                        "report": report,
                        "title": report.mission.case.eoi,
                    },
                    url=report.get_absolute_url(),
                    action=_("Review the report"),
                    since=report.submitted_at,
                )
            )
    return items
