"""Factories of the placements app: a case opened the real way (both communes confirm a complete
expression of interest) and ``advance``, which walks a case along the workflow to any state."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from catalogue.models import DeploymentType
from experts.models import ExpertProfile
from partnerships import services as eoi_services
from partnerships.models import CommuneMembership
from placements import services as recruitment
from placements import workflow
from placements.models import Application, Case, SalaryTopUp, SupportEvent
from tests.partnerships.factories import EOIFactory, MembershipFactory, PartnershipFactory

S = Case.State


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    """A German expert; ``nationalities=["TG"]`` for a national expert in Togo."""

    class Meta:
        model = ExpertProfile

    full_name = factory.Sequence(lambda n: f"Expert {n}")
    email = factory.Sequence(lambda n: f"expert{n}@example.org")
    nationalities = factory.LazyFunction(lambda: ["DE"])
    country_of_residence = "DE"
    consent_to_be_found = True


def member_of(commune):
    """A confirmed member of the commune: the first one it has, or a new one."""
    membership = CommuneMembership.objects.filter(commune=commune).select_related("user").first()
    return membership.user if membership else MembershipFactory(commune=commune).user


class CaseFactory(factory.django.DjangoModelFactory):
    """A submitted case, opened as in real life: a complete expression of interest of
    ``partnership`` (a new German–Togolese one otherwise) confirmed by a member of every party
    commune through ``partnerships.services.confirm``. Other keyword arguments go to the EOI."""

    class Meta:
        model = Case

    @classmethod
    def _create(cls, model_class, *args, partnership=None, **eoi_fields):
        partnership = partnership or PartnershipFactory()
        creator = member_of(partnership.german_commune)
        eoi = EOIFactory(partnership=partnership, created_by=creator, **eoi_fields)
        for commune in eoi_services.party_communes(eoi):
            eoi_services.confirm(eoi=eoi, user=member_of(commune), commune=commune)
        return Case.objects.get(eoi=eoi)


# --- Filling in what the guards ask for -----------------------------------------------------------


def save_fields(case, **fields):
    """Write fields on a fresh copy of the case (never the state: that is the workflow's)."""
    case = Case.objects.get(pk=case.pk)
    for name, value in fields.items():
        setattr(case, name, value)
    case.save(update_fields=list(fields))
    return case


def record_appraisal(case):
    return save_fields(
        case,
        appraisal_mode=Case.AppraisalMode.VIRTUAL,
        appraisal_date=date(2027, 3, 2),
        appraisal_findings="Both communes want a waste strategy; the council has agreed.",
    )


def agree_profile(case, model=DeploymentType.Code.INTEGRATED):
    case = Case.objects.get(pk=case.pk)
    fields = {
        "competence_profile": case.competence_profile or "Environmental engineer.",
        "tasks": case.tasks or "Draft the waste strategy with the technical department.",
        "objectives": case.objectives or "Collection in every district.",
        "planned_start": case.planned_start or date(2027, 9, 1),
        "deployment_type": case.deployment_type or DeploymentType.objects.get(code=model),
    }
    if not case.host_communes.exists():
        case.host_communes.set(case.eoi.host_communes.all())
    return save_fields(case, **fields)


def suitable_expert(case):
    """A new expert with the nationality the case's deployment model asks for."""
    model = case.deployment_type
    if model and model.required_nationality == DeploymentType.Nationality.HOST_COUNTRY:
        return ExpertProfileFactory(nationalities=[case.host_communes.first().country.code])
    return ExpertProfileFactory(nationalities=["DE"])


def shortlist_expert(case, *, by, expert=None):
    """Staff put a suitable expert on the shortlist of the case's vacancy."""
    case = Case.objects.get(pk=case.pk)
    recruitment.shortlist(case=case, expert=expert or suitable_expert(case), by=by)
    return case


def choose_expert(case, expert=None):
    """The host commune has chosen ``expert`` (by default the first shortlisted candidate, or a
    new suitable expert)."""
    case = Case.objects.get(pk=case.pk)
    if expert is None:
        shortlisted = Application.objects.filter(
            vacancy__case=case, status=Application.Status.SHORTLISTED
        ).first()
        expert = shortlisted.expert if shortlisted else suitable_expert(case)
    return save_fields(case, selected_expert=expert, host_commune_chose_expert=True)


def record_contract(case):
    """The contract party the model asks for and, for integrated experts, the salary top-up."""
    case = Case.objects.get(pk=case.pk)
    if case.deployment_type.salary_top_up and not hasattr(case, "salary_top_up"):
        SalaryTopUp.objects.create(
            case=case,
            local_salary=Decimal("250000.00"),
            local_currency="XOF",
            top_up=Decimal("2400.00"),
        )
    return save_fields(case, contract_party=case.deployment_type.contract_party)


def record_contract_start(case):
    return save_fields(case, contract_start=timezone.localdate() - timedelta(days=30))


def prepare(case, name, *, by=None, model=DeploymentType.Code.INTEGRATED):
    """Fill in what the guards of transition ``name`` need, keeping whatever is already there
    (``by``: the staff member who shortlists, where a shortlist is needed)."""
    case = Case.objects.get(pk=case.pk)
    if name == "publish_vacancy":
        vacancy = case.vacancy
        if not vacancy.closing_date or vacancy.closing_date < timezone.localdate():
            vacancy.closing_date = timezone.localdate() + timedelta(days=30)
            vacancy.save(update_fields=["closing_date"])
    if (
        name == "send_shortlist"
        and not Application.objects.filter(
            vacancy__case=case, status=Application.Status.SHORTLISTED
        ).exists()
    ):
        case = shortlist_expert(case, by=by)
    if name == "agree_profile" and not (
        case.appraisal_mode and case.appraisal_date and case.appraisal_findings
    ):
        case = record_appraisal(case)
    if name in ("agree_profile", "approve"):
        case = agree_profile(case, model)
    if name in ("select_candidate", "start_contracting") and not (
        case.selected_expert and case.host_commune_chose_expert
    ):
        case = choose_expert(case, case.selected_expert)
    if name in ("start_contracting", "prepare_departure"):
        case = record_contract(case)
    if name == "start_mission" and not case.contract_start:
        case = record_contract_start(case)
    return case


# --- Walking the workflow -------------------------------------------------------------------------

# The main road from submission to the end, as (transition, state it leads to).
ROAD = [
    ("start_eligibility_check", S.ELIGIBILITY_CHECK),
    ("confirm_eligibility", S.APPRAISAL),
    ("agree_profile", S.PROFILE_AGREED),
    ("approve", S.APPROVED),
    ("draft_vacancy", S.VACANCY_DRAFTED),
    ("publish_vacancy", S.PUBLISHED),
    ("start_screening", S.SCREENING),
    ("send_shortlist", S.SHORTLIST_SENT),
    ("select_candidate", S.CANDIDATE_SELECTED),
    ("start_contracting", S.CONTRACTING),
    ("prepare_departure", S.PREPARING_DEPARTURE),
    ("start_mission", S.ACTIVE),
    ("begin_closing", S.CLOSING),
    ("close", S.CLOSED),
]
# States off the road: the transition that leads there, and where on the road it starts from
# (None: from wherever the case is).
DETOURS = {
    S.INFO_REQUESTED: ("request_information", None),
    S.DECLINED: ("decline", None),
    S.WITHDRAWN: ("withdraw", None),
    S.ON_HOLD: ("put_on_hold", None),
    S.EXTENSION_REQUESTED: ("request_extension", S.ACTIVE),
}


def applicant_for(case):
    """A member of the first host commune, who may act for the communes."""
    return member_of(case.eoi.host_communes.first())


def step(case, name, *, by, reason="", data=None, model=DeploymentType.Code.INTEGRATED):
    """Carry out one transition, first filling in what its guards need."""
    case = prepare(case, name, by=by, model=model)
    transition = workflow.TRANSITIONS[name]
    if transition.reason_required and not reason:
        reason = f"Reason for {name}."
    if transition.asks_months and data is None:
        data = {"months": 6}
    if transition.roles == workflow.APPLICANTS:
        by = applicant_for(case)
    return workflow.transition(case=case, name=name, by=by, reason=reason, data=data)


def advance(case, to_state, *, by, model=DeploymentType.Code.INTEGRATED):
    """Walk the case through the workflow to ``to_state``, filling in whatever each guard needs
    (deployment model ``model``, integrated by default). Returns a fresh copy of the case."""
    case = Case.objects.get(pk=case.pk)
    detour = DETOURS.get(to_state)
    road_end = detour[1] if detour else to_state
    if road_end is not None and case.state != road_end:
        names = [name for name, _state in ROAD]
        states = [S.SUBMITTED] + [state for _name, state in ROAD]
        if case.state not in states or road_end not in states:
            raise ValueError(f"Cannot walk from {case.state} to {to_state}.")
        for name in names[states.index(case.state) : states.index(road_end)]:
            case = step(case, name, by=by, model=model)
    if detour:
        case = step(case, detour[0], by=by, model=model)
    return Case.objects.get(pk=case.pk)


class SupportEventFactory(factory.django.DjangoModelFactory):
    """A published networking event for experts and communes in three weeks, in Lomé's time
    zone, with ten places."""

    class Meta:
        model = SupportEvent

    title = factory.Sequence(lambda n: f"Exchange meeting {n}")
    kind = SupportEvent.Kind.NETWORKING
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=21))
    end = factory.LazyAttribute(lambda event: event.start + timedelta(hours=3))
    time_zone = "Africa/Lome"
    place = "Kpalimé town hall"
    audience = SupportEvent.Audience.BOTH
    capacity = 10
    agenda = "Welcome; what worked; what did not."
    published = True
