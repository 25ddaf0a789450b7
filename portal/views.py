from allauth.account.views import LoginView as AllauthLoginView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from . import registries, roles, services, todo
from .auth_backends import security_facts
from .celery import app
from .forms import AccountSettingsForm, EraseAccountForm
from .models import OutgoingEmail
from .responses import json_download


def home(request):
    return render(request, "portal/home.html")


def imprint(request):
    return render(request, "portal/imprint.html")


def privacy(request):
    return render(request, "portal/privacy.html")


@login_required
def dashboard(request):
    user = request.user
    # Kept with the cached user (auth_backends.security_facts).
    context = {
        **security_facts(user),
        "role_labels": [
            roles.ROLE_LABELS[name] for name in roles.ALL_ROLES if name in user.role_names()
        ],
    }
    # What needs the person's action now opens the page; each app adds its items and its cards
    # (registered in its AppConfig.ready).
    context["todos"] = todo.todos_for(user)
    context["panels"] = registries.dashboard_panels.panels(request)
    if user.is_staff:
        counts = dict(
            Group.objects.filter(name__in=roles.ALL_ROLES)
            .annotate(n=Count("user"))
            .values_list("name", "n")
        )
        context["users_per_role"] = [
            (roles.ROLE_LABELS[name], counts.get(name, 0)) for name in roles.ALL_ROLES
        ]
        context["emails"] = dict(
            OutgoingEmail.objects.values_list("status").annotate(n=Count("id"))
        )
    return render(request, "portal/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings have been saved."))
        response = redirect("account-settings")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.instance.language,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
        return response
    return render(
        request,
        "portal/account_settings.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def export_my_data(request):
    data = services.export_personal_data(user=request.user)
    return json_download(data, filename="my-data.json")


@login_required
@require_http_methods(["GET", "POST"])
def erase_account(request):
    form = EraseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        # What the apps keep about the person goes too (e.g. an expert's profile and files).
        services.erase_user(user=request.user)
        logout(request)
        messages.success(request, _("Your account and your personal data have been erased."))
        return redirect("home")
    return render(
        request,
        "portal/erase_account.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on the user's account."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


class LoginView(AllauthLoginView):
    """allauth's login, answering 429 Too Many Requests once failed logins hit the limit."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        codes = {e.code for errors in form.errors.as_data().values() for e in errors}
        if "too_many_login_attempts" in codes:
            response.status_code = 429
        return response


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _check_database(), "cache": _check_cache(), "broker": _check_broker()}
    healthy = all(state in ("ok", "eager") for state in checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "checks": checks,
            "time": timezone.now().isoformat(),
        },
        status=200 if healthy else 503,
    )


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "error"
    return "ok"


def _check_cache() -> str:
    try:
        cache.set("healthz", "1", 10)
        return "ok" if cache.get("healthz") == "1" else "error"
    except Exception:
        return "error"


def _check_broker() -> str:
    if app.conf.task_always_eager:
        return "eager"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return "error"
    return "ok"


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
