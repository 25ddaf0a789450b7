"""``{{ field|as_field }}``: a form field as crispy-forms' Bootstrap 5 pack writes it, in Python;
``{{ form|as_form }}`` a whole form as ``{{ form|crispy }}`` does, and ``{{ form|hidden_form }}``
a form of hidden fields (a formset's management form) as ``{{ form }}`` does.

``as_crispy_field`` renders a template of some forty tags, and several included ones, for every
field: on the expert's profile (fifty fields, with the language and position rows) that was most
of the page's time. This writes the same markup (tests/portal/test_form_fields.py compares the
two) for the fields the portal's pages use: inputs, text areas, selects, files, single checkboxes
and lists of checkboxes or radio buttons. Anything else (multi-widgets, a file already uploaded,
forms with a crispy helper) goes to crispy as before.
"""

from crispy_forms.templatetags.crispy_forms_filters import (
    as_crispy_field,
    as_crispy_form,
    optgroups,
)
from django import forms, template
from django.conf import settings
from django.forms.formsets import ManagementForm
from django.templatetags.l10n import unlocalize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.form_renderer import as_string, write_attrs, write_value

register = template.Library()

ASTERISK = '<span class="asteriskField">*</span>'


def _widget(field) -> str:
    """``str(field)``: the portal's form renderer (portal.form_renderer) writes Django's simple
    widgets in Python already."""
    return str(field)


def _add_classes(widget, classes: str) -> None:
    """The classes crispy's ``{% crispy_field %}`` puts on the widget (it changes the widget's
    attrs the same way): the widget's name, then Bootstrap's."""
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    if css:
        if css.find(name) == -1:
            css += f" {name}"
    else:
        css = name
    for token in classes.split():
        if token not in css.split():
            css += f" {token}"
    widget.attrs["class"] = css


def _errors(field, errors, tag: str) -> str:
    if not errors:
        return ""
    auto_id = escape(field.auto_id)
    items = "".join(
        f'<{tag} id="error_{number}_{auto_id}"><strong>{conditional_escape(error)}</strong></{tag}>'
        for number, error in enumerate(errors, start=1)
    )
    return f'<div id="{escape(errors.field_id)}_error" class="invalid-feedback">{items}</div>'


def _helpwrite_value(field) -> str:
    if not field.help_text:
        return ""
    id_attr = f'id="{escape(field.auto_id)}_helptext" ' if field.auto_id else ""
    return f'<div {id_attr}class="form-text">{field.help_text}</div>'


def _choices(field, errors, values=None) -> str:
    """crispy's layout/radio_checkbox_select.html; ``values`` chosen instead of the field's."""
    invalid = " is-invalid" if errors else ""
    name = escape(field.html_name)
    if values is None:
        groups = optgroups(field)
    else:  # as crispy's optgroups, with other values
        widget = field.field.widget
        id_ = widget.attrs.get("id") or field.auto_id
        attrs = field.build_widget_attrs({"id": id_} if id_ else {})
        groups = widget.optgroups(field.html_name, values, attrs)
    out = ["<div >"]
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            out.append(f"<strong>{conditional_escape(group)}</strong>")
        for number, option in enumerate(options, start=1):
            attrs = "".join(
                f" {escape(key)}" + ("" if value is True else f'="{escape(value)}"')
                for key, value in option["attrs"].items()
                if value is not False
            )
            out.append(
                f'<div class="form-check"><input type="{escape(option["type"])}" '
                f'class="form-check-input{invalid}" name="{name}" '
                f'value="{conditional_escape(unlocalize(option["value"]))}"{attrs}>'
                f'<label for="{escape(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{conditional_escape(unlocalize(option['label']))}</label>"
            )
            if errors and number == len(options) and group_number == len(groups):
                out.append(_errors(field, errors, "p"))
            out.append("</div>")
    out.append("</div>")
    out.append(_helpwrite_value(field))
    return "".join(out)


def _file(field, errors) -> str | None:
    """crispy's layout/field_file.html, for a file input without a file already uploaded."""
    [subwidget] = field.subwidgets
    widget = subwidget.data
    if widget.get("is_initial"):
        return None
    attrs = widget["attrs"]
    classes = f" {write_value(attrs['class'])}" if attrs.get("class") else ""
    invalid = " is-invalid" if errors else ""
    disabled = " disabled" if field.field.disabled else ""
    others = write_attrs({name: value for name, value in attrs.items() if name != "class"})
    wrapper = '<div class="is-invalid">' if errors else "<div>"
    return (
        f"{wrapper}"
        f'<input type="{write_value(widget["type"])}" name="{write_value(widget["name"])}" '
        f'class="form-control{classes}{invalid}"{disabled}{others}>'
        f"{_errors(field, errors, 'p')}{_helpwrite_value(field)}</div>"
    )


