"""Cases: the programme's work on one expression of interest, its events and internal notes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import DeploymentType
from portal.choices import label_of

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
    # The open states in which the next step is the programme team's. In the others the
    # communes answer a request or choose a candidate, applications come in (published), the
    # mission runs, or the case waits on purpose (on hold).
    WAITING_ON_PROGRAMME = (
        "submitted",
        "eligibility_check",
        "appraisal",
        "profile_agreed",
        "approved",
        "vacancy_drafted",
        "screening",
        "candidate_selected",
        "contracting",
        "preparing_departure",
        "extension_requested",
        "closing",
    )
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
        # The admin case list (newest change first, 50 a page) and the staff dashboard's
        # "waiting longest" (oldest open first, 10) read the first rows of this index instead of
        # sorting every case: see README "Benchmarks".
        indexes = [models.Index(fields=["state_changed_at", "id"], name="case_state_changed_idx")]

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


# Reasons the portal writes itself rather than a person: stored in English and translated when
# shown, so that the timeline and the emails speak their reader's language, not the language of
# the page that caused the event.
CHOSEN_BY_HOST_COMMUNE = gettext_noop("Chosen by the host commune.")
PORTAL_REASONS = frozenset({CHOSEN_BY_HOST_COMMUNE})


def reason_as_shown(reason: str) -> str:
    """A reason in the reader's language if the portal wrote it, else as the person wrote it."""
    return gettext(reason) if reason in PORTAL_REASONS else reason


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

    def get_from_state_display(self) -> str:
        return label_of(Case.State, self.from_state)

    def get_to_state_display(self) -> str:
        return label_of(Case.State, self.to_state)

    @property
    def reason_as_shown(self) -> str:
        return reason_as_shown(self.reason)


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
