"""What each user may see of placements, built on its policies."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from experts.models import ExpertLanguage, ExpertProfile
from partnerships.models import Comment, Commune, ExpressionOfInterest, RequiredLanguage
from portal import kept, sqlcache
from portal.policies import may

from . import policies
from .models import (
    Application,
    Case,
    CaseEvent,
    DocumentJob,
    EventRegistration,
    Mission,
    MissionReport,
    SupportEvent,
    SupportEventDocument,
    Vacancy,
)


def cases_visible_to(user):
    """Programme staff work with cases; nobody else sees them directly (the communes follow
    their expression of interest, experts their applications)."""
    if policies.reads_cases(user):
        return Case.objects.all()
    return Case.objects.none()


def case_documents_visible_to(user):
    """Cases whose documents (summary, decision letter) the user may download: programme staff
    every case; the people of the communes taking part in the expression of interest theirs
    (the German communes of its partnerships, the host communes, the commune that drafted it)."""
    if policies.reads_cases(user):
        return Case.objects.all()
    if not policies.is_active(user):
        return Case.objects.none()
    own = Commune.objects.of_member(user).values("pk")
    return Case.objects.filter(
        pk__in=Case.objects.filter(
            Q(eoi__partnerships__german_commune__in=own)
            | Q(eoi__host_communes__in=own)
            | Q(host_communes__in=own)
            | Q(eoi__initiating_commune__in=own)
        ).values("pk")
    )


def document_jobs_of(user):
    """The documents the user asked for; nobody else's, whatever their role."""
    if not policies.is_active(user):
        return DocumentJob.objects.none()
    return DocumentJob.objects.filter(user=user)


def applications_visible_to(user):
    """Programme staff read every application; an expert their own."""
    if policies.reads_applications(user):
        return Application.objects.all()
    if not policies.is_active(user):
        return Application.objects.none()
    return Application.objects.filter(expert__user=user)


def vacancies_visible_to(user):
    """Published vacancies: the public ones for visitors, all for everyone logged in."""
    vacancies = Vacancy.objects.published()
    if not may(user, "placements.see_all_vacancies"):
        vacancies = vacancies.filter(public=True)
    return vacancies


def vacancies_hidden_from(user):
    """The published vacancies the user would see after logging in (none for those who are)."""
    if may(user, "placements.see_all_vacancies"):
        return Vacancy.objects.none()
    return Vacancy.objects.published().filter(public=False)


# --- What the vacancy list keeps in the cache ----------------------------------------------------
# The list is the same for everybody who sees the same vacancies (visitors the public ones,
# accounts all of them): its filter's choices and its pages are kept per language, under a
# version that changes when a vacancy, its case, its expression of interest, their communes or
# required languages change. Django's model signals carry every save and delete (the workflow's,
# the admin's, a history revert); QuerySet.update() and raw SQL send none, so nothing is kept
# longer than VACANCY_LIST_SECONDS either. The staff dashboard's figures (views.recruitment) are
# kept under the same version: its counts read the cases, their host communes and deployment
# models (whose signals are connected for that), its "waiting longest" the cases and their EOIs.
VACANCY_LIST_SECONDS = 300
_VACANCY_LIST_VERSION = "vacancy-list:version"


def vacancy_list_version() -> str:
    """Part of the key of everything the vacancy list keeps: a new one forgets all of it."""
    return kept.version(_VACANCY_LIST_VERSION)


def forget_vacancy_lists(**kwargs) -> None:
    """Receiver of the model signals above."""
    kept.new_version(_VACANCY_LIST_VERSION)


# The admin case list's filters offer the cases' states, stages, host countries and deployment
# models (all under the vacancy list's version) and every theme, SDG and staff account: those
# three renew a version of their own (placements.apps); the filters' HTML is kept under both.
_CASE_LIST_FILTERS_VERSION = "admin-case-list:filters:version"


def case_list_filters_version() -> str:
    """Part of the key of the admin case list's filters, kept by portal.admin_lists."""
    return f"{vacancy_list_version()}:{kept.version(_CASE_LIST_FILTERS_VERSION)}"


