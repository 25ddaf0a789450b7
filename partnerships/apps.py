from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.registries import dashboard_panels


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Communes and partnerships")

    def ready(self):
        # Models can be imported only once the app registry is ready.
        from .dashboard import applicant_panel  # noqa: PLC0415

        dashboard_panels.register(applicant_panel)
