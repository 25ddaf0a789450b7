"""Communes, the people who work for them, and their partnerships."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from catalogue.models import Theme
from catalogue.vocabularies import GERMANY
from portal.text import no_bidi_controls


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
