"""MatchingProfile: one narrow row per expert for the ranking, kept by database triggers.

A new or changed profile writes its row; an added, changed or removed language or area of
expertise rewrites the row of its expert (never creates one: while Django deletes an expert,
its languages may go after its row). PostgreSQL runs the triggers once per statement (a bulk
insert of 20,000 languages rewrites each expert's row once), SQLite once per row. The SQL is
written out here, as the schema was when it was written: a later change of a source column,
or of the European countries, needs a migration that creates these triggers again.
"""

import django.db.models.deletion
from django.db import migrations, models

# catalogue.vocabularies.EUROPEAN_COUNTRIES when this was written (EU, EEA, Switzerland).
EUROPEAN = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH"
).split()

COLUMNS = (
    "expert_id, anonymised, consent_to_be_found, european, earliest_availability, "
    "years_municipal_experience, nationalities, countries_worked_in, themes, languages, full_name"
)


def _row(aggregate: str, key: str = "e.id, ") -> str:
    """The SELECT of an expert's matching row (without its key if `key` is ""); `aggregate` joins
    strings: string_agg or group_concat. Lists are written ",A,B," so that a LIKE '%,A,%' finds
    one whole item."""
    european = " OR ".join(f"',' || e.nationalities || ',' LIKE '%,{code},%'" for code in EUROPEAN)
    return f"""
        SELECT {key}e.anonymised_at IS NOT NULL, e.consent_to_be_found, ({european}),
               e.earliest_availability, e.years_municipal_experience,
               ',' || e.nationalities || ',', ',' || e.countries_worked_in || ',',
               COALESCE((SELECT ',' || {aggregate}(CAST(t.theme_id AS TEXT), ',') || ','
                         FROM experts_expertprofile_expertise t
                         WHERE t.expertprofile_id = e.id), ''),
               COALESCE((SELECT ',' || {aggregate}(l.language || ':' || l.level, ',') || ','
                         FROM experts_expertlanguage l WHERE l.expert_id = e.id), ''),
               e.full_name
        FROM experts_expertprofile e"""


UPDATE_ALL = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS.split(", ")[1:])

POSTGRESQL = [
    # `ids`: the experts to write; `add`: create missing rows (only for a new or changed profile).
    f"""
    CREATE FUNCTION experts_matching_write(ids bigint[], add boolean) RETURNS void
    LANGUAGE sql AS $$
        INSERT INTO experts_matchingprofile ({COLUMNS})
        {_row("string_agg")}
        WHERE e.id = ANY(ids)
          AND (add OR EXISTS (SELECT 1 FROM experts_matchingprofile m WHERE m.expert_id = e.id))
        ON CONFLICT (expert_id) DO UPDATE SET {UPDATE_ALL}
    $$""",
]
# One trigger function per source table, and a trigger per event (transition tables allow one).
for table, column, add in (
    ("experts_expertprofile", "id", "true"),
    ("experts_expertlanguage", "expert_id", "false"),
    ("experts_expertprofile_expertise", "expertprofile_id", "false"),
):
    POSTGRESQL.append(f"""
    CREATE FUNCTION {table}_matching() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM experts_matching_write(ARRAY(SELECT {column} FROM new_rows), {add});
        ELSIF TG_OP = 'UPDATE' THEN
            PERFORM experts_matching_write(
                ARRAY(SELECT {column} FROM new_rows UNION SELECT {column} FROM old_rows), {add});
        ELSE
            PERFORM experts_matching_write(ARRAY(SELECT {column} FROM old_rows), {add});
        END IF;
        RETURN NULL;
    END $$""")
    events = ["INSERT", "UPDATE"] + ([] if table == "experts_expertprofile" else ["DELETE"])
    for event in events:
        tables = {
            "INSERT": "NEW TABLE AS new_rows",
            "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "DELETE": "OLD TABLE AS old_rows",
        }[event]
        POSTGRESQL.append(f"""
        CREATE TRIGGER {table}_matching_{event.lower()} AFTER {event} ON {table}
        REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {table}_matching()""")

POSTGRESQL_BACKFILL = (
    "SELECT experts_matching_write(ARRAY(SELECT id FROM experts_expertprofile), true)"
)


# SQLite: INSERT for a new profile, UPDATE otherwise. Never INSERT OR REPLACE: the statement
# that fires a trigger imposes its own conflict clause on the trigger's statements, and Django
# adds areas of expertise with INSERT OR IGNORE, which would silently skip the row's update.
SQLITE_INSERT = (
    f"INSERT INTO experts_matchingprofile ({COLUMNS}) {_row('group_concat')} WHERE e.id = NEW.id;"
)


def _sqlite_update(key: str) -> str:
    return (
        f"UPDATE experts_matchingprofile SET ({COLUMNS.split(', ', 1)[1]}) = "
        f"({_row('group_concat', key='')} WHERE e.id = experts_matchingprofile.expert_id) "
        f"WHERE expert_id = {key};"
    )


SQLITE = []
for table, column in (
    ("experts_expertprofile", "id"),
    ("experts_expertlanguage", "expert_id"),
    ("experts_expertprofile_expertise", "expertprofile_id"),
):
    profile = table == "experts_expertprofile"
    for event in ["INSERT", "UPDATE"] + ([] if profile else ["DELETE"]):
        if profile and event == "INSERT":
            body = SQLITE_INSERT
        else:
            keys = {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}[event]
            body = " ".join(_sqlite_update(f"{row}.{column}") for row in keys)
        SQLITE.append(
            f"CREATE TRIGGER {table}_matching_{event.lower()} AFTER {event} ON {table} "
            f"FOR EACH ROW BEGIN {body} END"
        )
SQLITE_BACKFILL = f"INSERT INTO experts_matchingprofile ({COLUMNS}) {_row('group_concat')}"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [*POSTGRESQL, POSTGRESQL_BACKFILL]
    elif vendor == "sqlite":
        statements = [*SQLITE, SQLITE_BACKFILL]
    else:
        raise NotImplementedError(f"No matching triggers for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for table in (
        "experts_expertprofile",
        "experts_expertlanguage",
        "experts_expertprofile_expertise",
    ):
        for event in ("insert", "update", "delete"):
            on = f" ON {table}" if postgresql else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_matching_{event}{on}")
        if postgresql:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_matching()")
    if postgresql:
        schema_editor.execute("DROP FUNCTION IF EXISTS experts_matching_write(bigint[], boolean)")


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0009_language_level_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="MatchingProfile",
            fields=[
                (
                    "expert",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="matching",
                        serialize=False,
                        to="experts.expertprofile",
                    ),
                ),
                ("anonymised", models.BooleanField()),
                ("consent_to_be_found", models.BooleanField()),
                ("european", models.BooleanField()),
                ("earliest_availability", models.DateField(null=True)),
                ("years_municipal_experience", models.PositiveSmallIntegerField(null=True)),
                ("nationalities", models.TextField()),
                ("countries_worked_in", models.TextField()),
                ("themes", models.TextField()),
                ("languages", models.TextField()),
                ("full_name", models.CharField(max_length=200)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
