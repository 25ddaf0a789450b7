import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_countries import countries

from catalogue.vocabularies import alphabetical, language_name
from experts.models import ExpertProfile
from partnerships.models import Commune
from portal.decorators import login_required_keep_post
from portal.policies import may
from portal.ratelimit import ratelimit
from portal.responses import confirmation_page, confirmed

from .. import services, workflow
from ..filters import VacancyFilter
from ..forms import ApplicationForm, RequestInformationForm
from ..models import Application, Case
from ..policies import host_communes_of
from ..selectors import (
    VACANCY_LIST_SECONDS,
    applications_visible_to,
    cases_visible_to,
    vacancies_hidden_from,
    vacancies_visible_to,
    vacancy_filter_codes,
    vacancy_list_version,
)
from ..stats import STAFF_DASHBOARD_SECONDS, dashboard_figures

# A page of the vacancy list: the page costs the same whatever the number of vacancies.
VACANCIES_PER_PAGE = 20
# What a vacancy's card shows (with its host communes).
VACANCY_CARD_FIELDS = [
    "title",
    "closing_date",
    "case__duration_months",
    "case__eoi__id",
    "case__deployment_type__code",
]
KNOWN_PARAMETERS = {*VacancyFilter.base_filters, "page"}


@login_required
@require_GET
def staff_dashboard(request):
    """Cases per state, stage, model and country; time spent per state; longest waiting."""
    if not may(request.user, "placements.see_staff_dashboard"):
        raise Http404
    # The figures are the same for every member of staff who reads the same language in the same
    # time zone: rendered without the request (nothing personal, no form) and kept in the cache
    # under the vacancy list's version, which every change of a case, its expression of interest,
    # its communes or deployment model renews (selectors, "What the vacancy list keeps").
    key = ":".join(
        [
            "staff-dashboard",
            vacancy_list_version(),
            get_language() or "",
            timezone.get_current_timezone_name(),
        ]
    )
    figures = cache.get(key)
    if figures is None:
        figures = render_to_string("placements/includes_staff_dashboard.html", dashboard_figures())
        cache.set(key, figures, STAFF_DASHBOARD_SECONDS)
    # Our own HTML, rendered with autoescaping (the cache holds it as a plain string).
    return render(request, "placements/staff_dashboard.html", {"figures": mark_safe(figures)})


@require_GET
def vacancy_list(request):
    """Published vacancies for experts (and the public ones for everybody), filterable, a page
    of VACANCIES_PER_PAGE at a time."""
    needs_profile = _needs_profile(request.user)
    # Filter, alerts, list and pages are the same for everybody who sees the same vacancies and
    # would be told the same: kept in the cache, never with anything personal (no form token:
    # the filter is a GET form; the page around it is rendered for each request).
    shared = "|".join(
        [
            get_language() or "",
            str(may(request.user, "placements.see_all_vacancies")),
            str(needs_profile),
            request.path,
            request.GET.urlencode(),
        ]
    )
    digest = hashlib.sha256(shared.encode()).hexdigest()
    key = f"vacancy-list:page:{vacancy_list_version()}:{digest}"
    results = cache.get(key)
    if results is None:
        results, usual = _vacancy_results(request, needs_profile=needs_profile)
        if usual:
            cache.set(key, str(results), VACANCY_LIST_SECONDS)
    # Our own HTML, rendered with autoescaping (the cache holds it as a plain string).
    return render(request, "placements/vacancy_list.html", {"results": mark_safe(results)})


