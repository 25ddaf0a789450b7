import secrets
import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from catalogue.models import DeploymentType, SustainableDevelopmentGoal, Theme
from catalogue.vocabularies import GERMANY, WORLD_LANGUAGES, CEFRLevel
from portal.text import no_bidi_controls

from .steps import STEP_BY_SLUG


class CommuneQuerySet(models.QuerySet):
    def german(self):
        return self.filter(country=GERMANY)

    def abroad(self):
        return self.exclude(country=GERMANY)

    def of_member(self, user):
        """Communes the user is a confirmed member of."""
        return self.filter(memberships__user=user)


class Commune(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        ASSOCIATION = "association", _("Association of communes")

    name = models.CharField(_("name"), max_length=200, validators=[no_bidi_controls])
    country = CountryField(_("country"))
    region = models.CharField(_("region or state"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="associations",
        verbose_name=_("member communes"),
        help_text=_("For an association of communes: the communes it brings together."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CommuneQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"], m2m_fields=[])

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country", "region"], name="commune_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["municipality", "city", "district", "association"]),
                name="commune_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.country.code})"

    def get_absolute_url(self):
        return reverse("partnerships:commune-detail", args=[self.pk])

    @property
    def is_german(self) -> bool:
        return self.country.code == GERMANY


class ContactPerson(models.Model):
    """A person the programme may contact about a commune (not necessarily a portal user)."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="contact_persons", verbose_name=_("commune")
    )
    name = models.CharField(_("name"), max_length=200, validators=[no_bidi_controls])
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommuneMembership(models.Model):
    """A user confirmed as staff of a commune, by programme staff or by a member of the commune."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("commune")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="commune_memberships",
        verbose_name=_("user"),
    )
    function = models.CharField(_("function"), max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)

    class Meta:
        verbose_name = _("commune membership")
        verbose_name_plural = _("commune memberships")
        constraints = [
            models.UniqueConstraint(fields=["commune", "user"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.commune}"


class MembershipRequest(models.Model):
    """A user asks to be confirmed as staff of a commune."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REFUSED = "refused", _("refused")

    commune = models.ForeignKey(
        Commune,
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("commune"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("user"),
    )
    function = models.CharField(_("your function in the commune"), max_length=200)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed", "refused"]),
                name="membership_request_status_valid",
            ),
            models.UniqueConstraint(
                fields=["commune", "user"],
                condition=Q(status="pending"),
                name="membership_request_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.commune}"


INVITATION_VALID_DAYS = 14


def _token() -> str:
    # Only for migration 0001, which made the plain tokens that invitations no longer have.
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """An emailed link (portal.links) with which a person joins a commune. Expires; works once;
    only for the address it was sent to. The row keeps the digest of the link, never the link:
    the link exists only in the email."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("commune")
    )
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=200, blank=True, validators=[no_bidi_controls])
    language = models.CharField(
        _("language of the invitation"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # No row without a link: the digest is set when the link is made.
            models.CheckConstraint(
                condition=~Q(token_digest=""), name="invitation_has_link_digest"
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.commune}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class Partnership(models.Model):
    class Status(models.TextChoices):
        BEING_BUILT = "being_built", _("being built")
        ESTABLISHED = "established", _("established")

    name = models.CharField(
        _("name"),
        max_length=300,
        blank=True,
        validators=[no_bidi_controls],
        help_text=_("For example “Bonn – Cape Coast”; filled in from the communes if empty."),
    )
    german_commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="partnerships_at_home",
        verbose_name=_("German commune or association"),
    )
    partner_communes = models.ManyToManyField(
        Commune, related_name="partnerships_abroad", verbose_name=_("partner communes abroad")
    )
    since_year = models.PositiveSmallIntegerField(_("partners since (year)"), null=True, blank=True)
    formal_agreement = models.BooleanField(_("formal partnership agreement"), default=False)
    agreement_date = models.DateField(_("date of the agreement"), null=True, blank=True)
    agreement_document = models.FileField(
        _("agreement document"), upload_to="partnerships/%Y/", blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ESTABLISHED
    )
    previous_activities = models.TextField(_("previous joint activities"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["german_commune__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["being_built", "established"]),
                name="partnership_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(since_year__isnull=True) | Q(since_year__gte=1900),
                name="partnership_since_year_plausible",
            ),
        ]

    def __str__(self):
        return self.name or _("Partnership %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return reverse("partnerships:partnership-detail", args=[self.pk])


def _random_upload_name(instance, filename) -> str:
    """Files are stored under a random name; the original name is kept in the row."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"eoi/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ExpressionOfInterest(models.Model):
    """The joint request of a German commune and its partner commune for an expert."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("More information requested")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECIDED = "decided", _("Decided")

    LanguageLevel = CEFRLevel  # kept for the forms and templates that name it

    title = models.CharField(
        _("short title"), max_length=200, blank=True, validators=[no_bidi_controls]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Raised on each content change; a confirmation counts only for the revision it saw.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    initiating_commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="initiated_eois",
        verbose_name=_("drafted by commune"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    # Step 1: who
    partnerships = models.ManyToManyField(
        Partnership,
        related_name="expressions_of_interest",
        blank=True,
        verbose_name=_("partnerships"),
    )
    host_communes = models.ManyToManyField(
        Commune,
        related_name="hosted_eois",
        blank=True,
        verbose_name=_("host communes where the expert would work"),
    )
    # Step 2: the project
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("thematic fields"))
    theme_other = models.CharField(_("other thematic field"), max_length=200, blank=True)
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal, blank=True, verbose_name=_("Sustainable Development Goals")
    )
    problem_and_needs = models.TextField(
        _("the problem and the needs"), blank=True, max_length=6000
    )
    project_idea = models.TextField(_("the project idea"), blank=True, max_length=6000)
    objectives = models.TextField(_("objectives"), blank=True, max_length=4000)
    # Step 3: the expert
    expert_tasks = models.TextField(_("the expert's intended tasks"), blank=True, max_length=4000)
    competence_skills = models.TextField(
        _("desired skills and qualifications"), blank=True, max_length=4000
    )
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of professional experience"), null=True, blank=True
    )
    preferred_deployment_types = models.ManyToManyField(
        DeploymentType, blank=True, verbose_name=_("preferred deployment models")
    )
    deployment_advice_wanted = models.BooleanField(
        _("please advise us on the deployment model"), default=False
    )
    intended_start = models.DateField(_("intended start"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration in months"), default=24, null=True, blank=True
    )
    # Step 4: principles of the 2030 Agenda
    target_groups = models.TextField(_("target groups"), blank=True, max_length=4000)
    inclusion = models.TextField(
        _("how women and other disadvantaged groups are taken into account"),
        blank=True,
        max_length=4000,
    )
    transparency = models.TextField(_("how transparency is ensured"), blank=True, max_length=4000)
    cooperation = models.TextField(
        _("how departments and institutions cooperate"), blank=True, max_length=4000
    )
    # Step 5: contributions and consent
    german_contribution = models.TextField(
        _("the German commune's own contribution (staff time, accompaniment)"),
        blank=True,
        max_length=4000,
    )
    partner_workplace = models.TextField(
        _("the partner commune's workplace arrangements for the expert"),
        blank=True,
        max_length=4000,
    )
    consent_data_processing = models.BooleanField(
        _("we agree that the programme processes the data in this form"), default=False
    )
    privacy_notice_version = models.CharField(
        _("privacy notice version accepted"), max_length=20, blank=True
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "submitted", "changes_requested", "withdrawn", "decided"]
                ),
                name="eoi_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(duration_months__isnull=True)
                | Q(duration_months__gte=6, duration_months__lte=48),
                name="eoi_duration_6_to_48_months",
            ),
        ]

    def __str__(self):
        return self.title or _("Expression of interest %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return reverse("partnerships:eoi-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)

    @property
    def status_explanation(self) -> str:
        """What the status means for the communes, in plain words."""
        return {
            self.Status.DRAFT: _(
                "Your communes are still writing this request. It is sent to the programme once "
                "both communes have confirmed it."
            ),
            self.Status.SUBMITTED: _(
                "The programme team has received your request and is reviewing it. You will hear "
                "from us by email."
            ),
            self.Status.CHANGES_REQUESTED: _(
                "The programme team needs more information. Please read their message, complete "
                "the request and confirm it again."
            ),
            self.Status.WITHDRAWN: _("Your communes have withdrawn this request."),
            self.Status.DECIDED: _("The programme team has decided on this request."),
        }[self.status]


class RequiredLanguage(models.Model):
    eoi = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="languages"
    )
    language = models.CharField(_("language"), max_length=8, choices=WORLD_LANGUAGES)
    level = models.CharField(_("level (CEFR)"), max_length=2, choices=CEFRLevel.choices)

    class Meta:
        verbose_name = _("required language")
        verbose_name_plural = _("required languages")
        constraints = [
            models.UniqueConstraint(fields=["eoi", "language"], name="eoi_language_once")
        ]

    def __str__(self):
        return f"{self.get_language_display()} {self.level}"


class Attachment(models.Model):
    eoi = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=_random_upload_name)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("partnerships:attachment-download", args=[self.eoi_id, self.pk])