def _bootstrap_class(widget) -> str:
    return "form-select" if isinstance(widget, forms.Select) else "form-control"


def _needs_crispy(field) -> bool:
    widget = field.field.widget
    return (
        getattr(field.form, "helper", None) is not None
        or hasattr(widget, "widgets")
        or hasattr(widget, "widget")
    )


@register.filter
def as_field(field):
    """The field with its label, help text and errors, as ``as_crispy_field`` writes it."""
    if _needs_crispy(field):
        return as_crispy_field(field)
    if getattr(field.form, "same_fields_in_every_form", False):
        html = _from_kept_markup(field)
        if html is not None:
            return mark_safe(html)
    html = _write(field, _widget)
    return as_crispy_field(field) if html is None else mark_safe(html)


def _write(field, write_widget, choice_values=None) -> str | None:
    """The field's markup, its widget written by ``write_widget(field)`` (a list of checkboxes
    or radio buttons with ``choice_values`` chosen, if given); None where crispy writes it (a
    file already uploaded)."""
    if field.is_hidden:
        return write_widget(field)
    widget = field.field.widget
    errors = field.errors
    required = field.field.required
    label = conditional_escape(field.label) if field.label else ""
    asterisk = ASTERISK if required else ""
    is_checkbox = isinstance(widget, forms.CheckboxInput)
    css_classes = field.css_classes()
    out = ['<div class="mb-3">'] if is_checkbox else []
    out.append(
        f'<div id="div_{escape(field.auto_id)}" class="'
        f"{'form-check' if is_checkbox else 'mb-3'}"
        f'{f" {escape(css_classes)}" if css_classes else ""}">'
    )
    if label and not is_checkbox:
        tag = "label"
        if field.use_fieldset:
            tag = "legend"
            described = field.aria_describedby
            out.append(
                f'<fieldset aria-describedby="{escape(described)}">' if described else "<fieldset>"
            )
        for_attr = f'for="{escape(field.id_for_label)}" ' if field.id_for_label else ""
        out.append(
            f'<{tag} {for_attr}class="form-label{" requiredField" if required else ""}'
            f'{" fs-6" if field.use_fieldset else ""}">{label}{asterisk}</{tag}>'
        )
    if isinstance(widget, forms.RadioSelect):
        out.append(_choices(field, errors, choice_values))
    elif isinstance(widget, forms.FileInput):
        html = _file(field, errors)
        if html is None:
            return None
        out.append(html)
    else:
        invalid = " is-invalid" if errors else ""
        if is_checkbox:
            _add_classes(widget, f"form-check-input{invalid}")
            out.append(write_widget(field))
            out.append(
                f'<label for="{escape(field.id_for_label)}" class="form-check-label'
                f'{" requiredField" if required else ""}">{label}{asterisk}</label>'
            )
        else:
            _add_classes(widget, f"{_bootstrap_class(widget)}{invalid}")
            out.append(write_widget(field))
        out.append(_errors(field, errors, "p"))
        out.append(_helpwrite_value(field))
    if field.use_fieldset and label:
        out.append("</fieldset>")
    out.append("</div>")
    if is_checkbox:
        out.append("</div>")
    return "".join(out)


# --- Forms whose fields are the same in every form of the class ----------------------------------
#
# The expert's profile writes some fifty fields, most of them in the rows of its formsets, and
# only their values change from one expert to the next. A form class that says
# ``same_fields_in_every_form = True`` (labels, help texts, widgets and their attributes are the
# same in every one of its forms with the same prefix) has each field's markup written once per
# process, name and language, with a mark where the value goes: an input's value, a checkbox
# ticked or not, a select's or a list of checkboxes' chosen options are put in that text. A
# field with errors, a list of radio buttons and a file already uploaded are written as above;
# any other widget is written each time, its label and help text around it kept.

# (form class, name, id, language, ..., a checkbox ticked, the choices of a list of checkboxes)
# -> the pieces of the field's markup, or None: the field cannot be kept so
_KEPT: dict[tuple, tuple | None] = {}
_UNKNOWN = object()
# Characters kept at most per process: the rows of a few forms in each language (a row of the
# profile's languages is 24,000 characters, its list of 600 languages).
KEPT_AT_MOST = 8_000_000
_kept_size = [0]
_MARK = "\x1evalue\x1e"  # no choice, date or number: it stays as it is through every widget
_MARKED_VALUE = f' value="{_MARK}"'


def _kind(widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.widgets.Input):
        return "input"
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        return "select"
    return "widget"  # any other: its markup is written each time, the label and help around it


