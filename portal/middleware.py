import zoneinfo
from datetime import datetime

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .decorators import stash_post

SESSION_STARTED = "portal_started_at"
SESSION_LAST_SEEN = "portal_last_seen"
ACTIVITY_INTERVAL = settings.SESSION_ACTIVITY_INTERVAL


def _kind(user) -> str:
    return "staff" if user.is_staff else "user"


class SessionLimitsMiddleware:
    """End a session after an idle time and after an absolute time, both shorter for staff.

    Activity is written at most once a minute (SESSION_ACTIVITY_INTERVAL): the time last seen in
    the session, and allauth's record of the session (its list of "your sessions", IP and browser).
    Writing both on every request cost two write transactions per page; the idle limit is then
    exact to within that minute.
    """

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
            if not last_seen or now - datetime.fromisoformat(last_seen) >= ACTIVITY_INTERVAL:
                session[SESSION_LAST_SEEN] = now.isoformat()
                if session.session_key:
                    UserSession.objects.create_from_request(request, user=user, session=session)
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


# What a staff member without a second factor may still open: setting it up (and what that needs:
# re-authentication, confirming the email address), logging out, the language, the legal pages.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_reauthenticate",
        "mfa_authenticate",
        "account_reauthenticate",
        "account_request_reauthentication_code",
        "account_confirm_reauthentication_code",
        "account_confirm_email",
        "account_email_verification_sent",
        "account_logout",
        "account_login",
        "set_language",
        "healthz",
        "imprint",
        "privacy",
    }
)


class StaffMFAMiddleware:
    """Staff see personal data everywhere (pages, files, the admin): with a password alone they
    reach nothing but the pages that set up two-factor authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and (user.is_staff or user.is_superuser)
            and _url_name(request) not in MFA_SETUP_URL_NAMES
            and not _has_mfa(user)
        ):
            messages.warning(
                request,
                _("Programme staff must set up two-factor authentication before using the portal."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


def _has_mfa(user) -> bool:
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
