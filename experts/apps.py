from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.registries import account_erasers, dashboard_panels, personal_data_exporters


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Experts")

    def ready(self):
        # Models (and auth's, which portal.roles reads) load only once the app registry is ready.
        from portal import roles  # noqa: PLC0415

        from . import policies, services  # noqa: PLC0415
        from .dashboard import expert_panel  # noqa: PLC0415

        roles.grant(policies.ROLE_PERMISSIONS)
        dashboard_panels.register(expert_panel)
        account_erasers.register(services.erase_expert_of)
        personal_data_exporters.register(services.export_expert_data)