def forget_case_list_filters(update_fields=None, **kwargs) -> None:
    """Receiver of the model signals; a login (which saves the user's last login) shows nowhere."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    kept.new_version(_CASE_LIST_FILTERS_VERSION)


def vacancy_filter_codes(user) -> tuple[list[str], list[str]]:
    """The host countries and required languages of the vacancies the user sees: what the
    vacancy list's filter offers (a short list, not every country and language)."""
    sees_all = may(user, "placements.see_all_vacancies")
    key = f"vacancy-list:codes:{sees_all}:{vacancy_list_version()}"
    codes = cache.get(key)
    if codes is None:
        vacancies = vacancies_visible_to(user)
        communes = Commune.objects.order_by()
        countries = {
            *communes.filter(cases__vacancy__in=vacancies).values_list("country", flat=True),
            *communes.filter(hosted_eois__case__vacancy__in=vacancies).values_list(
                "country", flat=True
            ),
        }
        languages = RequiredLanguage.objects.filter(eoi__case__vacancy__in=vacancies).order_by()
        codes = (sorted(countries), sorted(set(languages.values_list("language", flat=True))))
        cache.set(key, codes, VACANCY_LIST_SECONDS)
    return codes


def _seen_missions(user, path: str = "") -> Q | None:
    """The condition on a mission (at `path`, e.g. "mission__") that the user sees it: programme
    staff every mission; the expert their own; the people of both communes the missions of their
    requests. None: no mission at all."""
    if policies.reads_missions(user):
        return Q()
    if not policies.is_active(user):
        return None
    # The user's communes first (a query on one index): most users who see missions have none
    # (experts), and the page's query then only asks for the expert's missions. Nested in the
    # page's query with its joins, the union below took PostgreSQL 10-15 ms to plan.
    own = sorted(policies.own_commune_ids(user))
    if not own:
        return Q(**{f"{path}expert__user": user})
    # One query of keys, a union: the missions are then fetched by key, without joins that
    # repeat rows and a DISTINCT over whole rows (as partnerships.selectors.eoi_of_communes).
    case_hosts = Case.host_communes.through.objects.filter(commune__in=own)
    eoi_hosts = ExpressionOfInterest.host_communes.through.objects.filter(commune__in=own)
    eoi_partners = ExpressionOfInterest.partnerships.through.objects.filter(
        partnership__german_commune__in=own
    )
    # Without the default ordering, which SQLite refuses inside a UNION.
    missions = Mission.objects.order_by()
    keys = (
        missions.filter(expert__user=user)
        .values_list("pk", flat=True)
        .union(
            missions.filter(case__in=case_hosts.values("case_id")).values_list("pk", flat=True),
            missions.filter(case__eoi__in=eoi_hosts.values("expressionofinterest_id")).values_list(
                "pk", flat=True
            ),
            missions.filter(
                case__eoi__in=eoi_partners.values("expressionofinterest_id")
            ).values_list("pk", flat=True),
        )
    )
    return Q(**{f"{path or 'pk__'}in": list(keys)})


def missions_visible_to(user):
    """Programme staff read every mission; the expert their own; the people of both communes
    the missions of their requests."""
    seen = _seen_missions(user)
    return Mission.objects.none() if seen is None else Mission.objects.filter(seen)


def reports_visible_to(user):
    """Reports of the missions the user sees; the communes read the accepted ones only."""
    seen = _seen_missions(user, "mission__")
    if seen is None:
        return MissionReport.objects.none()
    reports = MissionReport.objects.filter(seen)
    if policies.reads_missions(user):
        return reports
    return reports.filter(Q(mission__expert__user=user) | Q(status=MissionReport.Status.ACCEPTED))


@dataclass(frozen=True)
class MissionReader:
    """What a reader may see of a mission they see (`missions_visible_to`): all that the mission's
    and its reports' pages show differently from one reader to another, bar their forms."""

    # The mission's expert, who writes its reports.
    is_expert: bool
    # Staff and the expert read every report; the communes the accepted ones.
    reads_every_report: bool


def mission_reader(user, mission: Mission) -> MissionReader:
    is_expert = policies.is_missions_expert(user, mission)
    return MissionReader(
        is_expert=is_expert,
        reads_every_report=is_expert or policies.reads_missions(user),
    )


def readable_reports(reader: MissionReader, reports) -> list[MissionReport]:
    """Those of the mission's reports the reader may read: what `reports_visible_to` answers,
    without asking the database."""
    if reader.reads_every_report:
        return list(reports)
    return [report for report in reports if report.status == MissionReport.Status.ACCEPTED]


