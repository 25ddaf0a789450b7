"""Reference data used to be written here; it is loaded by catalogue.reference since the
vocabularies moved to catalogue (migration catalogue/0002). Databases that ran this migration
keep their rows: that loader creates only what is missing."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial")]
    operations = []
