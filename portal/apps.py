from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    # roles imports auth's models, which cannot be imported while the app registry loads.
    from .roles import sync_role_permissions  # noqa: PLC0415

    sync_role_permissions()


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # Permissions exist only after every app has migrated, hence post_migrate.
        post_migrate.connect(_sync_roles, dispatch_uid="portal_sync_roles")
        # The cached user of logged-in requests (auth_backends.py) goes with every change of it.
        from .auth_backends import forget_user  # noqa: PLC0415

        for signal in (post_save, post_delete):
            signal.connect(forget_user, sender=settings.AUTH_USER_MODEL, dispatch_uid="forget_user")
