"""Deployment models and the country rules now live in catalogue (same tables, same rows)."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0001_initial"),
        ("experts", "0004_vocabularies_in_catalogue"),
        ("partnerships", "0004_vocabularies_in_catalogue"),
        ("placements", "0007_plain_names"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.AlterField(
            model_name='historicalcase',
            name='deployment_type',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalogue.deploymenttype', verbose_name='deployment model'),
        ),
        migrations.AlterField(
            model_name='case',
            name='deployment_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='catalogue.deploymenttype', verbose_name='deployment model'),
        ),
        migrations.DeleteModel(
            name='CountryDeploymentRule',
        ),
        migrations.DeleteModel(
            name='DeploymentType',
        ),
            ],
            database_operations=[],
        ),
    ]
