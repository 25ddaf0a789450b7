"""Areas of expertise and deployment models now come from catalogue (same tables)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("catalogue", "0001_initial"), ("experts", "0003_plain_names")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.AlterField(
            model_name='expertprofile',
            name='expertise',
            field=models.ManyToManyField(blank=True, related_name='experts', to='catalogue.theme', verbose_name='areas of expertise'),
        ),
        migrations.AlterField(
            model_name='expertprofile',
            name='open_to_models',
            field=models.ManyToManyField(blank=True, related_name='+', to='catalogue.deploymenttype', verbose_name='deployment models I am open to'),
        ),
            ],
            database_operations=[],
        ),
    ]
