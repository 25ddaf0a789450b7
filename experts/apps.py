from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import kept
from portal.registries import account_erasers, dashboard_panels, personal_data_exporters


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Experts")

    def ready(self):
        # Models (and auth's, which portal.roles reads) load only once the app registry is ready.
        from catalogue.models import DeploymentType, Theme  # noqa: PLC0415
        from portal import roles  # noqa: PLC0415

        from . import policies, selectors, services  # noqa: PLC0415
        from .dashboard import expert_panel  # noqa: PLC0415
        from .models import ExpertDocument, ExpertLanguage, ExpertProfile, Position  # noqa: PLC0415

        roles.grant(policies.ROLE_PERMISSIONS)
        dashboard_panels.register(expert_panel)
        account_erasers.register(services.erase_expert_of)
        personal_data_exporters.register(services.export_expert_data)
        # What the profile page shows: what it keeps is forgotten when it changes (selectors,
        # "What the expert's profile page keeps in the cache").
        kept.forget_on_change(
            selectors.forget_profile_page,
            "experts_profile_page",
            models=(ExpertProfile, ExpertLanguage, Position, ExpertDocument),
        )
        kept.forget_on_change(
            selectors.forget_profile_page_links,
            "experts_profile_page",
            links=(ExpertProfile.expertise.through, ExpertProfile.open_to_models.through),
        )
        kept.forget_on_change(
            selectors.forget_profile_pages,
            "experts_profile_pages",
            models=(Theme, DeploymentType),
        )
