"""The mission pages: the mission for the expert, both communes and staff; its reports, written by
the expert, reviewed by staff, read and commented on by the communes once accepted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.decorators import login_required_keep_post
from portal.policies import may
from portal.ratelimit import ratelimit
from portal.responses import error_text, private_file, save_upload
from portal.versions import compare as versions_compared

from .. import reporting
from ..forms import ReportAttachmentForm, ReportCommentForm, ReportForm, ReportReviewForm
from ..models import (
    Case,
    IndicatorValue,
    MissionObjective,
    MissionReport,
    ReportAttachment,
)
from ..policies import mission_communes
from ..selectors import (
    events_visible_to,
    missions_visible_to,
    readable_reports,
    reports_visible_to,
    support_received_by,
)

MISSION_STATES = [state for state, stage in Case.STAGE_OF.items() if stage == Case.Stage.MISSION]


@login_required
@require_GET
def mission_list(request):
    missions = (
        missions_visible_to(request.user)
        .select_related("expert", "case__eoi", "case__deployment_type")
        # What the table shows, not the requests' long texts.
        .only(
            "start",
            "planned_end",
            "actual_end",
            "expert__full_name",
            "case__eoi__title",
            "case__deployment_type__code",
        )
        .order_by("-start")
    )
    return render(request, "placements/mission_list.html", {"missions": missions[:200]})


def _latest_values(readable: list[MissionReport], indicators: list) -> dict:
    """Each indicator's value in the latest report that gives one, among the reports the reader
    may read (the communes: accepted ones)."""
    if not (readable and indicators):
        return {}
    by_key = {report.pk: report for report in readable}
    values = IndicatorValue.objects.filter(
        report__in=list(by_key), indicator__in=[i.pk for i in indicators]
    )
    latest = {}
    for value in sorted(values, key=lambda v: by_key[v.report_id].number):
        value.report = by_key[value.report_id]
        latest[value.indicator_id] = value
    return latest


@login_required
@require_GET
def mission_detail(request, pk):
    mission = get_object_or_404(
        missions_visible_to(request.user).select_related(
            "expert", "case__eoi", "case__deployment_type", "case__case_officer"
        ),
        pk=pk,
    )
    # Everyone on the mission sees when reports are due; the content only those who may read it.
    reports = list(mission.reports.order_by("number"))
    readable = readable_reports(request.user, mission, reports)
    objectives = list(mission.objectives.prefetch_related("indicators"))
    latest = _latest_values(readable, [i for o in objectives for i in o.indicators.all()])
    today = timezone.localdate()
    return render(
        request,
        "placements/mission_detail.html",
        {
            "mission": mission,
            "case": mission.case,
            "communes": mission_communes(mission),
            "objectives": [
                (o, [(i, latest.get(i.pk)) for i in o.indicators.all()]) for o in objectives
            ],
            "reports": reports,
            "readable": {report.pk for report in readable},
            "due": [r for r in reports if r.status in MissionReport.OPEN_STATUSES],
            "today": today,
            # The mission's part of the case's history (the request's stays with the staff).
            "events": mission.case.events.filter(to_state__in=MISSION_STATES).order_by(
                "created_at"
            ),
            "is_expert": mission.expert.user_id == request.user.pk,
            "may_case_documents": may(request.user, "placements.read_case_documents", mission.case),
            "support": support_received_by(mission.expert),
            # What the programme offers next, as far as the reader sees it.
            "upcoming_events": list(events_visible_to(request.user).published().upcoming()[:5]),
        },
    )


def _report_for(request, pk) -> MissionReport:
    return get_object_or_404(
        reports_visible_to(request.user).select_related("mission__expert", "mission__case__eoi"),
        pk=pk,
    )


def _report_page(request, report, *, review_form=None, comment_form=None, status=200):
    may_review = may(request.user, "placements.review_report", report)
    may_comment = may(request.user, "placements.comment_report", report)
    return render(
        request,
        "placements/report_detail.html",
        {
            "report": report,
            "mission": report.mission,
            "progress": report.progress.select_related("objective"),
            "values": report.indicator_values.select_related("indicator"),
            "sdgs": report.sdgs.all(),
            "attachments": report.attachments.all(),
            "comments": report.comments.select_related("author"),
            # By number alone: the default order goes through the report and its mission.
            "versions": report.versions.order_by("number"),
            "may_write": may(request.user, "placements.write_report", report),
            "review_form": review_form
            or (ReportReviewForm() if may_review and report.status == "submitted" else None),
            "comment_form": comment_form or (ReportCommentForm() if may_comment else None),
        },
        status=status,
    )


@login_required
@require_GET
def report_detail(request, pk):
    return _report_page(request, _report_for(request, pk))


@login_required_keep_post
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    """The expert writes the report: "Save" keeps every valid field as a draft (and says what
    is wrong with the rest); "Submit" saves, then submits when nothing is missing."""
    report = _report_for(request, pk)
    if not may(request.user, "placements.write_report", report):
        raise Http404
    objectives = MissionObjective.objects.filter(mission=report.mission).prefetch_related(
        "indicators"
    )
    report = (
        MissionReport.objects.filter(pk=report.pk)
        .select_related("mission__expert", "mission__case")
        .prefetch_related("sdgs", "progress", "indicator_values")
        .get()
    )
    form = ReportForm(request.POST or None, instance=report, objectives=objectives)
    if request.method == "POST":
        refused = None
        valid = form.is_valid()
        data, progress, values = form.valid_data()
        try:
            report = reporting.save_report(
                report=report,
                user=request.user,
                data=data,
                progress=progress,
                values=values,
                seen_revision=form.cleaned_data.get("revision", -1),
            )
        except ValidationError as error:
            refused = error
        else:
            if not valid:
                messages.warning(
                    request,
                    _("The fields without errors have been saved; please correct the others."),
                )
            elif "submit" in request.POST:
                try:
                    reporting.submit_report(report=report, user=request.user)
                except ValidationError as error:
                    messages.error(request, error_text(error))
                else:
                    messages.success(request, _("Your report has been submitted. Thank you!"))
                    return redirect(report)
                return redirect("placements:report-edit", pk=report.pk)
            else:
                messages.success(request, _("Your draft has been saved."))
                return redirect("placements:report-edit", pk=report.pk)
        # Errors: the page again with what was typed (the revision is the saved one now).
        data = request.POST.copy()
        data["revision"] = report.revision
        form = ReportForm(data, instance=report, objectives=objectives)
        form.is_valid()
        if refused is not None:
            form.add_error(None, refused)
        return render(
            request,
            "placements/report_edit.html",
            {"report": report, "form": form, "attachment_form": ReportAttachmentForm()},
            status=400,
        )
    return render(
        request,
        "placements/report_edit.html",
        {
            "report": report,
            "form": form,
            "attachment_form": ReportAttachmentForm(),
            "missing": reporting.missing_for_submission(report),
        },
    )


@login_required
@require_POST
@ratelimit("report-upload", limit=60, period=3600)
def report_attachment_upload(request, pk):
    report = _report_for(request, pk)
    if not may(request.user, "placements.write_report", report):
        raise Http404
    save_upload(
        request,
        ReportAttachmentForm(request.POST, request.FILES),
        lambda data: reporting.add_report_attachment(
            report=report, user=request.user, file=data["file"], caption=data["caption"]
        ),
        success=_("The file has been added to the report."),
    )
    return redirect(reverse("placements:report-edit", args=[report.pk]) + "#attachments")


@login_required
@require_GET
def report_attachment(request, pk, attachment_pk):
    report = _report_for(request, pk)
    attachment = get_object_or_404(ReportAttachment.objects.filter(report=report), pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return private_file(
        handle, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@require_POST
def report_review(request, pk):
    report = _report_for(request, pk)
    if not may(request.user, "placements.review_report", report):
        raise Http404
    form = ReportReviewForm(request.POST)
    if form.is_valid():
        try:
            reporting.review_report(
                report=report,
                by=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your review has been sent to the expert."))
            return redirect(report)
    return _report_page(request, report, review_form=form, status=400)


@login_required_keep_post
@require_POST
def report_comment(request, pk):
    report = _report_for(request, pk)
    form = ReportCommentForm(request.POST)
    if form.is_valid():
        try:
            reporting.comment_on_report(
                report=report, author=request.user, body=form.cleaned_data["body"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Your comment has been sent."))
            return redirect(reverse("placements:report-detail", args=[report.pk]) + "#comments")
    return _report_page(request, report, comment_form=form, status=400)


@login_required
@require_GET
def report_compare(request, pk):
    """Two submitted versions side by side, the changed rows marked."""
    report = _report_for(request, pk)
    versions = list(report.versions.all())
    if not versions:
        raise Http404
    fields = MissionReport._meta.get_fields()
    labels = {f.name: f.verbose_name for f in fields if hasattr(f, "verbose_name")}
    context = versions_compared(versions, request.GET, labels)
    return render(request, "placements/report_compare.html", {"report": report, **context})
