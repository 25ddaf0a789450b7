from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save
from django.utils.translation import gettext_lazy as _

from experts import registries as experts_registries
from partnerships import registries as partnerships_registries
from partnerships import signals as partnerships_signals
from portal import kept
from portal import registries as portal_registries
from portal.registries import dashboard_panels


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Cases and missions")

    def ready(self):
        # Models (and auth's, which portal.roles reads) load only once the app registry is ready.
        from catalogue.models import (  # noqa: PLC0415
            CountryDeploymentRule,
            DeploymentType,
            EligibleCountry,
            SustainableDevelopmentGoal,
            Theme,
        )
        from experts.models import ExpertLanguage, ExpertProfile  # noqa: PLC0415
        from partnerships import selectors as partnerships_selectors  # noqa: PLC0415
        from partnerships.models import (  # noqa: PLC0415
            Comment,
            Commune,
            ExpressionOfInterest,
            Partnership,
            RequiredLanguage,
        )
        from portal import roles  # noqa: PLC0415
        from portal.models import User  # noqa: PLC0415

        from . import contributions, policies, reminders, selectors  # noqa: PLC0415
        from .dashboard import events_panel, todos  # noqa: PLC0415
        from .models import (  # noqa: PLC0415
            Application,
            Case,
            CaseEvent,
            CaseNote,
            EventRegistration,
            Indicator,
            IndicatorValue,
            Mission,
            MissionObjective,
            MissionReport,
            ObjectiveProgress,
            ReportAttachment,
            ReportComment,
            ReportVersion,
            SalaryTopUp,
            SupportEvent,
            Vacancy,
        )

        roles.grant(policies.ROLE_PERMISSIONS)
        # That a person has no expert profile is kept with the cached user (portal.auth_backends).
        portal_registries.user_facts.register(policies.keep_no_expert_profile)
        post_save.connect(
            policies.forget_profile_owner,
            sender=ExpertProfile,
            dispatch_uid="placements_forget_profile_owner",
        )
        dashboard_panels.register(events_panel)
        portal_registries.todo_sources.register(todos)
        partnerships_registries.eoi_status_words.register(contributions.eoi_case_words)
        experts_registries.cv_readers.register(contributions.shortlisted_cv_experts)
        experts_registries.profile_keepers.register(contributions.has_mission_records)
        experts_registries.profile_erasers.register(contributions.erase_application_texts)
        experts_registries.profile_exporters.register(contributions.export_applications)
        experts_registries.profile_panels.register(contributions.applications_panel)
        partnerships_registries.eoi_panels.register(contributions.candidates_panel)
        partnerships_registries.eoi_panels.register(contributions.request_information_panel)
        partnerships_registries.eoi_panels.register(contributions.documents_panel)
        portal_registries.personal_data_exporters.register(contributions.export_event_registrations)
        portal_registries.account_erasers.register(contributions.erase_event_registration_notes)
        portal_registries.reminder_sources.register(reminders.mission_ending)
        portal_registries.reminder_sources.register(reminders.reports_due)
        portal_registries.reminder_sources.register(reminders.extension_waiting)
        partnerships_signals.eoi_submitted.connect(
            contributions.open_case_on_submission, dispatch_uid="placements_open_case"
        )
        partnerships_signals.eoi_withdrawn.connect(
            contributions.withdraw_case_with_eoi, dispatch_uid="placements_withdraw_case"
        )
        # What the vacancy list, the staff dashboard and the admin case list show and filter by:
        # what they keep in the cache is forgotten when it changes (selectors, "What the vacancy
        # list keeps in the cache").
        kept.forget_on_change(
            selectors.forget_vacancy_lists,
            "placements_vacancy_list",
            models=(
                Vacancy,
                Case,
                ExpressionOfInterest,
                Commune,
                RequiredLanguage,
                DeploymentType,
                EligibleCountry,
            ),
        )
        kept.forget_on_change(
            selectors.forget_vacancy_lists,
            "placements_vacancy_list",
            links=(
                Case.host_communes.through,
                ExpressionOfInterest.host_communes.through,
                ExpressionOfInterest.themes.through,
            ),
        )
        # The admin case list's filters offer every theme, SDG and staff account too.
        kept.forget_on_change(
            selectors.forget_case_list_filters,
            "placements_case_list_filters",
            models=(Theme, SustainableDevelopmentGoal, User),
        )
        # What the matching page ranks and shows, besides what the vacancy list's version
        # covers (selectors, "What the matching page keeps in the cache").
        kept.forget_on_change(
            selectors.forget_matching_pages,
            "placements_matching_pages",
            models=(ExpertProfile, ExpertLanguage, Application, Theme),
        )
        m2m_changed.connect(
            selectors.forget_matching_pages,
            sender=ExpertProfile.expertise.through,
            dispatch_uid="placements_matching_pages_expertise",
        )
        # What the mission and report pages show: what they keep is forgotten when it changes
        # (selectors, "What the mission pages keep in the cache").
        kept.forget_on_change(
            selectors.forget_mission_pages,
            "placements_mission_pages",
            models=(
                Mission,
                Case,
                CaseEvent,
                MissionReport,
                MissionObjective,
                Indicator,
                IndicatorValue,
                ObjectiveProgress,
                ReportAttachment,
                ReportComment,
                ReportVersion,
                SupportEvent,
                EventRegistration,
                ExpertProfile,
                ExpressionOfInterest,
                Partnership,
                Commune,
                DeploymentType,
                SustainableDevelopmentGoal,
                # Case officers' and comment authors' names and addresses.
                User,
            ),
        )
        kept.forget_on_change(
            selectors.forget_mission_pages,
            "placements_mission_pages",
            links=(
                Case.host_communes.through,
                ExpressionOfInterest.host_communes.through,
                ExpressionOfInterest.partnerships.through,
                MissionReport.sdgs.through,
            ),
        )
        # What the admin case page shows: of one case, and of every case (selectors, "What the
        # admin case page keeps in the cache").
        kept.forget_on_change(
            selectors.forget_case_page,
            "placements_case_page",
            models=(
                Case,
                CaseEvent,
                CaseNote,
                SalaryTopUp,
                Vacancy,
                Application,
                Mission,
                ExpressionOfInterest,
                Comment,
                ExpertProfile,
                ExpertLanguage,
            ),
        )
        kept.forget_on_change(
            selectors.forget_case_page,
            "placements_case_page",
            links=(Case.host_communes.through, ExpressionOfInterest.host_communes.through),
        )
        kept.forget_on_change(
            selectors.forget_case_pages,
            "placements_case_pages",
            models=(
                User,
                Commune,
                Partnership,
                DeploymentType,
                CountryDeploymentRule,
                EligibleCountry,
            ),
        )
        # The words in which a commune member's dashboard says where a submitted expression of
        # interest stands come from its case (contributions.eoi_case_words), and the EOI page's
        # panels keep on the case its hosts and whether candidates were shared with them
        # (contributions.candidates_panel): what partnerships keeps of them is forgotten when
        # they change.
        kept.forget_on_change(
            partnerships_selectors.forget_eoi_pages,
            "placements_eoi_pages",
            models=(Case, Application, Vacancy),
            links=(Case.host_communes.through,),
        )
