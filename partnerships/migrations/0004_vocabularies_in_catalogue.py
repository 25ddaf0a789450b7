"""Themes, SDGs and deployment models of partnerships and expressions of interest now come from
catalogue (same tables)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("catalogue", "0001_initial"), ("partnerships", "0003_plain_names")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.AlterField(
            model_name='expressionofinterest',
            name='preferred_deployment_types',
            field=models.ManyToManyField(blank=True, to='catalogue.deploymenttype', verbose_name='preferred deployment models'),
        ),
        migrations.AlterField(
            model_name='expressionofinterest',
            name='sdgs',
            field=models.ManyToManyField(blank=True, to='catalogue.sustainabledevelopmentgoal', verbose_name='Sustainable Development Goals'),
        ),
        migrations.AlterField(
            model_name='expressionofinterest',
            name='themes',
            field=models.ManyToManyField(blank=True, to='catalogue.theme', verbose_name='thematic fields'),
        ),
        migrations.AlterField(
            model_name='partnership',
            name='themes',
            field=models.ManyToManyField(blank=True, to='catalogue.theme', verbose_name='themes'),
        ),
            ],
            database_operations=[],
        ),
    ]
