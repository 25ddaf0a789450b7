"""Support events: coaching sessions and networking events, registration with a waiting list,
calendar files, documents."""

import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from portal.decorators import login_required_keep_post
from portal.policies import may
from portal.responses import private_file

from .. import services
from ..forms import EventRegistrationForm
from ..models import EventRegistration, SupportEvent
from ..selectors import (
    event_documents_visible_to,
    events_visible_to,
    registrations_visible_to,
)

# --- Support events -------------------------------------------------------------------------------


@login_required
@require_GET
def event_list(request):
    """Upcoming support events, with the visitor's own registration on each."""
    mine = registrations_visible_to(request.user).active()
    events = (
        events_visible_to(request.user)
        .upcoming()
        .with_counts()
        .prefetch_related(Prefetch("registrations", queryset=mine, to_attr="mine"))
    )
    return render(request, "placements/event_list.html", {"events": events})


def _event_page(request, event: SupportEvent, form, *, status=200):
    registration = registrations_visible_to(request.user).active().filter(event=event).first()
    may_register = (
        registration is None
        and event.published
        and not event.has_started
        and may(request.user, "placements.register_for_event", event)
    )
    participants = None
    if may(request.user, "placements.see_all_events"):
        participants = (
            event.registrations.active()
            .select_related("user")
            .order_by("-status", "created_at", "pk")
        )
    return render(
        request,
        "placements/event_detail.html",
        {
            "event": event,
            "registration": registration,
            # A refused attempt comes back with its reason and what was typed.
            "form": form if may_register or form.is_bound else None,
            "participants": participants,
        },
        status=status,
    )


def _visible_event(request, pk) -> SupportEvent:
    return get_object_or_404(
        events_visible_to(request.user).with_counts().prefetch_related("documents"), pk=pk
    )


@login_required
@require_GET
def event_detail(request, pk):
    return _event_page(request, _visible_event(request, pk), EventRegistrationForm())


@login_required_keep_post
@require_POST
def event_register(request, pk):
    event = _visible_event(request, pk)
    form = EventRegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = services.register_for_event(
                event=event, user=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if registration.status == EventRegistration.Status.WAITING:
                messages.info(
                    request,
                    _(
                        "The event is full: you are on the waiting list. We will email you "
                        "when a place becomes free."
                    ),
                )
            else:
                messages.success(request, _("You are registered."))
            return redirect(event)
    return _event_page(request, event, form, status=400)


@login_required
@require_POST
def event_cancel(request, pk):
    registration = get_object_or_404(
        registrations_visible_to(request.user).active().select_related("event"), event_id=pk
    )
    try:
        services.cancel_registration(registration=registration, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect(registration.event)


def _calendar_file(event: SupportEvent, *, status: str, filename: str) -> HttpResponse:
    """The event as an iCalendar file, its times in the event's own time zone."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    entry = CalendarEvent()
    # One UID per event: a calendar that imports the file again updates the same entry.
    entry.add("uid", f"support-event-{event.pk}@experts-for-partners")
    entry.add("dtstamp", timezone.now())
    entry.add("summary", event.title)
    entry.add("dtstart", event.start.astimezone(zone))
    entry.add("dtend", event.end.astimezone(zone))
    entry.add("status", status)
    entry.add("location", event.place or event.online_link)
    entry.add("url", settings.SITE_URL + event.get_absolute_url())
    if event.agenda:
        entry.add("description", event.agenda)
    calendar = Calendar()
    calendar.add("prodid", "-//Experts for Partners//Support events//EN")
    calendar.add("version", "2.0")
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def event_ics(request, pk):
    event = get_object_or_404(events_visible_to(request.user), pk=pk)
    return _calendar_file(event, status="CONFIRMED", filename=f"support-event-{event.pk}.ics")


@login_required
@require_GET
def registration_ics(request, pk):
    """The event in the participant's calendar: tentative while they wait for a place."""
    registration = get_object_or_404(
        registrations_visible_to(request.user).active().select_related("event"), pk=pk
    )
    waiting = registration.status == EventRegistration.Status.WAITING
    return _calendar_file(
        registration.event,
        status="TENTATIVE" if waiting else "CONFIRMED",
        filename=f"support-event-{registration.event_id}.ics",
    )


@login_required
@require_GET
def event_document(request, pk, document_pk):
    document = get_object_or_404(
        event_documents_visible_to(request.user), pk=document_pk, event_id=pk
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return private_file(handle, filename=document.original_name, content_type=document.content_type)
