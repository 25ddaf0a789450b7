import zoneinfo
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .decorators import stash_post

SESSION_STARTED = "portal_started_at"
SESSION_LAST_SEEN = "portal_last_seen"


def _kind(user) -> str:
    return "staff" if user.is_staff else "user"


class SessionLimitsMiddleware:
    """End a session after an idle time and after an absolute time, both shorter for staff."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = timezone.now()
            session = request.session
            started = session.get(SESSION_STARTED)
            last_seen = session.get(SESSION_LAST_SEEN)
            kind = _kind(user)
            expired = (
                started
                and now - datetime.fromisoformat(started) > settings.SESSION_ABSOLUTE_LIMITS[kind]
            ) or (
                last_seen
                and now - datetime.fromisoformat(last_seen) > settings.SESSION_IDLE_LIMITS[kind]
            )
            if expired:
                logout(request)
                if request.method == "POST":
                    # What was typed comes back after the next login (decorators.py).
                    stash_post(request)
                messages.info(request, _("Your session has expired. Please log in again."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if not started:
                session[SESSION_STARTED] = now.isoformat()
            session[SESSION_LAST_SEEN] = now.isoformat()
        return self.get_response(request)


class UserPreferencesMiddleware:
    """Show times in the user's zone, and pages in the user's language unless they picked one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        else:
            timezone.activate(zoneinfo.ZoneInfo(settings.DEFAULT_USER_TIME_ZONE))
        try:
            return self.get_response(request)
        finally:
            # Nothing of one request's zone or language may leak into the next work the thread
            # does (tests, or a worker thread serving another user).
            timezone.deactivate()
            translation.deactivate()


class StaffMFAMiddleware:
    """Staff must set up two-factor authentication before they can use the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(("/admin/", "/staff/"))
            and user.is_authenticated
            and user.is_staff
            and not _has_mfa(user)
        ):
            messages.warning(
                request,
                _("Programme staff must set up two-factor authentication before using the admin."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class NoStoreForPersonalDataMiddleware:
    """Pages seen by a logged-in user carry personal data: no browser or proxy may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith("/accounts/"):
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response
