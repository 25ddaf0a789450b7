"""The rows of the matching page, written in Python.

`admin/placements/case/matching_rows.html` rendered each candidate's score, explanation and
forms through some 200 template nodes: about half of the page's time for 30 candidates. This
writes the same HTML with the words translated once per table, not once per row;
`tests/placements/test_matching_rows.py` compares the two, in every language, for every kind
of row.
"""

from django.template.base import render_value_in_context
from django.template.context import Context
from django.template.defaultfilters import date, floatformat
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from catalogue.vocabularies import language_name

# The fields of an application that a row shows.
ROW_FIELDS = ("expert_id", "status", "shared_with_commune", "screening_notes", "interview_notes")

_CONTEXT = Context()  # how a template shows a value: localized, escaped


def _shown(value) -> str:
    return render_value_in_context(value, _CONTEXT)


def _words() -> dict[str, str]:
    """What every row says, translated. As `{% translate %}` does, not escaped: the words are
    ours, as safe as a template's text."""
    return {
        name: gettext(text)
        for name, text in {
            "applicant": "applicant",
            "available": "available by the start",
            "unknown": "availability unknown",
            "worked": "has worked in the host country",
            "not_worked": "no experience in the host country",
            "sent": "sent to the host commune",
            "why_optional": "Why (optional)",
            "record_selected": "Record as the selected expert",
            "notes": "Screening and interview notes",
            "screening_notes": "Screening notes",
            "interview_notes": "Interview notes",
            "save_notes": "Save notes",
        }.items()
    }


def _actions(expert, application, key: str, words: dict, form: str) -> str:
    status = application.status if application else None
    name = escape(expert.full_name)
    parts = [f'<td>\n        {form}\n          <input type="hidden" name="expert" value="{key}">\n']
    if status == "shortlisted":
        take_off = gettext("Take %(name)s off the shortlist") % {"name": name}
        parts.append(
            f'          \n            <label for="unshortlist-reason-{key}">'
            f"{words['why_optional']}</label><br>\n"
            f'            <input id="unshortlist-reason-{key}" name="reason" maxlength="500"><br>\n'
            f'            <button type="submit" name="action" value="unshortlist" class="button">'
            f"{take_off}</button>\n          \n"
        )
    elif status != "selected":
        shortlist = gettext("Shortlist %(name)s") % {"name": name}
        parts.append(
            f'          \n            <button type="submit" name="action" value="shortlist" '
            f'class="button">{shortlist}</button>\n          \n'
        )
    else:
        parts.append("          \n")
    parts.append("        </form>\n        ")
    if status in ("shortlisted", "selected"):
        chosen = gettext("%(name)s is the expert chosen with the host commune.") % {"name": name}
        mark = gettext("Mark %(name)s selected") % {"name": name}
        parts.append(
            '\n        <details class="case-select">'
            f"<summary>{words['record_selected']}</summary>\n"
            f"        {form}\n"
            f'          <input type="hidden" name="expert" value="{key}">\n'
            f'          <input type="checkbox" id="select-confirm-{key}" name="confirm" required>\n'
            f'          <label for="select-confirm-{key}">{chosen}</label><br>\n'
            f'          <button type="submit" name="action" value="select" class="button">'
            f"{mark}</button>\n"
            f"        </form></details>\n        "
        )
    screening = escape(application.screening_notes) if application else ""
    interview = escape(application.interview_notes) if application else ""
    parts.append(
        f"\n        <details><summary>{words['notes']}</summary>\n"
        f"        {form}\n"
        f'          <input type="hidden" name="expert" value="{key}">\n'
        f'          <label for="screening-{key}">{words["screening_notes"]}</label><br>\n'
        f'          <textarea id="screening-{key}" name="screening_notes" rows="2">'
        f"{screening}</textarea><br>\n"
        f'          <label for="interview-{key}">{words["interview_notes"]}</label><br>\n'
        f'          <textarea id="interview-{key}" name="interview_notes" rows="2">'
        f"{interview}</textarea><br>\n"
        f'          <button type="submit" name="action" value="notes" class="button">'
        f"{words['save_notes']}</button>\n"
        f"        </form></details>\n      </td>"
    )
    return "".join(parts)


def _row(row, words: dict, form: str | None) -> str:
    expert, why, application, change_url, key = row
    key = escape(key)
    badge = (
        f' <span class="badge-applicant">{words["applicant"]}</span>' if expert.is_applicant else ""
    )
    skills, of = why["skills"]
    lines = [
        f"<li>{'✔' if skills else '✖'} "
        + gettext("%(n)s of %(of)s areas of expertise") % {"n": _shown(skills), "of": _shown(of)}
        + "</li>\n        "
    ]
    for code, level, ok in why["languages"]:
        lines.append(
            f"<li>{'✔' if ok else '✖'} "
            + gettext("%(language)s at %(level)s or better")
            % {"language": escape(language_name(code)), "level": escape(level)}
            + "</li>"
        )
    lines.append("\n        <li>")
    if why["available"]:
        lines.append(f"✔ {words['available']}")
    elif expert.earliest_availability:
        lines.append(
            "✖ "
            + gettext("available only from %(date)s")
            % {"date": escape(date(expert.earliest_availability, "SHORT_DATE_FORMAT"))}
        )
    else:
        lines.append(f"? {words['unknown']}")
    lines.append("</li>\n        <li>")
    lines.append(
        f"✔ {words['worked']}" if why["country_experience"] else f"✖ {words['not_worked']}"
    )
    lines.append("</li>\n        <li>")
    lines.append(
        gettext("%(years)s years in municipal administration")
        % {"years": _shown(why["years"] or 0)}
    )
    lines.append("</li>\n        ")
    for reason in why["ineligible_reasons"]:
        lines.append(f'<li class="case-blocked">✖ {conditional_escape(reason)}</li>')
    if application:
        shown = escape(application.get_status_display())
        if application.shared_with_commune:
            shown += f" · {words['sent']}"
    else:
        shown = "–"
    return (
        f'\n    <tr id="expert-{key}">\n'
        f'      <th scope="row"><a href="{escape(change_url)}">{escape(expert.full_name)}</a>'
        f"{badge}\n"
        f"        <br><small>{escape(why['nationalities'])}</small></th>\n"
        f"      <td>{floatformat(expert.score, 0)}</td>\n"
        f'      <td><ul class="why">\n        {"".join(lines)}\n      </ul></td>\n'
        f"      <td>{shown}</td>\n"
        f"      {_actions(expert, application, key, words, form) if form else ''}\n"
        "    </tr>\n  "
    )


def matching_table(rows, *, can_act: bool, action_url: str, csrf_token: str) -> SafeString:
    """The table of candidates: `rows` as the matching view builds them, (expert, explanation,
    application or None, change URL, key); with `can_act`, each row's forms."""
    form = (
        f'<form method="post" action="{escape(action_url)}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        if can_act
        else None
    )
    words = _words()
    actions = f'<th scope="col">{gettext("Actions")}</th>' if can_act else ""
    head = "".join(
        f'<th scope="col">{gettext(label)}</th>'
        for label in ("Expert", "Score", "Why", "Application")
    )
    body = (
        "".join(_row(row, words, form) for row in rows)
        if rows
        else f'<tr><td colspan="5">{gettext("No expert.")}</td></tr>'
    )
    return mark_safe(
        f'\n<table class="matching">\n  <thead><tr>{head}{actions}</tr></thead>\n  <tbody>\n  '
        f"{body}\n  </tbody>\n</table>\n"
    )