# --- What the mission pages keep in the cache -----------------------------------------------------
# A mission's page and a report's page show the same to every reader who may read the same of
# the mission (MissionReader): what they show of the mission is kept in the cache per language
# and reader, under a version that the model signals of everything shown change (placements.apps).
# Who may see the mission or report is asked on every request; forms (and their tokens) are
# rendered for each. QuerySet.update(), bulk_create() and raw SQL send no signal, so nothing is
# kept longer than MISSION_PAGE_SECONDS either (reports planned by `plan_reports` are created in
# bulk, in the transaction that saves their mission: the version changes once it is committed).
MISSION_PAGE_SECONDS = 600
_MISSION_PAGES_VERSION = "mission-pages:version"


def mission_pages_version() -> str:
    """Part of the key of everything the mission pages keep: a new one forgets all of it."""
    return kept.version(_MISSION_PAGES_VERSION)


def read_under_mission_pages_version(key: str) -> tuple[str, object]:
    """(the mission pages' version, what `key` keeps under it or None), in one read of the
    cache: for what is kept per person (dashboard.py)."""
    return kept.read_with_version(_MISSION_PAGES_VERSION, key)


def forget_mission_pages(update_fields=None, **kwargs) -> None:
    """Receiver of the model signals; a login (which saves the user's last login) shows nowhere."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    kept.new_version(_MISSION_PAGES_VERSION)


# --- What the matching page keeps in the cache ---------------------------------------------------
# The matching page of a case shows the same to every member of staff who may act on the case the
# same way (the forms of each row, or none): what it shows below its title is kept per case,
# language, query string and "may act", rendered without the request (the form token is put in
# for each request). Its key holds the vacancy list's version (cases, their EOIs, host communes,
# themes, required languages, deployment models) and its own, which the model signals of what
# the ranking reads change (placements.apps): experts, their languages and areas of expertise,
# applications and themes. QuerySet.update(), bulk_create() and raw SQL send no signal, so
# nothing is kept longer than MATCHING_PAGE_SECONDS either.
MATCHING_PAGE_SECONDS = 300
_MATCHING_PAGE_VERSION = "matching-page:version"


def matching_page_version() -> str:
    """Part of the key of what the matching page keeps: a new one forgets all of it. Both
    versions in one read of the cache, once they are there."""
    found = cache.get_many([_MATCHING_PAGE_VERSION, _VACANCY_LIST_VERSION])
    if len(found) < 2:
        return f"{kept.version(_MATCHING_PAGE_VERSION)}:{vacancy_list_version()}"
    today = timezone.localdate().isoformat()
    return f"{found[_MATCHING_PAGE_VERSION]}:{today}:{found[_VACANCY_LIST_VERSION]}:{today}"


def forget_matching_pages(**kwargs) -> None:
    """Receiver of the model signals of what the ranking reads."""
    kept.new_version(_MATCHING_PAGE_VERSION)


# --- What the admin case page keeps in the cache -------------------------------------------------
# The admin's change form of a case (fieldsets, inlines, transition buttons, timeline, messages)
# is the same for every member of staff with the same rights: on GET it is kept per case,
# language, time zone and rights (CaseAdmin.change_view), under two versions. The case's own,
# which the model signals of what the page shows of that case renew: the case and its host
# communes, its events, notes, salary top-up, vacancy and its applications, mission, its EOI
# with the EOI's host communes and messages, and the selected expert with their languages (the
# guards read them). And one for what every case page shows: staff accounts (the case officer's
# select, the timeline's and the messages' authors), communes, partnerships, deployment models
# and their country rules, eligible countries. QuerySet.update() and raw SQL send no signal, so
# nothing is kept longer than CASE_PAGE_SECONDS either.
CASE_PAGE_SECONDS = 300
_CASE_PAGES_VERSION = "case-page:version"


def _case_page_version_name(pk) -> str:
    return f"case-page:version:{pk}"


def case_page_version(pk: int) -> str:
    """Part of the key of what the case's page keeps: a new one forgets it."""
    return f"{kept.version(_CASE_PAGES_VERSION)}:{kept.version(_case_page_version_name(pk))}"


