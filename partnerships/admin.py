from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_widgets import (
    NoAddOrDeleteAdmin,
    ReadOnlyAdmin,
    SafeAutocompleteMixin,
    act_on_each,
)
from portal.exports import ListExportMixin
from portal.uploads import XLSX, validate_upload

from .exports import PartnershipExport
from .models import (
    Attachment,
    Comment,
    Commune,
    CommuneMembership,
    Confirmation,
    ContactPerson,
    EOIEvent,
    ExpressionOfInterest,
    Invitation,
    MembershipRequest,
    Partnership,
    RequiredLanguage,
    SubmittedVersion,
)
from .resources import CSV, CommuneResource, PartnershipImportResource
from .services import confirm_membership_request, refuse_membership_request, resend_invitation

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class CheckedImportForm(ImportForm):
    """The import form, with the upload checks of the portal: a size limit, and for XLSX the
    archive checks (a spreadsheet is a ZIP archive, which could unpack into gigabytes)."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats

    def clean(self):
        cleaned_data = super().clean()
        import_file = cleaned_data.get("import_file")
        chosen = cleaned_data.get("format")
        if import_file and chosen not in (None, ""):
            if self.formats[int(chosen)] is base_formats.XLSX:
                allowed = {XLSX: (".xlsx",)}
                try:
                    validate_upload(import_file, max_bytes=MAX_IMPORT_BYTES, allowed=allowed)
                except ValidationError as error:
                    self.add_error("import_file", error)
            elif import_file.size > MAX_IMPORT_BYTES:
                self.add_error("import_file", _("The file is too large for an import."))
        return cleaned_data


class HistoryImportExportAdmin(ListExportMixin, ImportExportMixin, SimpleHistoryAdmin):
    """Import and export as CSV or XLSX, with the history of each object."""

    import_form_class = CheckedImportForm
    import_formats = [CSV, base_formats.XLSX]


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    fields = ["name", "function", "email", "phone", "languages"]


class CommuneMembershipInline(SafeAutocompleteMixin, admin.TabularInline):
    model = CommuneMembership
    extra = 0
    fields = ["user", "function", "confirmed_by", "confirmed_at"]
    autocomplete_fields = ["user", "confirmed_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "confirmed_by")


@admin.register(Commune)
class CommuneAdmin(HistoryImportExportAdmin):
    resource_classes = [CommuneResource]
    list_display = ["name", "country", "region", "kind", "population"]
    list_filter = [("country", CountryFilter), "kind"]
    search_fields = ["name", "region"]
    filter_horizontal = ["members"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [ContactPersonInline, CommuneMembershipInline]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The case's host-commune search box (an autocomplete) offers only communes abroad, as
        # its form accepts only those.
        if request.GET.get("field_name") == "host_communes":
            queryset = queryset.abroad()
        return queryset, may_have_duplicates


@admin.register(ContactPerson)
class ContactPersonAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "function", "commune", "email", "phone"]
    list_select_related = ["commune"]
    search_fields = ["name", "email", "commune__name"]
    autocomplete_fields = ["commune"]


@admin.register(CommuneMembership)
class CommuneMembershipAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["user", "commune", "function", "confirmed_by", "confirmed_at"]
    list_select_related = ["user", "commune", "confirmed_by"]
    search_fields = ["user__email", "user__full_name", "commune__name"]
    autocomplete_fields = ["user", "commune", "confirmed_by"]


@admin.register(MembershipRequest)
class MembershipRequestAdmin(NoAddOrDeleteAdmin, admin.ModelAdmin):
    """Requests come from the users; staff decide them with the actions, never by editing."""

    list_display = ["user", "commune", "function", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["user", "commune"]
    search_fields = ["user__email", "user__full_name", "commune__name"]
    readonly_fields = [
        "commune",
        "user",
        "function",
        "message",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    actions = ["confirm_requests", "refuse_requests"]

    @admin.action(description=_("Confirm selected requests"), permissions=["change"])
    def confirm_requests(self, request, queryset):
        done = self._decide(request, queryset, confirm_membership_request)
        message = ngettext(
            "%(count)d request confirmed.", "%(count)d requests confirmed.", done
        ) % {"count": done}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Refuse selected requests"), permissions=["change"])
    def refuse_requests(self, request, queryset):
        done = self._decide(request, queryset, refuse_membership_request)
        message = ngettext("%(count)d request refused.", "%(count)d requests refused.", done) % {
            "count": done
        }
        self.message_user(request, message, messages.SUCCESS)

    def _decide(self, request, queryset, decide) -> int:
        return act_on_each(
            self,
            request,
            queryset.select_related("user", "commune"),
            lambda membership_request: decide(
                membership_request=membership_request, by=request.user
            ),
            lambda membership_request, reason: (
                _("%(request)s was not changed. %(reason)s")
                % {"request": membership_request, "reason": reason}
            ),
        )


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Sent by users from the portal. The row keeps only the digest of the link, so there is no
    link to show (nor a "view on site"): staff send a new one with the resend action."""

    actions = ["resend"]

    list_display = ["email", "commune", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["accepted_at", "expires_at"]
    list_select_related = ["commune", "invited_by"]
    search_fields = ["email", "name", "commune__name"]
    fields = readonly_fields = [
        "commune",
        "email",
        "name",
        "language",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
    ]

    def has_resend_permission(self, request):
        return request.user.has_perm("partnerships.add_invitation")

    @admin.action(
        description=_("Send the selected invitations again with a new link"),
        permissions=["resend"],
    )
    def resend(self, request, queryset):
        done = act_on_each(
            self,
            request,
            queryset,
            lambda invitation: resend_invitation(invitation=invitation, by=request.user),
            lambda invitation, reason: (
                _("%(invitation)s was not sent. %(reason)s")
                % {"invitation": invitation, "reason": reason}
            ),
        )
        self.message_user(
            request,
            ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", done)
            % {"count": done},
            messages.SUCCESS,
        )


@admin.register(Partnership)
class PartnershipAdmin(SafeAutocompleteMixin, HistoryImportExportAdmin):
    resource_classes = [PartnershipImportResource]
    list_display = ["name", "german_commune", "since_year", "status", "formal_agreement"]
    list_filter = ["status", "formal_agreement", "themes"]
    list_select_related = ["german_commune"]
    search_fields = ["name", "german_commune__name", "partner_communes__name"]
    autocomplete_fields = ["german_commune", "partner_communes"]
    filter_horizontal = ["themes"]
    # Uploads have no public URL: they are checked and served by the portal's own views, which
    # check the user's right too; the admin's file widget would link to nowhere.
    exclude = ["agreement_document"]
    readonly_fields = ["agreement_document_name"]

    def get_export_resource_classes(self, request):
        # The list in the reader's language first; the import's own format for a file that is to
        # be imported again.
        return [PartnershipExport, PartnershipImportResource]

    @admin.display(description=_("agreement document"))
    def agreement_document_name(self, obj):
        return obj.agreement_document.name if obj.agreement_document else "–"


class ReadOnlyInline(ReadOnlyAdmin, admin.TabularInline):
    extra = 0
    can_delete = False
    select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.select_related)

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class RequiredLanguageInline(ReadOnlyInline):
    model = RequiredLanguage
    fields = ["language", "level"]


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["download", "content_type", "size", "description", "uploaded_by", "uploaded_at"]
    select_related = ("uploaded_by",)

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)


