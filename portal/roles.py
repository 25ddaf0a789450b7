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

# What each staff role may do in the admin, as "app_label.codename". Each app grants its own
# models' permissions from its policies module (AppConfig.ready calls grant()); the groups are
# kept in step with this table after every migrate (portal.apps).
ROLE_PERMISSIONS: dict[str, set[str]] = {role: set() for role in STAFF_ROLES}


def grant(permissions: dict[str, set[str]]) -> None:
    """Add an app's permissions per role to the table."""
    for role, names in permissions.items():
        ROLE_PERMISSIONS[role] |= set(names)


def model_permissions(app_label: str, models: list[str], actions: tuple[str, ...]) -> set[str]:
    return {f"{app_label}.{action}_{model}" for model in models for action in actions}


# The portal's own: staff who support commune staff and experts look accounts up and resend
# invitations (the user form lets them change nothing else); coordinators and finance look.
grant(
    {
        SKEW: {"portal.view_user", "portal.change_user", "portal.view_outgoingemail"},
        GIZ: {"portal.view_user", "portal.change_user", "portal.view_outgoingemail"},
        COORDINATOR: {"portal.view_user", "portal.view_outgoingemail"},
        FINANCE: {"portal.view_user"},
    }
)


def acts_for_programme(user, permission: str) -> bool:
    """Programme staff whose role grants this admin permission ("app_label.codename"): the
    portal's pages ask what the admin asks for the same action, so that read-only roles
    (coordinators, finance) read there and act nowhere. Read from the role table (the groups
    hold the same), so that a page asks no query beyond the user's roles."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return any(permission in ROLE_PERMISSIONS.get(role, ()) for role in user.role_names())


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
