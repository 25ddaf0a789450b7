"""Missions: the expert on site, with the money the programme adds."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Each state belongs to one stage of the process.
from .cases import Case


class SalaryTopUp(models.Model):
    """The money of a mission, by deployment model (finance data, seen by finance and the
    superuser only, every look logged in SalaryAccess): integrated expert — the local salary and
    the programme's top-up; national expert — the local salary the programme finances;
    technical assistant — the reference of the GIZ contract. Amounts are decimals with their
    currency."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="salary_top_up")
    local_salary = models.DecimalField(
        _("local monthly salary"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    local_currency = models.CharField(_("local currency (ISO 4217)"), max_length=3, blank=True)
    top_up = models.DecimalField(
        _("monthly top-up"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    top_up_currency = models.CharField(_("top-up currency"), max_length=3, default="EUR")
    giz_contract_reference = models.CharField(
        _("GIZ contract reference"), max_length=60, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("salary top-up")
        verbose_name_plural = _("salary top-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(local_salary__gte=0, top_up__gte=0)
                | Q(local_salary__isnull=True)
                | Q(top_up__isnull=True),
                name="salary_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(local_salary__isnull=True) | ~Q(local_currency=""),
                name="salary_has_currency",
            ),
        ]

    def __str__(self):
        if self.top_up is not None:
            return f"{self.top_up} {self.top_up_currency}"
        if self.local_salary is not None:
            return f"{self.local_salary} {self.local_currency}"
        return self.giz_contract_reference

    def clean(self):
        """What each deployment model needs, and nothing another model's pay would hold."""
        code = getattr(self.case.deployment_type, "code", None) if self.case_id else None
        errors = {}
        if code == "integrated":
            if self.local_salary is None:
                errors["local_salary"] = _("An integrated expert has a local salary.")
            if self.top_up is None:
                errors["top_up"] = _("Record the programme's monthly top-up.")
        elif code == "national":
            if self.local_salary is None:
                errors["local_salary"] = _("Record the local salary the programme finances.")
            if self.top_up is not None:
                errors["top_up"] = _("National experts get no top-up.")
        elif code == "technical_assistant":
            if not self.giz_contract_reference.strip():
                errors["giz_contract_reference"] = _(
                    "A technical assistant is contracted by GIZ: record the contract reference."
                )
            if self.local_salary is not None or self.top_up is not None:
                errors["local_salary"] = _("A technical assistant has no local salary here.")
        if self.local_salary is not None and not self.local_currency:
            errors["local_currency"] = _("Give the currency of the local salary.")
        if errors:
            raise ValidationError(errors)


class SalaryAccess(models.Model):
    """Who looked at or exported salary data, and when: every page and export of it writes
    one row."""

    class Action(models.TextChoices):
        LIST = "list", _("list")
        VIEW = "view", _("page")
        EXPORT = "export", _("export")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("salary data access")
        verbose_name_plural = _("salary data accesses")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} – {self.get_action_display()} – {self.created_at:%Y-%m-%d %H:%M}"


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
        # The latest missions first (the mission list, the admin) from the index, instead of
        # sorting every mission with its case, request and expert.
        indexes = [models.Index(fields=["start"], name="mission_start_idx")]
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
