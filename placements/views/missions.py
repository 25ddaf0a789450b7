"""The mission pages: the mission for the expert, both communes and staff; its reports, written by
the expert, reviewed by staff, read and commented on by the communes once accepted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalogue.models import DeploymentType
from portal.choices import label_of
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
    Mission,
    MissionObjective,
    MissionReport,
    ReportAttachment,
    SupportEvent,
)
from ..policies import mission_communes
from ..selectors import (
    MISSION_PAGE_SECONDS,
    MissionReader,
    mission_pages_version,
    mission_reader,
    missions_visible_to,
    readable_reports,
    reports_visible_to,
    support_received_by,
)

MISSION_STATES = [state for state, stage in Case.STAGE_OF.items() if stage == Case.Stage.MISSION]


@login_required
@require_GET
def mission_list(request):
    # What the table shows, read as values: not the requests' long texts, nor model instances.
    rows = (
        missions_visible_to(request.user)
        .order_by("-start")
        .values_list(
            "pk",
            "case__eoi__title",
            "expert__full_name",
            "case__deployment_type__code",
            "start",
            "planned_end",
            "actual_end",
        )[:200]
    )
    missions = [
        {
            "url": reverse("placements:mission-detail", args=[pk]),
            "title": title,
            "expert": expert,
            # DeploymentType's name, without its row.
            "deployment_type": label_of(DeploymentType.Code, code) if code else "",
            "start": start,
            "end": actual_end or planned_end,  # Mission.end
        }
        for pk, title, expert, code, start, planned_end, actual_end in rows
    ]
    return render(request, "placements/mission_list.html", {"missions": missions})


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
    # Who may see the mission is asked on every request; what the page shows of it comes from the
    # cache (selectors, "What the mission pages keep in the cache").
    mission = get_object_or_404(
        missions_visible_to(request.user)
        .select_related("expert", "case__eoi")
        .only("case__eoi__initiating_commune", "expert__user"),
        pk=pk,
    )
    reader = mission_reader(request.user, mission)
    case_documents = may(request.user, "placements.read_case_documents", mission.case)
    key = ":".join(
        [
            "mission-page",
            mission_pages_version(),
            str(mission.pk),
            get_language() or "",
            # Dates and times are shown in the reader's time zone.
            timezone.get_current_timezone_name(),
            str(reader.is_expert),
            str(reader.reads_every_report),
            str(case_documents),
        ]
    )
    page = cache.get(key)
    if page is None:
        page, seconds = _mission_page(mission.pk, reader, case_documents=case_documents)
        cache.set(key, page, seconds)
    # Our own HTML, rendered with autoescaping (the cache holds it as a plain string).
    return render(
        request,
        "placements/mission_detail.html",
        {"title": page["title"], "content": mark_safe(page["content"])},
    )


def _mission_page(pk, reader: MissionReader, *, case_documents: bool) -> tuple[dict, int]:
    """The title and content of the mission's page as the reader sees it (rendered without the
    request: nothing of the reader but what `reader` says), and how long it may be kept."""
    mission = Mission.objects.select_related(
        "expert", "case__eoi", "case__deployment_type", "case__case_officer"
    ).get(pk=pk)
    # Everyone on the mission sees when reports are due; the content only those who may read it.
    reports = list(mission.reports.order_by("number"))
    readable = readable_reports(reader, reports)
    objectives = list(mission.objectives.prefetch_related("indicators"))
    latest = _latest_values(readable, [i for o in objectives for i in o.indicators.all()])
    # What the programme offers next (published events, whoever reads).
    upcoming = list(SupportEvent.objects.published().upcoming()[:5])
    content = render_to_string(
        "placements/includes_mission_detail.html",
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
            "today": timezone.localdate(),
            # The mission's part of the case's history (the request's stays with the staff).
            "events": mission.case.events.filter(to_state__in=MISSION_STATES).order_by(
                "created_at"
            ),
            "is_expert": reader.is_expert,
            "may_case_documents": case_documents,
            "support": support_received_by(mission.expert),
            "upcoming_events": upcoming,
        },
    )
    seconds = MISSION_PAGE_SECONDS
    if upcoming:
        # An event leaves the list once it has ended.
        ends = min(event.end for event in upcoming) - timezone.now()
        seconds = max(1, min(seconds, int(ends.total_seconds()) + 1))
    return {"title": mission.case.eoi.title, "content": content}, seconds


def _report_for(request, pk) -> MissionReport:
    return get_object_or_404(
        reports_visible_to(request.user).select_related("mission__expert", "mission__case__eoi"),
        pk=pk,
    )


def _report_page(request, report, *, review_form=None, comment_form=None, status=200):
    may_review = may(request.user, "placements.review_report", report)
    may_comment = may(request.user, "placements.comment_report", report)
    may_write = may(request.user, "placements.write_report", report)
    # What the page shows of the report comes from the cache (selectors, "What the mission pages
    # keep in the cache"); the forms are rendered for each request.
    key = ":".join(
        [
            "report-page",
            mission_pages_version(),
            str(report.pk),
            get_language() or "",
            timezone.get_current_timezone_name(),
            str(may_write),
        ]
    )
    parts = cache.get(key)
    if parts is None:
        parts = _report_parts(report.pk, may_write=may_write)
        cache.set(key, parts, MISSION_PAGE_SECONDS)
    return render(
        request,
        "placements/report_detail.html",
        {
            "report": report,
            # Our own HTML, rendered with autoescaping (the cache holds it as plain strings).
            "parts": {name: mark_safe(html) for name, html in parts.items()},
            "review_form": review_form
            or (ReportReviewForm() if may_review and report.status == "submitted" else None),
            "comment_form": comment_form or (ReportCommentForm() if may_comment else None),
        },
        status=status,
    )


def _report_parts(pk, *, may_write: bool) -> dict[str, str]:
    """The report's page but its forms, in parts, the same for everyone who reads the report
    (rendered without the request; `may_write` is all it shows of the reader)."""
    report = MissionReport.objects.select_related("mission__expert", "mission__case__eoi").get(
        pk=pk
    )
    context = {
        "report": report,
        "mission": report.mission,
        "progress": report.progress.select_related("objective"),
        "values": report.indicator_values.select_related("indicator"),
        "sdgs": report.sdgs.all(),
        "attachments": report.attachments.all(),
        "comments": report.comments.select_related("author"),
        # By number alone: the default order goes through the report and its mission.
        "versions": list(report.versions.order_by("number")),
        "may_write": may_write,
    }
    parts = {"title": str(report)}
    for name in ("head", "body", "comments", "versions"):
        parts[name] = render_to_string(f"placements/includes_report_{name}.html", context)
    return parts


@login_required
@require_GET
def report_detail(request, pk):
    # What the rules ask of the report, no more: the page shows it from the cache.
    report = get_object_or_404(
        reports_visible_to(request.user)
        .select_related("mission__expert")
        .only("status", "mission__case", "mission__expert__user"),
        pk=pk,
    )
    return _report_page(request, report)


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
