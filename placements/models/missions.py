"""Missions: the expert on site, with the money the programme adds."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Each state belongs to one stage of the process.
from .cases import Case


class SalaryTopUp(models.Model):
    """For integrated experts: the local salary and the programme's top-up (finance data)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="salary_top_up")
    local_salary = models.DecimalField(_("local monthly salary"), max_digits=12, decimal_places=2)
    local_currency = models.CharField(_("local currency (ISO 4217)"), max_length=3)
    top_up = models.DecimalField(_("monthly top-up"), max_digits=12, decimal_places=2)
    top_up_currency = models.CharField(_("top-up currency"), max_length=3, default="EUR")
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("salary top-up")
        verbose_name_plural = _("salary top-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(local_salary__gte=0, top_up__gte=0), name="salary_amounts_positive"
            )
        ]

    def __str__(self):
        return f"{self.top_up} {self.top_up_currency}"


class Mission(models.Model):
    """The expert's time on site, opened when the case becomes active."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="mission")
    expert = models.ForeignKey(
        "experts.ExpertProfile",
        on_delete=models.PROTECT,
        related_name="missions",
        verbose_name=_("expert"),
    )
    start = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"))
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(_("extended by (months)"), default=0)
    terminated_early = models.BooleanField(_("terminated early"), default=False)
    report_interval_months = models.PositiveSmallIntegerField(
        _("progress report every (months)"),
        default=6,
        help_text=_("Changing it plans the reports not yet started again."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=F("start")), name="mission_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(report_interval_months__gte=1, report_interval_months__lte=12),
                name="mission_report_interval_valid",
            ),
        ]

    def __str__(self):
        return _("Mission of %(expert)s") % {"expert": self.expert}

    def get_absolute_url(self):
        return reverse("placements:mission-detail", args=[self.pk])

    @property
    def end(self):
        """The last day of the mission: the actual end once known, else the planned one."""
        return self.actual_end or self.planned_end


# What staff may share with the host commune about a shortlisted candidate.
