"""The value of a ``<time datetime>`` attribute: what the HTML standard accepts.

Django's ``date:'c'`` writes microseconds (``2026-12-02T11:27:32.979512+00:00``); the standard
allows at most three digits of a second, and people read minutes anyway: whole seconds.
"""

from datetime import date, datetime

from django import template

register = template.Library()


@register.filter(expects_localtime=True)
def datetime_attr(value: datetime | date | None) -> str:
    """A datetime in the current time zone to the second, with its offset; a date as it is."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return ""
