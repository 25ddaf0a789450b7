"""The timeline of the admin's case page, written in Python.

`admin/placements/case/timeline_items.html` rendered each event through a dozen template nodes
(two dates, two labels, the actor, the reason): some 300 function calls an event, most of the
page's time after its form. This writes the same HTML; `tests/placements/test_admin_case_form.py`
compares the two.
"""

from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from .models import CaseEvent


def timeline_items(events: list[CaseEvent]) -> SafeString:
    """What `{% include "admin/placements/case/timeline_items.html" %}` writes for `events`."""
    esc = conditional_escape
    shown_format = get_format("SHORT_DATETIME_FORMAT")
    out = []
    for event in events:
        created = timezone.template_localtime(event.created_at)
        out.append(
            f'\n      <li><time datetime="{created.replace(microsecond=0).isoformat()}">'
            f"{esc(dateformat.format(created, shown_format))}</time> –\n        "
        )
        if event.from_state:
            out.append(f"{esc(event.get_from_state_display())} → ")
        out.append(f"<strong>{esc(event.get_to_state_display())}</strong>\n        ")
        if event.actor:
            out.append(f"({esc(event.actor)})")
        if event.reason:
            out.append(f": {esc(event.reason_as_shown)}")
        out.append("</li>\n    ")
    return SafeString("".join(out))
