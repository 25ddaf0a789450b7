"""The searchable select and multi-select of every portal page (not the admin's, which has its own).

Without JavaScript, ``SearchableSelect`` is a native select (keyboard type-ahead works) and
``SearchableSelectMultiple`` a list of checkboxes in a labelled, scrollable fieldset, the chosen
ones first: a native multiple select would need Ctrl-click among 250 entries and loses every
choice at a click without Ctrl. ``static/js/searchable-select.js`` (no inline script) turns both
into Tom Select boxes where one types to filter.

Both write their options in Python rather than through Django's template per option: the lists of
countries and languages have hundreds of entries, some shown in every row of a formset. A static
vocabulary (``cache_key``) is translated and escaped once per language and process.
"""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .collation import sorted_by_name

# (cache key, language) -> [(value, escaped value, escaped label)]
_ESCAPED_CHOICES: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
# (cache key, language[, field name]) -> the options (or checkboxes) of that list, none chosen
_UNCHOSEN_HTML: dict[tuple[str, ...], str] = {}


def _flat(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield value, label


def _option(escaped: str, label: str, chosen: bool) -> str:
    return f'<option value="{escaped}"{" selected" if chosen else ""}>{label}</option>'


def _checkbox(quoted_name: str, choice: tuple[int, str, str, str], chosen: bool) -> str:
    index, _raw, escaped, label = choice
    # Labels around their checkbox: no id per option, a third less markup.
    return (
        f'<label class="form-check"><input class="form-check-input" type="checkbox" '
        f'name="{quoted_name}" value="{escaped}" data-order="{index}"'
        f"{' checked' if chosen else ''}> {label}</label>"
    )


class SearchableSelect(forms.Select):
    """A select that JavaScript makes searchable; a native select without it."""

    kind = "single"

    def __init__(self, attrs=None, choices=(), *, cache_key: str | None = None):
        super().__init__(attrs, choices)
        self.cache_key = cache_key

    def escaped_choices(self) -> list[tuple[str, str, str]]:
        """(value, escaped value, escaped label) of every choice, in order."""
        key = (self.cache_key, get_language() or "") if self.cache_key else None
        if key in _ESCAPED_CHOICES:
            return _ESCAPED_CHOICES[key]
        escaped = []
        for value, label in _flat(self.choices):
            text = "" if value is None else str(value)
            escaped.append((text, escape(text), escape(str(label))))
        if key:
            _ESCAPED_CHOICES[key] = escaped
        return escaped

    def use_required_attribute(self, initial):
        if self.cache_key is None:
            return super().use_required_attribute(initial)
        # As Select's, from the cached list: Django's looks for a blank choice among all of
        # them, normalizing the whole list each time (600 languages in every formset row).
        choices = self.escaped_choices()
        return (
            forms.Widget.use_required_attribute(self, initial)
            and bool(choices)
            and choices[0][0] == ""
        )

    def searchable_attrs(self, attrs) -> dict:
        return {
            **attrs,
            "data-searchable": self.kind,
            "data-placeholder": _("Type to search…"),
            "data-no-results": _("Nothing matches."),
            "data-remove": _("Remove"),
        }

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.searchable_attrs(self.build_attrs(self.attrs, attrs))
        selected = set(self.format_value(value))
        if self.cache_key:
            key = (self.cache_key, get_language() or "")
            options = _UNCHOSEN_HTML.get(key)
            if options is None:
                options = _UNCHOSEN_HTML[key] = "".join(
                    _option(escaped, label, False)
                    for _raw, escaped, label in self.escaped_choices()
                )
            # The list written once, then the chosen option (rarely more) marked in it.
            for raw in selected:
                escaped = escape(raw)
                options = options.replace(
                    f'<option value="{escaped}">', f'<option value="{escaped}" selected>'
                )
        else:
            options = "".join(
                _option(escaped, label, raw in selected)
                for raw, escaped, label in self.escaped_choices()
            )
        return mark_safe(f'<select name="{escape(name)}"{flatatt(attrs)}>{options}</select>')


class SearchableSelectMultiple(SearchableSelect, forms.SelectMultiple):
    """Several choices: a checkbox list without JavaScript, a searchable multi-select with it."""

    kind = "multiple"
    # The label becomes the legend of a fieldset that holds the checkboxes.
    use_fieldset = True

    def id_for_label(self, id_, index=None):
        return ""

    def use_required_attribute(self, initial):
        # "required" on each checkbox would demand every one of them.
        return False

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.pop("id", None) or f"id_{name}"
        invalid = "is-invalid" in attrs.pop("class", "").split()
        attrs.pop("size", None)
        attrs.pop("multiple", None)
        selected = set(self.format_value(value))
        choices = [
            (index, *choice)
            for index, choice in enumerate(self.escaped_choices())
            if choice[0] != ""
        ]
        # The chosen ones first, to be seen without scrolling; data-order keeps the list's order
        # for the script.
        chosen = [c for c in choices if c[1] in selected]
        quoted_name = escape(name)
        if self.cache_key:
            key = (self.cache_key, get_language() or "", name)
            unchosen = _UNCHOSEN_HTML.get(key)
            if unchosen is None:
                unchosen = _UNCHOSEN_HTML[key] = "".join(
                    _checkbox(quoted_name, choice, False) for choice in choices
                )
            # The list written once; the few chosen ones taken out of it and put first.
            for choice in chosen:
                unchosen = unchosen.replace(_checkbox(quoted_name, choice, False), "", 1)
        else:
            unchosen = "".join(
                _checkbox(quoted_name, choice, False) for choice in choices if choice not in chosen
            )
        boxes = "".join(_checkbox(quoted_name, choice, True) for choice in chosen) + unchosen
        container = self.searchable_attrs(
            {
                **attrs,
                "id": base_id,
                "class": "searchable-checklist" + (" is-invalid" if invalid else ""),
                "data-name": name,
            }
        )
        return mark_safe(f"<div{flatatt(container)}>{boxes}</div>")


class LocaleSortedModelChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sorted_by_name(self.queryset, self.field.label_from_instance):
            yield self.choice(obj)


class LocaleSortedModelChoiceField(forms.ModelChoiceField):
    """Choices sorted by their label in the reader's language, not by the database's collation
    (which puts "Lübeck" after "Ludwigshafen", and every accented initial after "Z")."""

    iterator = LocaleSortedModelChoiceIterator
    widget = SearchableSelect


class SharedChoices(BaseChoiceIterator):
    """A field's choices, shared by every copy of the field: Django copies each field of a form,
    and with it its list of choices, for every form (some hundreds of calls for a list of
    countries, in each row of a formset). The list is made anew when iterated, so it follows the
    reader's language as before."""

    def __init__(self, choices):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def share_choices(form_class, *names) -> None:
    """The choices of these fields of the form class shared by all its forms (SharedChoices)."""
    for name in names:
        field = form_class.base_fields[name]
        field.choices = SharedChoices(field.choices)
