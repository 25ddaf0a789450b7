from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from portal import kept
from portal.registries import dashboard_panels, todo_sources, user_facts


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Communes and partnerships")

    def ready(self):
        # Models (and auth's, which portal.roles reads) load only once the app registry is ready.
        from allauth.account.signals import email_confirmed  # noqa: PLC0415

        from catalogue.models import (  # noqa: PLC0415
            DeploymentType,
            SustainableDevelopmentGoal,
            Theme,
        )
        from portal import roles  # noqa: PLC0415
        from portal.models import User  # noqa: PLC0415

        from . import policies, selectors  # noqa: PLC0415
        from .contributions import address_confirmed  # noqa: PLC0415
        from .dashboard import applicant_panel, applicant_todos  # noqa: PLC0415
        from .models import (  # noqa: PLC0415
            Attachment,
            Comment,
            Commune,
            CommuneMembership,
            Confirmation,
            EOIEvent,
            ExpressionOfInterest,
            MembershipRequest,
            Partnership,
            RequiredLanguage,
            SubmittedVersion,
        )

        roles.grant(policies.ROLE_PERMISSIONS)
        # A commune member's communes are kept with the cached user (portal.auth_backends).
        user_facts.register(policies.own_communes)
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                policies.forget_member,
                sender=CommuneMembership,
                dispatch_uid=f"partnerships_forget_member_{name}",
            )
        post_save.connect(
            policies.forget_commune_members,
            sender=Commune,
            dispatch_uid="partnerships_forget_commune_members",
        )
        dashboard_panels.register(applicant_panel)
        todo_sources.register(applicant_todos)
        email_confirmed.connect(address_confirmed, dispatch_uid="partnerships.address_confirmed")
        # What an expression of interest's page and a commune member's dashboard show: what they
        # keep is forgotten when it changes (selectors, "What the EOI pages keep in the cache").
        kept.forget_on_change(
            selectors.forget_eoi_pages,
            "partnerships_eoi_pages",
            models=(
                ExpressionOfInterest,
                Partnership,
                Commune,
                RequiredLanguage,
                Attachment,
                Comment,
                EOIEvent,
                SubmittedVersion,
                # The dashboard's to-do items: confirmations awaited, requests to join.
                Confirmation,
                MembershipRequest,
                Theme,
                SustainableDevelopmentGoal,
                DeploymentType,
                # The names of the authors of messages and of the history's lines.
                User,
            ),
        )
        kept.forget_on_change(
            selectors.forget_eoi_pages,
            "partnerships_eoi_pages",
            links=(
                ExpressionOfInterest.partnerships.through,
                ExpressionOfInterest.host_communes.through,
                ExpressionOfInterest.themes.through,
                ExpressionOfInterest.sdgs.through,
                ExpressionOfInterest.preferred_deployment_types.through,
            ),
        )