def _vacancy_results(request, *, needs_profile: bool) -> tuple[str, bool]:
    """The filter, the alerts, a page of vacancies and the links to the others; and whether the
    request was a usual one (a valid filter and an existing page), worth keeping."""
    base = vacancies_visible_to(request.user)
    country_codes, language_codes = vacancy_filter_codes(request.user)
    vacancy_filter = VacancyFilter(
        request.GET or None,
        queryset=base,
        countries=sorted(
            ((code, countries.name(code)) for code in country_codes), key=lambda x: str(x[1])
        ),
        languages=sorted(
            ((code, language_name(code)) for code in language_codes),
            key=lambda item: alphabetical(item[1]),
        ),
    )
    filtered = any(request.GET.get(name) for name in vacancy_filter.filters)
    # A theme, a country or a language joins rows that repeat a vacancy: the page reads the
    # vacancies by key instead of a DISTINCT over whole rows.
    vacancies = (
        base.filter(pk__in=vacancy_filter.qs.values("pk")) if filtered else vacancy_filter.qs
    )
    vacancies = (
        vacancies.select_related("case__deployment_type", "case__eoi")
        .only(*VACANCY_CARD_FIELDS)
        .prefetch_related(
            Prefetch(
                "case__eoi__host_communes",
                queryset=Commune.objects.order_by("name").only("name", "country"),
            )
        )
    )
    page = Paginator(vacancies, VACANCIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    asked_page = query.pop("page", [str(page.number)])[-1]
    html = render_to_string(
        "placements/includes_vacancy_list.html",
        {
            "filter": vacancy_filter,
            "vacancies": page,
            "page": page,
            "query": query.urlencode(),
            "filtered": filtered,
            "path": request.path,
            # Visitors learn that logging in shows more; accounts without an expert profile
            # that applying needs one.
            "hidden": vacancies_hidden_from(request.user).count(),
            "needs_profile": needs_profile,
        },
    )
    # Only pages people reach by the filter and the page links are kept: any other query string
    # is answered but not stored.
    usual = (
        all(name in KNOWN_PARAMETERS and len(values) == 1 for name, values in request.GET.lists())
        and (vacancy_filter.form.is_valid() or not vacancy_filter.is_bound)
        and asked_page == str(page.number)
    )
    return html, usual


def _needs_profile(user) -> bool:
    """A logged-in person who could apply once they have an expert profile (staff do not)."""
    return (
        user.is_authenticated
        and not user.is_staff
        and not ExpertProfile.objects.filter(user=user).exists()
    )


@require_GET
def vacancy_detail(request, pk):
    vacancy = get_object_or_404(
        vacancies_visible_to(request.user).select_related("case__deployment_type", "case__eoi"),
        pk=pk,
    )
    application = None
    needs_profile = _needs_profile(request.user)
    if request.user.is_authenticated and hasattr(request.user, "expert_profile"):
        application = Application.objects.filter(
            vacancy=vacancy, expert=request.user.expert_profile
        ).first()
    return render(
        request,
        "placements/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "hosts": vacancy.case.eoi.host_communes.all(),
            "application": application,
            "needs_profile": needs_profile,
            "form": ApplicationForm()
            if application is None or application.status == Application.Status.WITHDRAWN
            else None,
        },
    )


