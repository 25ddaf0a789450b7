"""Queries whose SQL is the same on every request but for the keys they start from (a user's
communes, the EOIs of a page, say): compiled once per process.

The ORM builds and compiles a query (a UNION of subqueries, a select_related, a prefetch) in
several thousand Python calls, more time than PostgreSQL takes to plan and answer it; the page
asks the same SQL each time.

`keys_of` gives such a query as a subquery (`filter(pk__in=...)`); `rows` runs it and returns
what the queryset would (model instances, with their select_related objects and annotations, or
the dicts of values()); `prefetched` hands rows read that way to instances as if
prefetch_related had read them.

A build function takes the list of keys and nothing else: every other value in its query is the
same on every call (a status, say), and is kept with the SQL. A value that changes (the user,
the time now) must be one of the keys (int, str, date or datetime), or the query is not one for
this module: it would keep the value of the first call. The SQL is compiled once per build
function (a function of the module, not a lambda made per call) and kinds of keys."""

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler


def keys_of(build: Callable[[list], QuerySet], keys: Sequence) -> RawSQL:
    """build(keys) (a query of one column, e.g. a union of values()), for `filter(pk__in=...)`,
    its SQL compiled once per number and kinds of keys."""
    query = _compiled(build, _kinds(keys))
    return RawSQL(query.sql, query.params(keys))


def rows(build: Callable[[list], QuerySet], keys: Sequence) -> list:
    """What build(keys) returns (model instances, or dicts for values()), its SQL compiled once
    per power of two of the number of keys; its prefetch_related is not done (see `prefetched`).

    The keys are padded with copies of the last one up to the power of two, so that a page
    with 5 or with 7 EOIs asks the same SQL: build uses its last keys as a set (an `__in`
    lookup), and may take the first ones one by one. Without keys, no query and no rows."""
    if not keys:
        return []
    keys = list(keys)
    keys += keys[-1:] * ((1 << (len(keys) - 1).bit_length()) - len(keys))
    query = _compiled(build, _kinds(keys))
    with connections[query.db].cursor() as cursor:
        cursor.execute(query.sql, query.params(keys))
        found = cursor.fetchall()
    if not found:
        return []
    return query.read(found)


def prefetched(instances: Sequence[Model], name: str, related: Iterable, key: str) -> None:
    """Give each instance the related objects whose attribute `key` is its primary key, in their
    order, as prefetch_related(name) would: `instance.name.all()` then reads no more. name is a
    many-to-many field or the related name of a reverse relation (the key prefetch_related keeps
    them under)."""
    if not instances:
        return
    model = instances[0]._meta.get_field(name).related_model
    by_key: dict[Any, list] = {}
    for obj in related:
        by_key.setdefault(getattr(obj, key), []).append(obj)
    for instance in instances:
        found = QuerySet(model=model)
        found._result_cache = by_key.get(instance.pk, [])
        found._prefetch_done = True
        if not hasattr(instance, "_prefetched_objects_cache"):
            instance._prefetched_objects_cache = {}
        instance._prefetched_objects_cache[name] = found


@dataclass(frozen=True)
class _Query:
    db: str
    sql: str
    # For each parameter of the SQL, the position of its key, or None: a value kept in `fixed`.
    positions: tuple[int | None, ...]
    fixed: tuple
    compiler: SQLCompiler
    iterable: type

    def params(self, keys: Sequence) -> list:
        keys = [_adapted(self.db, key) for key in keys]
        return [
            keys[position] if position is not None else value
            for position, value in zip(self.positions, self.fixed, strict=True)
        ]

    def read(self, found: list) -> list:
        # What the compiler's results_iter does with the rows, its converters worked out once.
        columns, converters, composite = self._converters
        if converters:
            found = self.compiler.apply_converters(found, converters)
        if composite:
            found = self.compiler.composite_fields_to_tuples(found, columns)
        if self.iterable is ValuesIterable:
            names = self._names
            return [dict(zip(names, row, strict=True)) for row in found]
        return list(self._instances(found))

    @functools.cached_property
    def _converters(self) -> tuple:
        # The columns' converters (from the database's values to the fields'), the same on
        # every call; results_iter would ask each column's field for them each time.
        columns = [column[0] for column in self.compiler.select[: self.compiler.col_count]]
        return (
            columns,
            self.compiler.get_converters(columns),
            self.compiler.has_composite_fields(columns),
        )

    @functools.cached_property
    def _names(self) -> list[str]:
        query = self.compiler.query
        return [*query.extra_select, *query.values_select, *query.annotation_select]

    @functools.cached_property
    def _model(self) -> tuple:
        # What ModelIterable works out for every query, once.
        select, klass_info = self.compiler.select, self.compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, self.db)
        annotations = tuple((self.compiler.annotation_col_map or {}).items())
        return klass_info["model"], start, end, init_list, populators, annotations

    def _instances(self, found):
        model, start, end, init_list, populators, annotations = self._model
        for row in found:
            obj = model.from_db(self.db, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            yield obj


# What stands for the n-th key while the query is compiled: a value no row holds, of the key's
# type (a key compared with a date column must be a date).
_MARKERS = {
    int: lambda n: -1 - n,
    str: lambda n: f"\x1fsqlcache-key-{n}",
    datetime: lambda n: datetime(1901, 1, 1, tzinfo=UTC) + timedelta(seconds=n),
    date: lambda n: date(1901, 1, 1) + timedelta(days=n),
}


def _kinds(keys: Sequence) -> tuple[type, ...]:
    kinds = tuple(type(key) for key in keys)
    unknown = set(kinds) - set(_MARKERS)
    if unknown:
        raise TypeError(f"sqlcache keys are int, str, date or datetime, not {unknown}.")
    return kinds


# Some thirty queries, most in a few sizes (1, 2, 4 … keys).
@functools.lru_cache(maxsize=512)
def _compiled(build, kinds: tuple[type, ...]) -> _Query:
    # Markers in place of the keys, to find where each of the query's parameters comes from;
    # any other parameter is a value of the query itself, the same on every call.
    markers = [_MARKERS[kind](n) for n, kind in enumerate(kinds)]
    queryset = build(markers)
    # The markers as the query's parameters hold them (SQLite's dates and times are texts).
    adapted = [_adapted(queryset.db, marker) for marker in markers]
    position_of = {(type(marker), marker): n for n, marker in enumerate(adapted)}
    if queryset._iterable_class not in (ModelIterable, ValuesIterable):
        raise TypeError("sqlcache reads model instances or values() dicts only.")
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    positions = tuple(
        position_of.get((type(param), param)) if _hashable(param) else None for param in params
    )
    return _Query(
        db=queryset.db,
        sql=sql,
        positions=positions,
        fixed=tuple(params),
        compiler=compiler,
        iterable=queryset._iterable_class,
    )


def _adapted(db: str, key):
    """The key as the database's parameters hold it (what the ORM does with a date or a time
    compared with a column: SQLite's are texts, PostgreSQL's the values themselves)."""
    if isinstance(key, datetime):
        return connections[db].ops.adapt_datetimefield_value(key)
    if isinstance(key, date):
        return connections[db].ops.adapt_datefield_value(key)
    return key


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
