"""The portal's roles. Each is a group, created by a migration; staff roles use the admin."""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

APPLICANT = "applicant"
EXPERT = "expert"
SKEW = "programme staff (SKEW)"
GIZ = "programme staff (GIZ)"
COORDINATOR = "coordinator"
FINANCE = "finance"

ROLE_LABELS = {
    APPLICANT: _("Applicant (commune staff)"),
    EXPERT: _("Expert"),
    SKEW: _("Programme staff (SKEW)"),
    GIZ: _("Programme staff (GIZ)"),
    COORDINATOR: _("Coordinator"),
    FINANCE: _("Finance"),
}
ALL_ROLES = tuple(ROLE_LABELS)
STAFF_ROLES = (SKEW, GIZ, COORDINATOR, FINANCE)

# Reference data: programme staff keep the eligible countries' flags, the themes' order and the
# country table up to date; everyone on staff reads it.
CATALOGUE_MODELS = [
    "eligiblecountry",
    "theme",
    "sustainabledevelopmentgoal",
    "deploymenttype",
    "countrydeploymentrule",
]
_VIEW_CATALOGUE = {f"catalogue.view_{model}" for model in CATALOGUE_MODELS}
_EDIT_CATALOGUE = _VIEW_CATALOGUE | {
    "catalogue.add_eligiblecountry",
    "catalogue.change_eligiblecountry",
    "catalogue.change_theme",
    "catalogue.add_countrydeploymentrule",
    "catalogue.change_countrydeploymentrule",
}

# The partnerships app's models: programme staff edit them in the admin (never delete: the
# history matters), coordinators and finance look.
PARTNERSHIPS_MODELS = [
    "commune",
    "contactperson",
    "communemembership",
    "membershiprequest",
    "invitation",
    "partnership",
    "expressionofinterest",
    "requiredlanguage",
    "attachment",
    "confirmation",
    "comment",
    "eoievent",
    "submittedversion",
]
_EDIT_PARTNERSHIPS = {
    f"partnerships.{action}_{model}"
    for model in PARTNERSHIPS_MODELS
    for action in ("add", "change", "view")
}
_VIEW_PARTNERSHIPS = {f"partnerships.view_{model}" for model in PARTNERSHIPS_MODELS}
PLACEMENTS_MODELS = [
    "case",
    "caseevent",
    "casenote",
    "salarytopup",
    "mission",
    "vacancy",
]
_VIEW_PLACEMENTS = {f"placements.view_{model}" for model in PLACEMENTS_MODELS} | {
    "experts.view_expertprofile",
    "placements.view_application",
    "experts.view_documentaccess",
}
# Case officers work on cases (the state itself only through the workflow), notes, the country
# table and missions; salary data is finance's.
_WORK_ON_CASES = _VIEW_PLACEMENTS | {
    "placements.change_case",
    "placements.add_casenote",
    "placements.change_mission",
    "placements.change_vacancy",
    "experts.add_expertprofile",
    "experts.change_expertprofile",
}
_SALARIES = {"placements.add_salarytopup", "placements.change_salarytopup"}

# What each staff role may do in the admin, as "app_label.codename". Kept in step with the
# groups after every migrate (portal.apps), so a new model only needs a line here.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    SKEW: {"portal.view_user", "portal.change_user", "portal.view_outgoingemail"}
    | _EDIT_CATALOGUE
    | _EDIT_PARTNERSHIPS
    | _WORK_ON_CASES,
    GIZ: {"portal.view_user", "portal.change_user", "portal.view_outgoingemail"}
    | _EDIT_CATALOGUE
    | _EDIT_PARTNERSHIPS
    | _WORK_ON_CASES,
    COORDINATOR: {"portal.view_user", "portal.view_outgoingemail"}
    | _VIEW_CATALOGUE
    | _VIEW_PARTNERSHIPS
    | _VIEW_PLACEMENTS,
    FINANCE: {"portal.view_user"}
    | _VIEW_CATALOGUE
    | _VIEW_PARTNERSHIPS
    | _VIEW_PLACEMENTS
    | _SALARIES,
}


def acts_for_programme(user, permission: str) -> bool:
    """Programme staff whose role grants this admin permission ("app_label.codename"): the
    portal's pages ask what the admin asks for the same action, so that read-only roles
    (coordinators, finance) read there and act nowhere."""
    return bool(
        user.is_authenticated and user.is_active and user.is_staff and user.has_perm(permission)
    )


def sync_role_permissions() -> None:
    """Make sure every role's group exists and give each exactly the permissions listed above."""
    # Runs after every app's migrations (post_migrate is sent once per app), so it asks for all
    # permissions in one query rather than one query per permission.
    by_name = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    # All roles, not only staff ones: after `manage.py flush` (and between transactional tests)
    # the groups of the data migration are gone and only this brings them back.
    for role in ALL_ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        wanted = ROLE_PERMISSIONS.get(role, set())
        group.permissions.set([by_name[name] for name in wanted if name in by_name])