class ConfirmationInline(ReadOnlyInline):
    model = Confirmation
    fields = ["commune", "revision", "user", "created_at"]
    select_related = ("commune", "user")


class CommentInline(ReadOnlyInline):
    model = Comment
    fields = ["created_at", "author", "commune", "from_programme", "body"]
    select_related = ("author", "commune")


class EOIEventInline(ReadOnlyInline):
    model = EOIEvent
    fields = ["created_at", "kind", "actor", "commune", "from_status", "to_status", "note_as_shown"]
    select_related = ("actor", "commune")

    @admin.display(description=_("note"))
    def note_as_shown(self, event):
        return event.note_display


class SubmittedVersionInline(ReadOnlyInline):
    model = SubmittedVersion
    fields = ["number", "submitted_at", "content"]


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Read-only: the communes write an expression of interest, staff act on it through the
    services (a later step), so that every change has its event row."""

    list_display = ["__str__", "status", "initiating_commune", "submitted_at", "updated_at"]
    list_filter = ["status", "themes"]
    list_select_related = ["initiating_commune"]
    search_fields = ["title", "host_communes__name", "partnerships__name"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [
        RequiredLanguageInline,
        AttachmentInline,
        ConfirmationInline,
        CommentInline,
        EOIEventInline,
        SubmittedVersionInline,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("initiating_commune", "created_by")