def _marked_widget(field, value):
    """``str(field)`` with ``value`` for the field's value."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.render(
        name=field.html_name, value=value, attrs=attrs, renderer=field.form.renderer
    )


def _pieces(field, kind: str, checked: bool):
    """The field's markup in pieces: around the value of an input; with the value of a
    checkbox; without a chosen option for a select."""
    if kind == "checkbox":
        return (_write(field, lambda f: _marked_widget(f, checked)),)
    if kind == "checkboxes":
        return (_write(field, _widget, choice_values=[]),)
    if kind == "file":
        html = _write(field, _widget)
        return None if html is None else (html,)
    if kind == "widget":
        pieces = tuple(_write(field, lambda f: _MARK).split(_MARK))
        return pieces if len(pieces) == 2 else None
    html = _write(field, lambda f: _marked_widget(f, _MARK))
    if kind == "input":
        if html.count(_MARKED_VALUE) != 1:
            return None
        return tuple(html.split(_MARKED_VALUE))
    return None if _MARK in html else (html,)


def _from_kept_markup(field) -> str | None:
    """The field as ``_write`` writes it, from the pieces kept for its name and language."""
    widget = field.field.widget
    kind = _kind(widget)
    form = field.form
    if kind == "radios" or form.errors.get(field.name):
        return None
    raw = field.value()
    if kind == "file":
        if raw:  # a file already uploaded
            return None
        value = None
    else:
        value = widget.format_value(raw)
    checked = False
    if kind == "checkbox":
        if value is not None:  # a checkbox with a value of its own: written as above
            return None
        checked = widget.check_test(raw)
    # The language once per form (some fifty fields).
    language = form.__dict__.get("_kept_markup_language")
    if language is None:
        language = form._kept_markup_language = get_language()
    key = (
        type(form),
        field.html_name,
        field.auto_id,
        language,
        form.use_required_attribute,
        # Cheap to tell apart, should a form make a field required or not after all.
        field.field.required,
        field.field.disabled,
        checked,
        # The choices of a list of checkboxes: rows of the database, say, may change.
        tuple((str(value), str(label)) for value, label in widget.choices)
        if kind == "checkboxes"
        else None,
    )
    pieces = _KEPT.get(key, _UNKNOWN)
    if pieces is _UNKNOWN:
        pieces = _pieces(field, kind, checked)
        size = sum(len(piece) for piece in pieces or ())
        # A form posted with a thousand rows is written, not kept.
        if _kept_size[0] + size <= KEPT_AT_MOST:
            _KEPT[key] = pieces
            _kept_size[0] += size
    if pieces is None:
        return None
    if kind in ("checkbox", "file"):
        return pieces[0]
    if kind == "widget":
        before, after = pieces
        _add_classes(widget, _bootstrap_class(widget))  # as _write does before writing it
        return f"{before}{_widget(field)}{after}"
    if kind == "input":
        before, after = pieces
        shown = "" if value is None else f' value="{as_string(value)}"'
        return f"{before}{shown}{after}"
    [html] = pieces
    if kind == "checkboxes":
        name = escape(field.html_name)
        for chosen in value:
            # Written "name value id>": checked goes last, as Django adds it.
            start = html.find(f'name="{name}" value="{escape(chosen)}"')
            if start != -1:
                end = html.index(">", start)
                html = f"{html[:end]} checked{html[end:]}"
        return html
    if value:
        # One chosen option, the first that matches, as Django's select marks it.
        option = f'<option value="{escape(value[0])}">'
        html = html.replace(option, f"{option[:-1]} selected>", 1)
    return html


@register.filter
def as_form(form):
    """The form's errors and fields, as ``{{ form|crispy }}`` writes them (without a helper)."""
    if getattr(form, "helper", None) is not None:
        return as_crispy_form(form)
    out = []
    if form.non_field_errors():
        # crispy's bootstrap5/errors.html
        items = "".join(
            f"<li>{conditional_escape(error)}</li>" for error in form.non_field_errors()
        )
        out.append(
            f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>'
        )
    out.extend(as_field(field) for field in form)
    return mark_safe("".join(out))


@register.filter
def hidden_form(form):
    """A form of hidden fields only, a formset's management form say, as ``{{ form }}`` writes
    it: the fields one after the other (with errors, Django's own template writes it)."""
    if form.errors or not all(field.is_hidden for field in form):
        return mark_safe(str(form))
    if isinstance(form, ManagementForm):  # Django's: the same fields in every formset
        return mark_safe("".join(_from_kept_markup(field) or _widget(field) for field in form))
    return mark_safe("".join(_widget(field) for field in form))
