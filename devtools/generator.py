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

from __future__ import annotations

import json
import random
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify

from catalogue.models import (
    CountryDeploymentRule,
    DeploymentType,
    EligibleCountry,
    SustainableDevelopmentGoal,
    Theme,
)
from catalogue.vocabularies import EUROPEAN_COUNTRIES, GERMANY, WORLD_LANGUAGES
from experts.models import ExpertLanguage, ExpertProfile, Position
from partnerships.models import (
    Comment,
    Commune,
    CommuneMembership,
    Confirmation,
    ContactPerson,
    EOIEvent,
    ExpressionOfInterest,
    Partnership,
    RequiredLanguage,
)
from partnerships.services import PRIVACY_NOTICE_VERSION
from placements.models import (
    STAGE_OF_STATE,
    Application,
    Case,
    CaseEvent,
    Mission,
    SalaryTopUp,
    Vacancy,
)
from placements.workflow import APPLICANTS, REQUEST_OPEN, TRANSITIONS
from portal import roles
from portal.models import User

MARKER_DOMAIN = "generated.example"
EMAIL_SUFFIX = f"@{MARKER_DOMAIN}"
BATCH_SIZE = 2000  # rows per INSERT; 2000 × ~30 columns stays under 65,535 parameters
# Case events lie within the last three years (counted back from the start of yesterday, so
# that they do whatever the time of day).
WINDOW_DAYS = 3 * 365 - 1
MONTH_DAYS = 30.44
S = Case.State


DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


class ReferenceDataMissing(Exception):
    """The migrations' reference data (themes, countries, deployment models, roles) is missing."""


# Names, places, languages and texts live in devtools/data/*.json; the code below only picks
# from them.
_PEOPLE = _load("people.json")
_RAW_NAMES = _PEOPLE["raw_names"]
EUROPEAN_NAME_GROUP = _PEOPLE["european_name_group"]
EUROPEAN_WEIGHTS = _PEOPLE["european_weights"]
FUNCTIONS = _PEOPLE["functions"]
STAFF = _PEOPLE["staff"]
DEPARTMENTS = _PEOPLE["departments"]
ROLES = _PEOPLE["roles"]
ORGANISATIONS = _PEOPLE["organisations"]
_PLACES = _load("places.json")
GERMAN_CITIES = _PLACES["german_cities"]
LAND_WEIGHTS = _PLACES["land_weights"]
STEMS = _PLACES["stems"]
ENDINGS = _PLACES["endings"]
PREFIXES = _PLACES["prefixes"]
GERMAN_TOWN_NAMES = _PLACES["german_town_names"]
COUNTRIES = _PLACES["countries"]
EUROPEAN_TOWN_HALLS = _PLACES["european_town_halls"]
WORLD_REGIONS = _PLACES["world_regions"]
ROMAN = _PLACES["roman"]
_LANGUAGES = _load("languages.json")
EXTRA_LANGUAGES = _LANGUAGES["extra_languages"]
VARIANTS = _LANGUAGES["variants"]
LANGUAGE_NAMES = _LANGUAGES["language_names"]
FIRST_LANGUAGE = _LANGUAGES["first_language"]
CEFR_WEIGHTS = _LANGUAGES["cefr_weights"]
_TEXTS = _load("texts.json")
THEME_TEXTS = _TEXTS["theme_texts"]
TEXTS = _TEXTS["texts"]
REASONS = _TEXTS["reasons"]
KEYWORDS = _TEXTS["keywords"]
GENERAL_KEYWORDS = _TEXTS["general_keywords"]
MOTIVATION = _TEXTS["motivation"]
SCREENING_NOTES = _TEXTS["screening_notes"]
INTERVIEW_NOTES = _TEXTS["interview_notes"]

# Compound names are written with "_" above to keep them one word in the lists.
NAMES = {
    group: tuple(
        None if part is None else [name.replace("_", " ") for name in part.split()]
        for part in parts
    )
    for group, parts in _RAW_NAMES.items()
}


# --- Places ---------------------------------------------------------------------------------------


# --- Experts' profiles ----------------------------------------------------------------------------

# Local first languages of host countries whose main language with the programme is another one.
LOCAL_LANGUAGE = {code: lang for code, (lang, _level) in EXTRA_LANGUAGES.items() if code != "BR"}
# Further languages experts speak, and how often each comes up.
LANGUAGE_WEIGHTS = {
    "en": 10, "fr": 6, "es": 4, "de": 3, "pt": 1.5, "ar": 1, "sw": 0.5,
    **dict.fromkeys(sorted(set(LOCAL_LANGUAGE.values()) - {"ar", "sw"}), 0.15),
}  # fmt: skip

# --- The workflow paths ---------------------------------------------------------------------------

# The usual way through the workflow; every path is checked against TRANSITIONS (walk()).
MAIN_LINE = [
    "start_eligibility_check",
    "confirm_eligibility",
    "agree_profile",
    "approve",
    "draft_vacancy",
    "publish_vacancy",
    "start_screening",
    "send_shortlist",
    "select_candidate",
    "start_contracting",
    "prepare_departure",
    "start_mission",
    "begin_closing",
    "close",
]
# How many cases end up in each state: many requests, fewer in recruitment, few closed.
STATE_WEIGHTS = {
    S.SUBMITTED: 10, S.INFO_REQUESTED: 6, S.ELIGIBILITY_CHECK: 8, S.APPRAISAL: 8,
    S.PROFILE_AGREED: 6, S.APPROVED: 5, S.DECLINED: 6, S.WITHDRAWN: 4, S.ON_HOLD: 3,
    S.VACANCY_DRAFTED: 3, S.PUBLISHED: 4, S.SCREENING: 4, S.SHORTLIST_SENT: 3,
    S.CANDIDATE_SELECTED: 3, S.CONTRACTING: 3, S.PREPARING_DEPARTURE: 3, S.ACTIVE: 8,
    S.EXTENSION_REQUESTED: 2, S.CLOSING: 3, S.CLOSED: 3,
}  # fmt: skip
# Where cases were before they went to these states.
INFO_REQUESTED_FROM = {S.SUBMITTED: 5, S.ELIGIBILITY_CHECK: 3, S.APPRAISAL: 2}
ON_HOLD_FROM = {
    S.SUBMITTED: 1, S.ELIGIBILITY_CHECK: 1, S.APPRAISAL: 3, S.PROFILE_AGREED: 2, S.APPROVED: 2,
}  # fmt: skip
DECLINED_FROM = {
    S.SUBMITTED: 1, S.ELIGIBILITY_CHECK: 3, S.APPRAISAL: 4, S.PROFILE_AGREED: 1, S.ON_HOLD: 1,
}  # fmt: skip
WITHDRAWN_FROM = {**DECLINED_FROM, S.INFO_REQUESTED: 4}
FROM_SHORTLIST_SENT = {
    S.SHORTLIST_SENT, S.CANDIDATE_SELECTED, S.CONTRACTING, S.PREPARING_DEPARTURE, S.ACTIVE,
    S.EXTENSION_REQUESTED, S.CLOSING, S.CLOSED,
}  # fmt: skip
FROM_CANDIDATE_SELECTED = FROM_SHORTLIST_SENT - {S.SHORTLIST_SENT}
FROM_INTERVIEW = {
    Application.Status.INTERVIEWED,
    Application.Status.SHORTLISTED,
    Application.Status.SELECTED,
}
# Days between the previous event and this one.
GAPS = {
    "request_information": (4, 30), "resubmit": (7, 45), "start_eligibility_check": (1, 14),
    "confirm_eligibility": (7, 30), "agree_profile": (21, 75), "approve": (7, 30),
    "decline": (7, 45), "withdraw": (10, 60), "put_on_hold": (7, 45), "resume": (20, 90),
    "draft_vacancy": (5, 25), "publish_vacancy": (3, 14), "start_screening": (21, 35),
    "send_shortlist": (7, 21), "select_candidate": (7, 30), "start_contracting": (2, 10),
    "prepare_departure": (14, 45), "recruitment_failed": (7, 30), "start_mission": (20, 60),
    "grant_extension": (10, 40), "refuse_extension": (10, 40), "close": (20, 75),
}  # fmt: skip
# How long a case has been sitting in its state now, in days (None: no limit).
DWELL = {
    S.SUBMITTED: (0.5, 45), S.INFO_REQUESTED: (1, 120), S.ELIGIBILITY_CHECK: (1, 40),
    S.APPRAISAL: (2, 90), S.PROFILE_AGREED: (1, 45), S.APPROVED: (1, 40),
    S.DECLINED: (1, None), S.WITHDRAWN: (1, None), S.ON_HOLD: (5, 180),
    S.VACANCY_DRAFTED: (1, 30), S.PUBLISHED: (3, 45), S.SCREENING: (3, 40),
    S.SHORTLIST_SENT: (2, 30), S.CANDIDATE_SELECTED: (2, 21), S.CONTRACTING: (2, 40),
    S.PREPARING_DEPARTURE: (2, 45), S.ACTIVE: (1, None), S.EXTENSION_REQUESTED: (1, 40),
    S.CLOSING: (1, 75), S.CLOSED: (1, None),
}  # fmt: skip


