"""The vocabularies move here from partnerships and placements with their tables and rows: the
models keep their table names, so only Django's idea of where they live changes (and the content
types, so that permissions and admin history follow them)."""
import datetime
import django.db.models.deletion
import django_countries.fields
from django.db import migrations, models

MOVED = {
    "partnerships": ["eligiblecountry", "theme", "sustainabledevelopmentgoal"],
    "placements": ["deploymenttype", "countrydeploymentrule"],
}


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, models in MOVED.items():
        ContentType.objects.filter(app_label=app_label, model__in=models).update(
            app_label="catalogue"
        )


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, models in MOVED.items():
        ContentType.objects.filter(app_label="catalogue", model__in=models).update(
            app_label=app_label
        )



class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("partnerships", "0003_plain_names"),
        ("placements", "0007_plain_names"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='Theme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(choices=[('services', 'Municipal services and citizen orientation'), ('climate', 'Climate change and adaptation'), ('urban', 'Inclusive urban development'), ('sustainable', 'Sustainable development'), ('waste', 'Waste management and circular economy'), ('water', 'Water'), ('mobility', 'Mobility'), ('egovernance', 'E-governance'), ('other', 'Other')], max_length=20, unique=True, verbose_name='code')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
            ],
            options={
                'verbose_name': 'thematic field',
                'verbose_name_plural': 'thematic fields',
                'db_table': 'partnerships_theme',
                'ordering': ['position'],
            },
        ),
        migrations.CreateModel(
            name='DeploymentType',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(choices=[('integrated', 'Integrated expert'), ('technical_assistant', 'Technical assistant'), ('national', 'National expert')], max_length=30, unique=True, verbose_name='code')),
                ('contract_party', models.CharField(choices=[('host_commune', 'Host commune'), ('giz', 'GIZ')], max_length=20, verbose_name='who contracts the expert')),
                ('required_nationality', models.CharField(choices=[('european', 'European (EU, EEA or Swiss) nationality'), ('host_country', 'Nationality of the host country')], max_length=20, verbose_name='required nationality')),
                ('salary_top_up', models.BooleanField(default=False, help_text='Integrated experts: local salary topped up to close the gap to European pay.', verbose_name='programme tops up a local salary')),
                ('description', models.TextField(blank=True, verbose_name='description')),
            ],
            options={
                'verbose_name': 'deployment model',
                'verbose_name_plural': 'deployment models',
                'db_table': 'placements_deploymenttype',
                'ordering': ['pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('code__in', ['integrated', 'technical_assistant', 'national'])), name='deployment_type_code_valid')],
            },
        ),
        migrations.CreateModel(
            name='EligibleCountry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('country', django_countries.fields.CountryField(max_length=2, unique=True, verbose_name='country')),
                ('income_group', models.CharField(choices=[('ldc', 'Least developed country'), ('lic', 'Other low-income country'), ('lmic', 'Lower middle-income country or territory'), ('umic', 'Upper middle-income country or territory')], max_length=4, verbose_name='income group')),
                ('german_partner_country', models.BooleanField(default=False, verbose_name='partner country of German development cooperation')),
                ('active', models.BooleanField(default=True, help_text='Untick when the country leaves the DAC list; existing cases stay.', verbose_name='on the current list')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
            ],
            options={
                'verbose_name': 'eligible country',
                'verbose_name_plural': 'eligible countries',
                'db_table': 'partnerships_eligiblecountry',
                'ordering': ['country'],
                'constraints': [models.CheckConstraint(condition=models.Q(('income_group__in', ['ldc', 'lic', 'lmic', 'umic'])), name='eligible_country_income_group_valid')],
            },
        ),
        migrations.CreateModel(
            name='SustainableDevelopmentGoal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(unique=True, verbose_name='number')),
            ],
            options={
                'verbose_name': 'Sustainable Development Goal',
                'verbose_name_plural': 'Sustainable Development Goals',
                'db_table': 'partnerships_sustainabledevelopmentgoal',
                'ordering': ['number'],
                'constraints': [models.CheckConstraint(condition=models.Q(('number__gte', 1), ('number__lte', 17)), name='sdg_number_1_to_17')],
            },
        ),
        migrations.CreateModel(
            name='CountryDeploymentRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('allowed', models.BooleanField(default=True, verbose_name='allowed')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('valid_from', models.DateField(default=datetime.date(2024, 1, 1), verbose_name='valid from')),
                ('valid_until', models.DateField(blank=True, null=True, verbose_name='valid until')),
                ('deployment_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='country_rules', to='catalogue.deploymenttype', verbose_name='deployment model')),
                ('country', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deployment_rules', to='catalogue.eligiblecountry', verbose_name='country')),
            ],
            options={
                'verbose_name': 'deployment model per country',
                'verbose_name_plural': 'deployment models per country',
                'db_table': 'placements_countrydeploymentrule',
                'ordering': ['country__country', 'deployment_type'],
                'constraints': [models.UniqueConstraint(fields=('country', 'deployment_type', 'valid_from'), name='country_rule_unique'), models.CheckConstraint(condition=models.Q(('valid_until__isnull', True), ('valid_until__gte', models.F('valid_from')), _connector='OR'), name='country_rule_period_ordered')],
            },
        ),
            ],
            database_operations=[migrations.RunPython(move_content_types, move_content_types_back)],
        ),
    ]
