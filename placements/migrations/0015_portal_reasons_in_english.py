"""The reason the portal wrote on a case's timeline when a host commune chose its candidate was
stored translated into the language of the commune's page, and staff read French in an English
admin. It is stored in English now and translated when shown; this turns the stored translations
back into the English text."""

from django.conf import settings
from django.db import migrations
from django.utils import translation

CHOSEN_BY_HOST_COMMUNE = "Chosen by the host commune."


def forwards(apps, schema_editor):
    CaseEvent = apps.get_model("placements", "CaseEvent")
    translations = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translations.add(translation.gettext(CHOSEN_BY_HOST_COMMUNE))
    # update(), not save(): the events are append-only for the application, not for a migration.
    CaseEvent.objects.filter(reason__in=translations - {CHOSEN_BY_HOST_COMMUNE}).update(
        reason=CHOSEN_BY_HOST_COMMUNE
    )


class Migration(migrations.Migration):
    dependencies = [("placements", "0014_profile_snapshots_keep_codes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
