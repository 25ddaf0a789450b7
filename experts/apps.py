from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.registries import dashboard_panels


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Experts")

    def ready(self):
        # Models can be imported only once the app registry is ready.
        from .dashboard import expert_panel  # noqa: PLC0415

        dashboard_panels.register(expert_panel)
