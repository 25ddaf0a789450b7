"""Support events of the generated data: coaching sessions and networking events over the last
year and the next months, with the experts on missions registered, on waiting lists, and (for
past events) present or not. Marked by their online link on the marker domain, for --flush."""

import random
from datetime import timedelta

from placements.models import EventRegistration, SupportEvent
from portal.models import User

from .data import EMAIL_SUFFIX, MARKER_DOMAIN
from .writing import bulk

TITLES = {
    SupportEvent.Kind.COACHING: [
        "Coaching: the first hundred days",
        "Coaching: working with the town council",
        "Coaching: handing over at the end of the mission",
    ],
    SupportEvent.Kind.NETWORKING: [
        "Exchange on waste management",
        "Network meeting of the experts in West Africa",
        "Exchange on climate adaptation plans",
    ],
}
ZONES = ["Europe/Berlin", "Africa/Lome", "Africa/Accra", "America/Lima", "Asia/Manila"]


class EventsPhase:
    """Mixed into Generator: events once the missions are written."""

    def write_events(self, missions) -> None:
        # An own random generator: the other generated rows stay as they were for the seed.
        rng = random.Random(f"events:{len(missions)}:{self.today}")
        # The experts on missions who have an account, and the generated commune staff.
        experts = [m.expert.user_id for m in missions if m.expert.user_id]
        people_of_communes = list(
            User.objects.filter(email__endswith=EMAIL_SUFFIX, is_staff=False)
            .exclude(pk__in=experts)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        participants = experts + people_of_communes
        if not missions or not participants:
            return
        events = []
        for number in range(max(4, len(missions) // 10)):
            kind = rng.choice(list(TITLES))
            start = self.base + timedelta(days=rng.randint(-365, 90), hours=rng.choice([8, 13]))
            events.append(
                SupportEvent(
                    title=rng.choice(TITLES[kind]),
                    kind=kind,
                    start=start,
                    end=start + timedelta(hours=rng.choice([2, 3, 6])),
                    time_zone=rng.choice(ZONES),
                    online_link=f"https://events.{MARKER_DOMAIN}/{number + 1}",
                    audience=rng.choice(list(SupportEvent.Audience)),
                    capacity=rng.randint(8, 30),
                    agenda="Welcome; experiences of the participants; next steps.",
                    published=True,
                )
            )
        bulk(SupportEvent, events)
        registrations = []
        for event in events:
            past = event.end < self.base
            # Who may register: the event's audience.
            audience = {
                SupportEvent.Audience.EXPERTS: experts,
                SupportEvent.Audience.COMMUNES: people_of_communes,
            }.get(event.audience, participants)
            wanted = min(len(audience), event.capacity + rng.randint(0, 5))
            people = rng.sample(audience, wanted)
            for place, user_id in enumerate(people):
                registered = place < event.capacity
                registrations.append(
                    EventRegistration(
                        event=event,
                        user_id=user_id,
                        status=(
                            EventRegistration.Status.REGISTERED
                            if registered
                            else EventRegistration.Status.WAITING
                        ),
                        attended=(rng.random() < 0.85) if past and registered else None,
                    )
                )
        self.counts["support events"] += len(events)
        self.counts["event registrations"] += len(bulk(EventRegistration, registrations))
