"""Who may do what in placements: cases, vacancies, applications, shortlists and the case
workflow. Ask with ``portal.policies.may(user, "placements.<rule>", obj)``; the workflow's
table says which roles trigger each transition and asks `may_trigger` here. README's role table
lists every rule."""

import rules
from django.utils.translation import gettext as _

from experts.models import ExpertProfile
from partnerships.models import Commune, ExpressionOfInterest, Partnership
from partnerships.policies import own_commune_ids, own_communes
from portal import roles, sqlcache
from portal.auth_backends import forget_users
from portal.models import User
from portal.policies import acts_for_programme, has_role, is_active

from .models import Case, SupportEvent

APPLICANTS = frozenset({roles.APPLICANT})

# --- Admin permissions per staff role (portal.roles.grant, from apps.py) --------------------------
# Case officers work on cases (the state itself only through the workflow), notes, vacancies and
# missions; salary data is finance's alone; coordinators look.
MODELS = [
    "case",
    "caseevent",
    "casenote",
    "mission",
    "vacancy",
    "application",
    "missionobjective",
    "indicator",
    "missionreport",
    "reportversion",
    "reportcomment",
]
_READ = roles.model_permissions("placements", MODELS, ("view",))
# Salaries are personal data only finance needs (and the superuser).
_SALARIES = {
    "placements.view_salaryaccess",
    "placements.view_salarytopup",
    "placements.add_salarytopup",
    "placements.change_salarytopup",
}
_WORK_ON_CASES = _READ | {
    "placements.change_case",
    "placements.add_casenote",
    "placements.change_mission",
    "placements.change_vacancy",
    "placements.add_missionobjective",
    "placements.change_missionobjective",
    "placements.delete_missionobjective",
    "placements.add_indicator",
    "placements.change_indicator",
    "placements.delete_indicator",
}
# Support events: case officers run them and record who came; coordinators and finance look.
_READ_EVENTS = roles.model_permissions(
    "placements", ["supportevent", "eventregistration"], ("view",)
)
_RUN_EVENTS = _READ_EVENTS | {
    "placements.add_supportevent",
    "placements.change_supportevent",
    "placements.change_eventregistration",
}
ROLE_PERMISSIONS = {
    roles.SKEW: _WORK_ON_CASES | _RUN_EVENTS,
    roles.GIZ: _WORK_ON_CASES | _RUN_EVENTS,
    roles.COORDINATOR: _READ | _READ_EVENTS,
    roles.FINANCE: _READ | _SALARIES | _READ_EVENTS,
}

# Programme staff read cases, applications and the staff dashboard (all four staff roles);
# case officers (SKEW, GIZ) recruit: shortlist, take notes, mark the selected expert.
reads_cases = acts_for_programme("placements.view_case")
reads_applications = acts_for_programme("placements.view_application")
reads_missions = acts_for_programme("placements.view_mission")
# Case officers review reports (the roles that work on missions).
reviews_reports = acts_for_programme("placements.change_mission")
recruits = acts_for_programme("placements.change_case")
is_expert = has_role(roles.EXPERT)
reads_events = acts_for_programme("placements.view_supportevent")


def hosts_of(case: Case) -> list[Commune]:
    """The communes that host the expert: those recorded on the case, else those the expression
    of interest named."""
    return list(case.host_communes.all()) or list(case.eoi.host_communes.all())


def host_communes_of(user, case: Case) -> list[Commune]:
    """The host communes of the case the user is a member of."""
    own = own_communes(user)
    if not own:
        return []
    hosts = {c.pk for c in hosts_of(case)}
    return [c for c in own if c.pk in hosts]


@rules.predicate
def has_expert_profile(user) -> bool:
    """Whether the user has an expert profile. Read as `user.expert_profile` would be, and kept
    on the user the same way (also when there is none), but with its SQL compiled once
    (portal.sqlcache): the dashboard asks on every request."""
    if not is_active(user):
        return False
    rel = User.expert_profile.related
    if not rel.is_cached(user):
        found = sqlcache.rows(_expert_profiles_of, [user.pk])
        rel.set_cached_value(user, found[0] if found else None)
        if found:
            rel.field.set_cached_value(found[0], user)
    return hasattr(user, "expert_profile")


def _expert_profiles_of(keys):
    return ExpertProfile.objects.filter(user__in=keys)


def keep_no_expert_profile(user) -> None:
    """For registries.user_facts: that the user has no expert profile (most accounts) is kept
    with the cached user, which a profile's save forgets (forget_profile_owner). A profile found
    is not kept: a form could otherwise start from a copy older than the row."""
    if has_expert_profile(user):
        User.expert_profile.related.delete_cached_value(user)


