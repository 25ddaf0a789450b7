from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Reference data")

    def ready(self):
        # Models (and auth's, which portal.roles reads) load only once the app registry is ready.
        from portal import roles  # noqa: PLC0415

        from . import policies  # noqa: PLC0415

        roles.grant(policies.ROLE_PERMISSIONS)
