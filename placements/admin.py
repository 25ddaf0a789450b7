import hashlib
from uuid import uuid4

from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from experts.models import ExpertProfile
from partnerships import services as eoi_services
from partnerships.models import Commune
from portal.admin_forms import PlainChangeFormMixin
from portal.admin_lists import PlainRowsMixin
from portal.admin_widgets import ReadOnlyAdmin, SafeAutocompleteMixin
from portal.exports import ListExportMixin
from portal.models import User
from portal.pdf import RenderTimeout
from portal.responses import pdf_download

from . import (
    admin_events,  # noqa: F401 (it registers the support events' admin)
    admin_missions,
    admin_money,
    pdf,
    selectors,
    services,
    workflow,
)
from .admin_case_list import (
    CaseChangeList,
    HostCountryFilter,
    MyCasesFilter,
    StageFilter,
)
from .case_timeline import timeline_items
from .exports import CaseExport
from .forms import CaseMessageForm, TransitionForm
from .matching_page import case_of, matching_content
from .models import (
    Application,
    Case,
    CaseEvent,
    CaseNote,
    Mission,
    SalaryAccess,
    SalaryTopUp,
    Vacancy,
)
from .selectors import case_list_filters_version, vacancy_list_version

# More case summaries than this in one PDF would keep the admin waiting too long.
MAX_SUMMARIES = 50


