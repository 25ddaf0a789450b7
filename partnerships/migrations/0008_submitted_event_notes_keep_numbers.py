"""The timeline note of a submission was stored translated ("Fassung 2" on a French page when a
German commune submitted): it keeps the version's number now and is shown in the reader's
language. This turns the stored notes back into their numbers, in every language of the portal."""

import re

from django.conf import settings
from django.db import migrations
from django.utils import translation

VERSION = "Version %(number)s"


def forwards(apps, schema_editor):
    EOIEvent = apps.get_model("partnerships", "EOIEvent")
    patterns = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            text = translation.gettext(VERSION)
        patterns.append(re.escape(text).replace(re.escape("%(number)s"), r"(\d+)"))
    pattern = re.compile("^(?:" + "|".join(patterns) + ")$")
    changed = []
    for event in EOIEvent.objects.filter(kind="submitted").exclude(note="").only("pk", "note"):
        match = pattern.match(event.note)
        if match:
            event.note = next(group for group in match.groups() if group)
            changed.append(event)
    EOIEvent.objects.bulk_update(changed, ["note"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0007_language_choices_from_cldr")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
