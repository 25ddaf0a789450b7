from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import DeploymentType
from portal.text import no_bidi_controls

# Each state belongs to one stage of the process.
STAGE_OF_STATE = {
    **dict.fromkeys(
        [
            "submitted",
            "info_requested",
            "eligibility_check",
            "appraisal",
            "profile_agreed",
            "approved",
            "declined",
            "withdrawn",
            "on_hold",
        ],
        "request",
    ),
    **dict.fromkeys(
        [
            "vacancy_drafted",
            "published",
            "screening",
            "shortlist_sent",
            "candidate_selected",
            "contracting",
            "preparing_departure",
        ],
        "recruitment",
    ),
    **dict.fromkeys(["active", "extension_requested", "closing", "closed"], "mission"),
}


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state__in=Case.FINAL_STATES)


class Case(models.Model):
    """One expression of interest followed from its arrival to the end of the expert's mission.
    The state changes only through placements.workflow."""

    class State(models.TextChoices):
        # Request
        SUBMITTED = "submitted", _("Submitted")
        INFO_REQUESTED = "info_requested", _("More information requested")
        ELIGIBILITY_CHECK = "eligibility_check", _("Eligibility check")
        APPRAISAL = "appraisal", _("Appraisal")
        PROFILE_AGREED = "profile_agreed", _("Profile agreed")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ON_HOLD = "on_hold", _("On hold")
        # Recruitment
        VACANCY_DRAFTED = "vacancy_drafted", _("Vacancy drafted")
        PUBLISHED = "published", _("Published")
        SCREENING = "screening", _("Screening")
        SHORTLIST_SENT = "shortlist_sent", _("Shortlist sent to the host commune")
        CANDIDATE_SELECTED = "candidate_selected", _("Candidate selected")
        CONTRACTING = "contracting", _("Contracting")
        PREPARING_DEPARTURE = "preparing_departure", _("Preparing departure")
        # Mission
        ACTIVE = "active", _("Mission active")
        EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
        CLOSING = "closing", _("Closing")
        CLOSED = "closed", _("Closed")

    class Stage(models.TextChoices):
        REQUEST = "request", _("Request")
        RECRUITMENT = "recruitment", _("Recruitment")
        MISSION = "mission", _("Mission")

    class AppraisalMode(models.TextChoices):
        VIRTUAL = "virtual", _("virtual")
        ON_SITE = "on_site", _("on site")

    FINAL_STATES = ("declined", "withdrawn", "closed")
    # Written only by placements.workflow.
    WORKFLOW_FIELDS = ("state", "stage", "state_changed_at", "resume_state")
    STAGE_OF = STAGE_OF_STATE

    eoi = models.OneToOneField(
        "partnerships.ExpressionOfInterest",
        on_delete=models.PROTECT,
        related_name="case",
        verbose_name=_("expression of interest"),
    )
    state = models.CharField(
        _("state"), max_length=30, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=Stage.choices,
        default=Stage.REQUEST,
        db_index=True,
        editable=False,
    )
    state_changed_at = models.DateTimeField(_("in this state since"), default=timezone.now)
    # Where an on-hold case goes back to.
    resume_state = models.CharField(max_length=30, choices=State.choices, blank=True)
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("case officer"),
        limit_choices_to={"is_staff": True},
    )
    # Appraisal
    appraisal_mode = models.CharField(
        _("consultation"), max_length=10, choices=AppraisalMode.choices, blank=True
    )
    appraisal_date = models.DateField(_("date of the consultation"), null=True, blank=True)
    appraisal_findings = models.TextField(_("findings of the appraisal"), blank=True)
    # Agreed profile
    competence_profile = models.TextField(_("agreed competence profile"), blank=True)
    tasks = models.TextField(_("agreed tasks"), blank=True)
    objectives = models.TextField(_("agreed objectives"), blank=True)
    host_communes = models.ManyToManyField(
        "partnerships.Commune", blank=True, related_name="cases", verbose_name=_("host communes")
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(_("duration in months"), default=24)
    deployment_type = models.ForeignKey(
        DeploymentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("deployment model"),
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # Recruitment
    selected_expert = models.ForeignKey(
        "experts.ExpertProfile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="selected_for_cases",
        verbose_name=_("selected expert"),
    )
    host_commune_chose_expert = models.BooleanField(
        _("the host commune chose this expert"), default=False
    )
    # Contracting
    contract_party = models.CharField(
        _("contract party"),
        max_length=20,
        choices=DeploymentType.ContractParty.choices,
        blank=True,
    )
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "state_changed_at"])

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-state_changed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=list(STAGE_OF_STATE)), name="case_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=["request", "recruitment", "mission"]),
                name="case_stage_valid",
            ),
            models.CheckConstraint(
                condition=Q(duration_months__gte=1, duration_months__lte=60),
                name="case_duration_plausible",
            ),
        ]

    def __str__(self):
        return _("Case %(number)s") % {"number": self.pk}

    def save(self, *args, **kwargs):
        # The state changes only through placements.workflow, whatever path a save comes from.
        loaded = getattr(self, "_loaded_state", None)
        if self.pk and loaded is not None and self.state != loaded and not self._moving:
            raise ValueError("A case's state changes only through placements.workflow.")
        if not self._state.adding and not self._moving:
            # A copy read before a transition must not write its old state back.
            fields = kwargs.get("update_fields")
            if fields is None:
                fields = [f.name for f in self._meta.concrete_fields if not f.primary_key]
            kwargs["update_fields"] = [f for f in fields if f not in self.WORKFLOW_FIELDS]
        super().save(*args, **kwargs)
        self._loaded_state, self._moving = self.state, False

    def get_absolute_url(self):
        return reverse("admin:placements_case_change", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        case = super().from_db(db, field_names, values)
        case._loaded_state = case.__dict__.get("state")
        return case

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "state" in fields:
            self._loaded_state = self.state

    _moving = False

    def _move_to(self, state: str) -> None:
        """Only for placements.workflow."""
        self.state = state
        self.stage = STAGE_OF_STATE[state]
        self.state_changed_at = timezone.now()
        self._moving = True


class CaseEvent(models.Model):
    """One transition of a case: the audit trail and the timeline. Written once, never changed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("transition"), max_length=40)
    from_state = models.CharField(_("from"), max_length=30, choices=Case.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=30, choices=Case.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self):
        return f"{self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        # The audit trail is append-only.
        if self.pk is not None:
            raise ValueError("Case events cannot be changed.")
        super().save(*args, **kwargs)


class CaseNote(models.Model):
    """An internal note of programme staff; never shown to the communes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("note"), max_length=6000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at"]

    def __str__(self):
        return self.body[:60]


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

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=F("start")), name="mission_ends_after_start"
            ),
        ]

    def __str__(self):
        return _("Mission of %(expert)s") % {"expert": self.expert}


