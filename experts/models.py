from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

# EU member states, the other EEA states and Switzerland: nationalities that count as European
# for integrated experts and technical assistants.
EU_EEA_CH = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH"
)
EUROPEAN_COUNTRIES = frozenset(EU_EEA_CH.split(" "))


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
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True)
    nationalities = CountryField(_("nationalities"), multiple=True, blank=True)
    country_of_residence = CountryField(_("country of residence"), blank=True)
    consent_to_be_found = models.BooleanField(
        _("programme staff may find me for missions"), default=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name

    @property
    def is_european(self) -> bool:
        return any(c.code in EUROPEAN_COUNTRIES for c in self.nationalities)

    def has_nationality(self, country_code: str) -> bool:
        return any(c.code == country_code for c in self.nationalities)