def forget_case_pages(update_fields=None, **kwargs) -> None:
    """Receiver of the model signals of what every case page shows; a login (which saves the
    user's last login) shows nowhere."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    kept.new_version(_CASE_PAGES_VERSION)


def forget_case_page(sender, instance, **kwargs) -> None:
    """Receiver of the model signals of what the page of one case (or a few) shows."""
    if kwargs.get("reverse"):  # a commune's host cases changed from the commune's side
        kept.new_version(_CASE_PAGES_VERSION)
        return
    for pk in _cases_showing(instance):
        kept.new_version(_case_page_version_name(pk))


def _cases_showing(instance) -> list:
    """The keys of the cases whose page shows the row."""
    if isinstance(instance, Case):
        return [instance.pk]
    if isinstance(instance, ExpressionOfInterest):
        return list(Case.objects.filter(eoi_id=instance.pk).values_list("pk", flat=True))
    if isinstance(instance, Comment):
        return list(Case.objects.filter(eoi_id=instance.eoi_id).values_list("pk", flat=True))
    if isinstance(instance, Application):
        vacancies = Vacancy.objects.filter(pk=instance.vacancy_id)
        return list(vacancies.values_list("case_id", flat=True))
    if isinstance(instance, ExpertProfile):
        cases = Case.objects.filter(selected_expert_id=instance.pk)
        return list(cases.values_list("pk", flat=True))
    if isinstance(instance, ExpertLanguage):
        return list(
            Case.objects.filter(selected_expert_id=instance.expert_id).values_list("pk", flat=True)
        )
    # Events, notes, the salary top-up, the vacancy, the mission.
    return [instance.case_id]


def events_visible_to(user):
    """Published support events for everybody logged in; unpublished ones for staff only."""
    if not policies.is_active(user):
        return SupportEvent.objects.none()
    if may(user, "placements.see_all_events"):
        return SupportEvent.objects.all()
    return SupportEvent.objects.published()


def event_documents_visible_to(user):
    """The documents of the events the user sees."""
    return SupportEventDocument.objects.filter(event__in=events_visible_to(user))


def registrations_visible_to(user):
    """A person's own registrations (staff read them in the admin)."""
    if not policies.is_active(user):
        return EventRegistration.objects.none()
    return EventRegistration.objects.filter(user=user)


def upcoming_registrations_of(user) -> list[EventRegistration]:
    """The user's places and waiting-list places at events that have not ended yet (its SQL
    compiled once, portal.sqlcache: the dashboard asks on every request)."""
    if not policies.is_active(user):
        return []
    return sqlcache.rows(_upcoming_registrations, [timezone.now(), user.pk])


def _upcoming_registrations(keys):
    # keys: the time now, then the user.
    return (
        EventRegistration.objects.filter(user__in=keys[1:])
        .active()
        .filter(event__end__gte=keys[0])
        .select_related("event")
        .order_by("event__start", "event__pk")
    )


def support_received_by(expert_profile: ExpertProfile):
    """The events the expert attended or holds a place at, past and upcoming, in time order."""
    if expert_profile.user_id is None:
        return SupportEvent.objects.none()
    taken = EventRegistration.objects.filter(user_id=expert_profile.user_id).filter(
        Q(status=EventRegistration.Status.REGISTERED) | Q(attended=True)
    )
    return SupportEvent.objects.filter(pk__in=taken.values("event_id")).order_by("start", "pk")


# --- What the admin's case page reads ------------------------------------------------------------
# Staff only (the admin asks who may open the page). The same three queries on every request but
# for the case's key, compiled once per process (portal.sqlcache): the ORM built each in some
# 700 to 1,500 Python calls.


def case_of_page(pk: int) -> Case | None:
    """The case with what its page shows of it (its EOI, model, officer and selected expert);
    None for a key no case can have (the ORM would not ask the database for one out of range)."""
    if not 0 < pk < 2**63:
        return None
    found = sqlcache.rows(_case_of_page, [pk])
    return found[0] if found else None


def case_timeline(case: Case) -> list[CaseEvent]:
    """The case's events, oldest first, with who moved it."""
    return sqlcache.rows(_case_events, [case.pk])


def case_comments(case: Case) -> list[Comment]:
    """The messages of the case's EOI, oldest first, with their authors and communes."""
    return sqlcache.rows(_eoi_comments, [case.eoi_id])


def _case_of_page(keys):
    return (
        Case.objects.filter(pk__in=keys)
        .select_related("eoi", "deployment_type", "case_officer", "selected_expert")
        .order_by()
    )


def _case_events(keys):
    return CaseEvent.objects.filter(case__in=keys).select_related("actor")


def _eoi_comments(keys):
    return Comment.objects.filter(eoi__in=keys).select_related("author", "commune")
