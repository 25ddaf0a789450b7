"""Admin change lists whose rows cost less to render.

Django's admin renders each cell of a change list through the same general code: a field
lookup, a display function, a formatted cell, a ``reverse()`` for each link and, for the action
checkbox of each row, a form widget rendered from templates. For the case list (50 rows of ten
columns) that was about half of the page's time. ``result_rows`` gives the same HTML with what
is the same for a whole column (its kind, classes, choices and link) worked out once per page;
``tests/portal/test_admin_lists.py`` compares it with Django's own rows.

A ModelAdmin opts in with ``PlainRowsMixin`` and a change list template whose ``result_list``
block uses ``{% admin_result_rows cl %}`` instead of ``{% result_list cl %}``
(``admin/change_list_plain_rows.html`` is one).

An unfiltered list counts the whole table, and the date hierarchy above it reads the whole table
too (the first and last dates, then every year): both are kept in the cache when the ModelAdmin
names a version of its data (``unfiltered_list_version()``, a new string whenever the table
changes; only for a list that is the same for everybody who may open it). Its filters, with
their choices read from several tables, are kept the same way when the ModelAdmin names a version
of everything they show (``list_filters_version()``): for a list with no filter, search or counts
chosen, per language and query string (their links keep the list's order); the filters are then
not even built.
"""

import datetime

from django.conf import settings
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    items_for_result,
    result_headers,
    result_hidden_fields,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value, lookup_field, quote
from django.contrib.admin.views.main import ChangeList
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import InvalidPage
from django.db import models
from django.template.base import render_value_in_context
from django.template.context import Context
from django.template.defaultfilters import capfirst
from django.template.loader import get_template, select_template
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone
from django.utils.encoding import iri_to_uri
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

# Django's own text, translated by the admin's catalogue (so not extracted as the portal's).
_SELECT = "Select this object for an action - {}"
# What is kept of an unfiltered list (its count, its date hierarchy) is read again at the latest
# after this; its version is renewed on changes.
UNFILTERED_LIST_SECONDS = 5 * 60
# Stands for the primary key in a change URL reversed once per page.
_PK = "__pk__"


class LeanChangeList(ChangeList):
    """Django's change list, which counts the whole table only when filters or a search leave
    part of it out (Django counts the rows shown, and then the whole table again for "N in
    all" on every page); unfiltered, it keeps the count under the ModelAdmin's
    ``unfiltered_list_version()`` if it has one, and its filters' HTML under its
    ``list_filters_version()``."""

    # The filters' HTML read from the cache (then no filter is built), or where to keep it.
    kept_filters = None
    filters_key = None

    def version(self, name: str) -> str | None:
        """The ModelAdmin's version ``name`` (``unfiltered_list_version``,
        ``list_filters_version``), read once per request; None if it names none."""
        versions = self.__dict__.setdefault("_versions", {})
        if name not in versions:
            method = getattr(self.model_admin, name, None)
            versions[name] = method() if method is not None else None
        return versions[name]

    def get_filters(self, request):
        key = self._filters_key()
        if key is not None:
            html = cache.get(key)
            if html is not None:
                # Nothing is filtered: no filter to apply, no lookup left, nothing active.
                self.kept_filters = html
                return [], bool(html), {}, False, False
        self.filters_key = key
        return super().get_filters(request)

    def _filters_key(self):
        version = self.version("list_filters_version")
        if version is None or self.get_filters_params() or self.query:
            return None
        if self.add_facets or self.is_popup or self.to_field:
            return None
        return ":".join(
            [
                "admin-list-filters",
                self.opts.label,
                version,
                get_language() or "",
                self.get_query_string(),
            ]
        )

    def get_results(self, request):
        if self.queryset.query.has_filters() or self.root_queryset.query.has_filters():
            super().get_results(request)
            return
        # What follows is Django's ChangeList.get_results with the list's count as the total.
        paginator = self.model_admin.get_paginator(request, self.queryset, self.list_per_page)
        if version := self.version("unfiltered_list_version"):
            key = f"admin-list-count:{self.opts.label}:{version}"
            count = cache.get(key)
            if count is None:
                count = paginator.count
                cache.set(key, count, UNFILTERED_LIST_SECONDS)
            paginator.count = count
        result_count = paginator.count
        full_result_count = result_count if self.model_admin.show_full_result_count else None
        can_show_all = result_count <= self.list_max_show_all
        multi_page = result_count > self.list_per_page
        if (self.show_all and can_show_all) or not multi_page:
            # Sliced: a kept count that missed rows (a bulk insert sends no signal) must not
            # show the whole table at once.
            result_list = self.queryset[
                : self.list_max_show_all if self.show_all else self.list_per_page
            ]
        else:
            try:
                result_list = paginator.page(self.page_num).object_list
            except InvalidPage as error:
                raise IncorrectLookupParameters from error
        self.result_count = result_count
        self.show_full_result_count = self.model_admin.show_full_result_count
        self.show_admin_actions = not self.show_full_result_count or bool(full_result_count)
        self.full_result_count = full_result_count
        self.result_list = result_list
        self.can_show_all = can_show_all
        self.multi_page = multi_page
        self.paginator = paginator


