from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import roles, services
from .models import OutgoingEmail, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    """Accounts. Who holds which rights (staff status, superuser status, roles, permissions) and
    passwords are the superuser's alone: a programme staff member who could tick "superuser" or
    set the superuser's password would hold every right. Programme staff correct the name,
    language and time zone of applicants and experts and switch such accounts off; staff
    accounts are the superuser's. Every change is kept in the account's history."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "language", "date_joined"]
    list_filter = ["is_active", "is_staff", "groups", "language"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal information"), {"fields": ["full_name", "language", "time_zone"]}),
        (
            _("Roles and permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    # What programme staff see: the email is the login (changing it would let a password reset
    # reach another inbox), so it is read-only like the rights.
    staff_fieldsets = [
        (None, {"fields": ["email"]}),
        (_("Personal information"), {"fields": ["full_name", "language", "time_zone"]}),
        (_("Roles and permissions"), {"fields": ["is_active", "is_staff", "roles"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    staff_readonly_fields = ["email", "is_staff", "roles", "last_login", "date_joined"]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "password1", "password2", "groups"],
            },
        ),
    ]
    actions = ["deactivate"]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.staff_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.staff_readonly_fields
        return super().get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_manage_account(request.user, obj)

    def has_add_permission(self, request):
        # A new account with a role is a grant of rights.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def has_deactivate_permission(self, request):
        return request.user.has_perm("portal.change_user")

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(sorted(str(roles.ROLE_LABELS.get(n, n)) for n in obj.role_names())) or "–"

    @admin.action(
        description=_("Deactivate the selected users and end their sessions"),
        permissions=["deactivate"],
    )
    def deactivate(self, request, queryset):
        done = 0
        for user in queryset:
            if user == request.user or not may_manage_account(request.user, user):
                self.message_user(
                    request,
                    _("%(user)s was not changed: only a superuser may switch this account off.")
                    % {"user": user},
                    messages.WARNING,
                )
                continue
            services.deactivate_user(user=user)
            self.log_change(request, user, _("Deactivated"))
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", done)
            % {"count": done},
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Switching an account off in the form ends its sessions too.
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.end_all_sessions(user=obj)


def may_manage_account(actor, account) -> bool:
    """Superusers manage every account; others only accounts without staff rights, never their
    own rights (they cannot reach rights fields at all, see UserAdmin)."""
    return actor.is_superuser or not (account.is_staff or account.is_superuser)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["recipient", "subject"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# allauth's action to mark addresses verified declares no permission: whoever can open the list
# could run it. A verified address receives invitations and password resets, so it takes the
# right to change addresses (the superuser's; no role has it).
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(AllauthEmailAddressAdmin):
    @admin.action(
        description=_("Mark selected email addresses as verified"), permissions=["change"]
    )
    def make_verified(self, request, queryset):
        return super().make_verified(request, queryset)
