from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

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
        for model in (ExpertProfile, ExpertLanguage, Position, ExpertDocument):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(
                    selectors.forget_profile_page,
                    sender=model,
                    dispatch_uid=f"experts_profile_page_{model.__name__}_{name}",
                )
        for links in (ExpertProfile.expertise.through, ExpertProfile.open_to_models.through):
            m2m_changed.connect(
                selectors.forget_profile_page_links,
                sender=links,
                dispatch_uid=f"experts_profile_page_{links.__name__}",
            )
        for model in (Theme, DeploymentType):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(
                    selectors.forget_profile_pages,
                    sender=model,
                    dispatch_uid=f"experts_profile_pages_{model.__name__}_{name}",
                )