# What staff may share with the host commune about a shortlisted candidate.
SHARED_FIELDS = [
    "nationalities",
    "languages",
    "expertise",
    "experience",
    "positions",
    "motivation",
    "cv",
]


def default_shared_fields():
    return [name for name in SHARED_FIELDS if name != "nationalities"]


class VacancyQuerySet(models.QuerySet):
    def published(self):
        """Open for applications: published and not past the closing date."""
        return self.filter(published_at__isnull=False, closing_date__gte=timezone.localdate())


class Vacancy(models.Model):
    """The post of a case in recruitment, as experts see it."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="vacancy")
    title = models.CharField(_("title"), max_length=200, validators=[no_bidi_controls])
    tasks = models.TextField(_("tasks"))
    objectives = models.TextField(_("objectives"))
    competence_profile = models.TextField(_("competence profile"))
    languages = models.CharField(
        _("languages"),
        max_length=300,
        blank=True,
        help_text=_("For example “French C1, English B2”."),
    )
    closing_date = models.DateField(_("closing date"), null=True, blank=True)
    public = models.BooleanField(_("also show to visitors without an account"), default=False)
    shared_fields = models.JSONField(
        _("what the host commune sees of each shortlisted candidate"),
        default=default_shared_fields,
        blank=True,
        help_text=format_lazy(_("Any of: {fields}."), fields=", ".join(SHARED_FIELDS)),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VacancyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["closing_date", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("placements:vacancy-detail", args=[self.pk])


class Application(models.Model):
    """An expert's application to a vacancy, with the profile as it was when applying."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SCREENED = "screened", _("Screened")
        INTERVIEWED = "interviewed", _("Interviewed")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        SELECTED = "selected", _("Selected")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    vacancy = models.ForeignKey(
        Vacancy,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("vacancy"),
    )
    expert = models.ForeignKey(
        "experts.ExpertProfile",
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("expert"),
    )
    motivation = models.TextField(_("motivation letter"), max_length=8000, blank=True)
    profile_snapshot = models.JSONField(_("profile when applying"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    proposed_by_staff = models.BooleanField(_("added by programme staff"), default=False)
    screening_notes = models.TextField(_("screening notes"), blank=True)
    interview_notes = models.TextField(_("interview notes"), blank=True)
    shared_with_commune = models.BooleanField(
        _("on the shortlist sent to the host commune"), default=False
    )
    created_at = models.DateTimeField(_("applied"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        # The table keeps the name it had when applications lived in the experts app.
        db_table = "experts_application"
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "expert"], name="application_once"),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "applied",
                        "screened",
                        "interviewed",
                        "shortlisted",
                        "selected",
                        "declined",
                        "withdrawn",
                    ]
                ),
                name="application_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.expert} → {self.vacancy}"
