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
"""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

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
    line_errors = line.errors() if single else ""
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
    errors = "" if readonly else field.errors()
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
    if field.is_checkbox:
        write(f"{_N32}{esc(inner)}{esc(field.label_tag())}{_N28}")
    else:
        write(f"{_N32}{esc(field.label_tag())}{_N32}")
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
