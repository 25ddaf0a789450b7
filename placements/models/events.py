"""Support events: the coaching sessions and the networking or exchange events with which
programme staff accompany experts and communes, with who registered, who waits for a place and
who came."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import TIME_ZONE_CHOICES
from portal.text import no_bidi_controls


class SupportEventQuerySet(models.QuerySet):
    def published(self):
        """Events staff have published for experts and communes."""
        return self.filter(published=True)

    def upcoming(self):
        """Events that have not ended yet, the soonest first."""
        return self.filter(end__gte=timezone.now()).order_by("start", "pk")

    def with_counts(self):
        """Each event with the number of places taken and of people waiting."""
        return self.annotate(
            registered_count=Count(
                "registrations",
                filter=Q(registrations__status=EventRegistration.Status.REGISTERED),
            ),
            waiting_count=Count(
                "registrations", filter=Q(registrations__status=EventRegistration.Status.WAITING)
            ),
        )


class SupportEvent(models.Model):
    """A coaching session or a networking or exchange event, on site or online."""

    class Kind(models.TextChoices):
        COACHING = "coaching", _("Coaching session")
        NETWORKING = "networking", _("Networking or exchange event")

    class Audience(models.TextChoices):
        EXPERTS = "experts", _("Experts")
        COMMUNES = "communes", _("Communes")
        BOTH = "both", _("Experts and communes")

    title = models.CharField(_("title"), max_length=200, validators=[no_bidi_controls])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default=settings.DEFAULT_USER_TIME_ZONE,
        help_text=_("Where the event takes place; its times are shown in this zone."),
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["https"])],
        help_text=_("An https:// address of the online meeting."),
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    agenda = models.TextField(_("agenda"), blank=True)
    published = models.BooleanField(
        _("published on the portal"),
        default=False,
        help_text=_("Only published events are shown to experts and communes."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SupportEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("support event")
        verbose_name_plural = _("support events")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["coaching", "networking"]), name="supportevent_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["experts", "communes", "both"]),
                name="supportevent_audience_valid",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="supportevent_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0), name="supportevent_capacity_positive"
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""), name="supportevent_place_or_link"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("placements:event-detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The event must end after it starts.")
        if not self.place.strip() and not self.online_link:
            errors["place"] = _("Give a place, an online link, or both.")
        if errors:
            raise ValidationError(errors)

    @property
    def open_for_experts(self) -> bool:
        return self.audience in (self.Audience.EXPERTS, self.Audience.BOTH)

    @property
    def open_for_communes(self) -> bool:
        return self.audience in (self.Audience.COMMUNES, self.Audience.BOTH)

    @property
    def has_started(self) -> bool:
        return self.start <= timezone.now()


def _document_name(instance, filename) -> str:
    return f"events/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()[:5]}"


class SupportEventDocument(models.Model):
    """A programme, a reading or slides for an event: served only to those who see the event."""

    event = models.ForeignKey(SupportEvent, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to=_document_name)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("event document")
        verbose_name_plural = _("event documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("placements:event-document", args=[self.event_id, self.pk])


class EventRegistrationQuerySet(models.QuerySet):
    def active(self):
        """Registrations that hold a place or wait for one."""
        return self.exclude(status=EventRegistration.Status.CANCELLED)

    def waiting_list(self):
        """Those waiting for a place, in the order they came."""
        return self.filter(status=EventRegistration.Status.WAITING).order_by("created_at", "pk")


class EventRegistration(models.Model):
    """A person's place at an event, or their place on its waiting list."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        SupportEvent,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("participant"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    note = models.TextField(_("note to the organisers"), max_length=1000, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    # The waiting list's order: who registered first moves up first.
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["registered", "waiting", "cancelled"]),
                name="eventregistration_status_valid",
            ),
            # Cancelled registrations stay (the history), and a person may register again.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(status="cancelled"),
                name="eventregistration_one_active_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.event}"
