"""The PDF documents: case summary and decision letter (staff and the communes of the request),
a mission report (whoever may read it), and the portfolio of a filtered set of missions (staff),
made on request when small and by a Celery task otherwise."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from partnerships.models import Commune
from portal.pdf import RenderTimeout
from portal.policies import may
from portal.ratelimit import ratelimit
from portal.responses import pdf_download, private_file

from .. import pdf, services
from ..forms import PortfolioForm
from ..models import Case, DocumentJob
from ..selectors import (
    case_documents_visible_to,
    cases_visible_to,
    document_jobs_of,
    missions_visible_to,
    reports_visible_to,
)


def _too_long(request):
    return render(
        request,
        "placements/document_failed.html",
        {"error": _("The document took too long to produce and was stopped.")},
        status=503,
    )


@login_required
@require_GET
@ratelimit("pdf", limit=60, period=600, methods=("GET",))
def case_summary_pdf(request, pk):
    case = get_object_or_404(case_documents_visible_to(request.user), pk=pk)
    try:
        rendered = pdf.case_summary_pdf(Case.objects.filter(pk=case.pk))
    except RenderTimeout:
        return _too_long(request)
    return pdf_download(rendered.pdf, filename=f"case-{case.pk}-summary.pdf")


@login_required
@require_GET
@ratelimit("pdf", limit=60, period=600, methods=("GET",))
def decision_letter_pdf(request, pk):
    case = get_object_or_404(case_documents_visible_to(request.user), pk=pk)
    if pdf.decision_of(case) is None:
        raise Http404
    try:
        rendered = pdf.decision_letter_pdf(case)
    except RenderTimeout:
        return _too_long(request)
    return pdf_download(rendered.pdf, filename=f"case-{case.pk}-decision.pdf")


@login_required
@require_GET
@ratelimit("pdf", limit=60, period=600, methods=("GET",))
def report_pdf(request, pk):
    report = get_object_or_404(
        reports_visible_to(request.user).filter(status__in=pdf.PDF_REPORT_STATUSES), pk=pk
    )
    try:
        rendered = pdf.report_pdf(report)
    except RenderTimeout:
        return _too_long(request)
    return pdf_download(
        rendered.pdf, filename=f"mission-{report.mission_id}-report-{report.number}.pdf"
    )


def _host_countries():
    """The countries of the communes abroad, for the portfolio's country filter."""
    codes = Commune.objects.abroad().values_list("country", flat=True).distinct()
    names = {code: str(Commune(country=code).country.name) for code in codes}
    return sorted(names.items(), key=lambda item: item[1])


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit("pdf", limit=60, period=600)
def portfolio(request):
    """The filters of a portfolio summary; a small one downloads at once, a large one is made
    in the background (the page of the job tells when it is ready)."""
    if not may(request.user, "placements.make_portfolio"):
        raise Http404
    # An empty POST (no filter chosen) is a bound form too: every mission.
    data = request.POST if request.method == "POST" else None
    form = PortfolioForm(data, countries=_host_countries())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            filters = form.filters()
            rows = pdf.portfolio_rows(
                missions_visible_to(request.user), cases_visible_to(request.user), filters
            )
            response = _portfolio_response(request, rows, filters)
            if response is not None:
                return response
        status = 400
    return render(
        request,
        "placements/portfolio.html",
        {
            "form": form,
            "jobs": document_jobs_of(request.user)[:10],
            "on_request": settings.PDF_PORTFOLIO_ON_REQUEST,
            "maximum": settings.PDF_PORTFOLIO_MAX,
        },
        status=status,
    )


def _portfolio_response(request, rows, filters):
    """The PDF, or the page of the background job; None (with a message) when the filters
    cover too many missions or cases."""
    count = rows.count()
    if count > settings.PDF_PORTFOLIO_MAX:
        too_many = (
            _("These filters cover %(count)s cases; a portfolio holds at most %(max)s.")
            if rows.model is Case
            else _("These filters cover %(count)s missions; a portfolio holds at most %(max)s.")
        )
        messages.error(request, too_many % {"count": count, "max": settings.PDF_PORTFOLIO_MAX})
        return None
    if count > settings.PDF_PORTFOLIO_ON_REQUEST:
        job = services.request_portfolio(
            user=request.user, filters=filters, language=translation.get_language()
        )
        return redirect(job)
    try:
        rendered = pdf.portfolio_pdf(rows, filters)
    except RenderTimeout:
        return _too_long(request)
    return pdf_download(rendered.pdf, filename=f"portfolio-{timezone.localdate():%Y-%m-%d}.pdf")


@login_required
@require_GET
def document_job(request, pk):
    """How far the background job is; the page reloads itself (a meta refresh, no script)
    until the document is ready."""
    if not may(request.user, "placements.make_portfolio"):
        raise Http404
    job = get_object_or_404(document_jobs_of(request.user), pk=pk)
    return render(request, "placements/document_job.html", {"job": job})


@login_required
@require_GET
def document_download(request, pk):
    if not may(request.user, "placements.make_portfolio"):
        raise Http404
    job = get_object_or_404(
        document_jobs_of(request.user).filter(
            status=DocumentJob.Status.DONE, expires_at__gt=timezone.now()
        ),
        pk=pk,
    )
    try:
        handle = job.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return private_file(
        handle,
        filename=f"portfolio-{job.created_at:%Y-%m-%d}-{job.pk}.pdf",
        content_type="application/pdf",
    )
