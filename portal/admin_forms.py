"""Admin change forms whose fieldsets cost less to render.

Django renders every fieldset of a change form, and of each inline form, through
``admin/includes/fieldset.html``: for each field a dozen template lookups and conditions around
the widget, the label and the help text. On the case page (five fieldsets and the notes' forms)
that was a fifth of the request. ``fieldset_html`` writes the same HTML, whitespace included, in
Python; the widgets, labels, errors and read-only values are still Django's own
(``tests/placements/test_admin_case_form.py`` compares the two).

A change form opts in with ``{% admin_fieldset fieldset ... %}`` (portal_admin) in place of the
include, as ``admin/placements/case/change_form.html`` and ``admin/edit_inline/stacked_plain.html``
do.

Each select of a foreign key is wrapped in links to change, add or view the related object
(``RelatedFieldWidgetWrapper``): URLs reversed, permissions read and a template rendered, for
every select on every request, around a select whose options are the only part that changes.
``PlainChangeFormMixin`` gives a ModelAdmin's selects a wrapper that renders the links once per
process for each field, set of links and language, and puts the select in them; and renders the
form's scripts and style sheets (``{{ media }}``: a dozen files merged in order, each through
``static()``) once per process for each list of them.
"""

from threading import Lock

from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms import Media
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

from portal.form_renderer import write_attrs

# The template's line breaks and indentation, by depth (spaces).
_N4, _N8, _N12, _N16, _N20, _N24, _N28, _N32, _N36 = ("\n" + " " * n for n in range(4, 40, 4))


def fieldset_html(
    fieldset, *, heading_level=2, prefix="", id_prefix="", id_suffix=""
) -> SafeString:
    """What ``{% include "admin/includes/fieldset.html" with heading_level=… prefix=…
    id_prefix=… id_suffix=… %}`` renders for ``fieldset`` (a ``helpers.Fieldset``)."""
    esc = conditional_escape
    name = fieldset.name
    collapsible = name and fieldset.is_collapsible
    heading_id = f"{esc(prefix)}-{esc(id_prefix)}-{esc(id_suffix)}-heading"
    out = [f'<fieldset class="module aligned {esc(fieldset.classes)}"']
    write = out.append
    if name:
        write(f' aria-labelledby="{heading_id}"')
    write(">\n    ")
    if name:
        level = esc(heading_level or 2)
        write("\n        ")
        if collapsible:
            write("<details><summary>")
        write(
            f'\n        <h{level} id="{heading_id}" class="fieldset-heading">{esc(name)}'
            f"</h{level}>\n        "
        )
        if collapsible:
            write("</summary>")
        write("\n    ")
    write("\n    ")
    if fieldset.description:
        write(f'\n        <div class="description">{fieldset.description}</div>\n    ')
    write("\n    ")
    for line in fieldset:
        _write_line(write, line)
    write("\n    ")
    if collapsible:
        write("</details>")
    write("\n</fieldset>\n")
    return SafeString("".join(out))


def _write_line(write, line) -> None:
    esc = conditional_escape
    fields = list(line)
    single = len(line.fields) == 1
    line_errors = line.errors() if single and _line_has_errors(line) else ""
    classes = ["form-row"]
    if single and line_errors:
        classes.append(" errors")
    if not line.has_visible_field:
        classes.append(" hidden")
    for field in fields:
        if field_name := _name(field):
            classes.append(f" field-{esc(field_name)}")
    write(f'{_N8}<div class="{"".join(classes)}">{_N12}')
    write(line_errors if single else '<div class="flex-container form-multiline">')
    write(_N12)
    for field in fields:
        _write_field(write, field, single)
    write(_N12)
    if not single:
        write("</div>")
    write(f"{_N8}</div>{_N4}")


def _label(field) -> str:
    """``AdminField.label_tag()``: Django's ``BoundField.label_tag`` with the admin's classes,
    for a form that renders Django's label template."""
    bound = field.field
    form, formfield = bound.form, bound.field
    if form.template_name_label != "django/forms/label.html":
        return conditional_escape(field.label_tag())
    classes = []
    if field.is_checkbox:
        classes.append("vCheckboxLabel")
    if formfield.required:
        classes.append("required")
    if not field.is_first:
        classes.append("inline")
    attrs = {"class": " ".join(classes)} if classes else {}
    contents = conditional_escape(bound.label)
    if field.is_checkbox:
        suffix = ""
    elif formfield.label_suffix is not None:
        suffix = formfield.label_suffix
    else:
        suffix = form.label_suffix
    if suffix and contents and contents[-1] not in gettext(":?.!"):
        contents = f"{contents}{conditional_escape(suffix)}"
    widget = formfield.widget
    id_ = widget.attrs.get("id") or bound.auto_id
    if not id_:
        return contents
    if id_for_label := widget.id_for_label(id_):
        attrs = {**attrs, "for": id_for_label}
    if formfield.required and hasattr(form, "required_css_class"):
        if "class" in attrs:
            attrs["class"] += " " + form.required_css_class
        else:
            attrs["class"] = form.required_css_class
    return f"<label{write_attrs(attrs)}>{contents}</label>"


def _readonly_label(field) -> str:
    """``AdminReadonlyField.label_tag()``."""
    attrs = "" if field.is_first else ' class="inline"'
    label = conditional_escape(capfirst(field.field["label"]))
    return f"<label{attrs}>{label}{conditional_escape(field.form.label_suffix)}</label>"


