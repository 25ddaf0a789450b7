import secrets
import zoneinfo
from datetime import datetime

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.cache import cache
from django.forms import BaseForm, BaseFormSet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .auth_backends import has_totp
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


def speak_users_language(request, user) -> None:
    """The rest of the request speaks the user's language, unless they picked one for this
    browser (the language cookie)."""
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


class UserPreferencesMiddleware:
    """Show times in the user's zone, and pages in the user's language unless they picked one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            speak_users_language(request, user)
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
            and not has_totp(user)
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


class NoStoreForPersonalDataMiddleware:
    """Pages seen by a logged-in user carry personal data: no browser or proxy may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith("/accounts/"):
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response


# --- Refused forms: Post/Redirect/Get, so that Back, Forward and Reload work ----------------------

REFUSED_PARAM = "refused"
REFUSED_SESSION_KEY = "portal_refused_pages"
REFUSED_PAGE_SECONDS = 60 * 60
REFUSED_PAGES_KEPT = 5


class RefusedFormMiddleware:
    """A form the portal refused comes back at an address the browser can go back to.

    Every page carries personal data and is never stored by the browser
    (NoStoreForPersonalDataMiddleware), so the page a refused POST rendered cannot be shown again
    without sending the form again: Back or Reload onto it showed the browser's "resubmit" screen
    (ERR_CACHE_MISS). Here, when a browser's navigation POSTs a form and the answer is that form
    again with its errors (status 400 as the portal's views answer, or a template response whose
    form has errors, as allauth's and the admin's), the page is kept for an hour and the browser
    is sent (303) to the same address with ``?refused=<token>``; that GET shows the kept page,
    with everything typed and every error, as often as the browser asks within this session.
    One place for every form, the portal's, allauth's and the admin's; no view changes.

    Only a top-level navigation (``Sec-Fetch-Mode: navigate``) has a history to protect: other
    clients (scripts, the test client) keep the plain 400 with the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.GET.get(REFUSED_PARAM) if request.method == "GET" else None
        if token:
            kept = _kept_page(request, token)
            if kept is not None:
                return kept
        response = self.get_response(request)
        if request.method == "POST" and _is_navigation(request) and _is_refusal(response):
            return _keep_page(request, response)
        return response


def _is_navigation(request) -> bool:
    return (
        request.headers.get("Sec-Fetch-Mode") == "navigate"
        and request.headers.get("Sec-Fetch-Dest", "document") == "document"
    )


def _is_refusal(response) -> bool:
    if getattr(response, "streaming", False):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if response.status_code == 400:
        return True
    if response.status_code != 200:
        return False
    context = getattr(response, "context_data", None) or {}
    return any(_has_errors(value) for value in context.values())


def _has_errors(value) -> bool:
    # The admin wraps its form (AdminForm.form).
    form = getattr(value, "form", value)
    if isinstance(form, BaseForm | BaseFormSet):
        return form.is_bound and not form.is_valid()
    return False


def _keep_page(request, response) -> HttpResponseRedirect:
    token = secrets.token_urlsafe(16)
    cache.set(
        f"refused-page:{token}",
        {
            "user": request.user.pk,
            "status": response.status_code,
            "content_type": response["Content-Type"],
            "content": response.content,
        },
        REFUSED_PAGE_SECONDS,
    )
    tokens = [*request.session.get(REFUSED_SESSION_KEY, []), token][-REFUSED_PAGES_KEPT:]
    request.session[REFUSED_SESSION_KEY] = tokens
    query = request.GET.copy()
    query[REFUSED_PARAM] = token
    redirect_to = HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
    redirect_to.status_code = 303  # See Other: the browser asks with GET, and Back skips the POST
    redirect_to.cookies = response.cookies
    return redirect_to


def _kept_page(request, token) -> HttpResponse | None:
    """The page a refused POST of this session rendered, or None (then the view answers)."""
    if token not in request.session.get(REFUSED_SESSION_KEY, []):
        return None
    kept = cache.get(f"refused-page:{token}")
    if kept is None or kept["user"] != request.user.pk:
        return None
    return HttpResponse(kept["content"], status=kept["status"], content_type=kept["content_type"])
