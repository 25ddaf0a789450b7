from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
        return str(self.get_code_display())
