"""README's admin table, read off the admin itself: for every model the admin shows and every
staff role, what the role may do there (view, add, change, delete, import, export: the admin's
import and export pages) and which actions it is offered. `manage.py role_table` prints it; a
test checks that README holds exactly this."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import RequestFactory

from portal import roles
from portal.models import User

COLUMNS = [roles.SKEW, roles.GIZ, roles.COORDINATOR, roles.FINANCE, "superuser"]
BEGIN = "<!-- admin role table: manage.py role_table -->"
END = "<!-- end of admin role table -->"


class _Rollback(Exception):
    pass


def _users() -> dict[str, User]:
    users = {}
    for column in COLUMNS:
        superuser = column == "superuser"
        user = User.objects.create_user(
            email=f"role-table-{len(users)}@invalid",
            is_staff=True,
            is_superuser=superuser,
        )
        if not superuser:
            user.groups.add(Group.objects.get(name=column))
        users[column] = user
    return users


def _may(model_admin, name, request) -> bool:
    """Whether the admin's import or export page lets the user in (False where it has none)."""
    check = getattr(model_admin, name, None)
    return bool(check and check(request))


def _cell(model_admin, user) -> str:
    request = RequestFactory().get("/admin/")
    request.user = user
    rights = [
        word
        for word, granted in (
            ("view", model_admin.has_view_permission(request)),
            ("add", model_admin.has_add_permission(request)),
            ("change", model_admin.has_change_permission(request)),
            ("delete", model_admin.has_delete_permission(request)),
            ("import", _may(model_admin, "has_import_permission", request)),
            ("export", _may(model_admin, "has_export_permission", request)),
        )
        if granted
    ]
    if not rights:
        return "–"
    actions = sorted(name for name in model_admin.get_actions(request) if name != "delete_selected")
    return ", ".join(rights) + (f"; {', '.join(actions)}" if actions else "")


def rows() -> list[tuple[str, list[str]]]:
    """(model, one cell per column), in the admin's order; nothing it creates is kept."""
    result = []
    try:
        with transaction.atomic():
            users = _users()
            registry = sorted(
                admin.site._registry.items(),
                key=lambda item: (item[0]._meta.app_label, item[0]._meta.model_name),
            )
            for model, model_admin in registry:
                label = f"{model._meta.app_label}.{model._meta.model_name}"
                result.append((label, [_cell(model_admin, users[c]) for c in COLUMNS]))
            raise _Rollback
    except _Rollback:
        pass
    return result


def markdown() -> str:
    header = "| model | " + " | ".join(COLUMNS) + " |"
    lines = [BEGIN, header, "| " + " | ".join(["---"] * (len(COLUMNS) + 1)) + " |"]
    lines += [f"| `{label}` | " + " | ".join(cells) + " |" for label, cells in rows()]
    lines.append(END)
    return "\n".join(lines)
