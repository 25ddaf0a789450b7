import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .text import no_bidi_controls

TIME_ZONE_CHOICES = sorted((tz, tz) for tz in zoneinfo.available_timezones() if "/" in tz)


class UserHistory(HistoricalRecords):
    """django-simple-history records a change of groups or permissions only when it is made from
    the user's side (``user.groups.add``); from the other side (``group.user_set.add(user)``) it
    took the group for a user and failed. Here each user whose groups changed gets its record."""

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action == "pre_clear":
            instance._members_cleared = list(instance.user_set.values_list("pk", flat=True))
            return None
        if action == "post_clear":
            pk_set = instance.__dict__.pop("_members_cleared", [])
        elif action not in ("post_add", "post_remove"):
            return None
        for user in self.cls.objects.filter(pk__in=pk_set or []):
            super().m2m_changed(user, action, attr, pk_set, False, **kwargs)
        return None


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the portal; the email address is the login."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(
        _("full name"), max_length=200, blank=True, validators=[no_bidi_controls]
    )
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Pages and emails are shown in this language."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default=settings.DEFAULT_USER_TIME_ZONE,
        help_text=_("Dates and times are shown in this zone."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Programme staff who work in the admin (two-factor authentication required)."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unselect this instead of deleting accounts; it ends the user's sessions."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Categories of portal.notifications the person switched off. A JSON list on the user rather
    # than a table: send_notification already holds the user, so checking costs no query, the
    # settings form saves it with the rest, and the account's history records who changed it.
    # Opt-outs, not opt-ins, so that a new category reaches everyone until they switch it off.
    # The database default lets code that does not know the column yet (the previous release
    # during a deployment, historical models in migrations) still create users.
    email_opt_outs = models.JSONField(
        _("email notifications switched off"),
        default=list,
        db_default=Value([], output_field=models.JSONField()),
        blank=True,
    )

    objects = UserManager()
    # Who changed which account's rights, name or state, and when (the password only as "changed").
    history = UserHistory(
        excluded_fields=["password", "last_login"], m2m_fields=["groups", "user_permissions"]
    )

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_case_insensitive"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def role_names(self) -> set[str]:
        """The user's role names; cached on the instance so a request asks once."""
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return self._role_names

    def has_role(self, role: str) -> bool:
        return role in self.role_names()


class OutgoingEmail(models.Model):
    """One email the portal sends, kept so that sending is idempotent and can be retried."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    key = models.CharField(_("idempotency key"), max_length=200, unique=True, default=uuid.uuid4)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    html_body = models.TextField(_("HTML body"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "sent", "failed"]),
                name="outgoing_email_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"


class SentReminder(models.Model):
    """A reminder that has been sent: its key (one per reminder occurrence) is unique, so that
    inserting the row is what claims the reminder for one run of portal.reminders."""

    key = models.CharField(_("key"), max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_reminders",
        verbose_name=_("recipient"),
    )
    template = models.CharField(_("template"), max_length=100)
    # Empty when the recipient had switched the reminder's category off.
    email = models.ForeignKey(
        OutgoingEmail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("email"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="sent_reminder_key_unique"),
        ]

    def __str__(self):
        return self.key
