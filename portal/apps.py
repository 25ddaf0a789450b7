from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete
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
        from allauth.account.models import EmailAddress  # noqa: PLC0415
        from allauth.mfa.models import Authenticator  # noqa: PLC0415
        from django.contrib.auth import get_user_model  # noqa: PLC0415
        from django.contrib.auth.models import Group  # noqa: PLC0415

        from .auth_backends import (  # noqa: PLC0415
            forget_group_members,
            forget_members,
            forget_permission_holders,
            forget_user,
            forget_user_of,
            security_facts,
        )
        from .registries import user_facts  # noqa: PLC0415

        for signal in (post_save, post_delete):
            signal.connect(forget_user, sender=settings.AUTH_USER_MODEL, dispatch_uid="forget_user")
        m2m_changed.connect(
            forget_members, sender=get_user_model().groups.through, dispatch_uid="forget_members"
        )
        m2m_changed.connect(
            forget_members,
            sender=get_user_model().user_permissions.through,
            dispatch_uid="forget_permission_members",
        )
        m2m_changed.connect(
            forget_permission_holders,
            sender=Group.permissions.through,
            dispatch_uid="forget_permission_holders",
        )
        for signal in (post_save, pre_delete):
            signal.connect(forget_group_members, sender=Group, dispatch_uid="forget_group_members")
        for signal in (post_save, post_delete):
            signal.connect(
                forget_user_of, sender=Authenticator, dispatch_uid="forget_authenticator"
            )
            signal.connect(forget_user_of, sender=EmailAddress, dispatch_uid="forget_email_owner")
        user_facts.register(security_facts)
