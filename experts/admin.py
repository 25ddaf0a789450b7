from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_widgets import NoAddOrDeleteAdmin, ReadOnlyAdmin
from portal.exports import ListExportMixin

from . import services
from .exports import ExpertProfileExport
from .models import (
    DocumentAccess,
    ExpertDocument,
    ExpertLanguage,
    ExpertProfile,
    Position,
)


class ProfileRightsInline:
    """Languages, positions and documents are part of the profile: whoever may see or change the
    profile may see or change them, without permissions of their own."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("experts.view_expertprofile") or self.has_change_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("experts.change_expertprofile")

    def has_add_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class ExpertLanguageInline(ProfileRightsInline, admin.TabularInline):
    model = ExpertLanguage
    extra = 0
    fields = ["language", "level"]


class PositionInline(ProfileRightsInline, admin.TabularInline):
    model = Position
    extra = 0
    fields = ["employer", "country", "role", "start", "end"]


class ExpertDocumentInline(NoAddOrDeleteAdmin, ProfileRightsInline, admin.TabularInline):
    """The documents as links to the download page, which logs every download."""

    model = ExpertDocument
    extra = 0
    fields = ["download", "kind", "content_type", "file_size", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, document):
        return format_html('<a href="{}">{}</a>', document.get_absolute_url(), document)

    @admin.display(description=_("size"))
    def file_size(self, document):
        return filesizeformat(document.size)


@admin.register(ExpertProfile)
class ExpertProfileAdmin(ListExportMixin, SimpleHistoryAdmin):
    resource_classes = [ExpertProfileExport]
    list_display = [
        "full_name",
        "email",
        "country_of_residence",
        "proposed_by",
        "has_account",
        "consent_to_be_found",
        "anonymised_at",
    ]
    list_filter = ["consent_to_be_found", "proposed_by", "expertise", "open_to_models"]
    # placements' CaseAdmin autocompletes the selected expert with these.
    search_fields = ["full_name", "email"]
    list_select_related = ["user"]
    # The account is linked only by the expert, through the invitation to take the profile over
    # (which checks the address): linking by hand could show a profile to the wrong person.
    readonly_fields = ["user", "claim_pending", "anonymised_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["full_name", "email", "proposed_by", "user", "claim_pending"]}),
        (
            _("About the expert"),
            {"fields": ["nationalities", "country_of_residence", "consent_to_be_found"]},
        ),
        (
            _("Expertise and experience"),
            {
                "fields": [
                    "expertise",
                    "keywords",
                    "years_municipal_experience",
                    "countries_worked_in",
                    "regions_worked_in",
                ]
            },
        ),
        (
            _("Availability and deployment"),
            {"fields": ["earliest_availability", "preferred_regions", "open_to_models"]},
        ),
        (None, {"fields": ["anonymised_at", "created_at", "updated_at"]}),
    ]
    inlines = [ExpertLanguageInline, PositionInline, ExpertDocumentInline]
    actions = ["invite_to_claim"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("expertise", "open_to_models"):
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_export_permission(self, request):
        # Personal data leaving the portal: a permission of its own (finance has none).
        return request.user.has_perm("experts.export_expertprofile")

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    @admin.display(description=_("account"), boolean=True)
    def has_account(self, profile):
        return profile.user_id is not None

    @admin.display(description=_("invitation to take over sent"), boolean=True)
    def claim_pending(self, profile):
        return bool(profile.claim_digest)

    @admin.action(
        description=_("Invite the selected experts to take over their profile"),
        permissions=["change"],
    )
    def invite_to_claim(self, request, queryset):
        sent = 0
        for profile in queryset:
            try:
                services.invite_to_claim(profile=profile, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                sent += 1
        if sent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d invitation has been sent.",
                    "%(count)d invitations have been sent.",
                    sent,
                )
                % {"count": sent},
                messages.SUCCESS,
            )

    def delete_model(self, request, obj):
        # Deleting goes through the erasure: files and the change history go too, and a
        # profile that missions refer to is anonymised instead.
        services.erase_expert(profile=obj)

    def delete_queryset(self, request, queryset):
        for profile in queryset:
            services.erase_expert(profile=profile)


@admin.register(DocumentAccess)
class DocumentAccessAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The log of who opened which expert's documents: read only, for everyone."""

    list_display = ["created_at", "user", "expert", "action", "document"]
    list_select_related = ["user", "expert", "document"]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["expert__full_name", "expert__email", "user__email", "user__full_name"]
    date_hierarchy = "created_at"