class CaseNoteInline(admin.StackedInline):
    model = CaseNote
    template = "admin/edit_inline/stacked_plain.html"
    extra = 1
    fields = ["body", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    verbose_name_plural = _("Internal notes (never shown to the communes)")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class SalaryTopUpInline(admin.StackedInline):
    model = SalaryTopUp
    template = "admin/edit_inline/stacked_plain.html"
    extra = 0
    max_num = 1
    can_delete = False


@admin.register(Case)
class CaseAdmin(
    PlainRowsMixin,
    PlainChangeFormMixin,
    SafeAutocompleteMixin,
    ListExportMixin,
    SimpleHistoryAdmin,
):
    resource_classes = [CaseExport]
    change_list_template = "admin/change_list_plain_rows.html"
    change_form_template = "admin/placements/case/change_form.html"
    list_display = [
        "number",
        "title",
        "state",
        "stage",
        "countries",
        "deployment_type",
        "case_officer",
        "state_changed_at",
        "days_in_state",
    ]
    list_display_links = ["number", "title"]
    list_filter = [
        "state",
        StageFilter,
        MyCasesFilter,
        HostCountryFilter,
        "deployment_type",
        "eoi__themes",
        "eoi__sdgs",
        "case_officer",
    ]
    list_select_related = ["eoi", "deployment_type", "case_officer"]
    search_fields = [
        "eoi__title",
        "eoi__host_communes__name",
        "eoi__partnerships__name",
        "eoi__partnerships__german_commune__name",
        "case_officer__email",
        "case_officer__full_name",
        "selected_expert__full_name",
        "eoi__created_by__email",
        "eoi__created_by__full_name",
    ]
    search_help_text = _("Commune, partnership, title, case officer or people involved")
    ordering = ["-state_changed_at"]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["case_summaries_pdf", "portfolio_pdf"]
    # A search box instead of a list: the host-commune picker rendered every commune abroad
    # (about 2,500 options for 5,000 communes, most of the page's time and 177 KB).
    autocomplete_fields = ["selected_expert", "host_communes"]
    readonly_fields = ["eoi_link", "state", "stage", "state_changed_at", "mission_link"]
    inlines = [CaseNoteInline, SalaryTopUpInline]
    fieldsets = [
        (None, {"fields": ["eoi_link", "state", "stage", "state_changed_at", "case_officer"]}),
        (_("Appraisal"), {"fields": ["appraisal_mode", "appraisal_date", "appraisal_findings"]}),
        (
            _("Agreed profile"),
            {
                "fields": [
                    "competence_profile",
                    "tasks",
                    "objectives",
                    "host_communes",
                    "planned_start",
                    "duration_months",
                    "deployment_type",
                ]
            },
        ),
        (_("Recruitment"), {"fields": ["selected_expert", "host_commune_chose_expert"]}),
        (
            _("Contract and mission"),
            {"fields": ["contract_party", "contract_start", "mission_link"]},
        ),
    ]

    def unfiltered_list_version(self) -> str:
        """The unfiltered list's count and date hierarchy are kept under the cases' version, which
        every case saved or deleted renews (portal.admin_lists)."""
        return vacancy_list_version()

    def list_filters_version(self) -> str:
        """The unfiltered list's filters are kept under the cases' version and that of the
        themes, SDGs and staff accounts they offer (portal.admin_lists)."""
        return case_list_filters_version()

    def get_changelist(self, request, **kwargs):
        return CaseChangeList

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "case_officer":
            # Staff accounts filtered directly: Django applies limit_choices_to as an EXISTS
            # subquery that PostgreSQL ran once for every account (6,000 in the benchmark).
            queryset = self.get_field_queryset(None, db_field, request)
            queryset = queryset if queryset is not None else User.objects.all()
            kwargs["queryset"] = queryset.filter(**db_field.remote_field.limit_choices_to)
            kwargs["limit_choices_to"] = None
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "host_communes":
            kwargs["queryset"] = Commune.objects.abroad().order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_inlines(self, request, obj):
        # Salary data only for those who may see it (finance, and staff with view rights).
        inlines = [CaseNoteInline]
        if request.user.has_perm("placements.view_salarytopup"):
            inlines.append(SalaryTopUpInline)
        return inlines

    def has_add_permission(self, request):
        return False  # cases open when an expression of interest is submitted

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("case"), ordering="pk")
    def number(self, obj):
        return obj.pk

    @admin.display(description=_("title"), ordering="eoi__title")
    def title(self, obj):
        return obj.eoi.title or "–"

    @admin.display(description=_("host countries"))
    def countries(self, obj):
        return obj.host_country_codes  # read for the page by CaseChangeList

    @admin.display(description=_("days in state"), ordering="state_changed_at")
    def days_in_state(self, obj):
        return (timezone.now() - obj.state_changed_at).days

    @admin.display(description=_("expression of interest"))
    def eoi_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.eoi.get_absolute_url(), obj.eoi)

    @admin.display(description=_("mission"))
    def mission_link(self, obj):
        mission = Mission.objects.filter(case=obj).first()
        if mission is None:
            return "–"
        url = reverse("admin:placements_mission_change", args=[mission.pk])
        return format_html('<a href="{}">{} – {}</a>', url, mission.start, mission.planned_end)

    @admin.action(
        description=_("Portfolio summary of the selected cases (PDF)"), permissions=["view"]
    )
    def portfolio_pdf(self, request, queryset):
        return admin_missions.portfolio_of_selected(self, request, queryset, "cases")

    @admin.action(description=_("Case summaries of the selected cases (PDF)"), permissions=["view"])
    def case_summaries_pdf(self, request, queryset):
        if queryset.count() > MAX_SUMMARIES:
            self.message_user(
                request,
                _("Please select at most %(max)s cases for one PDF.") % {"max": MAX_SUMMARIES},
                messages.ERROR,
            )
            return None
        try:
            rendered = pdf.case_summary_pdf(
                Case.objects.filter(pk__in=queryset.values("pk")).order_by("pk")
            )
        except RenderTimeout as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        return pdf_download(rendered.pdf, filename=f"case-summaries-{timezone.localdate()}.pdf")

    def save_formset(self, request, form, formset, change):
        for note in formset.save(commit=False):
            if isinstance(note, CaseNote) and note.author_id is None:
                note.author = request.user
            note.save()
        formset.save_m2m()

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="placements_case_transition",
            ),
            path(
                "<int:pk>/message/",
                self.admin_site.admin_view(self.message_view),
                name="placements_case_message",
            ),
            path(
                "<int:pk>/matching/",
                self.admin_site.admin_view(self.matching_view),
                name="placements_case_matching",
            ),
            path(
                "<int:pk>/matching/act/",
                self.admin_site.admin_view(self.matching_action),
                name="placements_case_matching_action",
            ),
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        try:
            case = selectors.case_of_page(int(object_id))
        except (TypeError, ValueError):
            case = None
        if case is None:
            raise Http404
        request.case_of_page = case  # for get_object: the page reads the case once
        available = workflow.available(case, request.user)
        if request.user.has_perm("placements.view_salarytopup") and hasattr(case, "salary_top_up"):
            # The case page shows the pay: a look at salary data like any other.
            admin_money.log_salary_access(request, SalaryAccess.Action.VIEW, case)
        key = self._kept_form_key(request, case, available, form_url, extra_context)
        found = cache.get(key) if key is not None else None
        if found is not None:
            return self._kept_change_form(request, case, found)
        extra_context = {
            **(extra_context or {}),
            "transitions": [
                (t, workflow.blocking_reasons(case, t), TransitionForm(transition=t, case=case))
                for t in available
            ],
            "timeline": timeline_items(selectors.case_timeline(case)),
            "comments": selectors.case_comments(case),
            "message_form": CaseMessageForm(),
            "eoi": case.eoi,
            "decision": pdf.decision_of(case),
        }
        if key is None:
            return super().change_view(request, object_id, form_url, extra_context)
        # Rendered with marks around the content block and in place of the form token: the
        # content is kept with its mark, the page goes out with this request's token.
        mark, starts, ends = uuid4().hex, uuid4().hex, uuid4().hex
        extra_context.update(csrf_token=mark, content_starts=starts, content_ends=ends)
        response = super().change_view(request, object_id, form_url, extra_context)
        html = response.render().content.decode()
        token = escape(get_token(request))
        if starts not in html or ends not in html:  # another template: nothing to keep
            response.content = html.replace(starts, "").replace(ends, "").replace(mark, token)
            return response
        before, rest = html.split(starts, 1)
        content, after = rest.split(ends, 1)
        context = response.context_data
        kept_form = {
            "mark": mark,
            "content": content,
            "title": str(context["title"]),
            "subtitle": str(context["subtitle"]),
            "media": str(context["media"]),
        }
        cache.set(key, kept_form, selectors.CASE_PAGE_SECONDS)
        response.content = (before + content + after).replace(mark, token)
        return response

    def _kept_form_key(self, request, case, available, form_url, extra_context) -> str | None:
        """Where the rendered content of the case's change form is kept for this reader: the
        case, language, time zone, the reader's rights on the page (the case's and its inlines'
        permissions, every permission (the related objects' links), the transitions offered)
        and the case's version. None for what is not kept: a POST, a popup, extra context."""
        if request.method != "GET" or extra_context or set(request.GET) - {"_changelist_filters"}:
            return None
        if not self.has_view_or_change_permission(request, case):
            return None  # Django refuses it
        user = request.user
        rights = (
            user.is_superuser,
            sorted(user.get_all_permissions()),
            self.has_view_permission(request, case),
            self.has_change_permission(request, case),
            self.has_delete_permission(request, case),
            [
                (
                    type(inline).__name__,
                    inline.has_add_permission(request, case),
                    inline.has_change_permission(request, case),
                    inline.has_delete_permission(request, case),
                    inline.has_view_permission(request, case),
                )
                for inline in self.get_inline_instances(request, case)
            ],
            [t.name for t in available],
        )
        return ":".join(
            [
                "case-page:form",
                str(case.pk),
                get_language() or "",
                timezone.get_current_timezone_name(),
                hashlib.sha256(
                    repr((rights, form_url, self.get_preserved_filters(request))).encode()
                ).hexdigest()[:32],
                selectors.case_page_version(case.pk),
            ]
        )

    def _kept_change_form(self, request, case, kept_form) -> TemplateResponse:
        """The change form's page around its kept content, with what the template reads outside
        the content block (the title, the breadcrumbs, the scripts)."""
        token = get_token(request)
        context = {
            **self.admin_site.each_context(request),
            "csrf_token": token,  # the header's forms (logging out) have the same
            "title": kept_form["title"],
            "subtitle": kept_form["subtitle"],
            "original": case,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "has_view_permission": self.has_view_permission(request, case),
            "is_popup": False,
            "media": mark_safe(kept_form["media"]),
            "kept_content": mark_safe(
                kept_form["content"].replace(kept_form["mark"], escape(token))
            ),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.change_form_template, context)

    def get_object(self, request, object_id, from_field=None):
        case = getattr(request, "case_of_page", None)
        if case is not None and from_field is None and str(case.pk) == str(object_id):
            return case
        return super().get_object(request, object_id, from_field)

    def transition_view(self, request, pk):
        case = get_object_or_404(Case, pk=pk)
        if request.method != "POST" or not self.has_view_permission(request, case):
            raise PermissionDenied
        name = request.POST.get("transition", "")
        t = workflow.TRANSITIONS.get(name)
        form = TransitionForm(request.POST, transition=t, case=case) if t else None
        if form is None:
            messages.error(request, _("The action could not be read. Please try again."))
        elif not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, f"{t.label}: {message}")
        else:
            try:
                workflow.transition(
                    case=case,
                    name=name,
                    by=request.user,
                    reason=form.cleaned_data.get("reason", ""),
                    expected_state=form.cleaned_data["expected_state"],
                    data={"months": form.cleaned_data.get("months")},
                )
            except PermissionDenied as error:
                messages.error(request, str(error) or _("Your role may not do this."))
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Done: %(action)s.") % {"action": t.label})
        return redirect("admin:placements_case_change", case.pk)

    def message_view(self, request, pk):
        case = get_object_or_404(Case.objects.select_related("eoi"), pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, case):
            raise PermissionDenied
        form = CaseMessageForm(request.POST)
        if form.is_valid():
            eoi_services.add_comment(
                eoi=case.eoi, author=request.user, body=form.cleaned_data["body"]
            )
            messages.success(request, _("Your message has been sent to the communes."))
        else:
            messages.error(request, _("Please write a message."))
        return redirect(reverse("admin:placements_case_change", args=[case.pk]) + "#messages")

    def matching_view(self, request, pk):
        """Ranked candidates for the case, each score explained; ineligible experts apart. What
        the page shows below its title is kept in the cache (placements.matching_page)."""
        case = case_of(pk)
        if not self.has_view_permission(request, case):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": case,
            "title": _("Candidates for case %(number)s") % {"number": case.pk},
            "case": case,
            "content": matching_content(
                case,
                request.GET,
                can_act=self.has_change_permission(request, case),
                csrf_token=get_token(request),
            ),
        }
        return TemplateResponse(request, "admin/placements/case/matching.html", context)

    def matching_action(self, request, pk):
        case = get_object_or_404(Case, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, case):
            raise PermissionDenied
        expert_id = request.POST.get("expert", "")
        expert = (
            ExpertProfile.objects.filter(pk=int(expert_id)).first() if expert_id.isdigit() else None
        )
        if expert is None:
            messages.error(request, _("This expert could not be found."))
            return redirect("admin:placements_case_matching", case.pk)
        action = request.POST.get("action")
        try:
            if action == "shortlist":
                services.shortlist(case=case, expert=expert, by=request.user)
                messages.success(request, _("%(name)s is on the shortlist.") % {"name": expert})
            elif action == "unshortlist":
                services.unshortlist(
                    case=case, expert=expert, by=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(
                    request, _("%(name)s is no longer on the shortlist.") % {"name": expert}
                )
            elif action == "select" and request.POST.get("confirm") != "on":
                messages.error(
                    request,
                    _("Tick the box to confirm that %(name)s is the expert chosen.")
                    % {"name": expert},
                )
            elif action == "notes":
                services.record_notes(
                    case=case,
                    expert=expert,
                    by=request.user,
                    screening=request.POST.get("screening_notes", ""),
                    interview=request.POST.get("interview_notes", ""),
                )
                messages.success(request, _("The notes have been saved."))
            elif action == "select":
                services.mark_selected(case=case, expert=expert, by=request.user)
                messages.success(
                    request, _("%(name)s is recorded as the selected expert.") % {"name": expert}
                )
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect(
            reverse("admin:placements_case_matching", args=[case.pk]) + f"#expert-{expert.pk}"
        )


@admin.register(Vacancy)
class VacancyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "case", "closing_date", "published_at", "public"]
    list_filter = ["public"]
    list_select_related = ["case"]
    search_fields = ["title", "case__eoi__title"]
    readonly_fields = ["case", "published_at"]

    def has_add_permission(self, request):
        return False  # drafted by the workflow from the case's agreed profile


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The audit trail: read-only for everybody."""

    list_display = ["case", "transition", "from_state", "to_state", "actor", "created_at"]
    list_filter = ["to_state", "transition"]
    list_select_related = ["case", "actor"]
    search_fields = ["case__eoi__title", "actor__email", "reason"]
    date_hierarchy = "created_at"


@admin.register(Application)
class ApplicationAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """Applications to vacancies. The status and the sharing with the host commune change only
    through the recruitment steps, which also give the commune access to the documents."""

    list_display = [
        "expert",
        "vacancy",
        "status",
        "shared_with_commune",
        "proposed_by_staff",
        "created_at",
    ]
    list_filter = ["status", "shared_with_commune", "proposed_by_staff"]
    list_select_related = ["expert", "vacancy"]
    search_fields = ["expert__full_name", "expert__email", "vacancy__title"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["expert"]
    raw_id_fields = ["vacancy"]
    readonly_fields = [
        "status",
        "shared_with_commune",
        "profile_snapshot",
        "created_at",
        "updated_at",
    ]
    fields = [
        "vacancy",
        "expert",
        "status",
        "shared_with_commune",
        "proposed_by_staff",
        "motivation",
        "screening_notes",
        "interview_notes",
        "profile_snapshot",
        "created_at",
        "updated_at",
    ]
