"""Subqueries of keys whose SQL is the same on every request but for the keys they start from
(a user's communes, say): compiled once per process.

The ORM builds and compiles a UNION of subqueries in several thousand Python calls, more time
than PostgreSQL takes to plan and answer it; the page asks the same SQL each time."""

import functools
from collections.abc import Callable, Sequence

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL


def keys_of(build: Callable[[list[int]], QuerySet], keys: Sequence[int]) -> RawSQL:
    """build(keys) (a query of one column, e.g. a union of values()), for `filter(pk__in=...)`,
    its SQL compiled once per number of keys. build must take its parameters from keys alone."""
    sql, positions = _compiled(build, len(keys))
    return RawSQL(sql, [keys[position] for position in positions])


@functools.lru_cache(maxsize=64)
def _compiled(build, count: int) -> tuple[str, list[int]]:
    # Keys no row has, to find where each of the query's parameters comes from (a parameter
    # of another kind fails here, on the first request).
    markers = [-1 - n for n in range(count)]
    sql, params = build(markers).query.sql_with_params()
    return sql, [markers.index(param) for param in params]
