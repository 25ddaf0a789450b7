from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Reference data")

    def ready(self):
        # Models (and auth's, which portal.roles reads) load only once the app registry is ready.
        from portal import roles  # noqa: PLC0415

        from . import policies, selectors  # noqa: PLC0415
        from .models import DeploymentType, Theme  # noqa: PLC0415

        roles.grant(policies.ROLE_PERMISSIONS)
        for model in (Theme, DeploymentType):
            for signal in (post_save, post_delete):
                signal.connect(
                    selectors.forget_short_lists,
                    sender=model,
                    dispatch_uid=f"catalogue_short_lists_{model.__name__}_{signal is post_save}",
                )