class PlainRowsMixin:
    """For a ModelAdmin whose change list template renders its rows with
    ``{% admin_result_rows cl %}``: the lean change list, and the action checkbox of each row
    written out rather than rendered as a form widget from templates (the same HTML)."""

    def get_changelist(self, request, **kwargs):
        return LeanChangeList

    def action_checkbox(self, obj):
        label = format_html(gettext(_SELECT), str(obj))
        return mark_safe(
            f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" '
            f'value="{escape(obj.pk)}" class="action-select" aria-label="{label}">'
        )


def _change_url(cl):
    """A function giving a row's change URL (with the list's filters preserved), from one
    ``reverse()`` per page; None if the model has no change view."""
    try:
        url = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(_PK,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
    before, _pk, after = url.partition(_PK)
    pk_name = cl.lookup_opts.pk.attname
    return lambda obj: f"{before}{quote(getattr(obj, pk_name))}{after}"


def _css_name(name, index):
    # As Django names a column's class: a function by its name, a lambda by its place.
    if not callable(name):
        return name
    return f"lambda{index}" if name.__name__ == "<lambda>" else name.__name__


class _Column:
    """One column of the list: how its cells are read and shown, decided once from the first
    row the way Django's items_for_result decides it for every cell."""

    def __init__(self, cl, index, name, sample, *, is_link, tag):
        self.name, self.is_link, self.tag = name, is_link, tag
        admin = cl.model_admin
        f, attr, _value = lookup_field(name, sample, admin)
        # Texts the same for the whole page, in the page's language, made once.
        self.missing = str(admin.get_empty_value_display())
        self.empty = str(getattr(attr, "empty_value_display", self.missing))
        classes = [f"field-{_css_name(name, index)}"]
        # A callable's value: a date or time is not wrapped (per value, as Django decides).
        self.dates_nowrap = f is None or f.auto_created
        self.read = self._read_attribute
        if self.dates_nowrap:
            if name == "action_checkbox":
                classes = ["action-checkbox"]
            self.boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                self.boolean = getattr(attr.fget, "boolean", False)
            self.show = self._show_value
            # Whole numbers are written as they are unless thousands are grouped (as
            # numberformat.format decides for an int).
            self.plain_ints = not settings.USE_THOUSAND_SEPARATOR
            method = getattr(admin, name, None) if isinstance(name, str) else None
            self.read = method if callable(method) and name != "__str__" else self._read_generic
            if name == "action_checkbox" and _plain_checkbox(admin):
                self.read, self.show = _checkbox(), _as_it_is
        else:
            self.field = f
            self.show = self._show_field
            if isinstance(f.remote_field, models.ManyToOneRel):
                self.read = None
                self.related_text = {}  # the text of each related object, by its key
            elif getattr(f, "flatchoices", None):
                try:
                    self.choices = {value: str(label) for value, label in f.flatchoices}
                except TypeError:
                    pass  # list-like choices: Django's display_for_field copes
                else:
                    self.show = self._show_choice
            elif isinstance(f, models.DateTimeField):
                # The format's parts and the time zone looked up once per page.
                self.datetime_parts = _format_parts(get_format("DATETIME_FORMAT"))
                self.zone = timezone.get_current_timezone() if settings.USE_TZ else None
                self.show = self._show_datetime
            if isinstance(f, (models.DateField, models.TimeField, models.ForeignKey)):
                classes.append("nowrap")
        self.classes = " ".join(classes)

    def _read_generic(self, obj):
        return lookup_field(self.name, obj, None)[2]

    def _read_attribute(self, obj):
        return getattr(obj, self.name)

    def _show_value(self, value):
        # display_for_value, with a quicker way for texts and (ungrouped) whole numbers.
        kind = type(value)
        if kind is str and value and not self.boolean:
            return value
        if kind is int and self.plain_ints and not self.boolean:
            return str(value)
        return display_for_value(value, self.empty, self.boolean)

    def _show_choice(self, value):
        return self.choices.get(value, self.empty)

    def _show_datetime(self, value):
        # display_for_field's way, with the format looked up once per page.
        if value is None:
            return self.empty
        if self.zone is not None and value.utcoffset() is not None:
            value = value.astimezone(self.zone)  # timezone.template_localtime
        shown = dateformat.DateFormat(value)
        return "".join(
            [str(getattr(shown, part)()) if code else part for part, code in self.datetime_parts]
        )

    def _show_field(self, value):
        return display_for_field(value, self.field, self.empty, avoid_link=self.is_link)

    def cell(self, obj, url):
        classes = self.classes
        try:
            if self.read is None:  # a foreign key: the related object's text
                key = getattr(obj, self.field.attname)
                shown = self.related_text.get(key)
                if shown is None:
                    related = getattr(obj, self.field.name)
                    shown = self.empty if related is None else _escaped(related)
                    self.related_text[key] = shown
            else:
                value = self.read(obj)
                if isinstance(value, str) and value.strip() == "":
                    value = ""
                shown = self.show(value)
                if self.dates_nowrap and isinstance(value, (datetime.date, datetime.time)):
                    classes += " nowrap"
        except ObjectDoesNotExist:
            shown = self.missing
        content = _escaped(shown)
        if url is not None:
            content = f'<a href="{url.translate(_ESCAPES)}">{content}</a>'
        return f'<{self.tag} class="{classes}">{content}</{self.tag}>'


# What django.utils.html.escape replaces (by html.escape), in one pass.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def _escaped(value) -> str:
    """conditional_escape, without its checks for lazy texts done the long way."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return str(value).translate(_ESCAPES)


def _as_it_is(value):
    return value


def _format_parts(format_string) -> list[tuple[str, bool]]:
    """A date format split as dateformat's Formatter splits it: (format character, True) or
    (literal text, False)."""
    return [
        (part, True) if index % 2 else (dateformat.re_escaped.sub(r"\1", part), False)
        for index, part in enumerate(dateformat.re_formatchars.split(str(format_string)))
        if part or index % 2
    ]


def _plain_checkbox(admin) -> bool:
    return getattr(type(admin), "action_checkbox", None) is PlainRowsMixin.action_checkbox


def _checkbox():
    """PlainRowsMixin.action_checkbox with its label's text translated once per page."""
    label = gettext(_SELECT)

    def checkbox(obj):
        text = label.format(_escaped(str(obj)))
        return mark_safe(
            f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" '
            f'value="{str(obj.pk).translate(_ESCAPES)}" class="action-select" '
            f'aria-label="{text}">'
        )

    return checkbox


def _columns(cl, sample):
    columns = []
    first = True
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            is_link = False
        elif first and not cl.list_display_links:
            is_link = True
        else:
            is_link = name in cl.list_display_links
        tag = "th" if is_link and first else "td"
        if is_link:
            first = False
        columns.append(_Column(cl, index, name, sample, is_link=is_link, tag=tag))
    return columns


class RenderedRows:
    """What a change list holds in place of its page's objects when their table was kept
    rendered (``kept_results``): their number, nothing else."""

    def __init__(self, count: int):
        self.count = count

    def __len__(self):
        return self.count

    def __iter__(self):
        raise TypeError("The page's rows were kept rendered: their objects were not read.")


def result_rows(cl) -> list[str]:
    """The cells of each row of the change list's current page, as Django's admin renders them
    (one string of cells per row)."""
    rows = list(cl.result_list)
    if not rows:
        return []
    if getattr(cl, "formset", None) is not None or cl.is_popup or cl.to_field:
        # Editable lists and pop-up lookups: Django's own rows.
        return [mark_safe("".join(items_for_result(cl, obj, None))) for obj in rows]
    columns = _columns(cl, rows[0])
    url_of = _change_url(cl)
    return [
        mark_safe(
            "".join(
                column.cell(obj, url_of(obj) if url_of and column.is_link else None)
                for column in columns
            )
        )
        for obj in rows
    ]


# Texts of Django's admin templates written out below, translated by the admin's own catalogue
# (so they are not extracted as the portal's).
_FILTER, _HIDE_COUNTS, _SHOW_COUNTS, _CLEAR_FILTERS, _BY = (
    "Filter",
    "Hide counts",
    "Show counts",
    "Clear all filters",
    " By %(filter_title)s ",
)
_CONTEXT = Context()  # how a template shows a value: localized, escaped


def _shown(value) -> str:
    return render_value_in_context(value, _CONTEXT)


def _filter(cl, spec) -> str:
    """Django's admin/filter.html for one filter."""
    if spec.template != "admin/filter.html":
        return get_template(spec.template).render(
            {"title": spec.title, "choices": list(spec.choices(cl)), "spec": spec}
        )
    title = _shown(spec.title)
    choices = "".join(_filter_choice(choice) for choice in spec.choices(cl))
    by = gettext(_BY) % {"filter_title": title}
    return (
        f'\n<details data-filter-title="{title}" open>\n  <summary>\n    {by}\n  </summary>\n'
        f"  <ul>\n  {choices}\n  </ul>\n</details>\n"
    )


def _filter_choice(choice) -> str:
    selected = ' class="selected"' if choice["selected"] else ""
    link = escape(iri_to_uri(choice["query_string"]))
    return f'\n    <li{selected}>\n    <a href="{link}">{_shown(choice["display"])}</a></li>\n  '


def list_filters(cl) -> str:
    """The filters block of Django's admin/change_list.html (each filter as its
    admin/filter.html): the same HTML, written out (or as kept by ``LeanChangeList``)."""
    kept = getattr(cl, "kept_filters", None)
    if kept is not None:
        return mark_safe(kept)
    html = _list_filters(cl)
    if key := getattr(cl, "filters_key", None):
        cache.set(key, str(html), UNFILTERED_LIST_SECONDS)
    return html


def _list_filters(cl) -> str:
    if not cl.has_filters:
        return ""
    extra = ""
    if cl.is_facets_optional or cl.has_active_filters:
        extra = '<div id="changelist-filter-extra-actions">\n              '
        if cl.is_facets_optional:
            if cl.add_facets:
                link = f'<a href="{_shown(cl.remove_facet_link)}" class="hidelink">'
                link += f"{gettext(_HIDE_COUNTS)}</a>\n                "
            else:
                link = f'<a href="{_shown(cl.add_facet_link)}" class="viewlink">'
                link += f"{gettext(_SHOW_COUNTS)}</a>"
            extra += f"<h3>\n                {link}\n              </h3>"
        extra += "\n              "
        if cl.has_active_filters:
            extra += (
                f'<h3>\n                <a href="{_shown(cl.clear_all_filters_qs)}">&#10006; '
                f"{gettext(_CLEAR_FILTERS)}</a>\n              </h3>"
            )
        extra += "\n            </div>"
    filters = "".join(_filter(cl, spec) for spec in cl.filter_specs)
    return mark_safe(
        '\n          <nav id="changelist-filter" aria-labelledby="changelist-filter-header">\n'
        f'            <h2 id="changelist-filter-header">{gettext(_FILTER)}</h2>\n'
        f"            {extra}\n            {filters}\n          </nav>\n        "
    )


def result_list(cl) -> dict:
    """The context of Django's ``{% result_list %}`` for its template
    (admin/change_list_results.html), each row's cells given as one item."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": [ResultList(None, [row]) for row in result_rows(cl)],
    }


_REMOVE_SORTING, _TOGGLE_SORTING, _SORTING_PRIORITY = (
    "Remove from sorting",
    "Toggle sorting",
    "Sorting priority: %(priority_number)s",
)


def results_html(cl) -> str:
    """Django's admin/change_list_results.html with the context of ``result_list``, written
    out (the same HTML); an editable list's through the template. A change list may hold it
    already rendered (``kept_results``), and keep it (``keep_results(html)``)."""
    kept = getattr(cl, "kept_results", None)
    if kept is not None:
        return mark_safe(kept)
    context = result_list(cl)
    if getattr(cl, "formset", None) is not None:
        return get_template("admin/change_list_results.html").render(context)
    hidden = context["result_hidden_fields"]
    html = "\n"
    if hidden:
        html += f'\n<div class="hiddenfields">\n{"".join(str(item) for item in hidden)}\n</div>\n'
    html += "\n"
    if context["results"]:
        several = context["num_sorted_fields"] > 1
        headers = "".join(_header(header, several) for header in context["result_headers"])
        rows = "".join(f"\n\n<tr>{row[0]}</tr>\n" for row in context["results"])
        html += (
            '\n<div class="results">\n<table id="result_list">\n<thead>\n<tr>\n'
            f"{headers}\n</tr>\n</thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n</div>\n"
        )
    html += "\n"
    if keep := getattr(cl, "keep_results", None):
        keep(html)
    return mark_safe(html)


def _header(header, several_sorted) -> str:
    """One column's header, as admin/change_list_results.html renders it."""
    options = ""
    if header["sortable"] and header["sort_priority"] > 0:
        priority = ""
        if several_sorted:
            number = _shown(header["sort_priority"])
            title = gettext(_SORTING_PRIORITY) % {"priority_number": number}
            priority = f'<span class="sortpriority" title="{title}">{number}</span>'
        direction = "ascending" if header["ascending"] else "descending"
        options = (
            '\n       <div class="sortoptions">\n'
            f'         <a class="sortremove" href="{_shown(header["url_remove"])}" '
            f'title="{gettext(_REMOVE_SORTING)}"></a>\n'
            f"         {priority}\n"
            f'         <a href="{_shown(header["url_toggle"])}" class="toggle {direction}" '
            f'title="{gettext(_TOGGLE_SORTING)}"></a>\n'
            "       </div>\n   "
        )
    text = _shown(capfirst(header["text"]))  # as the filter: a safe text stays safe
    if header["sortable"]:
        text = f'<a href="{_shown(header["url_primary"])}">{text}</a>'
    else:
        text = f"<span>{text}</span>"
    return (
        f'\n<th scope="col"{_shown(header["class_attrib"])}>\n   {options}\n'
        f'   <div class="text">{text}</div>\n   <div class="clear"></div>\n</th>'
    )


def date_hierarchy(cl) -> str:
    """Django's ``{% date_hierarchy cl %}``, rendered; the first level of an unfiltered list kept
    in the cache, per version of the table, time zone (the years are local ones), language and
    query string (the links keep the list's order)."""
    opts = cl.opts
    template = select_template(
        [
            f"admin/{opts.app_label}/{opts.model_name}/date_hierarchy.html",
            f"admin/{opts.app_label}/date_hierarchy.html",
            "admin/date_hierarchy.html",
        ]
    )
    filtered = cl.queryset.query.has_filters() or cl.root_queryset.query.has_filters()
    version = None
    if not filtered and isinstance(cl, LeanChangeList):
        version = cl.version("unfiltered_list_version")
    elif not filtered and hasattr(cl.model_admin, "unfiltered_list_version"):
        version = cl.model_admin.unfiltered_list_version()
    if version is None:
        return template.render(admin_list.date_hierarchy(cl))
    key = ":".join(
        [
            "admin-date-hierarchy",
            opts.label,
            version,
            timezone.get_current_timezone_name(),
            get_language() or "",
            cl.get_query_string(),
        ]
    )
    html = cache.get(key)
    if html is None:
        html = str(template.render(admin_list.date_hierarchy(cl)))
        cache.set(key, html, UNFILTERED_LIST_SECONDS)
    # Rendered by Django's template, with autoescaping (the cache holds it as a plain string).
    return mark_safe(html)
