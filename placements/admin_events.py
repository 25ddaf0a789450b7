"""The support events' admin: staff create and edit events, attach their documents and record who
came. Registrations change only through the services (register, cancel, the waiting list);
staff record attendance. Imported by placements.admin, which Django discovers."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import SupportEventDocumentForm, SupportEventForm
from .models import EventRegistration, SupportEvent, SupportEventDocument


class PartOfTheEvent:
    """An inline whose rows belong to the event: whoever may change the event may change them;
    deleting is the superuser's, as everywhere (the history matters)."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("placements.view_supportevent")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("placements.change_supportevent")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("placements.change_supportevent") or (
            obj is None and request.user.has_perm("placements.add_supportevent")
        )

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("placements.delete_supportevent")


class SupportEventDocumentInline(PartOfTheEvent, admin.TabularInline):
    model = SupportEventDocument
    form = SupportEventDocumentForm
    extra = 0
    fields = ["file", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at"]


class EventRegistrationInline(admin.TabularInline):
    """Who registered, who waits, who came: only the attendance is recorded here."""

    model = EventRegistration
    extra = 0
    fields = ["user", "status", "created_at", "note", "attended"]
    readonly_fields = ["user", "status", "created_at", "note"]
    ordering = ["status", "created_at", "pk"]
    verbose_name_plural = _("Registrations (record attendance here)")

    def has_add_permission(self, request, obj=None):
        return False  # people register themselves on the portal

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(SupportEvent)
class SupportEventAdmin(admin.ModelAdmin):
    form = SupportEventForm
    inlines = [SupportEventDocumentInline, EventRegistrationInline]
    list_display = [
        "title",
        "kind",
        "start",
        "audience",
        "capacity",
        "registered",
        "waiting",
        "published",
    ]
    list_filter = ["kind", "audience", "published"]
    search_fields = ["title", "place"]
    date_hierarchy = "start"
    fieldsets = [
        (None, {"fields": ["title", "kind", "audience", "published"]}),
        (_("When"), {"fields": ["time_zone", "start", "end"]}),
        (_("Where"), {"fields": ["place", "online_link"]}),
        (_("Programme"), {"fields": ["capacity", "agenda"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description=_("registered"), ordering="registered_count")
    def registered(self, obj):
        return obj.registered_count

    @admin.display(description=_("waiting"), ordering="waiting_count")
    def waiting(self, obj):
        return obj.waiting_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # More places: those waiting move up, as when someone cancels.
        services.fill_from_waiting_list(event=form.instance)


@admin.register(EventRegistration)
class EventRegistrationAdmin(admin.ModelAdmin):
    """Registrations across events, to record attendance or look someone up."""

    list_display = ["user", "event", "status", "attended", "created_at"]
    list_filter = ["status", "attended", "event__kind"]
    list_select_related = ["user", "event"]
    search_fields = ["user__email", "user__full_name", "event__title"]
    date_hierarchy = "created_at"
    fields = ["event", "user", "status", "note", "attended", "created_at", "updated_at"]
    readonly_fields = ["event", "user", "status", "note", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False  # people register themselves on the portal
