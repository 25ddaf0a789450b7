"""Applications move to placements with their table and rows: only Django's idea of where the
model lives changes (placements 0009 takes it over and moves its content type)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0004_vocabularies_in_catalogue"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Application")],
            database_operations=[],
        ),
    ]
