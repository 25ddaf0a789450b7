"""The portal's form renderer: Django's simplest widget templates written out in Python.

Every input, text area, select (and each of its options) and label of a form is rendered by
Django from a small template, which includes another one for the attributes: on the admin's
case page that was a quarter of the page's time. This renderer writes the same HTML for those
templates directly; any other template (and any of these overridden by an app) is rendered from
its template as before. ``tests/portal/test_form_renderer.py`` compares the two for every kind
of widget.
"""

from pathlib import Path

import django.contrib.admin
import django.forms
from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

_WIDGETS = "django/forms/widgets/"
# Where Django's own templates are: one of the same name from elsewhere (an app's) is rendered
# from its template.
_DJANGO_FORMS = Path(django.forms.__file__).parent / "templates"
_DJANGO_ADMIN = Path(django.contrib.admin.__file__).parent / "templates"
_CONTEXT = Context()  # how a template shows a value: localized, escaped


def write_value(value) -> str:
    """``{{ value }}`` in a template."""
    return render_value_in_context(value, _CONTEXT)


def as_string(value) -> str:
    """``{{ value|stringformat:'s' }}`` in a template."""
    text = "%s" % value  # noqa: UP031 (the filter's own formatting)
    return text if isinstance(value, SafeData) else escape(text)


def write_attrs(attrs) -> str:
    """django/forms/widgets/attrs.html (and django/forms/attrs.html)."""
    if not attrs:
        return ""
    return "".join(
        f" {write_value(name)}" if value is True else f' {write_value(name)}="{as_string(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(context) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{as_string(value)}"'
    return (
        f'<input type="{write_value(widget["type"])}" name="{write_value(widget["name"])}"'
        f"{shown}{write_attrs(widget['attrs'])}>"
    )


def _textarea(context) -> str:
    widget = context["widget"]
    value = widget["value"]
    return (
        f'<textarea name="{write_value(widget["name"])}"{write_attrs(widget["attrs"])}>\n'
        f"{write_value(value) if value else ''}</textarea>"
    )


def _option(option) -> str:
    return (
        f'<option value="{as_string(option["value"])}"{write_attrs(option["attrs"])}>'
        f"{write_value(option['label'])}</option>"
    )


def _select(context, renderer):
    widget = context["widget"]
    parts = [f'<select name="{write_value(widget["name"])}"{write_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{write_value(group_name)}">')
        for option in group_choices:
            if option["template_name"] == _WIDGETS + "select_option.html":
                # The included template's own line break, which the top level strips.
                parts.append(f"\n  {_option(option)}\n")
            else:
                parts.append(f"\n  {renderer.template_output(option['template_name'], option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _admin_date(context) -> str:
    # admin/widgets/date.html around django/forms/widgets/date.html, line breaks included.
    return f'<p class="date">\n  {_input(context)}\n\n\n</p>'


def _label(context) -> str:
    if not context["use_tag"]:
        return write_value(context["label"])
    tag = write_value(context["tag"])
    return f"<{tag}{write_attrs(context['attrs'])}>{write_value(context['label'])}</{tag}>"


_INPUTS = [
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
]
_WRITERS = {
    **{f"{_WIDGETS}{kind}.html": _input for kind in _INPUTS},
    _WIDGETS + "input.html": _input,
    _WIDGETS + "textarea.html": _textarea,
    _WIDGETS + "select.html": None,  # needs the renderer: see render()
    _WIDGETS + "select_option.html": lambda context: _option(context["widget"]),
    "django/forms/label.html": _label,
    "admin/widgets/date.html": _admin_date,
}


class PortalFormRenderer(DjangoTemplates):
    """Django's default form renderer, which writes its simplest templates in Python."""

    def __init__(self):
        super().__init__()
        self._builtin = {}  # template name -> whether Django's own template is the one found

    def _is_builtin(self, template_name) -> bool:
        known = self._builtin.get(template_name)
        if known is None:
            origin = Path(self.get_template(template_name).origin.name)
            django = _DJANGO_ADMIN if template_name.startswith("admin/") else _DJANGO_FORMS
            known = self._builtin[template_name] = origin.is_relative_to(django)
        return known

    def template_output(self, template_name, widget) -> str:
        """What ``{% include template_name with widget=widget %}`` gives (not stripped)."""
        return self.get_template(template_name).render({"widget": widget})

    def render(self, template_name, context, request=None):
        if template_name not in _WRITERS or not self._is_builtin(template_name):
            return super().render(template_name, context, request)
        if template_name == _WIDGETS + "select.html":
            return mark_safe(_select(context, self))
        return mark_safe(_WRITERS[template_name](context))
