import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from catalogue.vocabularies import EUROPEAN_COUNTRIES, CEFRLevel, language_choices, language_name
from portal.text import no_bidi_controls


class ExpertProfileQuerySet(models.QuerySet):
    def findable(self):
        """Experts who consented to be found by programme staff (an anonymised profile never)."""
        return self.filter(consent_to_be_found=True, anonymised_at__isnull=True)

    def with_details(self):
        """With the rows the profile pages and the completeness check read, one query each
        (the languages in the order the profile form lists them, so that it can use them)."""
        return self.prefetch_related(*profile_details())


def profile_details() -> list:
    """The lookups of `with_details()`, for `prefetch_related_objects` on profiles already read."""
    return [
        models.Prefetch("languages", queryset=ExpertLanguage.objects.order_by("pk")),
        "positions",
        "documents",
        "expertise",
        "open_to_models",
    ]


class ExpertProfile(models.Model):
    """An expert who may be matched to a case (registered or proposed by CIM, GIZ or a commune)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_profile",
        verbose_name=_("account"),
    )
    full_name = models.CharField(_("full name"), max_length=200, validators=[no_bidi_controls])
    email = models.EmailField(_("email address"), blank=True)
    nationalities = CountryField(_("nationalities"), multiple=True, blank=True)
    country_of_residence = CountryField(_("country of residence"), blank=True)
    consent_to_be_found = models.BooleanField(
        _("programme staff may find me for missions"), default=False
    )
    expertise = models.ManyToManyField(
        "catalogue.Theme",
        blank=True,
        related_name="experts",
        verbose_name=_("areas of expertise"),
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=300,
        blank=True,
        help_text=_("Further skills, separated by commas, e.g. “composting, GIS, budgeting”."),
    )
    years_municipal_experience = models.PositiveSmallIntegerField(
        _("years of experience in municipal administration"), null=True, blank=True
    )
    countries_worked_in = CountryField(_("countries worked in"), multiple=True, blank=True)
    regions_worked_in = models.CharField(_("regions worked in"), max_length=300, blank=True)
    earliest_availability = models.DateField(_("available from"), null=True, blank=True)
    preferred_regions = models.CharField(_("preferred regions"), max_length=300, blank=True)
    open_to_models = models.ManyToManyField(
        "catalogue.DeploymentType",
        blank=True,
        related_name="+",
        verbose_name=_("deployment models I am open to"),
    )
    proposed_by = models.CharField(
        _("proposed by"),
        max_length=20,
        blank=True,
        choices=[
            ("cim", "CIM"),
            ("giz", "GIZ"),
            ("commune", _("a commune")),
            ("self", _("self-registered")),
        ],
        default="self",
    )
    # Staff-created profiles: the expert takes the account over with an emailed link
    # (portal.links); only the digest of its secret is kept, emptied once the link is used.
    claim_digest = models.CharField(max_length=64, blank=True, db_index=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ExpertProfileQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "claim_digest"])

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        ordering = ["full_name"]
        permissions = [
            ("export_expertprofile", _("Can export the profiles of experts who may be found")),
        ]

    def __str__(self):
        return self.full_name

    @property
    def is_european(self) -> bool:
        return any(c.code in EUROPEAN_COUNTRIES for c in self.nationalities)

    def has_nationality(self, country_code: str) -> bool:
        return any(c.code == country_code for c in self.nationalities)


class ExpertLanguage(models.Model):
    Level = CEFRLevel

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8, choices=language_choices)
    level = models.CharField(_("level (CEFR)"), max_length=2, choices=Level.choices)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(fields=["expert", "language"], name="expert_language_once"),
            models.CheckConstraint(
                condition=models.Q(level__in=["A1", "A2", "B1", "B2", "C1", "C2"]),
                name="expert_language_level_valid",
            ),
        ]
        # Matching asks "who speaks French at C1 or better" once per ranking: with this index
        # PostgreSQL reads the answer from the index instead of scanning every expert's
        # languages (53,000 rows for 20,000 experts: 28 ms to 2 ms, see README "Benchmarks").
        indexes = [
            models.Index(fields=["language", "level", "expert"], name="expert_language_level_idx")
        ]

    def __str__(self):
        return f"{self.get_language_display()} {self.level}"

    def get_language_display(self) -> str:
        # The name straight from the code, not by searching the list of every language.
        return language_name(self.language)


class MatchingProfile(models.Model):
    """What the ranking of candidates reads of an expert, in one narrow row per expert that the
    database itself keeps up to date: triggers on the profile, its languages and its areas of
    expertise rewrite the row in the same transaction (migration 0010), whatever writes them
    (forms, the admin, services, bulk inserts, raw SQL). Never written by the portal's code.

    Ranking reads every expert of the pool: one narrow row with no regular expression to run
    costs a fifth of the profile row with its countries matched by regex and its languages and
    areas looked up in other tables (see README, "Benchmarks"). The lists are text between
    commas, ",DE,FR," and ",fr:C1,en:B2,", so that "speaks French at C1" is a LIKE that
    PostgreSQL and SQLite both run. On SQLite, a migration that rebuilds one of the source tables
    drops its triggers: tests/experts/test_matching_profile.py notices.
    """

    expert = models.OneToOneField(
        ExpertProfile, primary_key=True, on_delete=models.CASCADE, related_name="matching"
    )
    # Fixed-width columns first: PostgreSQL reads a row's columns in order, for every expert.
    anonymised = models.BooleanField()
    consent_to_be_found = models.BooleanField()
    # Any nationality in catalogue.vocabularies.EUROPEAN_COUNTRIES (the list is in the trigger).
    european = models.BooleanField()
    earliest_availability = models.DateField(null=True)
    years_municipal_experience = models.PositiveSmallIntegerField(null=True)
    nationalities = models.TextField()  # ",DE,FR,"
    countries_worked_in = models.TextField()  # ",TG,BJ,"
    themes = models.TextField()  # ",3,8," (keys of catalogue.Theme)
    languages = models.TextField()  # ",fr:C1,en:B2,"
    full_name = models.CharField(max_length=200)  # the ranking's order among equal scores

    def __str__(self):
        return self.full_name


class Position(models.Model):
    """A previous position of the expert."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="positions")
    employer = models.CharField(_("employer"), max_length=200, validators=[no_bidi_controls])
    country = CountryField(_("country"))
    role = models.CharField(_("role"), max_length=200, validators=[no_bidi_controls])
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty if current."))

    class Meta:
        verbose_name = _("previous position")
        verbose_name_plural = _("previous positions")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="position_period_ordered",
            )
        ]

    def __str__(self):
        return f"{self.role}, {self.employer}"


def _document_name(instance, filename) -> str:
    return f"experts/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()[:5]}"


class ExpertDocument(models.Model):
    class Kind(models.TextChoices):
        CV = "cv", _("CV")
        CERTIFICATE = "certificate", _("certificate")

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=_document_name)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "-uploaded_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("experts:document-download", args=[self.pk])


class DocumentAccess(models.Model):
    """Every view or download of an expert's CV or certificate, and every list export that held
    the expert's profile: who, when, which expert."""

    class Action(models.TextChoices):
        DOCUMENT = "document", _("document opened")
        EXPORT = "export", _("profile exported in a list")

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(
        ExpertDocument, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(
        _("what"), max_length=10, choices=Action.choices, default=Action.DOCUMENT
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("document access")
        verbose_name_plural = _("document accesses")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["document", "export"]),
                name="document_access_action_valid",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.expert} ({self.created_at:%Y-%m-%d %H:%M})"
