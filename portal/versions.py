"""Comparing two submitted versions of something (an expression of interest, a mission report):
which two the reader asked for, and the rows side by side with the changed ones marked."""

from django.utils.translation import gettext as _


def display(value):
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return "" if value is None else value


def _number(params, key, default):
    try:
        return int(params.get(key, default))
    except (TypeError, ValueError):
        return default


def compare(versions, params, labels: dict) -> dict:
    """``versions``: objects with ``number`` and ``content`` (a dict); ``params``: the query
    string (``a``, ``b``: version numbers, the newest two by default). The context of
    includes/compare_versions.html."""
    by_number = {v.number: v for v in versions}
    newest = max(by_number)
    a = by_number.get(_number(params, "a", newest - 1)) or by_number[min(by_number)]
    b = by_number.get(_number(params, "b", newest)) or by_number[newest]
    keys = list(b.content) + [k for k in a.content if k not in b.content]
    rows = []
    for key in keys:
        old, new = a.content.get(key), b.content.get(key)
        label = labels.get(key) or key.split(":", 1)[-1]
        rows.append((label, display(old), display(new), old != new))
    return {
        "a": a,
        "b": b,
        "rows": rows,
        "versions": sorted(by_number.values(), key=lambda v: v.number),
    }
