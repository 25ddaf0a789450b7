"""Mission reports: planned from the mission's dates, written by the expert, reviewed by
programme staff, read and commented on by both communes once accepted."""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import User
from portal.policies import may
from portal.services import send_notification
from portal.text import strip_bidi_controls
from portal.uploads import validate_upload

from .models import (
    Indicator,
    IndicatorValue,
    Mission,
    MissionReport,
    ObjectiveProgress,
    ReportAttachment,
    ReportComment,
    ReportVersion,
)
from .policies import party_members

# A report is due this long after the end of its period.
DUE_AFTER = timedelta(days=30)
Kind = MissionReport.Kind
Status = MissionReport.Status
# What submission needs besides a progress entry for every objective.
REQUIRED_FIELDS = ("activities", "results", "transparency", "cooperation", "inclusion")
TEXT_FIELDS = (
    "activities",
    "results",
    "difficulties",
    "next_steps",
    "transparency",
    "cooperation",
    "inclusion",
    "sdg_contribution",
)


# --- The schedule ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    @property
    def due(self) -> date:
        return self.end + DUE_AFTER


def schedule(start: date, end: date, every_months: int) -> list[Period]:
    """The report periods of a mission from ``start`` to ``end`` (its last day): a progress
    report every ``every_months``, each period ending the day before the next anniversary
    counted from the start (so no drift: from 31 August, the anniversaries are 28 or 29 February
    and 31 August), then a final report. A progress period that would end less than a month
    before the mission is left to the final report."""
    periods = []
    period_start = start
    n = 1
    while True:
        period_end = start + relativedelta(months=every_months * n) - timedelta(days=1)
        if period_end + relativedelta(months=1) > end:
            break
        periods.append(Period(Kind.PROGRESS, period_start, period_end))
        period_start = period_end + timedelta(days=1)
        n += 1
    periods.append(Period(Kind.FINAL, period_start, max(end, period_start)))
    return periods


@transaction.atomic
def plan_reports(mission: Mission, *, today: date | None = None) -> list[MissionReport]:
    """(Re)plan the mission's reports from its dates and cadence. Reports the expert has
    started, that were submitted, or whose due date has passed stay as they are; the reports not
    yet started are planned again after them (an extension adds periods, an early end shortens
    the last one and makes it the final report)."""
    today = today or timezone.localdate()
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    reports = list(mission.reports.order_by("number"))
    kept = [r for r in reports if r.status != Status.PLANNED or r.due_date < today]
    MissionReport.objects.filter(pk__in=[r.pk for r in reports if r not in kept]).delete()
    covered_until = max((r.period_end for r in kept), default=None)
    number = max((r.number for r in kept), default=0)
    end = mission.end
    if covered_until is not None and covered_until >= end:
        # The mission ended within a kept period: that report becomes the final one, unless it
        # has been accepted already (then it stays what it was reviewed as).
        last = max(kept, key=lambda r: r.number)
        if last.kind != Kind.FINAL and last.status != Status.ACCEPTED:
            last.kind, last.period_end, last.due_date = Kind.FINAL, end, end + DUE_AFTER
            last.save(update_fields=["kind", "period_end", "due_date", "updated_at"])
        return list(mission.reports.order_by("number"))
    new = []
    for period in schedule(mission.start, end, mission.report_interval_months):
        if covered_until is not None and period.start <= covered_until:
            continue
        number += 1
        start = period.start
        if covered_until is not None and not new:
            start = covered_until + timedelta(days=1)
        new.append(
            MissionReport(
                mission=mission,
                number=number,
                kind=period.kind,
                period_start=start,
                period_end=period.end,
                due_date=period.due,
            )
        )
    MissionReport.objects.bulk_create(new)
    return list(mission.reports.order_by("number"))


# --- Writing --------------------------------------------------------------------------------------


def _lock(report: MissionReport) -> MissionReport:
    return (
        MissionReport.objects.select_for_update()
        .select_related("mission__expert", "mission__case")
        .get(pk=report.pk)
    )


@transaction.atomic
def save_report(
    *,
    report: MissionReport,
    user: User,
    data: dict,
    progress: dict,
    values: dict,
    seen_revision: int,
) -> MissionReport:
    """Save what the expert typed, as a draft: every valid field is kept; only submission asks
    for completeness. ``progress`` maps objective ids to (status, narrative), ``values`` maps
    indicator ids to decimals (or None to clear)."""
    locked = _lock(report)
    if not may(user, "placements.write_report", locked):
        raise PermissionDenied
    if locked.revision != seen_revision:
        raise ValidationError(
            _(
                "This report was changed in another window or tab since you opened it. "
                "Nothing was saved; your text is still in the form below. Open the report again "
                "to see the other changes."
            ),
            code="stale",
        )
    for name in TEXT_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    if locked.status == Status.PLANNED:
        locked.status = Status.DRAFT
    locked.revision += 1
    locked.save()
    if "sdgs" in data:
        locked.sdgs.set(data["sdgs"])
    objectives = set(locked.mission.objectives.values_list("pk", flat=True))
    for objective_id, (status, narrative) in progress.items():
        if objective_id in objectives:
            ObjectiveProgress.objects.update_or_create(
                report=locked,
                objective_id=objective_id,
                defaults={"status": status, "narrative": narrative},
            )
    # One query, not one per objective.
    indicators = set(
        Indicator.objects.filter(objective__mission=locked.mission).values_list("pk", flat=True)
    )
    for indicator_id, value in values.items():
        if indicator_id not in indicators:
            continue
        if value is None:
            IndicatorValue.objects.filter(report=locked, indicator_id=indicator_id).delete()
        else:
            IndicatorValue.objects.update_or_create(
                report=locked, indicator_id=indicator_id, defaults={"value": value}
            )
    return locked