@login_required_keep_post
@require_http_methods(["POST"])
@ratelimit("application", limit=20, period=3600)
def vacancy_apply(request, pk):
    vacancy = get_object_or_404(vacancies_visible_to(request.user), pk=pk)
    expert = ExpertProfile.objects.filter(user=request.user).first()
    if expert is None:
        messages.info(request, _("Please create your expert profile first."))
        return redirect("experts:profile")
    form = ApplicationForm(request.POST)
    if form.is_valid():
        try:
            services.apply(
                vacancy=vacancy, expert=expert, motivation=form.cleaned_data["motivation"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your application has been sent."))
            return redirect("placements:my-applications")
    return render(
        request,
        "placements/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "hosts": vacancy.case.eoi.host_communes.all(),
            "application": None,
            "form": form,
        },
        status=400,
    )


@login_required
@require_GET
def my_applications(request):
    applications = (
        Application.objects.filter(expert__user=request.user)
        .select_related("vacancy")
        .order_by("-created_at")
    )
    return render(request, "placements/my_applications.html", {"applications": applications})


@login_required
@require_GET
def application_detail(request, pk):
    """An application with the profile as it was sent: the expert's own, or any for staff (whom
    the two-factor middleware has checked)."""
    application = get_object_or_404(
        applications_visible_to(request.user).select_related("vacancy", "expert"), pk=pk
    )
    return render(request, "placements/application_detail.html", {"application": application})


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request, pk):
    """The expert withdraws an application, after a page that says what that means."""
    application = get_object_or_404(
        applications_visible_to(request.user).select_related("vacancy"),
        pk=pk,
        expert__user=request.user,
    )
    if not confirmed(request):
        return confirmation_page(
            request,
            title=_("Withdraw your application to “%(vacancy)s”?")
            % {"vacancy": application.vacancy.title},
            consequences=[
                _("The programme no longer considers your application."),
                _("If you are on the shortlist, you lose your place on it."),
            ],
            confirm_label=_("Withdraw my application"),
            cancel_url=reverse("placements:my-applications"),
        )
    try:
        services.withdraw_application(application=application, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return redirect("placements:my-applications")


def _shortlist_case(request, pk) -> Case:
    case = get_object_or_404(Case.objects.select_related("eoi"), pk=pk)
    if not host_communes_of(request.user, case):
        raise Http404
    return case


@login_required
@require_GET
def shortlist(request, pk):
    """The candidates the programme sent to the host commune, with what staff chose to share."""
    case = _shortlist_case(request, pk)
    applications = (
        Application.objects.filter(vacancy__case=case, shared_with_commune=True)
        .select_related("expert")
        .prefetch_related("expert__documents")
        .order_by("expert__full_name")
    )
    return render(
        request,
        "placements/shortlist.html",
        {
            "case": case,
            "applications": applications,
            "can_choose": case.state == Case.State.SHORTLIST_SENT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def shortlist_choose(request, pk, application_pk):
    """The host commune chooses one candidate: a page says what follows and asks first; only the
    POST from that page chooses, since the choice cannot be undone."""
    case = _shortlist_case(request, pk)
    application = get_object_or_404(
        Application.objects.filter(vacancy__case=case, shared_with_commune=True).select_related(
            "expert"
        ),
        pk=application_pk,
    )
    shortlist_url = reverse("placements:shortlist", args=[case.pk])
    name = application.expert.full_name
    if not confirmed(request):
        if (
            case.state != Case.State.SHORTLIST_SENT
            or application.status != Application.Status.SHORTLISTED
        ):
            messages.error(request, _("This candidate can no longer be chosen."))
            return redirect(shortlist_url)
        return confirmation_page(
            request,
            title=_("Choose %(name)s?") % {"name": name},
            consequences=[
                _(
                    "%(name)s becomes the expert your commune works with; the programme team "
                    "prepares the contract."
                )
                % {"name": name},
                _("The other candidates on the shortlist can no longer be chosen."),
            ],
            confirm_label=_("Yes, choose %(name)s") % {"name": name},
            cancel_url=shortlist_url,
        )
    try:
        services.choose_candidate(case=case, application=application, user=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Thank you: %(name)s is your chosen candidate. The programme "
                "team will prepare the contract."
            )
            % {"name": name},
        )
    return redirect(shortlist_url)


@login_required
@require_POST
def request_information(request, pk):
    """Programme staff send the case's expression of interest back to the communes: always
    through the case workflow, which decides who may and when."""
    case = get_object_or_404(cases_visible_to(request.user).select_related("eoi"), pk=pk)
    if not may(request.user, "placements.trigger", workflow.TRANSITIONS["request_information"]):
        raise Http404
    form = RequestInformationForm(request.POST)
    if form.is_valid():
        try:
            workflow.transition(
                case=case,
                name="request_information",
                by=request.user,
                reason=form.cleaned_data["message"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The communes have been asked for more information."))
    else:
        messages.error(request, _("Please say what information is missing."))
    return redirect(case.eoi)