def _line_has_errors(line) -> bool:
    """Whether ``line.errors()`` has anything to say (it renders a template for each field,
    errors or not)."""
    errors = line.form.errors
    return any(errors.get(name) for name in line.fields if name not in line.readonly_fields)


def _name(field):
    """``field.field.name`` as the template reads it: a bound field's name, or the read-only
    field's dictionary entry."""
    inner = field.field
    return inner.get("name") if isinstance(inner, dict) else inner.name


def _write_field(write, field, single: bool) -> None:
    esc = conditional_escape
    inner = field.field
    readonly = field.is_readonly
    if isinstance(inner, dict):
        is_hidden, help_text, id_for_label = False, inner.get("help_text"), None
    else:
        is_hidden, help_text, id_for_label = inner.is_hidden, inner.help_text, inner.id_for_label
    write(f"{_N16}<div>{_N20}")
    # An empty error list renders nothing; rendering it costs a template.
    errors = "" if readonly or not inner.form.errors.get(inner.name) else field.errors()
    if not single and not readonly:
        write(esc(errors))
    classes = ["flex-container"]
    if not single:
        classes.append(" fieldBox")
        if field_name := _name(field):
            classes.append(f" field-{esc(field_name)}")
        if not readonly and errors:
            classes.append(" errors")
        if is_hidden:
            classes.append(" hidden")
    if field.is_checkbox:
        classes.append(" checkbox-row")
    write(f'{_N24}<div class="{"".join(classes)}">{_N28}')
    label = _readonly_label(field) if readonly else _label(field)
    if field.is_checkbox:
        write(f"{_N32}{esc(inner)}{label}{_N28}")
    else:
        write(f"{_N32}{label}{_N32}")
        if readonly:
            write(f'{_N36}<div class="readonly">{esc(field.contents())}</div>{_N32}')
        else:
            write(f"{_N36}{esc(inner)}{_N32}")
        write(_N28)
    write(f"{_N24}</div>{_N20}")
    if help_text:
        write(f'{_N24}<div class="help')
        if is_hidden:
            write(" hidden")
        write('"')
        if id_for_label:
            write(f' id="{esc(id_for_label)}_helptext"')
        write(f">{_N28}<div>{help_text}</div>{_N24}</div>{_N20}")
    write(f"{_N16}</div>{_N12}")


# Links around a select, by field, links shown and language: a few per field.
_FRAMES: dict[tuple, tuple[str, str]] = {}
_FRAMES_LOCK = Lock()
_MAX_FRAMES = 500
# Stands for the select in the wrapper's template, rendered once.
_WIDGET = "\x00widget\x00"


class PlainRelatedFieldWidgetWrapper(RelatedFieldWidgetWrapper):
    """Django's wrapper, its links rendered once per process for each of the things they show:
    the field's name, the related model, which links the user's permissions allow, whether the
    select is hidden, the language and the site's URLs. Nothing of the value or the user."""

    def render(self, name, value, attrs=None, renderer=None):
        key = (
            name,
            self.rel.model._meta.label,
            self.is_hidden,
            self.can_add_related,
            self.can_change_related,
            self.can_delete_related,
            self.can_view_related,
            bool(self.rel.limit_choices_to),
            self.admin_site.name,
            get_language(),
            get_script_prefix(),
            get_urlconf(),
        )
        frame = _FRAMES.get(key)
        if frame is None:
            context = self.get_context(name, value, attrs)
            context["rendered_widget"] = _WIDGET
            before, after = self._render(self.template_name, context, renderer).split(_WIDGET)
            frame = (before, after)
            with _FRAMES_LOCK:
                if len(_FRAMES) >= _MAX_FRAMES:
                    _FRAMES.clear()
                _FRAMES[key] = frame
        # As Django's get_context renders it: with the widget's own renderer.
        return mark_safe(frame[0] + self.widget.render(name, value, attrs) + frame[1])


class PlainChangeFormMixin:
    """For a ModelAdmin: its selects of related objects wrapped by
    PlainRelatedFieldWidgetWrapper instead of Django's wrapper, its change form's media rendered
    once per process for each list of files."""

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = rendered_media(context["media"])
        return super().render_change_form(request, context, *args, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if type(widget) is RelatedFieldWidgetWrapper:
            formfield.widget = PlainRelatedFieldWidgetWrapper(
                widget.widget,
                widget.rel,
                widget.admin_site,
                can_add_related=widget.can_add_related,
                can_change_related=widget.can_change_related,
                can_delete_related=widget.can_delete_related,
                can_view_related=widget.can_view_related,
            )
        return formfield


_MEDIA: dict[tuple, SafeString] = {}


def rendered_media(media: Media) -> SafeString | Media:
    """What ``{{ media }}`` writes for ``media``: its files are the same on every request (but
    for the language of the autocomplete's translations), so the rendered tags are kept per list
    of files, as the widgets and the admin gave them, before their merge."""
    try:
        key = (
            tuple(tuple(files) for files in media._js_lists),
            tuple(
                tuple((kind, tuple(files)) for kind, files in sorted(css.items()))
                for css in media._css_lists
            ),
        )
        hash(key)
    except (AttributeError, TypeError):  # a file given as something else than a path or asset
        return media
    html = _MEDIA.get(key)
    if html is None:
        html = SafeString(media.render())
        with _FRAMES_LOCK:
            if len(_MEDIA) >= _MAX_FRAMES:
                _MEDIA.clear()
            _MEDIA[key] = html
    return html
