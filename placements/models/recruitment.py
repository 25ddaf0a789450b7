"""Recruitment: the vacancy of a case and the experts' applications to it."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.models import HistoricalRecords

from catalogue.models import Theme
from catalogue.vocabularies import alphabetical, language_name
from portal.text import no_bidi_controls

# Each state belongs to one stage of the process.
from .cases import Case

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
        # The open vacancies in the list's order: a page of the list reads the first rows of
        # the index instead of joining and sorting every vacancy.
        indexes = [
            models.Index(
                fields=["closing_date", "id"],
                condition=models.Q(published_at__isnull=False),
                name="vacancy_published_closing_idx",
            )
        ]

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

    @property
    def status_for_expert(self) -> str:
        """The status as the expert reads it: what happens next and who acts."""
        S = self.Status
        if self.status == S.SHORTLISTED and self.shared_with_commune:
            return _("On the shortlist: waiting for the host commune's choice")
        return {
            S.APPLIED: _("With the programme team"),
            S.SCREENED: _("With the programme team"),
            S.INTERVIEWED: _("With the programme team"),
            S.SHORTLISTED: _("With the programme team"),
            S.SELECTED: _("Selected: the programme team prepares your contract"),
            S.DECLINED: _("Not selected"),
            S.WITHDRAWN: _("Withdrawn by you"),
        }[self.status]

    def profile_as_shown(self) -> dict:
        """The profile snapshot in the reader's language: it keeps codes, the names come from
        them now. A text that an old snapshot kept and the migration could not read back into a
        code is shown as it is."""
        snapshot = self.profile_snapshot
        languages = [
            f"{language_name(item['language'])} {item['level']}" if isinstance(item, dict) else item
            for item in snapshot.get("languages", [])
        ]
        return {
            "nationalities": [_country(code) for code in snapshot.get("nationalities", [])],
            "languages": sorted(languages, key=alphabetical),
            "expertise": sorted(
                (_theme(code) for code in snapshot.get("expertise", [])), key=alphabetical
            ),
            "positions": [
                {**position, "country": _country(position.get("country", ""))}
                for position in snapshot.get("positions", [])
            ],
        }


def _country(code: str) -> str:
    return countries.name(code) or code


def _theme(code: str) -> str:
    return str(Theme.Code(code).label) if code in Theme.Code.values else code
