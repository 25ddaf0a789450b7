"""Generated data for load tests and demonstrations (`manage.py generate_data`).

German communes and their partner communes, partnerships, applicants, expressions of interest
with full content, one case per submitted expression of interest in every state of the workflow
(with the events, profile, vacancy, applications, expert, contract and mission its state implies),
and experts with the profile matching reads (expertise, keywords, languages, previous positions,
countries worked in, availability, deployment models).

Everything is planned in memory with one seeded `random.Random` and written with `bulk_create`
(rows nobody needs the key of with plain INSERTs, or COPY on PostgreSQL) in one transaction: no
`save()`, no signals, no history rows. Every generated row can be found again for `--flush`:

- users and experts: the email address ends with ``@generated.example``;
- communes: the website is on the ``generated.example`` domain;
- everything else hangs off these (partnerships of generated German communes, expressions of
  interest initiated by generated communes, their cases, events, vacancies, missions..., the
  experts' languages, positions and applications).
"""

import random
import time
from collections import Counter
from datetime import UTC, datetime

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from experts.models import ExpertProfile
from partnerships.models import (
    Comment,
    Commune,
    CommuneMembership,
    Confirmation,
    ContactPerson,
    EOIEvent,
    ExpressionOfInterest,
    Partnership,
)
from placements.models import Case, Mission, SupportEvent, Vacancy
from placements.selectors import forget_vacancy_lists
from portal import roles
from portal.models import User

from .cases import Cases
from .communes import Communes
from .data import EMAIL_SUFFIX, MARKER_DOMAIN
from .events import EventsPhase
from .experts import Experts, Profile
from .people import People
from .recruitment import Recruitment
from .reference import ReferenceData, ReferenceDataMissing
from .reports import ReportsPhase
from .store import Store
from .writing import bulk, given_timestamps, link

__all__ = [
    "EMAIL_SUFFIX",
    "MARKER_DOMAIN",
    "Generator",
    "ReferenceDataMissing",
    "flush",
    "generate",
    "generated_communes",
]


class Generator(
    ReferenceData, People, Communes, Experts, Cases, Recruitment, ReportsPhase, EventsPhase, Store
):
    """Plans all rows in memory with one random generator, then writes them in bulk. The phases
    live in their own modules and share this object's state: the random generator, the day the
    times count back from, the reference data, the communes' members and the experts' pools."""

    def __init__(self, *, seed: int):
        self.rng = random.Random(seed)
        # All times derive from the start of today (UTC), so that two runs with the same seed on
        # the same day write the same data.
        self.today = timezone.now().date()
        self.base = datetime(self.today.year, self.today.month, self.today.day, tzinfo=UTC)
        self.counts: Counter = Counter()
        self.profiles: dict[int, Profile] = {}
        self.snapshots: dict[int, dict] = {}
        self.theme_labels: dict[str, str] = {}

    def run(self, *, cases: int, experts: int, communes: int, missions: int = 0) -> Counter:
        self.load_reference_data()
        self.staff_users()
        chosen = self.choose_countries()
        self.host_countries = [code for code, _ in chosen]
        self.host_weights = [weight for _, weight in chosen]

        german = self.german_communes(communes // 2)
        abroad = self.partner_communes(communes - communes // 2)
        all_communes = german + abroad
        users, memberships = self.members(all_communes)
        contacts = self.contact_persons(abroad)
        partnerships, links = self.partnerships(german, abroad)
        self.experts(experts)
        drafts = max(1, round(cases * 0.08))
        plans = self.plan_requests(links, cases, drafts, missions)

        with given_timestamps(
            Commune._meta.get_field("created_at"),
            Partnership._meta.get_field("created_at"),
            ExpressionOfInterest._meta.get_field("created_at"),
            ExpressionOfInterest._meta.get_field("updated_at"),
            EOIEvent._meta.get_field("created_at"),
            Confirmation._meta.get_field("created_at"),
            Comment._meta.get_field("created_at"),
            Case._meta.get_field("created_at"),
            ExpertProfile._meta.get_field("created_at"),
            Vacancy._meta.get_field("created_at"),
        ):
            self.counts["communes"] += len(bulk(Commune, all_communes))
            self.counts["applicant users"] += len(bulk(User, users))
            applicant_group = self.groups[roles.APPLICANT].pk
            link(
                User.groups.through,
                ("user_id", "group_id"),
                ((u.pk, applicant_group) for u in users),
            )
            self.counts["memberships"] += len(bulk(CommuneMembership, memberships))
            self.counts["contact persons"] += len(bulk(ContactPerson, contacts))
            self.counts["partnerships"] += len(bulk(Partnership, partnerships))
            link(
                Partnership.partner_communes.through,
                ("partnership_id", "commune_id"),
                ((p.pk, c.pk) for p, partners, _ in links for c in partners),
            )
            link(
                Partnership.themes.through,
                ("partnership_id", "theme_id"),
                ((p.pk, self.themes[code].pk) for p, _, codes in links for code in codes),
            )
            self.counts["experts"] += len(bulk(ExpertProfile, self.expert_pool))
            self.write_profiles()
            self.write_requests(plans)
        return self.counts


def generate(
    *,
    cases: int = 200,
    experts: int | None = None,
    seed: int = 42,
    communes: int | None = None,
    missions: int = 0,
) -> tuple[Counter, Counter, float]:
    """Generate the data in one transaction; returns the row counts, cases per state and the
    elapsed seconds. ``missions`` adds that many cases that reached the mission (with their
    reports), beside the ``cases`` spread over every state; support events come with them."""
    started = time.perf_counter()
    experts = cases * 4 if experts is None else experts
    communes = max(10, communes if communes is not None else cases)
    generator = Generator(seed=seed)
    with transaction.atomic():
        counts = generator.run(cases=cases, experts=experts, communes=communes, missions=missions)
        # Bulk inserts send no model signals: what the pages keep of the cases is forgotten here.
        forget_vacancy_lists()
    return counts, generator.states, time.perf_counter() - started


def generated_communes():
    """Communes this module generated: their website is on the marker domain."""
    return Commune.objects.filter(website__contains=f".{MARKER_DOMAIN}")


def flush() -> Counter:
    """Delete every generated row, in one transaction and without writing history rows."""
    counts: Counter = Counter()
    communes = generated_communes()
    eois = ExpressionOfInterest.objects.filter(initiating_commune__in=communes)
    cases = Case.objects.filter(eoi__in=eois)
    # Deleting thousands of rows one signal at a time would also write a "deleted" history row
    # for each of them; the generated rows never had any history.
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        for queryset in (
            SupportEvent.objects.filter(online_link__contains=MARKER_DOMAIN),
            Mission.objects.filter(case__in=cases),
            cases,
            eois,
            Partnership.objects.filter(german_commune__in=communes),
            communes,
            ExpertProfile.objects.filter(email__endswith=EMAIL_SUFFIX),
            User.objects.filter(email__endswith=EMAIL_SUFFIX),
        ):
            _total, per_model = queryset.delete()
            counts.update({k: v for k, v in per_model.items() if v})
    return counts
