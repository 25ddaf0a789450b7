"""Demo communes, partnerships and expressions of interest in several states (seed_demo)."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.utils import timezone

from catalogue.models import DeploymentType, SustainableDevelopmentGoal, Theme
from experts.models import ExpertProfile
from partnerships import services
from partnerships.models import (
    Commune,
    CommuneMembership,
    ContactPerson,
    ExpressionOfInterest,
    Partnership,
    RequiredLanguage,
)
from placements.models import Case, Indicator, Mission, MissionObjective
from placements.reporting import plan_reports
from placements.workflow import transition
from portal import roles
from portal.models import User

COMMUNES = [
    # name, country, region, kind, population
    ("Bonn", "DE", "Nordrhein-Westfalen", "city", 336_000),
    ("Leipzig", "DE", "Sachsen", "city", 624_000),
    ("Landkreis Emmendingen", "DE", "Baden-Württemberg", "district", 168_000),
    ("Cape Coast", "GH", "Central Region", "city", 190_000),
    ("Kpalimé", "TG", "Plateaux", "municipality", 75_000),
    ("Dschang", "CM", "Ouest", "municipality", 120_000),
    ("Ocotal", "NI", "Nueva Segovia", "municipality", 45_000),
    ("Foumban", "CM", "Ouest", "municipality", 92_000),
]
PARTNERSHIPS = [
    # German commune, partner, since, agreement, themes
    ("Bonn", "Cape Coast", 2012, True, ["climate", "services"]),
    ("Leipzig", "Kpalimé", 2004, True, ["waste", "urban"]),
    ("Landkreis Emmendingen", "Dschang", 2019, False, ["water"]),
    ("Bonn", "Ocotal", 1996, True, ["sustainable"]),
]

DRAFTS = {
    "title": "",
    "problem_and_needs": "The city's waste is collected in only half of its districts; illegal "
    "dumps along the rivers flood in the rainy season.",
    "project_idea": "A municipal waste strategy with the neighbourhoods, separate collection of "
    "organic waste and a composting site run with a women's cooperative.",
    "objectives": "Collection in all districts within two years; a composting site in operation; "
    "a fee system that the council has adopted.",
    "expert_tasks": "Advise the technical department; plan collection rounds with the districts; "
    "set up monitoring; train staff.",
    "competence_skills": "Engineering or environmental management; five years in municipal "
    "waste management; participatory planning.",
    "years_of_experience": 5,
    "intended_start": date(2027, 9, 1),
    "duration_months": 24,
    "target_groups": "Residents of the unserved districts, informal waste pickers.",
    "inclusion": "The women's cooperative runs the composting site; waste pickers are offered "
    "contracts.",
    "transparency": "Collection data and fees are published monthly on the city's notice boards "
    "and website.",
    "cooperation": "Technical, finance and health departments meet monthly; the regional "
    "environment agency and two NGOs join the steering group.",
    "german_contribution": "Two staff of Leipzig's waste management company accompany the "
    "expert (about 20 days a year) and host a study visit.",
    "partner_workplace": "An office with a computer in the technical department; a motorbike for "
    "site visits.",
    "consent_data_processing": True,
}


def _commune(name):
    return Commune.objects.get(name=name)


def _member(email, name, commune, language):
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "language": language}
    )
    CommuneMembership.objects.get_or_create(user=user, commune=commune)
    user.groups.add(Group.objects.get(name=roles.APPLICANT))
    return user


def _fill(eoi, title, themes, sdgs, models):
    for name, value in DRAFTS.items():
        setattr(eoi, name, value)
    eoi.title = title
    eoi.save()
    eoi.themes.set(Theme.objects.filter(code__in=themes))
    eoi.sdgs.set(SustainableDevelopmentGoal.objects.filter(number__in=sdgs))
    eoi.preferred_deployment_types.set(DeploymentType.objects.filter(code__in=models))
    RequiredLanguage.objects.get_or_create(eoi=eoi, language="fr", defaults={"level": "C1"})


def create_demo_data(*, applicant: User, partner: User, staff: User) -> None:
    if Partnership.objects.exists():
        return
    for name, country, region, kind, population in COMMUNES:
        Commune.objects.get_or_create(
            name=name,
            country=country,
            region=region,
            defaults={"kind": kind, "population": population},
        )
    for german, partner_name, since, agreement, themes in PARTNERSHIPS:
        partnership = Partnership.objects.create(
            name=f"{german} – {partner_name}",
            german_commune=_commune(german),
            since_year=since,
            formal_agreement=agreement,
            status=Partnership.Status.ESTABLISHED if agreement else Partnership.Status.BEING_BUILT,
        )
        partnership.partner_communes.add(_commune(partner_name))
        partnership.themes.set(Theme.objects.filter(code__in=themes))
    ContactPerson.objects.get_or_create(
        commune=_commune("Kpalimé"),
        name="Kossi Agbeko",
        defaults={"function": "Secrétaire général", "languages": "French, Ewe"},
    )

    leipzig, kpalime = _commune("Leipzig"), _commune("Kpalimé")
    User.objects.filter(email=partner.email).update(language="fr")
    partner.language = "fr"
    _member(applicant.email, applicant.full_name, leipzig, "de")
    _member(partner.email, partner.full_name, kpalime, "fr")
    bonn = _member("bonn@demo.example", "Jonas Weber", _commune("Bonn"), "de")
    cape_coast = _member("capecoast@demo.example", "Ama Mensah", _commune("Cape Coast"), "en")

    # A draft in progress, started by Leipzig.
    draft = services.start_expression_of_interest(user=applicant, commune=leipzig)
    _fill(draft, "Waste management in Kpalimé", ["waste"], [11, 12], ["integrated"])
    ExpressionOfInterest.objects.filter(pk=draft.pk).update(partner_workplace="")

    # Submitted by both sides.
    submitted = services.start_expression_of_interest(user=bonn, commune=_commune("Bonn"))
    submitted.partnerships.set(Partnership.objects.filter(name="Bonn – Cape Coast"))
    submitted.host_communes.set([_commune("Cape Coast")])
    _fill(
        submitted,
        "Climate adaptation plan for Cape Coast",
        ["climate"],
        [11, 13],
        ["technical_assistant"],
    )
    submitted.refresh_from_db()
    services.confirm(eoi=submitted, user=bonn, commune=_commune("Bonn"))
    services.confirm(eoi=submitted, user=cape_coast, commune=_commune("Cape Coast"))

    # Sent back for more information after submission.
    returned = services.start_expression_of_interest(user=partner, commune=kpalime)
    returned.partnerships.set(Partnership.objects.filter(name="Leipzig – Kpalimé"))
    returned.host_communes.set([kpalime])
    _fill(
        returned,
        "Citizen service centre in Kpalimé",
        ["services", "egovernance"],
        [16],
        ["national"],
    )
    returned.refresh_from_db()
    services.confirm(eoi=returned, user=partner, commune=kpalime)
    services.confirm(eoi=returned, user=applicant, commune=leipzig)
    # Once submitted, the request has a case: staff ask through its workflow.
    transition(
        case=returned.case,
        name="request_information",
        by=staff,
        reason="Please describe how the service centre will be financed after the mission.",
    )
    _active_mission(applicant=applicant, partner=partner, staff=staff, kpalime=kpalime)


def _active_mission(*, applicant, partner, staff, kpalime) -> None:
    """An active mission of the demo expert in Kpalimé, with agreed objectives and the first
    progress report due in about ten days (so that the mission page, the report form and the
    reminders have something to show). The case is put in its state directly: the demo skips
    recruitment, which the generated cases show."""
    expert_user = User.objects.filter(email="expert@demo.example").first()
    if expert_user is None:
        return
    leipzig = _commune("Leipzig")
    eoi = services.start_expression_of_interest(user=applicant, commune=leipzig)
    eoi.partnerships.set(Partnership.objects.filter(name="Leipzig – Kpalimé"))
    eoi.host_communes.set([kpalime])
    _fill(eoi, "Water supply for the districts of Kpalimé", ["water"], [6, 11], ["integrated"])
    eoi.refresh_from_db()
    services.confirm(eoi=eoi, user=applicant, commune=leipzig)
    services.confirm(eoi=eoi, user=partner, commune=kpalime)
    profile, _created = ExpertProfile.objects.get_or_create(
        user=expert_user,
        defaults={
            "full_name": expert_user.full_name,
            "email": expert_user.email,
            "nationalities": ["IT"],
            "country_of_residence": "IT",
            "consent_to_be_found": True,
        },
    )
    case = Case.objects.get(eoi=eoi)
    case._move_to(Case.State.ACTIVE)
    case.case_officer = staff
    case.selected_expert = profile
    case.deployment_type = DeploymentType.objects.get(code="integrated")
    case.save()
    # Started so that the first six-month period ended about twenty days ago: due in about ten.
    today = timezone.localdate()
    start = today - relativedelta(months=6) - timedelta(days=20)
    mission = Mission.objects.create(
        case=case, expert=profile, start=start, planned_end=start + relativedelta(months=24)
    )
    objective = MissionObjective.objects.create(
        mission=mission, title="Drinking water in every district", position=1
    )
    Indicator.objects.create(
        objective=objective, name="Households connected", unit="%", baseline=55, target=90
    )
    second = MissionObjective.objects.create(
        mission=mission,
        title="A municipal water service that plans its own investments",
        position=2,
    )
    Indicator.objects.create(
        objective=second, name="Investment plan adopted", unit="", baseline=0, target=1
    )
    plan_reports(mission, today=start)
