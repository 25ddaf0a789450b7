"""The vocabularies several apps use: eligible countries (the OECD DAC list with the flag for
partner countries of German development cooperation), the programme's thematic fields, the SDGs,
the three deployment models and which of them may be used in which country. Rows are loaded by
catalogue.reference; staff adjust flags and rules in the admin."""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_countries.fields import CountryField

from portal.choices import label_of


class EligibleCountryQuerySet(models.QuerySet):
    def can_host(self):
        """Countries on the ODA list that are active: only these can host an expert."""
        return self.filter(active=True)


class EligibleCountry(models.Model):
    """A country on the OECD DAC list of ODA recipients."""

    class IncomeGroup(models.TextChoices):
        LDC = "ldc", _("Least developed country")
        OTHER_LIC = "lic", _("Other low-income country")
        LMIC = "lmic", _("Lower middle-income country or territory")
        UMIC = "umic", _("Upper middle-income country or territory")

    country = CountryField(_("country"), unique=True)
    income_group = models.CharField(_("income group"), max_length=4, choices=IncomeGroup.choices)
    german_partner_country = models.BooleanField(
        _("partner country of German development cooperation"), default=False
    )
    active = models.BooleanField(
        _("on the current list"),
        default=True,
        help_text=_("Untick when the country leaves the DAC list; existing cases stay."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = EligibleCountryQuerySet.as_manager()

    class Meta:
        db_table = "partnerships_eligiblecountry"  # the table it had before moving here
        verbose_name = _("eligible country")
        verbose_name_plural = _("eligible countries")
        ordering = ["country"]
        constraints = [
            models.CheckConstraint(
                condition=Q(income_group__in=["ldc", "lic", "lmic", "umic"]),
                name="eligible_country_income_group_valid",
            )
        ]

    def __str__(self):
        return str(self.country.name)


class Theme(models.Model):
    """A thematic field of the programme; the label is translated from the code."""

    class Code(models.TextChoices):
        SERVICES = "services", _("Municipal services and citizen orientation")
        CLIMATE = "climate", _("Climate change and adaptation")
        URBAN = "urban", _("Inclusive urban development")
        SUSTAINABLE = "sustainable", _("Sustainable development")
        WASTE = "waste", _("Waste management and circular economy")
        WATER = "water", _("Water")
        MOBILITY = "mobility", _("Mobility")
        EGOVERNANCE = "egovernance", _("E-governance")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=20, choices=Code.choices, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        db_table = "partnerships_theme"  # the table it had before moving here
        verbose_name = _("thematic field")
        verbose_name_plural = _("thematic fields")
        ordering = ["position"]

    def __str__(self):
        # Its label from the choices, as get_code_display, which translates every choice's label
        # on each call (and Code.values lists every choice).
        return label_of(self.Code, self.code)


class SustainableDevelopmentGoal(models.Model):
    NAMES = {
        1: _("No poverty"),
        2: _("Zero hunger"),
        3: _("Good health and well-being"),
        4: _("Quality education"),
        5: _("Gender equality"),
        6: _("Clean water and sanitation"),
        7: _("Affordable and clean energy"),
        8: _("Decent work and economic growth"),
        9: _("Industry, innovation and infrastructure"),
        10: _("Reduced inequalities"),
        11: _("Sustainable cities and communities"),
        12: _("Responsible consumption and production"),
        13: _("Climate action"),
        14: _("Life below water"),
        15: _("Life on land"),
        16: _("Peace, justice and strong institutions"),
        17: _("Partnerships for the goals"),
    }

    number = models.PositiveSmallIntegerField(_("number"), unique=True)

    class Meta:
        db_table = "partnerships_sustainabledevelopmentgoal"  # the table it had before moving here
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=17), name="sdg_number_1_to_17"
            )
        ]

    def __str__(self):
        # French and Spanish abbreviate the goals as ODD and ODS.
        return pgettext("sustainable development goal", "SDG %(number)s: %(name)s") % {
            "number": self.number,
            "name": self.NAMES.get(self.number, ""),
        }


class DeploymentType(models.Model):
    """One of the programme's three deployment models and its rules."""

    class Code(models.TextChoices):
        INTEGRATED = "integrated", _("Integrated expert")
        TECHNICAL_ASSISTANT = "technical_assistant", _("Technical assistant")
        NATIONAL = "national", _("National expert")

    class ContractParty(models.TextChoices):
        HOST_COMMUNE = "host_commune", _("Host commune")
        GIZ = "giz", _("GIZ")

    class Nationality(models.TextChoices):
        EUROPEAN = "european", _("European (EU, EEA or Swiss) nationality")
        HOST_COUNTRY = "host_country", _("Nationality of the host country")

    code = models.CharField(_("code"), max_length=30, choices=Code.choices, unique=True)
    contract_party = models.CharField(
        _("who contracts the expert"), max_length=20, choices=ContractParty.choices
    )
    required_nationality = models.CharField(
        _("required nationality"), max_length=20, choices=Nationality.choices
    )
    salary_top_up = models.BooleanField(
        _("programme tops up a local salary"),
        default=False,
        help_text=_("Integrated experts: local salary topped up to close the gap to European pay."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        db_table = "placements_deploymenttype"  # the table it had before moving here
        verbose_name = _("deployment model")
        verbose_name_plural = _("deployment models")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__in=["integrated", "technical_assistant", "national"]),
                name="deployment_type_code_valid",
            )
        ]

    def __str__(self):
        # Its label from the choices, as get_code_display, which translates every choice's label
        # on each call (and Code.values lists every choice).
        return label_of(self.Code, self.code)


class CountryDeploymentRuleQuerySet(models.QuerySet):
    def in_force(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__lte=on), Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )


class CountryDeploymentRule(models.Model):
    """Whether a deployment model may be used in an eligible country, for a period."""

    country = models.ForeignKey(
        EligibleCountry,
        on_delete=models.CASCADE,
        related_name="deployment_rules",
        verbose_name=_("country"),
    )
    deployment_type = models.ForeignKey(
        DeploymentType,
        on_delete=models.CASCADE,
        related_name="country_rules",
        verbose_name=_("deployment model"),
    )
    allowed = models.BooleanField(_("allowed"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), default=date(2024, 1, 1))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = CountryDeploymentRuleQuerySet.as_manager()

    class Meta:
        db_table = "placements_countrydeploymentrule"  # the table it had before moving here
        verbose_name = _("deployment model per country")
        verbose_name_plural = _("deployment models per country")
        ordering = ["country__country", "deployment_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "deployment_type", "valid_from"], name="country_rule_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="country_rule_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.country} – {self.deployment_type}"