def missing_for_submission(report: MissionReport) -> list[str]:
    """What must be filled in before the report can be submitted, as labels."""
    missing = [
        str(MissionReport._meta.get_field(name).verbose_name)
        for name in REQUIRED_FIELDS
        if not getattr(report, name).strip()
    ]
    done = {p.objective_id for p in report.progress.all() if p.status}
    missing += [
        _("progress on “%(objective)s”") % {"objective": o.title}
        for o in report.mission.objectives.all()
        if o.pk not in done
    ]
    return missing


def report_content(report: MissionReport) -> dict:
    """The report as plain values, for the versions kept and their comparison (always in the
    programme's language, so that versions submitted from different pages compare)."""
    with translation.override(settings.LANGUAGE_CODE):
        content = {name: getattr(report, name) for name in TEXT_FIELDS}
        content["sdgs"] = sorted(str(s) for s in report.sdgs.all())
        for p in report.progress.select_related("objective"):
            content[f"objective:{p.objective.title}"] = (
                f"{p.get_status_display()}: {p.narrative}".strip(": ")
            )
        for v in report.indicator_values.select_related("indicator"):
            content[f"indicator:{v.indicator.name}"] = f"{v.value} {v.indicator.unit}".strip()
        content["attachments"] = sorted(a.original_name for a in report.attachments.all())
    return content


@transaction.atomic
def submit_report(*, report: MissionReport, user: User) -> ReportVersion:
    locked = _lock(report)
    if not may(user, "placements.write_report", locked):
        raise PermissionDenied
    if missing := missing_for_submission(locked):
        raise ValidationError(
            _("Please fill in before submitting: %(fields)s.") % {"fields": "; ".join(missing)},
            code="incomplete",
        )
    number = locked.versions.count() + 1
    version = ReportVersion.objects.create(
        report=locked, number=number, content=report_content(locked), submitted_by=user
    )
    locked.status = Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.revision += 1
    locked.save(update_fields=["status", "submitted_at", "revision", "updated_at"])
    officer = locked.mission.case.case_officer
    if officer is not None:
        send_notification(
            recipient=officer,
            template="report_submitted",
            context={"report": locked, "mission": locked.mission, "version": number},
            key=f"report-submitted:{locked.pk}:{number}",
        )
    return version


# --- Review and comments --------------------------------------------------------------------------


@transaction.atomic
def review_report(*, report: MissionReport, by: User, accept: bool, comment: str) -> None:
    """Staff accept the submitted report, or return it to the expert with what to change."""
    locked = _lock(report)
    if not may(by, "placements.review_report", locked):
        raise PermissionDenied
    if locked.status != Status.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report can be reviewed; this one is “%(status)s”.")
            % {"status": locked.get_status_display()},
            code="not_submitted",
        )
    if not accept and not comment.strip():
        raise ValidationError(_("Please tell the expert what to change."), code="comment_required")
    locked.status = Status.ACCEPTED if accept else Status.RETURNED
    locked.decided_at = timezone.now()
    locked.revision += 1
    locked.save(update_fields=["status", "decided_at", "revision", "updated_at"])
    kind = ReportComment.Kind.ACCEPTED if accept else ReportComment.Kind.RETURNED
    ReportComment.objects.create(report=locked, author=by, kind=kind, body=comment)
    expert_user = locked.mission.expert.user
    if expert_user is not None:
        send_notification(
            recipient=expert_user,
            template="report_reviewed",
            context={"report": locked, "accepted": accept, "comment": comment},
            key=f"report-reviewed:{locked.pk}:{locked.revision}",
        )
    if accept:
        for member in party_members(locked.mission):
            send_notification(
                recipient=member,
                template="report_accepted",
                context={"report": locked, "mission": locked.mission},
                key=f"report-accepted:{locked.pk}:{member.pk}",
            )


@transaction.atomic
def comment_on_report(*, report: MissionReport, author: User, body: str) -> ReportComment:
    """The communes comment on an accepted report; the expert and the case officer read it."""
    locked = _lock(report)
    if not may(author, "placements.comment_report", locked):
        raise PermissionDenied
    if not body.strip():
        raise ValidationError(_("Please write a comment."), code="required")
    comment = ReportComment.objects.create(
        report=locked, author=author, kind=ReportComment.Kind.COMMENT, body=body
    )
    recipients = [locked.mission.case.case_officer, locked.mission.expert.user]
    for recipient in {r for r in recipients if r is not None and r != author}:
        send_notification(
            recipient=recipient,
            template="report_comment",
            context={"report": locked, "comment": comment},
            key=f"report-comment:{comment.pk}:{recipient.pk}",
        )
    return comment


MAX_ATTACHMENTS = 20
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


@transaction.atomic
def add_report_attachment(*, report: MissionReport, user: User, file, caption: str = ""):
    """A photo or a document of the report, checked by its content (not its name)."""
    locked = _lock(report)
    if not may(user, "placements.write_report", locked):
        raise PermissionDenied
    if locked.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            _("A report can have at most %(count)s photos and documents.")
            % {"count": MAX_ATTACHMENTS},
            code="too_many",
        )
    # Photos (JPEG, PNG) and documents (PDF, Word, Excel): portal.uploads' document types.
    content_type = validate_upload(file, max_bytes=MAX_ATTACHMENT_BYTES)
    return ReportAttachment.objects.create(
        report=locked,
        file=file,
        original_name=strip_bidi_controls(file.name)[:255],
        content_type=content_type,
        size=file.size,
        caption=caption,
    )