class Confirmation(models.Model):
    """A commune confirms the EOI as it stands at one revision."""

    eoi = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="confirmations"
    )
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["eoi", "commune", "revision"], name="confirmation_once_per_revision"
            )
        ]

    def __str__(self):
        return f"{self.commune} ✔ {self.eoi_id}/{self.revision}"


class Comment(models.Model):
    """A message on an EOI, seen by both communes and programme staff."""

    eoi = models.ForeignKey(ExpressionOfInterest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    from_programme = models.BooleanField(_("from programme staff"), default=False)
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self):
        return self.body[:60]


class EOIEvent(models.Model):
    """One step in an EOI's history: who did what, when, from which status to which."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        EDITED = "edited", _("edited")
        CONFIRMED = "confirmed", _("confirmed")
        SUBMITTED = "submitted", _("submitted")
        CHANGES_REQUESTED = "changes_requested", _("more information requested")
        WITHDRAWN = "withdrawn", _("withdrawn")
        DECIDED = "decided", _("decided")

    eoi = models.ForeignKey(ExpressionOfInterest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"

    @property
    def note_display(self) -> str:
        """Edits note the step's slug; it is shown as the step's title in the reader's language."""
        if self.kind == self.Kind.EDITED:
            step = STEP_BY_SLUG.get(self.note)
            return str(step.title) if step else self.note
        return self.note


class SubmittedVersion(models.Model):
    """The content of an EOI as it was submitted; one per submission, for comparison."""

    eoi = models.ForeignKey(ExpressionOfInterest, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["eoi", "number"], name="eoi_version_number_unique")
        ]

    def __str__(self):
        return f"{self.eoi_id} v{self.number}"