@dataclass
class Step:
    transition: str
    from_state: str
    to_state: str


def walk(path: list[str]) -> tuple[list[Step], str]:
    """The steps of a path of transition names from submission on, and the resume state of the
    last one; refuses a path that the workflow's table does not allow."""
    steps = [Step("submit", "", S.SUBMITTED)]
    state, resume = S.SUBMITTED, ""
    for name in path:
        t = TRANSITIONS[name]
        if state not in t.sources:
            raise ValueError(f"{name} is not possible from {state}")
        target = t.target or resume or S.SUBMITTED
        resume = state if target == S.ON_HOLD else ""
        steps.append(Step(name, state, target))
        state = target
    return steps, resume


def main_line_to(state: str) -> list[str]:
    """The transitions of the usual way from submission to a state on it."""
    if state == S.SUBMITTED:
        return []
    for index, name in enumerate(MAIN_LINE):
        if TRANSITIONS[name].target == state:
            return MAIN_LINE[: index + 1]
    raise ValueError(f"{state} is not on the main line")


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def plan_path(rng: random.Random, state: str) -> list[str]:
    """A plausible path of transitions that ends in the state, with the occasional detour."""
    if state == S.INFO_REQUESTED:
        path = main_line_to(_pick(rng, INFO_REQUESTED_FROM)) + ["request_information"]
    elif state == S.ON_HOLD:
        path = main_line_to(_pick(rng, ON_HOLD_FROM)) + ["put_on_hold"]
    elif state in (S.DECLINED, S.WITHDRAWN):
        source = _pick(rng, DECLINED_FROM if state == S.DECLINED else WITHDRAWN_FROM)
        if source == S.INFO_REQUESTED:
            path = main_line_to(_pick(rng, INFO_REQUESTED_FROM)) + ["request_information"]
        elif source == S.ON_HOLD:
            # Only before the decision: a decided request is not declined or withdrawn.
            path = main_line_to(rng.choice(REQUEST_OPEN)) + ["put_on_hold"]
        else:
            path = main_line_to(source)
        path.append("decline" if state == S.DECLINED else "withdraw")
    elif state in (S.ACTIVE, S.EXTENSION_REQUESTED, S.CLOSING, S.CLOSED):
        path = main_line_to(S.ACTIVE)
        roll = rng.random()
        if state == S.ACTIVE and roll < 0.25:
            path += ["request_extension", "grant_extension" if roll < 0.15 else "refuse_extension"]
        elif state == S.EXTENSION_REQUESTED:
            path.append("request_extension")
        elif state in (S.CLOSING, S.CLOSED):
            if roll < 0.12:
                path += ["request_extension", "grant_extension", "begin_closing"]
            elif roll < 0.22:
                path.append("terminate_early")
            elif roll < 0.26:
                path += ["request_extension", "terminate_early"]
            else:
                path.append("begin_closing")
            if state == S.CLOSED:
                path.append("close")
    else:
        path = main_line_to(state)
    return _with_detours(rng, path)


def _with_detours(rng: random.Random, path: list[str]) -> list[str]:
    """Some cases go back for information, are on hold for a while, or see a recruitment fail."""
    if rng.random() < 0.12:
        path = ["request_information", "resubmit", *path]
    states = [step.to_state for step in walk(path)[0]]
    if rng.random() < 0.06:
        pausable = [s for s in states if s in (*REQUEST_OPEN, S.APPROVED)]
        if pausable:
            path = _insert_at(path, rng.choice(pausable), ["put_on_hold", "resume"])
    if rng.random() < 0.15 and "select_candidate" in path:
        loop = rng.choice(
            [
                ["start_screening", "recruitment_failed"],
                ["start_screening", "send_shortlist", "recruitment_failed"],
                ["start_screening", "send_shortlist", "select_candidate", "recruitment_failed"],
            ]
        )
        path = _insert_at(path, S.PUBLISHED, loop)
    return path


def _insert_at(path: list[str], state: str, loop: list[str]) -> list[str]:
    """The path with a loop inserted where it first reaches the state."""
    for index, step in enumerate(walk(path)[0]):
        if step.to_state == state:
            return path[:index] + loop + path[index:]
    return path


# --- Small helpers --------------------------------------------------------------------------------


@contextmanager
def given_timestamps(*fields):
    """Let bulk_create keep the past times we give: otherwise it fills auto_now(_add) fields
    with the current time."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "'": ""})


def _email_part(name: str) -> str:
    return slugify(name.lower().translate(UMLAUTS)).replace("-", "")


def _first_of_month_after(day: date) -> date:
    return (day.replace(day=1) + relativedelta(months=1)) if day.day > 1 else day


def _sample(rng: random.Random, items: list, weights: list, k: int) -> list:
    """Up to k different items, drawn by weight."""
    items, weights, chosen = list(items), list(weights), []
    while items and len(chosen) < k:
        index = rng.choices(range(len(items)), weights=weights)[0]
        chosen.append(items.pop(index))
        weights.pop(index)
    return chosen


def _bulk(model, objs: list) -> list:
    return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)


def _insert(model, fields: tuple[str, ...], rows) -> int:
    """Insert rows nobody needs the primary key of (link tables, experts' languages and
    positions, applications), their values already as the database takes them (numbers, text,
    dates, JSON as text, times through connection.ops.adapt_datetimefield_value). For the
    hundreds of thousands of these, bulk_create's work per object and value would cost more than
    the database's: PostgreSQL gets them by COPY, other databases by executemany."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    rows = list(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
    return len(rows)


def _link(through, fields: tuple[str, str], pairs) -> int:
    """Insert many-to-many rows through the relation's own table."""
    return _insert(through, fields, pairs)


@dataclass
class Plan:
    """One expression of interest and, when submitted, its case, before they are written."""

    eoi: ExpressionOfInterest
    partnership: Partnership
    hosts: list[Commune]
    themes: list[str]
    sdgs: list[int]
    preferred: list[str]
    languages: list[tuple[str, str]]
    case: Case | None = None
    steps: list[Step] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    top_up: SalaryTopUp | None = None
    mission: Mission | None = None
    vacancy: Vacancy | None = None
    applications: list[Application] = field(default_factory=list)


@dataclass
class Profile:
    """The rows of a generated expert's profile besides the profile itself."""

    themes: list[str]
    languages: list[tuple[str, str]]  # language, level
    # Employer, country, role, start, end: newest first, as Position.Meta.ordering reads them.
    positions: list[tuple[str, str, str, date, date | None]]
    models: list[str]


