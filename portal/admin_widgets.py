"""Admin pieces shared by every app."""

from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import ModelChoiceField, ModelChoiceIterator


class _ValidChoicesOnly:
    """Django's autocomplete widgets look up the submitted values to show them again, and a value
    that is not an id ("abc") makes that lookup raise: a server error instead of the form's own
    "select a valid choice". Values that cannot be ids are left out of the lookup."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field
        # Foreign keys may point at another field than the primary key; many-to-many do not.
        to_field = target.model._meta.get_field(
            getattr(target, "field_name", None) or target.model._meta.pk.name
        )
        valid = []
        for item in value:
            try:
                to_field.to_python(item)
            except ValidationError:
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(_ValidChoicesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidChoicesOnly, AutocompleteSelectMultiple):
    pass


class OneQueryChoiceIterator(ModelChoiceIterator):
    """The options of a select read in one plain query. Django reads them with
    ``QuerySet.iterator()``, which on PostgreSQL is a server-side cursor (DECLARE, FETCH, CLOSE:
    three round trips) for lists that are rendered whole anyway."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class SafeAutocompleteMixin:
    """For every ModelAdmin and inline with autocomplete_fields; the other selects of foreign
    keys read their options in one query (OneQueryChoiceIterator)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if isinstance(formfield, ModelChoiceField) and not isinstance(
            formfield.widget, SafeAutocompleteSelect
        ):
            formfield.iterator = OneQueryChoiceIterator
            formfield.widget.choices = formfield.choices
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ReadOnlyAdmin:
    """Records the portal writes and nobody edits (audit trails, logs, submitted versions, what
    the services keep): the admin shows them, for roles that may view them, and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NoAddOrDeleteAdmin:
    """Records the portal creates (and keeps: the history matters), edited in the admin only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def act_on_each(model_admin, request, objects, act, failed) -> int:
    """A bulk action through a service, row by row: a refused row is reported (``failed(obj,
    reason)`` says how) and the others go on. Returns how many were done."""
    done = 0
    for obj in objects:
        try:
            act(obj)
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(error.messages) if isinstance(error, ValidationError) else ""
            model_admin.message_user(request, failed(obj, reason), messages.WARNING)
        else:
            done += 1
    return done
