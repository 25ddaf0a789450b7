"""The portal's admin site: Django's, with its navigation worked out once per set of rights.

Every admin page lists the models the user may open in the navigation sidebar: Django asks each
of the ~30 model admins for the user's permissions, reverses their URLs and renders the list,
on every page (a fifth of the admin's case list and case page). What it shows depends only on
the user's permissions (and superuser status), the language and which entry is the current
page, so the list and the rendered sidebar are kept per process for each such combination:
the same for everybody with the same rights, never anything of one person's own.
"""

from collections import OrderedDict
from threading import Lock
from urllib.parse import quote

from django.contrib import admin
from django.contrib.admin import apps as admin_apps
from django.template.loader import render_to_string
from django.utils.translation import get_language

# Combinations of rights, language and current entry are few (roles times languages times the
# pages visited); the bound keeps the memory small (a sidebar is about 13 KB).
_MAX_ENTRIES = 500


class _Kept:
    """A small process-wide memo with a bound on its size."""

    def __init__(self):
        self._values = OrderedDict()
        self._lock = Lock()

    def get_or_make(self, key, make):
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        with self._lock:
            self._values[key] = value
            while len(self._values) > _MAX_ENTRIES:
                self._values.popitem(last=False)
        return value


def rights_of(user) -> tuple:
    """What the admin's navigation depends on, of a user: their rights, not who they are."""
    if not user.is_active or user.is_superuser:
        # No rights, or every right (read without asking the database for them all).
        return (user.is_active, user.is_staff, user.is_superuser)
    return (user.is_active, user.is_staff, False, frozenset(user.get_all_permissions()))


class PortalAdminSite(admin.AdminSite):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists = _Kept()
        self._sidebars = _Kept()

    def get_app_list(self, request, app_label=None):
        key = (rights_of(request.user), get_language(), app_label)
        return self._app_lists.get_or_make(
            key, lambda: super(PortalAdminSite, self).get_app_list(request, app_label)
        )

    def nav_sidebar(self, context) -> str:
        """Django's admin/nav_sidebar.html for this page."""
        request = context["request"]
        apps = context.get("available_apps") or []
        # The entries the template marks as the current ones: those whose URL is in the path.
        path = quote(request.path, safe="/")
        current = tuple(
            url
            for app in apps
            for url in [app["app_url"], *(model["admin_url"] for model in app["models"])]
            if url and url in path
        )
        key = (rights_of(request.user), get_language(), current)
        return self._sidebars.get_or_make(
            key,
            lambda: render_to_string(
                "admin/nav_sidebar.html", {"available_apps": apps, "request": request}
            ),
        )


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (INSTALLED_APPS names this instead)."""

    default = False
    default_site = "portal.admin_site.PortalAdminSite"