class Generator:
    """Plans all rows in memory with one random generator, then writes them in bulk."""

    def __init__(self, *, seed: int):
        self.rng = random.Random(seed)
        # All times derive from the start of today (UTC), so that two runs with the same seed on
        # the same day write the same data.
        self.today = timezone.now().date()
        self.base = datetime(self.today.year, self.today.month, self.today.day, tzinfo=UTC)
        self.counts: Counter = Counter()
        self.profiles: dict[int, Profile] = {}
        self.snapshots: dict[int, dict] = {}
        self.language_names: dict[str, str] = {}
        self.theme_labels: dict[str, str] = {}

    # --- Reference data -------------------------------------------------------------------------

    def load_reference_data(self):
        self.themes = {t.code: t for t in Theme.objects.all()}
        self.sdgs = {s.number: s for s in SustainableDevelopmentGoal.objects.all()}
        self.types = {t.code: t for t in DeploymentType.objects.order_by("pk")}
        self.groups = {g.name: g for g in Group.objects.filter(name__in=roles.ALL_ROLES)}
        missing = [r for r in (roles.APPLICANT, roles.SKEW, roles.GIZ) if r not in self.groups]
        if missing or not self.themes or not self.sdgs or not self.types:
            raise ReferenceDataMissing("Reference data is missing: run `manage.py migrate` first.")
        # Allowed (country, deployment model) pairs and when they are in force.
        self.rules = defaultdict(list)
        for country, code, valid_from, valid_until in CountryDeploymentRule.objects.filter(
            allowed=True, country__active=True
        ).values_list("country__country", "deployment_type__code", "valid_from", "valid_until"):
            self.rules[(country, code)].append((valid_from, valid_until))
        open_ended = {
            c for (c, _code), periods in self.rules.items() if any(not u for _, u in periods)
        }
        eligible = EligibleCountry.objects.can_host().order_by("country")
        self.countries = [
            (e.country.code, e.german_partner_country)
            for e in eligible
            if e.country.code in COUNTRIES and e.country.code in open_ended
        ]
        if not self.countries:
            raise ReferenceDataMissing(
                "No eligible country with an allowed deployment model: check the country list."
            )
        self.rule_dates = sorted({vf for periods in self.rules.values() for vf, _ in periods})
        existing = Commune.objects.values_list("name", "country", "region")
        self.taken = {(name, str(country), region) for name, country, region in existing}
        self.emails = set(
            User.objects.filter(email__endswith=EMAIL_SUFFIX).values_list("email", flat=True)
        )
        self.expert_number = ExpertProfile.objects.filter(email__endswith=EMAIL_SUFFIX).count()

    def allowed_types(self, country: str, on: date) -> list[str]:
        return [
            code
            for code in self.types
            if any(vf <= on and (vu is None or vu >= on) for vf, vu in self.rules[(country, code)])
        ]

    # --- People ---------------------------------------------------------------------------------

    def person(self, group: str) -> tuple[str, str]:
        female, male, last_m, last_f = NAMES[group]
        if self.rng.random() < 0.5:
            index = self.rng.randrange(len(last_m))
            return self.rng.choice(female), (last_f or last_m)[index]
        return self.rng.choice(male), self.rng.choice(last_m)

    def email(self, first: str, last: str) -> str:
        stem = f"{_email_part(first)}.{_email_part(last)}"
        email, number = f"{stem}{EMAIL_SUFFIX}", 1
        while email in self.emails:
            number += 1
            email = f"{stem}{number}{EMAIL_SUFFIX}"
        self.emails.add(email)
        return email

    def staff_users(self):
        """The generated programme staff, created on the first run and reused afterwards."""
        wanted = []
        for name, role in STAFF:
            first, last = name.split(" ")
            email = f"{_email_part(first)}.{_email_part(last)}{EMAIL_SUFFIX}"
            wanted.append((email, name, role))
        existing = {u.email: u for u in User.objects.filter(email__in=[w[0] for w in wanted])}
        new = [
            User(
                email=email,
                full_name=name,
                is_staff=True,
                language="de",
                password=make_password(None),
                date_joined=self.base - timedelta(days=WINDOW_DAYS + 60),
            )
            for email, name, _role in wanted
            if email not in existing
        ]
        _bulk(User, new)
        self.emails.update(u.email for u in new)
        existing.update({u.email: u for u in new})
        User.groups.through.objects.bulk_create(
            [
                User.groups.through(user_id=existing[email].pk, group_id=self.groups[role].pk)
                for email, _name, role in wanted
            ],
            ignore_conflicts=True,
        )
        self.counts["staff users"] += len(new)
        # Staff use the admin only with two-factor authentication set up (StaffMFAMiddleware):
        # with a TOTP device, `manage.py benchmark` can time the staff pages as one of them.
        with_totp = set(
            Authenticator.objects.filter(
                user__in=existing.values(), type=Authenticator.Type.TOTP
            ).values_list("user_id", flat=True)
        )
        for user in existing.values():
            if user.pk not in with_totp:
                TOTP.activate(user, generate_totp_secret())
        self.skew = [existing[e] for e, _n, r in wanted if r == roles.SKEW]
        self.recruiters = [existing[e] for e, _n, _r in wanted]

    # --- Communes and partnerships --------------------------------------------------------------

    def unique(self, name: str, country: str, region: str) -> bool:
        key = (name, country, region)
        if key in self.taken:
            return False
        self.taken.add(key)
        return True

    def website(self, name: str, country: str) -> str:
        return f"https://{_email_part(name)}-{country.lower()}.{MARKER_DOMAIN}"

    def german_communes(self, count: int) -> list[Commune]:
        rng = self.rng
        real = [
            (name.strip(), state)
            for state, names in GERMAN_CITIES.items()
            for name in names.split(",")
        ]
        rng.shuffle(real)
        communes = []
        for name, state in real:
            if len(communes) == count:
                break
            if self.unique(name, GERMANY, state):
                communes.append((name, state, Commune.Kind.CITY))
        while len(communes) < count:
            stem = rng.choice(STEMS) + rng.choice(ENDINGS)
            base = (rng.choice(PREFIXES) if rng.random() < 0.2 else "") + stem
            roll = rng.random()
            if roll < 0.12:
                name, kind = f"Landkreis {base}", Commune.Kind.DISTRICT
            elif roll < 0.15:
                name, kind = f"Verbandsgemeinde {base}", Commune.Kind.ASSOCIATION
            elif roll < 0.3:
                name, kind = base, Commune.Kind.CITY
            else:
                name, kind = base, Commune.Kind.MUNICIPALITY
            state = (
                "Rheinland-Pfalz" if kind == Commune.Kind.ASSOCIATION else _pick(rng, LAND_WEIGHTS)
            )
            if self.unique(name, GERMANY, state):
                communes.append((name, state, kind))
        population = {
            Commune.Kind.CITY: (30_000, 600_000),
            Commune.Kind.MUNICIPALITY: (2_000, 30_000),
            Commune.Kind.DISTRICT: (80_000, 400_000),
            Commune.Kind.ASSOCIATION: (10_000, 40_000),
        }
        return [
            Commune(
                name=name,
                country=GERMANY,
                region=state,
                kind=kind,
                population=round(rng.randint(*population[kind]), -2),
                website=self.website(name, GERMANY),
                created_at=self.base - timedelta(days=rng.uniform(WINDOW_DAYS, WINDOW_DAYS + 900)),
            )
            for name, state, kind in communes
        ]

    def choose_countries(self) -> list[tuple[str, float]]:
        """Up to 30 host countries, partner countries of German cooperation three times as
        likely, each with a weight for how many communes it gets."""
        pool = [(code, 3.0 if partner else 1.0) for code, partner in self.countries]
        chosen = []
        while pool and len(chosen) < 30:
            code, weight = self.rng.choices(pool, weights=[w for _, w in pool])[0]
            pool.remove((code, weight))
            chosen.append((code, weight * self.rng.uniform(0.5, 1.5)))
        return chosen

    def partner_communes(self, count: int) -> list[Commune]:
        rng = self.rng
        communes = []
        self.town_of = {}
        attempts = 0
        while len(communes) < count:
            attempts += 1
            code = rng.choices(self.host_countries, weights=self.host_weights)[0]
            language, _tz, _cur, _rate, _group, regions = COUNTRIES[code]
            region = rng.choice(sorted(regions))
            town = rng.choice(regions[region].split(" ")).replace("_", " ")
            for variant in [
                *VARIANTS.get(language, VARIANTS["en"]),
                *(f"{{t}} {r}" for r in ROMAN),
            ]:
                name = variant.format(t=town)
                if self.unique(name, code, region):
                    break
            else:
                name = f"{town} {attempts}"
                if not self.unique(name, code, region):
                    continue
            if name == town:
                kind = Commune.Kind.CITY
            elif "District" in name or "rurale" in name or name.startswith("Municipio"):
                kind = Commune.Kind.DISTRICT
            else:
                kind = Commune.Kind.MUNICIPALITY
            commune = Commune(
                name=name,
                country=code,
                region=region,
                kind=kind,
                population=round(rng.randint(20_000, 900_000 if kind == "city" else 150_000), -3),
                website=self.website(name, code),
                created_at=self.base - timedelta(days=rng.uniform(WINDOW_DAYS, WINDOW_DAYS + 900)),
            )
            self.town_of[id(commune)] = town
            communes.append(commune)
        return communes

    def partnerships(self, german: list[Commune], abroad: list[Commune]):
        """Each German commune has one partnership with one or two partner communes (a second
        one from the same country). Partner communes are taken in turn, so that with as many
        communes abroad as at home (the default) each has at least one partnership."""
        rng = self.rng
        pool = abroad[:]
        rng.shuffle(pool)
        by_country = defaultdict(list)
        for commune in abroad:
            by_country[str(commune.country)].append(commune)
        partnerships, links = [], []
        for index, home in enumerate(german):
            first = pool[index % len(pool)]
            partners = [first]
            if rng.random() < 0.25:
                others = [c for c in by_country[str(first.country)] if c is not first]
                if others:
                    partners.append(rng.choice(others))
            since = rng.choice([rng.randint(1980, 2024), rng.randint(2000, 2024)])
            agreement = rng.random() < 0.7
            partnership = Partnership(
                name=" – ".join([home.name, *(p.name for p in partners)])[:300],
                german_commune=home,
                since_year=since,
                formal_agreement=agreement,
                agreement_date=date(
                    min(since + rng.randint(0, 2), 2024), rng.randint(1, 12), rng.randint(1, 28)
                )
                if agreement
                else None,
                status=(
                    Partnership.Status.ESTABLISHED if agreement else Partnership.Status.BEING_BUILT
                ),
                previous_activities=rng.choice(TEXTS["previous_activities"]).format(
                    year=rng.randint(max(since, 2010), 2024)
                ),
                created_at=max(home.created_at, partners[0].created_at)
                + timedelta(days=rng.uniform(1, 60)),
            )
            themes = rng.sample(sorted(set(self.themes) - {"other"}), rng.randint(1, 3))
            partnerships.append(partnership)
            links.append((partnership, partners, themes))
        return partnerships, links

    def members(self, communes: list[Commune]):
        """One or two applicants per commune, confirmed members of it."""
        rng = self.rng
        users, memberships, self.members_of = [], [], defaultdict(list)
        for commune in communes:
            code = str(commune.country)
            if code == GERMANY:
                group, language, tz = "german", "de", "Europe/Berlin"
            else:
                language, tz, _cur, _rate, group, _regions = COUNTRIES[code]
            ui_language = language if language in FUNCTIONS else "en"
            for _ in range(1 if rng.random() < 0.7 else 2):
                first, last = self.person(group)
                joined = commune.created_at + timedelta(days=rng.uniform(1, 400))
                user = User(
                    email=self.email(first, last),
                    full_name=f"{first} {last}",
                    language=ui_language,
                    time_zone=tz,
                    password=make_password(None),
                    date_joined=joined,
                )
                users.append(user)
                self.members_of[id(commune)].append(user)
                memberships.append(
                    CommuneMembership(
                        commune=commune,
                        user=user,
                        function=rng.choice(FUNCTIONS[ui_language]),
                        confirmed_at=joined,
                    )
                )
        return users, memberships

    def contact_persons(self, communes: list[Commune]) -> list[ContactPerson]:
        rng = self.rng
        contacts = []
        for commune in communes:
            if rng.random() < 0.5:
                continue
            language, _tz, _cur, _rate, group, _regions = COUNTRIES[str(commune.country)]
            first, last = self.person(group)
            function_language = language if language in FUNCTIONS else "en"
            contacts.append(
                ContactPerson(
                    commune=commune,
                    name=f"{first} {last}",
                    function=rng.choice(FUNCTIONS[function_language]),
                    languages=LANGUAGE_NAMES[language],
                )
            )
        return contacts

    # --- Experts --------------------------------------------------------------------------------

    def expert(self, nationality: str) -> ExpertProfile:
        rng = self.rng
        european = nationality in EUROPEAN_COUNTRIES
        group = EUROPEAN_NAME_GROUP[nationality] if european else COUNTRIES[nationality][4]
        first, last = self.person(group)
        nationalities = [nationality]
        if rng.random() < 0.05:
            # A second nationality: the diaspora, or a European who settled in a partner country.
            other = (
                rng.choice(self.host_countries)
                if european
                else rng.choice(["DE", "FR", "BE", "NL", "ES"])
            )
            if other != nationality:
                nationalities.append(other)
        roll = rng.random()
        if european:
            residence = (
                nationality
                if roll < 0.8
                else "DE"
                if roll < 0.95
                else rng.choice(self.host_countries)
            )
        else:
            residence = nationality if roll < 0.85 else rng.choice(["DE", "FR", "BE"])
        self.expert_number += 1
        expert = ExpertProfile(
            full_name=f"{first} {last}",
            email=f"{_email_part(first)}.{_email_part(last)}.{self.expert_number}{EMAIL_SUFFIX}",
            nationalities=nationalities,
            country_of_residence=residence,
            consent_to_be_found=rng.random() < 0.85,
            created_at=self.base - timedelta(days=rng.uniform(1, WINDOW_DAYS)),
        )
        self.profile(expert, nationality, european)
        return expert

    def profile(self, expert: ExpertProfile, nationality: str, european: bool):
        """Fill in what matching reads: expertise, keywords, languages, experience, previous
        positions, countries worked in, availability, preferred regions and models."""
        rng = self.rng
        fields = sorted(self.themes)
        themes = _sample(
            rng, fields, [0.3 if f == "other" else 1 for f in fields], rng.randint(1, 3)
        )
        keywords = [k for theme in themes for k in KEYWORDS[theme].split(", ")]
        chosen = rng.sample(keywords, min(len(keywords), rng.randint(2, 5)))
        if rng.random() < 0.5:
            chosen.append(rng.choice(GENERAL_KEYWORDS))
        expert.keywords = ", ".join(chosen)

        positions, municipal_days, countries = self.positions(nationality, european, themes)
        earlier = rng.choice([0, 0, 0, 1, 2, 3, 5, 8]) if positions else rng.randint(0, 6)
        expert.years_municipal_experience = min(30, round(municipal_days / 365) + earlier)

        # The host countries of the positions, and a national expert's own country.
        worked_in = [c for c in dict.fromkeys([nationality, *countries]) if c in COUNTRIES][:4]
        wanted = min(
            rng.choices([0, 1, 2, 3, 4], weights=[3, 4, 3, 2, 1])[0], len(self.host_countries)
        )
        while len(worked_in) < wanted:
            code = rng.choice(self.host_countries)
            if code not in worked_in:
                worked_in.append(code)
        expert.countries_worked_in = worked_in
        if worked_in and rng.random() < 0.5:
            expert.regions_worked_in = ", ".join(
                f"{rng.choice(sorted(COUNTRIES[code][5]))} ({code})" for code in worked_in[:2]
            )
        if rng.random() < 0.85:
            expert.earliest_availability = self.today + timedelta(days=rng.randint(-365, 548))
        regions = sorted(set(WORLD_REGIONS.values()))
        if not european:
            expert.preferred_regions = WORLD_REGIONS[nationality]
        elif rng.random() < 0.7:
            expert.preferred_regions = ", ".join(rng.sample(regions, rng.randint(1, 2)))

        languages = self.languages(nationality, european)
        eligible_for = [
            code
            for code, model in self.types.items()
            if (model.required_nationality == DeploymentType.Nationality.EUROPEAN) == european
        ]
        models = rng.sample(eligible_for, rng.randint(1, len(eligible_for)))
        if rng.random() < 0.05:
            # Some tick a model they are not eligible for.
            models = sorted(self.types)
        self.profiles[id(expert)] = Profile(themes, languages, positions, models)

    def languages(self, nationality: str, european: bool) -> list[tuple[str, str]]:
        """One to four languages with their CEFR levels, the first language among them."""
        rng = self.rng
        if european:
            spoken = {FIRST_LANGUAGE[nationality]: "C2"}
        else:
            main = COUNTRIES[nationality][0]
            local = LOCAL_LANGUAGE.get(nationality)
            spoken = {local: "C2", main: rng.choice(["B2", "C1", "C2"])} if local else {main: "C2"}
        wanted = max(len(spoken), rng.choices([1, 2, 3, 4], weights=[1, 4, 4, 2])[0])
        others = [code for code in LANGUAGE_WEIGHTS if code not in spoken]
        for code in _sample(
            rng, others, [LANGUAGE_WEIGHTS[c] for c in others], wanted - len(spoken)
        ):
            spoken[code] = rng.choices(list(CEFR_WEIGHTS), weights=list(CEFR_WEIGHTS.values()))[0]
        return list(spoken.items())

    def positions(self, nationality: str, european: bool, themes: list[str]):
        """Up to three previous positions, newest first, one after the other; with the days
        worked for municipalities and the countries worked in."""
        rng = self.rng
        positions, municipal_days, countries = [], 0, []
        end = None if rng.random() < 0.55 else self.today - timedelta(days=rng.randint(30, 900))
        for _ in range(rng.choices([0, 1, 2, 3], weights=[1, 3, 3, 2])[0]):
            last_day = end or self.today
            start = last_day - timedelta(days=rng.randint(300, 2900))
            employer, country, municipal = self.employer(nationality, european)
            theme = rng.choice(themes)
            german_roles, roles_elsewhere = ROLES[theme]
            if country == GERMANY and municipal:
                employer = f"{employer}, {rng.choice(DEPARTMENTS[theme])}"
                role = rng.choice(german_roles)
            else:
                role = rng.choice(roles_elsewhere)
            positions.append((employer, country, role, start, end))
            countries.append(country)
            if municipal:
                municipal_days += (last_day - start).days
            end = start - timedelta(days=rng.randint(0, 200))
        return positions, municipal_days, countries

    def employer(self, nationality: str, european: bool) -> tuple[str, str, bool]:
        """An employer, its country, and whether it is a municipality."""
        rng = self.rng
        if european:
            kinds = {"german city": 15, "organisation": 30, "abroad": 20}
            if nationality in ("DE", "AT", "CH", "LI", "LU"):
                kinds["german city"] = 55
            elif nationality in EUROPEAN_TOWN_HALLS:
                kinds["home town"] = 45
        else:
            kinds = {"home town": 55, "organisation": 35, "german city": 5, "abroad": 5}
        kind = _pick(rng, kinds)
        if kind == "german city":
            return f"Stadt {rng.choice(GERMAN_TOWN_NAMES)}", GERMANY, True
        if kind == "organisation":
            name, country = rng.choice(ORGANISATIONS)
            if country is None:
                country = nationality if not european else rng.choice(self.host_countries)
            return name, country, False
        if kind == "home town" and european:
            pattern, towns = EUROPEAN_TOWN_HALLS[nationality]
            return pattern.format(t=rng.choice(towns.split())), nationality, True
        country = nationality if kind == "home town" else rng.choice(self.host_countries)
        language, _tz, _cur, _rate, _group, regions = COUNTRIES[country]
        town = rng.choice(regions[rng.choice(sorted(regions))].split(" ")).replace("_", " ")
        return VARIANTS.get(language, VARIANTS["en"])[1].format(t=town), country, True

    def european_nationality(self) -> str:
        europe = sorted(EUROPEAN_COUNTRIES)
        weights = [EUROPEAN_WEIGHTS.get(code, 1) for code in europe]
        return self.rng.choices(europe, weights=weights)[0]

    def experts(self, count: int) -> list[ExpertProfile]:
        """Experts of varied nationalities: 60 % European, 40 % from the host countries."""
        rng = self.rng
        experts = []
        for _ in range(count):
            if rng.random() < 0.6:
                nationality = self.european_nationality()
            else:
                nationality = rng.choices(self.host_countries, weights=self.host_weights)[0]
            experts.append(self.expert(nationality))
        self.expert_pool = experts
        self.pools: dict[str, list[ExpertProfile]] = defaultdict(list)
        for expert in experts:
            for code in expert.nationalities:
                self.pools[code].append(expert)
            if any(c in EUROPEAN_COUNTRIES for c in expert.nationalities):
                self.pools["european"].append(expert)
        for pool in self.pools.values():
            rng.shuffle(pool)
        self.used_experts: set[int] = set()
        self.cursors: Counter = Counter()
        return experts

    def select_expert(self, pool_key: str, nationality: str) -> ExpertProfile:
        """The next expert of the pool not selected for another case; when all are, any of the
        pool; when the pool is empty, a new expert of the nationality."""
        pool = self.pools[pool_key]
        index = self.cursors[pool_key]
        while index < len(pool) and id(pool[index]) in self.used_experts:
            index += 1
        self.cursors[pool_key] = index
        if index < len(pool):
            expert = pool[index]
        elif pool:
            expert = self.rng.choice(pool)
        else:
            expert = self.expert(nationality)
            self.expert_pool.append(expert)
            pool.append(expert)
            self.counts["extra experts for selections"] += 1
        self.used_experts.add(id(expert))
        return expert

    def language_label(self, code: str, level: str) -> str:
        """What str() of an ExpertLanguage or RequiredLanguage gives, without looking the name up
        among all the world's languages each time (get_language_display does: too slow for tens
        of thousands of rows)."""
        if not self.language_names:
            self.language_names = {code: str(name) for code, name in WORLD_LANGUAGES}
        return f"{self.language_names[code]} {level}"

    def theme_label(self, code: str) -> str:
        """str() of the theme, looked up once."""
        if code not in self.theme_labels:
            self.theme_labels[code] = str(self.themes[code])
        return self.theme_labels[code]

    def snapshot(self, expert: ExpertProfile) -> dict:
        """The dict placements.services.profile_snapshot makes of the expert, built from the
        planned rows instead of one query per relation and expert (a test compares the two)."""
        key = id(expert)
        if key not in self.snapshots:
            profile = self.profiles[key]
            self.snapshots[key] = {
                "full_name": expert.full_name,
                "nationalities": [c.code for c in expert.nationalities],
                "country_of_residence": expert.country_of_residence.code or "",
                "expertise": sorted(self.theme_label(code) for code in profile.themes),
                "keywords": expert.keywords,
                "years_municipal_experience": expert.years_municipal_experience,
                "languages": sorted(
                    self.language_label(code, level) for code, level in profile.languages
                ),
                "positions": [
                    {
                        "employer": employer,
                        "country": country,
                        "role": role,
                        "from": start.isoformat(),
                        "to": end.isoformat() if end else None,
                    }
                    for employer, country, role, start, end in profile.positions
                ],
                "countries_worked_in": [c.code for c in expert.countries_worked_in],
                "earliest_availability": expert.earliest_availability.isoformat()
                if expert.earliest_availability
                else None,
            }
        return self.snapshots[key]

    # --- Expressions of interest and cases ------------------------------------------------------

    def plan_requests(self, partnership_links, cases: int, drafts: int) -> list[Plan]:
        rng = self.rng
        states = list(STATE_WEIGHTS)
        if cases >= len(states):
            # Every state at least once, the rest by weight.
            chosen = states + rng.choices(
                states, weights=list(STATE_WEIGHTS.values()), k=cases - len(states)
            )
        else:
            chosen = rng.choices(states, weights=list(STATE_WEIGHTS.values()), k=cases)
        rng.shuffle(chosen)
        plans = []
        for state in [*chosen, *([None] * drafts)]:
            partnership, partners, themes = rng.choice(partnership_links)
            plan = self.plan_eoi(partnership, partners, themes, draft=state is None)
            if state is not None:
                self.plan_case(plan, state)
            plans.append(plan)
        return plans

    def plan_eoi(self, partnership, partners, partnership_themes, *, draft: bool) -> Plan:
        rng = self.rng
        german = partnership.german_commune
        hosts = partners[:] if len(partners) > 1 and rng.random() < 0.3 else [rng.choice(partners)]
        host = hosts[0]
        code = str(host.country)
        language = COUNTRIES[code][0]
        theme = (
            rng.choice(partnership_themes)
            if rng.random() < 0.8
            else rng.choice(sorted(self.themes))
        )
        texts = THEME_TEXTS[theme]
        themes = [theme]
        if rng.random() < 0.3:
            second = rng.choice(sorted(self.themes))
            if second not in themes and second != "other":
                themes.append(second)
        topic = rng.choice(THEME_TEXTS["other"]["topics"])
        values = {
            "host": self.town_of[id(host)],
            "german": german.name,
            "topic": topic,
            "topic_lower": topic.lower(),
        }

        def text(key, source=texts):
            return rng.choice(source[key]).format(**values)

        sdgs = set(texts["sdgs"][: rng.randint(1, len(texts["sdgs"]))])
        if rng.random() < 0.3:
            sdgs.add(17)
        preferred = []
        deployment_advice_wanted = rng.random() < 0.15
        if not deployment_advice_wanted or rng.random() < 0.5:
            preferred = rng.sample(sorted(self.types), rng.choice([1, 1, 1, 2]))
        languages = [(language, rng.choice(["B2", "C1", "C1"]))]
        if code in EXTRA_LANGUAGES and rng.random() < 0.4:
            languages.append(EXTRA_LANGUAGES[code])
        if rng.random() < 0.2 and all(lang != "de" for lang, _ in languages):
            languages.append(("de", "B1"))
        initiating = german if rng.random() < 0.6 else host
        eoi = ExpressionOfInterest(
            title=text("titles"),
            status=ExpressionOfInterest.Status.DRAFT,
            initiating_commune=initiating,
            created_by=rng.choice(self.members_of[id(initiating)]),
            theme_other=topic if theme == "other" else "",
            problem_and_needs=text("problem"),
            project_idea=text("idea"),
            objectives=text("objectives"),
            expert_tasks=text("tasks"),
            competence_skills=text("skills"),
            years_of_experience=rng.choice([3, 5, 5, 5, 7, 10]),
            deployment_advice_wanted=deployment_advice_wanted,
            duration_months=rng.choices([24, 12, 18, 36], weights=[70, 8, 10, 12])[0],
            target_groups=text("target_groups", TEXTS),
            inclusion=text("inclusion", TEXTS),
            transparency=text("transparency", TEXTS),
            cooperation=text("cooperation", TEXTS),
            german_contribution=text("german_contribution", TEXTS),
            partner_workplace=text("partner_workplace", TEXTS),
            consent_data_processing=not draft,
        )
        if draft:
            # A draft in progress: the later steps are still empty.
            later = ["inclusion", "transparency", "cooperation", "german_contribution"]
            for name in rng.sample([*later, "partner_workplace"], rng.randint(0, 4)):
                setattr(eoi, name, "")
            eoi.created_at = self.base - timedelta(days=rng.uniform(1, 180))
            eoi.updated_at = eoi.created_at + timedelta(
                days=rng.uniform(0, (self.base - eoi.created_at).days)
            )
            eoi.intended_start = _first_of_month_after(
                self.today + timedelta(days=rng.randint(120, 300))
            )
        return Plan(eoi, partnership, hosts, themes, sorted(sdgs), preferred, languages)

    def plan_case(self, plan: Plan, state: str):
        rng = self.rng
        eoi = plan.eoi
        path = plan_path(rng, state)
        steps, resume = walk(path)
        assert steps[-1].to_state == state
        names = [s.transition for s in steps]
        if "begin_closing" in names and "terminate_early" not in names:
            # A case that ran to its end within three years had a short mission.
            eoi.duration_months = rng.choices([12, 18, 24], weights=[3, 3, 4])[0]
        months = eoi.duration_months
        grants = [rng.choice([3, 6]) for n in names if n == "grant_extension"]
        times = self.timeline(steps, state, months, grants)
        dates = [t.date() for t in times]
        plan.steps, plan.times = steps, times
        plan.reasons = [self.reason(step.transition) for step in steps]

        # The expression of interest, as the submissions and decisions left it.
        submissions = [i for i, s in enumerate(steps) if s.transition in ("submit", "resubmit")]
        eoi.submitted_at = times[submissions[-1]]
        eoi.revision = len(submissions)
        eoi.privacy_notice_version = PRIVACY_NOTICE_VERSION
        eoi.created_at = times[0] - timedelta(days=rng.uniform(10, 120))
        eoi_moves = [
            i
            for i, s in enumerate(steps)
            if s.transition
            in ("submit", "resubmit", "request_information", "approve", "decline", "withdraw")
        ]
        eoi.updated_at = times[eoi_moves[-1]]
        eoi.intended_start = _first_of_month_after(dates[0] + timedelta(days=rng.randint(120, 300)))
        if "approve" in names or "decline" in names:
            eoi.status = ExpressionOfInterest.Status.DECIDED
        elif state == S.WITHDRAWN:
            eoi.status = ExpressionOfInterest.Status.WITHDRAWN
        elif state == S.INFO_REQUESTED:
            eoi.status = ExpressionOfInterest.Status.CHANGES_REQUESTED
        else:
            eoi.status = ExpressionOfInterest.Status.SUBMITTED

        case = Case(
            eoi=eoi,
            state=state,
            stage=STAGE_OF_STATE[state],
            state_changed_at=times[-1],
            resume_state=resume,
            case_officer=rng.choice(self.skew) if len(steps) > 1 or rng.random() < 0.5 else None,
            planned_start=eoi.intended_start,
            duration_months=months,
            created_at=times[0],
        )
        plan.case = case
        countries = {str(h.country) for h in plan.hosts}
        code = next(iter(countries))

        # Appraisal and agreed profile.
        agreed = "agree_profile" in names
        if (
            agreed
            or (state == S.APPRAISAL and rng.random() < 0.5)
            or (
                "confirm_eligibility" in names
                and state in (S.DECLINED, S.WITHDRAWN, S.ON_HOLD)
                and rng.random() < 0.3
            )
        ):
            eligible_at = dates[names.index("confirm_eligibility")]
            if agreed:
                latest = dates[names.index("agree_profile")]
            else:
                latest = self.today if state == S.APPRAISAL else dates[-1]
            case.appraisal_mode = rng.choice(Case.AppraisalMode.values)
            case.appraisal_date = eligible_at + timedelta(
                days=rng.randint(0, max(0, (latest - eligible_at).days - 1))
            )
            case.appraisal_findings = rng.choice(TEXTS["appraisal_findings"])
        selected = contracted = False
        for name in names:
            if name == "select_candidate":
                selected = True
            elif name == "recruitment_failed":
                selected = False
            elif name == "start_contracting":
                contracted = True
        if agreed:
            case.competence_profile = eoi.competence_skills
            case.tasks = eoi.expert_tasks
            case.objectives = eoi.objectives
            agreed_on = dates[names.index("agree_profile")]
            if case.planned_start < agreed_on + timedelta(days=60):
                case.planned_start = _first_of_month_after(agreed_on + timedelta(days=120))
            case.deployment_type = self.types[self.deployment_type(case, plan, code, selected)]
        if selected:
            model = case.deployment_type
            if model.required_nationality == DeploymentType.Nationality.EUROPEAN:
                case.selected_expert = self.select_expert("european", self.european_nationality())
            else:
                case.selected_expert = self.select_expert(code, code)
            case.host_commune_chose_expert = True
            models = self.profiles[id(case.selected_expert)].models
            if model.code not in models:
                models.append(model.code)
        if contracted:
            case.contract_party = case.deployment_type.contract_party
            if case.deployment_type.salary_top_up:
                _lang, _tz, currency, rate, _group, _regions = COUNTRIES[code]
                local = Decimal(rng.uniform(500, 1500) * rate)
                plan.top_up = SalaryTopUp(
                    case=case,
                    local_salary=local.quantize(Decimal("1")) if rate > 50 else round(local, 2),
                    local_currency=currency,
                    top_up=Decimal(rng.randrange(1800, 3500, 50)),
                    note=rng.choice(["", "", "Reviewed yearly with the host commune."]),
                )
        if "prepare_departure" in names:
            if "start_mission" in names:
                case.contract_start = dates[names.index("start_mission")]
            else:
                case.contract_start = dates[names.index("prepare_departure")] + timedelta(
                    days=rng.randint(20, 60)
                )
        if "start_mission" in names:
            start = case.contract_start
            mission = Mission(
                case=case,
                expert=case.selected_expert,
                start=start,
                planned_end=start + relativedelta(months=months),
            )
            grant = iter(grants)
            for index, name in enumerate(names):
                if name == "grant_extension":
                    extra = next(grant)
                    mission.extension_months += extra
                    mission.planned_end += relativedelta(months=extra)
                elif name == "terminate_early":
                    mission.terminated_early = True
                    mission.actual_end = dates[index]
                elif name == "close" and mission.actual_end is None:
                    mission.actual_end = min(dates[index], mission.planned_end)
            plan.mission = mission
        if state == S.DECLINED:
            case.decline_reason = plan.reasons[-1]
        if "draft_vacancy" in names:
            self.plan_vacancy(plan, names, times)
        if "publish_vacancy" in names:
            self.plan_applications(plan, names, times, code)

    def plan_vacancy(self, plan: Plan, names: list[str], times: list[datetime]):
        """The vacancy as the workflow drafted it from the agreed profile, published when the
        case was, open until screening started (or for a month from publishing)."""
        rng = self.rng
        case, eoi = plan.case, plan.eoi
        drafted = times[names.index("draft_vacancy")]
        published = times[names.index("publish_vacancy")] if "publish_vacancy" in names else None
        if published is None:
            closing = drafted.date() + timedelta(days=30)
        else:
            # The last time the vacancy was opened, and the screening that closed it.
            opened = max(
                i for i, n in enumerate(names) if n in ("publish_vacancy", "recruitment_failed")
            )
            screening = [i for i in range(opened, len(names)) if names[i] == "start_screening"]
            if screening:
                closing = max(
                    times[opened].date(),
                    times[screening[0]].date() - timedelta(days=rng.randint(0, 3)),
                )
            else:
                closing = times[opened].date() + timedelta(days=rng.randint(21, 45))
        plan.vacancy = Vacancy(
            case=case,
            title=eoi.title,
            tasks=case.tasks or eoi.expert_tasks,
            objectives=case.objectives or eoi.objectives,
            competence_profile=case.competence_profile or eoi.competence_skills,
            languages=", ".join(self.language_label(code, level) for code, level in plan.languages),
            closing_date=closing,
            public=rng.random() < 0.4,
            published_at=published,
            created_at=drafted,
        )

    def plan_applications(self, plan: Plan, names: list[str], times: list[datetime], code: str):
        """Up to twelve applications, most from experts the deployment model allows, in the
        statuses the case's state implies."""
        rng = self.rng
        case, state = plan.case, plan.case.state
        selected = case.selected_expert if state in FROM_CANDIDATE_SELECTED else None
        count = rng.randint(1 if state in FROM_SHORTLIST_SENT else 0, 12)
        european = case.deployment_type.required_nationality == DeploymentType.Nationality.EUROPEAN
        eligible = self.pools["european" if european else code]
        experts = [selected] if selected else []
        for _ in range(count * 2):
            if len(experts) >= count:
                break
            pool = eligible if eligible and rng.random() < 0.75 else self.expert_pool
            if not pool:
                break
            expert = rng.choice(pool)
            if expert not in experts:
                experts.append(expert)
        rng.shuffle(experts)

        published = times[names.index("publish_vacancy")]
        screening = [t for n, t in zip(names, times, strict=True) if n == "start_screening"]
        closing = plan.vacancy.closing_date
        closed = min(
            screening[0] if screening else self.base - timedelta(hours=1),
            datetime(closing.year, closing.month, closing.day, tzinfo=UTC) + timedelta(days=1),
        )
        decided = [
            t
            for n, t in zip(names, times, strict=True)
            if n in ("start_screening", "send_shortlist", "select_candidate", "recruitment_failed")
        ]
        shortlisted = set()
        if state == S.SHORTLIST_SENT:
            shortlisted = {id(e) for e in rng.sample(experts, rng.randint(1, min(3, len(experts))))}
        elif selected:
            # The others the host commune had on its shortlist.
            others = [e for e in experts if e is not selected]
            shortlisted = {id(e) for e in rng.sample(others, min(len(others), rng.randint(0, 2)))}
        for expert in experts:
            created = published + (closed - published) * rng.uniform(0.02, 0.98)
            status, shared = self.application_status(state, expert, selected, shortlisted)
            by_staff = status != Application.Status.APPLIED and rng.random() < 0.1
            application = Application(
                vacancy=plan.vacancy,
                expert=expert,
                status=status,
                shared_with_commune=shared,
                proposed_by_staff=by_staff,
                motivation="" if by_staff else self.motivation(plan, expert),
                created_at=created,
            )
            if status == Application.Status.APPLIED:
                application.updated_at = created
            elif status == Application.Status.WITHDRAWN:
                application.updated_at = created + (self.base - created) * rng.uniform(0, 0.3)
            else:
                application.updated_at = max(created, decided[-1] if decided else created)
            if status not in (Application.Status.APPLIED, Application.Status.WITHDRAWN):
                if not by_staff or rng.random() < 0.5:
                    application.screening_notes = rng.choice(SCREENING_NOTES)
                if status in FROM_INTERVIEW or (shared and rng.random() < 0.8):
                    application.interview_notes = rng.choice(INTERVIEW_NOTES)
            plan.applications.append(application)

    def application_status(
        self, state: str, expert, selected, shortlisted: set
    ) -> tuple[str, bool]:
        """An application's status in a case of this state, and whether the host commune has it
        on the shortlist sent to it."""
        A = Application.Status
        if expert is selected:
            return A.SELECTED, True
        if id(expert) in shortlisted:
            return (A.SHORTLISTED, True) if state == S.SHORTLIST_SENT else (A.DECLINED, True)
        if state == S.PUBLISHED:
            weights = {A.APPLIED: 85, A.SCREENED: 5, A.WITHDRAWN: 10}
        elif state == S.SCREENING:
            weights = {
                A.APPLIED: 30,
                A.SCREENED: 35,
                A.INTERVIEWED: 20,
                A.SHORTLISTED: 8,
                A.WITHDRAWN: 7,
            }
        elif state == S.SHORTLIST_SENT:
            weights = {A.SCREENED: 40, A.INTERVIEWED: 30, A.DECLINED: 20, A.WITHDRAWN: 10}
        else:
            weights = {A.DECLINED: 85, A.WITHDRAWN: 15}
        return _pick(self.rng, weights), False

    def motivation(self, plan: Plan, expert: ExpertProfile) -> str:
        """A short motivation letter from what the expert's profile holds."""
        rng = self.rng
        profile = self.profiles[id(expert)]
        shared = [code for code in profile.themes if code in plan.themes]
        values = {
            "title": plan.eoi.title,
            "host": self.town_of[id(plan.hosts[0])],
            "german": plan.partnership.german_commune.name,
            "years": expert.years_municipal_experience,
            "themes": ", ".join(
                self.theme_label(code).lower() for code in shared or profile.themes
            ),
            "keyword": rng.choice(expert.keywords.split(", ")),
            "languages": ", ".join(
                self.language_label(code, level) for code, level in profile.languages
            ),
        }
        parts = [rng.choice(MOTIVATION["opening"])]
        if profile.positions:
            values["employer"], _country, values["role"], _start, _end = profile.positions[0]
            parts.append(rng.choice(MOTIVATION["career"]))
        parts.append(rng.choice(MOTIVATION["fit" if shared else "no_fit"]))
        parts.append(rng.choice(MOTIVATION["close"]))
        return " ".join(parts).format(**values)

    def reason(self, transition: str) -> str:
        if transition in REASONS:
            return self.rng.choice(REASONS[transition])
        return ""

    def deployment_type(self, case: Case, plan: Plan, country: str, needs_expert: bool) -> str:
        """A model allowed in the host country on the planned start, preferably one the communes
        asked for and, for a case with a selected expert, one with a fitting expert in the pool.
        Moves the planned start to when a model becomes allowed if none is yet."""
        allowed = self.allowed_types(country, case.planned_start)
        if not allowed:
            for day in self.rule_dates:
                if day > case.planned_start and (allowed := self.allowed_types(country, day)):
                    case.planned_start = day
                    break
        if needs_expert:
            staffed = [
                code
                for code in allowed
                if self.pools[
                    "european"
                    if self.types[code].required_nationality == DeploymentType.Nationality.EUROPEAN
                    else country
                ]
            ]
            allowed = staffed or allowed
        preferred = [code for code in plan.preferred if code in allowed]
        return self.rng.choice(preferred or allowed)

    def timeline(self, steps: list[Step], state: str, months: int, grants: list[int]):
        """The time of every step: gaps drawn per transition, the mission's events placed by its
        length, the whole fitted into the last three years and the state's usual dwell time."""
        rng = self.rng
        offsets = [0.0]
        mission_start = None
        mission_months = months
        grant = iter(grants)
        for step in steps[1:]:
            name, previous = step.transition, offsets[-1]
            if name == "request_extension":
                planned_end = mission_start + mission_months * MONTH_DAYS
                offset = max(previous + 7, planned_end - rng.uniform(60, 150))
            elif name == "begin_closing":
                planned_end = mission_start + mission_months * MONTH_DAYS
                offset = max(previous + 3, planned_end - rng.uniform(0, 20))
            elif name == "terminate_early":
                if step.from_state == S.ACTIVE:
                    share = rng.uniform(0.25, 0.8)
                    offset = max(previous + 14, mission_start + share * mission_months * MONTH_DAYS)
                else:
                    offset = previous + rng.uniform(10, 40)
            else:
                offset = previous + rng.uniform(*GAPS[name])
                if name == "grant_extension":
                    mission_months += next(grant)
            if name == "start_mission":
                mission_start = offset
            offsets.append(offset)

        total = offsets[-1]
        low_dwell, high_dwell = DWELL[state]
        if total + low_dwell > WINDOW_DAYS:
            # Too long for the window: shorten the time before the mission.
            before = mission_start if mission_start is not None else total
            after = total - before
            factor = max(0.2, (WINDOW_DAYS - low_dwell - after) / before)
            offsets = [o * factor if o <= before else o - before + before * factor for o in offsets]
            if mission_start is not None:
                mission_start *= factor
            total = offsets[-1]
        low = total + low_dwell
        high = min(WINDOW_DAYS, total + high_dwell if high_dwell else WINDOW_DAYS)
        if state in (S.ACTIVE, S.EXTENSION_REQUESTED):
            # The mission has not reached its planned end yet.
            high = min(high, mission_start + mission_months * MONTH_DAYS - 3)
        days_ago = rng.uniform(low, max(low, high))
        first = self.base - timedelta(days=days_ago)
        return [first + timedelta(days=offset) for offset in offsets]

    def actor(self, step: Step, plan: Plan, case: Case):
        t = TRANSITIONS[step.transition]
        if t.roles == APPLICANTS:
            commune = self.rng.choice([plan.partnership.german_commune, *plan.hosts])
            return self.rng.choice(self.members_of[id(commune)])
        if roles.GIZ in t.roles:
            return self.rng.choice(self.recruiters)
        if case.case_officer and self.rng.random() < 0.7:
            return case.case_officer
        return self.rng.choice(self.skew)

    # --- Writing --------------------------------------------------------------------------------

    def run(self, *, cases: int, experts: int, communes: int) -> Counter:
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
        plans = self.plan_requests(links, cases, drafts)

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
            self.counts["communes"] += len(_bulk(Commune, all_communes))
            self.counts["applicant users"] += len(_bulk(User, users))
            applicant_group = self.groups[roles.APPLICANT].pk
            _link(
                User.groups.through,
                ("user_id", "group_id"),
                ((u.pk, applicant_group) for u in users),
            )
            self.counts["memberships"] += len(_bulk(CommuneMembership, memberships))
            self.counts["contact persons"] += len(_bulk(ContactPerson, contacts))
            self.counts["partnerships"] += len(_bulk(Partnership, partnerships))
            _link(
                Partnership.partner_communes.through,
                ("partnership_id", "commune_id"),
                ((p.pk, c.pk) for p, partners, _ in links for c in partners),
            )
            _link(
                Partnership.themes.through,
                ("partnership_id", "theme_id"),
                ((p.pk, self.themes[code].pk) for p, _, codes in links for code in codes),
            )
            self.counts["experts"] += len(_bulk(ExpertProfile, self.expert_pool))
            self.write_profiles()
            self.write_requests(plans)
        return self.counts

    def write_profiles(self):
        experts = [(e, self.profiles[id(e)]) for e in self.expert_pool]
        _link(
            ExpertProfile.expertise.through,
            ("expertprofile_id", "theme_id"),
            ((e.pk, self.themes[code].pk) for e, p in experts for code in p.themes),
        )
        _link(
            ExpertProfile.open_to_models.through,
            ("expertprofile_id", "deploymenttype_id"),
            ((e.pk, self.types[code].pk) for e, p in experts for code in p.models),
        )
        self.counts["expert languages"] += _insert(
            ExpertLanguage,
            ("expert", "language", "level"),
            ((e.pk, *language) for e, p in experts for language in p.languages),
        )
        self.counts["previous positions"] += _insert(
            Position,
            ("expert", "employer", "country", "role", "start", "end"),
            ((e.pk, *position) for e, p in experts for position in p.positions),
        )

    def write_requests(self, plans: list[Plan]):
        rng = self.rng
        eois = [plan.eoi for plan in plans]
        self.counts["expressions of interest"] += len(_bulk(ExpressionOfInterest, eois))
        EOI = ExpressionOfInterest
        _link(
            EOI.partnerships.through,
            ("expressionofinterest_id", "partnership_id"),
            ((p.eoi.pk, p.partnership.pk) for p in plans),
        )
        _link(
            EOI.host_communes.through,
            ("expressionofinterest_id", "commune_id"),
            ((p.eoi.pk, h.pk) for p in plans for h in p.hosts),
        )
        _link(
            EOI.themes.through,
            ("expressionofinterest_id", "theme_id"),
            ((p.eoi.pk, self.themes[t].pk) for p in plans for t in p.themes),
        )
        _link(
            EOI.sdgs.through,
            ("expressionofinterest_id", "sustainabledevelopmentgoal_id"),
            ((p.eoi.pk, self.sdgs[n].pk) for p in plans for n in p.sdgs),
        )
        _link(
            EOI.preferred_deployment_types.through,
            ("expressionofinterest_id", "deploymenttype_id"),
            ((p.eoi.pk, self.types[c].pk) for p in plans for c in p.preferred),
        )
        self.counts["required languages"] += len(
            _bulk(
                RequiredLanguage,
                [
                    RequiredLanguage(eoi=p.eoi, language=language, level=level)
                    for p in plans
                    for language, level in p.languages
                ],
            )
        )

        eoi_events, confirmations, comments = [], [], []
        case_events, top_ups, missions = [], [], []
        Kind, Status = EOIEvent.Kind, EOI.Status
        for plan in plans:
            eoi = plan.eoi
            eoi_events.append(
                EOIEvent(
                    eoi=eoi,
                    kind=Kind.CREATED,
                    actor=eoi.created_by,
                    commune=eoi.initiating_commune,
                    to_status=Status.DRAFT,
                    created_at=eoi.created_at,
                )
            )
            case = plan.case
            if case is None:
                continue
            parties = [plan.partnership.german_commune, *plan.hosts]
            status, revision = Status.DRAFT, 0
            for step, at, reason in zip(plan.steps, plan.times, plan.reasons, strict=True):
                name = step.transition
                if name in ("submit", "resubmit"):
                    # Each party commune confirms; the last confirmation submits.
                    revision += 1
                    rng.shuffle(parties)
                    for index, commune in enumerate(parties):
                        actor = rng.choice(self.members_of[id(commune)])
                        hours_before = (len(parties) - 1 - index) * rng.uniform(2, 72)
                        confirmed_at = at - timedelta(hours=hours_before)
                        confirmations.append(
                            Confirmation(
                                eoi=eoi,
                                commune=commune,
                                revision=revision,
                                user=actor,
                                created_at=confirmed_at,
                            )
                        )
                        eoi_events.append(
                            EOIEvent(
                                eoi=eoi,
                                kind=Kind.CONFIRMED,
                                actor=actor,
                                commune=commune,
                                created_at=confirmed_at,
                            )
                        )
                else:
                    actor = self.actor(step, plan, case)
                case_events.append(
                    CaseEvent(
                        case=case,
                        transition=name,
                        from_state=step.from_state,
                        to_state=step.to_state,
                        actor=actor,
                        reason=reason,
                        created_at=at,
                    )
                )
                if name in ("submit", "resubmit"):
                    eoi_events.append(
                        EOIEvent(
                            eoi=eoi,
                            kind=Kind.SUBMITTED,
                            actor=actor,
                            from_status=status,
                            to_status=Status.SUBMITTED,
                            note=f"Version {revision}",
                            created_at=at,
                        )
                    )
                    status = Status.SUBMITTED
                elif name == "request_information":
                    comments.append(
                        Comment(
                            eoi=eoi, author=actor, from_programme=True, body=reason, created_at=at
                        )
                    )
                    eoi_events.append(
                        EOIEvent(
                            eoi=eoi,
                            kind=Kind.CHANGES_REQUESTED,
                            actor=actor,
                            from_status=status,
                            to_status=Status.CHANGES_REQUESTED,
                            note=reason,
                            created_at=at,
                        )
                    )
                    status = Status.CHANGES_REQUESTED
                elif name in ("approve", "decline", "withdraw"):
                    to = Status.WITHDRAWN if name == "withdraw" else Status.DECIDED
                    kind = Kind.WITHDRAWN if name == "withdraw" else Kind.DECIDED
                    eoi_events.append(
                        EOIEvent(
                            eoi=eoi,
                            kind=kind,
                            actor=actor,
                            from_status=status,
                            to_status=to,
                            note=reason,
                            created_at=at,
                        )
                    )
                    status = to
            if status != eoi.status:
                raise AssertionError(f"EOI status {eoi.status} does not follow its events")
            if plan.top_up:
                top_ups.append(plan.top_up)
            if plan.mission:
                missions.append(plan.mission)

        self.counts["EOI events"] += len(_bulk(EOIEvent, eoi_events))
        self.counts["confirmations"] += len(_bulk(Confirmation, confirmations))
        self.counts["comments"] += len(_bulk(Comment, comments))
        cases = [p.case for p in plans if p.case is not None]
        self.counts["cases"] += len(_bulk(Case, cases))
        _link(
            Case.host_communes.through,
            ("case_id", "commune_id"),
            ((p.case.pk, h.pk) for p in plans if p.case is not None for h in p.hosts),
        )
        self.counts["case events"] += len(_bulk(CaseEvent, case_events))
        self.counts["salary top-ups"] += len(_bulk(SalaryTopUp, top_ups))
        self.counts["missions"] += len(_bulk(Mission, missions))
        self.counts["vacancies"] += len(_bulk(Vacancy, [p.vacancy for p in plans if p.vacancy]))
        moment = connection.ops.adapt_datetimefield_value
        self.counts["applications"] += _insert(
            Application,
            (
                "vacancy",
                "expert",
                "status",
                "shared_with_commune",
                "proposed_by_staff",
                "motivation",
                "screening_notes",
                "interview_notes",
                "profile_snapshot",
                "created_at",
                "updated_at",
            ),
            (
                (
                    a.vacancy.pk,
                    a.expert.pk,
                    str(a.status),
                    a.shared_with_commune,
                    a.proposed_by_staff,
                    a.motivation,
                    a.screening_notes,
                    a.interview_notes,
                    json.dumps(self.snapshot(a.expert)),
                    moment(a.created_at),
                    moment(a.updated_at),
                )
                for p in plans
                for a in p.applications
            ),
        )
        self.states = Counter(case.state for case in cases)


def generate(
    *, cases: int = 200, experts: int | None = None, seed: int = 42, communes: int | None = None
) -> tuple[Counter, Counter, float]:
    """Generate the data in one transaction; returns the row counts, cases per state and the
    elapsed seconds."""
    started = time.perf_counter()
    experts = cases * 4 if experts is None else experts
    communes = max(10, communes if communes is not None else cases)
    generator = Generator(seed=seed)
    with transaction.atomic():
        counts = generator.run(cases=cases, experts=experts, communes=communes)
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
