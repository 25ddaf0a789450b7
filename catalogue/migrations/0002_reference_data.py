"""Reference data: themes, SDGs, the DAC list, deployment models and the country table
(catalogue/data/reference.json). Creates only what is missing."""

from django.db import migrations

from catalogue.reference import load_reference_data


def load(apps, schema_editor):
    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
