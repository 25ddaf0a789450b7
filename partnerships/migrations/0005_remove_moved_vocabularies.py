"""Eligible countries, themes and SDGs have moved to catalogue with their tables: only Django's
record of them here goes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0004_vocabularies_in_catalogue"),
        ("experts", "0004_vocabularies_in_catalogue"),
        ("placements", "0008_vocabularies_in_catalogue"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="EligibleCountry"),
                migrations.DeleteModel(name="SustainableDevelopmentGoal"),
                migrations.DeleteModel(name="Theme"),
            ],
            database_operations=[],
        ),
    ]
