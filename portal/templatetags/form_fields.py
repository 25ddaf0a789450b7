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
from django.templatetags.l10n import unlocalize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from portal.form_renderer import write_attrs, write_value

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


def _choices(field, errors) -> str:
    """crispy's layout/radio_checkbox_select.html."""
    invalid = " is-invalid" if errors else ""
    name = escape(field.html_name)
    groups = optgroups(field)
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
    if field.is_hidden:
        return mark_safe(_widget(field))
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
        out.append(_choices(field, errors))
    elif isinstance(widget, forms.FileInput):
        html = _file(field, errors)
        if html is None:
            return as_crispy_field(field)
        out.append(html)
    else:
        invalid = " is-invalid" if errors else ""
        if is_checkbox:
            _add_classes(widget, f"form-check-input{invalid}")
            out.append(_widget(field))
            out.append(
                f'<label for="{escape(field.id_for_label)}" class="form-check-label'
                f'{" requiredField" if required else ""}">{label}{asterisk}</label>'
            )
        else:
            kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
            _add_classes(widget, f"{kind}{invalid}")
            out.append(_widget(field))
        out.append(_errors(field, errors, "p"))
        out.append(_helpwrite_value(field))
    if field.use_fieldset and label:
        out.append("</fieldset>")
    out.append("</div>")
    if is_checkbox:
        out.append("</div>")
    return mark_safe("".join(out))


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
    return mark_safe("".join(_widget(field) for field in form))
