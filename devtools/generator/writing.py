"""Writing many rows at once: bulk_create, plain INSERTs or COPY, and past timestamps."""

from contextlib import contextmanager

from django.db import connection

BATCH_SIZE = 2000  # rows per INSERT; 2000 × ~30 columns stays under 65,535 parameters


@contextmanager
def given_timestamps(*fields):
    """Let bulk_create keep the past times we give: otherwise it fills auto_now(_add) fields
    with the current time."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def bulk(model, objs: list) -> list:
    return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)


def insert(model, fields: tuple[str, ...], rows) -> int:
    """Insert rows nobody needs the primary key of (link tables, experts' languages and
    positions, applications), their values already as the database takes them (numbers, text,
    dates, JSON as text, times through connection.ops.adapt_datetimefield_value). For the
    hundreds of thousands of these, bulk_create's work per object and value would cost more than
    the database's: PostgreSQL gets them by COPY, other databases by executemany."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    rows = list(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
    return len(rows)


def link(through, fields: tuple[str, str], pairs) -> int:
    """Insert many-to-many rows through the relation's own table."""
    return insert(through, fields, pairs)
