from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.registries import dashboard_panels, todo_sources


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Communes and partnerships")

    def ready(self):
        # Models (and auth's, which portal.roles reads) load only once the app registry is ready.
        from allauth.account.signals import email_confirmed  # noqa: PLC0415

        from portal import roles  # noqa: PLC0415

        from . import policies  # noqa: PLC0415
        from .contributions import address_confirmed  # noqa: PLC0415
        from .dashboard import applicant_panel, applicant_todos  # noqa: PLC0415

        roles.grant(policies.ROLE_PERMISSIONS)
        dashboard_panels.register(applicant_panel)
        todo_sources.register(applicant_todos)
        email_confirmed.connect(address_confirmed, dispatch_uid="partnerships.address_confirmed")