def forget_profile_owner(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """Receiver of an expert profile's saves: a profile created or given its user forgets the
    user's "no profile" (a save of some other fields cannot give one; a profile deleted is not
    kept with anybody)."""
    if instance.user_id is not None and (
        created or update_fields is None or "user" in update_fields
    ):
        forget_users([instance.user_id])


@rules.predicate
def member_of_host_commune(user, case) -> bool:
    return bool(host_communes_of(user, case))


@rules.predicate
def owns_application(user, application) -> bool:
    return is_active(user) and application.expert.user_id == user.pk


def case_communes(case: Case) -> list[Commune]:
    """Both sides of a case, in one query: the German communes of the partnerships of its
    expression of interest, the hosts it named and those recorded on the case (what
    `party_communes(case.eoi)` and `hosts_of(case)` give together), by key. Its SQL is compiled
    once (portal.sqlcache): pages ask it on every request. A page that keeps the case in the
    cache keeps them on it (keep_case_communes)."""
    kept = getattr(case, "_kept_communes", None)
    if kept is not None:
        return kept
    return sqlcache.rows(_case_communes, [case.eoi_id, case.pk])


def keep_case_communes(case: Case) -> None:
    """Keep case_communes on the case: for a case kept in the cache under a version that its
    communes' changes renew (the EOI page's panels, partnerships.registries.eoi_panels)."""
    if getattr(case, "_kept_communes", None) is None:
        case._kept_communes = case_communes(case)


def _case_communes(keys):
    # keys: the case's expression of interest, then the case.
    eoi, case = keys
    german = Partnership.objects.filter(expressions_of_interest=eoi)
    eoi_hosts = ExpressionOfInterest.host_communes.through.objects.filter(expressionofinterest=eoi)
    case_hosts = Case.host_communes.through.objects.filter(case=case)
    # A union of keys (OR-ed subqueries read every commune); without the default orderings,
    # which SQLite refuses inside a UNION.
    sides = (
        german.order_by()
        .values("german_commune")
        .union(eoi_hosts.order_by().values("commune"), case_hosts.order_by().values("commune"))
    )
    return Commune.objects.filter(pk__in=sides).order_by("pk")


def mission_communes(mission) -> list[Commune]:
    """Both sides of a mission: the German communes of the partnerships and the hosts."""
    return case_communes(mission.case)


def party_members(mission):
    """The people of both communes, who follow the mission and read its accepted reports."""
    return User.objects.filter(
        commune_memberships__commune__in=[c.pk for c in mission_communes(mission)],
        is_active=True,
    ).distinct()


@rules.predicate
def party_to_case(user, case) -> bool:
    """A member of a commune taking part in the case's expression of interest, or of a host
    commune recorded on the case."""
    # As `communes_of(user, case.eoi) or member_of_host_commune(user, case)`, with one query
    # for the user's communes (none for most users, and then no more) and one for the case's.
    own = own_commune_ids(user)
    if not own:
        return False
    sides = {c.pk for c in case_communes(case)}
    return bool(own & sides) or case.eoi.initiating_commune_id in own


@rules.predicate
def is_missions_expert(user, mission) -> bool:
    return is_active(user) and mission.expert.user_id == user.pk


@rules.predicate
def member_of_mission_commune(user, mission) -> bool:
    own = own_commune_ids(user)
    return bool(own) and any(c.pk in own for c in mission_communes(mission))


@rules.predicate
def writes_the_report(user, report) -> bool:
    return is_missions_expert(user, report.mission)


@rules.predicate
def commune_of_report(user, report) -> bool:
    return member_of_mission_commune(user, report.mission)


@rules.predicate
def report_is_editable(user, report) -> bool:
    return report.is_editable


@rules.predicate
def report_is_accepted(user, report) -> bool:
    return report.status == report.Status.ACCEPTED


@rules.predicate
def is_commune_member(user) -> bool:
    return is_active(user) and Commune.objects.of_member(user).exists()


def audience_refusal(user, event: SupportEvent) -> str | None:
    """Why the user may not register for the event, or None when they may: experts (with a
    profile) for events for experts, members of a commune for events for communes; staff run
    the events and do not register."""
    if not is_active(user):
        return _("Please log in to register.")
    if user.is_staff:
        return _("Programme staff do not register for support events.")
    if event.open_for_experts and has_expert_profile(user):
        return None
    if event.open_for_communes and is_commune_member(user):
        return None
    if event.audience == SupportEvent.Audience.EXPERTS:
        return _("This event is for experts with an expert profile.")
    if event.audience == SupportEvent.Audience.COMMUNES:
        return _("This event is for members of a commune.")
    return _("This event is for experts and members of a commune.")


@rules.predicate
def in_audience(user, event) -> bool:
    return audience_refusal(user, event) is None


def may_trigger(user, transition) -> bool:
    """Whether the user's role is one the workflow's table names for this transition; a
    superuser may do what any staff role may, never what only the communes do."""
    if not is_active(user):
        return False
    if user.is_superuser:
        return bool(transition.roles - APPLICANTS)
    return bool(user.role_names() & transition.roles)


rules.add_perm("placements.see_staff_dashboard", reads_cases)
# Published vacancies: visitors see the public ones, everyone with an account all of them (anyone
# may open an expert profile in one click, so hiding them from accounts without one only made
# the list look empty to people about to become experts); applying needs the profile.
rules.add_perm("placements.see_all_vacancies", rules.predicate(is_active))
rules.add_perm("placements.apply", has_expert_profile)
rules.add_perm("placements.withdraw_application", owns_application)
rules.add_perm("placements.read_application", reads_applications | owns_application)
rules.add_perm("placements.recruit", recruits)
rules.add_perm("placements.read_shortlist", member_of_host_commune)
rules.add_perm("placements.choose_candidate", member_of_host_commune)
rules.add_perm(
    "placements.read_mission", reads_missions | is_missions_expert | member_of_mission_commune
)
# Case documents (summary, decision letter): staff, and the communes of the request.
rules.add_perm("placements.read_case_documents", reads_cases | party_to_case)
# Portfolios: the staff who read every mission.
rules.add_perm("placements.make_portfolio", reads_missions)
rules.add_perm("placements.write_report", writes_the_report & report_is_editable)
rules.add_perm("placements.review_report", reviews_reports)
rules.add_perm(
    "placements.read_report",
    reads_missions | writes_the_report | (report_is_accepted & commune_of_report),
)
# The status first: it asks no query.
rules.add_perm("placements.comment_report", report_is_accepted & commune_of_report)
# Support events: staff see unpublished ones too; experts and communes register for theirs.
rules.add_perm("placements.see_all_events", reads_events)
rules.add_perm("placements.register_for_event", in_audience)
rules.add_perm("placements.trigger", rules.predicate(may_trigger))
