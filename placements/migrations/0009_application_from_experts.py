"""Applications come from the experts app with their table ("experts_application") and rows;
their content type moves too, so that permissions and admin history follow them."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="experts", model="application").update(
        app_label="placements"
    )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="placements", model="application").update(
        app_label="experts"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0005_application_to_placements"),
        ("placements", "0008_vocabularies_in_catalogue"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='Application',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('motivation', models.TextField(blank=True, max_length=8000, verbose_name='motivation letter')),
                ('profile_snapshot', models.JSONField(default=dict, verbose_name='profile when applying')),
                ('status', models.CharField(choices=[('applied', 'Applied'), ('screened', 'Screened'), ('interviewed', 'Interviewed'), ('shortlisted', 'Shortlisted'), ('selected', 'Selected'), ('declined', 'Declined'), ('withdrawn', 'Withdrawn')], default='applied', max_length=20, verbose_name='status')),
                ('proposed_by_staff', models.BooleanField(default=False, verbose_name='added by programme staff')),
                ('screening_notes', models.TextField(blank=True, verbose_name='screening notes')),
                ('interview_notes', models.TextField(blank=True, verbose_name='interview notes')),
                ('shared_with_commune', models.BooleanField(default=False, verbose_name='on the shortlist sent to the host commune')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='applied')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last changed')),
                ('expert', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='applications', to='experts.expertprofile', verbose_name='expert')),
                ('vacancy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='applications', to='placements.vacancy', verbose_name='vacancy')),
            ],
            options={
                'verbose_name': 'application',
                'verbose_name_plural': 'applications',
                'db_table': 'experts_application',
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(fields=('vacancy', 'expert'), name='application_once'), models.CheckConstraint(condition=models.Q(('status__in', ['applied', 'screened', 'interviewed', 'shortlisted', 'selected', 'declined', 'withdrawn'])), name='application_status_valid')],
            },
        ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
